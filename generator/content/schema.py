"""JSON Schema for every content file, exported from the models so editors' tools know each field.

`python -m generator schema` (`make schema`) writes `schema/<kind>.schema.json` for every content
kind and `schema/sources.schema.json` for `content/sources.yaml`. Every content file names its
schema on its first line (`# yaml-language-server: $schema=../../schema/drug.schema.json`), so the
YAML language server (VS Code's YAML extension and others) completes field names, shows each
field's description on hover and underlines mistakes as the editor types.

The files are committed and a test keeps them equal to what the models export; the output is
byte-stable (sorted keys, fixed indentation) so a regeneration with no model change is no diff.
The models stay the one reference: descriptions are their docstrings.
"""

from __future__ import annotations

import functools
import json
import os
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from generator.content.models import KINDS, SourceRegistry
from generator.content.models.common import ContentModel

SCHEMA_DIR = "schema"
SOURCES_SCHEMA = "sources"  # the schema name of content/sources.yaml
# Draft 7: the newest draft the YAML language server validates with (newer ones get a warning in
# the editor). Pydantic's output needs one adjustment for it, see `_draft7`.
DIALECT = "http://json-schema.org/draft-07/schema#"
SUFFIX = ".schema.json"
# The comment the YAML language server reads; it must be a comment so the YAML reader ignores it.
MODELINE = "# yaml-language-server: $schema="


def schema_models() -> dict[str, type[BaseModel]]:
    """Every schema name and the model it describes: one per content kind, plus the source registry."""
    return {**KINDS, SOURCES_SCHEMA: SourceRegistry}


class _ContentSchema(GenerateJsonSchema):
    """Pydantic's generator, plus what a model's own validators accept.

    A model with a short form (`ContentModel.short_form_schema`: a `Statement` as plain text, a dose's
    population as one word) is accepted in that form too, or every file that uses it would be underlined.
    """

    def model_schema(self, schema: core_schema.ModelSchema) -> JsonSchemaValue:
        json_schema = super().model_schema(schema)
        cls = schema["cls"]
        short = cls.short_form_schema() if issubclass(cls, ContentModel) else None
        if short is None:
            return json_schema
        labels = {key: json_schema.pop(key) for key in ("title", "description") if key in json_schema}
        return {**labels, "anyOf": [short, json_schema]}


def content_schema(name: str) -> dict[str, Any]:
    """The JSON Schema of one content file type, in field order (`name` is a kind or "sources")."""
    model = schema_models()[name]
    return {"$schema": DIALECT, **_draft7(model.model_json_schema(mode="validation", schema_generator=_ContentSchema))}


def _draft7(node: Any) -> Any:
    """Draft 7 ignores keywords next to `$ref`, so a field's description there would be lost: wrap the ref in `allOf`."""
    if isinstance(node, list):
        return [_draft7(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _draft7(value) for key, value in node.items()}
    if "$ref" in node and len(node) > 1:
        node = {**{k: v for k, v in node.items() if k != "$ref"}, "allOf": [{"$ref": node["$ref"]}]}
    return node


@functools.cache  # the models do not change while the process runs; every render publishes the schemas
def schema_text(name: str) -> str:
    """The committed text of one schema: sorted keys, two-space indent, trailing newline."""
    return json.dumps(content_schema(name), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def schema_files() -> dict[str, str]:
    """File name → text of every schema, e.g. `drug.schema.json`."""
    return {f"{name}{SUFFIX}": schema_text(name) for name in schema_models()}


def write_schemas(folder: Path) -> list[str]:
    """Make `folder` hold exactly the exported schemas; return the names whose bytes changed.

    Other `*.schema.json` files (a kind that no longer exists) are removed; nothing else is touched.
    """
    folder.mkdir(parents=True, exist_ok=True)
    files = schema_files()
    changed = []
    for name, text in files.items():
        target = folder / name
        data = text.encode("utf-8")
        if not target.is_file() or target.read_bytes() != data:
            target.write_bytes(data)
            changed.append(name)
    for stale in sorted(folder.glob(f"*{SUFFIX}")):
        if stale.name not in files:
            stale.unlink()
            changed.append(stale.name)
    return changed


# VS Code's settings, whose `yaml.schemas` maps each content folder to its schema (for files without the schema line).
EDITOR_SETTINGS = Path(".vscode") / "settings.json"


def editor_schema_map() -> dict[str, list[str]]:
    """`yaml.schemas`: each schema (relative to the project) → the content files it describes."""
    return {
        f"./{SCHEMA_DIR}/{name}{SUFFIX}": [f"content/{SOURCES_SCHEMA}.yaml"] if name == SOURCES_SCHEMA else [f"content/{name}/*.yaml", f"content/{name}/*.yml"]
        for name in schema_models()
    }


def write_editor_settings(path: Path) -> bool:
    """Set `yaml.schemas` in the editor settings at `path` to `editor_schema_map()`, keeping every
    other setting; return whether the file changed."""
    settings = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    text = json.dumps({**settings, "yaml.schemas": editor_schema_map()}, indent=2, ensure_ascii=False) + "\n"
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return True


def schema_name_for(content_file: Path, content_dir: Path) -> str | None:
    """Which schema a content file follows: its kind folder's, "sources" for the registry, else None."""
    relative = content_file.relative_to(content_dir).parts
    if relative == ("sources.yaml",):
        return SOURCES_SCHEMA
    if len(relative) == 2 and relative[0] in KINDS and content_file.suffix in (".yaml", ".yml"):
        return relative[0]
    return None


def modeline(content_file: Path, schema_dir: Path, name: str) -> str:
    """The first line a content file carries: its schema's path relative to the file's folder."""
    target = os.path.relpath(schema_dir / f"{name}{SUFFIX}", content_file.parent)
    return f"{MODELINE}{Path(target).as_posix()}"
