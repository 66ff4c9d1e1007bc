"""Editor setup: VS Code recommends the YAML language server and maps every content folder to its
schema; `check` runs on any OS (no `fcntl` unless a build takes the lock)."""

from __future__ import annotations

import fnmatch
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from conftest import FIXTURE, ROOT, copy_project

from generator.content.models import KINDS
from generator.content.schema import SUFFIX, schema_models, schema_name_for

VSCODE = ROOT / ".vscode"


def settings() -> dict[str, Any]:
    return json.loads((VSCODE / "settings.json").read_text(encoding="utf-8"))


def _as_list(globs: list[str] | str) -> list[str]:
    return [globs] if isinstance(globs, str) else globs


def mapping_problems(schemas: dict[str, list[str] | str], files: list[Path], content_dir: Path) -> list[str]:
    """Where `yaml.schemas` (schema path → globs relative to the project) disagrees with the schema
    each content file follows (`schema_name_for`): a file with no schema, the wrong one, or two."""
    problems = [f"{target}: no such schema file" for target in schemas if not (ROOT / target).is_file()]
    for path in files:
        expected = schema_name_for(path, content_dir)
        relative = "content/" + path.relative_to(content_dir).as_posix()
        matched = [target for target, globs in schemas.items() if any(fnmatch.fnmatch(relative, glob) for glob in _as_list(globs))]
        wanted = [f"./schema/{expected}{SUFFIX}"] if expected else []
        if matched != wanted:
            problems.append(f"{relative}: mapped to {matched}, expected {wanted}")
    return problems


def sample_files(tmp_path: Path) -> tuple[list[Path], Path]:
    """The fixture catalogue's files plus a new `.yaml` and `.yml` file in every kind's folder."""
    content = copy_project(tmp_path / "project") / "content"
    for kind in KINDS:
        (content / kind).mkdir(exist_ok=True)
        (content / kind / "new-file.yaml").touch()
        (content / kind / "other-file.yml").touch()
    return sorted(p for p in content.rglob("*.y*ml")), content


def test_extensions_recommend_the_yaml_language_server() -> None:
    recommendations = json.loads((VSCODE / "extensions.json").read_text(encoding="utf-8"))["recommendations"]
    assert "redhat.vscode-yaml" in recommendations


def test_settings_map_every_content_folder_to_its_schema(tmp_path: Path) -> None:
    files, content = sample_files(tmp_path)
    assert {schema_name_for(p, content) for p in files} >= set(schema_models())  # every kind (and the registry) is sampled
    assert mapping_problems(settings()["yaml.schemas"], files, content) == []


def test_a_missing_or_wrong_mapping_is_noticed(tmp_path: Path) -> None:
    files, content = sample_files(tmp_path)
    schemas = settings()["yaml.schemas"]
    for target in schemas:
        without = {t: globs for t, globs in schemas.items() if t != target}
        assert mapping_problems(without, files, content), f"dropping {target} went unnoticed"
    first, second, *_ = schemas
    swapped = {**schemas, first: schemas[second], second: schemas[first]}
    assert mapping_problems(swapped, files, content)
    assert mapping_problems({**schemas, "./schema/nothing.schema.json": []}, files, content)


# Runs in a fresh interpreter where `import fcntl` fails, as on Windows; prints the modules it saw.
NO_FCNTL = """
import sys
sys.modules["fcntl"] = None  # `import fcntl` now raises ImportError
from generator import cli
code = cli.main(sys.argv[1:])
print("exit", code)
"""


def run_without_fcntl(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", NO_FCNTL, *args], cwd=project, capture_output=True, text=True, timeout=120, check=False)


def test_check_runs_where_there_is_no_fcntl(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", FIXTURE)
    result = run_without_fcntl(project, "check")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "exit 0"
    assert result.stdout.startswith("OK: ")


def test_only_taking_the_build_lock_needs_a_platform_lock(tmp_path: Path) -> None:
    """Negative control: the same interpreter does need fcntl (or msvcrt) once a build takes the lock,
    so the check above passes because check takes none, not because the blocking failed."""
    project = copy_project(tmp_path / "project", FIXTURE)
    result = run_without_fcntl(project, "render", "--out", str(tmp_path / "markdown"))
    assert result.returncode != 0
    assert "No module named 'msvcrt'" in result.stderr or "import of fcntl halted" in result.stderr, result.stderr
