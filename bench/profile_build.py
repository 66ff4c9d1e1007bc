"""Profile one cold build at N synthetic drugs in one process, and print where the CPU goes, by area.

    python bench/profile_build.py --drugs 1000 [--stock] [--top 25]

The build runs under cProfile in this process with no worker processes (generator/parallel.py forks
only with more than one core: here it is told there is one; the generator, which a build runs in a
child process, runs in this one), so every page's cost is in the profile.
`--stock` profiles the stock MkDocs build loop (`mkdocs.commands.build.build`, our hooks generating
the Markdown) instead of ours. The catalogue is synthesised into build/bench/profile-<N>/ (kept, and
reused by the next run at that N); the build has no page cache and no stored generation.

It prints each area's share of the build's time (cumulative time of the functions that start it):

- generator: load, validate, render and write the Markdown (`generate`);
- Markdown conversion: MkDocs reading pages (`_populate_page`: Python-Markdown and its extensions);
- theming: rendering each page into Material's templates (`_build_page`), without search; of it,
  Material's navigation partial (`partials/nav.html`) on its own line;
- search: Material's search plugin, per page (`on_page_context`: re-parsing the page's HTML) and
  writing the index (`on_post_build`);
- page cache: storing pages (ours only; nothing is reused in a cold build);
- the rest (config, file lists, static files, sitemap, link checks).

then the top functions by cumulative time. The pstats file is kept in build/bench/ for snakeviz etc.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "build" / "bench"

# area → (file suffix, function name) of the functions whose cumulative time is the area's.
AREAS: dict[str, list[tuple[str, str]]] = {
    "generator (load, validate, render, write)": [("generator/pages/generate.py", "generate")],
    "Markdown conversion (Python-Markdown)": [("mkdocs/commands/build.py", "_populate_page")],
    "theming (Material templates)": [("mkdocs/commands/build.py", "_build_page")],
    "search (Material's plugin)": [("material/plugins/search/plugin.py", "on_page_context"), ("material/plugins/search/plugin.py", "on_post_build")],
    "page cache (store)": [("generator/engines/mkdocs_adapter.py", "put")],
}
NAVIGATION = ("partials/nav.html", None)  # every function of the template: its root renders the rest
SEARCH_IN_THEME = ("material/plugins/search/plugin.py", "on_page_context")  # called from `_build_page`


def cumulative(stats: pstats.Stats, suffix: str, name: str | None) -> float:
    """Summed cumulative seconds of the functions defined in a file ending with `suffix` (named `name`)."""
    total = 0.0
    for (filename, _, function), (_, _, _, cumtime, _) in stats.stats.items():  # type: ignore[attr-defined]
        if filename.replace(os.sep, "/").endswith(suffix) and (name is None or function == name):
            total += cumtime
    return total


def root_cumulative(stats: pstats.Stats, suffix: str) -> float:
    """Cumulative seconds of a template's `root` function (the whole include, nested macros inside it)."""
    return cumulative(stats, suffix, "root")


def areas(stats: pstats.Stats, total: float) -> list[tuple[str, float]]:
    """(area, seconds) in the order of AREAS, with navigation under theming and the rest last."""
    seconds = {area: sum(cumulative(stats, suffix, name) for suffix, name in entries) for area, entries in AREAS.items()}
    theming = "theming (Material templates)"
    seconds[theming] -= cumulative(stats, *SEARCH_IN_THEME)
    rows: list[tuple[str, float]] = []
    for area, value in seconds.items():
        rows.append((area, value))
        if area == theming:
            rows.append(("  of it, the navigation (partials/nav.html)", root_cumulative(stats, NAVIGATION[0])))
    rows.append(("the rest (config, files, static files, sitemap, link checks)", total - sum(seconds.values())))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--drugs", type=int, default=1000)
    parser.add_argument("--stock", action="store_true", help="profile the stock MkDocs build loop instead of ours")
    parser.add_argument("--top", type=int, default=25, help="how many functions to list by cumulative time")
    args = parser.parse_args()
    work = WORK / f"profile-{args.drugs}"
    content, site = work / "content", work / f"site-profile-{args.drugs}"
    if not (content / ".synthetic").is_file():
        subprocess.run([sys.executable, "-m", "generator", "synth", "--drugs", str(args.drugs), "--out", str(content)], cwd=ROOT, check=True)

    # One process: no worker is forked, so the profile sees every page.
    os.cpu_count = lambda: 1
    sys.path.insert(0, str(ROOT))
    os.environ["MEDSITE_CONTENT"] = str(content)
    from generator.lock import build_lock
    from generator.project import Project

    project = Project.at(ROOT, content)
    shutil.rmtree(project.cache_dir / site.name, ignore_errors=True)
    (project.cache_dir / f"{site.name}.generated.pickle").unlink(missing_ok=True)
    profiler = cProfile.Profile()
    with build_lock(project):
        start = time.perf_counter()
        if args.stock:
            from mkdocs.commands.build import build
            from mkdocs.config import load_config

            project.docs_dir.mkdir(parents=True, exist_ok=True)
            config = load_config(str(project.config), site_dir=str(site))
            profiler.runcall(build, config)
        else:
            from generator.deliverables import site as site_deliverable

            site_deliverable.in_child = lambda work: work()  # generate in this process too, under the profiler
            profiler.runcall(site_deliverable.build_site, project, project.config, site)
        wall = time.perf_counter() - start
    pages = sum(1 for _ in site.rglob("*.html"))
    dump = WORK / f"profile-{args.drugs}{'-stock' if args.stock else ''}.pstats"
    profiler.dump_stats(dump)
    stats = pstats.Stats(profiler)
    total = stats.total_tt  # type: ignore[attr-defined]
    loop = "stock MkDocs loop" if args.stock else "our build loop"
    per_page = 1000 * total / max(pages, 1)
    print(f"\n{loop}, N = {args.drugs}: {pages} HTML pages, {wall:.1f} s under the profiler ({total:.1f} s profiled, {per_page:.1f} ms a page)\n")
    print(f"{'area':<64}{'s':>8}{'share':>8}")
    for area, seconds in areas(stats, total):
        print(f"{area:<64}{seconds:>8.1f}{seconds / total:>8.0%}")
    print(f"\ntop {args.top} by cumulative time:")
    stats.sort_stats("cumulative").print_stats(args.top)
    print(f"profile: {dump.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
