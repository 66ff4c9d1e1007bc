"""docs/engines.md lists every private MkDocs, Material and Jinja symbol the engine code uses, and
only those: a `_`-named one the code uses but the list lacks fails, and so does one listed but no
longer used. Each listed symbol exists in the pinned engine, so the list names real things."""

from __future__ import annotations

import ast
import importlib
import inspect
import itertools
import re
from typing import Any

from generator.project import PACKAGE_ROOT as ROOT

ENGINES = ROOT / "generator" / "engines"
DOC = ROOT / "docs" / "engines.md"
# The packages whose private parts count: MkDocs (or ProperDocs under its name), Material, Jinja.
ENGINE_PACKAGES = frozenset({"mkdocs", "properdocs", "material", "jinja2"})
TABLE_HEADING = "**Private symbols.**"


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _on_self(node: ast.Attribute) -> bool:
    return isinstance(node.value, ast.Name) and node.value.id in {"self", "cls"}


def own_names(sources: list[str]) -> set[str]:
    """Names our own code defines: functions, classes, and attributes it assigns on `self`."""
    names: set[str] = set()
    for source in sources:
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(node.name)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store) and isinstance(node.value, ast.Name) and node.value.id == "self":
                names.add(node.attr)
    return names


def used_private_names(sources: list[str]) -> set[str]:
    """`_`-named symbols the code takes from an engine: imported from one, or read or set on an object that is not ours."""
    own = own_names(sources)
    used: set[str] = set()
    for source in sources:
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in ENGINE_PACKAGES:
                used |= {alias.name for alias in node.names if _private(alias.name)}
            elif isinstance(node, ast.Attribute) and _private(node.attr) and node.attr not in own and not _on_self(node):
                used.add(node.attr)
    return used


def listed_symbols(doc: str) -> list[str]:
    """The dotted names in the first column of the first table after `TABLE_HEADING`."""
    lines = doc.split(TABLE_HEADING, 1)[1].splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("|"))
    table = itertools.takewhile(lambda line: line.startswith("|"), lines[start:])
    return [match.group(1) for line in table if (match := re.match(r"\| `([\w.]+)` \|", line))]


def unlisted_and_unused(doc: str, sources: list[str]) -> tuple[set[str], set[str]]:
    """(`_`-named symbols used but not listed, listed symbols the code does not mention)."""
    listed = listed_symbols(doc)
    code = "\n".join(sources)
    unlisted = used_private_names(sources) - {symbol.rsplit(".", 1)[1] for symbol in listed}
    unused = {symbol for symbol in listed if not re.search(rf"\b{re.escape(symbol.rsplit('.', 1)[1])}\b", code)}
    return unlisted, unused


def _sources() -> list[str]:
    return [path.read_text(encoding="utf-8") for path in sorted(ENGINES.glob("*.py"))]


def _resolve(symbol: str) -> bool:
    """Whether the installed (pinned) engine has `symbol`: a module attribute, a class attribute, or one its `__init__` sets."""
    parts = symbol.split(".")
    for i in range(len(parts) - 1, 0, -1):
        try:
            owner: Any = importlib.import_module(".".join(parts[:i]))
        except ImportError:
            continue
        for name in parts[i:-1]:
            owner = getattr(owner, name)
        last = parts[-1]
        return hasattr(owner, last) or (inspect.isclass(owner) and f"self.{last} =" in inspect.getsource(owner))
    return False


def test_the_docs_list_every_private_engine_symbol_the_code_uses_and_no_other() -> None:
    doc = DOC.read_text(encoding="utf-8")
    assert listed_symbols(doc), "the table of private symbols is missing from docs/engines.md"
    unlisted, unused = unlisted_and_unused(doc, _sources())
    assert unlisted == set(), f"used by generator/engines but not listed in docs/engines.md: {sorted(unlisted)}"
    assert unused == set(), f"listed in docs/engines.md but not used by generator/engines: {sorted(unused)}"


def test_every_listed_symbol_exists_in_the_pinned_engine() -> None:
    missing = [symbol for symbol in listed_symbols(DOC.read_text(encoding="utf-8")) if not _resolve(symbol)]
    assert missing == []


def test_the_list_check_refuses_a_symbol_used_but_not_listed_and_one_listed_but_unused() -> None:
    code = [
        "from mkdocs.commands.build import _build_page, build\n"
        "from generator.x import _ours\n"
        "def _helper(): pass\n"
        "class Memo:\n"
        "    def f(self, page):\n"
        "        self._kept = page._title_from_render\n"
        "        return self._kept, _helper(), page.file\n"
    ]
    assert used_private_names(code) == {"_build_page", "_title_from_render"}
    rows = ["| symbol | where |", "|---|---|", "| `mkdocs.commands.build._build_page` | a |", "| `jinja2.Template.root_render_func` | b |"]
    doc = "\n".join([TABLE_HEADING, "", *rows, "", "After."])
    assert unlisted_and_unused(doc, code) == ({"_title_from_render"}, {"jinja2.Template.root_render_func"})
    listed = doc.replace("`jinja2.Template.root_render_func`", "`mkdocs.structure.pages.Page._title_from_render`")
    assert unlisted_and_unused(listed, code) == (set(), set())
    assert not _resolve("mkdocs.commands.build._no_such_function") and _resolve("mkdocs.structure.pages.Page._title_from_render")
