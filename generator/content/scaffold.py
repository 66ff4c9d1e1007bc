"""`python -m generator new <kind> <slug>`: a new content file with every field stubbed and explained.

The stub is written from the kind's JSON Schema (itself exported from the model), so it never
drifts from what validation accepts: one comment per field with its description and whether it
is required, then the field itself.

Required values are left *empty*, never filled with placeholder text: an empty required value
is exactly what validation rejects, so `make check` lists each one as
`content/drug/<slug>.yaml:<line>: <field>: got an empty value (...)` until an editor fills it in,
and a half-written file can never publish a page of placeholders. Optional fields are stubbed
empty (`[]` or nothing), which is valid: the page leaves them out, as it does for anything the
sources do not state.
"""

from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from generator.content.load import SLUG
from generator.content.models import KINDS
from generator.content.models.common import Slug, SourceFile
from generator.content.names import reserved_problem
from generator.content.schema import SCHEMA_DIR, content_schema, modeline
from generator.errors import display_path

WIDTH = 120  # comment lines are wrapped here, so the file reads well in any editor
MAX_SLUG = 80
TEXT_LIMIT = 4000  # the models' cap on any text; only tighter limits are worth a mention


class ScaffoldError(Exception):
    """The file cannot be created (bad slug, file exists); the message is one line."""


@dataclass
class Scaffold:
    """The text of a new content file and how many required values it leaves for the editor."""

    text: str
    empty_required: int


def scaffold(kind: str, slug: str, content_file: Path, schema_dir: Path) -> Scaffold:
    """The stub of a new `kind` file at `content_file`, naming its schema relative to that file."""
    schema = content_schema(kind)
    writer = _Writer(schema.get("$defs", {}))
    noun = KINDS[kind].noun.lower()
    header = [
        modeline(content_file, schema_dir, kind),
        f"# New {noun} {slug!r}, scaffolded by `python -m generator new {kind} {slug}`.",
        "# Fill every empty required value from the source documents, in their own words: `make check` lists",
        "# each one still empty, with its line. Optional fields may stay empty ([] or nothing) or be deleted:",
        "# the page then leaves them out. Never add a fact that the sources listed under `sources:` do not state.",
    ]
    body = writer.fields(schema, indent=0, top_level=True)
    return Scaffold("\n".join(header + body) + "\n", writer.empty_required)


