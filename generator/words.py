"""Words for numbers: `1 problem`, `4 problems`, never `problem(s)`."""

from __future__ import annotations


def counted(count: int, singular: str, plural: str | None = None) -> str:
    """`4 interactions`, `1 monograph`: a number with its noun in the right number."""
    return f"{count} {singular if count == 1 else plural or singular + 's'}"
