"""Search documents from the generated Markdown, and the sharded index written from them
(generator/pages/search_entries.py, generator/pages/search_shards.py), on the fixture catalogue."""

from __future__ import annotations

import json
from pathlib import Path

import markdown
import pytest
import yaml
from conftest import ROOT, run

from generator.content.catalogue import Catalogue
from generator.pages.render import RenderedSite
from generator.pages.search_entries import page_entries
from generator.pages.search_shards import LANGUAGES, MAX_COUNT, TITLE_WEIGHT, LanguageMismatch, shard_name, shard_of, write_shards


def split(page: str) -> tuple[dict, str]:
    """Front matter and body of a generated page."""
    _, front, body = page.split("---\n", 2)
    return yaml.safe_load(front), body


def entries_of(rendered: RenderedSite) -> list[dict[str, str]]:
    """Material-style entries for every page not excluded from search, as the MkDocs hook makes them."""
    entries = []
    for path, page in sorted(rendered.pages.items()):
        meta, body = split(page)
        search = meta.get("search") or {}
        if search.get("exclude"):
            continue
        url = path.removesuffix(".md").removesuffix("index") + ("/" if not path.endswith("index.md") else "")
        for entry in page_entries(body, meta["title"]):
            item = {"location": f"{url}#{entry.anchor}" if entry.anchor else url, "title": entry.title, "text": entry.text}
            if not entry.anchor:
                item.update({key: search[key] for key in ("names", "professional") if key in search})
            entries.append(item)
    return entries


def test_a_drug_page_is_its_summary_then_one_document_per_section(rendered: RenderedSite) -> None:
    meta, body = split(rendered.pages["drugs/ceraxon.md"])
    entries = page_entries(body, meta["title"])
    assert (entries[0].anchor, entries[0].title, entries[0].text) == ("", "Ceraxon", meta["description"])
    anchors = [entry.anchor for entry in entries]
    assert anchors[1] == "key-safety" and {"children", "children-dose", "what-it-is"} <= set(anchors)
    assert len(anchors) == len(set(anchors))
    children = entries[anchors.index("children")]
    assert children.title == "Ceraxon and children" and "**" not in children.text and "{:" not in children.text
    assert entries[anchors.index("what-it-is")].title.startswith("1. What Ceraxon is")


# Headings `toc` gives surprising ids: Cyrillic and Greek (no ASCII left: "_1", "_2"), a repeated
# heading, an h2 that repeats the h1, one that repeats an id given elsewhere on the page.
TRICKY_PAGE = """# Ceraxon

Lead.

## Ceraxon

Under a heading that repeats the h1.

## Дозировка для детей

Cyrillic.

## Δοσολογία

Greek.

## Same

One.

## Same

Two.

## Key facts

<div id="key-facts-1" markdown>Raw HTML with an id.</div>

## Dose: 5–10 mg (adults) {#dose}

Explicit.

## Dose

Plain.
"""


def engine_ids(markdown_text: str) -> list[str]:
    """The ids the site's own Markdown engine gives the headings, with mkdocs.yml's `toc` configuration."""
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)  # BaseLoader: it has !ENV tags
    extensions = [next(iter(e)) if isinstance(e, dict) else e for e in config["markdown_extensions"]]
    toc_config = next((e["toc"] for e in config["markdown_extensions"] if isinstance(e, dict) and "toc" in e), {})
    md = markdown.Markdown(extensions=extensions, extension_configs={"toc": {k: v for k, v in toc_config.items() if k == "slugify"}})
    md.convert(markdown_text)

    def flat(tokens: list[dict]) -> list[str]:
        return [i for token in tokens for i in [token["id"], *flat(token["children"])]]

    return flat(md.toc_tokens)


def test_heading_anchors_are_the_ids_the_engine_gives_its_headings() -> None:
    ids = engine_ids(TRICKY_PAGE)
    entries = page_entries(TRICKY_PAGE, "Ceraxon")
    assert [e.anchor for e in entries[1:]] == ids[1:]  # worked out without the engine's table of contents
    assert [e.anchor for e in page_entries(TRICKY_PAGE, "Ceraxon", ids)[1:]] == ids[1:]  # and with it
    # What a hand re-derivation got wrong: the h2 repeating the h1, the scripts, the id from HTML.
    anchors = dict(zip([e.title for e in entries[1:]], [e.anchor for e in entries[1:]], strict=False))
    assert anchors["Ceraxon"] == "ceraxon_1" and anchors["Дозировка для детей"] == "_1" and anchors["Δοσολογία"] == "_2"
    assert anchors["Key facts"] == "key-facts" and [e.anchor for e in entries if e.title.startswith("Dose")] == ["dose", "dose_1"]
    # The engine's ids win where they are given one per heading; a list of the wrong length is not used.
    given = [f"id-{n}" for n in range(len(ids))]
    assert [e.anchor for e in page_entries(TRICKY_PAGE, "Ceraxon", given)[1:]] == given[1:]
    assert [e.anchor for e in page_entries(TRICKY_PAGE, "Ceraxon", given[1:])[1:]] == ids[1:]


def test_every_section_a_search_result_links_to_is_an_id_on_its_page(targets: dict[str, Path]) -> None:
    site = targets["site"]
    locations = [doc[0] for path in (site / "search/shards/p").glob("*.json") for doc in json.loads(path.read_text(encoding="utf-8"))]
    sections = [location for location in locations if "#" in location]
    assert sections
    missing = []
    for location in sections:
        path, anchor = location.split("#")
        page = (site / path / "index.html").read_text(encoding="utf-8")
        if f'id="{anchor}"' not in page:
            missing.append(location)
    assert missing == []


