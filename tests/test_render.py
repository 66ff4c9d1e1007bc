"""Rendering: content text stays inert, every entity gets its page, links are relative."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from conftest import both_catalogues

from generator.content.catalogue import Catalogue
from generator.pages.markdown import front_matter_text, inert, relative_link
from generator.pages.render import RenderedSite

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        "{{ 7*7 }} {% if x %}",
        "[x](javascript:alert(1))",
        "**bold** _em_ `code`",
        "a | b",
        "{: onclick=alert(1) }",
        "# heading",
        "1. item",
        "- item",
        "!!! danger",
    ],
)
def test_inert_text_has_no_markup_characters_left(text: str) -> None:
    out = re.sub(r"&#\d+;", "", inert(text))  # what is left once character references are set aside
    assert not re.search(r"[<>`*_\[\]{}|#!&]", out)
    assert not re.match(r"^(\d+[.)]|[-+])", out)


def test_inert_keeps_one_line_and_plain_words() -> None:
    assert inert("Take 0.1-0.2 mg\nonce a day") == "Take 0.1-0.2 mg once a day"


def test_front_matter_text_is_html_safe_yaml() -> None:
    assert front_matter_text('He said "<b>"') == '"He said &quot;&lt;b&gt;&quot;"'


def test_links_are_relative_so_sub_paths_and_file_urls_work() -> None:
    assert relative_link("procedures/x.md", "drugs/y.md") == "../procedures/x.md"
    assert relative_link("sources.md", "index.md") == "sources.md"


@both_catalogues
def test_every_entity_and_listing_has_a_page(any_rendered: RenderedSite, any_catalogue: Catalogue) -> None:
    rendered, catalogue = any_rendered, any_catalogue
    for entity in catalogue.all():
        assert catalogue.path_of(entity) in rendered.pages
    for listing in [
        "index.md",
        "drugs/index.md",
        "drugs/compare.md",
        "a-z.md",
        "sources.md",
        "procedures/index.md",
        "conditions/index.md",
        "faq/index.md",
        "providers/index.md",
        "disclaimer.md",
        "editorial-policy.md",
        "about.md",
    ]:
        assert listing in rendered.pages


# The professional page's anchors in regulatory (SmPC) order: 2, 3, 4.1–4.9, 5.1–5.2, 6.3–6.5, then sources.
SMPC_ANCHORS = [
    "key-facts", "composition", "dosage-forms", "indications", "dosage", "children", "contraindications", "warnings",
    "interactions", "pregnancy", "driving", "side-effects", "overdose", "pharmacodynamics", "pharmacokinetics",
    "shelf-life", "storage", "packaging", "sources-and-review",
]  # fmt: skip
# The reader's page: the same anchors in the order of the EU package leaflet (QRD), key safety first.
LEAFLET_ANCHORS = [
    "key-safety", "what-it-is", "key-facts", "indications", "before-use", "contraindications", "warnings", "children",
    "interactions", "pregnancy", "driving", "dosage", "overdose", "side-effects", "storage", "shelf-life",
    "other-information", "composition", "dosage-forms", "packaging", "pharmacodynamics", "pharmacokinetics",
    "sources-and-review",
]  # fmt: skip


def anchor_positions(text: str, anchors: list[str]) -> list[int]:
    """Where each `{#anchor}` or `id="anchor"` is in the Markdown; -1 when it is missing."""
    found = [re.search(rf'\{{#{anchor}\}}|id="{anchor}"', text) for anchor in anchors]
    return [match.start() if match else -1 for match in found]


@pytest.mark.parametrize("slug", ["cellex", "ceraxon"])
def test_professional_page_follows_smpc_order_with_stable_anchors(rendered: RenderedSite, slug: str) -> None:
    positions = anchor_positions(rendered.pages[f"drugs/{slug}/professional.md"], SMPC_ANCHORS)
    assert -1 not in positions, [a for a, at in zip(SMPC_ANCHORS, positions, strict=True) if at == -1]
    assert positions == sorted(positions)


@both_catalogues
def test_every_professional_page_keeps_smpc_order(any_rendered: RenderedSite, any_catalogue: Catalogue) -> None:
    """Whichever sections a monograph has, its professional page gives them in SmPC order, and the required ones are there."""
    for drug in any_catalogue.of_kind("drug"):
        page = any_rendered.pages[any_catalogue.path_of(drug).removesuffix(".md") + "/professional.md"]
        positions = [at for at in (page.find(f"{{#{anchor}}}") for anchor in SMPC_ANCHORS) if at != -1]
        assert positions == sorted(positions), drug.title
        for anchor in ("composition", "indications", "dosage", "contraindications", "sources-and-review"):
            assert f"{{#{anchor}}}" in page, (drug.title, anchor)


@pytest.mark.parametrize("slug", ["cellex", "ceraxon"])
def test_readers_page_follows_the_leaflet_order_with_the_same_anchors(rendered: RenderedSite, slug: str) -> None:
    page = rendered.pages[f"drugs/{slug}.md"]
    positions = anchor_positions(page, LEAFLET_ANCHORS)
    assert -1 not in positions, [a for a, at in zip(LEAFLET_ANCHORS, positions, strict=True) if at == -1]
    assert positions == sorted(positions)
    # Every SmPC anchor is on the reader's page too, so a link to a topic lands on it on either page.
    assert -1 not in anchor_positions(page, SMPC_ANCHORS)
    assert "(" + slug + "/professional.md)" in page


def test_professional_pages_stay_out_of_navigation_and_are_searched_as_professional(rendered: RenderedSite) -> None:
    for slug in ("cellex", "ceraxon"):
        path = f"drugs/{slug}/professional.md"
        assert path in rendered.not_in_nav
        front = rendered.pages[path].split("\n---\n", 1)[0]
        assert "search:\n  professional: true" in front and "exclude" not in front and "names:" not in front and "jsonld:" not in front
        # The reader's page lists the drug's names for search; the professional page does not claim them.
        reader = yaml.safe_load(rendered.pages[f"drugs/{slug}.md"].split("---\n", 2)[1])
        assert reader["search"]["names"][0] == reader["title"] and len(reader["search"]["names"]) > 1


def test_pages_link_both_ways(rendered: RenderedSite) -> None:
    assert "(../providers/iskitim-cp-centre.md)" in rendered.pages["procedures/m2-macrophage-therapy.md"]
    assert "(../procedures/m2-macrophage-therapy.md)" in rendered.pages["providers/iskitim-cp-centre.md"]
    assert "(../procedures/m2-macrophage-therapy.md)" in rendered.pages["conditions/cerebral-palsy.md"]
    assert "(../conditions/cerebral-palsy.md)" in rendered.pages["procedures/m2-macrophage-therapy.md"]
    assert "(ceraxon.md)" in rendered.pages["drugs/cellex.md"]


def test_a_to_z_lists_aliases(rendered: RenderedSite) -> None:
    index = rendered.pages["a-z.md"]
    for alias in ("Cerakson", "Cicolin", "Ceraxone"):
        assert re.search(rf"\[{alias}\]\(drugs/ceraxon\.md\)", index)


def test_disagreements_are_shown_with_their_sources(rendered: RenderedSite) -> None:
    cellex = rendered.pages["drugs/cellex.md"]
    assert "**Editorial note: Route of administration.**" in cellex and "by mouth" in cellex and "subcutaneous" in cellex.lower()
    ceraxon = rendered.pages["drugs/ceraxon.md"]
    assert "under 18" in ceraxon and "1 ml (100 mg) twice a day" in ceraxon


def test_patient_names_from_reviews_are_not_published(rendered: RenderedSite) -> None:
    everything = "\n".join(rendered.pages.values())
    for name in ("Olesya", "Sasha", "Svetlana", "Хроленко"):
        assert name not in everything


@both_catalogues
def test_debris_is_dropped(any_rendered: RenderedSite) -> None:
    everything = "\n".join(any_rendered.pages.values()).lower()
    for debris in ("watch the video", "leave your comment", "introzorn", "select the language", "request a call"):
        assert debris not in everything
