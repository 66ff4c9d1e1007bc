"""Revision history from git: each entity page's last change and latest commits, the site-wide
"Recent changes" page, the review-date fallback outside git, and reproducible builds.

Each test makes its own throwaway repository with fixed commit dates, so every date and subject
the pages must show is known.
"""

from __future__ import annotations

import html
import io
import re
import subprocess
import tarfile
from pathlib import Path

import pytest
from conftest import commit_all, copy_project, git, run, tree_digest

from generator.content.history import PAGE_HISTORY, parse_log

CELLEX = "content/drug/cellex.yaml"
CERAXON = "content/drug/ceraxon.yaml"
# (date, file edited, subject) oldest first; the first commit adds the whole project.
# Subjects carry Markdown and HTML characters: they must be shown as typed.
EDITS = [
    ("2025-02-01", CELLEX, "Cellex: first wording fix"),
    ("2025-02-02", CELLEX, "Cellex: second wording fix"),
    ("2025-02-03", CELLEX, "Cellex: third wording fix"),
    ("2025-02-04", CERAXON, "Ceraxon: note on *spelling* <b>bold</b>"),
    ("2025-02-05", CELLEX, "Cellex: fourth wording fix"),
    ("2025-02-06", CELLEX, "Cellex: fifth wording fix"),
    ("2025-02-07", CELLEX, "Cellex: sixth wording fix"),
]
FIRST = ("2025-01-10", "Add the content")


def commit_on(project: Path, monkeypatch: pytest.MonkeyPatch, date: str, message: str) -> None:
    """Commit everything with author and committer date `date` (noon UTC)."""
    monkeypatch.setenv("GIT_AUTHOR_DATE", f"{date}T12:00:00+00:00")
    monkeypatch.setenv("GIT_COMMITTER_DATE", f"{date}T12:00:00+00:00")
    commit_all(project, message)


def touch(path: Path, note: str) -> None:
    """Change a YAML file without changing a fact: append a comment line."""
    with path.open("a", encoding="utf-8") as file:
        file.write(f"# {note}\n")


@pytest.fixture(scope="module")
def history_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project as a git repository with the commits in FIRST and EDITS (tests only read it)."""
    project = copy_project(tmp_path_factory.mktemp("history") / "project")
    with pytest.MonkeyPatch.context() as monkeypatch:
        commit_on(project, monkeypatch, *FIRST)
        for date, name, subject in EDITS:
            touch(project / name, subject)
            commit_on(project, monkeypatch, date, subject)
    return project


@pytest.fixture(scope="module")
def rendered(history_project: Path) -> Path:
    return render(history_project)


def render(project: Path, out: str = "out") -> Path:
    result = run(project, "render", "--out", out)
    assert result.returncode == 0, result.stderr
    return project / out


def latest_changes(markdown: str) -> list[str]:
    """The `date: subject` lines of a page's "Latest changes" list."""
    part = markdown.split("**Latest changes to this page**", 1)
    assert len(part) == 2, "no history on the page"
    return re.findall(r"^- (\d{4}-\d{2}-\d{2}: .+)$", part[1], re.M)


@pytest.mark.slow  # a git repository of eight commits, rendered by the command line
def test_entity_pages_show_last_change_and_latest_commits_newest_first(rendered: Path) -> None:
    out = rendered
    cellex = (out / "drugs/cellex.md").read_text(encoding="utf-8")
    assert "- Content last changed: 2025-02-07\n" in cellex
    cellex_edits = [f"{date}: {subject.replace(':', '&#58;')}" for date, name, subject in reversed(EDITS) if name == CELLEX]
    assert latest_changes(cellex) == cellex_edits[:PAGE_HISTORY]  # the five latest of six; not the first commit
    ceraxon = (out / "drugs/ceraxon.md").read_text(encoding="utf-8")
    assert "- Content last changed: 2025-02-04\n" in ceraxon
    shown = latest_changes(ceraxon)
    assert [line[:10] for line in shown] == ["2025-02-04", FIRST[0]]
    assert "<b>" not in ceraxon and "*spelling*" not in ceraxon and "&#60;b&#62;bold" in shown[0]  # shown as typed, never markup
    # An entity no edit touched dates from the commit that added it.
    assert f"- Content last changed: {FIRST[0]}\n" in (out / "providers/reocell-clinic.md").read_text(encoding="utf-8")


