"""Change history for readers: each entity's `changes:` notes on its page, the newest across the
site on "Recent changes", the fallback when there are none, and nothing from git.

Pages are built from the content alone: the same content renders the same pages inside a git
checkout with any history and outside one, and two builds are byte-identical.
"""

from __future__ import annotations

import html
import io
import json
import re
import subprocess
import tarfile
from pathlib import Path

import pytest
from conftest import commit_all, copy_project, run, tree_digest

from generator.content.history import RECENT

CELLEX = "content/drug/cellex.yaml"
CERAXON = "content/drug/ceraxon.yaml"
# Written oldest first and out of order on purpose; a note carries Markdown and HTML characters, shown as typed.
CELLEX_NOTES = [
    ("2026-10-01", "Storage advice now says to keep the ampoules in the carton."),
    ("2026-11-20", "Pregnancy advice now says the drug must not be used."),
    ("2026-09-15", "Dose for adults corrected to *0.1-0.2 mg* <b>once</b> a day."),
]
CERAXON_NOTES = [("2026-11-20", "Oral solution strength added.")]
# Commit subjects of the test repository: none may reach a page.
SUBJECTS = ["WIP: refactor loader & cache", "Fix typo in cellex.yaml (000_f4c893a775ef8382.txt)"]


def with_notes(project: Path, path: str, notes: list[tuple[str, str]]) -> None:
    """Replace the file's `changes: []` with `notes` (date, note)."""
    file = project / path
    text = file.read_text(encoding="utf-8")
    assert text.count("changes: []\n") == 1
    items = "".join(f"  - date: {date}\n    note: {json.dumps(note)}\n" for date, note in notes)  # JSON strings are YAML
    file.write_text(text.replace("changes: []\n", f"changes:\n{items}"), encoding="utf-8")


@pytest.fixture(scope="module")
def noted_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project whose Cellex and Ceraxon carry change notes, committed to git with developer subjects."""
    project = copy_project(tmp_path_factory.mktemp("history") / "project")
    with_notes(project, CELLEX, CELLEX_NOTES)
    with_notes(project, CERAXON, CERAXON_NOTES)
    commit_all(project, SUBJECTS[0])
    (project / CELLEX).write_text((project / CELLEX).read_text(encoding="utf-8") + "# a comment\n", encoding="utf-8")
    commit_all(project, SUBJECTS[1])
    return project


def render(project: Path, out: str = "out") -> Path:
    result = run(project, "render", "--out", out)
    assert result.returncode == 0, result.stderr
    return project / out


@pytest.fixture(scope="module")
def rendered(noted_project: Path) -> Path:
    return render(noted_project)


def page_notes(markdown: str) -> list[str]:
    """The `date: note` lines of a page's "Changes to this page" list."""
    part = markdown.split("**Changes to this page**", 1)
    assert len(part) == 2, "no change notes on the page"
    return re.findall(r"^- (\d{4}-\d{2}-\d{2}: .+)$", part[1].split("\n\n", 2)[1], re.M)


def test_entity_pages_show_their_change_notes_newest_first(rendered: Path) -> None:
    cellex = (rendered / "drugs/cellex.md").read_text(encoding="utf-8")
    shown = page_notes(cellex)
    assert [line[:10] for line in shown] == ["2026-11-20", "2026-10-01", "2026-09-15"]
    assert shown[0] == "2026-11-20: Pregnancy advice now says the drug must not be used."
    assert "<b>" not in cellex and "*0.1-0.2 mg*" not in cellex and "&#60;b&#62;once" in shown[2]  # shown as typed, never markup
    assert "[recent changes across the site](../changes.md)" in cellex
    # A page with no notes says so, once.
    provider = (rendered / "providers/reocell-clinic.md").read_text(encoding="utf-8")
    assert provider.count("- Changes: none recorded since this page was first published.") == 1
    assert "**Changes to this page**" not in provider


def test_recent_changes_lists_the_notes_across_the_site_newest_first(rendered: Path) -> None:
    changes = (rendered / "changes.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (\d{4}-\d{2}-\d{2}) \| (.+?) \| (.+) \|$", changes, re.M)
    assert [(date, page) for date, page, _ in rows] == [
        ("2026-11-20", "[Cellex](drugs/cellex.md)"),  # same day: by page title
        ("2026-11-20", "[Ceraxon](drugs/ceraxon.md)"),
        ("2026-10-01", "[Cellex](drugs/cellex.md)"),
        ("2026-09-15", "[Cellex](drugs/cellex.md)"),
    ]
    assert rows[1][2] == "Oral solution strength added."
    assert "built without" not in changes and "Last reviewed |" not in changes


def test_recent_changes_is_bounded(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    notes = [(f"2026-{month:02}-{day:02}", f"Change number {month}-{day}.") for month in range(1, 11) for day in (1, 2, 3)]
    assert len(notes) > RECENT
    with_notes(project, CELLEX, notes)
    changes = (render(project) / "changes.md").read_text(encoding="utf-8")
    dates = re.findall(r"^\| (\d{4}-\d{2}-\d{2}) \|", changes, re.M)
    assert dates == sorted((date for date, _ in notes), reverse=True)[:RECENT]
    assert f"stops at the latest {RECENT}" in changes
    assert len(page_notes((project / "out/drugs/cellex.md").read_text(encoding="utf-8"))) == len(notes)  # the page keeps all of its own


def test_without_notes_recent_changes_lists_the_latest_reviews(catalogue_markdown: dict[str, str]) -> None:
    changes = catalogue_markdown["changes.md"]
    assert "No changes have been recorded since the pages were first published." in changes
    assert "| 2026-11-22 | [Cellex](drugs/cellex.md) |" in changes


@pytest.fixture(scope="module")
def catalogue_markdown(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The real content (which has no change notes yet), rendered."""
    project = copy_project(tmp_path_factory.mktemp("plain") / "project")
    out = render(project)
    return {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8") for p in out.rglob("*.md")}


def test_pages_are_the_same_inside_and_outside_git(noted_project: Path, rendered: Path, tmp_path: Path) -> None:
    """A `git archive` export (what a preview renders its base from) renders exactly the same pages:
    nothing comes from git, and no commit subject reaches a page."""
    archive = subprocess.run(["git", "archive", "HEAD"], cwd=noted_project, capture_output=True, check=True).stdout
    export = tmp_path / "export"
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(export, filter="data")
    assert tree_digest(render(export)) == tree_digest(rendered)
    for page in rendered.rglob("*.md"):
        text = html.unescape(page.read_text(encoding="utf-8"))
        assert not any(subject in text for subject in SUBJECTS), page


@pytest.mark.slow
def test_two_builds_are_identical(noted_project: Path) -> None:
    first = run(noted_project, "build", "--site-dir", "../first", timeout=300)
    second = run(noted_project, "build", "--site-dir", "../second", timeout=300)
    assert first.returncode == second.returncode == 0, first.stderr + second.stderr

    built = noted_project.parent / "first"
    assert tree_digest(built) == tree_digest(noted_project.parent / "second")
    page = html.unescape((built / "drugs/cellex/index.html").read_text(encoding="utf-8"))
    assert "2026-11-20: Pregnancy advice now says the drug must not be used." in page
    assert 'href="../../changes/"' in page  # the page links to the site-wide list, which is built
    assert "Oral solution strength added." in html.unescape((built / "changes/index.html").read_text(encoding="utf-8"))
