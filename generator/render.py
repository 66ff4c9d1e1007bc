"""Step 3, render: the catalogue → Markdown pages (path → text) and a navigation tree.

One template per content kind (`templates/<kind>.md.j2`) plus the generated listing pages.
The output is plain Markdown with YAML front matter; nothing here knows about MkDocs.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from .catalogue import Catalogue
from .jsonld import jsonld_front_matter
from .markdown import anchor_id, front_matter_text, inert, relative_link
from .models import KINDS, DrugMonograph, Entity

TEMPLATES = Path(__file__).parent / "templates"

NavItem = dict[str, list[Any]]  # {"Section": [children]}; leaves are bare page paths (MkDocs' nav shape)


@dataclass
class RenderedSite:
    """Every page's Markdown by output path, and the navigation in MkDocs' `nav` shape."""

    pages: dict[str, str] = field(default_factory=dict)
    nav: list[NavItem | str] = field(default_factory=list)


@dataclass(frozen=True)
class Listing:
    """The trust fields of a generated page that lists entities rather than being one."""

    title: str
    summary: str
    sources: list[str]
    last_reviewed: datetime.date
    next_review: datetime.date

    @classmethod
    def of(cls, title: str, summary: str, entities: list[Entity], catalogue: Catalogue) -> Listing:
        """A listing's sources are its entities'; it is as current as the oldest of them."""
        members = entities or catalogue.all()
        sources = sorted({name for e in members for name in e.sources})
        return cls(title, summary, sources, min(e.last_reviewed for e in members), min(e.next_review for e in members))


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
    env.filters["anchor"] = anchor_id
    env.filters["link"] = _link
    env.filters["href"] = _href
    env.filters["join"] = _join
    env.filters["jsonld"] = _jsonld
    return env


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


def render_site(catalogue: Catalogue) -> RenderedSite:
    """Render every page of the site."""
    env = environment()
    site = RenderedSite()
    common = {"catalogue": catalogue, "kinds": KINDS, "drug_names": _drug_names(catalogue)}

    def add(path: str, template: str, **context: Any) -> None:
        site.pages[path] = env.get_template(template).render(here=path, **common, **context)

    for page in catalogue.pages:
        add(page.path, "page.md.j2", page=page)
    for kind, model in KINDS.items():
        entities = catalogue.of_kind(kind)
        listing = Listing.of(model.label, f"All {model.label.lower()} on this site, A to Z.", entities, catalogue)
        add(f"{model.section}/index.md", "kind-index.md.j2", page=listing, entities=entities, model=model)
        for entity in entities:
            add(catalogue.path_of(entity), f"{kind}.md.j2", page=entity)
    drugs = catalogue.of_kind("drug")
    add(
        "drugs/compare.md",
        "drug-comparison.md.j2",
        drugs=drugs,
        page=Listing.of(
            "Drug comparison", "Drugs on this site side by side: substance, group, forms, routes, prescription status and key restrictions.", drugs, catalogue
        ),
    )
    add(
        "a-z.md",
        "a-z.md.j2",
        entries=_a_to_z(catalogue),
        page=Listing.of("A–Z index", "Every drug, substance, procedure, condition and clinic name on this site, including alternate spellings.", [], catalogue),
    )
    add(
        "sources.md",
        "sources.md.j2",
        page=Listing.of("Sources", "The source documents every fact on this site comes from, their known defects, and the pages that use each.", [], catalogue),
    )
    site.nav = _navigation(catalogue)
    return site


def _drug_names(catalogue: Catalogue) -> dict[str, DrugMonograph]:
    """Every name of every drug (case-insensitive), so analogues link when we have a page."""
    return {name.casefold(): drug for drug in catalogue.of_kind("drug") for name in drug.names()}  # type: ignore[misc]


def _a_to_z(catalogue: Catalogue) -> list[tuple[str, list[tuple[str, Entity]]]]:
    """(letter, [(name, entity)]) for every name and alias, grouped by first letter."""
    entries = sorted({(name, id(e)): (name, e) for e in catalogue.all() for name in e.names()}.values(), key=lambda item: (item[0].casefold(), item[1].title))
    letters: dict[str, list[tuple[str, Entity]]] = {}
    for name, entity in entries:
        first = name[:1].upper()
        letters.setdefault(first if first.isalpha() else "#", []).append((name, entity))
    return sorted(letters.items())


def _navigation(catalogue: Catalogue) -> list[NavItem | str]:
    """Home, one section per kind (index first), then the site-wide pages."""
    pages = {page.slug for page in catalogue.pages}
    nav: list[NavItem | str] = ["index.md"] if "index" in pages else []
    for model in KINDS.values():
        # Bare paths: the engine takes each title from the page itself, already escaped.
        children: list[NavItem | str] = [f"{model.section}/index.md"]
        if model.kind == "drug":
            children.append("drugs/compare.md")
        children += [catalogue.path_of(e) for e in catalogue.of_kind(model.kind)]
        nav.append({model.label: children})
    nav += ["a-z.md", "sources.md"]
    about: list[NavItem | str] = [p.path for p in catalogue.pages if p.slug != "index"]
    if about:
        nav.append({"About": about})
    return nav
