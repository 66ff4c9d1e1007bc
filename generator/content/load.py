"""Step 1, load: find every content file and parse it, collecting problems instead of stopping.

Layout: `content/<kind>/<slug>.yaml` (one entity a file), `content/sources.yaml` (the source
registry) and `content/pages/*.md` (hand-written pages with YAML front matter, `index.md` the
home page).

Every file is read the same way (`read_bounded`): only a regular file, or a link to one inside
the content folder, and only up to `MAX_FILE_BYTES`. A named pipe, a socket or a device is
refused from its type without being opened, so nothing an editor leaves in the folder can hang
or exhaust a build; a file or folder that cannot be read is one located problem, not a traceback.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from generator.content.characters import non_ascii_letter, normalise
from generator.content.models import KINDS
from generator.content.names import HOME, reserved_problem
from generator.content.yaml_source import LoadedYaml, YamlProblem, decode_utf8, parse_yaml
from generator.errors import ContentProblem, display_path
from generator.memo import Memo, digest

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
YAML_SUFFIXES = (".yaml", ".yml")
SOURCES_FILE = "sources.yaml"
PAGES_DIR = "pages"
HOME_FILE = f"{HOME}.md"
# Editors' tools leave these behind; they are not content.
IGNORED = re.compile(r"^(\..*|.*~|#.*#|README\.md)$")
# Content files are read whole. The largest real one is under 20 KiB; past this a file is refused
# from its size, before it is read.
MAX_FILE_BYTES = 2 * 1024 * 1024
# A hand-written page: a `---` line, the front matter, a `---` line, the Markdown body.
_FRONT_MATTER_OPEN = re.compile(r"---[ \t]*\n")
_FRONT_MATTER_CLOSE = re.compile(r"^---[ \t]*(?:\n|\Z)", re.M)


@dataclass(frozen=True)
class RawDocument:
    """A parsed YAML document and where it came from."""

    path: Path
    shown_path: str
    doc: LoadedYaml


@dataclass(frozen=True)
class RawEntity(RawDocument):
    """A parsed entity file, not yet validated."""

    kind: str
    slug: str


@dataclass(frozen=True)
class RawPage(RawDocument):
    """A hand-written Markdown page: front matter parsed, body as written (line ends as `\\n`)."""

    slug: str
    body: str
    front: str = ""  # the front matter's text, between the `---` lines
    body_line: int = 1  # the file line the body starts on


@dataclass
class RawContent:
    """Everything found under `content/`, plus the problems met reading it."""

    entities: list[RawEntity] = field(default_factory=list)
    pages: list[RawPage] = field(default_factory=list)
    sources: RawDocument | None = None
    problems: list[ContentProblem] = field(default_factory=list)
    # (kind, slug) of every entity file present, readable or not: a reference to one that failed
    # to load or validate is not also reported as a reference to nothing.
    found: set[tuple[str, str]] = field(default_factory=set)
    unlisted: set[str] = field(default_factory=set)  # kinds whose folder could not be read: any slug may be there
    # The file names in the folder of source documents and that folder as shown; None where there is no folder to check against.
    source_files: frozenset[str] | None = None
    sources_shown: str = ""


class Unreadable(Exception):
    """A content file that cannot be read; the message is `what is wrong (what was expected)`."""


def read_bounded(path: Path) -> bytes:
    """The bytes of the regular file at `path` (links followed), at most MAX_FILE_BYTES.

    Raises Unreadable for anything else: not a regular file, too large, or an OS error (no
    permission, a folder, gone). The file is opened non-blocking, so a named pipe put in its place
    after it was listed is refused from its type, never waited on.
    """
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
        with os.fdopen(descriptor, "rb") as stream:
            info = os.fstat(stream.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise Unreadable(f"is {_type_of(info.st_mode)} (expected a regular file)")
            data = stream.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise Unreadable(f"cannot be read: {error.strerror or error} (expected a readable file)") from None
    if max(len(data), info.st_size) > MAX_FILE_BYTES:
        size = max(len(data), info.st_size)
        raise Unreadable(f"file is {size:,} bytes (expected at most {MAX_FILE_BYTES:,}: a content file is text of a few KiB)")
    return data


def _type_of(mode: int) -> str:
    """What a file system entry is, for a message: `a folder`, `a named pipe (FIFO)`, ..."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a regular file" if stat.S_ISREG(mode) else "not a regular file"


