"""Search as a reader uses it, in Chromium, on the public site and the offline bundle (issue 21).

Both targets run our worker (site-overrides/assets/javascripts/search-worker.js) over the same
entries (generator/pages/search_shards.py): the public site fetches shards, the offline bundle
has them inline and runs the worker in iframe-worker's shim from disk. Every expectation comes
from the catalogue: each entity's names (`names()`), its page path, the index's own terms.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from browser import search_answer
from conftest import copy_project, run, serve_directory

from generator.content.catalogue import Catalogue
from generator.pages.search_shards import LANGUAGES

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

ENGLISH = LANGUAGES["en"]
SEARCHED = pytest.mark.parametrize("target", ["site", "offline"])
MAX_PAGES = 10  # pages a result lists (search-worker.js MAX_PAGES)
# What the issue asks professional pages to be found by: the SmPC's own section names and its name.
PROFESSIONAL_TERMS = ("posology", "contraindications", "pharmacodynamics", "overdose", "smpc")


@contextmanager
def search_page(browser: Browser, url: str) -> Iterator[Page]:
    """The home page of a target, opened in a fresh context (`file:` URLs at their index.html)."""
    context = browser.new_context(service_workers="block")
    page = context.new_page()
    page.goto(url + ("index.html" if url.startswith("file:") else ""))
    try:
        yield page
    finally:
        context.close()


def page_url(catalogue: Catalogue, entity: object, target: str) -> str:
    """The address of an entity's page relative to the site root, as the target writes it."""
    path = catalogue.path_of(entity).removesuffix(".md")  # type: ignore[arg-type]
    return path + (".html" if target == "offline" else "/")


def named(catalogue: Catalogue, name: str, target: str) -> set[str]:
    """Pages of every entity that has a name with the same terms as `name` (two entities may share one)."""
    terms = ENGLISH.terms(name)
    return {page_url(catalogue, e, target) for e in catalogue.all() if any(ENGLISH.terms(n) == terms for n in e.names())}


def relative(url: str, base: str) -> str:
    return url.removeprefix(base)


def first_pages_by_name(browser: Browser, url: str, catalogue: Catalogue, target: str) -> list[tuple[str, str, list[str]]]:
    """Every name of every entity searched: (name, expected page, the pages shown) where its own page is not first."""
    wrong = []
    with search_page(browser, url) as page:
        for entity in catalogue.all():
            for name in entity.names():
                answer = search_answer(page, name)
                shown = [relative(p, url) for p in answer.pages]
                if not shown or shown[0] not in named(catalogue, name, target):
                    wrong.append((name, page_url(catalogue, entity, target), shown[:3]))
    return wrong


@SEARCHED
def test_every_name_of_every_entity_finds_its_own_page_first(browser: Browser, target_urls: dict[str, str], catalogue: Catalogue, target: str) -> None:
    assert first_pages_by_name(browser, target_urls[target], catalogue, target) == []


@pytest.mark.live
def test_every_name_in_the_live_content_finds_its_own_page_first(browser: Browser, live_url: str, live_catalogue: Catalogue) -> None:
    assert first_pages_by_name(browser, live_url, live_catalogue, "site") == []


def one_edit(a: str, b: str) -> bool:
    """Whether `a` is `b` with one insertion, deletion, substitution or swap of neighbours (restricted Damerau–Levenshtein ≤ 1)."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    rows = [list(range(len(b) + 1))]
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            row[j] = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], rows[-2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1] == 1


def index_terms(site: Path) -> set[str]:
    """Every term of a built site's sharded index."""
    return {term for path in (site / "search/shards/t").glob("*.json") for term in json.loads(path.read_text(encoding="utf-8"))}


def misspellings(word: str) -> dict[str, str]:
    """One misspelling of `word` per kind of edit, the first three within its first two letters."""
    other = next(c for c in "qzxjk" if c not in word[:3])
    swapped = word[1] + word[0] + word[2:] if word[0] != word[1] else word[0] + word[2] + word[1] + word[3:]
    middle = len(word) // 2
    return {
        "insertion at the start": other + word,
        "deletion of the first letter": word[1:],
        "substitution of the second letter": word[0] + other + word[2:],
        "transposition at the start": swapped,
        "substitution in the middle": word[:middle] + other + word[middle + 1 :],
    }


