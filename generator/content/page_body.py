"""What a hand-written page's Markdown may hold: Markdown, not HTML, and nothing loaded from elsewhere.

Hand-written pages (`content/pages/*.md`) are the one place an editor writes Markdown instead of
plain text, and Markdown passes raw HTML through to the page. So a page body may hold:

- no raw HTML but the few harmless tags in `ALLOWED_TAGS`, written exactly so (no attributes but
  the home page's card grid): no `<script>`, `<style>`, `<iframe>`, `<img>`, comments, handlers.
  Any `<` followed by a letter, `/`, `!` or `?` counts, wherever it is (in a code span too): a
  scan that tried to tell text from tags the way Markdown does could be told apart from it;
- no image from another site (the site makes no third-party request), no link to anything but a
  page of this site (relative) or an `http(s):`, `mailto:` or `tel:` address, and no attribute
  (`{: onclick=... }`) beyond those Markdown itself writes. These are read from the HTML that
  Python-Markdown, with the extensions of mkdocs.yml, makes of the body: what the site will hold;
- no nesting deeper than `MAX_NESTING` (Python-Markdown recurses per level and crashes far down).

Whether a relative link leads to a page that exists is checked once the site's pages are known
(pages/page_links.py). Each problem is located at its line of the page.
"""

from __future__ import annotations

import contextlib
import functools
import html
import re
import signal
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser

import markdown

from generator.content.characters import character_problem

# Tags a page may use, exactly as written here: line breaks, sub- and superscripts (m², CO₂), and
# Material's card grid on the home page (`md_in_html` reads the Markdown inside it).
ALLOWED_TAGS = ("<br>", "<sub>", "</sub>", "<sup>", "</sup>", '<div class="grid cards" markdown>', "</div>")
# Allowed tags that open a block or a span, which must be closed.
_PAIRED = ("div", "sub", "sup")
_ALLOWED_SHOWN = "<br>, <sub>, <sup>, without attributes; write &lt; for a literal <"
# Schemes a link may use; an image may use none (it must come from the site itself).
LINK_SCHEMES = ("http", "https", "mailto", "tel")
# The Markdown extensions of mkdocs.yml (a test keeps them the same).
MARKDOWN_EXTENSIONS = ("admonition", "attr_list", "md_in_html", "tables", "toc")
# Attributes Markdown writes itself (table alignment as `style`); anything else came from an attribute list.
_ATTRIBUTES = {"id", "class", "href", "src", "alt", "title", "style", "markdown"}
_ALIGNMENT = re.compile(r"text-align: (?:left|right|center);?")
# Markdown nests a list, a quote or an admonition per level of indentation. Real pages nest two or three.
MAX_NESTING = 16

# `<` and a letter, `/`, `!` or `?`: a tag, a comment, a declaration, as far as a `>` or the line's end.
_TAG = re.compile(r"<[A-Za-z/!?][^<>\n]*>?")
# Autolinks, which Markdown turns into links, not tags: <https://...>, <name@example.org>.
_AUTOLINK = re.compile(r"<(?:(?:https?|ftp)://[^<>\s]*|[^<> !]+@[^@<> ]+)>", re.I)
_INDENT = re.compile(r"^[ \t]+", re.M)
_QUOTES = re.compile(r"^[ \t]*(?:>[ \t]*){2,}", re.M)
# Python-Markdown is slow on some text (thousands of `[` in one paragraph take minutes): a page it
# cannot read in this time is refused rather than waited on (MkDocs would wait on it too).
MARKDOWN_SECONDS = 10
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
# What the URL standard removes from a link before reading its scheme: tabs and line breaks anywhere,
# C0 controls and spaces at either end.
_URL_IGNORED = re.compile(r"[\t\n\r]")
_URL_STRIPPED = "".join(map(chr, range(0x21)))


@dataclass(frozen=True)
class Link:
    """A link or image in a page body: the body line it is on (0-based), its URL, and whether it is an image."""

    line: int
    url: str
    image: bool


