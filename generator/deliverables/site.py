"""Run MkDocs on the generated Markdown, atomically: a failed build leaves the old output intact."""

from __future__ import annotations

import datetime
import logging
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

from generator.content.catalogue import Catalogue
from generator.deliverables.third_party import cause_files, refuse_requests
from generator.engines import mkdocs_adapter
from generator.errors import display_path
from generator.pages.generate import Generated, generate
from generator.pages.render import RenderedSite
from generator.parallel import in_child
from generator.project import Project


class BuildFailed(Exception):
    """MkDocs failed (a broken link in strict mode, a theme error); the old output is untouched."""


def build_site(
    project: Project,
    config_file: Path,
    site_dir: Path,
    extra_pages: dict[str, str] | None = None,
    env: dict[str, str] | None = None,
    rendered: tuple[Catalogue, RenderedSite] | None = None,
    finish: Callable[[Path], None] | None = None,
) -> Generated:
    """Generate the Markdown, build it with MkDocs next to `site_dir`, then swap it in.

    Content errors, and the errors of the content lints (as `make check` reports them), raise
    ContentError before anything is touched; so does a built page that would request another host
    (`third_party.py`), before the new site is swapped in. `env` sets variables that `mkdocs.yml` reads with
    `!ENV` for this build only. `rendered` is the content already checked and rendered (a preview
    renders it first to compare it with its base), so it is not done twice. `finish` is called with
    the new folder once the engine has built it, before it is swapped in (a preview's banner commit,
    the offline download), so it is part of the same all-or-nothing swap.
    """
    site_dir = site_dir.resolve()
    old = site_dir.with_name(f"{site_dir.name}.old")
    if old.is_dir() and not site_dir.exists():  # a build was killed between the two renames of `swap`
        os.replace(old, site_dir)
    # Linted like `make check` (warnings, such as a review that is due, do not stop it).
    cache_file = project.cache_dir / f"{site_dir.name}.generated.pickle"

    # Generated in a child process: this one, which runs the engine, never holds the parsed content
    # or the pages' text (the engine reads the written files), so its memory starts small.
    def generated_files() -> Generated:
        return generate(project, project.docs_dir, extra_pages, cache_file=cache_file, today=datetime.date.today(), rendered=rendered).without_text()

    generated = in_child(generated_files)
    staging = site_dir.with_name(f"{site_dir.name}.building")
    shutil.rmtree(staging, ignore_errors=True)
    mkdocs_adapter.show_log(logging.WARNING)
    saved = dict(os.environ)
    # MkDocs dates the sitemap (and gzip headers) from SOURCE_DATE_EPOCH, else from the clock.
    os.environ["SOURCE_DATE_EPOCH"] = str(generated.source_date_epoch())
    os.environ.update(env or {})
    try:
        stats = mkdocs_adapter.build_site(project, generated, config_file, staging, project.cache_dir / site_dir.name)
        if finish:
            finish(staging)
        start = time.perf_counter()
        memo = project.cache_dir / f"{site_dir.name}.requests-checked"
        refuse_requests(staging, display_path(site_dir, project.root), cause_files(config_file, project.overrides), memo)
        checked = f"checked for requests to other hosts in {time.perf_counter() - start:.2f} s"
        generated.engine = f"generated in {generated.seconds:.2f} s; {checked}; {mkdocs_adapter.engine_label()}: {stats.summary()}"
    except BaseException as error:
        # Whatever stopped it (strict mode, a broken theme template, Ctrl-C), the half-built folder goes.
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(error, mkdocs_adapter.EngineError):
            raise BuildFailed(" ".join(str(error).split())) from error  # one line, e.g. a YAML error in mkdocs.yml
        if isinstance(error, OSError) and error.filename and _within(Path(error.filename), staging):
            raise BuildFailed(f"cannot write {staging.name}/ in {staging.parent} ({_reason(error)})") from error
        raise
    finally:
        os.environ.clear()
        os.environ.update(saved)
    swap(staging, site_dir)
    return generated


def swap(new: Path, current: Path) -> None:
    """Replace `current` with `new` in two renames, so readers never see a half-written folder.

    Where the folders cannot be changed (an unwritable parent, a `<name>.old` that cannot be
    deleted), raise BuildFailed with one line, having removed `new` and left `current` as it was.
    """
    old = current.with_name(f"{current.name}.old")
    try:
        try:
            if old.exists() or old.is_symlink():  # what a previous swap failed to delete
                shutil.rmtree(old)
        except OSError as error:
            raise BuildFailed(f"cannot delete {old.name}/ left by an earlier build ({_reason(error)}); delete it by hand") from error
        try:
            if current.exists():
                os.replace(current, old)
            current.parent.mkdir(parents=True, exist_ok=True)
            os.replace(new, current)
        except OSError as error:
            if old.is_dir() and not current.exists():
                os.replace(old, current)
            raise BuildFailed(f"cannot replace {current.name}/ in {current.parent} ({_reason(error)})") from error
    except BaseException:
        shutil.rmtree(new, ignore_errors=True)
        raise
    shutil.rmtree(old, ignore_errors=True)  # what is left is deleted by the next build, or named by it


def _within(path: Path, folder: Path) -> bool:
    """Whether `path` is `folder`, in it, or one of the folders it would be created in."""
    return path.is_relative_to(folder) or folder.is_relative_to(path)


def _reason(error: OSError) -> str:
    """`Permission denied: 'site.old/index.html'`: what the OS said, about which file."""
    name = Path(error.filename).name if error.filename else ""
    return f"{error.strerror or error}: '{name}'" if name else str(error.strerror or error)