def typo_cases(catalogue: Catalogue, terms: set[str]) -> list[tuple[str, str, str, object]]:
    """(typo, edit, name term, entity) for each entity's longest name term of four or more letters
    that names it alone, each typo a word of no index term and one edit from no other name term."""
    owners: dict[str, set[int]] = {}
    for entity in catalogue.all():
        for name in entity.names():
            for term in ENGLISH.terms(name):
                owners.setdefault(term, set()).add(id(entity))
    cases = []
    for entity in catalogue.all():
        own = sorted(
            {t for n in entity.names() for t in ENGLISH.terms(n) if len(t) >= 4 and t.isalpha() and owners[t] == {id(entity)}}, key=lambda t: (-len(t), t)
        )
        if not own:
            continue
        for edit, typo in misspellings(own[0]).items():
            near = [t for t in owners if one_edit(typo, t)]
            if len(typo) >= 4 and typo not in terms and near == [own[0]]:
                cases.append((typo, edit, own[0], entity))
    return cases


@SEARCHED
def test_a_one_letter_typo_in_a_name_finds_its_page_and_says_did_you_mean(
    browser: Browser, targets: dict[str, Path], target_urls: dict[str, str], catalogue: Catalogue, target: str
) -> None:
    cases = typo_cases(catalogue, index_terms(targets["site"]))
    assert {edit for _, edit, _, _ in cases} == set(misspellings("abcdef"))  # every kind of edit is tried
    url = target_urls[target]
    wrong = []
    with search_page(browser, url) as page:
        for typo, edit, term, entity in cases:
            answer = search_answer(page, typo)
            shown = [relative(p, url) for p in answer.pages]
            name = next(n for n in entity.names() if term in ENGLISH.terms(n))  # type: ignore[attr-defined]
            said = f"Did you mean {name}?" in answer.meta and answer.note_links and relative(answer.note_links[0], url) == page_url(catalogue, entity, target)
            if not shown or shown[0] != page_url(catalogue, entity, target) or not said:
                wrong.append((typo, edit, shown[:2], answer.meta))
        # Negative controls: two edits, or a word shorter than four letters, are not corrected.
        typo, _, term, _ = cases[0]
        two_edits = term[1:-1] + "qq"
        for query in (two_edits, term[:2] + "q"):
            if query not in index_terms(targets["site"]):
                answer = search_answer(page, query)
                assert "Did you mean" not in answer.meta, (query, answer.meta)
    assert wrong == []


@SEARCHED
def test_professional_terms_find_the_professional_pages_marked_and_never_before_the_readers_page(
    browser: Browser, rendered: object, target_urls: dict[str, str], catalogue: Catalogue, target: str
) -> None:
    drugs = catalogue.of_kind("drug")
    professional = {
        page_url(catalogue, d, target).removesuffix("/").removesuffix(".html") + ("/professional" + (".html" if target == "offline" else "/")) for d in drugs
    }
    for drug in drugs:
        text = rendered.pages[catalogue.path_of(drug).removesuffix(".md") + "/professional.md"].lower()  # type: ignore[attr-defined]
        assert all(term in text for term in PROFESSIONAL_TERMS), drug.title
    url = target_urls[target]
    with search_page(browser, url) as page:
        for term in PROFESSIONAL_TERMS:
            answer = search_answer(page, term)
            shown = [relative(p, url) for p in answer.pages]
            assert professional <= set(shown), (term, shown)
            from_professional = [title for href, title in answer.results if relative(href, url).split("#")[0] in professional]
            assert from_professional and all("for health professionals" in title.lower() for title in from_professional), (term, answer.results)
        for drug in drugs:
            # A name with a professional term: the reader's page stays first.
            answer = search_answer(page, f"{drug.title} posology")
            assert relative(answer.pages[0], url) == page_url(catalogue, drug, target), answer.pages


def pages_matching(site: Path, word: str) -> set[int]:
    """Page numbers with a document holding a term `word` begins (the worker's prefix match), from the shard files."""
    manifest = json.loads((site / "search/shards/manifest.json").read_text(encoding="utf-8"))
    firsts, at = [], 0
    for delta in manifest["pages"]:
        at += delta
        firsts.append(at)
    table = json.loads((site / "search/shards/t" / f"{word[:2].encode().hex()}.json").read_text(encoding="utf-8"))
    pages = set()
    for term, flat in table.items():
        if term.startswith(word):
            doc = 0
            for delta in flat[::2]:
                doc += delta
                pages.add(max(i for i, first in enumerate(firsts) if first <= doc))
    return pages


