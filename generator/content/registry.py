"""What the source registry (`content/sources.yaml`) must be, beyond each entry's fields.

Entities cite a source by its file name, so the name must lead to one entry and one document:
a second entry with the same `file:` would silently take the first one's place on every page that
cites it, and an entry for a file that is not among the source documents traces facts to nothing.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from generator.content.load import RawContent
from generator.content.models import SourceRegistry
from generator.errors import ContentProblem


def registry_problems(raw: RawContent, registry: SourceRegistry) -> Iterator[ContentProblem]:
    """A problem for each duplicate `file:` and each file missing from the sources folder (when there is one to look in)."""
    assert raw.sources is not None
    origin = raw.sources
    first_line: dict[str, int] = {}
    for i, document in enumerate(registry.documents):
        line = origin.doc.line_of(("documents", i, "file"))
        if document.file in first_line:
            message = f"{document.file!r} is listed twice, first on line {first_line[document.file]} (expected one entry per source file: merge the two)"
            yield ContentProblem(origin.shown_path, line, f"documents[{i}].file", message)
            continue
        first_line[document.file] = line
        if raw.source_files is not None and document.file not in raw.source_files:
            close = difflib.get_close_matches(document.file, sorted(raw.source_files), n=1)
            hint = f"did you mean {close[0]!r}?" if close else "add the document there first"
            message = f"{document.file!r} is not in the sources folder {raw.sources_shown}/ (expected the file name of a document there: {hint})"
            yield ContentProblem(origin.shown_path, line, f"documents[{i}].file", message)