@pytest.mark.slow  # a git repository of eight commits, rendered by the command line
def test_recent_changes_page_lists_commits_newest_first_with_links(rendered: Path) -> None:
    changes = (rendered / "changes.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (\d{4}-\d{2}-\d{2}) \| (.+?) \| (.+) \|$", changes, re.M)
    assert [date for date, _, _ in rows] == [date for date, _, _ in reversed(EDITS)] + [FIRST[0]]
    assert rows[0][1] == "Cellex&#58; sixth wording fix" and rows[0][2] == "[Cellex](drugs/cellex.md)"
    assert rows[3][2] == "[Ceraxon](drugs/ceraxon.md)"
    assert "[ReoCell clinic](providers/reocell-clinic.md)" in rows[-1][2] and "[Sources](sources.md)" in rows[-1][2]


@pytest.mark.slow  # a git repository of eight commits, rendered by the command line
def test_outside_git_pages_fall_back_to_review_dates(history_project: Path, rendered: Path, tmp_path: Path) -> None:
    """A `git archive` export (what a preview renders its base from) has no history."""
    archive = subprocess.run(["git", "archive", "HEAD"], cwd=history_project, capture_output=True, check=True).stdout
    export = tmp_path / "export"
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(export, filter="data")
    out = render(export)
    cellex = (out / "drugs/cellex.md").read_text(encoding="utf-8")
    reviewed = re.search(r"^last_reviewed: (\S+)$", (export / CELLEX).read_text(encoding="utf-8"), re.M)
    assert reviewed
    assert f"- Content last changed: {reviewed.group(1)} (the last review date: this copy has no version history)" in cellex
    assert "Latest changes to this page" not in cellex
    changes = (out / "changes.md").read_text(encoding="utf-8")
    assert "built without its version history" in changes and f"| {reviewed.group(1)} | [Cellex](drugs/cellex.md) |" in changes
    assert not any(subject.split(":")[0] + "&#58;" in changes for _, _, subject in EDITS)
    # The check can fail: the same content inside its repository shows the commits.
    assert "Cellex&#58; sixth wording fix" in (rendered / "changes.md").read_text(encoding="utf-8")


@pytest.mark.slow  # a git repository of eight commits, rendered by the command line
def test_a_shallow_clone_does_not_date_every_page_to_its_cut(history_project: Path, tmp_path: Path) -> None:
    """CI checks out one commit deep: the cut commit looks as if it added every file."""
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "2", history_project.as_uri(), str(clone))
    out = render(clone)
    cellex = (out / "drugs/cellex.md").read_text(encoding="utf-8")
    assert "- Content last changed: 2025-02-07\n" in cellex and latest_changes(cellex) == ["2025-02-07: Cellex&#58; sixth wording fix"]
    ceraxon = (out / "drugs/ceraxon.md").read_text(encoding="utf-8")
    assert "(the last review date: this copy has no version history)" in ceraxon  # only the cut commit touched it here


@pytest.mark.slow
def test_two_builds_are_identical(history_project: Path) -> None:
    first = run(history_project, "build", "--site-dir", "../first", timeout=300)
    second = run(history_project, "build", "--site-dir", "../second", timeout=300)
    assert first.returncode == second.returncode == 0, first.stderr + second.stderr

    built = history_project.parent / "first"
    assert tree_digest(built) == tree_digest(history_project.parent / "second")
    page = html.unescape((built / "drugs/cellex/index.html").read_text(encoding="utf-8"))
    assert "Content last changed: 2025-02-07" in page
    assert 'href="../../changes/"' in page  # the page links to the site-wide list, which is built
    assert "Cellex: sixth wording fix" in html.unescape((built / "changes/index.html").read_text(encoding="utf-8"))


def test_parse_log_skips_merges_and_the_shallow_cut() -> None:
    output = "\x1eaaa\x1f2025-03-02\x1fMerge branch\n\n\x1ebbb\x1f2025-03-01\x1fEdit\n\ndrug/x.yaml\n\x1eccc\x1f2025-01-01\x1fCut\n\ndrug/x.yaml\ndrug/y.yaml\n"
    commits = parse_log(output, frozenset({"ccc"}))
    assert [(c.subject, c.files) for c in commits] == [("Edit", ("drug/x.yaml",))]
    assert [c.subject for c in parse_log(output)] == ["Edit", "Cut"]
