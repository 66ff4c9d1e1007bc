"""The real `mkdocs build`, run the way `make site` runs it, on a copy of the project (content from
the fixture catalogue; one test checks the live content's site for what holds for any content)."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import copy_project, run, tree_digest

pytestmark = pytest.mark.slow  # every test builds a site


def build(project: Path) -> subprocess.CompletedProcess[str]:
    """`python -m generator build` in `project`."""
    return run(project, "build", timeout=300)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("built") / "project")
    result = build(project)
    assert result.returncode == 0, result.stderr
    return project


def html(project: Path, page: str) -> str:
    return (project / "site" / page / "index.html").read_text(encoding="utf-8")


def test_build_ends_with_one_summary_line(built: Path) -> None:
    second = build(built)
    assert second.returncode == 0
    lines = second.stdout.strip().splitlines()
    assert len(lines) == 1
    assert re.fullmatch(
        r"Built site/: drug 2, procedure 4, condition 1, faq 1, provider 2; (\d+) pages \(0 written, \1 unchanged, 0 removed\); "
        r"generated in [\d.]+ s; checked for requests to other hosts in [\d.]+ s; MkDocs: (\d+) pages: 0 read, 0 themed, \2 reused from cache in [\d.]+ s",
        lines[0],
    )


ENTITY_SECTIONS = {
    "drugs/cellex": [
        "composition",
        "indications",
        "dosage",
        "children",
        "contraindications",
        "interactions",
        "pregnancy",
        "driving",
        "side-effects",
        "overdose",
        "pharmacodynamics",
        "pharmacokinetics",
        "shelf-life",
        "storage",
        "packaging",
    ],
    "drugs/ceraxon": ["composition", "indications", "dosage", "contraindications", "side-effects", "analogues", "price", "patient-reports"],
    "procedures/m2-macrophage-therapy": ["who-it-is-for", "steps", "reactions", "reported-effects", "provider-claims"],
    "procedures/neurometabolic-therapy": ["steps", "reported-effects", "provider-claims"],
    "procedures/cytokine-therapy": ["steps"],
    "procedures/msc-therapy-course": ["contraindications", "steps", "reactions", "aftercare", "reported-effects"],
    "conditions/cerebral-palsy": ["definition", "forms", "causes", "symptoms", "complications", "treatment", "prevalence", "procedures"],
    "faq/stem-cells": ["related"],
    "providers/iskitim-cp-centre": ["services"],
    "providers/reocell-clinic": ["services", "faq"],
}


@pytest.mark.parametrize("page", sorted(ENTITY_SECTIONS))
def test_every_entity_page_has_its_key_sections(built: Path, page: str) -> None:
    text = html(built, page)
    for anchor in [*ENTITY_SECTIONS[page], "sources-and-review"]:
        assert f'id="{anchor}"' in text, f"{page} lacks #{anchor}"
    assert "Last reviewed: 2026-11-22" in text
    assert "Not medical advice." in text


def test_no_page_requests_a_third_party(built: Path) -> None:
    """Scripts, styles, fonts and images all come from the site itself (links a reader clicks may not)."""
    for page in (built / "site").rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not re.search(r"""\ssrc=["'](https?:)?//""", text), page
        assert not re.search(r"""<link\b[^>]*\shref=["'](https?:)?//(?!example\.org)""", text), page


def search_hits(project: Path, word: str) -> set[str]:
    """Locations whose title or text contains `word` as a token, in the sharded index's documents
    (`search/shards/p/*.json`: [location, title, text] each; generator/pages/search_shards.py)."""
    docs = [doc for path in (project / "site/search/shards/p").glob("*.json") for doc in json.loads(path.read_text(encoding="utf-8"))]
    token = re.compile(rf"(?<![\w]){re.escape(word)}(?![\w])", re.I)
    return {location.split("#")[0] for location, title, text in docs if token.search(title) or token.search(text)}


@pytest.mark.parametrize("word", ["citicoline", "Cerakson", "Ceraxone", "Cicolin"])
def test_search_index_finds_ceraxon_by_substance_and_spellings(built: Path, word: str) -> None:
    assert "drugs/ceraxon/" in search_hits(built, word)


def test_search_index_finds_procedures_by_name(built: Path) -> None:
    assert "procedures/m2-macrophage-therapy/" in search_hits(built, "macrophage")


def test_markup_in_content_is_shown_as_text_never_run(project: Path) -> None:
    cellex = project / "content/drug/cellex.yaml"
    data = yaml.safe_load(cellex.read_text(encoding="utf-8"))
    data["title"] = "Cellex <script>alert(1)</script>"
    data["summary"] = 'Say "hi" <img src=x onerror=alert(2)> {{ 7*7 }} [x](javascript:alert(3))'
    data["overdose"] = ["</textarea><script>alert(4)</script> {: onclick=alert(5) }"]
    cellex.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = build(project)
    assert result.returncode == 0, result.stderr
    for page in (project / "site").rglob("*.html"):
        body = page.read_text(encoding="utf-8")
        for live in ("<script>alert(", "<img src=x", 'href="javascript:', "onclick="):
            assert live not in body, (page, live)
    page = html(project, "drugs/cellex")
    assert "{{ 7*7 }}" in page or "&#123;&#123; 7*7 &#125;&#125;" in page
    assert "49" not in re.sub(r"<[^>]+>", "", page).split("Say")[1][:80]


