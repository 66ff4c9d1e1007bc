"""Lighthouse (npm, pinned in package.json) against the built site, as a reader's browser gets it.

The site is built for a loopback address and served from it with gzip, the way a web server sends
it; Lighthouse drives Debian's Chromium (CHROME_PATH, never a browser of its own) on four pages
(home, a drug, a procedure, the condition), each as a phone (Lighthouse's default) and as a desktop
(`--preset=desktop`). Accessibility, best practices and SEO must be 100 (tests/test_lighthouse.py);
performance is recorded, not enforced: on a shared two-core machine it varies from run to run.

`python tests/lighthouse.py` (`make lighthouse`) builds the site into build/lighthouse-site/,
prints the scores table and writes every report to build/lighthouse/<page>-<preset>.json.
"""

from __future__ import annotations

import argparse
import gzip
import http.server
import json
import mimetypes
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
# New headless mode; without the rest, Chromium phones home at start-up and the closed network refuses it.
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --no-first-run --disable-background-networking --disable-component-update --disable-sync"
PAGES = {
    "home": "",
    "drug": "drugs/cellex/",
    "procedure": "procedures/msc-therapy-course/",
    "condition": "conditions/cerebral-palsy/",
}
PRESETS = ("mobile", "desktop")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
REQUIRED = ("accessibility", "best-practices", "seo")  # must be 100; performance is only recorded
# Sent compressed, as a web server would; images and fonts are compressed already.
GZIP_TYPES = ("text/", "application/javascript", "application/json", "application/xml", "image/svg+xml")


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """A static file server that gzips text responses when the client accepts it, and answers a
    missing path with the site's 404 page, as the public host does."""

    def do_GET(self) -> None:
        self._respond(body=True)

    def do_HEAD(self) -> None:
        self._respond(body=False)

    def _respond(self, body: bool) -> None:
        path = Path(self.translate_path(unquote(urlsplit(self.path).path)))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                self.send_response(301)
                self.send_header("Location", self.path.split("?")[0] + "/")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            path = path / "index.html"
        status = 200
        if not path.is_file():
            status, path = 404, Path(self.directory) / "404.html"
        data = path.read_bytes() if path.is_file() else b"Not found"
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if kind.startswith("text/") or kind == "application/javascript":
            kind += "; charset=utf-8"
        compress = kind.startswith(GZIP_TYPES) and "gzip" in self.headers.get("Accept-Encoding", "")
        if compress:
            data = gzip.compress(data, compresslevel=6, mtime=0)
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Vary", "Accept-Encoding")
        if compress:
            self.send_header("Content-Encoding", "gzip")
        self.end_headers()
        if body:
            self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def gzip_server(site_dir: Path) -> Iterator[str]:
    """Serve `site_dir` with gzip on a free loopback port; yield its URL. The folder is read per
    request, so the site may be built into it after the port is known (to build for that address)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), lambda *args: GzipHandler(*args, directory=str(site_dir)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class Report:
    """One Lighthouse run: scores 0-100 by category and, by category, the audits that lost points."""

    page: str
    preset: str
    scores: dict[str, int]
    failing: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, page: str, preset: str, lhr: dict[str, Any]) -> Report:
        scores, failing = {}, {}
        for name, category in lhr["categories"].items():
            scores[name] = round(category["score"] * 100) if category["score"] is not None else -1
            lost = []
            for ref in category["auditRefs"]:
                audit = lhr["audits"][ref["id"]]
                if ref["weight"] > 0 and audit["score"] is not None and audit["score"] < 1:
                    lost.append(f"{ref['id']}: {audit['title']}" + _offenders(audit))
            if lost:
                failing[name] = lost
        return cls(page, preset, scores, failing)


def _offenders(audit: dict[str, Any]) -> str:
    """The elements an audit flags, briefly (selectors or snippets)."""
    items = (audit.get("details") or {}).get("items") or []
    shown = []
    for item in items[:3]:
        node = item.get("node") or {}
        shown.append(node.get("selector") or node.get("snippet") or item.get("url") or "")
    return f" ({'; '.join(s for s in shown if s)})" if any(shown) else ""


def run_lighthouse(url: str, preset: str, output: Path, categories: tuple[str, ...] = CATEGORIES) -> dict[str, Any]:
    """Run Lighthouse once on `url` as `preset` ("mobile" or "desktop"); the report is kept at `output`."""
    output.parent.mkdir(parents=True, exist_ok=True)
    command = [
        str(LIGHTHOUSE),
        url,
        "--output=json",
        f"--output-path={output}",
        "--quiet",
        "--disable-full-page-screenshot",  # a picture for the HTML report; the JSON is what is read
        f"--chrome-flags={CHROME_FLAGS}",
        f"--only-categories={','.join(categories)}",
    ]
    if preset == "desktop":
        command.append("--preset=desktop")
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=240, check=False)
    if result.returncode != 0 or not output.is_file():
        raise RuntimeError(f"lighthouse failed on {url} ({preset}): {result.stderr.strip()[-2000:]}")
    lhr: dict[str, Any] = json.loads(output.read_text(encoding="utf-8"))
    if lhr.get("runtimeError"):
        raise RuntimeError(f"lighthouse could not load {url} ({preset}): {lhr['runtimeError']}")
    return lhr


def build_for(project: Path, site_dir: Path, url: str) -> None:
    """Build `project`'s site into `site_dir` for the address `url` (canonical links, sitemap, robots.txt)."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    env["SITE_URL"] = url
    command = [sys.executable, "-m", "generator", "build", "--site-dir", str(site_dir)]
    result = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, timeout=300, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"build failed: {result.stderr.strip()}")


def audit(project: Path, site_dir: Path, reports: Path, categories: tuple[str, ...] = CATEGORIES, workers: int = 1) -> list[Report]:
    """Build `project` into `site_dir`, serve it and run Lighthouse on every page and preset.

    One run at a time by default, so performance is measured on an otherwise idle machine; the
    other categories do not depend on timing, and `workers` > 1 runs that many browsers at once.
    """
    runs = [(page, path, preset) for preset in PRESETS for page, path in PAGES.items()]
    with gzip_server(site_dir) as url:
        build_for(project, site_dir, url)

        def one(run: tuple[str, str, str]) -> Report:
            page, path, preset = run
            return Report.of(page, preset, run_lighthouse(url + path, preset, reports / f"{page}-{preset}.json", categories))

        with ThreadPoolExecutor(max_workers=workers) as pool:
            return list(pool.map(one, runs))


def table(results: list[Report]) -> str:
    """The scores as a Markdown table, then the audits that lost points."""
    categories = [c for c in CATEGORIES if any(c in r.scores for r in results)]
    lines = ["| page | preset | " + " | ".join(categories) + " |", "|---|---|" + "---:|" * len(categories)]
    for r in results:
        lines.append(f"| {r.page} | {r.preset} | " + " | ".join(str(r.scores.get(c, "")) for c in categories) + " |")
    for r in results:
        for category, lost in r.failing.items():
            if category != "performance":
                lines += [f"{r.page} {r.preset} {category}: {item}" for item in lost]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site-dir", type=Path, default=ROOT / "build" / "lighthouse-site")
    parser.add_argument("--reports", type=Path, default=ROOT / "build" / "lighthouse")
    args = parser.parse_args()
    results = audit(ROOT, args.site_dir.resolve(), args.reports.resolve())
    print(table(results))
    below = [r for r in results if any(r.scores.get(c) != 100 for c in REQUIRED)]
    return 1 if below else 0


if __name__ == "__main__":
    sys.exit(main())
