"""Step 3, render: the catalogue → Markdown pages (path → text) and a navigation tree.

One template per content kind (`templates/<kind>.md.j2`) plus the generated listing pages.
The output is plain Markdown with YAML front matter; nothing here knows about MkDocs.
"""

from __future__ import annotations

import datetime
import functools
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from generator.content import names
from generator.content.catalogue import Catalogue
from generator.content.history import RECENT, page_changes, recent_changes
from generator.content.models import KINDS, Entity
from generator.content.models.vocabulary import VERDICT_WORDS, SectionListing, sentence
from generator.memo import Memo, digest
from generator.pages.downloads import DOWNLOADS_PAGE, downloads_markdown
from generator.pages.export import api_files, api_paths, entity_json_path
from generator.pages.jsonld import jsonld_front_matter
from generator.pages.letters import SPLIT_AT, ListingPart, by_letter, letter_of
from generator.pages.markdown import PageAnchors, anchor_id, front_matter_list, front_matter_text, inert, relative_link
from generator.pages.notes import place_notes
from generator.parallel import fork_map
from generator.words import counted

TEMPLATES = Path(__file__).parent / "templates"
# The generated pages' paths, from the names content files may not take (content/names.py).
A_TO_Z_PAGE = f"{names.A_TO_Z}.md"
CHANGES_PAGE = f"{names.CHANGES}.md"
SOURCES_PAGE = f"{names.SOURCES}.md"

# Fewer entity pages than this (a `serve` edit and the pages that show it) render here: about half a
# second of work, less than starting workers costs in a process that also serves.
RENDER_FORK_FROM = 200
# A kind's entities are in the navigation (on every page) while it has a handful; beyond, its listing has them.
NAV_ENTITIES_UP_TO = 4

NavItem = dict[str, list[Any]]  # {"Section": [children]}; leaves are bare page paths (MkDocs' nav shape)


