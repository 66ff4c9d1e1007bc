"""PR previews: the site built for a sub-path, with a banner and a list of the pages the PR changes.

Editors review content, not YAML diffs, so the list compares *rendered* pages: the base ref is
rendered with its own generator (from `git archive`) and compared page by page with this tree.
A changed entity page whose `changes:` list gained no note is flagged, so the reviewer decides
whether readers should be told what changed.
"""

from __future__ import annotations

import datetime
import html
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

import yaml

from generator.content.catalogue import Catalogue
from generator.deliverables.site import build_site
from generator.pages.generate import Generated, check
from generator.pages.markdown import inert
from generator.pages.render import render_site, view_path
from generator.project import Project

CHANGES_PAGE = "preview-changes.md"
# What the banner in site-overrides/main.html prints where the commit goes; replaced in the built
# pages (`name_commit`), not given to the engine, so every page's cached HTML stays valid across pushes.
COMMIT_MARKER = "@@preview-commit@@"
ENTITY_SUFFIXES = (".yaml", ".yml")

# One change note as compared across refs: (date YYYY-MM-DD, note text).
Note = tuple[str, str]


@dataclass
class PageChanges:
    """Rendered pages added, changed and removed relative to the base, by path, with titles."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    titles: dict[str, str] = field(default_factory=dict)
    # Changed entity pages whose change notes gained no entry.
    unnoted: list[str] = field(default_factory=list)
    # Removed pages whose address now redirects (a renamed entity's `renamed_from`): old path → new path.
    redirected: dict[str, str] = field(default_factory=dict)


@dataclass
class Rendering:
    """A ref's rendered pages (path → Markdown) and each entity's change notes by (kind, slug)."""

    pages: dict[str, str]
    notes: Mapping[tuple[str, str], set[Note]] = field(default_factory=dict)


class BaseNotes(Mapping[tuple[str, str], set[Note]]):
    """Each entity's change notes in the base, parsed from its YAML when first asked for: only the
    entities whose pages changed are (parsing all of them was most of a preview at catalogue scale)."""

    def __init__(self, sources: dict[tuple[str, str], bytes]) -> None:
        self._sources = sources
        self._parsed: dict[tuple[str, str], set[Note]] = {}

    def __getitem__(self, key: tuple[str, str]) -> set[Note]:
        if key not in self._parsed:
            self._parsed[key] = _notes_of(self._sources[key])
        return self._parsed[key]

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self._sources)

    def __len__(self) -> int:
        return len(self._sources)


class PreviewError(Exception):
    """The base could not be read or rendered."""


def compare(base: dict[str, str], head: dict[str, str]) -> PageChanges:
    """What differs between two renderings (path → Markdown)."""
    changes = PageChanges(
        added=sorted(head.keys() - base.keys()),
        changed=sorted(p for p in head.keys() & base.keys() if head[p] != base[p]),
        removed=sorted(base.keys() - head.keys()),
    )
    for pages in (base, head):
        changes.titles.update({path: _title(text) or path for path, text in pages.items()})
    return changes


class RefRender:
    """The site at git `ref` rendered by that ref's own generator, in a process of its own: started
    here, collected by `result()`, so this checkout can be checked and rendered meanwhile. `close()`
    stops it and removes its files (`result()` does too)."""

    def __init__(self, project: Project, ref: str) -> None:
        self.ref = ref
        archive = subprocess.run(["git", "archive", ref, "generator", "content"], cwd=project.root, capture_output=True, check=False)
        if archive.returncode != 0:
            raise PreviewError(f"cannot read {ref!r} from git: {archive.stderr.decode(errors='replace').strip()}")
        self._folder = tempfile.TemporaryDirectory()
        self._tree = Path(self._folder.name)
        with tarfile.open(fileobj=BytesIO(archive.stdout)) as tar:
            tar.extractall(self._tree, filter="data")
        command = [sys.executable, "-m", "generator", "render", "--out", str(self._tree / "out")]
        self._process = subprocess.Popen(command, cwd=self._tree, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)

    def result(self) -> Rendering:
        """The base's pages and change notes (PreviewError if it did not render)."""
        try:
            _, stderr = self._process.communicate()
            if self._process.returncode != 0:
                raise PreviewError(f"the content at {self.ref!r} does not render:\n{stderr.strip()}")
            out = self._tree / "out"
            pages = {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8") for p in sorted(out.rglob("*.md"))}
            return Rendering(pages, _notes_in(self._tree / "content"))
        finally:
            self.close()

    def close(self) -> None:
        if self._process.poll() is None:
            self._process.kill()
            self._process.communicate()
        self._folder.cleanup()


def render_ref(project: Project, ref: str) -> Rendering:
    """The Markdown pages of the site at git `ref`, rendered by that ref's own generator, and its change notes."""
    return RefRender(project, ref).result()


def _notes_in(content: Path) -> BaseNotes:
    """Every entity's change notes in a content folder that rendered (so it parses), read from the YAML
    as it is when asked for: the base may predate `changes:` or use other models."""
    return BaseNotes({(path.parent.name, path.stem): path.read_bytes() for path in sorted(content.glob("*/*")) if path.suffix in ENTITY_SUFFIXES})


def _notes_of(source: bytes) -> set[Note]:
    """The change notes in one entity's YAML (libyaml's safe loader where PyYAML has it)."""
    data = yaml.load(source.decode("utf-8-sig"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # a safe loader
    changes = data.get("changes") if isinstance(data, dict) else None
    items = changes if isinstance(changes, list) else []
    return {(str(c.get("date")), str(c.get("note", "")).strip()) for c in items if isinstance(c, dict)}


def flag_unnoted(changes: PageChanges, base_notes: Mapping[tuple[str, str], set[Note]], catalogue: Catalogue) -> None:
    """Mark the changed entity pages (its page and its further views, such as a drug's professional
    page) whose entity gained no change note since the base."""
    entities = {}
    for entity in catalogue.all():
        path = catalogue.path_of(entity)
        entities.update({page: entity for page in (path, *(view_path(path, view) for view in entity.views))})
    for path in changes.changed:
        entity = entities.get(path)
        if entity is None:
            continue
        head = {(change.date.isoformat(), change.note) for change in entity.changes}
        if not head - base_notes.get((entity.kind, catalogue.slug_of(entity)), set()):
            changes.unnoted.append(path)


def changes_markdown(changes: PageChanges, pr: int, base_ref: str, commit: str) -> str:
    """The preview's "pages this PR changes" page."""
    lines = [
        "---",
        'title: "Pages changed by this pull request"',
        f'description: "Pages that pull request {pr} adds, changes or removes compared with {inert(base_ref)}."',
        "---",
        "",
        "# Pages changed by this pull request",
        "",
        f"Pull request {pr} at commit {inert(commit)} compared with {inert(base_ref)}, page by page as readers see them.",
        "",
    ]
    if changes.unnoted:
        lines += [
            f"**{len(changes.unnoted)} of the changed pages gained no change note** (marked below). Readers see a page's change notes"
            " at its foot and on Recent changes: if what changed matters to them, add a dated note under `changes:` in the page's"
            " content file; a wording fix or a change made elsewhere (a linked page, a template) may need none.",
            "",
        ]
    for heading, paths, linked in (("Added", changes.added, True), ("Changed", changes.changed, True), ("Removed", changes.removed, False)):
        lines += [f"## {heading} ({len(paths)})", ""]
        for path in paths:
            title = inert(changes.titles[path])
            flag = ": **no new change note**" if path in changes.unnoted else ""
            if linked:
                lines.append(f"- [{title}]({path}){flag}")
            elif path in changes.redirected:
                new = changes.redirected[path]
                lines.append(f"- {title} ({inert(path)}): its address now redirects to [{inert(changes.titles[new])}]({new})")
            else:
                lines.append(f"- {title} ({inert(path)})")
        lines += ["" if paths else "None.", ""]
    return "\n".join(lines)


def build_preview(project: Project, pr: int, base_ref: str, commit: str, public_url: str, out_root: Path) -> tuple[Path, PageChanges, Generated]:
    """Build `out_root/pr-<pr>/`: the site at `<public_url>pr-preview/pr-<pr>/`, with banner and changes page."""
    # The base renders in its own process while this checkout is checked and rendered, once: the
    # build below reuses this rendering.
    base_render = RefRender(project, base_ref)
    try:
        catalogue = check(project, datetime.date.today())
        site = render_site(catalogue)
        base = base_render.result()
    finally:
        base_render.close()
    changes = compare(base.pages, site.pages)
    changes.redirected = {old: new for old, (new, _) in site.redirects.items() if old in changes.removed}
    flag_unnoted(changes, base.notes, catalogue)
    # Without a public address the preview has none either (no canonical links, no sitemap).
    preview_url = f"{public_url.rstrip('/')}/pr-preview/pr-{pr}/" if public_url else ""
    env = {"SITE_URL": preview_url, "PREVIEW_PR": str(pr)}
    target = out_root / f"pr-{pr}"
    extra = {CHANGES_PAGE: changes_markdown(changes, pr, base_ref, commit)}
    generated = build_site(project, project.config, target, extra, env, rendered=(catalogue, site), finish=lambda folder: name_commit(folder, commit))
    return target, changes, generated


def name_commit(folder: Path, commit: str) -> None:
    """Put the short commit into every built page's banner (where main.html wrote COMMIT_MARKER)."""
    marker = COMMIT_MARKER.encode("ascii")
    shown = html.escape(commit).encode("utf-8")
    for page in folder.rglob("*.html"):
        data = page.read_bytes()
        if marker in data:
            page.write_bytes(data.replace(marker, shown))


def public_site_url(project: Project) -> str:
    """The public site's URL, as mkdocs.yml resolves it (SITE_URL); "" when it has none."""
    from generator.engines import mkdocs_adapter

    try:
        return mkdocs_adapter.site_url_of(project.config, project)
    except mkdocs_adapter.EngineError as error:  # e.g. a YAML error in mkdocs.yml: one line, not a traceback
        raise PreviewError(" ".join(str(error).split())) from error


def _title(markdown: str) -> str:
    """The page title from its front matter (stored HTML-escaped, JSON-quoted)."""
    for line in markdown.splitlines()[1:8]:
        if line.startswith("title: "):
            return html.unescape(line[len("title: ") :].strip().strip('"'))
    return ""
