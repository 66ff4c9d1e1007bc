"""The last gate of every build: no page may make a reader's browser request another host.

The site promises readers no third-party requests. Content cannot break that promise (a
hand-written page may not load an image from elsewhere: `content/page_body.py`), but one line of
configuration can: `theme.font` in mkdocs.yml makes Material load Google Fonts on every page,
`extra_javascript` a script from a CDN, `repo_url` the repository's facts from its host,
`extra.analytics` a tracker. So every build (site, offline bundle, preview, serve) reads the HTML
and CSS the engine wrote, before the new site is swapped in, and refuses it with one line per
cause, naming the first page, the address and the likely cause.

A request is what a browser fetches by itself: `src`, `srcset`, `data` and `poster` attributes,
a `<link>` that loads something (stylesheet, preload, preconnect, icon, manifest...), `url()` and
`@import` in CSS (files, `<style>` blocks and `style` attributes), an address in an inline script,
and Material's repository widget. A link a reader clicks (`<a href>`, `<link rel=canonical>`) is
not. Any address that names a host (`https://...`, `//...`) counts: the site's own files are
addressed relatively, and the offline bundle must work with no network at all.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from generator.errors import ContentError, ContentProblem
from generator.files import atomic_write_bytes
from generator.parallel import fork_map

# An address that names a host: scheme://host or //host.
_HOSTED = r"(?:[a-zA-Z][a-zA-Z0-9+.-]*:)?//[^\s\"'()<>]+"
# Only tags with `//` inside are looked at closely: a page has a few, among thousands of tags.
_TAG = re.compile(r"<([a-zA-Z][\w:-]*)(\s[^>]*)>")
_ATTRIBUTE = re.compile(r"""\s([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
# Attributes whose address the browser fetches itself, on any element.
_FETCHED = frozenset({"src", "srcset", "imagesrcset", "data", "poster", "background"})
# `<link rel=...>` values that only describe a relation; every other rel loads what `href` names.
_RELATION_ONLY = frozenset(
    {"alternate", "author", "bookmark", "canonical", "external", "help", "license", "me", "next", "nofollow", "noopener", "noreferrer", "prev", "tag"}
)
# SVG elements whose `href` is fetched.
_SVG_FETCHED = frozenset({"image", "use", "feimage"})
_CSS_ADDRESS = re.compile(rf"""(?:url\(\s*["']?|@import\s+["'])\s*({_HOSTED})""", re.I)
_STYLE_BLOCK = re.compile(r"<style\b[^>]*>(.*?)</style>", re.S | re.I)
_SCRIPT_ADDRESS = re.compile(rf"""["'`]({_HOSTED})""")
# Material's repository widget (`repo_url`) fetches the repository's facts from its host's API.
_REPOSITORY_WIDGET = re.compile(r"<a\b[^>]*data-md-component=\"source\"[^>]*>")
_HREF = re.compile(r"""\shref=["']?([^"'\s>]+)""")

# Requests one setting makes, by host: the setting, the line that sets it, and what it does when no line does.
_SETTINGS = {
    "fonts.googleapis.com": ("theme.font", r"^\s+font:", "Material loads Google Fonts unless it is false"),
    "fonts.gstatic.com": ("theme.font", r"^\s+font:", "Material loads Google Fonts unless it is false"),
    "www.googletagmanager.com": ("extra.analytics", r"^\s+analytics:", "Material loads Google Analytics"),
    "unpkg.com": ("extra.polyfills", r"^\s+polyfills:", "the offline plugin loads its worker shim from a CDN unless it names a local copy"),
    "repo_url": ("repo_url", r"^repo_url:", "Material fetches the repository's facts from its host"),
}
# Past this length an address is shortened in the message.
_SHOWN_ADDRESS = 90


@dataclass(frozen=True)
class Request:
    """A request to another host: in which file, at which character, by what (`<link rel=stylesheet> href`), to which address."""

    file: str  # relative to the site folder
    offset: int
    by: str
    address: str
    setting: str = ""  # a key of _SETTINGS when the way it is made says which setting caused it (`repo_url`)


def requests_in_html(text: str, file: str = "") -> Iterator[Request]:
    """Every request to another host a page makes."""
    for tag in _tags_with_addresses(text):
        name = tag.group(1).lower()
        attributes = {m.group(1).lower(): (m.group(2) or m.group(3) or m.group(4) or "", m.start(1)) for m in _ATTRIBUTE.finditer(tag.group(2))}
        where = tag.start(2)
        rel = attributes.get("rel", ("", 0))[0].lower().split()
        for attribute, (value, offset) in attributes.items():
            fetched = attribute in _FETCHED
            if attribute in ("href", "xlink:href"):
                fetched = (name == "link" and not set(rel) <= _RELATION_ONLY) or name in _SVG_FETCHED
            if fetched:
                shown = f"<{name} rel={' '.join(rel)}> {attribute}" if name == "link" else f"<{name}> {attribute}"
                for address in re.findall(_HOSTED, value):
                    yield Request(file, where + offset, shown, address)
            elif attribute == "style":
                for match in _CSS_ADDRESS.finditer(value):
                    yield Request(file, where + offset, f"<{name}> style", match.group(1))
    for block in _STYLE_BLOCK.finditer(text) if "<style" in text else ():
        for match in _CSS_ADDRESS.finditer(block.group(1)):
            yield Request(file, block.start(1) + match.start(), "<style>", match.group(1))
    for body_start, body_end in _inline_scripts(text):
        for match in _SCRIPT_ADDRESS.finditer(text, body_start, body_end):
            yield Request(file, match.start(), "<script> (inline)", match.group(1))
    for widget in _REPOSITORY_WIDGET.finditer(text) if 'data-md-component="source"' in text else ():
        href = _HREF.search(widget.group(0))
        if href and re.match(_HOSTED, href.group(1)):
            yield Request(file, widget.start(), '<a data-md-component="source">', href.group(1), setting="repo_url")


def _tags_with_addresses(text: str) -> Iterator[re.Match[str]]:
    """The start tags with `//` inside, found from each `//` back to its `<`: much faster than matching every tag."""
    done = 0
    at = text.find("//")
    while at != -1:
        start = text.rfind("<", done, at)
        if start != -1 and text.find(">", start, at) == -1 and (tag := _TAG.match(text, start)):
            yield tag
            done = tag.end()
        at = text.find("//", max(at + 2, done))


def _inline_scripts(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of the body of every script that runs and has no `src` (JSON-LD and Material's config are data)."""
    at = text.find("<script")
    while at != -1:
        opened = text.find(">", at)
        closed = text.find("</script>", opened)
        if opened == -1 or closed == -1:
            return
        attributes = text[at:opened].lower()
        if "json" not in attributes and "src=" not in attributes:
            yield opened + 1, closed
        at = text.find("<script", closed)


def requests_in_css(text: str, file: str = "") -> Iterator[Request]:
    """Every request to another host a stylesheet makes (`url()`, `@import`)."""
    for match in _CSS_ADDRESS.finditer(text):
        yield Request(file, match.start(), "url()" if match.group(0).lower().startswith("url") else "@import", match.group(1))


def site_requests(site_dir: Path, written_since: float | None = None, clean: frozenset[str] = frozenset()) -> tuple[list[Request], set[str]]:
    """Every request to another host in the pages and stylesheets under `site_dir`, and the digests of the files that make none.

    Only files written since `written_since` are read, if given; a file whose digest is in `clean`
    (found clean before) is not read again. Read on every core: a catalogue of 1,000 drugs is some
    200 MB of HTML.
    """
    files = [path for path in sorted(site_dir.rglob("*")) if path.suffix in (".html", ".css")]
    files = [path for path in files if written_since is None or path.stat().st_mtime >= written_since]

    def scan(index: int) -> tuple[str, list[Request]]:
        path = files[index]
        data = path.read_bytes()
        key = hashlib.blake2b(data, digest_size=16).hexdigest()
        if key in clean:
            return key, []
        read = requests_in_html if path.suffix == ".html" else requests_in_css
        return key, list(read(data.decode("utf-8", errors="replace"), path.relative_to(site_dir).as_posix()))

    found: list[Request] = []
    passed = set()
    for key, requests in fork_map(scan, len(files)):
        found += requests
        if not requests:
            passed.add(key)
    return found, passed


def refuse_requests(site_dir: Path, shown_as: str, searched: list[Path], memo: Path | None = None) -> None:
    """Raise ContentError, one line per cause, if a page or stylesheet under `site_dir` requests another host.

    `shown_as` is how the site's folder is named in the lines (`site`, `preview/pr-3`); `searched`
    are the files the cause is looked for in (`cause_files`). `memo` keeps the digests of the files
    found clean, so the next build reads only what changed (a warm build of a large catalogue
    changes few pages); it is tied to this module's source, so a change to the rules checks all.
    """
    rules = hashlib.blake2b(Path(__file__).read_bytes(), digest_size=16).hexdigest()
    stored = memo.read_text(encoding="utf-8").split() if memo and memo.is_file() else []
    found, clean = site_requests(site_dir, clean=frozenset(stored[1:]) if stored[:1] == [rules] else frozenset())
    if memo:
        memo.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(memo, "\n".join([rules, *sorted(clean)]).encode())
    if found:
        raise ContentError(request_problems(found, site_dir, shown_as, searched))


def cause_files(config_file: Path, overrides: Path) -> list[Path]:
    """Where a request's cause can be: the engine config, the configs it inherits, the theme overrides."""
    files = [config_file]
    while inherited := re.search(r"^INHERIT:\s*(\S+)", files[-1].read_text(encoding="utf-8"), re.M):
        files.append(files[-1].parent / inherited.group(1))
    return files + sorted(path for path in overrides.rglob("*") if path.is_file())


def request_problems(found: list[Request], site_dir: Path, shown_as: str, searched: list[Path]) -> list[ContentProblem]:
    """One line per cause: the first page (the home page if it is one), its line, the address, how many files do the same."""
    by_cause: dict[str, list[Request]] = {}
    for request in found:
        by_cause.setdefault(_likely_cause(request, searched), []).append(request)
    problems = []
    for cause, requests in by_cause.items():
        first = min(requests, key=lambda r: (r.file != "index.html", r.file.count("/"), r.file, r.offset))
        text = (site_dir / first.file).read_text(encoding="utf-8", errors="replace")
        line = text.count("\n", 0, first.offset) + 1
        address = first.address if len(first.address) <= _SHOWN_ADDRESS else first.address[: _SHOWN_ADDRESS - 3] + "..."
        others = len({r.file for r in requests} - {first.file})
        also = f", and so do {others} other files" if others > 1 else ", and so does 1 other file" if others else ""
        expected = "expected no request to another host: remove the setting, or self-host the file and link it relatively"
        message = f"requests {address} from another host{also} (likely cause: {cause}; {expected})"
        problems.append(ContentProblem(f"{shown_as}/{first.file}", line, first.by, message))
    return sorted(problems)


def _likely_cause(request: Request, searched: list[Path]) -> str:
    """The setting that most likely made the request, at its line if one sets it; else the line of a file naming its host."""
    host = urlsplit(request.address if "://" in request.address else f"http:{request.address}").hostname or request.address
    known = _SETTINGS.get(request.setting or host)
    needle = re.compile(known[1] if known else re.escape(host), re.M)
    for path in searched:
        text = path.read_text(encoding="utf-8", errors="replace")
        if match := needle.search(text):
            shown = path.relative_to(searched[0].parent).as_posix() if path.is_relative_to(searched[0].parent) else path.as_posix()
            where = f"{shown} line {text.count(chr(10), 0, match.start()) + 1}"
            return f"{known[0]} in {where}: {known[2]}" if known else f"{where}, which names {host}"
    return f"{known[0]} in {searched[0].name}: {known[2]}" if known else f"a setting or theme template that names {host}"
