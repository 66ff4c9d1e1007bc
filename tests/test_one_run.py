"""Every mistake in one run: schema, lint, cross-field and link problems of every file are reported together.

A copy of the fixture catalogue gets one mistake of each kind, each in a different file; `check`
must report all of them at once, and skip only what needs a file that failed its schema (a
reference or a link to that file), never another file's problems.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import FIXTURE, review_day

from generator.cli import main
from generator.errors import ContentError
from generator.pages.generate import check_content
from generator.project import Project

CELLEX = "content/drug/cellex.yaml"
M2 = "content/procedure/m2-macrophage-therapy.yaml"
CYTOKINE = "content/procedure/cytokine-therapy.yaml"
CEREBRAL_PALSY = "content/condition/cerebral-palsy.yaml"
REOCELL = "content/provider/reocell-clinic.yaml"
ABOUT = "content/pages/about.md"


def edit(project: Path, path: str, old: str, new: str) -> None:
    file = project / path
    text = file.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} should occur exactly once in {path}"
    file.write_text(text.replace(old, new), encoding="utf-8")


def line_of(project: Path, path: str, needle: str) -> int:
    lines = (project / path).read_text(encoding="utf-8").splitlines()
    (number,) = [n for n, line in enumerate(lines, start=1) if needle in line]
    return number


# Each mistake: (file, text replaced, its replacement, the needle on the reported line, field, words of the message).
MISTAKES = {
    "schema": (CELLEX, "\nsummary:", "\ncolour: red\nsummary:", "colour: red", "colour", "unknown field"),
    "lint": (CYTOKINE, "title: Cytokine therapy\n", "title: Cytokine therapy all rights reserved\n", "title:", "title", "error: scraping debris"),
    "cross-file": (
        CEREBRAL_PALSY,
        "- slug: neurometabolic-therapy",
        "- slug: neurometabolic-therapx",
        "neurometabolic-therapx",
        "related_procedures[1].slug",
        "no procedure with slug",
    ),
    "cross-field": (REOCELL, "next_review: 2027-11-22", "next_review: 2026-01-01", "next_review:", "next_review", "is not after last_reviewed"),
    "link": (ABOUT, "(sources.md)", "(sourcez.md)", "(sourcez.md)", "(body)", "leads to no page"),
}


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    """A project folder holding a copy of the fixture catalogue as its content/."""
    shutil.copytree(FIXTURE, tmp_path / "content")
    return tmp_path


def problems(project: Path) -> list[str]:
    """Every line `check` refuses the content with: its problems, or else the lints' errors."""
    try:
        _, findings = check_content(Project.at(project), review_day())
    except ContentError as error:
        return [str(problem) for problem in error.problems]
    return [str(finding) for finding in findings if finding.severity == "error"]


def expected_line(project: Path, mistake: str) -> tuple[str, str]:
    path, _, _, needle, field, words = MISTAKES[mistake]
    return f"{path}:{line_of(project, path, needle)}: {field}: ", words


def test_the_fixture_has_no_problem(content_copy: Path) -> None:
    assert problems(content_copy) == []


@pytest.mark.parametrize("mistake", MISTAKES)
def test_each_mistake_alone_is_refused(content_copy: Path, mistake: str) -> None:
    path, old, new, *_ = MISTAKES[mistake]
    edit(content_copy, path, old, new)
    start, words = expected_line(content_copy, mistake)
    found = problems(content_copy)
    assert [line for line in found if line.startswith(start) and words in line], found


def test_every_mistake_is_reported_in_one_run(content_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for path, old, new, *_ in MISTAKES.values():
        edit(content_copy, path, old, new)
    found = problems(content_copy)
    for mistake in MISTAKES:
        start, words = expected_line(content_copy, mistake)
        assert [line for line in found if line.startswith(start) and words in line], (mistake, found)
    # The command line prints them all, one line each, and refuses the content.
    assert main(["--content", str(content_copy / "content"), "check", "--today", review_day().isoformat()]) == 1
    printed = capsys.readouterr().err.splitlines()
    assert len([line for line in printed if any(words in line for *_, words in MISTAKES.values())]) == len(MISTAKES), printed


def test_what_needs_a_file_that_failed_is_skipped_and_nothing_else(content_copy: Path) -> None:
    """A reference or a link to a file that failed its schema is not reported again; its own problem is."""
    edit(content_copy, M2, "\nsummary:", "\ncolour: red\nsummary:")  # cerebral-palsy links to it
    edit(content_copy, ABOUT, "(sources.md)", "(procedures/m2-macrophage-therapy.md)")
    found = problems(content_copy)
    assert len(found) == 1 and found[0].startswith(f"{M2}:{line_of(content_copy, M2, 'colour: red')}: colour: unknown field"), found
