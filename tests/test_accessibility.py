"""Accessibility: axe-core in Chromium on every page of every target (and of the live content's
site), desktop and a 390 px phone, plus the checks a medical page needs that axe cannot know:
warning boxes say what they are in words, the page language is declared, composition and dosage
are real tables with headers."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from browser import DESKTOP, MOBILE
from conftest import FIXTURE, LIVE_CONTENT, ROOT, TARGETS, UNREACHABLE_PAGES, gated

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
VIEWPORTS = {"desktop": DESKTOP, "mobile-390": MOBILE}
FAILING_IMPACTS = {"serious", "critical"}

# One round trip per page: axe's violations, plus what the explicit tests need from the rendered page.
AUDIT = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  const visible = (element) => !!element && element.checkVisibility() && element.innerText.trim() !== "";
  return {
    violations: result.violations.map((v) => ({id: v.id, impact: v.impact, targets: v.nodes.map((n) => n.target.join(" "))})),
    boxes: [...document.querySelectorAll(".md-typeset .admonition, .md-typeset details")].map((box) => {
      const title = box.querySelector(":scope > .admonition-title, :scope > summary");
      return {kind: [...box.classList].filter((c) => c !== "admonition").join(" "), title: visible(title) ? title.innerText.trim() : ""};
    }),
  };
}"""


@dataclass(frozen=True)
class Violation:
    """One axe rule failing on one element of one page."""

    page: str
    rule: str
    impact: str
    target: str

    def __str__(self) -> str:
        return f"{self.page}: {self.rule} ({self.impact}): {self.target}"


@dataclass
class Audit:
    """What auditing one target in one viewport found."""

    pages: int
    violations: list[Violation]
    boxes: dict[str, list[dict[str, str]]]  # page -> its admonitions (kind, visible title)


def audit_pages(page: Page, urls: dict[str, str]) -> Audit:
    """Load each URL in `page` (whose context injects axe), run the WCAG A/AA rules; `urls` maps page names to URLs."""
    found = Audit(pages=0, violations=[], boxes={})
    for name, url in urls.items():
        page.goto(url)
        result: dict[str, Any] = page.evaluate(AUDIT, WCAG_TAGS)
        found.pages += 1
        found.violations += [Violation(name, v["id"], v["impact"] or "", target) for v in result["violations"] for target in v["targets"]]
        found.boxes[name] = result["boxes"]
    return found


def page_urls(folder: Path, base_url: str, leave_out: set[str]) -> dict[str, str]:
    """Every HTML page under `folder` but those in `leave_out`, by relative path, at `base_url`."""
    relative = (path.relative_to(folder).as_posix() for path in sorted(folder.rglob("*.html")))
    return {name: base_url + name for name in relative if name not in leave_out}


def audit_targets(browser: Browser, sites: dict[str, tuple[Path, str]]) -> dict[tuple[str, str], Audit]:
    """Every page of every site (name → folder and URL) audited in both viewports: one context and one page per viewport."""
    found = {}
    start = time.perf_counter()
    for viewport_name, viewport in VIEWPORTS.items():
        context = browser.new_context(viewport=viewport, service_workers="block")
        # Injected by the browser into every new document: about a fifth faster than adding a
        # script tag after each load, which sends all of axe over the wire again every time.
        context.add_init_script(path=str(AXE))
        try:
            page = context.new_page()
            for name, (folder, url) in sites.items():
                found[name, viewport_name] = audit_pages(page, page_urls(folder, url, UNREACHABLE_PAGES.get(name, set())))
        finally:
            context.close()
    runs = sum(audit.pages for audit in found.values())
    advice = sum(v.impact not in FAILING_IMPACTS for audit in found.values() for v in audit.violations)
    print(f"\naxe {len(rules_run(browser))} rules ({', '.join(WCAG_TAGS)}) on {', '.join(sites)}: {runs} page loads in {time.perf_counter() - start:.1f} s")
    print(f"axe: {advice} moderate or minor findings (not failing)")
    return found


@pytest.fixture(scope="module")
def audits(browser: Browser, targets: dict[str, Path], target_urls: dict[str, str]) -> dict[tuple[str, str], Audit]:
    """Every page of the fixture catalogue's three targets, audited in both viewports."""
    return audit_targets(browser, {target: (targets[target], target_urls[target]) for target in TARGETS})