@dataclass
class RenderedSite:
    """Every page's Markdown by output path, the navigation in MkDocs' `nav` shape, and data files.

    `files` (path → text) are not pages: the engine copies them as they are (the JSON export).
    """

    pages: dict[str, str] = field(default_factory=dict)
    nav: list[NavItem | str] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)
    # Pages reached from listings, not the navigation: letter pages, further views, and the entities of a
    # kind with more than NAV_ENTITIES_UP_TO (the navigation is on every page, so it must not grow with N).
    not_in_nav: set[str] = field(default_factory=set)
    # A renamed entity's old pages (`renamed_from`): old path → (new path, the new page's title).
    # Not pages: each engine writes a redirect there (generator/engines/redirects.py).
    redirects: dict[str, tuple[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Listing:
    """The trust fields of a generated page that lists entities rather than being one."""

    title: str
    summary: str
    sources: list[str]
    last_reviewed: datetime.date
    next_review: datetime.date
    # Letter pages of a split listing stay out of the search index: the entities they list are in it,
    # and a page of hundreds of rows is one oversized search entry (Zensical refuses it outright).
    in_search: bool = True

    @classmethod
    def of(cls, title: str, summary: str, entities: list[Entity], catalogue: Catalogue, in_search: bool = True) -> Listing:
        """A listing's sources are its entities'; it is as current as the oldest of them."""
        members = entities or catalogue.all()
        sources = sorted({name for e in members for name in e.sources})
        return cls(title, summary, sources, min(e.last_reviewed for e in members), min(e.next_review for e in members), in_search)

    @classmethod
    def of_part(cls, title: str, summary: str, part: ListingPart[Any], entities: list[Entity], catalogue: Catalogue) -> Listing:
        """One page of a listing split by letter: titled `Title: A`, and a letter page stays out of search."""
        return cls.of(title + part.suffix, summary, entities, catalogue, in_search=not part.letter)


@functools.cache  # one per process: compiled templates are reused, and reloaded when a template file changes
def environment() -> jinja2.Environment:
    """The Jinja environment: every `{{ }}` output is made inert unless a filter built it as Markup.

    Autoescape is on only so that macro output comes back as Markup and is not escaped twice;
    the escaping that matters is `inert`, applied by `finalize` before autoescape sees a value.
    """
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        finalize=inert,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=True,
        # Markdown heading anchors are written `{#id}`, so Jinja comments use `{## ##}` instead.
        comment_start_string="{##",
        comment_end_string="##}",
    )
    env.filters["fm"] = front_matter_text
    env.filters["fm_list"] = front_matter_list
    env.filters["anchor"] = anchor_id
    env.filters["link"] = _link
    env.filters["href"] = _href
    env.filters["view_path"] = view_path
    env.filters["join"] = _join
    env.filters["jsonld"] = _jsonld
    env.filters["key_safety"] = lambda entity: entity.key_safety()
    env.filters["place_notes"] = place_notes
    env.filters["verdict"] = lambda verdict: VERDICT_WORDS[verdict][0].capitalize()
    env.filters["changes"] = page_changes
    env.filters["counted"] = counted
    env.filters["the_sources"] = the_sources
    env.filters["sentence"] = sentence
    env.filters["rests_on"] = _rests_on
    env.filters["speaker"] = _speaker
    return env


def the_sources(page: Any, verb: str = "", start: bool = True) -> str:
    """ "The sources say" on a page with several sources, "The source says" on a page with one (`start`: capitalised).

    `verb` is given in the plural ("say", "do not"); it agrees with the number of the page's sources.
    """
    several = len(page.sources) > 1
    noun = "the sources" if several else "the source"
    if verb and not several:
        first, _, rest = verb.partition(" ")
        first = "does" if first == "do" else f"{first}s" if first in _VERBS else first
        verb = f"{first} {rest}".strip()
    text = f"{noun} {verb}".strip()
    return text[0].upper() + text[1:] if start else text


# Verbs `the_sources` puts in the singular; anything else (a participle: "named at the end") is left as it is.
_VERBS = frozenset({"say", "give", "list", "describe", "state"})


@jinja2.pass_context
def _rests_on(context: jinja2.runtime.Context, page: Entity) -> str:
    """What kind of source the page rests on, from each source's `kind`: "This page rests on a consumer drug page: ..."."""
    catalogue: Catalogue = context["catalogue"]
    kinds = list(dict.fromkeys(catalogue.sources[name].words.what for name in page.sources))
    return f"This page rests on {'; and '.join(kinds)}."


@jinja2.pass_context
def _speaker(context: jinja2.runtime.Context, page: Entity) -> str:
    """Who speaks in the sections the page shows as its first source's statements: "The product listing"."""
    speaker = context["catalogue"].sources[page.sources[0]].words.speaker
    return speaker[0].upper() + speaker[1:]


def _join(items: Any, separator: str = "") -> Markup:
    """Jinja's `join`, but each item made inert (the built-in one would only HTML-escape)."""
    return Markup(inert(separator)).join(inert(item) for item in items)


@jinja2.pass_context
def _jsonld(context: jinja2.runtime.Context, page: object) -> Markup:
    """The page's schema.org JSON-LD as a front matter string; empty unless the page is an entity."""
    return jsonld_front_matter(page, context["catalogue"])


@jinja2.pass_context
def _href(context: jinja2.runtime.Context, target: Entity | str) -> Markup:
    """Relative URL (to the Markdown file) of an entity or a docs-root path, from the current page.

    Paths are built from validated slugs, so they are safe as they are.
    """
    catalogue: Catalogue = context["catalogue"]
    path = catalogue.path_of(target) if isinstance(target, Entity) else target
    return Markup(relative_link(path, context["here"]))


@jinja2.pass_context
def _link(context: jinja2.runtime.Context, target: Entity, text: str | None = None) -> Markup:
    """A Markdown link to an entity's page, its text made inert."""
    return Markup(f"[{inert(text or target.title)}]({_href(context, target)})")


# Pages rendered earlier in this process (`serve`), keyed by everything such a page reads: the
# templates, the files of the entities it shows, and what it reads of the others
# (Catalogue.link_key, Catalogue.neighbour_key).
_RENDERED: Memo[str] = Memo()


def render_site(catalogue: Catalogue, today: datetime.date | None = None) -> RenderedSite:
    """Render every page of the site, from the catalogue alone (no git, no clock).

    Given `today` (the build's date), a page whose next review is before it tells readers so.
    """
    env = environment()
    site = RenderedSite()
    common = {"today": today, "catalogue": catalogue, "kinds": KINDS, "named": _named(catalogue), "source_ids": _source_ids(catalogue)}

    def render(path: str, template: str, **context: Any) -> str:
        anchors = PageAnchors(_fixed_ids(template))  # unique ids on every page, whatever the texts they come from
        return env.get_template(template).render(here=path, anchors=anchors, **common, **context)

    def add(path: str, template: str, shows: list[Entity] | None = None, **context: Any) -> None:
        """Render a page; with `shows` (the entities it lists), remember it until one of them or a link fact changes."""
        make = functools.partial(render, path, template, **context)
        if shows is None:
            site.pages[path] = make()
            return
        page = context["page"]
        key = digest(templates_key, catalogue.link_key, path, repr(page), *(catalogue.digest_of(entity) for entity in shows))
        site.pages[path] = _RENDERED.get(key, make)

    # Every listing's pages (itself, or itself and one page per letter), for the navigation too.
    splits = listing_parts(catalogue)
    templates_key = digest(str(today), *(part for path in sorted(TEMPLATES.glob("*.j2")) for part in (path.name, path.read_bytes())))

    for page in catalogue.pages:
        add(page.path, "page.md.j2", page=page)
    entity_pages: list[tuple[str, str, Callable[[], str]]] = []  # (path, memo key, render)
    for kind, model in KINDS.items():
        entities = catalogue.of_kind(kind)
        summary = f"All {model.label.lower()} on this site, A to Z."
        for part in splits[_index_page(model)]:
            listing = Listing.of_part(model.label, summary, part, part.items or entities, catalogue)
            add(part.path, "kind-index.md.j2", part.items or entities, page=listing, entities=part.items, letters=part.letters, model=model)
        for entity in entities:
            path = catalogue.path_of(entity)
            views = {view: view_path(path, view) for view in model.views}
            for here, template in [(path, f"{kind}.md.j2"), *((views[view], f"{kind}-{view}.md.j2") for view in model.views)]:
                key = digest(templates_key, catalogue.link_key, catalogue.neighbour_key(entity), catalogue.digest_of(entity), here)
                make = functools.partial(render, here, template, page=entity, data_json=entity_json_path(catalogue, entity), views=views, entity_path=path)
                site.pages[here] = ""  # rendered below, all at once, keeping this order
                entity_pages.append((here, key, make))
            site.not_in_nav.update(views.values())
    # Entity pages are nearly all of a catalogue's pages, and each reads only the catalogue: render
    # those not remembered from an earlier generation (`serve`) on every core.
    known = {key: _RENDERED.items[key] for _, key, _ in entity_pages if key in _RENDERED.items}
    todo = [(key, make) for _, key, make in entity_pages if key not in known]
    known.update(zip((key for key, _ in todo), fork_map(lambda i: todo[i][1](), len(todo), smallest=RENDER_FORK_FROM), strict=True))
    for here, key, _ in entity_pages:
        site.pages[here] = _RENDERED.get(key, functools.partial(known.__getitem__, key))
    for kind, model in KINDS.items():
        for section_listing in model.listings:
            for part in splits[listing_path(model, section_listing)]:
                shown = [section_listing.entity_of(row) for row in part.items] or catalogue.of_kind(kind)
                listing = Listing.of_part(section_listing.title, section_listing.summary, part, shown, catalogue)
                add(part.path, section_listing.template, shown, rows=part.items, letters=part.letters, page=listing, model=model)
    add(
        CHANGES_PAGE,
        "changes.md.j2",
        catalogue.all(),
        changes=recent_changes(catalogue),
        limit=RECENT,
        reviewed=sorted(catalogue.all(), key=lambda e: (-e.last_reviewed.toordinal(), e.title.casefold()))[:RECENT],
        page=Listing.of("Recent changes", "Changes to this site's pages that matter to readers, newest first, with the page of each.", [], catalogue),
    )
    summary = "Every drug, substance, procedure, condition and clinic name on this site, including alternate spellings."
    for part in splits[A_TO_Z_PAGE]:
        shown = [entity for _, entity, _ in part.items]
        listing = Listing.of_part("A–Z index", summary, part, shown, catalogue)
        add(part.path, "a-z.md.j2", shown or catalogue.all(), entries=_grouped(part.items), letters=part.letters, page=listing)
    add(
        SOURCES_PAGE,
        "sources.md.j2",
        used_on={name: [e for e in catalogue.all() if name in e.sources] for name in catalogue.sources},
        split_at=SPLIT_AT,
        page=Listing.of("Sources", "The source documents every fact on this site comes from, their known defects, and the pages that use each.", [], catalogue),
    )
    # Reached from the About page, not the navigation; a build with the offline zip replaces it (pages/downloads.py).
    site.pages[DOWNLOADS_PAGE] = downloads_markdown()
    site.not_in_nav.add(DOWNLOADS_PAGE)
    site.nav = _navigation(catalogue)
    site.not_in_nav |= {part.path for parts in splits.values() for part in parts if part.letter}
    site.not_in_nav |= {catalogue.path_of(e) for kind in KINDS for e in catalogue.of_kind(kind)} - {
        catalogue.path_of(e) for kind in KINDS for e in _entities_in_nav(catalogue, kind)
    }
    site.files = api_files(catalogue)
    site.redirects = redirects(catalogue)
    return site


def redirects(catalogue: Catalogue) -> dict[str, tuple[str, str]]:
    """Every renamed entity's old page paths (its page and its further views) → (new path, title)."""
    moved = {}
    for entity in catalogue.all():
        path = catalogue.path_of(entity)
        for old in entity.renamed_from:
            old_path = f"{entity.section}/{old}.md"
            moved[old_path] = (path, entity.title)
            moved.update({view_path(old_path, view): (view_path(path, view), entity.title) for view in entity.views})
    return moved


def view_path(path: str, view: str) -> str:
    """Where an entity's further page `view` goes: `drugs/ceraxon.md` → `drugs/ceraxon/professional.md`."""
    return f"{path.removesuffix('.md')}/{view}.md"


# Ids a template writes itself, `{#dosage}`: no anchor made from a text may take one.
_FIXED_ID = re.compile(r"\{#([A-Za-z0-9_-]+)\}")


def _fixed_ids(template: str) -> frozenset[str]:
    """The ids `template` and the shared macros write themselves (read again when a template file changes, as in `serve`)."""
    files = [TEMPLATES / template, TEMPLATES / "_macros.md.j2"]
    return _fixed_ids_in(tuple((path, path.stat().st_mtime_ns) for path in files))


@functools.lru_cache(maxsize=64)
def _fixed_ids_in(files: tuple[tuple[Path, int], ...]) -> frozenset[str]:
    return frozenset(found for path, _ in files for found in _FIXED_ID.findall(path.read_text(encoding="utf-8")))


def _source_ids(catalogue: Catalogue) -> dict[str, str]:
    """Each source's id on the Sources page, which every page links to: unique though two file names give the same anchor."""
    anchors = PageAnchors(_fixed_ids("sources.md.j2"))
    return {name: anchors(name, name) for name in catalogue.sources}


def _index_page(model: type[Entity]) -> str:
    """A kind's listing: `drugs/index.md`."""
    return f"{model.section}/{names.SECTION_INDEX}.md"


def listing_path(model: type[Entity], listing: SectionListing | str) -> str:
    """A further listing of a kind's section (its `listings`, or one by name): `drugs/compare.md`."""
    return f"{model.section}/{listing if isinstance(listing, str) else listing.name}.md"


def listing_parts(catalogue: Catalogue) -> dict[str, list[ListingPart[Any]]]:
    """Every listing split by letter when long, by its path: its pages (itself, or itself then one page per letter)."""
    parts: dict[str, list[ListingPart[Any]]] = {}
    for kind, model in KINDS.items():
        parts[_index_page(model)] = by_letter(_index_page(model), catalogue.of_kind(kind), _title)
        for listing in model.listings:
            rows = listing.rows(catalogue.of_kind(kind), catalogue)
            parts[listing_path(model, listing)] = by_letter(listing_path(model, listing), rows, functools.partial(_title_of_row, listing))
    parts[A_TO_Z_PAGE] = by_letter(A_TO_Z_PAGE, _a_to_z(catalogue), lambda entry: entry[0])
    return parts


def site_paths(catalogue: Catalogue) -> set[str]:
    """The docs path of every page and data file the site will have, without rendering one."""
    paths = {page.path for page in catalogue.pages} | {catalogue.path_of(entity) for entity in catalogue.all()}
    paths |= {view_path(catalogue.path_of(entity), view) for entity in catalogue.all() for view in type(entity).views}
    paths |= {part.path for parts in listing_parts(catalogue).values() for part in parts}
    return paths | {CHANGES_PAGE, SOURCES_PAGE, DOWNLOADS_PAGE} | api_paths(catalogue)


def _title(entity: Entity) -> str:
    return entity.title


def _title_of_row(listing: SectionListing, row: Any) -> str:
    return listing.entity_of(row).title


def _named(catalogue: Catalogue) -> dict[str, dict[str, Entity]]:
    """Every name (case-insensitive) that leads to one page, by kind, so a name a page mentions links when we have its page (a drug's analogues)."""
    return {kind: catalogue.by_name(kind) for kind in KINDS}


def _a_to_z(catalogue: Catalogue) -> list[tuple[str, Entity, str]]:
    """(name, entity, note) for every name and alias, A to Z; a name several entities share has each one's note (`Entity.name_note`)."""
    entries = sorted({(name, id(e)): (name, e) for e in catalogue.all() for name in e.names()}.values(), key=lambda item: (item[0].casefold(), item[1].title))
    shared = Counter(name.casefold() for name, _ in entries)
    return [(name, entity, entity.name_note(name) if shared[name.casefold()] > 1 else "") for name, entity in entries]


def _grouped(entries: list[tuple[str, Entity, str]]) -> list[tuple[str, list[tuple[str, Entity, str]]]]:
    """(letter, [(name, entity, note)]) grouped by first letter."""
    letters: dict[str, list[tuple[str, Entity, str]]] = {}
    for entry in entries:
        letters.setdefault(letter_of(entry[0]), []).append(entry)
    return sorted(letters.items())


def _entities_in_nav(catalogue: Catalogue, kind: str) -> list[Entity]:
    """A kind's entities the navigation lists: all of them while they are few, else none."""
    entities = catalogue.of_kind(kind)
    return entities if len(entities) <= NAV_ENTITIES_UP_TO else []


def _navigation(catalogue: Catalogue) -> list[NavItem | str]:
    """Home, one section per kind (its index, and its entities while few), then the site-wide pages.

    Every page renders the whole navigation (each kind is a section), so it holds only pages whose
    number does not grow with the catalogue: the letter pages of a split listing are reached from its
    first page, and a kind's entities from its listing once there are more than `NAV_ENTITIES_UP_TO`.
    """
    pages = {page.slug for page in catalogue.pages}
    nav: list[NavItem | str] = ["index.md"] if "index" in pages else []
    for model in KINDS.values():
        # Bare paths: the engine takes each title from the page itself, already escaped.
        children: list[NavItem | str] = [_index_page(model)]
        children += [listing_path(model, listing) for listing in model.listings]
        children += [catalogue.path_of(e) for e in _entities_in_nav(catalogue, model.kind)]
        nav.append({model.label: children} if len(children) > 1 else children[0])  # a lone index needs no section
    nav += [A_TO_Z_PAGE, SOURCES_PAGE, CHANGES_PAGE]
    about: list[NavItem | str] = [p.path for p in catalogue.pages if p.slug != "index"]
    if about:
        nav.append({"About": about})
    return nav
