"""Editor tooling: the committed JSON Schemas, the schema line in every content file, `generator new`.

The schemas are checked the way an editor's YAML language server uses them: real content files
(the live content/ and the fixture catalogue alike), read by the project's own YAML reader,
validated with `jsonschema`. The scaffold is checked the way an editor uses it: `python -m
generator new`, then `python -m generator check`, then filling in exactly the lines check reports
until it passes (in a copy of the project whose content is the fixture catalogue).
"""

from __future__ import annotations

import datetime
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from conftest import FIXTURE, LIVE_CONTENT, ROOT, copy_project, run

from generator.content.models import KINDS
from generator.content.scaffold import ScaffoldError, create
from generator.content.schema import MODELINE, modeline, schema_name_for, schema_text, write_schemas
from generator.content.yaml_source import parse_yaml

SCHEMA_DIR = ROOT / "schema"
PROBLEM_LINE = re.compile(r"^(\S[^:]*):(\d+): ([^:]+): (.+)$", re.M)
COUNT_LINE = re.compile(r"^(\d+) problems? found; nothing was built\.$", re.M)


def content_files(content_dir: Path) -> list[Path]:
    """Every YAML content file that has a schema: entity files and the source registry."""
    return [p for p in sorted(content_dir.rglob("*.y*ml")) if schema_name_for(p, content_dir)]


def as_json(value: Any) -> Any:
    """Parsed YAML as the YAML language server sees it: dates are strings (YAML 1.2 has no date type)."""
    if isinstance(value, dict):
        return {key: as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_json(item) for item in value]
    return value.isoformat() if isinstance(value, datetime.date) else value


def validator(name: str) -> jsonschema.protocols.Validator:
    """A validator for the committed schema `name`, checking formats (dates) too."""
    schema = yaml.safe_load((SCHEMA_DIR / f"{name}.schema.json").read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)  # the draft the schema declares
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def schema_errors(path: Path, content_dir: Path) -> list[str]:
    """What the committed schema says is wrong with one content file (empty when it is valid)."""
    name = schema_name_for(path, content_dir)
    assert name, path
    data = as_json(parse_yaml(path.read_bytes()).data)
    return [f"{'/'.join(map(str, error.absolute_path))}: {error.message}" for error in validator(name).iter_errors(data)]


def modeline_problems(content_dir: Path) -> list[str]:
    """Content files whose first line is not the schema line for their kind, relative to their folder."""
    wrong = []
    for path in content_files(content_dir):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        expected = modeline(path, content_dir.parent / "schema", schema_name_for(path, content_dir) or "")
        if first != expected:
            wrong.append(f"{path.relative_to(content_dir)}: {first!r} (expected {expected!r})")
    return wrong


def problems(result: subprocess.CompletedProcess[str]) -> list[tuple[str, int, str, str]]:
    """(path, line, field, message) of every problem line a failed check printed."""
    return [(m.group(1), int(m.group(2)), m.group(3), m.group(4)) for m in PROBLEM_LINE.finditer(result.stderr)]


# --- the committed schemas ---------------------------------------------------------------------


