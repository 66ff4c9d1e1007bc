"""Who speaks, and what a reader reads (issue 18, points 4, 5, 10 and 12).

- every source declares its kind of publisher; every entity page says near its top what it rests
  on, and shows the source's own sections with their speaker ("The product listing states:");
- an effect, benefit or assurance in the site's own voice, an assurance listed as a warning, an
  instruction for every form limited to one form, a source that denies the reactions it lists, and
  a known machine-translation pitfall without a note are `make check` errors at their file and line;
- the rendered text of every page is proofread (`generator/pages/proofread.py`), each finding at the
  content file and line that produced it.

Every rule is two-sided: the fixture catalogue (tests/fixtures/catalogue/) passes, and one planted
mistake in a copy of it gives exactly the one line the test computes from the text it wrote.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from conftest import run
from test_lint import CELLEX, CERAXON, M2, TODAY, edit, line_of, only

from generator.content.catalogue import Catalogue
from generator.content.lint import phrases
from generator.content.models.source import SOURCE_KINDS
from generator.pages.generate import check_content
from generator.pages.proofread import proofread
from generator.pages.render import RenderedSite
from generator.project import Project

SOURCES = "content/sources.yaml"
CYTOKINE = "content/procedure/cytokine-therapy.yaml"


def proofread_only(project: Path) -> str:
    """The single finding (lints and proofreading, as `make check` runs them) the planted mistake causes."""
    findings = check_content(Project.at(project), TODAY, proofread_pages=True)[1]
    assert len(findings) == 1, "\n".join(map(str, findings))
    return str(findings[0])


# --- who speaks --------------------------------------------------------------------------------


def test_a_source_without_its_kind_is_refused(project: Path) -> None:
    edit(project, SOURCES, "    kind: consumer drug page\n", "")
    result = run(project, "check")
    assert result.returncode == 1
    line = line_of(project, SOURCES, "file: 002_7709ced4b3a94a0b.txt")
    assert f"{SOURCES}:{line}: documents[2].kind: required field is missing" in result.stderr, result.stderr
    edit(project, SOURCES, "    kind: leaflet\n", "    kind: pamphlet\n")
    assert "documents[0].kind: got 'pamphlet'" in run(project, "check").stderr


def test_every_entity_page_says_near_its_top_what_it_rests_on(catalogue: Catalogue, rendered: RenderedSite) -> None:
    for entity in catalogue.all():
        text = rendered.pages[catalogue.path_of(entity)]
        kinds = list(dict.fromkeys(SOURCE_KINDS[catalogue.sources[name].kind].what for name in entity.sources))
        line = f"This page rests on {'; and '.join(kinds)}.".replace(":", "&#58;")
        assert line in text, entity.title
        # Near the top: before the first section (for drugs and procedures, before the key safety box).
        assert text.index(line) < text.index("\n## "), entity.title


def test_the_sources_own_sections_show_their_speaker(catalogue: Catalogue, rendered: RenderedSite) -> None:
    for drug in catalogue.of_kind("drug"):
        speaker = SOURCE_KINDS[catalogue.sources[drug.sources[0]].kind].speaker
        for path in (catalogue.path_of(drug), catalogue.path_of(drug).replace(".md", "/professional.md")):
            text = rendered.pages[path]
            section = text[text.index("{#pharmacodynamics}") : text.index("{#pharmacokinetics}")]
            assert f"**{speaker[0].upper()}{speaker[1:]} states:**" in section, path
            for paragraph in drug.pharmacodynamics:  # type: ignore[attr-defined]
                assert f"> {paragraph}".replace(":", "&#58;") in section, path
            for claim in drug.source_claims:  # type: ignore[attr-defined]
                assert claim in section and claim not in text[text.index("{#warnings}") : text.index("{#warnings}") + 2000], path


def test_an_effect_in_the_sites_own_voice_is_an_error_until_someone_states_it(project: Path) -> None:
    edit(project, CERAXON, "      - name: Sodium hydroxide\n", "      - name: Sodium hydroxide, which restores the cell membranes\n")
    finding = only(project)
    assert str(finding) == (
        f"{CERAXON}:{line_of(project, CERAXON, 'restores the cell')}: composition[0].excipients[0].name: error: 'restores' states an effect or "
        "assurance in this site's own voice (say who states it, e.g. 'The product listing states that ...', or put it under source_claims)"
    )
    edit(project, CERAXON, "Sodium hydroxide, which restores the cell membranes\n", "Sodium hydroxide, which the source says restores the cell membranes\n")
    assert not check_content(Project.at(project), TODAY)[1]
    # The same words in a section the page shows as the source's, with its speaker, need no attribution.
    edit(project, CERAXON, "pharmacodynamics:\n", "pharmacodynamics:\n  - It restores the cell membranes and is safe.\n")
    assert not check_content(Project.at(project), TODAY)[1]


def test_an_assurance_is_never_a_warning(project: Path) -> None:
    edit(project, CELLEX, "source_claims:\n  - The drug does not contain", "special_instructions:\n  - The drug does not contain")
    finding = only(project)
    line = line_of(project, CELLEX, "does not contain prion")
    assert str(finding) == (
        f"{CELLEX}:{line}: special_instructions[0]: error: assurance 'does not contain' is listed as a warning "
        "(expected it under source_claims, shown as the source's statement)"
    )
    # Attributed, it is still no warning.
    edit(project, CELLEX, "  - The drug does not contain", "  - The product listing states that the drug does not contain")
    assert only(project).message.startswith("assurance 'does not contain' is listed as a warning")


def test_an_instruction_for_every_form_is_not_limited_to_one(project: Path) -> None:
    edit(project, CERAXON, "  - Keep out of the reach of children.\n", "  - forms:\n      - injection\n    text: Keep out of the reach of children.\n")
    finding = only(project)
    line = line_of(project, CERAXON, "Keep out of the reach") - 2
    assert str(finding) == (
        f"{CERAXON}:{line}: storage[1].forms: error: 'keep out of the reach of children' is an instruction for every form, "
        "but forms: limits it to injection (expected no forms: unless the source limits it)"
    )


def test_a_source_that_denies_the_reactions_it_lists_needs_a_note(project: Path) -> None:
    text = (project / M2).read_text(encoding="utf-8")
    note = re.search(r"  - topic: Reactions, and the claim that no complications are expected\n(?:    .*\n|      .*\n)+", text)
    assert note, "the fixture's m2 page has its contradiction note"
    edit(project, M2, note.group(), "")
    finding = only(project)
    line = line_of(project, M2, "is safe and no complications")
    reactions = len(re.findall(r"^  - reaction:", text, re.M))
    assert str(finding) == (
        f"{M2}:{line}: provider_claims[4]: error: 'no complications' contradicts the {reactions} side effects or reactions this page lists "
        "(expected an editorial note that names 'no complications' and says the source contradicts itself)"
    )
    # A requirement about the patient ("must have no complications of ...") is no denial.
    assert "must have no complications of a chronic condition" in text


def test_a_translation_pitfall_needs_a_note_saying_the_translation_is_uncertain(project: Path) -> None:
    topic = 'Contraindications, "productive delirium" (uncertain translation)'
    edit(project, CELLEX, f"  - topic: {topic}\n", "  - topic: Contraindications, productive delirium\n")
    edit(project, CELLEX, "The term is a machine translation from Russian and the translation is uncertain:", "The term may be unclear:")
    finding = only(project)
    pitfall = next(p for p in phrases().pitfalls if p.term == "productive delirium")
    assert str(finding) == (
        f"{CELLEX}:{line_of(project, CELLEX, '  - Productive delirium')}: contraindications[2]: error: 'productive delirium' is a known "
        f"machine-translation pitfall: it may mean {pitfall.may_mean} (expected an editorial note that names 'productive delirium', "
        "says the translation is uncertain and what it may mean; keep the source's words)"
    )


def test_every_listed_pitfall_is_caught_in_its_plural_too(project: Path) -> None:
    """Each term of `translation_pitfalls`, planted in a page with no note about it, is an error (derived from the list)."""
    for pitfall in phrases().pitfalls:
        edit(project, CYTOKINE, "status: Recently started by the centre;", f"status: Recently started by the centre for {pitfall.term}s;")
        found = [f for f in check_content(Project.at(project), TODAY)[1] if f.field == "status"]
        assert [f.message.split(" is a known")[0] for f in found] == [repr(pitfall.term)], pitfall.term
        edit(project, CYTOKINE, f"status: Recently started by the centre for {pitfall.term}s;", "status: Recently started by the centre;")


# --- proofreading the rendered text ------------------------------------------------------------


def test_the_fixture_catalogue_reads_cleanly(catalogue: Catalogue, rendered: RenderedSite) -> None:
    assert proofread(catalogue, rendered) == []


def test_doubled_punctuation_is_reported_at_the_value_that_made_it(project: Path) -> None:
    edit(project, CERAXON, "    text: 3 years.\n", "    text: 3 years. .\n")
    line = line_of(project, CERAXON, "text: 3 years. .")
    assert proofread_only(project) == (
        f"{CERAXON}:{line}: shelf_life[0].text: error: doubled punctuation '. .' in '3 years. .' "
        "(expected one mark: remove it from the text, or the page adds its own)"
    )
    # The page adds a full stop after a reaction's name: one in the text as well is not doubled on the page.
    edit(project, CERAXON, "    text: 3 years. .\n", "    text: 3 years.\n")
    edit(project, M2, "  - reaction: Vomiting\n", "  - reaction: Vomiting.\n")
    assert check_content(Project.at(project), TODAY, proofread_pages=True)[1] == []


def test_a_sentence_said_twice_on_a_page_is_reported(project: Path) -> None:
    said = "The tissue-specific signaling proteins and polypeptides in the drug"
    paragraph = next(p for p in (project / CELLEX).read_text(encoding="utf-8").split("\n  - >-\n") if said in p)
    sentence = " ".join(paragraph.split())  # one sentence: the first paragraph of How it works
    edit(
        project,
        CELLEX,
        "  - Do not use after the expiry date stated on the package.\n",
        f"  - Do not use after the expiry date stated on the package.\n  - {sentence}\n",
    )
    finding = proofread_only(project)
    # At either value that says it (the page shows both), on the line of the words before the repeat's end.
    path, line, field = finding.split(": error: ")[0].split(":")
    assert path == CELLEX and field.strip() in {"shelf_life[2]", "pharmacodynamics[0]"}, finding
    assert "excitatory amino acids" in (project / CELLEX).read_text(encoding="utf-8").splitlines()[int(line) - 1]
    assert finding.endswith(f": error: the sentence '…{sentence[-80:]}' is said twice on this page (expected it once: remove one, or reword it)")


def test_a_cross_reference_that_reads_as_nothing_on_paper(project: Path) -> None:
    edit(project, CERAXON, "    text: 3 years.\n", "    text: 3 years (see section).\n")
    line = line_of(project, CERAXON, "3 years (see section)")
    finding = proofread_only(project)
    assert finding.startswith(f"{CERAXON}:{line}: shelf_life[0].text: error: cross-reference 'see section' names nothing"), finding


def test_the_sources_on_a_one_source_page(project: Path, catalogue: Catalogue) -> None:
    assert len(catalogue.get("drug", "ceraxon").sources) == 1 < len(catalogue.get("drug", "cellex").sources)
    edit(project, CERAXON, "    text: 3 years.\n", "    text: 3 years, as the sources give it.\n")
    line = line_of(project, CERAXON, "as the sources give it")
    assert proofread_only(project).startswith(
        f"{CERAXON}:{line}: shelf_life[0].text: error: 'the sources' on a page with one source (expected 'the source', with the verb in the singular)"
    )
    # On a page with two sources it is right.
    edit(project, CERAXON, "as the sources give it", "as the source gives it")
    edit(project, CELLEX, "  - 2 years.\n", "  - 2 years, as the sources give it.\n")
    assert check_content(Project.at(project), TODAY, proofread_pages=True)[1] == []


def test_template_text_is_reported_at_the_generated_pages_line(catalogue: Catalogue, rendered: RenderedSite) -> None:
    """What no content value wrote (a template's words) is reported at the page's own line: fix the template."""
    path = catalogue.path_of(catalogue.get("drug", "ceraxon"))
    one_source = f"[{catalogue.sources['002_7709ced4b3a94a0b.txt'].title}](../sources.md#x)"
    planted = ["*Sources compared: " + one_source + ".*", "Publisher: not named in the copy this site has.", "For more, see below."]
    text = rendered.pages[path] + "\n".join(planted) + "\n"
    site = dataclasses.replace(rendered, pages={**rendered.pages, path: text})
    first = len(rendered.pages[path].splitlines()) + 1
    assert [str(f) for f in proofread(catalogue, site)] == [
        f"{path}:{first}: (template text): error: 'Sources compared:' before one source (expected 'Source:')",
        f"{path}:{first + 1}: (template text): error: words meant for editors, not readers: 'the copy this site has' (expected what a reader needs to know)",
        f"{path}:{first + 2}: (template text): error: cross-reference 'see below' names nothing a reader can find on paper "
        "(expected the section's name, e.g. 'see \"Dosage\" below')",
    ]


def test_a_build_refuses_a_page_that_does_not_read_cleanly_and_writes_nothing(project: Path) -> None:
    edit(project, CERAXON, "    text: 3 years.\n", "    text: 3 years. .\n")
    result = run(project, "render", "--out", "out")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"{CERAXON}:{line_of(project, CERAXON, 'text: 3 years. .')}: shelf_life[0].text: error: doubled punctuation" in result.stderr
    assert not (project / "out").exists()


def test_words_meant_for_editors_in_a_hand_written_page_are_reported_at_its_line(project: Path) -> None:
    about = "content/pages/about.md"
    edit(project, about, "It is not a prescribing", "The copy this site has is not a prescribing")
    line = line_of(project, about, "The copy this site has")
    assert proofread_only(project) == (
        f"{about}:{line}: (body): error: words meant for editors, not readers: 'the copy this site has' (expected what a reader needs to know)"
    )


def test_template_syntax_that_reaches_a_page_is_reported_at_its_line(catalogue: Catalogue, rendered: RenderedSite) -> None:
    """A comment written `{# #}` instead of `{## ##}` (or a tag left open) is printed on the page: refused at the line;
    a heading's anchor (`{#id}`) and an attribute list (`{: .class }`) are not template syntax."""
    path = catalogue.path_of(catalogue.get("drug", "ceraxon")).replace(".md", "/professional.md")
    first = len(rendered.pages[path].splitlines()) + 1
    for leaked, shown in (("{# a comment in the wrong delimiters #}", "{#"), ("Dose: {{ page.dose", "{{"), ("{% if x %}", "{%")):
        site = dataclasses.replace(rendered, pages={**rendered.pages, path: rendered.pages[path] + leaked + "\n"})
        assert [str(f) for f in proofread(catalogue, site)] == [
            f"{path}:{first}: (template text): error: template syntax {shown!r} reached the page "
            "(expected the template's comments as {## ##}, its tags closed)"
        ]
    fine = "## A heading {#a-heading}\n{: .screen-only }\n"
    site = dataclasses.replace(rendered, pages={**rendered.pages, path: rendered.pages[path] + fine})
    assert proofread(catalogue, site) == []
