"""Search documents from the generated Markdown, and the sharded index written from them
(generator/pages/search_entries.py, generator/pages/search_shards.py), on the fixture catalogue."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from markdown.extensions.toc import slugify as toc_slugify

from generator.pages.render import RenderedSite
from generator.pages.search_entries import page_entries, plain_text, slugify
from generator.pages.search_shards import LANGUAGES, MAX_COUNT, TITLE_WEIGHT, shard_name, shard_of, write_shards


def split(page: str) -> tuple[dict, str]:
    """Front matter and body of a generated page."""
    _, front, body = page.split("---\n", 2)
    return yaml.safe_load(front), body


def entries_of(rendered: RenderedSite) -> list[dict[str, str]]:
    """Material-style entries for every page not excluded from search, as the MkDocs hook makes them."""
    entries = []
    for path, page in sorted(rendered.pages.items()):
        meta, body = split(page)
        if (meta.get("search") or {}).get("exclude"):
            continue
        url = path.removesuffix(".md").removesuffix("index") + ("/" if not path.endswith("index.md") else "")
        for entry in page_entries(body, meta["title"]):
            entries.append({"location": f"{url}#{entry.anchor}" if entry.anchor else url, "title": entry.title, "text": entry.text})
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


def test_a_heading_without_an_id_gets_the_slug_python_markdown_gives_it() -> None:
    for heading in ["What it is not", "Dose: 5–10 mg (adults)", "Über `code` and *emphasis*"]:
        assert slugify(heading) == toc_slugify(plain_text(heading), "-")
    entries = page_entries("# About\n\nLead.\n\n## Same\n\nOne.\n\n## Same\n\nTwo.\n", "About")
    assert [(e.anchor, e.title, e.text) for e in entries] == [("", "About", "Lead."), ("same", "Same", "One."), ("same_1", "Same", "Two.")]


def test_shards_hold_each_term_under_its_prefix_and_a_query_needs_few_of_them(rendered: RenderedSite, tmp_path: Path) -> None:
    entries = entries_of(rendered)
    write_shards(entries, tmp_path, "en")
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
    write_shards(entries, tmp_path, "en")
    assert postings_of(tmp_path, "zeta") == [(0, MAX_COUNT), (1, TITLE_WEIGHT + MAX_COUNT), (2, 1)]
    assert postings_of(tmp_path, "theta") == [(0, 2)]  # below the cap a count is kept as it is
    assert TITLE_WEIGHT > MAX_COUNT
