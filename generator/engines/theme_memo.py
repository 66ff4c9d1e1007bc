"""Render Material's navigation once per distinct navigation state, not once per page.

Every page renders `partials/nav.html`, and at catalogue scale most pages are outside the
navigation (`not_in_nav`): no entry of theirs is active, none is the page itself, so none shows
the page's table of contents, and they all render the same entries. What still differs between
them is the relative links (`| url`: `../x/` from `drugs/a/`, `../../x/` from
`drugs/a/professional/`). This memo keys a rendering on exactly what its output depends on:

- the indices of the navigation items that are active (for a page outside the navigation, none);
- the page's URL as far as relative links depend on it. MkDocs makes a link to `dest` relative to
  the page's folder parts `other` (`get_relative_url`): `'..'` for each part of `other` after
  their common prefix, then the rest of `dest`. Let `k` be the length of the longest prefix of
  `other` that is also a prefix of some linked URL. Every common prefix with a linked URL is at
  most `k` long, so every link is the same for all pages with the same `other[:k]` and the same
  number of parts: `(other[:k], len(other))` is the key. `drugs/a/` and `drugs/b/` share one,
  and so do `drugs/a/professional/` and `drugs/b/professional/`; a page whose folder some
  navigation URL lies under gets a key of its own.

The rest of what the templates read is the same for every page of a build (`config`, `features`,
`lang`, `nav`), which a check of their variables enforces: templates that read anything else from
their caller (an override, a new Material) are not memoised. The linked URLs are collected from
the navigation, the homepage, `extra.homepage` and the logo; every first rendering of a key also
records what it actually passed to `| url` and switches the memo off for the build if that was
anything else.

Pages in the navigation (and the 404 page, which has no page) render `nav.html` as usual, but
each top-level item (`item.render(nav_item, path, 1)`, the macro `nav-item.html` exports) whose
subtree holds neither the page nor an active item is reused under the same key computed over that
subtree alone: on a monograph's letter page, every other section is rendered once per depth.

The memo is emptied when a build starts (`serve` keeps the Jinja environment between builds, and a
rebuild may change the navigation). Forked workers inherit it empty and fill their own: there are
only a few keys (one per kind and page depth), so each worker renders the navigation a few times.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from jinja2 import Environment, meta, nodes

NAV_TEMPLATE = "partials/nav.html"
ITEM_TEMPLATE = "partials/nav-item.html"
# What the navigation templates may read: the same for every page of a build, but for `page`,
# which the key covers.
CONSTANT_NAMES = frozenset({"config", "features", "lang", "nav"})
PAGE_NAMES = frozenset({"page", "base_url"})
ATTRIBUTE = "_medsite_nav_memo"


class NavMemo:
    """Installed as the navigation template's render function: one rendering per key."""

    def __init__(self, render: Callable[[Any], Iterator[str]], env: Environment) -> None:
        self.render = render
        self.env = env
        self.rendered: dict[tuple[Any, ...], str] = {}
        self.on = False
        self.items: list[Any] = []
        self.nav_uris: set[str] = set()
        self.linked: set[str] = set()
        self.prefixes: set[tuple[str, ...]] = set()
        self.norm_parts: Callable[[str], list[str]] = lambda path: []
        self.hits = self.misses = 0
        self.subtrees: dict[int, _Subtree] = {}
        self.items_rendered: dict[tuple[Any, ...], Any] = {}
        self.item_hits = self.item_misses = 0
        # the templates never change within one environment: check what they read once
        self.readable = _reads_only(env, NAV_TEMPLATE, CONSTANT_NAMES | PAGE_NAMES)

    def start(self, nav: Any, config: Any, norm_parts: Callable[[str], list[str]]) -> None:
        """Empty the memo and learn this build's navigation."""
        self.stop()
        self.norm_parts = norm_parts
        self.items = list(_walk(nav.items))
        self.nav_uris = _uris(self.items)
        linked = [getattr(nav.homepage, "url", None), (config.extra or {}).get("homepage"), config.theme.get("logo")]
        self.linked = _links(self.items) | {str(url) for url in linked if url is not None}
        self.prefixes = _prefixes(self.linked, norm_parts)
        for index, item in enumerate(nav.items):
            items = list(_walk([item]))
            self.subtrees[id(item)] = _Subtree(index, item, items, _uris(items), _prefixes(_links(items), norm_parts))
        self.on = self.readable

    def stop(self) -> None:
        """Forget this build's navigation and renderings."""
        self.on = False
        self.rendered, self.items_rendered, self.subtrees = {}, {}, {}
        self.items, self.nav_uris, self.linked, self.prefixes = [], set(), set(), set()
        self.hits = self.misses = self.item_hits = self.item_misses = 0

    def key(self, context: Any) -> tuple[Any, ...] | None:
        """What the rendering for this context depends on, or None to render it as usual."""
        page = context.get("page")
        file = getattr(page, "file", None)
        if not self.on or file is None or file.src_uri in self.nav_uris:
            return None
        active = tuple(i for i, item in enumerate(self.items) if item.active)
        return active, self.folder_key(page, self.prefixes)

    def folder_key(self, page: Any, prefixes: set[tuple[str, ...]]) -> tuple[tuple[str, ...], int]:
        """`(other[:k], len(other))`: what links to URLs whose prefixes are `prefixes` depend on of the page's URL."""
        folder = page.url
        dirname, _, basename = folder.rpartition("/")
        if "." in basename:  # as `get_relative_url` does
            folder = dirname
        parts = tuple(self.norm_parts(folder))
        k = len(parts)
        while parts[:k] not in prefixes:
            k -= 1
        return parts[:k], len(parts)

    def item_renderer(self, macro: Callable[..., Any], page: Any) -> Callable[..., Any]:
        """Material's `render` macro of `partials/nav-item.html` for `page`, one rendering per key for a top-level item."""

        def render(*args: Any, **kwargs: Any) -> Any:
            key = self.item_key(page, args, kwargs)
            if key is None:
                return macro(*args, **kwargs)
            html = self.items_rendered.get(key)
            if html is None:
                self.item_misses += 1
                html = self.items_rendered[key] = macro(*args, **kwargs)
            else:
                self.item_hits += 1
            return html

        return render

    def item_key(self, page: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, ...] | None:
        """What a top-level item's rendering depends on, or None to render it as usual.

        As for the whole navigation, but only the item's own subtree counts: which of its items
        are active, whether the page is one of them, and the links to its URLs.
        """
        if not self.on or kwargs or len(args) != 3 or args[2] != 1:  # nav.html: item.render(nav_item, path, 1)
            return None
        subtree = self.subtrees.get(id(args[0]))
        file = getattr(page, "file", None)
        if subtree is None or subtree.item is not args[0] or file is None or file.src_uri in subtree.uris:
            return None
        active = tuple(i for i, item in enumerate(subtree.items) if item.active)
        return subtree.index, args[1], active, self.folder_key(page, subtree.prefixes)

    def __call__(self, context: Any) -> Iterator[str]:
        key = self.key(context)
        if key is None:
            yield from self.render(context)
            return
        html = self.rendered.get(key)
        if html is None:
            self.misses += 1
            html = self._first(context)
            if self.on:
                self.rendered[key] = html
        else:
            self.hits += 1
        yield html

    def _first(self, context: Any) -> str:
        """Render, recording every value given to `| url`; switch off if one is not a known link."""
        url = self.env.filters["url"]
        seen: list[str] = []

        def recording(ctx: Any, value: Any) -> str:
            seen.append(str(value))
            return url(ctx, value)

        recording.jinja_pass_arg = url.jinja_pass_arg  # type: ignore[attr-defined]  # a context filter, as `url` is
        self.env.filters["url"] = recording
        try:
            html = "".join(self.render(context))
        finally:
            self.env.filters["url"] = url
        if not set(seen) <= self.linked:
            self.on = False
        return html


