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
from collections.abc import Iterable
from typing import Any

from markupsafe import Markup

from generator.content.catalogue import Catalogue
from generator.content.models import Condition, DrugMonograph, Entity, FaqPage, Procedure, Provider, Statement
from generator.content.models.condition import PrevalenceFigure
from generator.content.models.drug import Dosage
from generator.content.models.procedure import ProcedureStep

JsonLd = dict[str, Any]

CONTEXT = "https://schema.org"
# The page's subject: a fragment of the page's own URL, so `about` can point at `mainEntity`.
SUBJECT_ID = "#subject"

# Content values map onto the vocabulary's DrugPrescriptionStatus members; "not stated" maps to nothing.
PRESCRIPTION_STATUS = {"prescription": f"{CONTEXT}/PrescriptionOnly", "non-prescription": f"{CONTEXT}/OTC"}

# A strength that is exactly "<number> <unit>" (e.g. "0.1 mg/ml") is also given as value and unit.
_STRENGTH = re.compile(r"(\d+(?:\.\d+)?) (\S+)")
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
    if isinstance(entity, FaqPage):
        page["@type"] = "FAQPage"
        page.update(_faq(entity, catalogue))
        return page
    subject = _subject(entity, catalogue)
    page["about"] = {"@id": SUBJECT_ID}
    page["mainEntity"] = {"@id": SUBJECT_ID, **subject}
    return page


def _subject(entity: Entity, catalogue: Catalogue) -> JsonLd:
    """The thing an entity page is about, by kind."""
    if isinstance(entity, DrugMonograph):
        return _drug(entity)
    if isinstance(entity, Procedure):
        return _procedure(entity, catalogue)
    if isinstance(entity, Condition):
        return _condition(entity, catalogue)
    if isinstance(entity, Provider):
        return _provider(entity, catalogue)
    raise TypeError(f"no JSON-LD mapping for {type(entity).__name__}")


def _drug(drug: DrugMonograph) -> JsonLd:
    """A `Drug`. schema.org's Drug has no indication or contraindication property, so
    contraindications and cautions go into `warning`, each labelled as what it is.

    `nonProprietaryName` is not given: the model's `active_substance` is sometimes a description
    (e.g. "Proteins and polypeptides of the embryonic brain of animal origin") rather than a
    generic name, and the data does not say which; `activeIngredient` carries it as stated.
    """
    routes = list(dict.fromkeys(route for form in drug.dosage_forms for route in form.routes))
    return _compact(
        {
            "@type": "Drug",
            "name": drug.title,
            "proprietaryName": drug.trade_names,
            "alternateName": drug.aliases,
            "activeIngredient": drug.active_substance,
            "drugClass": {"@type": "DrugClass", "name": drug.pharmacotherapeutic_group},
            "prescriptionStatus": PRESCRIPTION_STATUS.get(drug.prescription_status),
            "dosageForm": [form.name for form in drug.dosage_forms],
            "administrationRoute": routes,
            "availableStrength": [_strength(drug, form.id, text) for form in drug.dosage_forms for text in form.strengths],
            "doseSchedule": [_dose(drug, dose) for dose in drug.dosage],
            "warning": [
                *(f"Contraindication: {_per_form(drug, item)}" for item in drug.contraindications),
                *(f"Caution: {_per_form(drug, item)}" for item in drug.cautions),
            ],
            "pregnancyWarning": [_per_form(drug, item) for item in drug.pregnancy_lactation],
            "interactingDrug": [{"@type": "Drug", "name": item.agent, "description": item.effect} for item in drug.interactions],
            "overdosage": _paragraphs(drug.overdose),
            "clinicalPharmacology": _paragraphs([*drug.pharmacodynamics, *drug.pharmacokinetics]),
        }
    )


def _strength(drug: DrugMonograph, form_id: str, text: str) -> JsonLd:
    """A `DrugStrength` named as the source states it; its ingredient when the form has exactly one."""
    actives = {item.name for part in drug.composition if not part.forms or form_id in part.forms for item in part.active}
    strength: JsonLd = {"@type": "DrugStrength", "name": text}
    if len(actives) == 1:
        strength["activeIngredient"] = actives.pop()
    if match := _STRENGTH.fullmatch(text):
        strength["strengthValue"] = float(match[1]) if "." in match[1] else int(match[1])
        strength["strengthUnit"] = match[2]
    return strength


def _dose(drug: DrugMonograph, dose: Dosage) -> JsonLd:
    """A `DoseSchedule`: the dose text, prefixed by the forms and indication it is for."""
    scope = "; ".join([*(drug.form_names(dose.forms) if dose.forms else []), *([dose.indication] if dose.indication else [])])
    return _compact(
        {
            "@type": "DoseSchedule",
            "description": f"{scope}: {dose.text}" if scope else dose.text,
            "targetPopulation": dose.population,
        }
    )


def _per_form(drug: DrugMonograph, item: Statement) -> str:
    """A statement's text, with the forms it is limited to (as on the page)."""
    return f"{item.text} (applies to: {'; '.join(drug.form_names(item.forms))})" if item.forms else item.text