def body_problems(body: str) -> Iterator[tuple[int, str]]:
    """(0-based body line, `what is wrong (what was expected)`) for everything a page body may not hold."""
    yield from _character_problems(body)
    nesting = list(_nesting_problems(body))
    yield from nesting
    refused: list[re.Match[str]] = []
    yield from _html_problems(body, refused)
    if nesting:
        return  # Markdown would not get through the body
    # What Markdown itself makes of the rest: the refused tags (each already reported) blanked out.
    try:
        elements = _elements(_blanked(body, refused))
    except _TooSlow:
        yield 0, f"Markdown takes more than {MARKDOWN_SECONDS} s to read this page (expected ordinary paragraphs, lists and links)"
        return
    except RecursionError:
        yield 0, f"Markdown nested too deep to read (expected at most {MAX_NESTING} levels of lists, quotes and notes)"
        return
    for link in _links(body, elements):
        if problem := _url_problem(link):
            yield link.line, problem
    for tag, name, value in elements:
        if name not in _ATTRIBUTES or (name == "style" and not _ALIGNMENT.fullmatch(value)):
            yield _line_of(body, f"{name}="), f"attribute {name!r} on <{tag}> is not allowed (expected only #id and .class in an attribute list)"


def links(body: str) -> list[Link]:
    """Every link and image the body makes, as Markdown reads it (reference-style ones included).

    For a body `body_problems` has passed: it reads in time, and holds no raw HTML.
    """
    return _links(body, _elements(body))


def _html_problems(body: str, refused: list[re.Match[str]]) -> Iterator[tuple[int, str]]:
    """One problem per tag name (its first use, with a count of the rest), and one per block left open
    or closed out of turn; every refused tag is added to `refused`."""
    by_name: dict[str, list[re.Match[str]]] = {}
    # Blocks open at this point, and whether each was allowed (an unclosed one swallows the rest of the
    # page; a refused one has its own problem, but its end tag still closes it).
    opened: list[tuple[re.Match[str], bool]] = []
    for match in _TAG.finditer(_blanked(body, list(_AUTOLINK.finditer(body)))):
        tag, name, allowed = match.group(), _name(match.group()), match.group() in ALLOWED_TAGS
        if not allowed:
            refused.append(match)
            by_name.setdefault(name, []).append(match)
        if name not in _PAIRED or tag.endswith("/>"):
            continue
        if not tag.startswith("</"):
            opened.append((match, allowed))
            if len(opened) == MAX_NESTING + 1:
                yield _line(body, match.start()), f"{tag!r} nested more than {MAX_NESTING} deep (expected a page nested a few levels at most)"
        elif not opened:
            yield _line(body, match.start()), f"{tag!r} closes nothing that is open (remove it, or add the opening tag it belongs to)"
        elif _name(opened[-1][0].group()) != name:
            inner = opened.pop()[0].group()
            yield _line(body, match.start()), f"{tag!r} comes while {inner!r} is still open (close that first with '</{_name(inner)}>')"
        else:
            opened.pop()
    for match, allowed in opened:
        if allowed:
            end = f"</{_name(match.group())}>"
            message = f"{match.group()!r} is never closed, so the rest of the page, its footer too, would fall inside it (add '{end}' where it ends)"
            yield _line(body, match.start()), message
    for name, uses in by_name.items():
        tag = uses[0].group().strip()
        shown = tag if len(tag) <= 60 else tag[:57] + "..."
        more = f" (and {len(uses) - 1} more <{name}> tags)" if len(uses) > 1 else ""
        yield _line(body, uses[0].start()), f"raw HTML {shown!r}{more} is not allowed (expected Markdown; the only tags allowed are {_ALLOWED_SHOWN})"


def _name(tag: str) -> str:
    """`div` of `<div class=...>` or `</div>`."""
    return re.match(r"</?([^\s>/]*)", tag).group(1).casefold()  # type: ignore[union-attr]


def _character_problems(body: str) -> Iterator[tuple[int, str]]:
    """Invisible and look-alike characters, one problem per line that has one (see characters.py)."""
    if body.isascii():
        return
    for number, line in enumerate(body.split("\n")):
        if found := character_problem(line):
            yield number, found[1]


def _blanked(text: str, matches: list[re.Match[str]]) -> str:
    """`text` with each match replaced by spaces (lines and positions stay where they were)."""
    pieces, done = [], 0
    for match in matches:
        pieces += [text[done : match.start()], " " * (match.end() - match.start())]
        done = match.end()
    return "".join([*pieces, text[done:]])


