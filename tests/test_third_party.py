"""Every build refuses a page that would request another host (generator/deliverables/third_party.py).

What counts as a request is checked on small pieces of HTML and CSS, both ways: each way a page can
make a browser fetch from elsewhere is found, and links a reader clicks, relative files, data: URIs
and JSON-LD are not. The build itself (`theme.font` in mkdocs.yml, the issue's case) prints one exact
line naming the page, its line, the address and the setting, and leaves site/ as it was, with
MkDocs and with Zensical; tests/test_atomic.py holds the offline bundle and the preview to the
same, tests/test_serve.py serve.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from conftest import copy_project, run, tree_digest
from test_bad_content import assert_failed_cleanly, problems, replace_in

from generator.deliverables.third_party import Request, refuse_requests, request_problems, requests_in_css, requests_in_html
from generator.engines import use_engine
from generator.errors import ContentError
from generator.project import Project

# Each piece of a page, with what makes the request and the address it requests.
REQUESTS = {
    "stylesheet": ('<link rel="stylesheet" href="https://cdn.example/a.css">', "<link rel=stylesheet> href", "https://cdn.example/a.css"),
    "preconnect": ('<link href="https://fonts.gstatic.com" rel="preconnect" crossorigin>', "<link rel=preconnect> href", "https://fonts.gstatic.com"),
    "icon": ("<link rel='icon' href='//cdn.example/favicon.png'>", "<link rel=icon> href", "//cdn.example/favicon.png"),
    "script": ('<script src="https://cdn.example/a.js"></script>', "<script> src", "https://cdn.example/a.js"),
    "image": ('<img alt="" src=https://img.example/a.png>', "<img> src", "https://img.example/a.png"),
    "srcset": ('<img alt="" src="a.png" srcset="a.png 1x, https://img.example/b.png 2x">', "<img> srcset", "https://img.example/b.png"),
    "poster": ('<video poster="https://img.example/p.png" src="v.mp4"></video>', "<video> poster", "https://img.example/p.png"),
    "object": ('<object data="https://cdn.example/o.svg"></object>', "<object> data", "https://cdn.example/o.svg"),
    "svg-use": ('<svg><use href="https://cdn.example/s.svg#i"></use></svg>', "<use> href", "https://cdn.example/s.svg#i"),
    "style-attribute": ("<div style=\"background: url('https://img.example/bg.png')\">x</div>", "<div> style", "https://img.example/bg.png"),
    "style-block": ('<style>@import "https://cdn.example/s.css";</style>', "<style>", "https://cdn.example/s.css"),
    "inline-script": ('<script>var s=document.createElement("script");s.src="https://t.example/t.js"</script>', "<script> (inline)", "https://t.example/t.js"),
    "repository-widget": (
        '<a href="https://github.com/o/r" title="Go to repository" class="md-source" data-md-component="source">r</a>',
        '<a data-md-component="source">',
        "https://github.com/o/r",
    ),
}
# Pieces that request nothing from another host.
NO_REQUESTS = {
    "link": '<a href="https://www.who.int/">WHO</a>',
    "canonical": '<link rel="canonical" href="https://example.org/medsite/">',
    "alternate": '<link rel="alternate" hreflang="ru" href="https://example.org/ru/">',
    "relative": '<link rel="stylesheet" href="assets/a.css"><script src="../a.js"></script><img alt="" src="/medsite/a.png">',
    "data-uri": '<img alt="" src="data:image/png;base64,AAAA">',
    "json-ld": '<script type="application/ld+json">{"@context": "https://schema.org"}</script>',
    "text": "<p>See https://www.who.int/ or //example.org for more; a &lt;img src=https://x.example/a.png&gt; is text.</p>",
    "meta": '<meta property="og:image" content="https://example.org/medsite/card.png">',
    "svg-namespace": '<svg xmlns="http://www.w3.org/2000/svg"><path d="M1 1"/></svg>',
    "script-comment-free": '<script>var home = "../index.html";</script>',
}


@pytest.mark.parametrize("name", REQUESTS)
def test_each_way_a_page_requests_another_host_is_found(name: str) -> None:
    piece, by, address = REQUESTS[name]
    page = f"<!doctype html>\n<html><head><title>t</title></head>\n<body>\n{piece}\n</body></html>\n"
    (found,) = requests_in_html(page, "drugs/x/index.html")
    assert (found.by, found.address) == (by, address)
    assert page.count("\n", 0, found.offset) + 1 == 4, "the request is located on its line"


@pytest.mark.parametrize("name", NO_REQUESTS)
def test_links_relative_files_and_data_request_nothing(name: str) -> None:
    assert list(requests_in_html(f"<html><body>\n{NO_REQUESTS[name]}\n</body></html>")) == []


def test_stylesheets_are_read_for_url_and_import() -> None:
    css = 'a{b:url(data:image/svg+xml;x)} c{d:url("../fonts/f.woff")}\n@import "https://cdn.example/y.css";\ne{f:url( //cdn.example/g.woff)}\n'
    assert [(r.by, r.address, css.count("\n", 0, r.offset) + 1) for r in requests_in_css(css)] == [
        ("@import", "https://cdn.example/y.css", 2),
        ("url()", "//cdn.example/g.woff", 3),
    ]


def test_one_line_per_cause_names_the_home_page_its_line_the_address_and_the_setting(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "drugs").mkdir(parents=True)
    font = '<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">'
    (site / "drugs/index.html").write_text(f"<html>\n{font}\n", encoding="utf-8")
    (site / "index.html").write_text(f"<html>\n<head>\n{font}\n", encoding="utf-8")
    (site / "404.html").write_text('<html>\n<script src="https://cdn.example.net/a.js"></script>\n', encoding="utf-8")
    config = tmp_path / "mkdocs.yml"
    config.write_text("theme:\n  name: material\n  font:\n    text: Roboto\nextra_javascript:\n  - https://cdn.example.net/a.js\n", encoding="utf-8")
    found = [request for page in ("404.html", "drugs/index.html", "index.html") for request in requests_in_html((site / page).read_text(), page)]
    expected = "expected no request to another host: remove the setting, or self-host the file and link it relatively"
    assert [str(problem) for problem in request_problems(found, site, "site", [config])] == [
        "site/404.html:2: <script> src: requests https://cdn.example.net/a.js from another host"
        f" (likely cause: mkdocs.yml line 6, which names cdn.example.net; {expected})",
        "site/index.html:3: <link rel=stylesheet> href: requests https://fonts.googleapis.com/css?family=Roboto from another host, and so does 1 other file"
        f" (likely cause: theme.font in mkdocs.yml line 3: Material loads Google Fonts unless it is false; {expected})",
    ]


def test_a_long_address_is_shortened_and_an_unknown_cause_says_so(tmp_path: Path) -> None:
    address = "https://cdn.example/" + "a" * 200
    (tmp_path / "index.html").write_text(f'<img alt="" src="{address}">', encoding="utf-8")
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\n", encoding="utf-8")
    (problem,) = request_problems([Request("index.html", 0, "<img> src", address)], tmp_path, "site", [config])
    assert f"requests {address[:87]}... from another host (likely cause: a setting or theme template that names cdn.example;" in problem.message


def test_the_memo_skips_only_files_found_clean_under_the_same_rules(tmp_path: Path) -> None:
    """A warm build reads only pages that changed: a file whose digest the memo holds is not read, any other is."""
    site, memo = tmp_path / "site", tmp_path / "cache" / "site.requests-checked"
    site.mkdir()
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\n", encoding="utf-8")
    page = site / "index.html"
    page.write_text('<html>\n<a href="https://www.who.int/">WHO</a>\n', encoding="utf-8")
    refuse_requests(site, "site", [config], memo)
    rules, clean = memo.read_text(encoding="utf-8").split()
    page.write_text('<html>\n<script src="https://cdn.example/a.js"></script>\n', encoding="utf-8")
    with pytest.raises(ContentError) as refused:
        refuse_requests(site, "site", [config], memo)
    assert [str(problem) for problem in refused.value.problems] == [
        "site/index.html:2: <script> src: requests https://cdn.example/a.js from another host"
        " (likely cause: a setting or theme template that names cdn.example;"
        " expected no request to another host: remove the setting, or self-host the file and link it relatively)"
    ]
    assert memo.read_text(encoding="utf-8").split() == [rules], "a file that requests another host is never remembered as clean"
    # What the memo holds is trusted only under the rules it was made with: here the bad page's digest, under other rules.
    bad = hashlib.blake2b(page.read_bytes(), digest_size=16).hexdigest()
    memo.write_text(f"older-rules\n{bad}\n", encoding="utf-8")
    with pytest.raises(ContentError):
        refuse_requests(site, "site", [config], memo)
    memo.write_text(f"{rules}\n{bad}\n", encoding="utf-8")
    refuse_requests(site, "site", [config], memo)  # under the same rules, a remembered file is not read again
    assert clean != bad


# --- the build ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project copy with a good site/."""
    project = copy_project(tmp_path_factory.mktemp("third-party") / "project")
    result = run(project, "build", timeout=300)
    assert result.returncode == 0, result.stderr
    return project


