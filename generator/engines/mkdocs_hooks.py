"""MkDocs glue (listed under `hooks:` in mkdocs.yml): run the core on every build and serve.

Thin on purpose: the core writes plain Markdown into `docs_dir` and returns a navigation; this
file only hands both to MkDocs and tells `mkdocs serve` which source folders to watch.
MkDocs checks that `docs_dir` exists before it loads this hook: on a fresh checkout, run
`mkdir -p build/docs` once before a plain `mkdocs build` (docs/architecture.md).
"""

from __future__ import annotations

import functools
import html
import json
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from jinja2 import Environment
from jinja2.ext import Extension
from markdown.extensions.toc import slugify as toc_slugify
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # MkDocs loads hooks by file path, not as part of a package
    sys.path.insert(0, str(ROOT))

from generator.content.names import A_TO_Z  # noqa: E402
from generator.engines.mkdocs_adapter import GENERATED_KEY  # noqa: E402
from generator.engines.redirects import write_redirects  # noqa: E402
from generator.engines.robots import finish_site  # noqa: E402
from generator.errors import ContentError  # noqa: E402
from generator.pages import search_entries  # noqa: E402
from generator.pages.generate import generate  # noqa: E402
from generator.pages.search_entries import Slugify, page_entries  # noqa: E402
from generator.pages.search_shards import LanguageMismatch, write_shards  # noqa: E402
from generator.project import Project  # noqa: E402
from generator.words import counted  # noqa: E402

# The page cache (engines/mkdocs_adapter.py) stores each page's search entries: they depend on this code too.
CACHE_INPUTS = (search_entries.__file__,)


def on_pre_build(config: MkDocsConfig) -> None:
    """Set the navigation, generating the Markdown first unless `build_site` already did."""
    generated = config.get(GENERATED_KEY)
    if generated is None:  # plain `mkdocs build` / `mkdocs serve`, including every serve rebuild
        try:
            generated = generate(_project(config), Path(config.docs_dir))
        except ContentError as error:
            raise PluginError(f"content has {counted(len(error.problems), 'problem')}:\n{error}") from error
        config[GENERATED_KEY] = generated
    config.nav = generated.site.nav
    _index_from_markdown(config)


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Pages the navigation leaves out on purpose (see RenderedSite.not_in_nav) are not "omitted"."""
    hidden = config[GENERATED_KEY].site.not_in_nav
    for file in files.documentation_pages():
        if file.src_uri in hidden:
            file.inclusion = InclusionLevel.NOT_IN_NAV
    return files


def on_env(env: Environment, config: MkDocsConfig, files: Files) -> Environment:
    """Drop the theme templates' indentation from every page: about a sixth of a page's HTML (see `Unindented`)."""
    if Unindented.identifier not in env.extensions:
        env.add_extension(Unindented)
    return env


class Unindented(Extension):
    """Reads each theme template without the spaces and tabs that start its lines.

    Material indents its templates for people, and the indentation reaches every page: with each
    include and macro nested deeper, about a sixth of a page's HTML. A browser shows the same page
    without it: the line break stays, so every run of whitespace between words is still one
    (`tests/test_unindented.py` compares the text of every page of a build with and without). A
    template with a `<pre>` or `<textarea>`, where indentation shows, is read as it is (Material's
    hold none). Being a hook, it runs in the stock `mkdocs build` too, and it is no page event, so
    the page cache stays on.
    """

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        return source if _KEEPS_INDENT.search(source) else _INDENT.sub("", source)


_INDENT = re.compile(r"^[ \t]+", re.MULTILINE)
_KEEPS_INDENT = re.compile(r"<(pre|textarea)\b", re.IGNORECASE)


def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
    """In the offline bundle (file names, not folder URLs) a page's canonical address is still its public one."""
    if config.use_directory_urls or not config.site_url:
        return nav
    for file in files.documentation_pages():
        page = file.page or Page(None, file, config)
        public = file.url.removesuffix("index.html") if file.url.endswith("index.html") else file.url.removesuffix(".html") + "/"
        page.canonical_url = urljoin(config.site_url, public)
    return nav


