"""schema.org JSON-LD for every entity page, built from the model data only.

Each entity page is a `MedicalWebPage` (a question-and-answer page is an `FAQPage`) whose `about`
and `mainEntity` is the entity: a `Drug`, a `MedicalTherapy`, a `MedicalCondition` or a
`MedicalClinic`. Only properties the schema.org vocabulary allows on each type are used (checked
by `tests/test_jsonld.py` against the vocabulary itself), and a field the content leaves out is
left out here too: nothing is guessed, so a drug whose prescription status is "not stated" has no
`prescriptionStatus`, and a clinic without an address has no `address`.

The JSON-LD travels to the theme as one front matter string (`jsonld`), serialised by
`script_json` so that it is reproducible and can never end the `<script>` element it is put in.
"""

from __future__ import annotations

import json
import re

from markupsafe import Markup

from generator.content.catalogue import Catalogue
from generator.content.models import Entity
from generator.content.models.vocabulary import SCHEMA_ORG as CONTEXT
from generator.content.models.vocabulary import JsonLd

# Characters escaped as \uXXXX in the JSON text: `<`, `>` and `&` so that the text can never close
# or open an HTML element; `=` so that no attribute-like text (`onclick=`, `src='//...'`) appears
# in the HTML at all, as `markdown.inert` does for the page body; and characters YAML treats as line
# breaks or refuses (DEL, C1 controls, U+2028/U+2029, BOM, non-characters), so the text survives
# the front matter unchanged.
_UNSAFE = re.compile("[<>&=\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")


def jsonld_for(entity: Entity, catalogue: Catalogue) -> JsonLd:
    """The JSON-LD document (with `@context`) of an entity's page.

    The page carries no `url`: the render step does not know where the site is served from, and
    a relative URL in JSON-LD would resolve against the page's own address. The subject's `@id`
    is a fragment of the page's address, which is right wherever the page is served.
    """
    page: JsonLd = {
        "@context": CONTEXT,
        "@type": "MedicalWebPage",
        "name": entity.title,
        "description": entity.summary,
        "lastReviewed": entity.last_reviewed.isoformat(),
        "inLanguage": "en",
    }
    citations = [{"@type": "CreativeWork", "name": catalogue.sources[name].title} for name in entity.sources if name in catalogue.sources]
    if citations:
        page["citation"] = citations
    return entity.schema_org_page(page, catalogue)


def script_json(data: JsonLd) -> str:
    """Compact JSON with sorted keys, safe inside `<script>` and inside a YAML string.

    `<`, `>`, `&`, `=` (and characters YAML would alter) appear only inside JSON strings, so
    replacing them with `\\uXXXX` escapes leaves the same JSON value.
    """
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def front_matter_json(data: JsonLd) -> Markup:
    """The JSON-LD as a double-quoted YAML string whose value is `script_json(data)`.

    Unlike `markdown.front_matter_text` it is not HTML-escaped: the theme prints it inside
    `<script type="application/ld+json">`, where character references would not be decoded,
    and `script_json` already keeps it from ending that element. A JSON string literal is a
    valid YAML double-quoted scalar; `script_json` leaves no character YAML reads differently.
    """
    return Markup(json.dumps(script_json(data), ensure_ascii=False))


def jsonld_front_matter(page: object, catalogue: Catalogue) -> Markup:
    """`front_matter_json` of an entity's JSON-LD; empty for listing and hand-written pages."""
    return front_matter_json(jsonld_for(page, catalogue)) if isinstance(page, Entity) else Markup("")