@pytest.mark.slow
def test_a_font_setting_stops_the_build_with_one_line_and_the_site_stays(built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = tree_digest(built / "site")
    config = built / "mkdocs.yml"
    original = config.read_text(encoding="utf-8")
    line = original[: original.index("  font: false")].count("\n") + 1
    replace_in(config, "  font: false", "  font: {text: Roboto}")
    try:
        result = run(built, "build", timeout=300)
        # The same build with the check switched off shows where the request sits in the page.
        use_engine("mkdocs")
        from generator.deliverables import site

        monkeypatch.setattr(site, "refuse_requests", lambda *args: None)
        site.build_site(Project.at(built), config, tmp_path / "unchecked")
    finally:
        config.write_text(original, encoding="utf-8")
    assert_failed_cleanly(result)
    home = (tmp_path / "unchecked/index.html").read_text(encoding="utf-8").split("\n")
    at = next(number for number, text in enumerate(home, start=1) if "https://fonts.gstatic.com" in text)
    pages = len(list((tmp_path / "unchecked").rglob("*.html")))
    assert problems(result) == [
        f"site/index.html:{at}: <link rel=preconnect> href: requests https://fonts.gstatic.com from another host, and so do {pages - 1} other files"
        f" (likely cause: theme.font in mkdocs.yml line {line}: Material loads Google Fonts unless it is false;"
        " expected no request to another host: remove the setting, or self-host the file and link it relatively)"
    ], result.stderr
    assert tree_digest(built / "site") == before
    assert not (built / "site.building").exists()


@pytest.mark.slow
def test_zensical_builds_are_checked_the_same_way(built: Path) -> None:
    """Zensical writes its own pages with its own theme: the check runs on them before they are swapped in."""
    before = tree_digest(built / "site")
    config = built / "mkdocs.yml"
    original = config.read_text(encoding="utf-8")
    replace_in(config, "  font: false", "  font: {text: Roboto}")
    try:
        result = run(built, "build", "--engine", "zensical", timeout=300)
    finally:
        config.write_text(original, encoding="utf-8")
    assert_failed_cleanly(result)
    (line,) = problems(result)
    assert re.fullmatch(
        r"site/index\.html:\d+: <link rel=preconnect> href: requests https://fonts\.gstatic\.com from another host, and so do \d+ other files"
        r" \(likely cause: theme\.font in mkdocs\.yml line \d+: .*\)",
        line,
    ), line
    assert tree_digest(built / "site") == before
    assert not (built / "build/zensical-site").exists()
