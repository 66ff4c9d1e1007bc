"""The interaction overview: every interaction a monograph on this site states, one row each.

It reports what the sources say, in their words; it does not infer, combine or rate interactions
(it is not an interaction checker, and the page says so).
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.content.catalogue import Catalogue
from generator.content.models import DrugMonograph
from generator.content.names import INTERACTIONS

OVERVIEW_PAGE = f"{DrugMonograph.section}/{INTERACTIONS}.md"


@dataclass(frozen=True)
class InteractionRow:
    """`drug`'s monograph says that with `agent`, `effect`; `other` is the agent's page when we have one."""

    drug: DrugMonograph
    agent: str
    effect: str
    other: DrugMonograph | None


def interaction_rows(catalogue: Catalogue) -> list[InteractionRow]:
    """Rows by monograph title, each monograph's interactions in the order it gives them.

    The other agent links to a page when the interaction names its slug (`drug:`) or when the
    agent is exactly one of a drug's names (title, trade name, alias, substance), never to itself.
    """
    drugs: list[DrugMonograph] = catalogue.of_kind("drug")  # type: ignore[assignment]
    by_name = catalogue.by_name("drug")
    rows = []
    for drug in drugs:
        for item in drug.interactions:
            other = catalogue.get("drug", item.drug) if item.drug else by_name.get(item.agent.casefold())
            rows.append(InteractionRow(drug, item.agent, item.effect, other if other is not drug else None))  # type: ignore[arg-type]
    return rows
