"""MkDocs' build loop with a page cache: a page whose inputs did not change is copied, not rendered.

MkDocs converts and themes every page on every build; at catalogue scale that is nearly all of a
warm build or a `serve` reload. This is `mkdocs.commands.build.build` (MkDocs 1.6, pinned) with
one difference: before converting or theming a page it looks the page up in a cache.

- A page's *read* record (its HTML body, table of contents, metadata, anchors, and the warnings
  reading it logged) is keyed by its Markdown bytes, the list of files in the site and the site key.
- Its *built* HTML is reused only when the navigation is also unchanged (the titles and URLs of
  every page), because every page renders the navigation.
- The site key covers the config files, the theme overrides, the hook module, the Python version
  and every installed package's version: change any of them and nothing is reused.

Warnings logged while reading or theming a page are stored with it and logged again on reuse, so
strict mode fails the same way warm as cold. Records are saved only after a build succeeds. When
a plugin other than search listens to page events, nothing is cached (it could change any page).
"""

from __future__ import annotations

import importlib.metadata
import json
import logging
import pickle
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from material.plugins.search.plugin import SearchPlugin
from mkdocs import utils
from mkdocs.commands.build import _build_extra_template, _build_page, _build_theme_template, _populate_page
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, BuildError
from mkdocs.structure.files import Files, get_files, set_exclusions
from mkdocs.structure.nav import get_navigation
from mkdocs.structure.pages import Page

from .memo import digest

log = logging.getLogger("mkdocs")
PAGE_EVENTS = ("pre_page", "page_markdown", "page_content", "page_context", "post_page")


@dataclass
class PageRecord:
    """What reading and theming one page produced, enough to skip both next time."""

    meta: dict[str, Any]
    markdown: str
    content: str
    toc: Any
    title_from_render: str | None
    anchors: set[str]
    links_to_anchors: dict[str, dict[str, str]]
    read_warnings: list[logging.LogRecord] = field(default_factory=list)
    nav_key: str = ""
    theme_warnings: list[logging.LogRecord] = field(default_factory=list)
    html: bytes = b""
    search_entries: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def read_from(cls, page: Page, warnings: list[logging.LogRecord]) -> PageRecord:
        """Capture a freshly read page (before theming, which strips search attributes from its content)."""
        links = {target.src_uri: dict(anchors) for target, anchors in (page.links_to_anchors or {}).items()}
        return cls(
            dict(page.meta), page.markdown or "", page.content or "", page.toc, page._title_from_render, set(page.present_anchor_ids or ()), links, warnings
        )

    def restore(self, page: Page, files: Files) -> None:
        """Put the read results back on a page object, as if MkDocs had just read it."""
        page.meta, page.markdown, page.content, page.toc = dict(self.meta), self.markdown, self.content, self.toc
        page._title_from_render = self.title_from_render
        page.present_anchor_ids = set(self.anchors)
        page.links_to_anchors = {target: dict(a) for uri, a in self.links_to_anchors.items() if (target := files.get_file_from_path(uri)) is not None}


@dataclass
class BuildStats:
    """How many pages a build read and themed, and how many it reused."""

    pages: int = 0
    read: int = 0
    themed: int = 0
    cache: str = "off"

    def summary(self) -> str:
        """`1024 pages: 3 read, 3 themed, 1021 reused` (or `cache off`)."""
        if self.cache != "on":
            return f"{self.pages} pages, page cache {self.cache}"
        return f"{self.pages} pages: {self.read} read, {self.themed} themed, {self.pages - self.themed} reused from cache"