def load_content(content_dir: Path, root: Path, sources_dir: Path | None = None) -> RawContent:
    """Read every content file under `content_dir`, and list `sources_dir` (the source documents,
    see `Project.sources`) if given; never raises for a content mistake."""
    raw = RawContent()
    shown_dir = display_path(content_dir, root)
    if sources_dir is not None:
        raw.sources_shown = Path(os.path.relpath(sources_dir, root)).as_posix()  # `../shared/sources`, as the docs name it
        listed = _entries(sources_dir, raw.sources_shown, raw.problems)
        raw.source_files = frozenset(path.name for path in listed) if listed is not None else None
    if not content_dir.is_dir():
        raw.problems.append(ContentProblem(shown_dir, 1, "(folder)", "content folder is missing (expected content/<kind>/<slug>.yaml files)"))
        return raw
    sources_found = False
    for entry in _entries(content_dir, shown_dir, raw.problems) or []:
        shown = display_path(entry, root)
        if entry.name == SOURCES_FILE:
            sources_found = True
            if _is_content_file(entry, shown, content_dir, True, (".yaml",), raw.problems):
                raw.sources = _read_document(entry, shown, raw.problems)
        elif entry.name == PAGES_DIR and entry.is_dir():
            raw.pages.extend(_load_pages(entry, content_dir, root, raw.problems))
        elif entry.is_dir() and entry.name in KINDS:
            raw.entities.extend(_load_kind(entry, content_dir, root, raw))
        else:
            expected = ", ".join([*KINDS, PAGES_DIR, SOURCES_FILE])
            raw.problems.append(ContentProblem(shown, 1, "(file)", f"not a content kind or known file (expected one of: {expected})"))
    if not sources_found:
        raw.problems.append(ContentProblem(f"{shown_dir}/{SOURCES_FILE}", 1, "(file)", "source registry is missing (expected a list of source documents)"))
    if not os.path.lexists(content_dir / PAGES_DIR / HOME_FILE):
        raw.problems.append(
            ContentProblem(f"{shown_dir}/{PAGES_DIR}/{HOME_FILE}", 1, "(file)", "home page is missing (expected a hand-written page with front matter)")
        )
    if not raw.found and not raw.problems:
        kinds = ", ".join(KINDS)
        raw.problems.append(ContentProblem(shown_dir, 1, "(folder)", f"no content files (expected at least one <kind>/<slug>.yaml, kinds: {kinds})"))
    return raw


def _entries(folder: Path, shown_folder: str, problems: list[ContentProblem]) -> list[Path] | None:
    """The folder's entries, sorted, editor leftovers skipped; None with a problem if it cannot be listed."""
    try:
        names = sorted(os.listdir(folder))
    except OSError as error:
        problems.append(ContentProblem(shown_folder, 1, "(folder)", f"cannot be read: {error.strerror or error} (expected a readable folder)"))
        return None
    return [folder / name for name in names if not IGNORED.match(name)]


def _load_kind(folder: Path, content_dir: Path, root: Path, raw: RawContent) -> list[RawEntity]:
    entities: list[RawEntity] = []
    seen: dict[str, str] = {}
    shown_folder, inside = display_path(folder, root), _inside(folder, content_dir)
    entries = _entries(folder, shown_folder, raw.problems)
    if entries is None:
        raw.unlisted.add(folder.name)
        return entities
    for path in entries:
        shown = f"{shown_folder}/{path.name}"
        if path.suffix in YAML_SUFFIXES:
            raw.found.add((folder.name, path.stem))
        slug = _checked_slug(path, content_dir, inside, shown, YAML_SUFFIXES, folder.name, raw.problems)
        if slug is None:
            continue
        if slug in seen:
            raw.problems.append(ContentProblem(shown, 1, "(slug)", f"duplicate slug {slug!r}, also used by {seen[slug]} (expected one file per slug)"))
            continue
        seen[slug] = shown
        document = _read_document(path, shown, raw.problems)
        if document is not None:
            entities.append(RawEntity(path, shown, document.doc, folder.name, slug))
    return entities


def _load_pages(folder: Path, content_dir: Path, root: Path, problems: list[ContentProblem]) -> list[RawPage]:
    pages: list[RawPage] = []
    shown_folder, inside = display_path(folder, root), _inside(folder, content_dir)
    for path in _entries(folder, shown_folder, problems) or []:
        shown = f"{shown_folder}/{path.name}"
        slug = _checked_slug(path, content_dir, inside, shown, (".md",), None, problems)
        if slug is None:
            continue
        text = _read_text(path, shown, problems)
        if text is None:
            continue
        page = split_page(text)
        if isinstance(page, str):
            problems.append(ContentProblem(shown, 1, "(front matter)", page))
            continue
        front, body, body_line = page
        body = normalise(body)  # as YAML values are: what the lints check is what is published
        doc = _parse(front, shown, problems, line_offset=1)
        if doc is not None:
            pages.append(RawPage(path, shown, doc, slug, body, front, body_line))
    return pages