@pytest.fixture(scope="module")
def live_audits(browser: Browser, live_site: Path, live_url: str) -> dict[tuple[str, str], Audit]:
    """Every page of the live content's site, audited in both viewports."""
    return audit_targets(browser, {"live": (live_site, live_url)})


@pytest.fixture
def target_audits(request: pytest.FixtureRequest, target: str) -> dict[str, Audit]:
    """The audits of the gate's `target` by viewport name (the live site's audited only when asked for)."""
    audits = request.getfixturevalue("live_audits" if target == "live" else "audits")
    return {viewport: audits[target, viewport] for viewport in VIEWPORTS}


def rules_run(browser: Browser) -> list[str]:
    """The ids of the axe rules the WCAG tags select, as the injected axe reports them."""
    page = browser.new_page()
    try:
        page.set_content("<!doctype html><title>t</title>")
        page.add_script_tag(path=str(AXE))
        return page.evaluate("(tags) => axe.getRules(tags).map((rule) => rule.ruleId)", WCAG_TAGS)
    finally:
        page.close()


@pytest.mark.parametrize("viewport", VIEWPORTS)
@gated
@pytest.mark.browser  # `target_audits` starts Chromium only when the test runs, unseen by conftest
def test_no_serious_or_critical_wcag_violation_on_any_page(target_audits: dict[str, Audit], target: str, viewport: str) -> None:
    audit = target_audits[viewport]
    assert audit.pages >= (2 if target == "live" else 23)
    assert [str(v) for v in audit.violations if v.impact in FAILING_IMPACTS] == []


def test_axe_finds_serious_and_critical_violations_in_a_bad_page(browser: Browser) -> None:
    """The injected axe really runs these rules: a page with the classic faults fails them."""
    page = browser.new_page()
    try:
        page.set_content(
            "<!doctype html><html><title>t</title><body><main>"
            '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'  # no alt: critical
            '<p style="color:#bbb;background:#fff">Take two tablets daily.</p>'  # 1.9:1 contrast: serious
            "<button></button>"  # no accessible name: critical
            "</main></body></html>"
        )
        page.add_script_tag(path=str(AXE))
        result = page.evaluate(AUDIT, WCAG_TAGS)
    finally:
        page.close()
    failing = {v["id"] for v in result["violations"] if v["impact"] in FAILING_IMPACTS}
    assert {"image-alt", "color-contrast", "button-name", "html-has-lang"} <= failing, failing


# Box kinds that warn a reader off something; each must say so in words, not only in red or orange.
WARNING_KINDS = {"danger", "warning", "caution", "attention", "error", "failure", "bug"}


@gated
@pytest.mark.browser  # `target_audits` starts Chromium only when the test runs, unseen by conftest
def test_every_warning_box_has_a_visible_text_title(target_audits: dict[str, Audit], target: str) -> None:
    """Contraindication and warning boxes carry a visible title, so their meaning is not in colour alone."""
    for viewport, audit in target_audits.items():
        warnings = 0
        for page, boxes in audit.boxes.items():
            for box in boxes:
                assert re.search(r"\w{3,}", box["title"]), f"{viewport} {page}: a '{box['kind']}' box without a visible title"
                warnings += bool(WARNING_KINDS & set(box["kind"].split()))
        # At least every drug's contraindication box; in the fixture catalogue, a procedure's too.
        assert warnings >= (3 if target != "live" else len(drug_slugs(target))), (viewport, warnings)


def drug_slugs(target: str) -> set[str]:
    """The slugs of the drugs a target was built from: the live content's, or the fixture catalogue's."""
    return {path.stem for path in ((LIVE_CONTENT if target == "live" else FIXTURE) / "drug").glob("*.yaml")}


