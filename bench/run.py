"""`make bench`: build synthetic catalogues of N drugs and print what it costs, beside stock MkDocs.

For each N it synthesises a catalogue (`python -m generator synth`), then measures in one run, so
the ratios compare like with like on a shared, noisy machine:

- our cold build (empty page cache, no stored generation) and the same build again with nothing
  changed (warm): wall seconds, CPU seconds (user + system of the build and every worker it forked
  and reaped), CPU ms per page, peak resident memory of the largest process;
- the stock MkDocs build loop on the same `mkdocs.yml` and content (`python -m mkdocs build`, our
  hooks generating the Markdown), with the same figures: the reference for issue 14's targets;
- the generator stage (load + validate + render + write) of our cold build;
- the time from editing one YAML file under `serve` to the served page showing the new text;
- search for readers (first query: ms and bytes; later queries: ms) via bench/search_latency.py,
  when it is there;
- a PR preview of a one-file change with the page cache of the previous preview carried over, as
  CI's `actions/cache` step does (`preview_latency`);
- Pagefind 1.5 on the same built site (bench/pagefind_bench.py), beside our search through each
  engine's own API: index size, first query's ms and bytes, later queries' ms, and the ranking
  tests (each name of a sample of entities finds its page first; a name with one edit too);
- Zensical, cold and warm, on the same content;
- site size, search index (raw, gzip), largest page and offline zip;
- the shape of the site (bench/site_shape.py): the largest drug page's HTML, the site's size per
  1,000 drugs, and the most clicks any page needs from the home page.

At the memory-only sizes (10,000 by default) it runs our cold build alone. Every build runs in its
own process, so its memory is its own. After each N it prints the table (one column per N, ours
beside stock) and every target as met or NOT MET, and writes build/bench/results.json.

    python bench/run.py [--sizes 100 1000 5000] [--memory-sizes 10000] [--stock-up-to N]
                        [--serve-up-to N] [--preview-sizes 5000] [--no-zensical] [--no-offline] [--no-pagefind]

`python bench/profile_build.py --drugs N` profiles one cold build in one process, by area, to explain a gap.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from site_shape import MB, clicks_from_home, deepest, entity_page_sizes, folder_sizes, page_parts, site_bytes

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "build" / "bench"
MIB = 1024 * 1024
# The parts of the project a build reads (as tests/conftest.py copies them for a throwaway checkout).
PROJECT_PARTS = ("generator", "site-overrides", "mkdocs.yml")
SEARCH_INDEX_PATHS = ("search/search_index.json", "search.json")
PREVIEW_PR = 1
GIT_IDENTITY = {"GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@example.org", "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "bench@example.org"}


@dataclass
class Run:
    """One command: wall seconds, CPU seconds of it and its reaped children, peak RSS of the largest process (MiB), output."""

    seconds: float
    cpu_s: float
    peak_mib: float
    output: str


@dataclass
class Build:
    """A build's cost: wall and CPU seconds, peak memory of its largest process."""

    wall_s: float
    cpu_s: float
    peak_mib: float

    @classmethod
    def of(cls, run: Run) -> Build:
        return cls(round(run.seconds, 2), round(run.cpu_s, 2), round(run.peak_mib, 1))


