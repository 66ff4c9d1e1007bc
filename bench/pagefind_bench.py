"""Pagefind 1.5 beside our search, on the same built site (issue 21).

    python bench/pagefind_bench.py SITE_DIR CONTENT_DIR [--entities N]

Indexes a copy of the built public site with Pagefind (PyPI `pagefind[bin]`, pinned in
requirements/test.txt; `python -m pagefind`), its pages' article only, as our index holds. Then,
in Debian's Chromium over a gzip server on loopback, a harness page at the site's root asks each
engine through its own API, the same way: our worker (search-worker.js, spoken to with Material's
messages) and Pagefind's `pagefind.js` (`search`, then each result's `data()` for the first ten,
which is what a result list shows). It reports, for each:

- the index's size on disk, raw and gzip (each file gzipped as a server would; Pagefind's own
  files are already compressed);
- the first query: ms from asking (engine not yet loaded) to the ten results' data, and bytes
  transferred; later queries: the slowest of them, ms;
- the ranking tests of tests/test_search_browser.py on a sample of the catalogue: each name of an
  entity finds its own page first; a name with one edit (the second letter replaced) finds its page
  first.

Both are asked the same queries in the same order, in separate fresh browser contexts.
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from browser import chromium  # noqa: E402
from lighthouse import gzip_server  # noqa: E402

from generator.pages.generate import check  # noqa: E402
from generator.pages.search_shards import LANGUAGES  # noqa: E402
from generator.project import Project  # noqa: E402

HARNESS = "search-bench.html"
# Pagefind indexes what our index holds: each page's article, not its navigation; no permalink signs.
PAGEFIND_OPTIONS = ("--root-selector", "article.md-content__inner", "--exclude-selectors", ".headerlink")
# Each engine behind one function: query → {ms, urls (first ten pages, site-relative), total}.
HARNESS_HTML = """<!doctype html><meta charset="utf-8"><title>search bench</title>
<script type="module">
let pagefind = null;
window.askPagefind = async (query) => {
  const start = performance.now();
  if (!pagefind) { pagefind = await import("./pagefind/pagefind.js"); await pagefind.init(); }
  const found = await pagefind.search(query);
  const data = await Promise.all(found.results.slice(0, 10).map((r) => r.data()));
  return { ms: performance.now() - start, urls: data.map((d) => d.url.replace(/^\\//, "")), total: found.results.length };
};
let worker = null, ready = null;
window.askOurs = async (query) => {
  const start = performance.now();
  if (!worker) {
    worker = new Worker("assets/javascripts/search-worker.js");
    ready = new Promise((resolve) => worker.addEventListener("message", (e) => e.data.type === 1 && resolve(), { once: false }));
    const index = await (await fetch("search/search_index.json")).json();
    worker.postMessage({ type: 0, data: { config: index.config, docs: index.docs, options: {} } });
    await ready;
  }
  const result = await new Promise((resolve) => {
    const listen = (e) => { if (e.data.type === 3 && e.data.data.query === query) { worker.removeEventListener("message", listen); resolve(e.data.data); } };
    worker.addEventListener("message", listen);
    worker.postMessage({ type: 2, data: query });
  });
  return { ms: performance.now() - start, urls: result.items.map((group) => group[0].location.split("#")[0]), total: result.total };
};
window.benchReady = true;
</script>"""


def index_with_pagefind(site: Path, work: Path) -> tuple[Path, float]:
    """A copy of `site` with a Pagefind index of its articles in `pagefind/`; and the seconds indexing took."""
    copy = work / "pagefind-site"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(site, copy)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "pagefind", "--site", str(copy), "--silent", *PAGEFIND_OPTIONS],
        check=True,
    )
    seconds = time.perf_counter() - started
    (copy / HARNESS).write_text(HARNESS_HTML, encoding="utf-8")
    return copy, seconds


def folder_size(files: list[Path]) -> dict[str, float]:
    """Raw and gzip KiB of files, each gzipped on its own as a server sends it."""
    data = [path.read_bytes() for path in files]
    return {"raw_kib": sum(map(len, data)) / 1024, "gzip_kib": sum(len(gzip.compress(d, 6, mtime=0)) for d in data) / 1024, "files": len(data)}


def sample(content: Path, entities: int) -> list[tuple[str, str, list[str]]]:
    """(page path, title, names) of `entities` entities spread over the catalogue, every kind in it."""
    catalogue = check(Project.at(ROOT, content))
    every = catalogue.all()
    step = max(1, len(every) // entities)
    return [(catalogue.path_of(e).removesuffix(".md") + "/", e.title, e.names()) for e in every[::step]]


def misspelt(name: str) -> str | None:
    """The name's longest word with its second letter replaced (one edit in the first two letters), or None."""
    words = sorted((w for w in LANGUAGES["en"].terms(name) if len(w) >= 4 and w.isalpha()), key=len, reverse=True)
    if not words:
        return None
    word = words[0]
    return word[0] + ("q" if word[1] != "q" else "z") + word[2:]


def run_engine(url: str, ask: str, queries: list[str]) -> dict[str, Any]:
    """Ask one engine every query in a fresh browser; per query its answer, plus bytes of the first."""
    with chromium() as browser:
        context = browser.new_context(service_workers="block")
        page = context.new_page()
        finished: list[Any] = []
        context.on("requestfinished", lambda request: finished.append(request))
        page.goto(url + HARNESS)
        page.wait_for_function("window.benchReady === true")
        answers = []
        first_bytes = 0
        for number, query in enumerate(queries):
            answers.append(page.evaluate(f"q => window.{ask}(q)", query))
            if number == 0:
                time.sleep(0.2)
                first_bytes = sum(s["responseBodySize"] + s["responseHeadersSize"] for s in (r.sizes() for r in finished if not r.url.endswith(HARNESS)))
        context.close()
    return {"answers": answers, "first_bytes": first_bytes}


def measure(site: Path, content: Path, work: Path, entities: int = 60) -> dict[str, Any]:
    """Both engines on `site`: sizes, first and later query times and bytes, ranking pass rates."""
    copy, index_seconds = index_with_pagefind(site, work)
    chosen = sample(content, entities)
    name_queries = [(path, name) for path, _, names in chosen for name in names]
    typo_queries = [(path, typo) for path, title, _ in chosen if (typo := misspelt(title))]
    queries = [chosen[0][1], *(name for _, name in name_queries), *(typo for _, typo in typo_queries)]
    ours_files = sorted((site / "search" / "shards").rglob("*.json"))
    result: dict[str, Any] = {
        "entities": len(chosen),
        "name_queries": len(name_queries),
        "typo_queries": len(typo_queries),
        "pagefind_index_seconds": round(index_seconds, 1),
        "ours": {"index": folder_size(ours_files)},
        "pagefind": {"index": folder_size(sorted(p for p in (copy / "pagefind").rglob("*") if p.is_file()))},
    }
    with gzip_server(copy) as url:
        for engine, ask in (("ours", "askOurs"), ("pagefind", "askPagefind")):
            ran = run_engine(url, ask, queries)
            answers = ran["answers"]
            named = answers[1 : 1 + len(name_queries)]
            typos = answers[1 + len(name_queries) :]
            result[engine].update(
                first_ms=round(answers[0]["ms"], 1),
                first_bytes=ran["first_bytes"],
                later_ms=round(max(a["ms"] for a in answers[1:]), 1),
                later_median_ms=round(sorted(a["ms"] for a in answers[1:])[len(answers[1:]) // 2], 1),
                names_first=sum(1 for (path, _), a in zip(name_queries, named, strict=True) if a["urls"][:1] == [path]),
                typos_first=sum(1 for (path, _), a in zip(typo_queries, typos, strict=True) if a["urls"][:1] == [path]),
                names_wrong=[(q, a["urls"][:2]) for (path, q), a in zip(name_queries, named, strict=True) if a["urls"][:1] != [path]][:5],
            )
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("content", type=Path)
    parser.add_argument("--entities", type=int, default=60)
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "bench" / "pagefind")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    print(json.dumps(measure(args.site, args.content, args.work, args.entities), indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
