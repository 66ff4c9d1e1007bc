"""`python -m generator check | render --out DIR | build | serve`."""

from __future__ import annotations

import argparse
import logging
import subprocess
import sys
import time
from pathlib import Path

from .errors import ContentError
from .site_build import ROOT


def main(argv: list[str] | None = None) -> int:
    """Run one command; content problems print one line each and return 1."""
    parser = argparse.ArgumentParser(prog="python -m generator", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("check", help="validate all content without building")
    render = commands.add_parser("render", help="write the Markdown pages only")
    render.add_argument("--out", type=Path, required=True, help="folder to write Markdown into")
    build = commands.add_parser("build", help="build the site with MkDocs")
    build.add_argument("--site-dir", type=Path, default=ROOT / "site")
    build.add_argument("--config", type=Path, default=ROOT / "mkdocs.yml")
    offline = commands.add_parser("offline", help="build the offline bundle zip")
    offline.add_argument("--dist", type=Path, default=ROOT / "dist")
    preview = commands.add_parser("preview", help="build a PR preview into preview/pr-<n>/")
    preview.add_argument("--pr", type=int, required=True, help="pull request number")
    preview.add_argument("--base", default=None, help="git ref to compare with (default: origin/main, else main)")
    preview.add_argument("--out", type=Path, default=ROOT / "preview")
    serve = commands.add_parser("serve", help="live preview on 127.0.0.1:8000")
    serve.add_argument("--config", type=Path, default=ROOT / "mkdocs.yml")
    serve.add_argument("--dev-addr", default="127.0.0.1:8000")
    args = parser.parse_args(argv)
    try:
        return {"check": _check, "render": _render, "build": _build, "offline": _offline, "preview": _preview, "serve": _serve}[args.command](args)
    except ContentError as error:
        print(error, file=sys.stderr)
        print(f"{len(error.problems)} problem(s) found; nothing was built.", file=sys.stderr)
        return 1


def _check(args: argparse.Namespace) -> int:
    from .pipeline import check

    start = time.perf_counter()
    catalogue = check(ROOT)
    print(f"OK: {len(catalogue.all())} entities, {len(catalogue.pages)} pages, {len(catalogue.sources)} sources checked in {time.perf_counter() - start:.2f} s")
    return 0


def _render(args: argparse.Namespace) -> int:
    from .pipeline import generate

    generated = generate(ROOT, args.out)
    print(f"Rendered {generated.summary()} into {args.out} in {generated.seconds:.2f} s")
    return 0


def _build(args: argparse.Namespace) -> int:
    from .site_build import BuildFailed, build_site

    start = time.perf_counter()
    try:
        generated = build_site(args.config, args.site_dir)
    except BuildFailed as error:
        print(f"build failed: {error}; the previous {args.site_dir.name}/ is unchanged", file=sys.stderr)
        return 1
    print(f"Built {args.site_dir.name}/: {generated.summary()} in {time.perf_counter() - start:.1f} s")
    return 0


def _offline(args: argparse.Namespace) -> int:
    from .offline import MissingAsset, build_offline_bundle
    from .site_build import BuildFailed

    start = time.perf_counter()
    try:
        bundle, generated = build_offline_bundle(args.dist, git_commit())
    except (BuildFailed, MissingAsset) as error:
        print(f"offline bundle failed: {error}; the previous bundle is unchanged", file=sys.stderr)
        return 1
    size = bundle.stat().st_size / 1024 / 1024
    seconds = time.perf_counter() - start
    print(f"Built {bundle.name} ({size:.1f} MiB): {generated.summary()} in {seconds:.1f} s")
    return 0


def _preview(args: argparse.Namespace) -> int:
    from .preview import PreviewError, build_preview, public_site_url
    from .site_build import BuildFailed

    start = time.perf_counter()
    base = args.base or next((ref for ref in ("origin/main", "main") if _git("rev-parse", "--verify", "--quiet", ref)), "HEAD")
    try:
        target, changes, generated = build_preview(args.pr, base, git_commit(), public_site_url(), args.out)
    except (BuildFailed, PreviewError) as error:
        print(f"preview failed: {error}", file=sys.stderr)
        return 1
    counts = f"{len(changes.added)} added, {len(changes.changed)} changed, {len(changes.removed)} removed vs {base}"
    print(f"Built {target.name}/: {generated.summary()}; {counts} in {time.perf_counter() - start:.1f} s")
    return 0


def _git(*args: str) -> str:
    """Output of a git command in the project, or "" if it fails (e.g. outside a checkout)."""
    result = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
    return result.stdout.strip() if result.returncode == 0 else ""


def git_commit() -> str:
    """Short hash of HEAD, or "unknown" outside a git checkout."""
    return _git("rev-parse", "--short", "HEAD") or "unknown"


def _serve(args: argparse.Namespace) -> int:
    from mkdocs.commands.serve import serve

    from .site_build import DOCS_DIR, mkdocs_log

    DOCS_DIR.mkdir(parents=True, exist_ok=True)
    mkdocs_log(logging.INFO)
    # Serve at the root of the dev address, whatever sub-path the public site_url has.
    serve(str(args.config), dev_addr=args.dev_addr, site_url=f"http://{args.dev_addr}/", livereload=True)
    return 0
