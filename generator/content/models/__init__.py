"""One model per content kind; `KINDS` maps the folder name under `content/` to its model."""

from .common import EditorialNote, Entity, Location, Reference, Statement
from .condition import Condition
from .drug import DrugMonograph
from .faq import FaqPage
from .page import PageFrontMatter
from .procedure import Procedure
from .provider import Provider
from .source import SourceDocument, SourceRegistry

KINDS: dict[str, type[Entity]] = {model.kind: model for model in (DrugMonograph, Procedure, Condition, FaqPage, Provider)}

__all__ = [
    "KINDS",
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
