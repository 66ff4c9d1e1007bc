"""MkDocs glue (listed under `hooks:` in mkdocs.yml): run the core on every build and serve.

Thin on purpose: the core writes plain Markdown into `docs_dir` and returns a navigation; this
file only hands both to MkDocs and tells `mkdocs serve` which source folders to watch.
"""

from __future__ import annotations

import sys
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # MkDocs loads hooks by file path, not as part of a package
    sys.path.insert(0, str(ROOT))

from generator import pipeline  # noqa: E402
from generator.errors import ContentError  # noqa: E402
from generator.render import TEMPLATES  # noqa: E402


def on_pre_build(config: MkDocsConfig) -> None:
    """Regenerate the Markdown before MkDocs collects its files, and set the navigation."""
    try:
        generated = pipeline.generate(ROOT, Path(config.docs_dir))
    except ContentError as error:
        raise PluginError(f"content has {len(error.problems)} problem(s):\n{error}") from error
    config.nav = generated.site.nav


def on_serve(server: LiveReloadServer, config: MkDocsConfig, builder: object) -> LiveReloadServer:
    """Watch the sources of the site, not the generated Markdown (that would rebuild twice)."""
    server.unwatch(config.docs_dir)
    for path in (ROOT / "content", TEMPLATES, ROOT / "site-overrides"):
        server.watch(str(path))
    return server
