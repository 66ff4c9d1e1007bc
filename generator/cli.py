"""`python -m generator check | render --out DIR | build | serve`."""

from __future__ import annotations

import argparse
import contextlib
import datetime
import logging
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import jinja2

from generator.content.models import KINDS
from generator.engines import ENGINES, UnsupportedEngine, use_engine
from generator.errors import ContentError, display_path, report_line, template_error_line
from generator.lock import BuildRunning, build_lock
from generator.pages.write import NotOurFolder
from generator.project import PACKAGE_ROOT, SOURCES_ENV, Project
from generator.words import counted

# Commands that write the generated Markdown and caches under build/ (see generator/lock.py).
LOCKED = {"render", "build", "offline", "preview", "serve"}


def main(argv: list[str] | None = None, root: Path = PACKAGE_ROOT) -> int:
    """Run one command on the project at `root`; content problems print one line each and return 1.

    Folders the options leave out default to places in `root` (`site/`, `dist/`, `preview/`, ...).
    """
    parser = argparse.ArgumentParser(prog="python -m generator", description=__doc__)
    parser.add_argument("--content", type=Path, help="content folder to use instead of content/ (e.g. a synthetic catalogue)")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="validate all content and run the content lints, without building")
    check.add_argument("--today", type=datetime.date.fromisoformat, default=None, help="date to check review dates against, YYYY-MM-DD (default: today)")
    render = commands.add_parser("render", help="write the Markdown pages only")
    render.add_argument("--out", type=Path, required=True, help="folder to write Markdown into")
    build = commands.add_parser("build", help="build the site with MkDocs (or --engine zensical)")
    build.add_argument("--site-dir", type=Path, default=root / "site")
    build.add_argument("--config", type=Path, default=root / "mkdocs.yml")
    build.add_argument("--engine", choices=ENGINES, default="mkdocs", help="site engine (default: mkdocs)")
    build.add_argument("--offline-zip", type=Path, default=None, help="publish this offline bundle under downloads/ (the Offline copy page links it)")
    offline = commands.add_parser("offline", help="build the offline bundle zip")
    offline.add_argument("--dist", type=Path, default=root / "dist")
    preview = commands.add_parser("preview", help="build a PR preview into preview/pr-<n>/")
    preview.add_argument("--pr", required=True, help="pull request number (a positive whole number)")
    preview.add_argument("--base", default=None, help="git ref to compare with (default: origin/main, else main)")
    preview.add_argument("--out", type=Path, default=root / "preview")
    serve = commands.add_parser("serve", help="live preview on 127.0.0.1:8000")
    serve.add_argument("--config", type=Path, default=root / "mkdocs.yml")
    serve.add_argument("--dev-addr", default="127.0.0.1:8000")
    synth = commands.add_parser("synth", help="write a synthetic catalogue (for benchmarks) into a new folder")
    synth.add_argument("--drugs", type=int, required=True, help="number of drugs; other kinds in proportion")
    synth.add_argument("--out", type=Path, required=True, help="folder to write the catalogue into (never content/)")
    synth.add_argument("--seed", type=int, default=0)
    links = commands.add_parser("links", help="check a built site's internal links and anchors; list external links (never fetched)")
    links.add_argument("dir", type=Path, help="built site folder (site/, an unpacked offline bundle, preview/pr-<n>/)")
    published = links.add_mutually_exclusive_group()
    published.add_argument("--site-url", help="address the folder is served at (default: its home page's canonical link, else http://localhost/)")
    published.add_argument("--from-disk", action="store_true", help="the folder is opened from disk, like the offline bundle")
    schema = commands.add_parser("schema", help="export the JSON Schema of every content file into schema/")
    schema.add_argument("--out", type=Path, default=root / "schema", help="folder to write the schemas into (default: schema/)")
    new = commands.add_parser("new", help="scaffold a new content file with every field stubbed and commented")
    new.add_argument("kind", choices=sorted(KINDS), help="content kind")
    new.add_argument("slug", help="the new file's slug, e.g. my-drug")
    args = parser.parse_args(argv)
    if args.command == "preview":
        if (number := pull_request_number(args.pr)) is None:
            print(f"preview: --pr {args.pr!r} is not a pull request number (expected a positive whole number, e.g. make preview PR=12)", file=sys.stderr)
            return 2
        args.pr = number
    args.project = Project.at(root, args.content)
    try:
        commands_by_name = {
            "check": _check,
            "render": _render,
            "build": _build,
            "offline": _offline,
            "preview": _preview,
            "serve": _serve,
            "synth": _synth,
            "links": _links,
            "schema": _schema,
            "new": _new,
        }
        # Commands that write build/ run one at a time per checkout.
        with build_lock(args.project) if args.command in LOCKED else contextlib.nullcontext():
            return commands_by_name[args.command](args)
    except (UnsupportedEngine, BuildRunning) as error:
        print(error, file=sys.stderr)
        return 1
    except NotOurFolder as error:
        print(f"{args.command}: {error}", file=sys.stderr)
        return 1
    except ContentError as error:
        for problem in error.problems:
            print(report_line(problem), file=sys.stderr)
        print(f"{counted(len(error.problems), 'problem')} found; nothing was built.", file=sys.stderr)
        return 1
    except jinja2.TemplateError as error:
        # A broken template (ours or a theme override) is a one-line located error, like content.
        print(template_error_line(error, args.project.root), file=sys.stderr)
        print("1 template error; nothing was built.", file=sys.stderr)
        return 1