def export_schemas(out: Path, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """`python -m generator schema --out <out>` in the project at `cwd` (in a subprocess where its code was edited)."""
    return run(cwd, "schema", "--out", str(out))


def differing_schemas(exported: Path) -> list[str]:
    """Schema files that differ between `exported` and the committed schema/ folder."""
    names = sorted({p.name for p in exported.glob("*.json")} | {p.name for p in SCHEMA_DIR.glob("*.json")})
    return [n for n in names if not (exported / n).is_file() or not (SCHEMA_DIR / n).is_file() or (exported / n).read_bytes() != (SCHEMA_DIR / n).read_bytes()]


def test_committed_schemas_are_what_the_models_export(tmp_path: Path) -> None:
    result = export_schemas(tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "Wrote 6 JSON Schemas into " + str(tmp_path) + "/ (6 changed)"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{kind}.schema.json" for kind in [*KINDS, "sources"])
    assert differing_schemas(tmp_path) == [], "schema/ is out of date with generator/content/models/: run `make schema` and commit the result"
    assert write_schemas(tmp_path) == [], "a second export must not rewrite identical files"


@pytest.mark.slow  # a subprocess: the copy's model is edited
def test_a_model_change_makes_the_committed_schema_stale(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    drug_model = project / "generator" / "content" / "models" / "drug.py"
    text = drug_model.read_text(encoding="utf-8")
    assert '"""The names the drug is sold under."""' in text
    drug_model.write_text(text.replace('"""The names the drug is sold under."""', '"""Brand names."""'), encoding="utf-8")
    out = tmp_path / "exported"
    assert export_schemas(out, cwd=project).returncode == 0
    assert differing_schemas(out) == ["drug.schema.json"]
    assert '"description": "Brand names."' in (out / "drug.schema.json").read_text(encoding="utf-8")


def test_schemas_are_valid_and_carry_the_models_help() -> None:
    for path in sorted(SCHEMA_DIR.glob("*.schema.json")):
        schema = yaml.safe_load(path.read_text(encoding="utf-8"))
        # Draft 7: what the YAML language server validates with.
        assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
        jsonschema.Draft7Validator.check_schema(schema)
        objects = {"(top)": schema, **schema.get("$defs", {})}
        undocumented = [f"{owner}.{name}" for owner, obj in objects.items() for name, prop in obj.get("properties", {}).items() if not prop.get("description")]
        assert undocumented == [], f"{path.name}: fields without a description (add a docstring under the field in its model): {undocumented}"
    drug = yaml.safe_load((SCHEMA_DIR / "drug.schema.json").read_text(encoding="utf-8"))
    assert drug["properties"]["contraindications"]["description"].startswith("4.3 Contraindications")
    assert drug["additionalProperties"] is False


def test_schema_text_is_byte_stable() -> None:
    text = schema_text("drug")
    assert text == schema_text("drug")
    assert text.endswith("}\n") and "\r" not in text
    keys = [line.strip() for line in text.splitlines() if line.startswith('  "')]
    assert keys == sorted(keys), "top-level keys are sorted"


# --- the schema line in every content file -----------------------------------------------------


@pytest.mark.live
def test_every_live_content_file_names_its_schema() -> None:
    files = content_files(LIVE_CONTENT)
    assert LIVE_CONTENT / "sources.yaml" in files and any(path.parent != LIVE_CONTENT for path in files)
    assert modeline_problems(LIVE_CONTENT) == []
    for path in files:
        target = path.parent / path.read_text(encoding="utf-8").splitlines()[0].removeprefix(MODELINE)
        assert target.resolve().is_file(), f"{path}: its schema line points at a missing file {target}"
    assert (LIVE_CONTENT / "sources.yaml").read_text(encoding="utf-8").startswith(f"{MODELINE}../schema/sources.schema.json\n")


def test_a_missing_or_wrong_schema_line_is_noticed(project: Path) -> None:
    cellex = project / "content" / "drug" / "cellex.yaml"
    cellex.write_text(cellex.read_text(encoding="utf-8").replace("schema/drug.schema.json", "schema/procedure.schema.json", 1), encoding="utf-8")
    registry = project / "content" / "sources.yaml"
    registry.write_text(registry.read_text(encoding="utf-8").split("\n", 1)[1], encoding="utf-8")
    wrong = modeline_problems(project / "content")
    assert [line.split(":")[0] for line in wrong] == ["drug/cellex.yaml", "sources.yaml"]


@pytest.mark.parametrize("content", [FIXTURE, pytest.param(LIVE_CONTENT, marks=pytest.mark.live)], ids=["fixture", "live"])
def test_every_content_file_validates_against_its_schema(content: Path) -> None:
    files = content_files(content)
    assert files
    for path in files:
        assert schema_errors(path, content) == [], path


def test_a_broken_content_file_fails_its_schema(project: Path) -> None:
    cellex = project / "content" / "drug" / "cellex.yaml"
    text = cellex.read_text(encoding="utf-8")
    text = text.replace("\ncontraindications:", "\ncontraindicatons:", 1).replace("prescription_status: not stated", "prescription_status: maybe", 1)
    cellex.write_text(text.replace("next_review: 2027-11-22", "next_review: next year", 1), encoding="utf-8")
    errors = "\n".join(schema_errors(cellex, project / "content"))
    assert "'contraindicatons' was unexpected" in errors
    assert "'contraindications' is a required property" in errors
    assert "prescription_status: 'maybe' is not one of" in errors
    assert "next_review: 'next year' is not a 'date'" in errors


def test_schema_line_leaves_error_line_numbers_right(project: Path) -> None:
    cellex = project / "content" / "drug" / "cellex.yaml"
    lines = cellex.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith(MODELINE) and lines[1] == "title: Cellex"
    number = next(n for n, line in enumerate(lines, 1) if line.startswith("active_substance:"))
    lines[number - 1] = "active_substance: [one, two]"
    cellex.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run(project, "check")
    assert result.returncode == 1
    assert problems(result) == [("content/drug/cellex.yaml", number, "active_substance", "got a list of 2 (expected a valid string)")]


# --- python -m generator new -------------------------------------------------------------------

# A value of the right type for each field an editor must fill, so filling is mechanical in the test.
FILL = {
    "last_reviewed": "2026-01-01",
    "next_review": "2027-01-01",
    "sources": "000_f4c893a775ef8382.txt",
    "prescription_status": "not stated",
    "id": "form-a",
    "provider": "iskitim-cp-centre",
    "group": "not stated",
}


@pytest.fixture(scope="module")
def scaffolded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    """A project with one new file of every kind; the number of empty required values each was said to have.

    The drug goes through the real command; the other kinds call the same function in-process,
    which saves a Python start-up per kind.
    """
    project = copy_project(tmp_path_factory.mktemp("scaffold") / "project")
    result = run(project, "new", "drug", "new-drug")
    assert result.returncode == 0, result.stderr
    said = re.fullmatch(r"Wrote content/drug/new-drug\.yaml: fill in its (\d+) empty required values .*", result.stdout.strip())
    assert said, result.stdout
    empty = {"content/drug/new-drug.yaml": int(said.group(1))}
    for kind in KINDS:
        if kind != "drug":
            path, stub = create(kind, f"new-{kind}", project / "content", project)
            empty[path.relative_to(project).as_posix()] = stub.empty_required
    return project, empty


@pytest.fixture(scope="module")
def scaffold_check(scaffolded: tuple[Path, dict[str, int]]) -> subprocess.CompletedProcess[str]:
    """`python -m generator check` on the project with the new files, as they were scaffolded."""
    return run(scaffolded[0], "check")


def test_new_file_has_its_schema_line_and_a_comment_on_every_field(scaffolded: tuple[Path, dict[str, int]]) -> None:
    project, _ = scaffolded
    assert modeline_problems(project / "content") == []
    for kind in KINDS:
        path = project / "content" / kind / f"new-{kind}.yaml"
        lines = path.read_text(encoding="utf-8").splitlines()
        schema = yaml.safe_load((SCHEMA_DIR / f"{kind}.schema.json").read_text(encoding="utf-8"))
        for name, prop in schema["properties"].items():
            key = next(n for n, line in enumerate(lines) if line.startswith(f"{name}:"))
            comment = []
            for line in reversed(lines[:key]):
                if not line.startswith("# "):
                    break
                comment.insert(0, line[2:])
            assert prop["description"] in " ".join(comment), f"{path.name}: {name} has no comment with its description above it"
            assert re.search(r"\((required|optional);", " ".join(comment)), f"{path.name}: {name}'s comment says neither required nor optional"
        # Every stubbed key, however deep, has a comment line right above it (or above its list item).
        for n, line in enumerate(lines):
            if re.match(r"^\s*(- )?[a-z_]+:", line):
                assert lines[n - 1].lstrip().startswith("#"), f"{path.name}:{n + 1}: {line!r} has no comment above it"


def test_new_file_fails_check_once_per_empty_value_at_its_line(
    scaffolded: tuple[Path, dict[str, int]], scaffold_check: subprocess.CompletedProcess[str]
) -> None:
    project, empty = scaffolded
    result = scaffold_check
    assert result.returncode == 1 and "Traceback" not in result.stderr
    found = problems(result)
    count = COUNT_LINE.search(result.stderr)
    assert count and int(count.group(1)) == len(found), result.stderr
    assert {path for path, *_ in found} == set(empty), "only the new files have problems"
    for path, expected in empty.items():
        assert sum(1 for p, *_ in found if p == path) == expected, path
    for path, line, field, message in found:
        text = (project / path).read_text(encoding="utf-8").splitlines()[line - 1]
        last = field.rsplit(".", 1)[-1]
        # `title` points at the line `title:`, `sources[0]` at the empty list item `-` below `sources:`.
        expected = r"\s*-\s*" if last.endswith("]") else rf"\s*(- )?{last}:\s*"
        assert re.fullmatch(expected, text), f"{path}:{line}: {field} points at {text!r}"
        assert message.startswith("got an empty value (expected "), message


def test_filling_in_exactly_the_reported_lines_makes_the_file_valid(
    scaffolded: tuple[Path, dict[str, int]], scaffold_check: subprocess.CompletedProcess[str], tmp_path: Path
) -> None:
    project = tmp_path / "project"
    shutil.copytree(scaffolded[0], project)
    for path, line, field, _ in problems(scaffold_check):
        lines = (project / path).read_text(encoding="utf-8").split("\n")
        # Each page gets a title of its own: two pages may not share one.
        value = f'"Filled in by the test: {path}"' if field == "title" else FILL.get(re.findall(r"[a-z_]+", field)[-1], '"Filled in by the test."')
        lines[line - 1] = f"{lines[line - 1].rstrip()} {value}"
        (project / path).write_text("\n".join(lines), encoding="utf-8")
    result = run(project, "check")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"OK: {10 + len(KINDS)} entities"), result.stdout


def test_new_refuses_an_existing_file_and_a_bad_slug(project: Path) -> None:
    cellex = project / "content" / "drug" / "cellex.yaml"
    before = cellex.read_bytes()
    for slug, message in (
        ("cellex", "new: content/drug/cellex.yaml already exists (expected a new slug; edit that file instead)"),
        ("Bad_Slug", "new: 'Bad_Slug' is not a valid slug (expected lowercase letters, digits and single hyphens, at most 80 characters)"),
    ):
        result = run(project, "new", "drug", slug)
        assert result.returncode == 1
        assert result.stderr.splitlines() == [message]
    for slug in ("../escape", "a" * 81, "double--hyphen", "cellex"):
        with pytest.raises(ScaffoldError):
            create("drug", slug, project / "content", project)
    assert cellex.read_bytes() == before
    assert sorted(p.name for p in (project / "content" / "drug").iterdir()) == ["cellex.yaml", "ceraxon.yaml"]
    assert not (project / "content" / "escape.yaml").exists()