def test_shards_hold_each_term_under_its_prefix_and_a_query_needs_few_of_them(rendered: RenderedSite, tmp_path: Path) -> None:
    entries = entries_of(rendered)
    write_shards(entries, tmp_path, "en", "a-z/")
    out = tmp_path / "shards"
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["docs"] == len(entries)
    shard = json.loads((out / "t" / f"{shard_name('ce')}.json").read_text(encoding="utf-8"))
    # The postings of "ceraxon" (deltas and weights) lead to Ceraxon's documents, its page's title among them.
    flat, doc, found = shard["ceraxon"], 0, []
    for delta, weight in zip(flat[::2], flat[1::2], strict=True):
        doc += delta
        found.append((entries[doc], weight))
    assert any(entry["location"] == "drugs/ceraxon/" and weight >= 16 for entry, weight in found)  # 16: in the title
    assert all("ceraxon" in (entry["title"] + " " + entry["text"]).lower() for entry, _ in found)
    assert "cellex" not in shard["ceraxon"] and "cellex" in shard
    # A two-word query reads two shards out of many.
    needed = {shard_name(shard_of(term)) for term in LANGUAGES["en"].terms("Ceraxon children")}
    assert needed == {shard_name("ce"), shard_name("ch")}
    assert len(manifest["shards"]) > 20 * len(needed)
    assert all(name in manifest["shards"] for name in needed)
    # Each page's documents are in its own file, page by page in order.
    first = 0
    for n, delta in enumerate(manifest["pages"]):
        first += delta
        page = json.loads((out / "p" / f"{n}.json").read_text(encoding="utf-8"))
        assert page[0][0] == entries[first]["location"] and "#" not in page[0][0]


def test_stop_words_are_left_out_and_accents_folded() -> None:
    assert LANGUAGES["en"].terms("The Céraxon of children") == ["ceraxon", "children"]


def test_the_manifest_lists_names_professional_pages_and_the_tokeniser(rendered: RenderedSite, catalogue: Catalogue, tmp_path: Path) -> None:
    manifest = write_shards(entries_of(rendered), tmp_path, "en", "a-z/")
    assert manifest == json.loads((tmp_path / "shards/manifest.json").read_text(encoding="utf-8"))
    listed = sorted(tuple(row[1:]) for row in manifest["names"])
    assert listed == sorted(tuple(entity.names()) for entity in catalogue.all())
    assert len(manifest["professional"]) == len(catalogue.of_kind("drug"))
    assert manifest["text"] == {**LANGUAGES["en"].spec(), "stop": sorted(LANGUAGES["en"].stop_words)} and manifest["a_to_z"] == "a-z/"
    # Inline (the offline bundle): the same manifest, shards and pages, and nothing written.
    inline = write_shards(entries_of(rendered), None, "en", "a-z/")
    assert inline["manifest"] == manifest
    assert set(inline["t"]) == {path.stem for path in (tmp_path / "shards/t").iterdir()}
    assert len(inline["p"]) == len(manifest["pages"])


def test_a_site_language_without_a_tokeniser_is_refused(rendered: RenderedSite, tmp_path: Path) -> None:
    with pytest.raises(LanguageMismatch, match=r"^theme.language: 'ru' has no search tokeniser \(expected one of: en;"):
        write_shards(entries_of(rendered), tmp_path, "ru", "a-z/")
    assert not (tmp_path / "shards").exists()
    assert write_shards(entries_of(rendered), tmp_path, "en", "a-z/")["lang"] == "en"


@pytest.mark.slow
def test_a_build_whose_language_the_index_cannot_tokenise_fails_with_one_line(project: Path) -> None:
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  language: en\n", "  language: ru\n"), encoding="utf-8")
    result = run(project, "build", timeout=300)
    assert result.returncode != 0
    assert "theme.language: 'ru' has no search tokeniser (expected one of: en;" in result.stderr
    assert "Traceback" not in result.stderr and not (project / "site").exists()


def postings_of(search_dir: Path, term: str) -> list[tuple[int, int]]:
    """A term's (document, weight) pairs as written in its shard."""
    flat = json.loads((search_dir / "shards" / "t" / f"{shard_name(shard_of(term))}.json").read_text(encoding="utf-8"))[term]
    documents, weights = flat[0::2], flat[1::2]
    return list(zip([sum(documents[: i + 1]) for i in range(len(documents))], weights, strict=True))


def test_a_terms_weight_is_capped_so_a_title_always_outranks_repetition(tmp_path: Path) -> None:
    """Repeating a word in the text raises its weight only up to MAX_COUNT; a word in the title
    weighs TITLE_WEIGHT more, so no amount of repetition lifts a text above a title."""
    over = MAX_COUNT + 10
    entries = [
        {"location": "alpha/", "title": "Alpha", "text": "<p>" + "zeta " * over + "theta theta</p>"},
        {"location": "zeta/", "title": "Zeta", "text": "<p>" + "zeta " * over + "</p>"},
        {"location": "eta/", "title": "Eta", "text": "<p>zeta</p>"},
    ]
    write_shards(entries, tmp_path, "en", "a-z/")
    assert postings_of(tmp_path, "zeta") == [(0, MAX_COUNT), (1, TITLE_WEIGHT + MAX_COUNT), (2, 1)]
    assert postings_of(tmp_path, "theta") == [(0, 2)]  # below the cap a count is kept as it is
    assert TITLE_WEIGHT > MAX_COUNT