@event_priority(-50)  # after the search plugin writes search_index.json (0), before the offline plugin inlines it (-100)
def on_post_build(config: MkDocsConfig) -> None:
    """robots.txt: point crawlers at the sitemap, keep them out of previews (and out of a preview);
    no sitemap without a public address; a redirect at each renamed page's old address.

    With `extra.sharded_search`, also the search index our worker reads (`generator/pages/search_shards.py`)
    from the search plugin's entries: on a server (the public site and previews) as shard files,
    and `search_index.json`, which Material's page script fetches whole and hands to the worker,
    keeps only its config; with `extra.inline_search` (the offline bundle, opened from disk where
    nothing can be fetched) the whole sharded index goes into `search_index.json`'s `docs`, which
    the offline plugin turns into a script and Material's page script hands to the worker.
    """
    preview = bool(config.extra.get("preview", {}).get("pr"))
    finish_site(Path(config.site_dir), config.site_url, preview)
    write_redirects(Path(config.site_dir), config[GENERATED_KEY].site.redirects, config.use_directory_urls, config.site_url)
    index = _search_index(config)
    if index is not None and config.extra.get("sharded_search"):
        folder = Path(config.site_dir) / "search"
        inline = bool(config.extra.get("inline_search"))
        a_to_z = f"{A_TO_Z}/" if config.use_directory_urls else f"{A_TO_Z}.html"
        try:
            written = write_shards(index.entries, None if inline else folder, config.theme.get("language") or "en", a_to_z)
        except LanguageMismatch as error:
            raise PluginError(str(error)) from error
        stub = json.loads((folder / "search_index.json").read_text(encoding="utf-8"))
        docs = written if inline else []
        (folder / "search_index.json").write_text(
            json.dumps({"config": stub["config"], "docs": docs}, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
        )


def on_serve(server: LiveReloadServer, config: MkDocsConfig, builder: object) -> LiveReloadServer:
    """Watch the sources of the site, not the generated Markdown (that would rebuild twice)."""
    server.unwatch(config.docs_dir)
    for path in _project(config).watched():
        server.watch(str(path))
    return server


def _index_from_markdown(config: MkDocsConfig) -> None:
    """Have the search plugin index each page from its Markdown (`pages/search_entries.py`), not its HTML.

    Material's plugin parses every page's HTML again with `html.parser` (about a sixth of a build's
    CPU). The hook replaces that one method of its index, in the stock `mkdocs build` and in our
    build loop alike, so both still write the same `search_index.json`.
    """
    index = _search_index(config)
    if index is not None:
        slugify = config.mdx_configs.get("toc", {}).get("slugify") or toc_slugify
        index.add_entry_from_context = functools.partial(_add_entries, index, slugify)


def _search_index(config: MkDocsConfig) -> Any:
    """Material's `SearchIndex` (the `search` plugin's), or None without that plugin."""
    return next((plugin.search_index for plugin in config.plugins.values() if hasattr(plugin, "search_index")), None)


def _add_entries(index: Any, slugify: Slugify, page: Page) -> None:
    """Material's entries (location, title, text as HTML) for one page, unless it is excluded from search.

    Section anchors are the ids of the page's table of contents, the engine's own (`slugify`, the
    `toc` extension's, only if the two disagree on how many headings there are).

    The page's own entry also carries the front matter's `search.names` (an entity's names) and
    `search.professional` (a page for health professionals), which `search_shards.py` indexes.
    Front matter `tags` and `search.boost`, which Material would add, are not used by this site.
    """
    search = page.meta.get("search") or {}
    if search.get("exclude"):
        return
    ids = [link.id for link in _flat(page.toc)] if page.toc else None
    for entry in page_entries(page.markdown or "", str(page.meta.get("title", page.title)), ids, slugify):
        item: dict[str, Any] = {
            "location": f"{page.url}#{entry.anchor}" if entry.anchor else page.url,
            "title": html.escape(entry.title, quote=False),
            "text": f"<p>{html.escape(entry.text, quote=False)}</p>" if entry.text else "",
        }
        if not entry.anchor:
            item.update({key: search[key] for key in ("names", "professional") if search.get(key)})
        index.entries.append(item)


def _flat(links: Iterable[AnchorLink]) -> Iterator[AnchorLink]:
    """Every entry of a table of contents, in page order."""
    for link in links:
        yield link
        yield from _flat(link.children)


def _project(config: MkDocsConfig) -> Project:
    """The project whose config this is (a plain `mkdocs build` or `mkdocs serve` run by hand)."""
    return Project.at(Path(config.config_file_path).parent)
