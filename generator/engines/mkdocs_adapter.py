"""Every use of MkDocs and Material for MkDocs internals, behind one module.

The rest of the project talks to the engine only through `build_site`, `site_url_of`,
`live_server`, `show_log` and `EngineError`. Everything here that is not MkDocs' public plugin
API (four private functions of `mkdocs.commands.build`, `Page._title_from_render`,
`env.list_templates`, Material's `SearchIndex.entries`, `LiveReloadServer.observer`; the list, kept
in sync with the code by `tests/test_engine_symbols.py`, is in docs/engines.md) is pinned
by the version check below and by `tests/test_architecture.py`, which builds the real content and a
synthetic catalogue with both this loop and the stock `mkdocs build` and compares the sites.
ProperDocs (a maintained fork of MkDocs 1.6) is the same code under another name: `use_engine`
redirects the `mkdocs` imports to it before this module is imported.

The build loop with a page cache, on every core: unchanged pages are copied, not rendered.

MkDocs converts and themes every page on every build, one after another; at catalogue scale that
is nearly all of a build, and all of a warm build or a `serve` reload. This is
`mkdocs.commands.build.build` (MkDocs 1.6, pinned) with two differences:

- **A page cache.** A page's *read* record (HTML body, table of contents, metadata, anchors, and
  the warnings reading it logged) is keyed by its Markdown bytes and the *site key*: the list of
  files, the config files, the theme overrides, the hook module, the Python version and every
  installed package's version. Its themed HTML is reused only when the navigation (the title and
  URL of every page) is also unchanged, because every page renders the navigation. Warnings are
  stored with a page and logged again on reuse, so strict mode fails the same way warm as cold.
- **Worker processes.** Pages still to read or theme are split over forked workers (one per
  core), which return what the cache stores anyway: records, search-index entries, warnings.
  Small batches (a `serve` edit) stay in this process.

When a plugin other than search listens to page events, nothing is cached or forked: it could
change any page, or keep state a worker would not hand back.

**Search entries come from the Markdown, in the hooks, not here.** `engines/mkdocs_hooks.py`
replaces Material's `SearchIndex.add_entry_from_context` (its per-page HTML parse, called from the
plugin's `page_context` listener) with entries read off the page's Markdown
(`pages/search_entries.py`). Being a hook, it runs in the stock `mkdocs build` too, so
`tests/test_architecture.py` still compares both loops' sites byte for byte, search index included;
this loop only collects each page's entries (from workers and the cache) as before. The page cache
keys on the files a hook lists in `CACHE_INPUTS`, since the entries it stores depend on them.
"""

from __future__ import annotations

import datetime
import functools
import importlib.metadata
import json
import logging
import os
import pickle
import re
import shutil
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import material
import mkdocs
from material.plugins.search.plugin import SearchIndex, SearchPlugin
from mkdocs import utils
from mkdocs.commands.build import _build_extra_template, _build_page, _build_theme_template, _populate_page
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, BuildError, MkDocsException
from mkdocs.livereload import LiveReloadServer
from mkdocs.structure.files import File, Files, get_files, set_exclusions
from mkdocs.structure.nav import Navigation, get_navigation
from mkdocs.structure.pages import Page

from generator.engines import UnsupportedEngine
from generator.files import atomic_write
from generator.memo import digest
from generator.parallel import fork_map, forks
from generator.project import Project

# The engine versions this module was written and tested against: the private functions and
# attributes it uses may change in any other release, so another version stops the build at once.
SUPPORTED_ENGINES = {"mkdocs": "1.6.1", "properdocs": "1.6.7"}
SUPPORTED_MATERIAL = "9.8.1"
MATERIAL_END_OF_LIFE = datetime.date(2027, 5, 5)


def _engine_name() -> str:
    return "properdocs" if mkdocs.__name__ == "properdocs" else "mkdocs"


def engine_label() -> str:
    """The engine's name as a reader of the build summary knows it."""
    return {"mkdocs": "MkDocs", "properdocs": "ProperDocs"}[_engine_name()]


