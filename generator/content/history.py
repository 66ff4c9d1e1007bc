"""Revision history of the content, from git: when each entity's YAML file last changed and how.

One `git log` over the whole content folder, parsed once, gives every file's commits. Dates are
commit dates, so two builds of the same commit are identical. Outside a git checkout (a
`git archive` export such as a preview's base, a copied folder) there is no history and pages fall
back to their review dates; the clock is never read.
"""

from __future__ import annotations

import datetime
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from generator.content.catalogue import Catalogue
from generator.content.models import KINDS

# Record and field separators for `git log --format`: they cannot occur in a subject line.
_RECORD = "\x1e"
_FIELD = "\x1f"
_FORMAT = f"{_RECORD}%H{_FIELD}%cs{_FIELD}%s"
ENTITY_SUFFIXES = (".yaml", ".yml")
PAGE_HISTORY = 5  # changes listed on an entity's page
RECENT = 20  # changes listed on the site-wide "Recent changes" page


@dataclass(frozen=True)
class Commit:
    """One commit that touched the content: its date, subject and files (relative to content/)."""

    date: datetime.date
    subject: str
    files: tuple[str, ...]


@dataclass(frozen=True)
class PageHistory:
    """What an entity page shows: when its content last changed and its latest changes.

    `from_git` is False when there is no history for the file; `last_changed` is then the
    entity's last review date and `changes` is empty.
    """

    last_changed: datetime.date
    changes: list[Commit]
    from_git: bool


@dataclass(frozen=True)
class ContentHistory:
    """Every commit that touched the content folder, newest first (empty outside git)."""

    commits: list[Commit] = field(default_factory=list)
    by_file: dict[str, list[Commit]] = field(default_factory=dict)

    @classmethod
    def of(cls, commits: list[Commit]) -> ContentHistory:
        """Index `commits` (newest first) by file."""
        by_file: dict[str, list[Commit]] = {}
        for commit in commits:
            for name in commit.files:
                by_file.setdefault(name, []).append(commit)
        return cls(commits, by_file)

    @property
    def from_git(self) -> bool:
        """Whether any content commit was found (false outside a git checkout)."""
        return bool(self.commits)

    def of_entity(self, kind: str, slug: str, last_reviewed: datetime.date) -> PageHistory:
        """The history of `content/<kind>/<slug>.yaml` (or `.yml`), else the review-date fallback."""
        commits = next((self.by_file[name] for name in (f"{kind}/{slug}{suffix}" for suffix in ENTITY_SUFFIXES) if name in self.by_file), [])
        if not commits:
            return PageHistory(last_reviewed, [], from_git=False)
        return PageHistory(commits[0].date, commits[:PAGE_HISTORY], from_git=True)


@dataclass(frozen=True)
class ChangedFile:
    """A file a commit changed: the title and docs path of its page, or no path if it has none now."""

    label: str
    path: str | None


def recent_changes(history: ContentHistory, catalogue: Catalogue, limit: int = RECENT) -> list[tuple[Commit, list[ChangedFile]]]:
    """The latest `limit` content commits, each with the pages its files are shown on."""
    return [(commit, [_page_of(name, catalogue) for name in commit.files]) for commit in history.commits[:limit]]


def _page_of(name: str, catalogue: Catalogue) -> ChangedFile:
    """`drug/cellex.yaml` → the Cellex page; `pages/about.md` → About; `sources.yaml` → Sources."""
    folder, _, file_name = name.rpartition("/")
    stem = file_name.rsplit(".", 1)[0]
    if folder in KINDS and file_name.endswith(ENTITY_SUFFIXES) and stem in catalogue.entities.get(folder, {}):
        entity = catalogue.get(folder, stem)
        return ChangedFile(entity.title, catalogue.path_of(entity))
    page = next((page for page in catalogue.pages if folder == "pages" and file_name == f"{page.slug}.md"), None)
    if page is not None:
        return ChangedFile(page.meta.title, page.path)
    if name == "sources.yaml":
        return ChangedFile("Sources", "sources.md")
    return ChangedFile(f"content/{name}", None)  # removed since, or not a page of its own


def read_history(content_dir: Path) -> ContentHistory:
    """The git history of `content_dir`, or an empty history when it is not in a git checkout."""
    try:
        log = subprocess.run(
            ["git", "-c", "core.quotepath=off", "log", "--no-renames", "--relative", "--name-only", f"--format={_FORMAT}", "--", "."],
            cwd=content_dir,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            check=False,
        )
    except OSError:  # no git on the machine, or the folder is gone
        return ContentHistory()
    if log.returncode != 0:  # not a git checkout
        return ContentHistory()
    return ContentHistory.of(parse_log(log.stdout, _shallow_boundary(content_dir)))


def parse_log(output: str, skip: frozenset[str] = frozenset()) -> list[Commit]:
    """Commits from `git log --name-only --format=<_FORMAT>` output, leaving out those in `skip`
    and those that name no file (merges)."""
    commits = []
    for record in output.split(_RECORD)[1:]:
        header, _, names = record.partition("\n")
        sha, date, subject = header.split(_FIELD, 2)
        files = tuple(line for line in names.splitlines() if line.strip())
        if files and sha not in skip:
            commits.append(Commit(datetime.date.fromisoformat(date), subject.strip(), files))
    return commits


def _shallow_boundary(content_dir: Path) -> frozenset[str]:
    """Commits at the cut of a shallow clone (CI checkouts are shallow by default).

    Git shows such a commit as adding every file it holds, which would date every page to it;
    leaving them out means files with no older commit fall back to their review dates instead.
    """
    command = ["git", "rev-parse", "--path-format=absolute", "--git-path", "shallow"]
    where = subprocess.run(command, cwd=content_dir, capture_output=True, text=True, check=False)
    shallow = Path(where.stdout.strip()) if where.returncode == 0 else None
    if shallow is None or not shallow.is_file():
        return frozenset()
    return frozenset(shallow.read_text(encoding="ascii").split())
