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


@dataclass
class Rendering:
    """A ref's rendered pages (path → Markdown) and each entity's change notes by (kind, slug)."""

    pages: dict[str, str]
    notes: dict[tuple[str, str], set[Note]] = field(default_factory=dict)


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


def render_ref(project: Project, ref: str) -> Rendering:
    """The Markdown pages of the site at git `ref`, rendered by that ref's own generator, and its change notes."""
    archive = subprocess.run(["git", "archive", ref, "generator", "content"], cwd=project.root, capture_output=True, check=False)
    if archive.returncode != 0:
        raise PreviewError(f"cannot read {ref!r} from git: {archive.stderr.decode(errors='replace').strip()}")
    with tempfile.TemporaryDirectory() as folder:
        tree = Path(folder)
        with tarfile.open(fileobj=BytesIO(archive.stdout)) as tar:
            tar.extractall(tree, filter="data")
        out = tree / "out"
        result = subprocess.run([sys.executable, "-m", "generator", "render", "--out", str(out)], cwd=tree, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise PreviewError(f"the content at {ref!r} does not render:\n{result.stderr.strip()}")
        pages = {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8") for p in sorted(out.rglob("*.md"))}
        return Rendering(pages, _notes_in(tree / "content"))


def _notes_in(content: Path) -> dict[tuple[str, str], set[Note]]:
    """Every entity's change notes in a content folder that rendered (so it parses), read from the YAML
    as it is: the base may predate `changes:` or use other models."""
    notes = {}
    for path in sorted(content.glob("*/*")):
        if path.suffix not in ENTITY_SUFFIXES:
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
        changes = data.get("changes") if isinstance(data, dict) else None
        items = changes if isinstance(changes, list) else []
        notes[(path.parent.name, path.stem)] = {(str(c.get("date")), str(c.get("note", "")).strip()) for c in items if isinstance(c, dict)}
    return notes


def flag_unnoted(changes: PageChanges, base_notes: dict[tuple[str, str], set[Note]], catalogue: Catalogue) -> None:
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
            lines.append(f"- [{title}]({path}){flag}" if linked else f"- {title} ({inert(path)})")
        lines += ["" if paths else "None.", ""]
    return "\n".join(lines)


def build_preview(project: Project, pr: int, base_ref: str, commit: str, public_url: str, out_root: Path) -> tuple[Path, PageChanges, Generated]:
    """Build `out_root/pr-<pr>/`: the site at `<public_url>pr-preview/pr-<pr>/`, with banner and changes page."""
    base = render_ref(project, base_ref)
    catalogue = check(project, datetime.date.today())
    changes = compare(base.pages, render_site(catalogue).pages)
    flag_unnoted(changes, base.notes, catalogue)
    preview_url = f"{public_url.rstrip('/')}/pr-preview/pr-{pr}/"
    # The commit is named on the changes page only: in every page's banner it would change every
    # page with every push, and the page cache carried between a PR's previews would never be reused.
    env = {"SITE_URL": preview_url, "PREVIEW_PR": str(pr)}
    target = out_root / f"pr-{pr}"
    generated = build_site(project, project.config, target, {CHANGES_PAGE: changes_markdown(changes, pr, base_ref, commit)}, env)
    return target, changes, generated


def public_site_url(project: Project) -> str:
    """The public site's URL, as mkdocs.yml resolves it (SITE_URL or its default)."""
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
