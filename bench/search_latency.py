"""How fast search answers a reader: a built site served with gzip on loopback, in Chromium.

    python bench/search_latency.py SITE_DIR [QUERY ...]   (KEY_DELAY_MS=150 to type slower)

Opens the home page, opens search and types the first query, then each later one (clearing the
box between them), and reports for each the milliseconds from its last keystroke to its first
result on screen (from the key's release), plus the bytes transferred (gzip, on the wire) from opening search until the
first query's result showed. Without queries, it searches for the first drug's name and a
section word, then a second drug. Chromium is Debian's (/usr/bin/chromium), as in the tests.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from browser import chromium  # noqa: E402
from lighthouse import gzip_server  # noqa: E402

# In the page: the time the last key was released, and of the first result for the query typed.
# Released, not pressed: Playwright holds each key down for the typing delay, and Material reads
# the query on key up.
WATCH = """query => {
  window.__search = {key: 0, shown: 0};
  document.addEventListener("keyup", () => { window.__search.key = performance.now(); }, true);
  const seen = () => {
    const wanted = window.__searchQuery;
    if (!window.__search.shown && wanted && document.querySelector(`.md-search-result__item a[href*="h=${wanted}"]`))
      window.__search.shown = performance.now();
  };
  new MutationObserver(seen).observe(document.body, {subtree: true, childList: true});
}"""


def default_queries(site_dir: Path) -> list[str]:
    """A drug's name with a section word, then another drug's name (from the site's own pages)."""
    names = sorted(p.name for p in (site_dir / "drugs").iterdir() if p.is_dir() and (p / "index.html").is_file() and "-" not in p.name)
    return [f"{names[0]} children", names[len(names) // 2], "dose"]


def measure_search(site_dir: Path, queries: list[str], key_delay_ms: int = 20) -> dict[str, Any]:
    """Search `site_dir` for each query in turn; ms to the first result and bytes for the first query.

    Keys are pressed `key_delay_ms` apart: a query is sent on every keystroke, so a slower typist
    makes the worker answer (and fetch for) more of the partial words.
    """
    results: dict[str, Any] = {"queries": queries, "key_delay_ms": key_delay_ms, "ms": [], "first_query_bytes": 0, "first_query_requests": []}
    with gzip_server(site_dir) as url, chromium() as browser:
        context = browser.new_context(service_workers="block")
        page = context.new_page()
        finished: list[Any] = []
        context.on("requestfinished", lambda request: finished.append(request))
        page.goto(url, wait_until="networkidle")
        page.evaluate(WATCH, None)
        finished.clear()
        box = page.locator("input.md-search__input")
        if box.is_visible():  # a wide window shows the search field; a narrow one a button that opens it
            box.click()
        else:
            page.locator("label.md-header__button[for='__search']").first.click()
        for number, query in enumerate(queries):
            box.fill("")
            page.evaluate("q => { window.__searchQuery = q; window.__search.shown = 0; }", quote_plus(query.lower()))
            box.press_sequentially(query, delay=key_delay_ms)
            page.wait_for_function("window.__search.shown > 0", timeout=30_000)
            timing = page.evaluate("window.__search")
            results["ms"].append(round(timing["shown"] - timing["key"], 1))
            if number == 0:
                time.sleep(0.2)  # let requests started for this result finish being recorded
                sizes = [(request.url.removeprefix(url), request.sizes()) for request in finished]
                results["first_query_bytes"] = sum(s["responseBodySize"] + s["responseHeadersSize"] for _, s in sizes)
                results["first_query_requests"] = [path for path, _ in sizes]
        context.close()
    return results


def main() -> int:
    site_dir = Path(sys.argv[1])
    queries = sys.argv[2:] or default_queries(site_dir)
    print(json.dumps(measure_search(site_dir, queries, int(os.environ.get("KEY_DELAY_MS", "20"))), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
