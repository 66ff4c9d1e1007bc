"""`make bench`: build synthetic catalogues of N drugs and print what it costs, beside plain MkDocs.

For each N it synthesises a catalogue (`python -m generator synth`), then measures in one run, so
the ratios compare like with like on a shared, noisy machine:

- generator stage (load + validate + render + write) and full build, cold (empty page cache);
- the same build again with nothing changed (warm);
- plain `mkdocs build` of the same generated Markdown in one flat navigation section with
  Material's defaults: the naive way, and the reference for the glue's cost;
- the time from editing one YAML file under `serve` to the served page showing the edit;
- Zensical, cold and warm, on the same content;
- site size, search index (raw, gzip), largest page, offline zip, and peak memory of each build.

Every build runs in its own process, so its peak resident memory is its own. Results are printed
as a table and written to build/bench/results.json.

    python bench/run.py [--sizes 100 1000 5000] [--naive-up-to N] [--serve-up-to N]

Plain MkDocs with a flat navigation is quadratic (about 165 s at N = 1,000 on 2 cores, so over an
hour at 5,000); by default it runs up to N = 1,000, like the `serve` measurement.
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

import yaml

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "build" / "bench"
MIB = 1024 * 1024


@dataclass
class Run:
    """One command: wall seconds, peak resident memory (MiB), what it printed."""

    seconds: float
    peak_mib: float
    output: str


@dataclass
class Result:
    """Everything measured for one catalogue size."""

    drugs: int
    pages: int = 0
    generator_s: float = 0.0
    cold_s: float = 0.0
    cold_peak_mib: float = 0.0
    warm_s: float = 0.0
    naive_s: float | None = None
    naive_peak_mib: float | None = None
    serve_edit_s: float | None = None
    zensical_cold_s: float | None = None
    zensical_warm_s: float | None = None
    site_mib: float = 0.0
    search_raw_kib: float = 0.0
    search_gzip_kib: float = 0.0
    largest_page_kib: float = 0.0
    offline_zip_mib: float = 0.0
    notes: list[str] = field(default_factory=list)

    @property
    def ms_per_page(self) -> float:
        return 1000 * self.cold_s / self.pages if self.pages else 0.0


def measure(*args: str | Path, env: dict[str, str] | None = None) -> Run:
    """Run a command to completion; its own peak RSS comes from wait4, not from sampling."""
    with tempfile.TemporaryFile() as output:
        start = time.perf_counter()
        process = subprocess.Popen([str(a) for a in args], cwd=ROOT, env={**os.environ, **(env or {})}, stdout=output, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        output.seek(0)
        text = output.read().decode("utf-8", "replace")
    if process.returncode != 0:
        raise SystemExit(f"bench: {' '.join(map(str, args))} failed ({process.returncode}):\n{text[-3000:]}")
    return Run(seconds, usage.ru_maxrss / 1024, text)


def generator(*args: str | Path) -> Run:
    return measure(sys.executable, "-m", "generator", *args)


def naive_config(markdown: Path, site: Path) -> Path:
    """Plain MkDocs + Material defaults, every page in one flat nav section, same Markdown extensions."""
    ours = yaml.safe_load(re.sub(r"!ENV \[?\s*\w+,?\s*", "", (ROOT / "mkdocs.yml").read_text(encoding="utf-8")).replace("]", ""))
    pages = sorted(p.relative_to(markdown).as_posix() for p in markdown.rglob("*.md"))
    config = {
        "site_name": "Naive catalogue",
        "docs_dir": str(markdown),
        "site_dir": str(site),
        "theme": {"name": "material"},
        "plugins": ["search"],
        "markdown_extensions": ours["markdown_extensions"],
        "nav": [{"Catalogue": pages}],
    }
    path = markdown.parent / "naive-mkdocs.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path


def seconds_in(pattern: str, text: str) -> float:
    match = re.search(pattern, text)
    return float(match.group(1)) if match else float("nan")


def serve_edit_latency(content: Path) -> float:
    """Start `serve`, edit one drug's summary, return seconds until the served page shows the edit."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    drug = sorted((content / "drug").glob("*.yaml"))[len(list((content / "drug").glob("*.yaml"))) // 2]
    url = f"http://127.0.0.1:{port}/drugs/{drug.stem}/"
    server = subprocess.Popen(
        [sys.executable, "-m", "generator", "--content", str(content), "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(url, "<h1", 1800)
        time.sleep(2)  # let the watcher settle after the first build
        marker = f"Edited for the benchmark {time.time_ns()}"
        text = drug.read_text(encoding="utf-8")
        drug.write_text(re.sub(r"^summary: (>-\n  )?", lambda m: m.group(0) + marker + " ", text, count=1, flags=re.M), encoding="utf-8")
        start = time.perf_counter()
        _wait_for(url, marker, 120)
        return time.perf_counter() - start
    finally:
        server.terminate()
        server.wait(timeout=30)


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


def bench(drugs: int, naive: bool, serve: bool) -> Result:
    """Measure one catalogue size."""
    work = WORK / str(drugs)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    content, markdown, site = work / "content", work / "markdown", work / f"site-{drugs}"  # its own caches, not make site's
    result = Result(drugs)
    generator("synth", "--drugs", str(drugs), "--out", content)
    with_content = ("--content", content)

    # Cold: no page cache and no stored generation for this output folder.
    shutil.rmtree(ROOT / "build" / "cache" / site.name, ignore_errors=True)
    (ROOT / "build" / "cache" / f"{site.name}.generated.pickle").unlink(missing_ok=True)
    cold = generator(*with_content, "build", "--site-dir", site)
    result.cold_s, result.cold_peak_mib = cold.seconds, cold.peak_mib
    result.generator_s = seconds_in(r"generated in ([\d.]+) s", cold.output)
    result.pages = int(seconds_in(r"(\d+) pages: \d+ read", cold.output))
    result.warm_s = generator(*with_content, "build", "--site-dir", site).seconds

    generator(*with_content, "render", "--out", markdown)
    if naive:
        plain = measure(sys.executable, "-m", "mkdocs", "build", "--quiet", "-f", naive_config(markdown, work / "naive-site"))
        result.naive_s, result.naive_peak_mib = plain.seconds, plain.peak_mib
    else:
        result.notes.append("plain MkDocs not run (--naive-up-to)")

    index = site / "search" / "search_index.json"
    data = index.read_bytes()
    result.search_raw_kib, result.search_gzip_kib = len(data) / 1024, len(gzip.compress(data, 6, mtime=0)) / 1024
    result.site_mib = sum(p.stat().st_size for p in site.rglob("*") if p.is_file()) / MIB
    result.largest_page_kib = max(p.stat().st_size for p in site.rglob("*.html")) / 1024

    generator(*with_content, "offline", "--dist", work / "dist")
    result.offline_zip_mib = next((work / "dist").glob("*.zip")).stat().st_size / MIB

    zensical_site = work / "zensical-site"
    result.zensical_cold_s = generator(*with_content, "build", "--engine", "zensical", "--site-dir", zensical_site).seconds
    result.zensical_warm_s = generator(*with_content, "build", "--engine", "zensical", "--site-dir", zensical_site).seconds

    if serve:
        result.serve_edit_s = serve_edit_latency(content)
    return result


def table(results: list[Result]) -> str:
    """The figures, one column per N."""
    rows = [
        ("pages", lambda r: f"{r.pages}"),
        ("generator stage, s", lambda r: f"{r.generator_s:.1f}"),
        ("full build cold, s", lambda r: f"{r.cold_s:.1f}"),
        ("  ms per page", lambda r: f"{r.ms_per_page:.1f}"),
        ("  peak memory, MiB", lambda r: f"{r.cold_peak_mib:.0f}"),
        ("full build warm, s", lambda r: f"{r.warm_s:.1f}"),
        ("plain mkdocs (flat nav), s", lambda r: _opt(r.naive_s, ".1f")),
        ("  peak memory, MiB", lambda r: _opt(r.naive_peak_mib, ".0f")),
        ("serve: edit → page shows it, s", lambda r: _opt(r.serve_edit_s, ".2f")),
        ("zensical cold, s", lambda r: _opt(r.zensical_cold_s, ".1f")),
        ("zensical warm, s", lambda r: _opt(r.zensical_warm_s, ".1f")),
        ("site size, MiB", lambda r: f"{r.site_mib:.1f}"),
        ("search index raw, KiB", lambda r: f"{r.search_raw_kib:.0f}"),
        ("search index gzip, KiB", lambda r: f"{r.search_gzip_kib:.0f}"),
        ("  gzip per page, KiB", lambda r: f"{r.search_gzip_kib / r.pages:.2f}"),
        ("largest HTML page, KiB", lambda r: f"{r.largest_page_kib:.0f}"),
        ("offline zip, MiB", lambda r: f"{r.offline_zip_mib:.1f}"),
    ]
    header = f"{'N drugs':<32}" + "".join(f"{r.drugs:>12}" for r in results)
    lines = [header, "-" * len(header)]
    lines += [f"{name:<32}" + "".join(f"{cell(r):>12}" for r in results) for name, cell in rows]
    return "\n".join(lines)


def targets(results: list[Result]) -> list[tuple[str, str, bool | None]]:
    """Issue 5's targets, each as (what, measured, met); None when the run lacks the figures."""
    by_n = {r.drugs: r for r in results}
    checks: list[tuple[str, str, bool | None]] = []
    if (k := by_n.get(1000)) is not None:
        checks.append(("generator stage ≤ 2 % of the full build (N=1000)", f"{k.generator_s / k.cold_s:.1%}", k.generator_s / k.cold_s <= 0.02))
        if k.naive_s:
            checks.append(("full build ≤ 0.35 × plain mkdocs, flat nav (N=1000)", f"{k.cold_s / k.naive_s:.2f} ×", k.cold_s / k.naive_s <= 0.35))
        checks.append(("warm build ≤ 0.35 × cold (N=1000)", f"{k.warm_s / k.cold_s:.2f} ×", k.warm_s / k.cold_s <= 0.35))
        if k.serve_edit_s is not None:
            checks.append(("serve: one YAML edit shown ≤ 2 s (N=1000)", f"{k.serve_edit_s:.2f} s", k.serve_edit_s <= 2))
    if (k := by_n.get(1000)) is not None and (f := by_n.get(5000)) is not None:
        checks.append(("N=5000 ≤ 5.5 × N=1000", f"{f.cold_s / k.cold_s:.2f} ×", f.cold_s / k.cold_s <= 5.5))
        checks.append(("N=5000 peak memory ≤ 1 GiB", f"{f.cold_peak_mib:.0f} MiB", f.cold_peak_mib <= 1024))
    for r in results:
        checks.append((f"no HTML page over 300 KiB (N={r.drugs})", f"{r.largest_page_kib:.0f} KiB", r.largest_page_kib <= 300))
        checks.append((f"search index ≤ 3 KiB gzip per page (N={r.drugs})", f"{r.search_gzip_kib / r.pages:.2f} KiB", r.search_gzip_kib / r.pages <= 3))
    return checks


def _opt(value: float | None, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000])
    parser.add_argument("--naive-up-to", type=int, default=1000, help="largest N to build with plain mkdocs too (it is quadratic)")
    parser.add_argument("--serve-up-to", type=int, default=1000, help="largest N to time a `serve` edit at")
    args = parser.parse_args()
    started = time.perf_counter()
    results: list[Result] = []
    for drugs in args.sizes:
        print(f"bench: N = {drugs} ...", flush=True)
        results.append(bench(drugs, naive=drugs <= args.naive_up_to, serve=drugs <= args.serve_up_to))
        report(results, time.perf_counter() - started)  # after each N: a long run shows (and keeps) what it has
    return 0


def report(results: list[Result], seconds: float) -> None:
    """Print the table and the targets, and write them to build/bench/results.json."""
    print()
    print(table(results))
    print()
    checks = targets(results)
    for what, measured, met in checks:
        print(f"{'met    ' if met else 'NOT MET'}  {what}: {measured}")
    print(f"\nbench so far: {seconds / 60:.1f} min on {os.cpu_count()} cores", flush=True)
    WORK.mkdir(parents=True, exist_ok=True)
    data = {
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
        "seconds": round(seconds, 1),
        "results": [{**asdict(r), "ms_per_page": r.ms_per_page} for r in results],
        "targets": [{"target": what, "measured": measured, "met": met} for what, measured, met in checks],
    }
    (WORK / "results.json").write_text(json.dumps(data, indent=2), encoding="utf-8")
    print(f"results: {(WORK / 'results.json').relative_to(ROOT)}")


if __name__ == "__main__":
    sys.exit(main())