def check_versions() -> None:
    """Raise UnsupportedEngine with one line unless the installed engine and theme are the pinned ones."""
    name, theme = _engine_name(), getattr(material, "__version__", "unknown")
    if mkdocs.__version__ != SUPPORTED_ENGINES[name] or theme != SUPPORTED_MATERIAL:
        raise UnsupportedEngine(
            f"{name} {mkdocs.__version__} with mkdocs-material {theme} is not supported "
            f"(expected {name} {SUPPORTED_ENGINES[name]} with mkdocs-material {SUPPORTED_MATERIAL}; reinstall with `make site`)"
        )


check_versions()

EngineError = MkDocsException
log = logging.getLogger("mkdocs")
# Key under which `build_site` hands its generation to the hooks on the config object,
# so the hooks do not generate a second time.
GENERATED_KEY = "medsite_generated"
PAGE_EVENTS = ("pre_page", "page_markdown", "page_content", "page_context", "post_page")
R = TypeVar("R")


@dataclass
class PageBody:
    """The large part of a read page, needed only to theme it."""

    markdown: str
    content: str
    toc: Any


@dataclass
class PageRecord:
    """What reading and theming one page produced; its body and HTML are stored beside it."""

    meta: dict[str, Any]
    title_from_render: str | None
    anchors: set[str]
    links_to_anchors: dict[str, dict[str, str]]
    read_warnings: list[logging.LogRecord] = field(default_factory=list)
    nav_key: str = ""  # the navigation the stored HTML was themed with; "" = not themed yet
    search_entries: list[dict[str, Any]] = field(default_factory=list)
    theme_warnings: list[logging.LogRecord] = field(default_factory=list)

    @classmethod
    def read_from(cls, page: Page, warnings: list[logging.LogRecord]) -> tuple[PageRecord, PageBody]:
        """Capture a freshly read page (before theming, which strips search attributes from its content)."""
        links = {target.src_uri: dict(anchors) for target, anchors in (page.links_to_anchors or {}).items()}
        record = cls(dict(page.meta), page._title_from_render, set(page.present_anchor_ids or ()), links, warnings)
        return record, PageBody(page.markdown or "", page.content or "", page.toc)

    def restore(self, page: Page, files: Files) -> None:
        """Put what the navigation and link checks need back on a page, as if MkDocs had read it."""
        page.meta = dict(self.meta)
        page._title_from_render = self.title_from_render
        if page.markdown is None:  # MkDocs gives an unread page no title; the title comes from meta or render
            page.markdown = ""
        page.present_anchor_ids = set(self.anchors)
        page.links_to_anchors = {target: dict(a) for uri, a in self.links_to_anchors.items() if (target := files.get_file_from_path(uri)) is not None}


@dataclass
class BuildStats:
    """How many pages a build read and themed, and how many it reused."""

    pages: int = 0
    read: int = 0
    themed: int = 0
    workers: int = 1
    cache: str = "off"

    def summary(self) -> str:
        """`1024 pages: 3 read, 3 themed, 1021 reused from cache` (or why the cache is off)."""
        if self.cache != "on":
            return f"{self.pages} pages, page cache {self.cache}"
        return f"{self.pages} pages: {self.read} read, {self.themed} themed, {self.pages - self.themed} reused from cache"


