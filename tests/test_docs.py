"""docs/ says what is true: the module map in docs/architecture.md names every module under
generator/ and nothing else, and plain `mkdocs build` works on a fresh checkout."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, copy_project

from generator.content.models import KIND_MODULES

ARCHITECTURE = ROOT / "docs" / "architecture.md"
PACKAGE = ROOT / "generator"


def module_map(text: str) -> set[str]:
    """The paths the first column of the "Module map" table names, relative to the project root.

    A cell may name several paths: one with a folder (`content/models/page.py`) sets the folder for
    the bare names after it (`source.py`). Paths without `generator/`, `tests/` or `bench/` in
    front are inside generator/ (as the table says). `<kind>` stands for each of KIND_MODULES.
    """
    section = text.split("## Module map", 1)[1].split("\n## ", 1)[0]
    named: set[str] = set()
    for row in re.findall(r"^\| ([^|\n]*(?:\\\|[^|\n]*)*) \|", section, re.M):
        folder = ""
        for item in re.findall(r"`([^`]+)`", row):
            path = item if "/" in item.rstrip("/") else folder + item
            folder = path.rsplit("/", 1)[0] + "/" if "/" in path.rstrip("/") else ""
            if not path.startswith(("generator/", "tests/", "bench/")):
                path = "generator/" + path
            named |= {path.replace("<kind>", kind) for kind in KIND_MODULES} if "<kind>" in path else {path}
    return named


def only_a_docstring(path: Path) -> bool:
    body = ast.parse(path.read_text(encoding="utf-8")).body
    return all(isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) for node in body)


def package_modules() -> set[str]:
    """Every module of the package (a package's `__init__.py` that holds only its docstring is the folder's)."""
    modules = {path for path in PACKAGE.rglob("*.py") if "__pycache__" not in path.parts}
    return {path.relative_to(ROOT).as_posix() for path in modules if not (path.name == "__init__.py" and only_a_docstring(path))}


def test_module_map_reader_finds_every_form_of_row() -> None:
    table = (
        "## Module map\n\n| module | what |\n|---|---|\n| `generator/cli.py` | x |\n| **content/** | |\n"
        "| `content/models/<kind>.py` | kinds |\n| `content/models/page.py`, `source.py` | y |\n| `pages/templates/` | z |\n"
        "| `tests/budgets.py` | t |\n\n## Next\n| `generator/not-in-the-map.py` | |\n"
    )
    expected = {"generator/cli.py", "generator/content/models/page.py", "generator/content/models/source.py", "generator/pages/templates/", "tests/budgets.py"}
    assert module_map(table) == expected | {f"generator/content/models/{kind}.py" for kind in KIND_MODULES}


def test_the_module_map_names_every_module_and_only_modules_that_exist() -> None:
    named = module_map(ARCHITECTURE.read_text(encoding="utf-8"))
    missing = sorted(package_modules() - named)
    assert missing == [], f"modules under generator/ that docs/architecture.md's module map leaves out: {missing}"
    gone = sorted(path for path in named if not (ROOT / path).exists())
    assert gone == [], f"the module map names what does not exist: {gone}"


# What docs/architecture.md tells a developer to run once on a fresh checkout before plain `mkdocs build`.
FIRST_STEP = "mkdir -p build/docs"


def mkdocs_build(project: Path) -> subprocess.CompletedProcess[str]:
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--quiet"],
        cwd=project,
        env={**environment, "PYTHONDONTWRITEBYTECODE": "1"},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@pytest.mark.slow
def test_plain_mkdocs_build_works_on_a_fresh_checkout_after_the_documented_step(tmp_path: Path) -> None:
    """MkDocs checks that docs_dir exists before it loads the hook that fills it, so a fresh checkout
    (no build/) needs the one step the docs give; after it, plain `mkdocs build` generates and builds."""
    assert f"`{FIRST_STEP}`" in ARCHITECTURE.read_text(encoding="utf-8")
    project = copy_project(tmp_path / "project")
    assert not (project / "build").exists()
    refused = mkdocs_build(project)
    assert refused.returncode != 0 and "build/docs" in refused.stderr and "isn't an existing directory" in refused.stderr, refused.stderr
    subprocess.run(FIRST_STEP.split(), cwd=project, check=True)
    built = mkdocs_build(project)
    assert built.returncode == 0, built.stderr[-3000:]
    assert (project / "site" / "drugs" / "cellex" / "index.html").is_file()