@SEARCHED
def test_the_count_says_how_many_pages_match_not_how_many_are_shown(
    browser: Browser, targets: dict[str, Path], target_urls: dict[str, str], target: str
) -> None:
    site = targets["site"]
    by_count = {}
    for term in sorted(index_terms(site)):
        if len(term) >= 4 and term.isalpha() and term not in ENGLISH.stop_words:
            by_count.setdefault(len(pages_matching(site, term)), term)
    many = by_count[max(by_count)]
    few = next(term for count, term in sorted(by_count.items()) if 1 < count <= MAX_PAGES)
    assert len(pages_matching(site, many)) > MAX_PAGES
    with search_page(browser, target_urls[target]) as page:
        answer = search_answer(page, many)
        assert answer.meta == f"The first {MAX_PAGES} of {len(pages_matching(site, many))} matching pages"
        assert len(answer.pages) == MAX_PAGES
        answer = search_answer(page, few)
        assert answer.meta == f"{len(pages_matching(site, few))} matching pages"
        assert len(answer.pages) == len(pages_matching(site, few))


@SEARCHED
def test_a_query_in_another_script_is_told_the_site_is_in_english(browser: Browser, target_urls: dict[str, str], target: str) -> None:
    url = target_urls[target]
    with search_page(browser, url) as page:
        for query in ("Цераксон", "Κεραξόν", "सिटिकोलिन"):
            answer = search_answer(page, query)
            assert answer.pages == [] and answer.meta.startswith("This site is in English; try"), answer.meta
            assert [relative(link, url) for link in answer.note_links] == ["a-z.html" if target == "offline" else "a-z/"]
        answer = search_answer(page, "zqxwvy")  # in the site's script, matching nothing: no such hint
        assert answer.meta == "No matching pages" and answer.note_links == []


@pytest.fixture(scope="module")
def cyrillic_alias_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The fixture catalogue with a Cyrillic and a Greek alias added to one drug by its editor, built."""
    project = copy_project(tmp_path_factory.mktemp("alias") / "project")
    path = project / "content" / "drug" / "ceraxon.yaml"
    text = path.read_text(encoding="utf-8")
    assert "\naliases:\n" in text, "the fixture drug lists aliases"
    text = text.replace("\naliases:\n", "\naliases:\n  - Цераксон\n  - Κεραξόν\n", 1)
    path.write_text(text, encoding="utf-8")
    result = run(project, "build", timeout=300)
    assert result.returncode == 0, result.stderr
    return project / "site", "drugs/ceraxon/"


def test_editors_can_add_names_in_other_scripts_and_they_are_found(browser: Browser, cyrillic_alias_site: tuple[Path, str]) -> None:
    site, expected = cyrillic_alias_site
    with serve_directory(site) as url, search_page(browser, url) as page:
        for query in ("Цераксон", "цераксон", "Κεραξον"):
            answer = search_answer(page, query)
            assert [relative(p, url) for p in answer.pages][:1] == [expected], (query, answer.pages)
            assert "This site is in English" not in answer.meta
        answer = search_answer(page, "Кортексин")  # a Cyrillic name no editor added: the hint
        assert answer.meta.startswith("This site is in English")


def test_the_worker_says_so_when_the_index_cannot_load(browser: Browser, targets: dict[str, Path], tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(targets["site"], site)
    with serve_directory(site) as url, search_page(browser, url) as page:
        assert search_answer(page, "ceraxon").pages  # answered while the manifest is there
    (site / "search/shards/manifest.json").unlink()
    with serve_directory(site) as url, search_page(browser, url) as page:
        answer = search_answer(page, "ceraxon")
        assert answer.meta.startswith("Search is not available: its index could not be loaded"), answer.meta
        assert answer.pages == []


def test_offline_search_works_in_a_readers_browser_without_file_access_switches(browser: Browser, targets: dict[str, Path], catalogue: Catalogue) -> None:
    """The test browser may read files from `file:` pages (`--allow-file-access-from-files`); a reader's
    does not. The offline bundle's search fetches nothing, so it works there too."""
    from browser import CHROMIUM, QUIET

    drug = catalogue.of_kind("drug")[0]
    switches = [a for a in QUIET if a != "--allow-file-access-from-files"]
    reader = browser.browser_type.launch(executable_path=CHROMIUM, args=switches, headless=True)  # Playwright's running instance
    try:
        page = reader.new_page()
        page.goto(targets["offline"].as_uri() + "/index.html")
        answer = search_answer(page, drug.title)
        assert [relative(p, targets["offline"].as_uri() + "/") for p in answer.pages][:1] == [page_url(catalogue, drug, "offline")]
    finally:
        reader.close()
