"""Search documents from a page's Markdown, not from its HTML.

Every page the site renders is Markdown this project wrote (or an editor wrote, for hand-written
pages), so its search documents can be read off that Markdown: the page itself (its title and the
lead text before the first `##` heading, i.e. its summary) and one document per heading (the
heading, its anchor and the plain text under it). The key safety box is a `##` section, so it is a
document of its own, as each section is. Engine-neutral: the MkDocs hook turns these into
Material's index entries (`engines/mkdocs_hooks.py`) and `search_shards.py` into the sharded index.

Anchors are the ids the HTML headings get: an explicit `{#id}` where the template gives one,
otherwise Python-Markdown's `toc` slug of the heading text, made unique on the page the same way.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
EXPLICIT_ID = re.compile(r"\s*\{\s*#([\w-]+)[^}]*\}\s*$")
FENCE = re.compile(r"^\s*(```|~~~)")
# `{: .search-exclude }` after a paragraph keeps it out of search (Material's `data-search-exclude`, for
# the Markdown): a page's lead stays its summary though the page then says what it rests on.
SEARCH_EXCLUDE = re.compile(r"^[ \t]*\{:[^}\n]*\.search-exclude\b[^}\n]*\}[ \t]*$")
# An id set on a block: `<div id="note-x">` in a template, `{: #x }` in an attribute list.
_SET_ID = re.compile(r'\bid="([^"]+)"|\{:?[ \t]*#([\w-]+)[^}\n]*\}')

# Markdown and HTML syntax stripped to leave what a reader reads, in the order applied, each only
# where its literal occurs (most sections have no table, link or admonition; scanning costs).
# `[ \t]`, not `\s`, at line starts: `\s` would try every following line too.
_STRIP: list[tuple[str, re.Pattern[str], str]] = [
    ("{", re.compile(r"^[ \t]*\{:[^}\n]*\}[ \t]*$", re.M), ""),  # attribute-list lines
    ("{", re.compile(r"\{:?[ \t]*[#.][^}\n]*\}"), ""),  # inline attribute lists
    ("<", re.compile(r"<[^>]+>"), " "),  # HTML tags (the text between them stays)
    ("!!!", re.compile(r'^[ \t]*!!![ \t]*[\w-]+(?:[ \t]+"([^"\n]*)")?[ \t]*$', re.M), r"\1"),  # admonition: its title
    ("](", re.compile(r"!?\[([^\]]*)\]\([^)]*\)"), r"\1"),  # links: their text; images: their alt text
    ("---", re.compile(r"^[ \t]*\|?[ \t]*:?-{3,}.*$", re.M), ""),  # table separator rows
    ("", re.compile(r"^[ \t]*(?:[-+*]|\d+\.)[ \t]+", re.M), ""),  # list markers
    ("_", re.compile(r"(?<!\w)_+|_+(?!\w)"), ""),  # underscore emphasis (not snake_case)
]
# Removed wherever they are: emphasis, code and table-cell marks (str.replace is much faster).
_MARKS = {"*": "", "`": "", "|": " "}


@dataclass(frozen=True)
class SearchEntry:
    """One search document of a page: `anchor` "" is the page itself."""

    anchor: str
    title: str
    text: str


def plain_text(markdown: str) -> str:
    """The text a reader reads in a piece of Markdown, on one line."""
    for literal, pattern, replacement in _STRIP:
        if literal in markdown:
            markdown = pattern.sub(replacement, markdown)
    for mark, replacement in _MARKS.items():
        markdown = markdown.replace(mark, replacement)
    return " ".join(html.unescape(markdown).split())


def slugify(text: str) -> str:
    """Python-Markdown's `toc` slug (its default `slugify`): the id a heading without `{#id}` gets."""
    text = unicodedata.normalize("NFKD", plain_text(text)).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^\w\s-]", "", text).strip().lower()
    return re.sub(r"[-\s]+", "-", text)


def page_entries(markdown: str, title: str) -> list[SearchEntry]:
    """The page's own document, then one per heading, in page order.

    `markdown` is the page without its front matter; `title` is the page's title (front matter or
    navigation), used when the page does not open with a `#` heading.
    """
    sections: list[tuple[str, str, list[str]]] = [("", title, [])]
    seen: set[str] = set()
    in_fence = False
    for line in markdown.splitlines():
        if ("```" in line or "~~~" in line) and FENCE.match(line):
            in_fence = not in_fence
        match = None if in_fence or line[:1] != "#" else HEADING.match(line)
        if match is None and not in_fence and SEARCH_EXCLUDE.match(line):
            lines = sections[-1][2]  # the paragraph it marks: back to the blank line before it
            while lines and lines[-1].strip():
                lines.pop()
            continue
        if match is None:
            sections[-1][2].append(line)
            continue
        level, heading = len(match.group(1)), match.group(2)
        explicit = EXPLICIT_ID.search(heading)
        heading = EXPLICIT_ID.sub("", heading)
        if level == 1 and len(sections) == 1 and not "".join(sections[0][2]).strip():
            sections[0] = ("", _heading_text(heading) or title, [])  # the page's own title
            continue
        anchor = explicit.group(1) if explicit else _unique(slugify(heading), seen)
        seen.add(anchor)
        sections.append((anchor, _heading_text(heading), []))
    return [SearchEntry(anchor, heading, plain_text("\n".join(lines))) for anchor, heading, lines in sections]


def anchor_ids(markdown: str) -> set[str]:
    """Every id a link's `#fragment` can reach on a page: each heading's, as `page_entries` gives it
    (and the page's own `#` heading), and each id an HTML block or an attribute list sets."""
    ids = {entry.anchor for entry in page_entries(markdown, "")[1:]}
    first = next((HEADING.match(line) for line in markdown.splitlines() if line.startswith("# ")), None)
    if first:
        explicit = EXPLICIT_ID.search(first.group(2))
        ids.add(explicit.group(1) if explicit else slugify(EXPLICIT_ID.sub("", first.group(2))))
    return ids | {html_id or listed for html_id, listed in _SET_ID.findall(markdown)}


def _heading_text(heading: str) -> str:
    """A heading's text; a leading `1. ` is part of the heading, not a list marker."""
    number = re.match(r"\d+\.\s+", heading)
    lead = number.group(0) if number else ""
    return lead + plain_text(heading[len(lead) :])


def _unique(slug: str, seen: set[str]) -> str:
    """`toc`'s `unique`: a repeated id gets `_1`, `_2`, …"""
    candidate, n = slug, 0
    while candidate in seen:
        n += 1
        candidate = f"{slug}_{n}"
    return candidate