def install(env: Environment, nav: Any, config: Any, norm_parts: Callable[[str], list[str]], on: bool = True) -> NavMemo:
    """The memo on `env`'s navigation templates, emptied and set up for this build's navigation (off unless `on`)."""
    template = env.get_template(NAV_TEMPLATE)
    memo = getattr(template, ATTRIBUTE, None)
    if not isinstance(memo, NavMemo):
        memo = NavMemo(template.root_render_func, env)
        template.root_render_func = memo  # type: ignore[assignment]  # what `{% include %}` calls
        setattr(template, ATTRIBUTE, memo)
    items = env.get_template(ITEM_TEMPLATE)
    if getattr(items, ATTRIBUTE, None) is not memo:
        items.root_render_func = _with_item_memo(items.root_render_func, memo)  # type: ignore[method-assign]
        setattr(items, ATTRIBUTE, memo)
    memo.start(nav, config, norm_parts)
    memo.on = memo.on and on
    return memo


def _with_item_memo(define: Callable[[Any], Iterator[str]], memo: NavMemo) -> Callable[[Any], Iterator[str]]:
    """`nav-item.html`'s body (which defines its macros), exporting a memoised `render` when imported.

    `nav.html` imports the template with context and calls `item.render` for each top-level item;
    the macro's recursive calls for deeper items do not go through the export.
    """

    def root(context: Any) -> Iterator[str]:
        yield from define(context)
        macro = context.vars.get("render")
        if memo.on and macro is not None and "render" in context.exported_vars:
            context.vars["render"] = memo.item_renderer(macro, context.get("page"))

    return root


