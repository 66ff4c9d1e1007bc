"""Names that collide and references to oneself (generator/content/collisions.py, the drug model's check).

Each mistake is one line `path:line: field: what is wrong (what to do)` from `check`, and the same
line from `build`, which leaves the previous site/ byte for byte as it was. Each rule also has
input that must pass: a shared name with its `shared_with:` note, an active substance two drugs
share, and the A–Z index and links that then tell the pages apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import ROOT, copy_project, run, tree_digest
from test_bad_content import assert_failed_cleanly, line_of, problems, replace_in

from generator.content.catalogue import Catalogue
from generator.pages.generate import check
from generator.pages.render import render_site
from generator.project import Project

CELLEX = "content/drug/cellex.yaml"
CERAXON = "content/drug/ceraxon.yaml"
CYTOKINE = "content/procedure/cytokine-therapy.yaml"
SHARED_NOTE = "(expected a note saying why, shown in the A–Z index: `shared_with: {{{name}: <a few words>}}`; or remove it)"
OWN_TITLE = "(expected a title no other page has; a name both share can stay as an alias, with a shared_with: note)"


@dataclass(frozen=True)
class Mistake:
    """Edits that make the mistake (`old` occurs once in `file`) and the lines it must print: (file, text on that line, rest of the line)."""

    edits: tuple[tuple[str, str, str], ...]
    lines: tuple[tuple[str, str, str], ...]


MISTAKES = {
    # 23.2: references to oneself.
    "interaction-with-own-slug": Mistake(
        ((CELLEX, "    effect: Their activity may be reduced.\n", "    effect: Their activity may be reduced.\n    drug: cellex\n"),),
        (
            (
                CELLEX,
                "drug: cellex",
                "interactions[1].drug: 'cellex' is this drug's own slug: the page would link to itself (expected another drug's slug, or leave it out)",
            ),
        ),
    ),
    "interaction-with-own-name": Mistake(
        ((CELLEX, "  - agent: Psychostimulant drugs and alcohol", "  - agent: CELLEX®"),),
        (
            (
                CELLEX,
                "agent: CELLEX®",
                "interactions[0].agent: 'CELLEX®' is a name of this drug itself (expected another drug or class: a drug does not interact with itself)",
            ),
        ),
    ),
    "own-analogue": Mistake(
        ((CERAXON, "names: [Bilobil, Vinpotropil", "names: [Bilobil, citicoline, Vinpotropil"),),
        (
            (
                CERAXON,
                "citicoline, Vinpotropil",
                "analogues[2].names[1]: 'citicoline' is a name of this drug itself (expected other drugs only: a drug is not its own analogue)",
            ),
        ),
    ),
    # 23.3: names that collide. Three pages titled "Cellex" (two drugs and a procedure): the later two are refused.
    "shared-title": Mistake(
        ((CERAXON, "title: Ceraxon\n", "title: Cellex\n"), (CYTOKINE, "title: Cytokine therapy\n", "title: cellex\n")),
        (
            (CERAXON, "title: Cellex", f"title: 'Cellex' is also the title of {CELLEX} {OWN_TITLE}"),
            (CYTOKINE, "title: cellex", f"title: 'cellex' is also the title of {CELLEX} {OWN_TITLE}"),
        ),
    ),
    "alias-that-is-another-title": Mistake(
        ((CELLEX, "  - CELLEX®\n", "  - CELLEX®\n  - Ceraxon\n"),),
        ((CELLEX, "  - Ceraxon", f"aliases[1]: 'Ceraxon' is also the title of {CERAXON} {SHARED_NOTE.format(name='Ceraxon')}"),),
    ),
    "alias-both-have": Mistake(
        ((CELLEX, "  - CELLEX®\n", "  - CELLEX®\n  - Ceraxone\n"),),
        (
            (CELLEX, "  - Ceraxone", f"aliases[1]: 'Ceraxone' is also a name of {CERAXON} {SHARED_NOTE.format(name='Ceraxone')}"),
            (CERAXON, "  - Ceraxone", f"aliases[1]: 'Ceraxone' is also a name of {CELLEX} {SHARED_NOTE.format(name='Ceraxone')}"),
        ),
    ),
    "note-for-a-name-nobody-shares": Mistake(
        ((CELLEX, "changes: []\n", "changes: []\nshared_with:\n  CELLEX®: the product listing's spelling\n"),),
        ((CELLEX, "  CELLEX®:", "shared_with.CELLEX®: no other page has the name 'CELLEX®' (expected only names another page shares: remove the entry)"),),
    ),
}


def make(project: Path, mistake: Mistake) -> list[str]:
    """Apply the mistake's edits; return the lines it must print, at the lines they are on now."""
    for file, old, new in mistake.edits:
        replace_in(project / file, old, new)
    return sorted(f"{file}:{line_of(project / file, needle)}: {rest}" for file, needle, rest in mistake.lines)


@pytest.mark.parametrize("name", MISTAKES)
def test_check_prints_one_line_per_mistake(project: Path, name: str) -> None:
    expected = make(project, MISTAKES[name])
    result = run(project, "check")
    assert_failed_cleanly(result)
    assert problems(result) == expected, result.stderr


