"""Run MkDocs on the generated Markdown, atomically: a failed build leaves the old output intact."""

from __future__ import annotations

import logging
import os
import shutil
import sys
from pathlib import Path

from . import incremental
from .pipeline import Generated, generate

ROOT = Path(__file__).resolve().parent.parent
# MkDocs refuses a config whose docs_dir does not exist yet, so it is created before loading.
DOCS_DIR = ROOT / "build" / "docs"
# Key under which build_site hands its generation to the MkDocs hook on the config object,
# so the hook does not generate a second time.
GENERATED_KEY = "medsite_generated"
# MkDocs page caches, one per output folder (site, offline-site, pr-<n>): see incremental.py.
CACHE_DIR = ROOT / "build" / "cache"


class BuildFailed(Exception):
    """MkDocs failed (a broken link in strict mode, a theme error); the old output is untouched."""


def build_site(config_file: Path, site_dir: Path, extra_pages: dict[str, str] | None = None, env: dict[str, str] | None = None) -> Generated:
    """Generate the Markdown, build it with MkDocs next to `site_dir`, then swap it in.

    Content errors raise ContentError before anything is touched. `env` sets variables that
    `mkdocs.yml` reads with `!ENV` for this build only.
    """
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    site_dir = site_dir.resolve()
    old = site_dir.with_name(f"{site_dir.name}.old")
    if old.is_dir() and not site_dir.exists():  # a build was killed between the two renames of `swap`
        os.replace(old, site_dir)
    generated = generate(ROOT, DOCS_DIR, extra_pages, cache_file=CACHE_DIR / f"{site_dir.name}.generated.pickle")
    staging = site_dir.with_name(f"{site_dir.name}.building")
    shutil.rmtree(staging, ignore_errors=True)
    mkdocs_log(logging.WARNING)
    saved = dict(os.environ)
    # MkDocs dates the sitemap (and gzip headers) from SOURCE_DATE_EPOCH, else from the clock.
    os.environ["SOURCE_DATE_EPOCH"] = str(generated.source_date_epoch())
    os.environ.update(env or {})
    try:
        config = load_config(str(config_file), site_dir=str(staging))
        config[GENERATED_KEY] = generated
        stats = incremental.build(config, CACHE_DIR / site_dir.name)
        generated.engine = f"generated in {generated.seconds:.2f} s; MkDocs: {stats.summary()}"
    except BaseException as error:
        # Whatever stopped it (strict mode, a broken theme template, Ctrl-C), the half-built folder goes.
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(error, MkDocsException):
            raise BuildFailed(" ".join(str(error).split())) from error  # one line, e.g. a YAML error in mkdocs.yml
        raise
    finally:
        os.environ.clear()
        os.environ.update(saved)
    swap(staging, site_dir)
    return generated


def swap(new: Path, current: Path) -> None:
    """Replace `current` with `new` in two renames, so readers never see a half-written folder."""
    old = current.with_name(f"{current.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if current.exists():
        os.replace(current, old)
    current.parent.mkdir(parents=True, exist_ok=True)
    os.replace(new, current)
    shutil.rmtree(old, ignore_errors=True)


def mkdocs_log(level: int) -> None:
    """Show MkDocs' messages from `level` up: a build shows only warnings, its summary line says the rest."""
    logger = logging.getLogger("mkdocs")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)s - %(message)s"))
        logger.addHandler(handler)
    logger.setLevel(level)