def _procedure(procedure: Procedure, catalogue: Catalogue) -> JsonLd:
    """A `MedicalTherapy` (a kind of MedicalProcedure), given as its provider describes it.

    MedicalTherapy has no `provider` property; the clinic is linked the other way round, as the
    `MedicalClinic` whose `availableService` this therapy is (`@reverse`).
    """
    provider = catalogue.get("provider", procedure.provider)
    how = [
        *([f"Route of administration: {'; '.join(procedure.routes)}"] if procedure.routes else []),
        *(_step(step) for step in procedure.steps),
        *([f"Length of stay: {procedure.length_of_stay}"] if procedure.length_of_stay else []),
        *([f"Course duration: {procedure.course_duration}"] if procedure.course_duration else []),
        *([f"Number of sessions: {procedure.sessions}"] if procedure.sessions else []),
    ]
    return _compact(
        {
            "@type": "MedicalTherapy",
            "name": procedure.title,
            "alternateName": procedure.also_known_as,
            "description": _paragraphs(procedure.description),
            "status": procedure.status,
            "howPerformed": how,
            "contraindication": procedure.contraindications,
            "adverseOutcome": [_reaction(item.reaction, item.frequency, item.course) for item in procedure.reactions],
            "followup": [*procedure.aftercare, *procedure.aftercare_notes],
            "@reverse": {"availableService": _named("MedicalClinic", provider.title)},
        }
    )


def _step(step: ProcedureStep) -> str:
    """One step as one text: title, duration, then its details and items."""
    head = f"{step.title} (duration: {step.duration})" if step.duration else step.title
    body = " ".join([*step.details, *(_sentence(item) for item in step.items)])
    return f"{head}: {body}" if body else head


def _reaction(reaction: str, frequency: str | None, course: str | None) -> JsonLd:
    """A possible reaction as a `MedicalSignOrSymptom`, with how often and how long when stated."""
    details = [*([f"How often: {frequency}"] if frequency else []), *([f"Course: {course}"] if course else [])]
    return _compact({"@type": "MedicalSignOrSymptom", "name": reaction, "description": " ".join(map(_sentence, details))})


def _named(schema_type: str, name: str) -> JsonLd:
    """A node named, not described (an entity's own page has the details)."""
    return {"@type": schema_type, "name": name}


def _condition(condition: Condition, catalogue: Catalogue) -> JsonLd:
    """A `MedicalCondition`; list items become typed nodes where the property's range is a type."""
    treatments = [
        *(_named("MedicalTherapy", name) for name in condition.treatment_methods),
        *(_named("MedicalTherapy", catalogue.get("procedure", slug).title) for slug in condition.related_procedures),
    ]
    return _compact(
        {
            "@type": "MedicalCondition",
            "name": condition.title,
            "alternateName": condition.also_known_as,
            "description": _paragraphs(condition.definition),
            "signOrSymptom": [{"@type": "MedicalSignOrSymptom", "name": name} for name in condition.symptom_list],
            "riskFactor": [{"@type": "MedicalRiskFactor", "name": item} for group in condition.risk_factor_groups for item in group.items],
            "possibleComplication": _paragraphs(condition.complications),
            "possibleTreatment": treatments,
            "epidemiology": [_prevalence(item) for item in condition.prevalence],
        }
    )


def _prevalence(item: PrevalenceFigure) -> str:
    """A prevalence figure with its population, region and year as stated."""
    context = [item.population, item.region, *([str(item.year)] if item.year else []), *([item.period_note] if item.period_note else [])]
    return f"{item.figure} ({', '.join(context)})"


def _provider(provider: Provider, catalogue: Catalogue) -> JsonLd:
    """A `MedicalClinic`. Its services are the procedures that name it.

    `languages` is not mapped to `knowsLanguage`: the content records the languages of the
    clinic's website, not the languages spoken there.
    """
    address = provider.address
    postal = None
    if address:
        postal = _compact(
            {
                "@type": "PostalAddress",
                "addressCountry": address.country,
                "addressRegion": address.region,
                "addressLocality": address.locality,
                "streetAddress": address.street,
            }
        )
    return _compact(
        {
            "@type": "MedicalClinic",
            "name": provider.title,
            "alternateName": provider.also_known_as,
            "description": _paragraphs(provider.description),
            "address": postal,
            "telephone": provider.phones,
            "availableService": [_named("MedicalTherapy", p.title) for p in catalogue.linked_from(provider, "procedure")],
        }
    )


def _faq(faq: FaqPage, catalogue: Catalogue) -> JsonLd:
    """`mainEntity` of an `FAQPage`: every question, its answer credited to the provider if any."""
    author = _named("MedicalClinic", catalogue.get("provider", faq.provider).title) if faq.provider else None
    questions = [
        {
            "@type": "Question",
            "name": item.question,
            "acceptedAnswer": _compact({"@type": "Answer", "text": _paragraphs(item.answer), "author": author}),
        }
        for group in faq.groups
        for item in group.questions
    ]
    return _compact(
        {
            "mainEntity": questions,
            "about": [_named("MedicalTherapy", catalogue.get("procedure", slug).title) for slug in faq.related_procedures],
        }
    )


def _paragraphs(items: Iterable[str]) -> str | None:
    """Paragraphs as one text, blank-line separated; None when there are none."""
    return "\n\n".join(items) or None


def _sentence(text: str) -> str:
    """Text ending in a full stop, so that joined items stay apart."""
    return text if text.endswith((".", "!", "?")) else f"{text}."


def _compact(node: JsonLd) -> JsonLd:
    """Drop properties the content does not give (None, empty text or empty list)."""
    return {key: value for key, value in node.items() if value not in (None, "", [], {})}


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
