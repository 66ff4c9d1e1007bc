"""`python -m generator serve`: a live preview that rebuilds only what an edit changed.

MkDocs' own `serve` rebuilds every page on any change. Here each rebuild regenerates through the
in-process memo (unchanged files are neither parsed, validated nor rendered again) and builds with
the page cache of `engines/mkdocs_adapter.py` (unchanged pages are neither converted nor themed
again), so an edit to one monograph in a catalogue of thousands shows in about a second.
"""

from __future__ import annotations

import logging
import shutil
import signal
import tempfile
import time
from pathlib import Path

import jinja2

from generator import memo
from generator.deliverables.third_party import cause_files, request_problems, site_requests
from generator.engines import mkdocs_adapter
from generator.errors import ContentError, template_error_line
from generator.pages.generate import generate
from generator.project import Project
from generator.words import counted

log = logging.getLogger("mkdocs.medsite")


def serve(project: Project, config_file: Path, dev_addr: str) -> None:
    """Build into a temporary folder, serve it on `dev_addr` and rebuild on every source change."""
    host, _, port = dev_addr.rpartition(":")
    memo.remember()  # each rebuild reuses what the previous one parsed, validated and rendered
    site_dir = Path(tempfile.mkdtemp(prefix="medsite-serve-"))
    serving = mkdocs_adapter.ServeState()

    def rebuild() -> None:
        start = time.perf_counter()
        written_since = time.time() - 1  # a file's time stamp may lag the clock a little
        try:
            generated = generate(project, project.docs_dir)
            stats = mkdocs_adapter.serve_build(project, generated, config_file, site_dir, f"http://{dev_addr}/", serving)
        except ContentError as error:  # keep serving the last good build; say what to fix
            log.error(f"content has {counted(len(error.problems), 'problem')}, the preview still shows the last good build:\n{error}")
            return
        except mkdocs_adapter.EngineError as error:
            log.error(f"build failed, the preview still shows the last good build: {error}")
            return
        except jinja2.TemplateError as error:  # returning, not raising: MkDocs' server would hold every request until a build succeeds
            log.error(f"{template_error_line(error, project.root)} (the preview still shows the last good build)")
            return
        # Pages are rebuilt in place, so one that would request another host is taken out of the
        # preview (the next rebuild writes it again, and checks it again).
        if requests := site_requests(site_dir, written_since)[0]:
            problems = request_problems(requests, site_dir, f"http://{dev_addr}", cause_files(config_file, project.overrides))
            files = {request.file for request in requests}
            for file in files:
                (site_dir / file).unlink(missing_ok=True)
            log.error(f"left out of the preview, as they would request another host: {counted(len(files), 'file')}\n{ContentError(problems)}")
            return
        log.info(f"Rebuilt in {time.perf_counter() - start:.2f} s: {stats.summary()}")

    server = mkdocs_adapter.live_server(rebuild, host, int(port), site_dir)
    # SIGTERM (a closed terminal, a process manager) ends serve like Ctrl-C: the temporary folder goes too.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        rebuild()
        for path in project.watched():
            server.watch(str(path))
        server.serve()
    except KeyboardInterrupt:
        log.info("Shutting down...")
    finally:
        server.shutdown()
        shutil.rmtree(site_dir, ignore_errors=True)
