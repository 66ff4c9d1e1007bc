"""`serve` regenerates through in-process memos (generator/memo.py): after any edit, what it
renders must equal what a fresh process renders."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import copy_project

from generator import memo
from generator.content import load, validate
from generator.pages import export as api
from generator.pages import render
from generator.pages.generate import generate
from generator.project import PACKAGE_ROOT as ROOT
from generator.project import Project
from generator.tools.synth import synthesise

MEMOS = (load._PARSED, validate._VALIDATED, render._RENDERED, api._ENTITY_JSON)


@pytest.fixture(autouse=True)
def remembering() -> Iterator[None]:
    """Memos on, as in `serve`; off again after (a one-off build keeps nothing)."""
    memo.remember()
    yield
    memo.remember(False)


def fresh(content: Path, out: Path) -> dict[str, str]:
    """What a new process would generate: every memo emptied first."""
    for kept in MEMOS:
        kept.items.clear()
    site = generate(Project.at(ROOT, content), out).site
    return {**site.pages, **site.files}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


EDITS: dict[str, Callable[[Path], None]] = {
    # shown on the provider's page, not only the procedure's own
    "procedure summary": lambda c: edit(c / "procedure/m2-macrophage-therapy.yaml", "summary: >-\n  A cerebral", "summary: >-\n  Edited. A cerebral"),
    # every page that links Ceraxon shows its title
    "drug title": lambda c: edit(c / "drug/ceraxon.yaml", "title: Ceraxon", "title: Ceraxon edited"),
    "drug alias": lambda c: edit(c / "drug/ceraxon.yaml", "aliases:\n", "aliases:\n  - Memoproofin\n"),
    "drug body": lambda c: edit(c / "drug/cellex.yaml", "description:\n", "description:\n  - Edited paragraph.\n"),
    # shown on the drug listings, not a link fact
    "drug summary": lambda c: edit(c / "drug/ceraxon.yaml", "summary: >-\n  ", "summary: >-\n  Edited. "),
    # listings are as current as their oldest entity
    "drug review date": lambda c: edit(c / "drug/cellex.yaml", "last_reviewed: 2026-11-22", "last_reviewed: 2026-11-21"),
}


@pytest.mark.parametrize("name", list(EDITS))
def test_memoised_generation_equals_a_fresh_one_after_an_edit(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content = copy_project(tmp_path / "project") / "content"
    project = Project.at(ROOT, content)
    before = generate(project, tmp_path / "docs").site  # fills the memos
    EDITS[name](content)
    warm = generate(project, tmp_path / "docs").site
    warm_pages = {**warm.pages, **warm.files}
    assert warm_pages != {**before.pages, **before.files}, "the edit changed nothing"
    assert warm_pages == fresh(content, tmp_path / "docs")


def _middle_drug(content: Path) -> Path:
    drugs = sorted((content / "drug").glob("*.yaml"))
    return drugs[len(drugs) // 2]


def _change_status(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    status = re.search(r'^prescription_status: "([^"]*)"', text, re.M)
    assert status, path
    other = "prescription" if status.group(1) != "prescription" else "not stated"
    path.write_text(text.replace(status.group(0), f'prescription_status: "{other}"'), encoding="utf-8")


# A catalogue large enough that listings split by letter (generator/pages/letters.py).
SPLIT_EDITS: dict[str, Callable[[Path], None]] = {
    "summary": lambda c: edit(_middle_drug(c), 'summary: "', 'summary: "Edited. '),
    "title": lambda c: edit(_middle_drug(c), 'title: "', 'title: "Zz'),
    # shown on the drug comparison, not a link fact
    "prescription status": lambda c: _change_status(_middle_drug(c)),
}


@pytest.mark.slow  # a 60-drug synthetic catalogue generated three times per edit
@pytest.mark.parametrize("name", list(SPLIT_EDITS))
def test_memoised_generation_of_a_split_catalogue_equals_a_fresh_one(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content = tmp_path / "synthetic"
    synthesise(content, drugs=60, seed=3)
    project = Project.at(ROOT, content)
    before = generate(project, tmp_path / "docs").site
    assert any(path.startswith("drugs/letter-") for path in before.pages), "the listings split"
    SPLIT_EDITS[name](content)
    warm = generate(project, tmp_path / "docs").site
    assert warm.pages != before.pages, "the edit changed nothing"
    assert {**warm.pages, **warm.files} == fresh(content, tmp_path / "docs")
