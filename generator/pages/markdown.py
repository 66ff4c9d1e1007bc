"""Make content text inert wherever it lands: Markdown body, front matter, HTML attributes.

Content is plain text. Every character that Markdown, its extensions (attr_list, tables,
admonitions) or HTML could read as syntax becomes a numeric character reference, which every
Markdown engine passes through as literal text. So `<script>`, `{: onclick=...}`, `[x](javascript:)`
or `{{ }}` in a YAML field are shown as typed and never become markup.
"""

from __future__ import annotations

import functools
import html
import json
import posixpath
import re
import unicodedata
from collections.abc import Hashable, Iterable

from markupsafe import Markup

# Characters with a meaning anywhere in a line (HTML, emphasis, links, attr_list, tables,
# pymdownx mark/caret/tilde/emoji/arithmatex, quoted admonition titles).
_SPECIAL = '&<>\\`*_[]{}|#~^=!:"$'
# ...and those that only mean something at the start of a line (lists, details blocks).
_LEADING = re.compile(r"^(?:[-+?]|\d+[.)])")
_SPACE = re.compile(r"\s+")
# Code points that HTML forbids in text and YAML refuses in a front matter string (controls other
# than whitespace, DEL, C1, surrogates, noncharacters). One in a title would make MkDocs drop the
# whole front matter silently and print it on the page; each becomes U+FFFD, the visible "unknown character".
_UNPRINTABLE = [
    *range(0x00, 0x09),
    *range(0x0E, 0x20),
    *range(0x7F, 0xA0),
    *range(0xD800, 0xE000),
    *range(0xFDD0, 0xFDF0),
    *(plane << 16 | end for plane in range(17) for end in (0xFFFE, 0xFFFF)),
]
_PRINTABLE = str.maketrans(dict.fromkeys(_UNPRINTABLE, "\ufffd"))
# One pass of str.translate: at catalogue scale `inert` runs hundreds of thousands of times.
_INERT = {**_PRINTABLE, **str.maketrans({char: f"&#{ord(char)};" for char in _SPECIAL})}


def inert(value: object) -> Markup:
    """Plain text → Markdown that renders exactly that text, on one line.

    Runs of whitespace (newlines included) become one space, so text cannot start a new block.
    """
    if isinstance(value, Markup):
        return value
    return Markup(_inert_text(str(value)))


@functools.lru_cache(maxsize=65_536)  # titles, names and table labels repeat on page after page
def _inert_text(text: str) -> str:
    text = _SPACE.sub(" ", text).translate(_INERT)
    return _LEADING.sub(lambda m: m.group()[:-1] + f"&#{ord(m.group()[-1])};", text)


def front_matter_text(value: object) -> Markup:
    """A YAML (JSON-compatible) string whose value is HTML-escaped.

    Themes print front matter such as `title` and `description` into HTML without escaping,
    so the value must already be safe HTML text when MkDocs reads it.
    """
    return Markup(json.dumps(html.escape(_printable(value).strip(), quote=True), ensure_ascii=False))


def front_matter_list(values: Iterable[object]) -> Markup:
    """A YAML (JSON-compatible) list of plain strings, each on one line with unprintable code points replaced.

    Not `tojson`: its `\\uXXXX` escapes of characters outside the BMP are surrogate pairs, which YAML refuses.
    """
    return Markup(json.dumps([_printable(value).strip() for value in values], ensure_ascii=False))


def _printable(value: object) -> str:
    """The text on one line (whitespace runs become one space), with unprintable code points replaced."""
    return _SPACE.sub(" ", str(value)).translate(_PRINTABLE)


def relative_link(target: str, here: str) -> str:
    """Link from the page at `here` to the Markdown file `target` (both relative to the docs root).

    Relative links keep working when the site is served from a sub-path or from disk.
    """
    # posixpath.relpath would consult the working directory on every call; these paths are docs-relative.
    source = posixpath.dirname(here).split("/") if "/" in here else []
    parts = target.split("/")
    common = 0
    while common < min(len(source), len(parts) - 1) and source[common] == parts[common]:
        common += 1
    return "/".join([".."] * (len(source) - common) + parts[common:])


# Cyrillic letters as ASCII (the sources are Russian), so `Дозировка` is `dozirovka`, not nothing.
# Accented Latin letters lose their accents first (NFKD), and so do й and ё (и, е).
_TRANSLITERATION = str.maketrans(
    {
        **dict(zip("абвгдезиклмнопрстуфыэіґ", "abvgdeziklmnoprstufyeig", strict=True)),
        **{"ж": "zh", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ю": "iu", "я": "ia", "є": "ie", "ї": "i", "ў": "u", "ъ": "", "ь": ""},
    }
)
_NOT_ANCHOR = re.compile(r"[^a-z0-9]+")


def anchor_id(text: str) -> str:
    """A stable ASCII anchor from a name, e.g. `Spastic diplegia` → `spastic-diplegia`, `Дозировка` → `dozirovka`.

    Different names can give the same anchor (`x.y.txt`, `x-y.txt`), and a script with no
    transliteration gives `section`: a page makes its anchors unique with `PageAnchors`.
    """
    letters = "".join(char for char in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(char))
    return _NOT_ANCHOR.sub("-", letters.translate(_TRANSLITERATION)).strip("-") or "section"


class PageAnchors:
    """The ids of one page: the same key always gets the same id, and no two keys share one.

    The first text to give an anchor keeps it, a later one gets `-2`, `-3`, ...; `reserved` are
    ids the page's template writes itself (`{#dosage}`), never given to a text.
    """

    def __init__(self, reserved: Iterable[str] = ()) -> None:
        self._used = set(reserved)
        self._ids: dict[Hashable, str] = {}

    def __call__(self, key: Hashable, text: str, prefix: str = "") -> str:
        """The id for `key` (e.g. `("note", 2)`), made from `text` the first time it is asked for."""
        if key not in self._ids:
            base = candidate = prefix + anchor_id(text)
            number = 2
            while candidate in self._used:
                candidate, number = f"{base}-{number}", number + 1
            self._used.add(candidate)
            self._ids[key] = candidate
        return self._ids[key]