class PageCache:
    """Page records on disk, one pickle per read key, written atomically after a good build."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.used: dict[str, PageRecord] = {}
        self.changed: set[str] = set()

    def get(self, key: str) -> PageRecord | None:
        """The record stored under `key`, or None (also for an unreadable record, which is rebuilt)."""
        path = self.folder / f"{key}.pickle"
        try:
            with path.open("rb") as stream:
                record = pickle.load(stream)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
            return None
        return record if isinstance(record, PageRecord) else None

    def keep(self, key: str, record: PageRecord, changed: bool) -> None:
        """Remember that this build used `record`; `changed` ones are written by `save`."""
        self.used[key] = record
        if changed:
            self.changed.add(key)

    def save(self) -> None:
        """Write new and changed records, and drop the ones this build did not use."""
        self.folder.mkdir(parents=True, exist_ok=True)
        for key in self.changed:
            temporary = self.folder / f"{key}.pickle.tmp"
            temporary.write_bytes(pickle.dumps(self.used[key], protocol=pickle.HIGHEST_PROTOCOL))
            temporary.replace(self.folder / f"{key}.pickle")
        for stale in self.folder.iterdir():
            if stale.name.removesuffix(".pickle") not in self.used:
                stale.unlink()


def build(config: MkDocsConfig, cache_dir: Path | None) -> BuildStats:
    """Build the site like `mkdocs build`, reusing cached pages from `cache_dir` (None: no cache)."""
    warning_counter = utils.CountHandler()
    warning_counter.setLevel(logging.WARNING)
    if config.strict:
        log.addHandler(warning_counter)
    stats = BuildStats()
    try:
        config = config.plugins.on_config(config)
        config.plugins.on_pre_build(config=config)
        utils.clean_directory(config.site_dir)
        files = get_files(config)
        env = config.theme.get_env()
        files.add_files_from_theme(env, config)
        files = config.plugins.on_files(files, config=config)
        set_exclusions(files, config)
        nav = get_navigation(files, config)
        nav = config.plugins.on_nav(nav, config=config, files=files)

        cache = _open_cache(config, cache_dir, stats)
        site_key = _site_key(config, files) if cache else ""
        doc_files = files.documentation_pages()
        stats.pages = len(doc_files)
        records: dict[str, tuple[str, PageRecord | None]] = {}
        for file in doc_files:
            if file.page is None:
                Page(None, file, config)
            assert file.page is not None
            key = digest(site_key, file.src_uri, file.content_bytes) if cache else ""
            record = cache.get(key) if cache else None
            if record is not None:
                record.restore(file.page, files)
                _replay(record.read_warnings)
            else:
                stats.read += 1
                with _captured_warnings() as warnings:
                    _populate_page(file.page, config, files)
                record = PageRecord.read_from(file.page, warnings) if cache else None
            records[file.src_uri] = (key, record)

        env = config.plugins.on_env(env, config=config, files=files)
        files.copy_static_files()
        for template in config.theme.static_templates:
            _build_theme_template(template, env, files, config, nav)
        for template in config.extra_templates:
            _build_extra_template(template, files, config, nav)

        nav_key = digest(*(f"{page.file.src_uri}\0{page.title}" for page in nav.pages)) if cache else ""
        search = next((plugin.search_index for plugin in config.plugins.values() if isinstance(plugin, SearchPlugin)), None)
        for file in doc_files:
            assert file.page is not None
            key, record = records[file.src_uri]
            if cache and record is not None and record.html and record.nav_key == nav_key:
                utils.write_file(record.html, file.abs_dest_path)
                if search is not None:
                    search.entries.extend(record.search_entries)
                _replay(record.theme_warnings)
                cache.keep(key, record, changed=False)
                continue
            stats.themed += 1
            first_entry = len(search.entries) if search is not None else 0
            with _captured_warnings() as warnings:
                _build_page(file.page, config, doc_files, nav, env)
            if cache and record is not None:
                record.theme_warnings = warnings
                record.nav_key = nav_key
                record.html = Path(file.abs_dest_path).read_bytes()
                record.search_entries = search.entries[first_entry:] if search is not None else []
                cache.keep(key, record, changed=True)

        for file in doc_files:
            assert file.page is not None
            file.page.validate_anchor_links(files=files, log_level=config.validation.links.anchors)
        config.plugins.on_post_build(config=config)
        if counts := warning_counter.get_counts():
            raise Abort(f"Aborted with {', '.join(f'{v} {k.lower()}s' for k, v in counts)} in strict mode!")
        if cache:
            cache.save()
        return stats
    except Exception as error:
        config.plugins.on_build_error(error=error)
        if isinstance(error, BuildError):
            log.error(str(error))
            raise Abort("Aborted with a BuildError!") from error
        raise
    finally:
        log.removeHandler(warning_counter)


def _open_cache(config: MkDocsConfig, cache_dir: Path | None, stats: BuildStats) -> PageCache | None:
    """The cache, unless there is no folder or a plugin besides search could change pages."""
    if cache_dir is None:
        return None
    listeners = {type(getattr(method, "__self__", None)) for event in PAGE_EVENTS for method in config.plugins.events[event]}
    if listeners - {SearchPlugin}:
        stats.cache = "off (a plugin listens to page events)"
        return None
    stats.cache = "on"
    return PageCache(cache_dir)


def _site_key(config: MkDocsConfig, files: Files) -> str:
    """Everything besides a page's own Markdown that its HTML depends on."""
    parts: list[str | bytes] = [sys.version, json.dumps(_package_versions())]
    parts += [config.site_url or "", json.dumps(config.extra, sort_keys=True, default=str), str(config.use_directory_urls)]
    parts += sorted(file.src_uri for file in files)
    inputs = [Path(config.config_file_path), *_inherited(Path(config.config_file_path))]
    inputs += [Path(hook.__file__) for hook in config.hooks.values() if getattr(hook, "__file__", None)]
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


def _package_versions() -> list[str]:
    return sorted(f"{dist.metadata['Name']}=={dist.version}" for dist in importlib.metadata.distributions())


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        record.getMessage()  # fix the message now: args may not survive pickling
        self.records.append(record)


@contextmanager
def _captured_warnings() -> Iterator[list[logging.LogRecord]]:
    """Warnings MkDocs logs inside the block (they still reach the console and the strict counter)."""
    collector = _Collector()
    log.addHandler(collector)
    try:
        yield collector.records
    finally:
        log.removeHandler(collector)
        for record in collector.records:
            record.msg, record.args, record.exc_info = record.getMessage(), None, None


def _replay(warnings: list[logging.LogRecord]) -> None:
    """Log a reused page's warnings again, so a warm build warns (and fails strict) like a cold one."""
    for record in warnings:
        logging.getLogger(record.name).handle(record)