def pull_request_number(text: str) -> int | None:
    """`--pr` as a number, or None unless it is a positive whole number written plainly.

    It names a folder (`pr-<n>/`) and an address: `-3` would make `pr--3/`, `3/../x` worse.
    """
    return int(text) if re.fullmatch(r"[1-9][0-9]{0,8}", text) else None


def _check(args: argparse.Namespace) -> int:
    from generator.content.lint import severity_counts
    from generator.pages.generate import check_content

    start = time.perf_counter()
    # The date decides the "review due" warning, and refuses a review dated after it.
    catalogue, findings = check_content(args.project, args.today or datetime.date.today(), proofread_pages=True)
    for finding in findings:
        print(report_line(finding), file=sys.stderr)
    counts = severity_counts(findings)
    if counts["error"]:
        print(f"{counted(counts['error'], 'error')}, {counted(counts['warning'], 'warning')} found by the content lints.", file=sys.stderr)
        return 1
    warned = f"; {counted(counts['warning'], 'warning')}" if counts["warning"] else ""
    if args.project.sources is None:
        warned = f"; source files not looked for (no shared/sources/ folder; set {SOURCES_ENV} to check them){warned}"
    seconds = time.perf_counter() - start
    print(f"OK: {len(catalogue.all())} entities, {len(catalogue.pages)} pages, {len(catalogue.sources)} sources checked in {seconds:.2f} s{warned}")
    return 0


def _render(args: argparse.Namespace) -> int:
    from generator.pages.generate import generate

    generated = generate(args.project, args.out)
    print(f"Rendered {generated.summary()} into {args.out} in {generated.seconds:.2f} s")
    return 0


def _build(args: argparse.Namespace) -> int:
    use_engine(args.engine)
    from generator.deliverables.site import BuildFailed, build_site
    from generator.engines.zensical import build_zensical

    start = time.perf_counter()
    bundle = args.offline_zip
    if bundle is not None and (args.engine == "zensical" or not bundle.is_file() or bundle.suffix != ".zip"):
        reason = "not with --engine zensical" if args.engine == "zensical" else "expected the zip `offline` built (dist/medsite-offline-<version>-<date>.zip)"
        print(f"build: --offline-zip {bundle}: {reason}", file=sys.stderr)
        return 1
    try:
        if args.engine == "zensical":
            generated = build_zensical(args.project, args.config, args.site_dir)
        else:
            generated = build_site(args.project, args.config, args.site_dir, **_published_zip(bundle))
    except BuildFailed as error:
        print(f"build failed: {error}; the previous {args.site_dir.name}/ is unchanged", file=sys.stderr)
        return 1
    print(f"Built {args.site_dir.name}/: {generated.summary()} in {time.perf_counter() - start:.1f} s{_address_note(args.config, args.project)}")
    if args.engine != "zensical":  # the notice is about Material for MkDocs, the theme the other two engines use
        _end_of_life_notice()
    return 0


def _published_zip(bundle: Path | None) -> dict[str, Any]:
    """`build_site` arguments that publish the offline zip under downloads/ with its page (none without one)."""
    from generator.pages.downloads import DOWNLOADS_PAGE, downloads_markdown, publish_zip

    if bundle is None:
        return {}
    page = downloads_markdown(bundle.name, bundle.stat().st_size)
    return {"extra_pages": {DOWNLOADS_PAGE: page}, "finish": lambda folder: publish_zip(folder, bundle)}


# Said by a build's summary line when the config sets no public address.
NO_ADDRESS = "; no SITE_URL: pages carry no absolute address (no canonical links, og:url, sitemap or print URL)"


def _address_note(config: Path, project: Project) -> str:
    """The summary line's note when the site has no public address (SITE_URL unset), else ""."""
    from generator.engines.mkdocs_adapter import site_url_of

    return "" if site_url_of(config, project) else NO_ADDRESS


def _end_of_life_notice() -> None:
    from generator.engines.mkdocs_adapter import end_of_life_notice

    if notice := end_of_life_notice(datetime.date.today()):
        print(notice, file=sys.stderr)


