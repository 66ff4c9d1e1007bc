"""One model per content kind; `KINDS` maps the folder name under `content/` to its model.

A kind is a module here with one `Entity` subclass, a template `pages/templates/<kind>.md.j2`,
and its name in `KIND_MODULES`: that one line registers it everywhere (loading, validation,
pages, navigation, JSON export, JSON-LD, schemas, `new`).
"""

from __future__ import annotations

import importlib

from .common import ChangeNote, EditorialNote, Entity, Location, Reference, Statement
from .condition import Condition
from .drug import DrugMonograph
from .faq import FaqPage
from .page import PageFrontMatter
from .procedure import Procedure
from .provider import Provider
from .source import SourceDocument, SourceRegistry

# The registered kinds, in the order of the navigation and listings.
KIND_MODULES = ("drug", "procedure", "condition", "faq", "provider")


def _model_of(module_name: str) -> type[Entity]:
    """The one Entity subclass with a `kind` defined in the module `module_name`."""
    module = importlib.import_module(f"{__name__}.{module_name}")
    (model,) = [
        value
        for value in vars(module).values()
        if isinstance(value, type) and issubclass(value, Entity) and value.__module__ == module.__name__ and "kind" in value.__dict__
    ]
    return model


KINDS: dict[str, type[Entity]] = {model.kind: model for model in map(_model_of, KIND_MODULES)}

__all__ = [
    "KINDS",
    "ChangeNote",
    "Condition",
    "DrugMonograph",
    "EditorialNote",
    "Entity",
    "FaqPage",
    "Location",
    "PageFrontMatter",
    "Procedure",
    "Provider",
    "Reference",
    "SourceDocument",
    "SourceRegistry",
    "Statement",
]