@gated
@pytest.mark.browser  # `target_audits` starts Chromium only when the test runs, unseen by conftest
def test_every_drug_page_shows_its_contraindications_in_a_titled_danger_box(target_audits: dict[str, Audit], target: str) -> None:
    for viewport, audit in target_audits.items():
        pages = {match.group(1): page for page in audit.boxes if (match := re.fullmatch(r"drugs/([^/]+?)(?:/index)?\.html", page))}
        drugs = {slug: page for slug, page in pages.items() if slug in drug_slugs(target)}
        assert drugs.keys() == drug_slugs(target), (viewport, sorted(pages))
        for drug in drugs.values():
            titles = [box["title"] for box in audit.boxes[drug] if "danger" in box["kind"].split()]
            assert titles and all(titles), f"{viewport} {drug}: no titled danger box"


@gated
def test_every_page_declares_its_language(deliverable: Path, target: str) -> None:
    pages = sorted(deliverable.rglob("*.html"))
    undeclared = [path.name for path in pages if declared_language(path.read_text(encoding="utf-8")) != "en"]
    assert undeclared == [] and len(pages) >= (2 if target == "live" else 23)


def declared_language(html: str) -> str | None:
    """The `lang` of the document's `<html>` element, or None when it has none (or an empty one)."""
    match = re.search(r"<html\b[^>]*?\blang=[\"']?([A-Za-z-]*)", html)
    return match.group(1) or None if match else None


def test_a_page_without_a_language_is_caught() -> None:
    assert declared_language("<!doctype html><html><head>") is None
    assert declared_language('<!doctype html><html lang=""><head>') is None
    assert declared_language('<!doctype html><html class="no-js" lang="en"><head>') == "en"


@dataclass
class Table:
    """A `<table>` as a screen reader meets it: the section it is in, its header cells, its rows."""

    section: str
    headers: list[str]
    rows: list[list[str]]


class _Tables(HTMLParser):
    """Collects every table with the id of the `<h2>` it follows."""

    def __init__(self) -> None:
        super().__init__()
        self.section = ""
        self.tables: list[Table] = []
        self.cells: list[str] | None = None
        self.text: list[str] | None = None
        self.in_h2 = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "h2":
            self.section = dict(attrs).get("id") or ""
        elif tag == "table":
            self.tables.append(Table(self.section, [], []))
        elif tag == "tr" and self.tables:
            self.cells = []
        elif tag in ("th", "td") and self.cells is not None:
            self.text = []
            self.cells.append(tag)

    def handle_data(self, data: str) -> None:
        if self.text is not None:
            self.text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("th", "td") and self.cells is not None and self.text is not None:
            self.cells[-1] = f"{self.cells[-1]}:{''.join(self.text).strip()}"
            self.text = None
        elif tag == "tr" and self.cells is not None:
            table = self.tables[-1]
            if not table.headers and all(cell.startswith("th:") for cell in self.cells):
                table.headers = [cell[3:] for cell in self.cells]
            else:
                table.rows.append(self.cells)
            self.cells = None


def tables_of(html: str) -> list[Table]:
    parser = _Tables()
    parser.feed(html)
    return parser.tables


@gated
def test_composition_and_dosage_are_tables_with_header_cells(deliverable: Path, target: str) -> None:
    drugs = [path for path in sorted((deliverable / "drugs").rglob("*.html")) if re.search(r'<h2 id="composition"', path.read_text(encoding="utf-8"))]
    assert len(drugs) == len(drug_slugs(target)), "every drug page, and only they, has a composition section"
    for path in drugs:
        tables = {table.section: table for table in tables_of(path.read_text(encoding="utf-8"))}
        for section in ("composition", "dosage"):
            assert section in tables, f"{path}: the {section} section has no <table>"
            table = tables[section]
            assert len(table.headers) >= 2 and all(table.headers), (path, section, table.headers)
            assert table.rows and all(len(row) == len(table.headers) for row in table.rows), (path, section)
            assert all(cell.startswith("td:") for row in table.rows for cell in row), (path, section)


def test_a_list_posing_as_a_table_is_caught() -> None:
    """The table check fails text laid out as a table and a table whose header row is plain cells."""
    assert tables_of('<h2 id="dosage">Dosage</h2><p>Adults | 1 ampoule</p>') == []
    no_headers = tables_of('<h2 id="dosage">Dosage</h2><table><tr><td>Who</td><td>Dose</td></tr><tr><td>Adults</td><td>1</td></tr></table>')
    assert no_headers == [Table("dosage", [], [["td:Who", "td:Dose"], ["td:Adults", "td:1"]])]