def test_failed_build_leaves_previous_site_exactly_as_it_was(built: Path) -> None:
    before = tree_digest(built / "site")
    broken = built / "content/drug/cellex.yaml"
    original = broken.read_bytes()
    broken.write_bytes(original.replace(b"title:", b"titel:", 1))
    try:
        result = build(built)
    finally:
        broken.write_bytes(original)
    assert result.returncode == 1
    assert "content/drug/cellex.yaml:" in result.stderr and "Traceback" not in result.stderr
    assert tree_digest(built / "site") == before
    assert not (built / "site.building").exists()


def test_every_page_has_canonical_distinct_description_and_open_graph(built: Path) -> None:
    descriptions: dict[str, str] = {}
    for page in sorted((built / "site").rglob("index.html")):
        text = page.read_text(encoding="utf-8")
        where = page.relative_to(built / "site").parent.as_posix()
        canonical = re.search(r'<link rel="canonical" href="([^"]+)"', text)
        assert canonical and canonical.group(1) == f"https://example.org/medsite/{'' if where == '.' else where + '/'}", where
        description = re.search(r'<meta name="description" content="([^"]+)"', text)
        assert description, where
        assert description.group(1) not in descriptions, f"{where} repeats the description of {descriptions.get(description.group(1))}"
        descriptions[description.group(1)] = where
        assert '<meta property="og:title"' in text and '<meta property="og:description"' in text, where
    assert len(descriptions) >= 22


@pytest.mark.live
def test_every_live_page_has_canonical_description_open_graph_and_a_sitemap_entry(live_site: Path) -> None:
    """What holds for any content (distinct descriptions do not: check does not compare summaries)."""
    listed = set(re.findall(r"<loc>([^<]+)</loc>", (live_site / "sitemap.xml").read_text(encoding="utf-8")))
    pages = sorted(live_site.rglob("index.html"))
    assert pages
    for page in pages:
        text = page.read_text(encoding="utf-8")
        where = page.relative_to(live_site).parent.as_posix()
        canonical = re.search(r'<link rel="canonical" href="([^"]+)"', text)
        assert canonical and canonical.group(1) == f"https://example.org/medsite/{'' if where == '.' else where + '/'}", where
        assert canonical.group(1) in listed, f"{where} is not in the sitemap"
        assert re.search(r'<meta name="description" content="[^"]+"', text), where
        assert '<meta property="og:title"' in text and '<meta property="og:description"' in text, where
    assert len(listed) == len(pages), "the sitemap lists pages that were not built"


def test_robots_points_at_the_sitemap_and_keeps_previews_out(built: Path) -> None:
    robots = (built / "site/robots.txt").read_text(encoding="utf-8").splitlines()
    assert robots == ["User-agent: *", "Disallow: /medsite/pr-preview/", "Sitemap: https://example.org/medsite/sitemap.xml"]
    sitemap = (built / "site/sitemap.xml").read_text(encoding="utf-8")
    assert sitemap.count("<loc>") >= 22 and "https://example.org/medsite/drugs/ceraxon/" in sitemap


def test_not_found_page_helps_the_reader_on(built: Path) -> None:
    text = (built / "site/404.html").read_text(encoding="utf-8")
    assert "Page not found" in text and 'href="https://example.org/medsite/a-z/"' in text


def test_two_builds_are_byte_identical_and_dated_from_the_content(project: Path) -> None:
    """Dates come from the content (or SOURCE_DATE_EPOCH), never from the clock."""
    for path in (project / "content").rglob("*"):
        if path.suffix in (".yaml", ".md"):
            text = path.read_text(encoding="utf-8")
            text = text.replace("last_reviewed: 2026-11-22", "last_reviewed: 2026-01-15")
            path.write_text(text.replace("next_review: 2027-11-22", "next_review: 2027-01-15"), encoding="utf-8")  # within a year
    first = run(project, "build", "--site-dir", "first", timeout=300)
    second = run(project, "build", "--site-dir", "second", timeout=300)
    assert first.returncode == second.returncode == 0, first.stderr + second.stderr
    assert tree_digest(project / "first") == tree_digest(project / "second")
    lastmods = set(re.findall(r"<lastmod>([^<]+)</lastmod>", (project / "first/sitemap.xml").read_text(encoding="utf-8")))
    assert lastmods == {"2026-01-15"}