def create(kind: str, slug: str, content_dir: Path, root: Path) -> tuple[Path, Scaffold]:
    """Write `content_dir/<kind>/<slug>.yaml` naming `root/schema/<kind>.schema.json`.

    ScaffoldError (one line) if the slug is not valid, is a generated page's, or the entity already exists.
    """
    if not SLUG.match(slug) or len(slug) > MAX_SLUG:
        raise ScaffoldError(f"{slug!r} is not a valid slug (expected lowercase letters, digits and single hyphens, at most {MAX_SLUG} characters)")
    if reserved := reserved_problem(kind, slug):
        raise ScaffoldError(reserved)
    folder = content_dir / kind
    for existing in (folder / f"{slug}.yaml", folder / f"{slug}.yml"):
        if existing.exists():
            raise ScaffoldError(f"{display_path(existing, root)} already exists (expected a new slug; edit that file instead)")
    target = folder / f"{slug}.yaml"
    stub = scaffold(kind, slug, target, root / SCHEMA_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    with target.open("x", encoding="utf-8") as out:  # "x": never overwrite, even if created meanwhile
        out.write(stub.text)
    return target, stub


# Text kinds worth naming, recognised by the exact pattern the models give them.
_NAMED_PATTERNS = {
    TypeAdapter(Slug).json_schema()["pattern"]: "a slug: lowercase letters, digits and hyphens",
    TypeAdapter(SourceFile).json_schema()["pattern"]: "a source file name from content/sources.yaml",
}


class _Writer:
    """Turns a JSON Schema into commented YAML lines, counting the required values left empty."""

    def __init__(self, defs: dict[str, Any]) -> None:
        self.defs = defs
        self.empty_required = 0

    def deref(self, node: dict[str, Any]) -> dict[str, Any]:
        """The schema behind a `$ref` (or an `allOf` of one), with the referring node's own keys (its description) kept."""
        if "$ref" in node:
            return self.deref({**self.defs[node["$ref"].rsplit("/", 1)[-1]], **{k: v for k, v in node.items() if k != "$ref"}})
        if len(node.get("allOf", [])) == 1:
            return self.deref({**node["allOf"][0], **{k: v for k, v in node.items() if k != "allOf"}})
        return node

    def branches(self, node: dict[str, Any]) -> list[dict[str, Any]]:
        """The alternatives of an `anyOf` other than null (an optional value is shown empty instead)."""
        return [self.deref(b) for b in node.get("anyOf", []) if b.get("type") != "null"]

    def resolve(self, node: dict[str, Any]) -> dict[str, Any]:
        """The one shape to stub: `X | None` is X; text-or-mapping (a Statement) is the mapping, which shows every field."""
        node = self.deref(node)
        branches = self.branches(node)
        objects = [b for b in branches if self.resolve(b).get("type") == "object"]
        if len(branches) == 1 or objects:
            return {**self.resolve((objects or branches)[0]), **{k: v for k, v in node.items() if k != "anyOf"}}
        return node  # no alternatives, or plain values only (a number or a numeric string)

    def fields(self, node: dict[str, Any], indent: int, top_level: bool = False, first_prefix: str = "") -> list[str]:
        """Every property of an object schema, each preceded by its comment.

        `first_prefix` ("- ") starts the first field of a list item on the dash's line.
        """
        obj = self.resolve(node)
        required = set(obj.get("required", []))
        lines: list[str] = []
        for i, (name, prop) in enumerate(obj.get("properties", {}).items()):
            if top_level:
                lines.append("")
            lines += self.field(name, prop, name in required, indent, first_prefix if i == 0 else " " * len(first_prefix))
        return lines

    def field(self, name: str, prop: dict[str, Any], required: bool, indent: int, prefix: str) -> list[str]:
        """One field: its comment, its key and its stub value.

        A required list that needs items gets one stubbed item (one that may be empty, such as
        `changes`, starts as `[]`) and a required mapping its fields; an optional mapping with a
        default (every field optional) is written out too, so it is seen. Anything else optional is
        left empty.
        """
        value = self.resolve(prop)
        kind = value.get("type")
        fields = kind == "object" and "properties" in value  # a mapping of named fields, not of free keys such as `shared_with`
        nested = (kind == "array" and required and value.get("minItems", 0) > 0) or (fields and (required or isinstance(prop.get("default"), dict)))
        # The first field of a list item comments the whole line, so its comment sits at the dash.
        column = indent if prefix.startswith("-") else indent + len(prefix)
        comment = f"{prop.get('description') or value.get('description') or ''} ({'required' if required else 'optional'}; {self.describe(prop, nested)})"
        lines = [f"{' ' * column}# {line}" for line in textwrap.wrap(comment.strip(), WIDTH - column - 2)]
        key = f"{' ' * indent}{prefix}{name}:"
        inner = indent + len(prefix) + 2
        if kind == "array" and nested:
            lines += [key, *self.item(value.get("items", {}), inner)]
        elif kind == "array":
            lines.append(f"{key} []")
        elif nested:
            lines += [key, *self.fields(value, inner)]
        elif required or prop.get("default") is None:
            lines.append(key)
            self.empty_required += int(required and not any(b.get("type") == "null" for b in prop.get("anyOf", [])))
        else:
            lines.append(f"{key} {json.dumps(prop['default'])}")
        return lines

    def item(self, node: dict[str, Any], indent: int) -> list[str]:
        """One stubbed list item: an empty `-`, or a mapping whose first field sits on the dash."""
        value = self.resolve(node)
        if value.get("type") == "object":
            return self.fields(value, indent, first_prefix="- ")
        self.empty_required += 1
        return [f"{' ' * indent}-"]

    def describe(self, node: dict[str, Any], stubbed: bool = False) -> str:
        """What a value takes, in an editor's words: text, a date, one of ..., a list of ...

        A mapping that is `stubbed` below is not spelled out again: its fields carry their own comments.
        """
        value = self.deref(node)
        branches = self.branches(value)
        if branches:
            kinds = [self.describe(b, stubbed) for b in branches]
            return kinds[0] if len(kinds) == 1 else ("number" if set(kinds) <= {"number", "text"} else ", or ".join(kinds))
        kind = value.get("type")
        if "enum" in value:
            return "one of: " + ", ".join(str(option) for option in value["enum"])
        if kind == "array":
            least = value.get("minItems", 0)
            what = f"list of: {self.describe(value.get('items', {}), stubbed)}"
            return f"{what}; at least {least}" if least else what
        if kind == "object" and "properties" not in value:
            return f"mapping of names to {self.describe(value.get('additionalProperties', {}))}"
        if kind == "object":
            if stubbed:
                return "mapping as below"
            required = set(value.get("required", []))
            names = ", ".join(f"{name}*" if name in required else name for name in value.get("properties", {}))
            return f"mapping of {names} (* required)" if required else f"mapping of {names}"
        if kind == "string" and value.get("format") == "date":
            return "date YYYY-MM-DD"
        if kind == "string" and value.get("pattern") in _NAMED_PATTERNS:
            return _NAMED_PATTERNS[value["pattern"]]
        if kind == "string":
            limit = value.get("maxLength")
            return f"text, at most {limit} characters" if limit and limit < TEXT_LIMIT else "text"
        return {"integer": "whole number", "number": "number", "boolean": "yes or no"}.get(str(kind), "value")
