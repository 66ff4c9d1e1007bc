"""Layer 3, site engines: turn the written Markdown into HTML.

MkDocs (with Material) is the default, every use of its internals in `mkdocs_adapter`;
ProperDocs is the same adapter on the maintained fork of MkDocs 1.6; Zensical reads the same
`mkdocs.yml` in a process of its own. Nothing outside this folder imports an engine.
"""

from __future__ import annotations

ENGINES = ("mkdocs", "properdocs", "zensical")


class UnsupportedEngine(Exception):
    """The installed engine or theme is a version the adapter was not tested with."""


def use_engine(name: str) -> None:
    """Make `name` the engine for this process; call before anything imports `mkdocs`.

    ProperDocs ships an import hook that serves every `mkdocs.*` import (ours, Material's) from
    `properdocs.*`, so the adapter and the theme run on it unchanged.
    """
    if name == "properdocs":
        import properdocs.replacement  # noqa: F401