def _nesting_problems(body: str) -> Iterator[tuple[int, str]]:
    """The first line nested deeper than MAX_NESTING, by indentation or by quote markers (one deep list is one mistake)."""
    for indent in _INDENT.finditer(body):
        columns = len(indent.group().expandtabs(4))
        if columns > 4 * MAX_NESTING:
            yield _line(body, indent.start()), f"line is indented {columns} columns (expected at most {4 * MAX_NESTING}: lists and quotes nested a few levels)"
            return
    for quotes in _QUOTES.finditer(body):
        if quotes.group().count(">") > MAX_NESTING:
            yield _line(body, quotes.start()), f"quote nested {quotes.group().count('>')} deep (expected at most {MAX_NESTING})"
            return


class _Elements(HTMLParser):
    """Every (tag, attribute, value) of an HTML fragment, entities decoded."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found += [(tag, name, value or "") for name, value in attrs]


class _TooSlow(Exception):
    """Python-Markdown took longer than MARKDOWN_SECONDS."""


@functools.lru_cache(maxsize=64)  # `check` reads a page for its problems, then for its links
def _elements(body: str) -> list[tuple[str, str, str]]:
    """(tag, attribute, value) of every element Python-Markdown makes of the body, as MkDocs would."""
    parser = _Elements()
    with _time_limit(MARKDOWN_SECONDS):
        parser.feed(markdown.markdown(body, extensions=list(MARKDOWN_EXTENSIONS)))
    parser.close()
    return parser.found


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Raise _TooSlow in the block after `seconds` (main thread only: elsewhere, e.g. in `serve`, no limit)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise _TooSlow

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _links(body: str, elements: list[tuple[str, str, str]]) -> list[Link]:
    found = []
    after: dict[str, int] = {}  # a URL written twice: the second link is on the line of the second one
    for tag, name, value in elements:
        if (tag, name) in (("a", "href"), ("img", "src")):
            line, after[value] = _find(body, value, after.get(value, 0))
            found.append(Link(line, value, tag == "img"))
    return found


def _line(text: str, position: int) -> int:
    return text.count("\n", 0, position)


def _line_of(body: str, written: str) -> int:
    """The body line `written` (a URL, an attribute) first appears on; the first line if it is written otherwise (escaped)."""
    return _find(body, written, 0)[0]


def _find(body: str, written: str, start: int) -> tuple[int, int]:
    """(line, where to look for the next one) of `written` from `start` on; (0, start) if it is not there as written."""
    for form in (written, html.escape(written, quote=False), written.replace(" ", "%20")):
        position = body.find(form, start)
        if position != -1:
            return _line(body, position), position + 1
    lines = body[start:].split("\n")
    for number, line in enumerate(lines):  # written with entities (`java&#x09;script:`): found once they are decoded
        if "&" in line and written in html.unescape(line):
            position = start + sum(len(before) + 1 for before in lines[:number])
            return _line(body, position), position + len(line) + 1
    return 0, start


def _url_problem(link: Link) -> str | None:
    """Why a link's or image's URL may not be used, or None."""
    # As a browser reads it: tabs and line breaks anywhere dropped, controls and spaces around it stripped
    # (`java&#x09;script:` is `javascript:`; entities are already decoded, as the browser decodes them).
    url = _URL_IGNORED.sub("", link.url).strip(_URL_STRIPPED)
    scheme = _SCHEME.match(url)
    if link.image and (scheme or url.startswith("//")):
        return f"image {url!r} loads from another site (expected no images from elsewhere: the site makes no third-party requests)"
    if url.startswith("//"):
        return f"link {url!r} has no scheme (expected https://... for another site, or a link to a page of this site)"
    if scheme and scheme.group(1).lower() not in LINK_SCHEMES:
        return f"link to a {scheme.group(1)}: address (expected a page of this site, or an {', '.join(f'{s}:' for s in LINK_SCHEMES)} address)"
    if url.startswith("/"):
        return f"link {url!r} is absolute (expected a link relative to this page, e.g. drugs/index.md)"
    return None
