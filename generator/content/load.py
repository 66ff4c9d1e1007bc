"""Step 1, load: find every content file and parse it, collecting problems instead of stopping.

Layout: `content/<kind>/<slug>.yaml` (one entity a file), `content/sources.yaml` (the source
registry) and `content/pages/*.md` (hand-written pages with YAML front matter).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from generator.content.models import KINDS
from generator.content.yaml_source import LoadedYaml, YamlProblem, decode_utf8, parse_yaml
from generator.errors import ContentProblem, display_path
from generator.memo import Memo, digest

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
YAML_SUFFIXES = (".yaml", ".yml")
SOURCES_FILE = "sources.yaml"
PAGES_DIR = "pages"
# Editors' tools leave these behind; they are not content.
IGNORED = re.compile(r"^(\..*|.*~|#.*#|README\.md)$")


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
    """A hand-written Markdown page: front matter parsed, body as written."""

    slug: str
    body: str


@dataclass
class RawContent:
    """Everything found under `content/`, plus the problems met reading it."""

    entities: list[RawEntity] = field(default_factory=list)
    pages: list[RawPage] = field(default_factory=list)
    sources: RawDocument | None = None
    problems: list[ContentProblem] = field(default_factory=list)


def load_content(content_dir: Path, root: Path) -> RawContent:
    """Read every content file under `content_dir`; never raises for a content mistake."""
    raw = RawContent()
    if not content_dir.is_dir():
        raw.problems.append(
            ContentProblem(display_path(content_dir, root), 1, "(folder)", "content folder is missing (expected content/<kind>/<slug>.yaml files)")
        )
        return raw
    for entry in sorted(content_dir.iterdir()):
        shown = display_path(entry, root)
        if IGNORED.match(entry.name):
            continue
        if entry.name == SOURCES_FILE:
            raw.sources = _read_document(entry, shown, raw.problems)
        elif entry.name == PAGES_DIR and entry.is_dir():
            raw.pages.extend(_load_pages(entry, content_dir, root, raw.problems))
        elif entry.is_dir() and entry.name in KINDS:
            raw.entities.extend(_load_kind(entry, content_dir, root, raw.problems))
        else:
            expected = ", ".join([*KINDS, PAGES_DIR, SOURCES_FILE])
            raw.problems.append(ContentProblem(shown, 1, "(file)", f"not a content kind or known file (expected one of: {expected})"))
    if raw.sources is None:
        raw.problems.append(
            ContentProblem(display_path(content_dir / SOURCES_FILE, root), 1, "(file)", "source registry is missing (expected a list of source documents)")
        )
    return raw


def _load_kind(folder: Path, content_dir: Path, root: Path, problems: list[ContentProblem]) -> list[RawEntity]:
    entities: list[RawEntity] = []
    seen: dict[str, str] = {}
    shown_folder, inside = display_path(folder, root), _inside(folder, content_dir)
    for path in sorted(folder.iterdir()):
        shown = f"{shown_folder}/{path.name}"
        if IGNORED.match(path.name):
            continue
        slug = _checked_slug(path, content_dir, inside, shown, YAML_SUFFIXES, problems)
        if slug is None:
            continue
        if slug in seen:
            problems.append(ContentProblem(shown, 1, "(slug)", f"duplicate slug {slug!r}, also used by {seen[slug]} (expected one file per slug)"))
            continue
        seen[slug] = shown
        document = _read_document(path, shown, problems)
        if document is not None:
            entities.append(RawEntity(path, shown, document.doc, folder.name, slug))
    return entities


def _load_pages(folder: Path, content_dir: Path, root: Path, problems: list[ContentProblem]) -> list[RawPage]:
    pages: list[RawPage] = []
    shown_folder, inside = display_path(folder, root), _inside(folder, content_dir)
    for path in sorted(folder.iterdir()):
        shown = f"{shown_folder}/{path.name}"
        if IGNORED.match(path.name):
            continue
        slug = _checked_slug(path, content_dir, inside, shown, (".md",), problems)
        if slug is None:
            continue
        text = _read_text(path, shown, problems)
        if text is None:
            continue
        match = re.match(r"\A---\n(.*?\n)---\n(.*)\Z", text, re.S)
        if not match:
            problems.append(ContentProblem(shown, 1, "(front matter)", "no front matter (expected a `---` block with title, description and review dates)"))
            continue
        doc = _parse(match.group(1), shown, problems, line_offset=1)
        if doc is not None:
            pages.append(RawPage(path, shown, doc, slug, match.group(2)))
    return pages


def _inside(path: Path, content_dir: Path) -> bool:
    """Whether `path`, symlinks followed, is inside the content folder."""
    return path.resolve().is_relative_to(content_dir.resolve())


def _checked_slug(path: Path, content_dir: Path, folder_inside: bool, shown: str, suffixes: tuple[str, ...], problems: list[ContentProblem]) -> str | None:
    """The file's slug, or None (with a problem) if the file cannot be a content file.

    `folder_inside`: the file's folder is inside the content folder, so only a symlinked file
    needs resolving (resolving every file is a tenth of loading a catalogue).
    """
    if not path.is_file() or path.suffix not in suffixes:
        problems.append(ContentProblem(shown, 1, "(file)", f"not a content file (expected a {' or '.join(suffixes)} file)"))
        return None
    if not (_inside(path, content_dir) if path.is_symlink() else folder_inside):
        problems.append(ContentProblem(shown, 1, "(file)", "links to a file outside the content folder (expected a regular file)"))
        return None
    slug = path.name[: -len(path.suffix)]
    if not SLUG.match(slug) or len(slug) > 80:
        problems.append(
            ContentProblem(
                shown, 1, "(slug)", f"file name {slug!r} is not a valid slug (expected lowercase letters, digits and single hyphens, e.g. my-drug{suffixes[0]})"
            )
        )
        return None
    return slug


def _read_text(path: Path, shown: str, problems: list[ContentProblem]) -> str | None:
    try:
        return decode_utf8(path.read_bytes())
    except YamlProblem as exc:
        problems.append(ContentProblem(shown, exc.line, exc.field, exc.message))
        return None


# Parsed entity and registry files by path and bytes (pages are not memoised: their line numbers are shifted).
_PARSED: Memo[tuple[LoadedYaml | None, list[ContentProblem]]] = Memo()


def _read_document(path: Path, shown: str, problems: list[ContentProblem]) -> RawDocument | None:
    raw = path.read_bytes()

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