def test_a_note_for_a_name_that_is_not_its_own(project: Path, catalogue: Catalogue) -> None:
    replace_in(project / CELLEX, "changes: []\n", "changes: []\nshared_with: {Celex: a misspelling}\n")
    names = ", ".join(catalogue.get("drug", "cellex").names())
    result = run(project, "check")
    assert_failed_cleanly(result)
    line = line_of(project / CELLEX, "shared_with:")
    assert problems(result) == [f"{CELLEX}:{line}: shared_with.Celex: 'Celex' is not a name of this drug (expected one of its own names: {names})"]


# --- what must pass --------------------------------------------------------------------------------


def rendered_from(project: Path) -> dict[str, str]:
    """The project's content checked (as `check` does) and rendered: its pages' Markdown by path."""
    return render_site(check(Project.at(ROOT, project / "content"))).pages


def a_to_z_lines(pages: dict[str, str], name: str) -> list[str]:
    return [line for line in pages["a-z.md"].splitlines() if line.startswith(f"- [{name}](")]


def test_a_shared_name_with_its_note_passes_and_the_a_to_z_index_tells_the_pages_apart(project: Path) -> None:
    replace_in(project / CELLEX, "  - CELLEX®\n", "  - CELLEX®\n  - Ceraxone\n")
    replace_in(project / CELLEX, "changes: []\n", "changes: []\nshared_with: {Ceraxone: a pharmacy's misspelling}\n")
    replace_in(project / CERAXON, "changes: []\n", "changes: []\nshared_with:\n  Ceraxone: a spelling of the source\n")
    result = run(project, "check")
    assert result.returncode == 0, result.stderr
    pages = rendered_from(project)
    assert a_to_z_lines(pages, "Ceraxone") == [
        "- [Ceraxone](drugs/cellex.md) → Cellex (drug; a pharmacy's misspelling)",
        "- [Ceraxone](drugs/ceraxon.md) → Ceraxon (drug; a spelling of the source)",
    ]
    # A name that is no shared one keeps its plain entry.
    assert a_to_z_lines(pages, "Cerakson") == ["- [Cerakson](drugs/ceraxon.md) → Ceraxon (drug)"]


def test_an_active_substance_two_drugs_share_needs_no_note(project: Path) -> None:
    """Two brands of one substance are normal: the substance's name is shared as such, and the A–Z index says so."""
    substance = "Proteins and polypeptides of the embryonic brain of animal origin"
    replace_in(project / CELLEX, f"active_substance: {substance}\n", "active_substance: citicoline\n")
    replace_in(project / CERAXON, "names: [Bilobil, Vinpotropil", "names: [Bilobil, Cellex, CELLEX®, Vinpotropil")
    result = run(project, "check")
    assert result.returncode == 0, result.stderr
    pages = rendered_from(project)
    assert a_to_z_lines(pages, "citicoline") == ["- [citicoline](drugs/cellex.md) → Cellex (drug; active substance)"]
    assert a_to_z_lines(pages, "Citicoline") == ["- [Citicoline](drugs/ceraxon.md) → Ceraxon (drug; active substance)"]
    # Ceraxon's own analogues: Cellex's names link to it; its substance would not (it is Ceraxon's own name too).
    assert "[Cellex](cellex.md), [CELLEX®](cellex.md)" in pages["drugs/ceraxon.md"]


def test_a_shared_alias_does_not_pick_a_page_at_random(project: Path) -> None:
    """In a third drug's analogues, a name two drugs share links to neither; one that is a drug's title links to that drug."""
    replace_in(project / CELLEX, "  - CELLEX®\n", "  - CELLEX®\n  - Ceraxone\n  - Ceraxon\n")
    replace_in(project / CELLEX, "changes: []\n", "changes: []\nshared_with: {Ceraxone: a misspelling, Ceraxon: a misspelling}\n")
    text = replace_in(project / CERAXON, "changes: []\n", "changes: []\nshared_with: {Ceraxone: a spelling of the source}\n")
    third = {
        "title: Ceraxon": "title: Neuroxon",
        "  - Ceraxon\n": "  - Neuroxon\n",
        "aliases:\n  - Cerakson\n  - Ceraxone\n": "aliases: []\n",
        "shared_with: {Ceraxone: a spelling of the source}\n": "",
    }
    for old, new in third.items():
        text = text.replace(old, new, 1)
    (project / "content/drug/neuroxon.yaml").write_text(
        text.replace("names: [Bilobil, Vinpotropil", "names: [Bilobil, Ceraxone, Ceraxon, Vinpotropil"), encoding="utf-8"
    )
    result = run(project, "check")
    assert result.returncode == 0, result.stderr
    assert "Bilobil, Ceraxone, [Ceraxon](ceraxon.md), Vinpotropil" in rendered_from(project)["drugs/neuroxon.md"]


# --- the same lines from `build`, and site/ as it was ----------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project copy with a good site/."""
    project = copy_project(tmp_path_factory.mktemp("collisions") / "project")
    result = run(project, "build", timeout=300)
    assert result.returncode == 0, result.stderr
    return project


@pytest.mark.slow
@pytest.mark.parametrize("name", MISTAKES)
def test_build_prints_the_same_line_and_leaves_the_site_as_it_was(built: Path, name: str) -> None:
    mistake = MISTAKES[name]
    originals = {file: (built / file).read_bytes() for file, _, _ in mistake.edits}
    before = tree_digest(built / "site")
    try:
        expected = make(built, mistake)
        result = run(built, "build", timeout=300)
    finally:
        for file, data in originals.items():
            (built / file).write_bytes(data)
    assert_failed_cleanly(result)
    assert problems(result) == expected, result.stderr
    assert tree_digest(built / "site") == before