def split_page(text: str) -> tuple[str, str, int] | str:
    """A page's (front matter, body, line the body starts on), or what is wrong with its front matter.

    Line ends are `\\n` afterwards: a page saved with Windows (CRLF) line ends reads the same.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    opening = _FRONT_MATTER_OPEN.match(text)
    if not opening:
        return "no front matter (expected the file to start with a `---` line, then title, description and review dates, then `---`)"
    closing = _FRONT_MATTER_CLOSE.search(text, opening.end())
    if not closing:
        return "front matter is not closed (expected a `---` line after its fields, then the page's Markdown)"
    return text[opening.end() : closing.start()], text[closing.end() :], text[: closing.end()].count("\n") + 1


def _inside(path: Path, content_dir: Path) -> bool:
    """Whether `path`, symlinks followed, is inside the content folder."""
    return path.resolve().is_relative_to(content_dir.resolve())


def _is_content_file(path: Path, shown: str, content_dir: Path, folder_inside: bool, suffixes: tuple[str, ...], problems: list[ContentProblem]) -> bool:
    """Whether `path` may be read as a content file; if not, a problem says why.

    It must be a regular file (or a link to one) inside the content folder with one of `suffixes`.
    `folder_inside`: the file's folder is inside the content folder, so only a symlinked file
    needs resolving (resolving every file is a tenth of loading a catalogue). Nothing is opened.
    """
    expected = f"expected a {' or '.join(suffixes)} file"
    try:
        mode = path.stat().st_mode
    except OSError as error:
        what = "links to nothing" if path.is_symlink() else f"cannot be read: {error.strerror or error}"
        problems.append(ContentProblem(shown, 1, "(file)", f"{what} ({expected})"))
        return False
    if not stat.S_ISREG(mode):
        problems.append(ContentProblem(shown, 1, "(file)", f"not a content file: {_type_of(mode)} ({expected})"))
        return False
    if path.suffix not in suffixes:
        problems.append(ContentProblem(shown, 1, "(file)", f"not a content file ({expected})"))
        return False
    if not (_inside(path, content_dir) if path.is_symlink() else folder_inside):
        problems.append(ContentProblem(shown, 1, "(file)", "links to a file outside the content folder (expected a regular file)"))
        return False
    return True


def _checked_slug(
    path: Path, content_dir: Path, folder_inside: bool, shown: str, suffixes: tuple[str, ...], kind: str | None, problems: list[ContentProblem]
) -> str | None:
    """The file's slug, or None (with a problem) if the file cannot be a content file of `kind` (None: a page)."""
    if not _is_content_file(path, shown, content_dir, folder_inside, suffixes, problems):
        return None
    slug = path.name[: -len(path.suffix)]
    if not SLUG.match(slug) or len(slug) > 80:
        letter = non_ascii_letter(slug)
        why = f"contains {letter}, which only looks like a Latin letter" if letter else "is not a valid slug"
        expected = f"expected lowercase Latin letters, digits and single hyphens, e.g. my-drug{suffixes[0]}"
        problems.append(ContentProblem(shown, 1, "(slug)", f"file name {slug!r} {why} ({expected})"))
        return None
    if reserved := reserved_problem(kind, slug):
        problems.append(ContentProblem(shown, 1, "(slug)", reserved))
        return None
    return slug


def read_text(path: Path) -> str:
    """A content file's text (bounded, UTF-8); Unreadable or YamlProblem if it cannot be had."""
    return decode_utf8(read_bounded(path))


def _read_bytes(path: Path, shown: str, problems: list[ContentProblem]) -> bytes | None:
    try:
        return read_bounded(path)
    except Unreadable as error:
        problems.append(ContentProblem(shown, 1, "(file)", str(error)))
        return None


def _read_text(path: Path, shown: str, problems: list[ContentProblem]) -> str | None:
    raw = _read_bytes(path, shown, problems)
    if raw is None:
        return None
    try:
        return decode_utf8(raw)
    except YamlProblem as exc:
        problems.append(ContentProblem(shown, exc.line, exc.field, exc.message))
        return None


# Parsed entity and registry files by path and bytes (pages are not memoised: their line numbers are shifted).
_PARSED: Memo[tuple[LoadedYaml | None, list[ContentProblem]]] = Memo()


def _read_document(path: Path, shown: str, problems: list[ContentProblem]) -> RawDocument | None:
    raw = _read_bytes(path, shown, problems)
    if raw is None:
        return None

    def parse() -> tuple[LoadedYaml | None, list[ContentProblem]]:
        found: list[ContentProblem] = []
        return _parse(raw, shown, found), found

    doc, found = _PARSED.get(digest(shown, raw), parse)
    problems.extend(found)
    return RawDocument(path, shown, doc) if doc is not None else None


def _parse(raw: bytes | str, shown: str, problems: list[ContentProblem], line_offset: int = 0) -> LoadedYaml | None:
    """Parse YAML; on problems record them (shifted by `line_offset`) and return None."""
    try:
        doc = parse_yaml(raw)
    except YamlProblem as exc:
        problems.append(ContentProblem(shown, exc.line + line_offset, exc.field, exc.message))
        return None
    for exc in doc.problems:
        problems.append(ContentProblem(shown, exc.line + line_offset, exc.field, exc.message))
    if line_offset:
        doc.lines = {loc: line + line_offset for loc, line in doc.lines.items()}
    return None if doc.problems else doc