@dataclass
class Result:
    """Everything measured for one catalogue size."""

    drugs: int
    memory_only: bool = False
    pages: int = 0
    generator_s: float | None = None
    cold: Build | None = None
    warm: Build | None = None
    stock: Build | None = None
    serve_edit_s: float | None = None
    search: dict[str, Any] | None = None
    pagefind: dict[str, Any] | None = None  # bench/pagefind_bench.py: {"ours": {...}, "pagefind": {...}, ...}
    preview_first_s: float | None = None
    preview_s: float | None = None
    preview_cpu_s: float | None = None  # with the base's render, in a process of its own
    preview_summary: str = ""
    zensical_cold_s: float | None = None
    zensical_warm_s: float | None = None
    site_mib: float | None = None
    search_raw_kib: float | None = None
    search_gzip_kib: float | None = None
    largest_page_kib: float | None = None
    offline_zip_mib: float | None = None
    drug_page_kib: float | None = None  # the largest drug page's HTML
    drug_page_median_kib: float | None = None
    site_mb_per_1000_drugs: float | None = None
    clicks_from_home: int | None = None  # the most any page needs; None when a page is out of reach
    out_of_reach: int = 0  # pages no link leads to from the home page
    seconds: float = 0.0  # what measuring this N took
    notes: list[str] = field(default_factory=list)

    def cpu_ms_per_page(self, build: Build | None) -> float | None:
        return 1000 * build.cpu_s / self.pages if build and self.pages else None


