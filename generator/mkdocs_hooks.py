"""MkDocs glue (listed under `hooks:` in mkdocs.yml): run the core on every build and serve.

Thin on purpose: the core writes plain Markdown into `docs_dir` and returns a navigation; this
file only hands both to MkDocs and tells `mkdocs serve` which source folders to watch.
"""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.structure.files import Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # MkDocs loads hooks by file path, not as part of a package
    sys.path.insert(0, str(ROOT))

from generator import pipeline  # noqa: E402
from generator.errors import ContentError  # noqa: E402
from generator.render import TEMPLATES  # noqa: E402
from generator.site_build import GENERATED_KEY  # noqa: E402


def on_pre_build(config: MkDocsConfig) -> None:
    """Set the navigation, generating the Markdown first unless `build_site` already did."""
    generated = config.get(GENERATED_KEY)
    if generated is None:  # plain `mkdocs build` / `mkdocs serve`, including every serve rebuild
        try:
            generated = pipeline.generate(ROOT, Path(config.docs_dir))
        except ContentError as error:
            raise PluginError(f"content has {len(error.problems)} problem(s):\n{error}") from error
        config[GENERATED_KEY] = generated
    config.nav = generated.site.nav


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Pages the navigation leaves out on purpose (see RenderedSite.not_in_nav) are not "omitted"."""
    hidden = config[GENERATED_KEY].site.not_in_nav
    for file in files.documentation_pages():
        if file.src_uri in hidden:
            file.inclusion = InclusionLevel.NOT_IN_NAV
    return files


def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
    """In the offline bundle (file names, not folder URLs) a page's canonical address is still its public one."""
    if config.use_directory_urls or not config.site_url:
        return nav
    for file in files.documentation_pages():
        page = file.page or Page(None, file, config)
        public = file.url.removesuffix("index.html") if file.url.endswith("index.html") else file.url.removesuffix(".html") + "/"
        page.canonical_url = urljoin(config.site_url, public)
    return nav


def on_post_build(config: MkDocsConfig) -> None:
    """robots.txt: point crawlers at the sitemap, keep them out of previews (and out of a preview)."""
    base = urlsplit(config.site_url or "/").path or "/"
    preview = bool(config.extra.get("preview", {}).get("pr"))
    rules = "Disallow: /\n" if preview else f"Disallow: {base}pr-preview/\n"
    sitemap = "" if preview else f"Sitemap: {config.site_url}sitemap.xml\n"
    (Path(config.site_dir) / "robots.txt").write_text(f"User-agent: *\n{rules}{sitemap}", encoding="utf-8")


def on_serve(server: LiveReloadServer, config: MkDocsConfig, builder: object) -> LiveReloadServer:
    """Watch the sources of the site, not the generated Markdown (that would rebuild twice)."""
    server.unwatch(config.docs_dir)
    for path in (pipeline.content_dir(ROOT), TEMPLATES, ROOT / "site-overrides"):
        server.watch(str(path))
    return server