@dataclass
class _Subtree:
    """A top-level navigation item with everything under it."""

    index: int
    item: Any
    items: list[Any]
    uris: set[str]  # of its pages
    prefixes: set[tuple[str, ...]]  # of the URLs it links to


def _uris(items: list[Any]) -> set[str]:
    return {item.file.src_uri for item in items if getattr(item, "file", None) is not None}


def _links(items: list[Any]) -> set[str]:
    return {str(url) for item in items if (url := getattr(item, "url", None)) is not None}


def _prefixes(urls: set[str], norm_parts: Callable[[str], list[str]]) -> set[tuple[str, ...]]:
    """Every prefix of every URL's parts, and the empty one."""
    return {(), *(tuple(parts[:k]) for url in urls for parts in [norm_parts(url)] for k in range(len(parts) + 1))}


def _walk(items: list[Any]) -> Iterator[Any]:
    for item in items:
        yield item
        yield from _walk(getattr(item, "children", None) or [])


def _reads_only(env: Environment, name: str, allowed: frozenset[str]) -> bool:
    """True when `name` and the templates it names read no variable from their caller outside `allowed`.

    A variable counts as the template's own when any template of the group sets it (a macro reads
    the ones its callers set); the environment's globals are the same for every page.
    """
    trees, todo = {}, [name]
    while todo:
        current = todo.pop()
        if current in trees:
            continue
        assert env.loader is not None
        trees[current] = tree = env.parse(env.loader.get_source(env, current)[0])
        for node in tree.find_all((nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)):
            if isinstance(node.template, nodes.Const) and isinstance(node.template.value, str):
                todo.append(node.template.value)
            elif not _is_icon(node.template):
                return False
    read = set().union(*(meta.find_undeclared_variables(tree) for tree in trees.values()))
    own = {node.name for tree in trees.values() for node in tree.find_all(nodes.Name) if node.ctx in ("store", "param")}
    return read <= allowed | own | set(env.globals)


def _is_icon(template: nodes.Node) -> bool:
    """`".icons/" ~ name ~ ".svg"`: an icon, plain SVG that reads no variable."""
    first = template.nodes[0] if isinstance(template, nodes.Concat) and template.nodes else None
    return isinstance(first, nodes.Const) and first.value == ".icons/"
