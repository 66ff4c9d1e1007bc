"""Where one project's inputs and outputs live, passed to every step instead of module globals."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

# The project this package sits in; the default for the command line and MkDocs hooks.
PACKAGE_ROOT = Path(__file__).resolve().parent.parent
# Set by `--content DIR` for a plain `mkdocs build`/`serve` run by hand, which has no other way to be told.
CONTENT_ENV = "MEDSITE_CONTENT"
# The folder of source documents the registry names, when it is not `shared/sources` beside the checkout.
SOURCES_ENV = "MEDSITE_SOURCES"
SHARED_SOURCES = Path("shared") / "sources"


@dataclass(frozen=True)
class Project:
    """A checkout: its content folder, configs, and the folders builds write into."""

    root: Path
    content: Path

    @classmethod
    def at(cls, root: Path = PACKAGE_ROOT, content: Path | None = None) -> Project:
        """The project at `root`; `content` (else `$MEDSITE_CONTENT`, else `root/content`) is the content folder."""
        root = root.resolve()
        chosen = content or (Path(os.environ[CONTENT_ENV]) if os.environ.get(CONTENT_ENV) else None)
        return cls(root, chosen.resolve() if chosen else root / "content")

    @property
    def sources(self) -> Path | None:
        """The source documents `content/sources.yaml` lists: `$MEDSITE_SOURCES`, else the nearest
        `shared/sources/` beside the project or a folder above it (`../shared/sources/` for the main
        checkout, `../../shared/sources/` for a worktree under it); None where there is none (a CI
        runner), and for another content folder (`--content`: a synthetic catalogue has its own sources).
        """
        if os.environ.get(SOURCES_ENV):
            return Path(os.environ[SOURCES_ENV]).resolve()
        if self.content != self.root / "content":
            return None
        return next((folder / SHARED_SOURCES for folder in self.root.parents if (folder / SHARED_SOURCES).is_dir()), None)

    @property
    def build(self) -> Path:
        """Scratch space of builds: generated Markdown, caches, staging folders."""
        return self.root / "build"

    @property
    def docs_dir(self) -> Path:
        """The generated Markdown the engine reads (`docs_dir` in mkdocs.yml)."""
        return self.build / "docs"

    @property
    def cache_dir(self) -> Path:
        """Caches kept between builds: the stored generation and the page caches, one per output folder."""
        return self.build / "cache"

    @property
    def config(self) -> Path:
        """The public site's engine config."""
        return self.root / "mkdocs.yml"

    @property
    def overrides(self) -> Path:
        """Theme overrides (`custom_dir`)."""
        return self.root / "site-overrides"

    def watched(self) -> list[Path]:
        """Every folder and file whose change changes the site: what a live preview watches."""
        from generator.pages.render import TEMPLATES

        return [self.content, TEMPLATES, self.overrides, self.config]
