"""`python -m generator serve`: a live preview that rebuilds only what an edit changed.

MkDocs' own `serve` rebuilds every page on any change. Here each rebuild regenerates through the
in-process memo (unchanged files are neither parsed, validated nor rendered again) and builds with
the page cache of `incremental.py` (unchanged pages are neither converted nor themed again), so an
edit to one monograph in a catalogue of thousands shows in about a second.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import time
from pathlib import Path

import watchdog.observers
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException
from mkdocs.livereload import LiveReloadServer

from . import incremental
from .errors import ContentError
from .pipeline import content_dir, generate
from .render import TEMPLATES
from .site_build import CACHE_DIR, DOCS_DIR, GENERATED_KEY, ROOT

log = logging.getLogger("mkdocs.medsite")


def serve(config_file: Path, dev_addr: str) -> None:
    """Build into a temporary folder, serve it on `dev_addr` and rebuild on every source change."""
    host, _, port = dev_addr.rpartition(":")
    site_dir = Path(tempfile.mkdtemp(prefix="medsite-serve-"))
    serving = incremental.ServeState()

    def rebuild() -> None:
        start = time.perf_counter()
        try:
            generated = generate(ROOT, DOCS_DIR)
            config = load_config(str(config_file), site_dir=str(site_dir), site_url=f"http://{dev_addr}/")
            config[GENERATED_KEY] = generated
            stats = incremental.build(config, CACHE_DIR / "serve", serving)
        except ContentError as error:  # keep serving the last good build; say what to fix
            log.error(f"content has {len(error.problems)} problem(s), the preview still shows the last good build:\n{error}")
            return
        except MkDocsException as error:
            log.error(f"build failed, the preview still shows the last good build: {error}")
            return
        log.info(f"Rebuilt in {time.perf_counter() - start:.2f} s: {stats.summary()}")

    server = LiveReloadServer(builder=rebuild, host=host, port=int(port), root=str(site_dir), mount_path="/")
    # MkDocs polls every watched file twice a second; the OS's own change events (inotify) arrive at once.
    server.observer = watchdog.observers.Observer()
    server.error_handler = lambda code: (site_dir / "404.html").read_bytes() if code == 404 and (site_dir / "404.html").is_file() else None
    try:
        rebuild()
        for path in (content_dir(ROOT), TEMPLATES, ROOT / "site-overrides", config_file):
            server.watch(str(path))
        server.serve()
    except KeyboardInterrupt:
        log.info("Shutting down...")
    finally:
        server.shutdown()
        shutil.rmtree(site_dir, ignore_errors=True)