def _synth(args: argparse.Namespace) -> int:
    from generator.tools.synth import SynthRefused, synthesise

    start = time.perf_counter()
    try:
        counts = synthesise(args.out, args.drugs, args.seed, real_content=args.project.root / "content")
    except SynthRefused as error:
        print(f"synth: {error}", file=sys.stderr)
        return 1
    print(f"Synthesised {counts.summary()} into {args.out} (seed {args.seed}) in {time.perf_counter() - start:.1f} s")
    return 0


def _offline(args: argparse.Namespace) -> int:
    from generator.deliverables.offline import MissingAsset, build_offline_bundle
    from generator.deliverables.site import BuildFailed
    from generator.engines.mkdocs_adapter import EngineError, site_url_of

    start = time.perf_counter()
    config = args.project.root / "mkdocs-offline.yml"
    try:
        bundle, generated = build_offline_bundle(args.project, args.dist, git_commit(args.project.root), site_url_of(config, args.project))
    except (BuildFailed, MissingAsset, EngineError) as error:
        print(f"offline bundle failed: {' '.join(str(error).split())}; the previous bundle is unchanged", file=sys.stderr)
        return 1
    size = bundle.stat().st_size / 1024 / 1024
    seconds = time.perf_counter() - start
    print(f"Built {bundle.name} ({size:.1f} MiB): {generated.summary()} in {seconds:.1f} s{_address_note(config, args.project)}")
    return 0


def _preview(args: argparse.Namespace) -> int:
    from generator.deliverables.preview import PreviewError, build_preview, public_site_url
    from generator.deliverables.site import BuildFailed

    start = time.perf_counter()
    root = args.project.root
    base = args.base or next((ref for ref in ("origin/main", "main") if _git(root, "rev-parse", "--verify", "--quiet", ref)), "HEAD")
    try:
        target, changes, generated = build_preview(args.project, args.pr, base, git_commit(root), public_site_url(args.project), args.out)
    except (BuildFailed, PreviewError) as error:
        print(f"preview failed: {error}", file=sys.stderr)
        return 1
    counts = f"{len(changes.added)} added, {len(changes.changed)} changed, {len(changes.removed)} removed vs {base}"
    if changes.unnoted:
        counts += f" ({len(changes.unnoted)} changed without a new change note)"
    if changes.redirected:
        counts += f" ({len(changes.redirected)} removed now redirecting)"
    print(f"Built {target.name}/: {generated.summary()}; {counts} in {time.perf_counter() - start:.1f} s")
    return 0


def _links(args: argparse.Namespace) -> int:
    from generator.tools.linkcheck import check_links, declared_site_url

    if not (args.dir / "index.html").is_file():
        print(f"{args.dir}: not a built site (no index.html)", file=sys.stderr)
        return 1
    # A site built without SITE_URL declares no address: it is checked as served at a host's root.
    site_url = None if args.from_disk else args.site_url or declared_site_url(args.dir) or "http://localhost/"
    report = check_links(args.dir, site_url)
    for link in report.broken:
        print(link)
    print(f"External links (not fetched): {len(report.external)}")
    for url, pages in report.external.items():
        print(f"  {url} ({len(pages)} page{'s' if len(pages) != 1 else ''})")
    where = site_url or "opened from disk"
    print(f"{len(report.broken)} broken of {report.links} internal links on {report.pages} pages ({where})")
    return 1 if report.broken else 0


def _git(root: Path, *args: str) -> str:
    """Output of a git command in the project at `root`, or "" if it fails (e.g. outside a checkout)."""
    result = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=False)
    return result.stdout.strip() if result.returncode == 0 else ""


def git_commit(root: Path) -> str:
    """Short hash of the project's HEAD, or "unknown" outside a git checkout."""
    return _git(root, "rev-parse", "--short", "HEAD") or "unknown"


def _serve(args: argparse.Namespace) -> int:
    from generator.deliverables.serve import serve
    from generator.engines.mkdocs_adapter import show_log

    show_log(logging.INFO)
    # Served at the root of the dev address, whatever sub-path the public site_url has.
    serve(args.project, args.config, args.dev_addr)
    return 0


def _schema(args: argparse.Namespace) -> int:
    from generator.content.schema import schema_files, write_schemas

    changed = write_schemas(args.out)
    print(f"Wrote {len(schema_files())} JSON Schemas into {display_path(args.out, args.project.root)}/ ({len(changed)} changed)")
    return 0


def _new(args: argparse.Namespace) -> int:
    from generator.content.scaffold import ScaffoldError, create

    root = args.project.root
    try:
        path, stub = create(args.kind, args.slug, args.project.content, root)
    except ScaffoldError as error:
        print(f"new: {error}", file=sys.stderr)
        return 1
    print(f"Wrote {display_path(path, root)}: fill in its {stub.empty_required} empty required values (`make check` lists them), then `make serve`")
    return 0
