"""`bench/site_shape.py`, which `make bench` uses for the page-weight and clicks-from-home targets:
the clicks it counts follow the links a reader can click, and nothing else."""

from __future__ import annotations

import sys
from pathlib import Path

from generator.project import PACKAGE_ROOT as ROOT

sys.path.insert(0, str(ROOT / "bench"))
from site_shape import clicks_from_home, deepest, entity_page_sizes, folder_sizes, page_parts, site_bytes  # bench/ holds scripts, not a package


def write_site(site: Path, pages: dict[str, str]) -> None:
    for path, body in pages.items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_text(f"<html><body>{body}</body></html>", encoding="utf-8")


def test_clicks_follow_relative_links_in_folder_urls(tmp_path: Path) -> None:
    write_site(
        tmp_path,
        {
            "index.html": '<a class="x" href="drugs/">Drugs</a> <a href="https://example.org/far/">elsewhere</a> <a href="#top">top</a>',
            "drugs/index.html": '<a href="letter-a/">A</a> <a href="mailto:x@example.org">mail</a>',
            "drugs/letter-a/index.html": '<a href="../alpha/#dose">Alpha</a>',
            "drugs/alpha/index.html": '<a href="professional/">for professionals</a> <a href="../../">home</a>',
            "drugs/alpha/professional/index.html": '<a href="../../../a-z/index.html">A–Z</a>',
            "a-z/index.html": "nothing links on",
            "orphan/index.html": "no link leads here",
            "404.html": "not found",
        },
    )
    depth = clicks_from_home(tmp_path)
    assert depth == {
        "index.html": 0,
        "drugs/index.html": 1,
        "drugs/letter-a/index.html": 2,
        "drugs/alpha/index.html": 3,
        "drugs/alpha/professional/index.html": 4,
        "a-z/index.html": 5,
        "orphan/index.html": None,
    }
    assert deepest(depth) is None  # a page out of reach is worse than any depth
    del depth["orphan/index.html"]
    assert deepest(depth) == 5


def test_sizes_are_of_the_files_themselves(tmp_path: Path) -> None:
    write_site(tmp_path, {"drugs/alpha/index.html": "a" * 100, "drugs/beta/index.html": "b" * 10, "drugs/alpha/professional/index.html": "p"})
    assert entity_page_sizes(tmp_path, "drugs", ["alpha", "beta"]) == {"alpha": 126, "beta": 36}
    assert site_bytes(tmp_path) == 126 + 36 + 27


def test_a_page_splits_into_its_parts_and_a_site_into_its_folders(tmp_path: Path) -> None:
    page = '<html><head>é</head><body><div class="md-sidebar md-sidebar--primary">nav</div><article>text</article></body></html>'
    parts = dict(page_parts(page))
    assert sum(parts.values()) == len(page[page.index("<head>") :].encode("utf-8"))  # from the head on
    assert "table of contents" not in parts and parts["the page's own text"] == len("<article>text")
    write_site(tmp_path, {"drugs/a/index.html": "a" * 100, "api/x.html": ""})
    assert folder_sizes(tmp_path) == {"drugs": 126, "api": 26}