def measure(*args: str | Path, env: dict[str, str] | None = None, cwd: Path = ROOT) -> Run:
    """Run a command to completion. wait4's rusage covers the process and the children it reaped
    (forked workers): CPU is their sum, ru_maxrss the largest of them."""
    with tempfile.TemporaryFile() as output:
        start = time.perf_counter()
        process = subprocess.Popen([str(a) for a in args], cwd=cwd, env={**os.environ, **(env or {})}, stdout=output, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        output.seek(0)
        text = output.read().decode("utf-8", "replace")
    if process.returncode != 0:
        raise SystemExit(f"bench: {' '.join(map(str, args))} failed ({process.returncode}):\n{text[-3000:]}")
    return Run(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, text)


def generator(*args: str | Path, cwd: Path = ROOT, env: dict[str, str] | None = None) -> Run:
    return measure(sys.executable, "-m", "generator", *args, cwd=cwd, env=env)


def number_in(pattern: str, text: str) -> float | None:
    match = re.search(pattern, text)
    return float(match.group(1)) if match else None


def cold_build(content: Path, site: Path) -> Run:
    """Our build with no page cache and no stored generation for `site`."""
    shutil.rmtree(ROOT / "build" / "cache" / site.name, ignore_errors=True)
    (ROOT / "build" / "cache" / f"{site.name}.generated.pickle").unlink(missing_ok=True)
    return generator("--content", content, "build", "--site-dir", site)


def stock_build(content: Path, site: Path) -> Run:
    """The stock MkDocs build loop on our mkdocs.yml and this content: our hooks generate the Markdown
    (as tests/test_architecture.py runs it), MkDocs does the rest, in one process."""
    return measure(sys.executable, "-m", "mkdocs", "build", "--quiet", "-f", ROOT / "mkdocs.yml", "--site-dir", site, env={"MEDSITE_CONTENT": str(content)})


def serve_edit_latency(content: Path) -> float:
    """Start `serve`, edit one drug's summary, return seconds until the served page (over HTTP) shows the edit."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    drugs = sorted((content / "drug").glob("*.yaml"))
    drug = drugs[len(drugs) // 2]
    url = f"http://127.0.0.1:{port}/drugs/{drug.stem}/"
    server = subprocess.Popen(
        [sys.executable, "-m", "generator", "--content", str(content), "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(url, "<h1", 3600)
        time.sleep(2)  # let the watcher settle after the first build
        marker = f"Edited for the benchmark {time.time_ns()}"
        edit_summary(drug, marker)
        start = time.perf_counter()
        _wait_for(url, marker, 120)
        return time.perf_counter() - start
    finally:
        server.terminate()
        server.wait(timeout=30)


def edit_summary(drug: Path, marker: str) -> None:
    """Put `marker` at the start of a drug's summary: new text on its page."""
    text = drug.read_text(encoding="utf-8")
    drug.write_text(re.sub(r"^summary: (>-\n  )?", lambda m: m.group(0) + marker + " ", text, count=1, flags=re.M), encoding="utf-8")


def _wait_for(url: str, text: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if text in response.read().decode("utf-8"):
                    return
        except OSError:
            pass
        time.sleep(0.05)
    raise SystemExit(f"bench: {url} never showed {text!r}")


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, env={**os.environ, **GIT_IDENTITY}, check=True, capture_output=True)


def preview_latency(content: Path, work: Path) -> tuple[Run, Run]:
    """A PR preview of a one-file change, as CI builds it with the page cache carried between runs.

    A throwaway git checkout of the project holds the catalogue as `content/`, committed as `main`.
    A PR branch edits one drug and is previewed (`python -m generator preview --pr 1 --base main`,
    which renders `main` from `git archive` and builds the site): the previous CI run, which leaves
    `build/cache/pr-1/` behind. Then, as in a fresh CI checkout where actions/cache restored only
    that folder, everything else under build/ and preview/ goes, a second drug is edited and
    committed, and the preview is built again: that second run is the figure.
    """
    repo = work / "preview-repo"
    shutil.rmtree(repo, ignore_errors=True)
    repo.mkdir(parents=True)
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, repo / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, repo / part)
    shutil.copytree(content, repo / "content")
    (repo / ".gitignore").write_text("build/\npreview/\n__pycache__/\n", encoding="utf-8")
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "base")
    _git(repo, "checkout", "-q", "-b", "pr")
    drugs = sorted((repo / "content" / "drug").glob("*.yaml"))
    env = {"SITE_URL": "http://127.0.0.1:8000/", "PYTHONPATH": ""}
    preview = ("preview", "--pr", str(PREVIEW_PR), "--base", "main")

    edit_summary(drugs[len(drugs) // 3], "First push of the benchmark PR.")
    _git(repo, "commit", "-q", "-am", "first push")
    first = generator(*preview, cwd=repo, env=env)

    # A fresh CI checkout: only the restored cache folder survives.
    carried = f"pr-{PREVIEW_PR}"
    shutil.rmtree(repo / "preview", ignore_errors=True)
    for path in (repo / "build").iterdir():
        if path.name != "cache":
            shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()
    for path in (repo / "build" / "cache").iterdir():
        if path.name != carried:
            shutil.rmtree(path) if path.is_dir() else path.unlink()
    edit_summary(drugs[2 * len(drugs) // 3], "Second push of the benchmark PR.")
    _git(repo, "commit", "-q", "-am", "second push")
    second = generator(*preview, cwd=repo, env=env)
    return first, second


def search_latency(site: Path, content: Path) -> dict[str, float]:
    """A reader's search on the built site (bench/search_latency.py): five drug names typed in turn;
    ms to the first query's result and the bytes it fetched, and the slowest of the later queries."""
    from search_latency import measure_search  # bench/ is on sys.path: this script's own folder

    drugs = sorted(p.stem for p in (content / "drug").glob("*.yaml"))
    queries = [drugs[i * len(drugs) // 5].split("-")[0] for i in range(5)] if drugs else ["dose"]
    measured = measure_search(site, queries)
    times = measured["ms"]
    return {"first_ms": times[0], "later_ms": max(times[1:], default=times[0]), "first_bytes": measured["first_query_bytes"]}


def bench(drugs: int, *, memory_only: bool, stock: bool, serve: bool, preview: bool, zensical: bool, offline: bool, pagefind: bool) -> Result:
    """Measure one catalogue size."""
    started = time.perf_counter()
    work = WORK / str(drugs)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    content, site = work / "content", work / f"site-{drugs}"  # its own caches, not make site's
    result = Result(drugs, memory_only=memory_only)
    generator("synth", "--drugs", str(drugs), "--out", content)

    cold = cold_build(content, site)
    result.cold = Build.of(cold)
    result.generator_s = number_in(r"generated in ([\d.]+) s", cold.output)
    result.pages = int(number_in(r"(\d+) pages", cold.output) or 0)
    if memory_only:
        result.notes.append("memory size: cold build only")
        result.seconds = time.perf_counter() - started
        return result
    result.warm = Build.of(generator("--content", content, "build", "--site-dir", site))
    if stock:
        result.stock = Build.of(stock_build(content, work / "stock-site"))
        shutil.rmtree(work / "stock-site", ignore_errors=True)

    # The public site's sharded index (every file, each gzipped on its own as it is served), else one index file.
    shards = sorted((site / "search" / "shards").rglob("*.json"))
    index = next((site / p for p in SEARCH_INDEX_PATHS if (site / p).is_file()), None)
    files = [path.read_bytes() for path in shards] if shards else [index.read_bytes()] if index else []
    result.search_raw_kib = sum(map(len, files)) / 1024
    result.search_gzip_kib = sum(len(gzip.compress(data, 6, mtime=0)) for data in files) / 1024
    size = site_bytes(site)
    result.site_mib = size / MIB
    result.site_mb_per_1000_drugs = size / MB * 1000 / drugs
    by_slug = entity_page_sizes(site, "drugs", [path.stem for path in (content / "drug").glob("*.yaml")])
    drug_pages = sorted(by_slug.values())
    result.drug_page_kib, result.drug_page_median_kib = drug_pages[-1] / 1024, drug_pages[len(drug_pages) // 2] / 1024
    # Where the bytes go, for a target not met: the largest drug page by part, the site by folder.
    largest = max(by_slug, key=by_slug.__getitem__)
    parts = page_parts((site / "drugs" / largest / "index.html").read_text(encoding="utf-8"))
    result.notes.append("largest drug page, KiB: " + ", ".join(f"{name} {part / 1024:.1f}" for name, part in parts))
    result.notes.append("site by folder, MB: " + ", ".join(f"{top} {part / MB:.1f}" for top, part in list(folder_sizes(site).items())[:6]))
    depth = clicks_from_home(site)
    result.clicks_from_home, result.out_of_reach = deepest(depth), sum(clicks is None for clicks in depth.values())
    result.largest_page_kib = max(p.stat().st_size for p in site.rglob("*.html")) / 1024
    result.search = search_latency(site, content)
    if pagefind:
        from pagefind_bench import measure as pagefind_measure  # bench/ is on sys.path: this script's own folder

        result.pagefind = pagefind_measure(site, content, work)
        shutil.rmtree(work / "pagefind-site", ignore_errors=True)

    if offline:
        generator("--content", content, "offline", "--dist", work / "dist")
        result.offline_zip_mib = next((work / "dist").glob("*.zip")).stat().st_size / MIB
    if zensical:
        zensical_site = work / "zensical-site"
        result.zensical_cold_s = generator("--content", content, "build", "--engine", "zensical", "--site-dir", zensical_site).seconds
        result.zensical_warm_s = generator("--content", content, "build", "--engine", "zensical", "--site-dir", zensical_site).seconds
    if preview:
        first, second = preview_latency(content, work)
        result.preview_first_s, result.preview_s, result.preview_cpu_s = first.seconds, second.seconds, second.cpu_s
        result.preview_summary = second.output.strip().splitlines()[-1] if second.output.strip() else ""
    if serve:
        result.serve_edit_s = serve_edit_latency(content)
    result.seconds = time.perf_counter() - started
    return result


def _opt(value: float | None, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def _ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def table(results: list[Result]) -> str:
    """The figures, one column per N: ours, and stock MkDocs beside it where it ran."""
    W = 10

    def build_rows(label: str, build: Any) -> list[tuple[str, Any, Any]]:
        return [
            (f"{label} wall, s", lambda r: _opt(build(r).wall_s if build(r) else None, ".1f"), lambda r: _opt(r.stock.wall_s, ".1f")),
            ("  CPU, s", lambda r: _opt(build(r).cpu_s if build(r) else None, ".1f"), lambda r: _opt(r.stock.cpu_s, ".1f")),
            ("  CPU per page, ms", lambda r: _opt(r.cpu_ms_per_page(build(r)), ".1f"), lambda r: _opt(r.cpu_ms_per_page(r.stock), ".1f")),
            ("  peak RSS (largest process), MiB", lambda r: _opt(build(r).peak_mib if build(r) else None, ".0f"), lambda r: _opt(r.stock.peak_mib, ".0f")),
        ]

    rows: list[tuple[str, Any, Any]] = [
        ("pages", lambda r: f"{r.pages}", lambda r: f"{r.pages}"),
        *build_rows("cold build", lambda r: r.cold),
        ("  own / stock wall", lambda r: _opt(_ratio(r.cold.wall_s if r.cold else None, r.stock.wall_s if r.stock else None), ".2f"), None),
        ("  own / stock CPU", lambda r: _opt(_ratio(r.cold.cpu_s if r.cold else None, r.stock.cpu_s if r.stock else None), ".2f"), None),
        ("  generator stage, s", lambda r: _opt(r.generator_s, ".1f"), None),
        ("warm build wall, s", lambda r: _opt(r.warm.wall_s if r.warm else None, ".1f"), None),
        ("  warm / cold", lambda r: _opt(_ratio(r.warm.wall_s if r.warm else None, r.cold.wall_s if r.cold else None), ".3f"), None),
        ("  CPU, s", lambda r: _opt(r.warm.cpu_s if r.warm else None, ".1f"), None),
        ("serve: edit → new text shown, s", lambda r: _opt(r.serve_edit_s, ".2f"), None),
        ("search: first query, ms", lambda r: _opt((r.search or {}).get("first_ms"), ".0f"), None),
        ("search: first query, KB", lambda r: _opt(_kb((r.search or {}).get("first_bytes")), ".0f"), None),
        ("search: later queries, ms", lambda r: _opt((r.search or {}).get("later_ms"), ".0f"), None),
        *_pagefind_rows(),
        ("preview, 1st push (cold), s", lambda r: _opt(r.preview_first_s, ".1f"), None),
        ("preview, 1-file change, cache, s", lambda r: _opt(r.preview_s, ".1f"), None),
        ("  CPU, s", lambda r: _opt(r.preview_cpu_s, ".1f"), None),
        ("zensical cold, s", lambda r: _opt(r.zensical_cold_s, ".1f"), None),
        ("zensical warm, s", lambda r: _opt(r.zensical_warm_s, ".1f"), None),
        ("site size, MiB", lambda r: _opt(r.site_mib, ".1f"), None),
        ("  per 1,000 drugs, MB", lambda r: _opt(r.site_mb_per_1000_drugs, ".1f"), None),
        ("drug page, largest, KiB", lambda r: _opt(r.drug_page_kib, ".1f"), None),
        ("  median, KiB", lambda r: _opt(r.drug_page_median_kib, ".1f"), None),
        ("most clicks from home (any page)", lambda r: _opt(r.clicks_from_home, "d") if not r.out_of_reach else f"{r.out_of_reach} unreached", None),
        ("search index raw, KiB", lambda r: _opt(r.search_raw_kib, ".0f"), None),
        ("search index gzip, KiB", lambda r: _opt(r.search_gzip_kib, ".0f"), None),
        ("  gzip per page, KiB", lambda r: _opt(_ratio(r.search_gzip_kib, r.pages), ".2f"), None),
        ("largest HTML page, KiB", lambda r: _opt(r.largest_page_kib, ".0f"), None),
        ("offline zip, MiB", lambda r: _opt(r.offline_zip_mib, ".1f"), None),
        ("measuring this N took, min", lambda r: f"{r.seconds / 60:.1f}", None),
    ]
    head = "".join(f"{'N = ' + str(r.drugs):>{W}}{'stock' if r.stock else '':>{W}}" for r in results)
    sub = "".join(f"{'ours':>{W}}{'mkdocs':>{W}}" if r.stock else f"{'ours':>{W}}{'':>{W}}" for r in results)
    lines = [f"{'':<34}{head}", f"{'':<34}{sub}", "-" * (34 + 2 * W * len(results))]
    for name, cell, stock in rows:
        line = f"{name:<34}"
        for r in results:
            line += f"{cell(r):>{W}}" + (f"{stock(r):>{W}}" if stock and r.stock else " " * W)
        lines.append(line.rstrip())
    return "\n".join(lines)


def _pagefind_rows() -> list[tuple[str, Any, Any]]:
    """Our search and Pagefind through their APIs on the same site: ours in the column, Pagefind beside it as `ours / pagefind`."""

    def both(key: str, spec: str, scale: float = 1) -> Any:
        def cell(r: Result) -> str:
            if not r.pagefind:
                return "-"
            ours, theirs = r.pagefind["ours"], r.pagefind["pagefind"]
            get = (lambda side: side["index"][key]) if key.endswith("kib") else (lambda side: side[key])
            return f"{get(ours) / scale:{spec}}/{get(theirs) / scale:{spec}}"

        return cell

    def rate(key: str, total: str) -> Any:
        return lambda r: f"{r.pagefind['ours'][key]}/{r.pagefind['pagefind'][key]} of {r.pagefind[total]}" if r.pagefind else "-"

    return [
        ("vs Pagefind (ours/pagefind):", lambda r: "", None),
        ("  index gzip, KiB", both("gzip_kib", ".0f"), None),
        ("  first query, ms", both("first_ms", ".0f"), None),
        ("  first query, KB", both("first_bytes", ".0f", 1000), None),
        ("  later queries, slowest ms", both("later_ms", ".0f"), None),
        ("  later queries, median ms", both("later_median_ms", ".0f"), None),
        ("  name → own page first", rate("names_first", "name_queries"), None),
        ("  one-edit typo → page first", rate("typos_first", "typo_queries"), None),
    ]


def _kb(value: float | None) -> float | None:
    return None if value is None else value / 1000


Check = tuple[str, str, bool | None]


def targets(results: list[Result]) -> list[Check]:
    """Issue 14's targets (and the reader budgets), each as (what, measured, met); met is None when not measured."""
    by_n = {r.drugs: r for r in results}
    checks: list[Check] = []

    def check(what: str, n: int, figure: Any, unit: str, limit: float) -> None:
        value = figure(by_n[n]) if n in by_n else None
        if value is None:
            checks.append((f"{what} (N={n})", "not measured", None))
        else:
            checks.append((f"{what} (N={n})", unit.format(value), value <= limit))

    def cold_wall(r: Result) -> float | None:
        return r.cold.wall_s if r.cold else None

    check("cold build ≤ 12 ms CPU per page", 1000, lambda r: r.cpu_ms_per_page(r.cold), "{:.1f} ms", 12)
    check("cold build wall ≤ 0.30 × stock MkDocs", 1000, lambda r: _ratio(cold_wall(r), r.stock.wall_s if r.stock else None), "{:.2f} ×", 0.30)
    n1000 = by_n.get(1000)
    check("cold build ≤ 5.2 × N=1000", 5000, lambda r: _ratio(cold_wall(r), cold_wall(n1000) if n1000 else None), "{:.2f} ×", 5.2)
    for n in (1000, 5000):
        check("warm build ≤ 0.05 × cold", n, lambda r: _ratio(r.warm.wall_s if r.warm else None, cold_wall(r)), "{:.3f} ×", 0.05)
    check("serve: one YAML edit shown ≤ 0.5 s", 1000, lambda r: r.serve_edit_s, "{:.2f} s", 0.5)
    check("serve: one YAML edit shown ≤ 1 s", 5000, lambda r: r.serve_edit_s, "{:.2f} s", 1)
    check("peak memory (largest process) ≤ 600 MiB", 5000, lambda r: r.cold.peak_mib if r.cold else None, "{:.0f} MiB", 600)
    check("builds with peak memory ≤ 1.2 GiB", 10000, lambda r: r.cold.peak_mib if r.cold else None, "{:.0f} MiB", 1.2 * 1024)
    for n in (1000, 5000):
        check("search: first query result ≤ 300 ms", n, lambda r: (r.search or {}).get("first_ms"), "{:.0f} ms", 300)
        check("search: later queries ≤ 100 ms", n, lambda r: (r.search or {}).get("later_ms"), "{:.0f} ms", 100)
        check("search: first query transfers ≤ 250 KB", n, lambda r: _kb((r.search or {}).get("first_bytes")), "{:.0f} KB", 250)
    for n in (1000, 5000):  # the same search budgets, for Pagefind on the same site (through its API)
        check("Pagefind: first query result ≤ 300 ms", n, lambda r: (r.pagefind or {}).get("pagefind", {}).get("first_ms"), "{:.0f} ms", 300)
        check("Pagefind: later queries ≤ 100 ms", n, lambda r: (r.pagefind or {}).get("pagefind", {}).get("later_ms"), "{:.0f} ms", 100)
        check("Pagefind: first query transfers ≤ 250 KB", n, lambda r: _kb((r.pagefind or {}).get("pagefind", {}).get("first_bytes")), "{:.0f} KB", 250)
    check("PR preview of a one-file change, page cache carried, ≤ 60 s", 5000, lambda r: r.preview_s, "{:.1f} s", 60)
    for n in (1000, 5000):
        check("drug page HTML ≤ 40 KiB, median drug page", n, lambda r: r.drug_page_median_kib, "{:.1f} KiB", 40)
        check("drug page HTML ≤ 40 KiB, largest drug page", n, lambda r: r.drug_page_kib, "{:.1f} KiB", 40)
        check("site ≤ 100 MB per 1,000 drugs", n, lambda r: r.site_mb_per_1000_drugs, "{:.1f} MB", 100)
    for r in results:
        if r.drug_page_kib is not None:
            reach = f"{r.out_of_reach} pages out of reach" if r.out_of_reach else f"{r.clicks_from_home} clicks"
            checks.append((f"every page within 3 clicks of the home page (N={r.drugs})", reach, not r.out_of_reach and (r.clicks_from_home or 0) <= 3))
        if r.largest_page_kib is not None:
            checks.append((f"no HTML page over 300 KiB (N={r.drugs})", f"{r.largest_page_kib:.0f} KiB", r.largest_page_kib <= 300))
        if r.search_gzip_kib is not None and r.pages:
            per_page = r.search_gzip_kib / r.pages
            checks.append((f"search index ≤ 3 KiB gzip per page (N={r.drugs})", f"{per_page:.2f} KiB", per_page <= 3))
    return checks


# Rough costs on 2 idle cores, from earlier runs (seconds: a fixed part, and a part per 1,000 drugs;
# stock MkDocs grows faster than linearly), for the estimate printed before and during a run.
def expected_seconds(drugs: int, *, memory_only: bool, stock: bool, serve: bool, preview: bool, zensical: bool, offline: bool, pagefind: bool) -> float:
    k = drugs / 1000
    cold = 10 + 30 * k**1.05
    if memory_only:
        return 5 + 3 * k + cold
    total = 5 + 3 * k + cold + 5 + 3 * k  # synth and sizes, cold, warm
    total += 10 + 45 * k**1.15 if stock else 0
    total += 10 + 35 * k if offline else 0
    total += 30 + 30 * k if zensical else 0
    total += 40 + 30 * k if pagefind else 0
    total += cold + 10 if serve else 0
    total += 20 + 2 * cold + 20 * k if preview else 0  # two previews: the first builds every page
    return total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000], help="catalogue sizes (drugs) measured in full")
    parser.add_argument("--memory-sizes", type=int, nargs="*", default=[10000], help="sizes at which only a cold build runs (memory); none: --memory-sizes")
    parser.add_argument("--stock-up-to", type=int, default=5000, help="largest N to build with stock MkDocs too")
    parser.add_argument("--serve-up-to", type=int, default=5000, help="largest N to time a `serve` edit at")
    parser.add_argument("--preview-sizes", type=int, nargs="*", default=[5000], help="sizes at which to time a PR preview with the page cache carried")
    parser.add_argument("--no-zensical", action="store_true", help="skip the Zensical builds")
    parser.add_argument("--no-offline", action="store_true", help="skip the offline bundle")
    parser.add_argument("--no-pagefind", action="store_true", help="skip Pagefind beside our search")
    args = parser.parse_args()
    plan = [(n, False) for n in args.sizes] + [(n, True) for n in args.memory_sizes if n not in args.sizes]
    options = {
        n: {
            "memory_only": memory_only,
            "stock": not memory_only and n <= args.stock_up_to,
            "serve": not memory_only and n <= args.serve_up_to,
            "preview": not memory_only and n in args.preview_sizes,
            "zensical": not memory_only and not args.no_zensical,
            "offline": not memory_only and not args.no_offline,
            "pagefind": not memory_only and not args.no_pagefind,
        }
        for n, memory_only in plan
    }
    estimate = sum(expected_seconds(n, **o) for n, o in options.items())
    sizes = ", ".join(f"{n:,}" + (" (memory only)" if m else "") for n, m in plan)
    print(f"bench: N = {sizes}; expected about {estimate / 60:.0f} min on 2 idle cores (more on a busy machine)", flush=True)
    started = time.perf_counter()
    results: list[Result] = []
    expected_done = 0.0
    for i, (drugs, _) in enumerate(plan):
        what = ", ".join(k for k, v in options[drugs].items() if v and k != "memory_only") or "cold build only"
        print(f"bench: N = {drugs:,} ({what}; about {expected_seconds(drugs, **options[drugs]) / 60:.0f} min) ...", flush=True)
        results.append(bench(drugs, **options[drugs]))
        expected_done += expected_seconds(drugs, **options[drugs])
        elapsed = time.perf_counter() - started
        report(results, elapsed)  # after each N: a long run shows (and keeps) what it has
        if rest := [n for n, _ in plan[i + 1 :]]:
            # The estimate for the rest, scaled by how this machine kept to it so far.
            left = sum(expected_seconds(n, **options[n]) for n in rest) * elapsed / expected_done
            print(f"bench: N = {', '.join(f'{n:,}' for n in rest)} to go: about {left / 60:.0f} min more", flush=True)
    return 0


def report(results: list[Result], seconds: float) -> None:
    """Print the table and the targets, and write them to build/bench/results.json."""
    print()
    print(table(results))
    for r in results:
        for note in [*r.notes, *([f"preview: {r.preview_summary}"] if r.preview_summary else [])]:
            print(f"  N = {r.drugs}: {note}")
    print()
    checks = targets(results)
    for what, measured, met in checks:
        print(f"{'-      ' if met is None else 'met    ' if met else 'NOT MET'}  {what}: {measured}")
    print(f"\nbench so far: {seconds / 60:.1f} min on {os.cpu_count()} cores", flush=True)
    WORK.mkdir(parents=True, exist_ok=True)
    data = {
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
        "seconds": round(seconds, 1),
        "results": [{**asdict(r), "cold_cpu_ms_per_page": r.cpu_ms_per_page(r.cold), "stock_cpu_ms_per_page": r.cpu_ms_per_page(r.stock)} for r in results],
        "targets": [{"target": what, "measured": measured, "met": met} for what, measured, met in checks],
    }
    (WORK / "results.json").write_text(json.dumps(data, indent=2), encoding="utf-8")
    print(f"results: {(WORK / 'results.json').relative_to(ROOT)}")


if __name__ == "__main__":
    sys.exit(main())