class PageCache:
    """Per page key: `<key>.record` (pickle), `<key>.body` (pickle), `<key>.html`; each written atomically."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.used: set[str] = set()
        folder.mkdir(parents=True, exist_ok=True)

    def record(self, key: str, in_memory: dict[str, PageRecord] | None = None) -> PageRecord | None:
        """The record stored under `key` (looked up in `in_memory` first), or None (also for an unreadable one, which is rebuilt)."""
        found = in_memory.get(key) if in_memory else None
        found = found or self._load(key, "record")
        return found if isinstance(found, PageRecord) else None

    def body(self, key: str) -> PageBody | None:
        found = self._load(key, "body")
        return found if isinstance(found, PageBody) else None

    def html(self, key: str) -> Path:
        return self.folder / f"{key}.html"

    def put(self, key: str, record: PageRecord, body: PageBody | None = None, html: Path | None = None) -> None:
        """Store what is given; the record last, so a record never points at a missing body or page."""
        if body is not None:
            self._write(key, "body", lambda path: path.write_bytes(pickle.dumps(body, pickle.HIGHEST_PROTOCOL)))
        if html is not None:
            self._write(key, "html", lambda path: shutil.copyfile(html, path))
        self._write(key, "record", lambda path: path.write_bytes(pickle.dumps(record, pickle.HIGHEST_PROTOCOL)))

    def prune(self) -> None:
        """Drop the entries this build did not use (call after a successful build)."""
        for path in self.folder.iterdir():
            if path.name.partition(".")[0] not in self.used or path.suffix == ".tmp":  # .tmp: left by a killed build
                path.unlink()

    def _load(self, key: str, kind: str) -> object:
        try:
            with (self.folder / f"{key}.{kind}").open("rb") as stream:
                return pickle.load(stream)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
            return None

    def _write(self, key: str, kind: str, write: Callable[[Path], object]) -> None:
        atomic_write(self.folder / f"{key}.{kind}", write)


@dataclass
class ServeState:
    """What one `serve` rebuild hands the next: they all build into the same folder, in one process."""

    # page → (cache key, output file) of what is in the site folder, so unchanged pages are not written again
    pages: dict[str, tuple[str, str]] = field(default_factory=dict)
    # the theme's Jinja environment and the settings it was made for: compiling the theme's templates
    # again costs more than rebuilding the one edited page
    env: Any = None
    env_key: str = ""
    # records by cache key, so they are not read from disk again
    records: dict[str, PageRecord] = field(default_factory=dict)
    # the site key and navigation the 404 page and sitemap were last rendered with
    static_key: str = ""


@dataclass
class _Build:
    """What workers need, inherited when they are forked."""

    config: MkDocsConfig
    files: Files
    doc_files: list[File]
    cache: PageCache | None
    keys: dict[str, str]
    nav: Navigation | None = None
    env: Any = None
    search: SearchIndex | None = None


_BUILD: _Build | None = None


def build(config: MkDocsConfig, cache_dir: Path | None, serving: ServeState | None = None) -> BuildStats:
    """Build the site like `mkdocs build`, reusing cached pages from `cache_dir` (None: no cache).

    `serving` is for `serve`, which rebuilds into the same folder: what the previous build left
    there and in memory, so unchanged pages and assets are not written again, and the pages of
    deleted content are removed. It is updated.
    """
    global _BUILD
    warning_counter = utils.CountHandler()
    warning_counter.setLevel(logging.WARNING)
    if config.strict:
        log.addHandler(warning_counter)
    stats = BuildStats()
    try:
        config = config.plugins.on_config(config)
        config.plugins.on_pre_build(config=config)
        if serving is None:
            utils.clean_directory(config.site_dir)
        files = get_files(config)
        config_key = _config_key(config)
        if serving is not None and serving.env_key == config_key:
            env = serving.env
        else:
            env = config.theme.get_env()
            if serving is not None:
                # MkDocs lists the theme's files on every build (`add_files_from_theme`, its only
                # caller); they change only with the config key, which makes a new environment.
                env.list_templates = _listed_once(env.list_templates)
                serving.env, serving.env_key = env, config_key
        files.add_files_from_theme(env, config)
        files = config.plugins.on_files(files, config=config)
        set_exclusions(files, config)
        nav = get_navigation(files, config)
        nav = config.plugins.on_nav(nav, config=config, files=files)

        only_search = _only_search_listens(config)
        cache = PageCache(cache_dir) if cache_dir is not None and only_search else None
        stats.cache = "on" if cache else ("off" if cache_dir is None else "off (a plugin listens to page events)")
        stats.workers = (os.cpu_count() or 1) if only_search else 1
        site_key = digest(config_key, *sorted(file.src_uri for file in files))
        doc_files = files.documentation_pages()
        stats.pages = len(doc_files)
        keys: dict[str, str] = {}
        _BUILD = _Build(config, files, doc_files, cache, keys)

        # Read: restore cached pages, convert the others (in workers when there are many).
        records = {}
        to_read = []
        for file in doc_files:
            if file.page is None:
                Page(None, file, config)
            keys[file.src_uri] = digest(site_key, file.src_uri, file.content_bytes) if cache else ""
            record = cache.record(keys[file.src_uri], serving.records if serving else None) if cache else None
            if record is not None:
                record.restore(file.page, files)  # type: ignore[arg-type]
                _replay(record.read_warnings)
                records[file.src_uri] = record
            else:
                to_read.append(file.src_uri)
        stats.read = len(to_read)
        for uri, (record, body) in zip(to_read, _map(_read_page, to_read, stats.workers), strict=True):
            page = files.get_file_from_path(uri).page  # type: ignore[union-attr]
            record.restore(page, files)  # type: ignore[arg-type]
            records[uri] = record
            if cache:  # the body waits on disk until its page is themed: this process never holds them all
                cache.put(keys[uri], record, body)
            else:
                _restore_body(page, body)  # type: ignore[arg-type]

        env = config.plugins.on_env(env, config=config, files=files)
        files.copy_static_files(dirty=serving is not None)
        # Theme: copy pages whose navigation did not change, render the others.
        nav_key = digest(*(f"{page.file.src_uri}\0{page.title}" for page in nav.pages))
        if serving is None or serving.static_key != f"{site_key}:{nav_key}":
            for template in config.theme.static_templates:
                _build_theme_template(template, env, files, config, nav)
            for template in config.extra_templates:
                _build_extra_template(template, files, config, nav)
            if serving is not None:
                serving.static_key = f"{site_key}:{nav_key}"

        search = next((plugin.search_index for plugin in config.plugins.values() if isinstance(plugin, SearchPlugin)), None)
        _BUILD.nav, _BUILD.env, _BUILD.search = nav, env, search
        to_theme = []
        for file in doc_files:
            record = records[file.src_uri]
            if cache and record.nav_key == nav_key and cache.html(keys[file.src_uri]).is_file():
                continue
            to_theme.append(file.src_uri)
        stats.themed = len(to_theme)
        themed = dict(zip(to_theme, _map(_theme_page, to_theme, stats.workers), strict=True))
        for file in doc_files:
            record, key = records[file.src_uri], keys[file.src_uri]
            if file.src_uri in themed:
                record.search_entries, record.theme_warnings = themed[file.src_uri]
                record.nav_key = nav_key
                if cache:
                    cache.put(key, record, html=Path(file.abs_dest_path))
            else:
                if serving is None or serving.pages.get(file.src_uri, ("", ""))[0] != f"{key}:{nav_key}" or not Path(file.abs_dest_path).is_file():
                    utils.write_file(cache.html(key).read_bytes(), file.abs_dest_path)  # type: ignore[union-attr]
                _replay(record.theme_warnings)
            if serving is not None:
                serving.pages[file.src_uri] = (f"{key}:{nav_key}", file.abs_dest_path)
            if search is not None:
                search.entries.extend(record.search_entries)
            if cache:
                cache.used.add(key)

        if serving is not None:
            for gone in set(serving.pages) - {file.src_uri for file in doc_files}:
                Path(serving.pages.pop(gone)[1]).unlink(missing_ok=True)
        for file in doc_files:
            file.page.validate_anchor_links(files=files, log_level=config.validation.links.anchors)  # type: ignore[union-attr]
        config.plugins.on_post_build(config=config)
        if counts := warning_counter.get_counts():
            raise Abort(f"Aborted with {', '.join(f'{v} {k.lower()}s' for k, v in counts)} in strict mode!")
        if cache:
            cache.prune()
            if serving is not None:
                serving.records = {key: records[uri] for uri, key in keys.items()}
        return stats
    except Exception as error:
        if serving is not None:  # records may be half-updated: read them from disk next time
            serving.records = {}
        config.plugins.on_build_error(error=error)
        if isinstance(error, BuildError):
            log.error(str(error))
            raise Abort("Aborted with a BuildError!") from error
        raise
    finally:
        _BUILD = None
        log.removeHandler(warning_counter)


def _read_page(uri: str) -> tuple[PageRecord, PageBody]:
    """Convert one page's Markdown (MkDocs' `_populate_page`) and capture the result."""
    assert _BUILD is not None
    page = _BUILD.files.get_file_from_path(uri).page  # type: ignore[union-attr]
    with _captured_warnings() as warnings:
        _populate_page(page, _BUILD.config, _BUILD.files)  # type: ignore[arg-type]
    return PageRecord.read_from(page, warnings)  # type: ignore[arg-type]


def _theme_page(uri: str) -> tuple[list[dict[str, Any]], list[logging.LogRecord]]:
    """Render one page into its theme and write it (MkDocs' `_build_page`); return its search entries."""
    assert _BUILD is not None
    page = _BUILD.files.get_file_from_path(uri).page  # type: ignore[union-attr]
    if page.content is None:  # type: ignore[union-attr]
        body = _BUILD.cache.body(_BUILD.keys[uri]) if _BUILD.cache else None
        _restore_body(page, body or _read_page(uri)[1])  # type: ignore[arg-type]  # read again if the body went missing
    search = _BUILD.search
    first = len(search.entries) if search is not None else 0
    with _captured_warnings() as warnings:
        _build_page(page, _BUILD.config, _BUILD.doc_files, _BUILD.nav, _BUILD.env)  # type: ignore[arg-type]
    page.markdown, page.content, page.toc = "", None, []  # type: ignore[union-attr]  # themed: free the body
    if search is None:
        return [], warnings
    entries = search.entries[first:]
    del search.entries[first:]  # the caller adds every page's entries in order
    return entries, warnings


def _map(work: Callable[[str], R], uris: list[str], workers: int) -> Iterator[R]:
    """`work` over `uris` in order: here, or in forked workers when there are enough of them (`fork_map`)."""
    if workers < 2:
        yield from map(work, uris)
        return
    forked = forks(len(uris))
    for result in fork_map(lambda i: work(uris[i]), len(uris), initializer=_quiet_worker):
        if forked:  # the worker's warnings were captured, not shown: show and count them here
            _replay(result[0].read_warnings if isinstance(result[0], PageRecord) else result[1])  # type: ignore[index]
        yield result


def _quiet_worker() -> None:
    """In a worker, warnings are only captured; the parent logs them (so strict mode counts them once)."""
    log.handlers.clear()
    log.propagate = False


def _restore_body(page: Page, body: PageBody) -> None:
    page.markdown, page.content, page.toc = body.markdown, body.content, body.toc


def _only_search_listens(config: MkDocsConfig) -> bool:
    """True when no plugin but search listens to page events (so pages can be cached and forked)."""
    listeners = {type(getattr(method, "__self__", None)) for event in PAGE_EVENTS for method in config.plugins.events[event]}
    return not listeners - {SearchPlugin}


def _config_key(config: MkDocsConfig) -> str:
    """Everything besides a page's own Markdown and the list of files that its HTML depends on."""
    parts: list[str | bytes] = [sys.version, json.dumps(_package_versions())]
    parts += [config.site_url or "", json.dumps(config.extra, sort_keys=True, default=str), str(config.use_directory_urls)]
    inputs = [Path(config.config_file_path), *_inherited(Path(config.config_file_path))]
    inputs += [Path(hook.__file__) for hook in config.hooks.values() if getattr(hook, "__file__", None)]
    # A hook may name further code whose output is stored with a page (the search entries' module).
    inputs += [Path(path) for hook in config.hooks.values() for path in getattr(hook, "CACHE_INPUTS", ())]
    if config.theme.custom_dir:
        inputs += sorted(p for p in Path(config.theme.custom_dir).rglob("*") if p.is_file())
    for path in inputs:
        parts += [str(path), path.read_bytes()]
    return digest(*parts)


def _inherited(config_file: Path) -> list[Path]:
    """The chain of files a config file INHERITs from."""
    match = re.search(r"^INHERIT:\s*(\S+)", config_file.read_text(encoding="utf-8"), re.MULTILINE)
    if not match:
        return []
    parent = (config_file.parent / match.group(1).strip("'\"")).resolve()
    return [parent, *_inherited(parent)]


@functools.cache  # scanning every installed distribution costs ~50 ms, on each `serve` rebuild otherwise
def _package_versions() -> list[str]:
    return sorted(f"{dist.metadata['Name']}=={dist.version}" for dist in importlib.metadata.distributions())


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def _captured_warnings() -> Iterator[list[logging.LogRecord]]:
    """Warnings MkDocs logs inside the block, made picklable (they still reach any other handler)."""
    collector = _Collector()
    log.addHandler(collector)
    try:
        yield collector.records
    finally:
        log.removeHandler(collector)
        for record in collector.records:
            record.msg, record.args, record.exc_info = record.getMessage(), None, None


def _listed_once(list_templates: Callable[..., list[str]]) -> Callable[..., list[str]]:
    """`list_templates` that lists on its first call and returns that list ever after."""
    listed: list[list[str]] = []

    def once(**kwargs: Any) -> list[str]:
        if not listed:
            listed.append(list_templates(**kwargs))
        return listed[0]

    return once


def _replay(warnings: list[logging.LogRecord]) -> None:
    """Log warnings again (a reused page's, or a worker's) so they show and count as in a plain build."""
    for record in warnings:
        logging.getLogger(record.name).handle(record)


def build_site(project: Project, generated: object, config_file: Path, site_dir: Path, cache_dir: Path | None) -> BuildStats:
    """Build `generated` (already written to `project.docs_dir`) with `config_file` into `site_dir`."""
    project.docs_dir.mkdir(parents=True, exist_ok=True)  # MkDocs refuses a config whose docs_dir does not exist
    config = load_config(str(config_file), site_dir=str(site_dir))
    config[GENERATED_KEY] = generated
    return build(config, cache_dir)


def site_url_of(config_file: Path, project: Project) -> str:
    """The `site_url` a config resolves to (environment variables applied); "" when it sets none."""
    project.docs_dir.mkdir(parents=True, exist_ok=True)
    return load_config(str(config_file)).site_url or ""


def live_server(rebuild: Callable[[], None], host: str, port: int, site_dir: Path) -> LiveReloadServer:
    """MkDocs' live-reload server for `site_dir`, watching with the OS's change events, serving our 404 page."""
    from generator.engines.edits import EditObserver

    server = LiveReloadServer(builder=rebuild, host=host, port=port, root=str(site_dir), mount_path="/")
    # MkDocs polls every watched file twice a second; the OS's own change events (inotify) arrive at
    # once, but include the rebuild's own reads: only edits may start a rebuild (engines/edits.py).
    server.observer = EditObserver()
    server.error_handler = lambda code: (site_dir / "404.html").read_bytes() if code == 404 and (site_dir / "404.html").is_file() else None
    return server


def serve_build(project: Project, generated: object, config_file: Path, site_dir: Path, site_url: str, serving: ServeState) -> BuildStats:
    """One `serve` rebuild into `site_dir`, reusing what the previous one left in `serving`."""
    config = load_config(str(config_file), site_dir=str(site_dir), site_url=site_url)
    config[GENERATED_KEY] = generated
    # The live preview keeps Material's worker and whole index: sharding every page's terms again on
    # each edit costs seconds at catalogue scale (see engines/mkdocs_hooks.py `on_post_build`).
    config.extra["sharded_search"] = False
    return build(config, project.cache_dir / "serve", serving)


def show_log(level: int) -> None:
    """Show MkDocs' messages from `level` up: a build shows only warnings, its summary line says the rest."""
    logger = logging.getLogger("mkdocs")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)s - %(message)s"))
        logger.addHandler(handler)
    logger.setLevel(level)


def end_of_life_notice(today: datetime.date) -> str:
    """One line about the theme's end of life, from half a year before it; else ""."""
    days = (MATERIAL_END_OF_LIFE - today).days
    if days > 183:
        return ""
    when = "reached" if days < 0 else "reaches"
    return f"note: Material for MkDocs {when} end of life on {MATERIAL_END_OF_LIFE.isoformat()}; the plan is in docs/engines.md"
