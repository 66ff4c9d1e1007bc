"""`python -m generator check` on bad content: one located problem line per mistake, never a traceback.

Each test breaks a copy of the fixture catalogue (tests/fixtures/catalogue/) in one way and checks
that the problem is reported as ``path:line: field: what is wrong (what was expected)`` at the
exact line an editor must fix. Line numbers are computed from the text the test wrote, so a wrong
line number fails the test.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from conftest import run

from generator.errors import ContentError
from generator.pages.generate import check
from generator.project import PACKAGE_ROOT as ROOT
from generator.project import Project
from generator.tools.synth import synthesise

COUNT_LINE = re.compile(r"^(\d+) problems? found; nothing was built\.$", re.M)
PROBLEM_LINE = re.compile(r"^(\S[^:]*):(\d+): ([^:]+): (.+)$", re.M)

CELLEX = "content/drug/cellex.yaml"
REOCELL = "content/provider/reocell-clinic.yaml"
CYTOKINE = "content/procedure/cytokine-therapy.yaml"
CEREBRAL_PALSY = "content/condition/cerebral-palsy.yaml"
DISCLAIMER = "content/pages/disclaimer.md"


# --- helpers ---------------------------------------------------------------------------------


def replace_in(path: Path, old: str, new: str) -> str:
    """Replace the one occurrence of `old` in the file at `path` by `new`; return the new text."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} should occur exactly once in {path}"
    text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    return text


def line_of(path: Path, needle: str) -> int:
    """1-based number of the one line of the file at `path` that contains `needle`."""
    lines = path.read_text(encoding="utf-8").splitlines()
    found = [number for number, line in enumerate(lines, start=1) if needle in line]
    assert len(found) == 1, f"{needle!r} should be on exactly one line of {path}, found on {found}"
    return found[0]


def problems(result: subprocess.CompletedProcess[str]) -> list[str]:
    """The `path:line: field: message` lines of a failed check's stderr."""
    return [match.group(0) for match in PROBLEM_LINE.finditer(result.stderr)]


def assert_failed_cleanly(result: subprocess.CompletedProcess[str]) -> None:
    """Exit code 1, no traceback, and a count line that matches the problem lines printed."""
    assert result.returncode == 1, f"expected exit 1, got {result.returncode}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    assert "Traceback" not in result.stderr, result.stderr
    count = COUNT_LINE.search(result.stderr)
    assert count, f"no count line in stderr:\n{result.stderr}"
    assert int(count.group(1)) == len(problems(result)), result.stderr


def assert_problem(result: subprocess.CompletedProcess[str], path: str, line: int, field: str) -> str:
    """Assert a clean failure that reports `path:line: field: `; return that whole stderr line."""
    assert_failed_cleanly(result)
    match = re.search(rf"^{re.escape(path)}:{line}: {re.escape(field)}: .*$", result.stderr, re.M)
    assert match, f"no problem reported at {path}:{line}: {field}: in stderr:\n{result.stderr}"
    return match.group(0)


# --- the fixture catalogue as it is ----------------------------------------------------------


def test_real_content_passes(project: Path) -> None:
    result = run(project, "check")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("OK"), result.stdout
    assert "Traceback" not in result.stderr


def test_markup_in_values_is_accepted_as_text(project: Path) -> None:
    path = project / REOCELL
    text = replace_in(path, "title: ReoCell clinic\n", 'title: "ReoCell <script>alert(1)</script> {{ 7*7 }}"\n')
    replace_in(path, "  - ReoCell\n", '  - "{{ 7*7 }} <script>alert(1)</script>"\n')
    assert "<script>" in text
    result = run(project, "check")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("OK"), result.stdout


# --- one test per class of mistake -----------------------------------------------------------


def test_yaml_syntax_error(project: Path) -> None:
    path = project / REOCELL
    replace_in(path, "last_reviewed: 2026-11-22\n", "last_reviewed: 2026-11-22: oops\n")
    line = assert_problem(run(project, "check"), REOCELL, line_of(path, ": oops"), "last_reviewed")
    assert "a ': ' inside an unquoted value starts a new field" in line and "(put the whole value in quotes)" in line
    replace_in(path, "last_reviewed: 2026-11-22: oops\n", "last_reviewed: @2026-11-22\n")
    line = assert_problem(run(project, "check"), REOCELL, line_of(path, "@2026"), "(syntax)")
    assert "invalid YAML" in line


def test_missing_required_field(project: Path) -> None:
    path = project / CELLEX
    replace_in(path, "title: Cellex\n", "")
    # A missing field has no line of its own; it is reported where the document starts.
    first_line = next(n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text and not text.startswith("#"))
    line = assert_problem(run(project, "check"), CELLEX, first_line, "title")
    assert "required field is missing" in line


def test_unknown_field_suggests_the_right_name(project: Path) -> None:
    path = project / CELLEX
    replace_in(path, "\ncontraindications:\n", "\ncontraindicatons:\n")
    line = assert_problem(run(project, "check"), CELLEX, line_of(path, "contraindicatons:"), "contraindicatons")
    assert "unknown field" in line
    assert "did you mean 'contraindications'?" in line


def test_list_where_text_is_expected(project: Path) -> None:
    path = project / CELLEX
    replace_in(
        path, "active_substance: Proteins and polypeptides of the embryonic brain of animal origin\n", "active_substance:\n  - Proteins\n  - Polypeptides\n"
    )
    line = assert_problem(run(project, "check"), CELLEX, line_of(path, "active_substance:"), "active_substance")
    assert "got a list of 2" in line


def test_text_where_a_date_is_expected(project: Path) -> None:
    path = project / CELLEX
    replace_in(path, "next_review: 2027-11-22\n", "next_review: next year\n")
    line = assert_problem(run(project, "check"), CELLEX, line_of(path, "next_review:"), "next_review")
    assert "'next year'" in line


def test_duplicate_key_is_reported_not_silently_overwritten(project: Path) -> None:
    path = project / REOCELL
    first = line_of(path, "title: ReoCell clinic")
    path.write_text(path.read_text(encoding="utf-8") + "title: ReoCell, second title\n", encoding="utf-8")
    second = line_of(path, "title: ReoCell, second title")
    line = assert_problem(run(project, "check"), REOCELL, second, "title")
    assert f"first given on line {first}" in line


def test_duplicate_slug(project: Path) -> None:
    shutil.copy(project / CELLEX, project / "content/drug/cellex.yml")
    line = assert_problem(run(project, "check"), "content/drug/cellex.yml", 1, "(slug)")
    assert "duplicate slug 'cellex'" in line
    assert CELLEX in line


def test_link_to_missing_provider(project: Path) -> None:
    path = project / CYTOKINE
    replace_in(path, "provider: iskitim-cp-centre\n", "provider: no-such-clinic\n")
    line = assert_problem(run(project, "check"), CYTOKINE, line_of(path, "provider: no-such-clinic"), "provider")
    assert "no provider with slug 'no-such-clinic'" in line


def test_link_to_missing_related_procedure(project: Path) -> None:
    path = project / CEREBRAL_PALSY
    replace_in(path, "  - slug: neurometabolic-therapy\n", "  - slug: no-such-procedure\n")
    line = assert_problem(run(project, "check"), CEREBRAL_PALSY, line_of(path, "- slug: no-such-procedure"), "related_procedures[1].slug")
    assert "no procedure with slug 'no-such-procedure'" in line


def test_unsafe_tag_is_refused_and_never_run(project: Path, tmp_path: Path) -> None:
    path = project / REOCELL
    replace_in(path, "title: ReoCell clinic\n", 'title: !!python/object/apply:os.system ["touch PWNED"]\n')
    result = run(project, "check")
    line = assert_problem(result, REOCELL, line_of(path, "!!python/object"), "title")
    assert "python/object/apply:os.system" in line
    assert not list(tmp_path.rglob("PWNED"))


def test_alias_bomb_fails_fast(project: Path) -> None:
    # Billion laughs: 9 levels, each a list of 9 aliases to the level above (9**9 values in all).
    levels = "abcdefghi"
    lines = [f"{levels[0]}: &{levels[0]} [{', '.join(['lol'] * 9)}]"]
    lines += [f"{name}: &{name} [{', '.join([f'*{above}'] * 9)}]" for above, name in itertools.pairwise(levels)]
    bomb = "content/provider/bomb.yaml"
    (project / bomb).write_text("\n".join(lines) + "\n", encoding="utf-8")
    start = time.perf_counter()
    result = run(project, "check")
    assert time.perf_counter() - start < 10
    assert_failed_cleanly(result)
    reported = [line for line in problems(result) if line.startswith(f"{bomb}:")]
    assert len(reported) == 1, result.stderr
    assert "alias bomb" in reported[0]
    # Which level crosses the size limit depends on the limit; wherever it is, the line must be the
    # line that level is written on, and the field that level's key.
    match = re.match(rf"^{re.escape(bomb)}:(\d+): (\w+): ", reported[0])
    assert match, reported[0]
    number, field = int(match.group(1)), match.group(2)
    assert field in levels[1:]
    assert lines[number - 1].startswith(f"{field}: ")


@pytest.mark.parametrize("text", ["", "# Nothing here yet.\n\n# Still nothing.\n"], ids=["empty", "only-comments"])
def test_empty_file(project: Path, text: str) -> None:
    path = "content/provider/new-clinic.yaml"
    (project / path).write_text(text, encoding="utf-8")
    line = assert_problem(run(project, "check"), path, 1, "(file)")
    assert "file is empty" in line


def test_non_utf8_bytes(project: Path) -> None:
    path = project / REOCELL
    raw = path.read_bytes().replace(b"  - ReoCell\n", b"  - ReoCell \xff\n", 1)
    path.write_bytes(raw)
    expected = raw.split(b"\n").index(b"  - ReoCell \xff") + 1
    assert expected == 4  # after the schema line, the title and also_known_as: a line the reader must count to
    line = assert_problem(run(project, "check"), REOCELL, expected, "(file)")
    assert "0xff" in line


def test_file_name_that_is_not_a_slug(project: Path) -> None:
    path = "content/provider/Bad Slug.yaml"
    shutil.copy(project / REOCELL, project / path)
    line = assert_problem(run(project, "check"), path, 1, "(slug)")
    assert "not a valid slug" in line


def test_dot_dot_yaml_is_never_read_or_published(project: Path, tmp_path: Path) -> None:
    # `..yaml` would have the slug "." and its page would land above its section folder. Like every
    # dot file (editor leftovers such as `.#cellex.yaml`) the loader skips it by design, so it is
    # never parsed, never validated and never written: broken YAML in it does not even fail check.
    (project / "content/drug/..yaml").write_text("title: [never closed\n", encoding="utf-8")
    result = run(project, "check")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("OK"), result.stdout
    before = {p for p in tmp_path.rglob("*") if p.is_file()}
    out = tmp_path / "out"
    rendered = run(project, "render", "--out", str(out))
    assert rendered.returncode == 0, rendered.stderr
    written = {p for p in tmp_path.rglob("*") if p.is_file()} - before - {project / "build" / ".lock"}  # the build lock is the checkout's own
    assert written, "render wrote nothing"
    assert all(p.is_relative_to(out) for p in written), sorted(map(str, written - {p for p in written if p.is_relative_to(out)}))
    assert not [p for p in written if p.stem in {"", "."} or ".." in p.relative_to(out).parts]


def test_symlink_to_a_file_outside_content(project: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    shutil.copy(project / CELLEX, outside)
    path = "content/drug/outside-drug.yaml"
    try:
        os.symlink(outside, project / path)
    except OSError:
        pytest.skip("symlinks are not supported here")
    line = assert_problem(run(project, "check"), path, 1, "(file)")
    assert "outside the content folder" in line


def test_unknown_source(project: Path) -> None:
    path = project / REOCELL
    replace_in(path, "sources:\n  - 004_edc3ec74891c668d.txt\nlast_reviewed:", "sources:\n  - 999_not-registered.txt\nlast_reviewed:")
    line = assert_problem(run(project, "check"), REOCELL, line_of(path, "999_not-registered.txt"), "sources[0]")
    assert "unknown source '999_not-registered.txt'" in line


@pytest.mark.parametrize("next_review", ["2026-11-22", "2025-01-31"], ids=["same-day", "earlier"])
def test_next_review_not_after_last_reviewed(project: Path, next_review: str) -> None:
    path = project / REOCELL
    replace_in(path, "next_review: 2027-11-22\n", f"next_review: {next_review}\n")
    line = assert_problem(run(project, "check"), REOCELL, line_of(path, "next_review:"), "next_review")
    assert "is not after last_reviewed 2026-11-22" in line


def test_unknown_dosage_form_in_per_form_field(project: Path) -> None:
    path = project / CELLEX
    replace_in(path, "administration:\n  - forms:\n      - sc-solution\n", "administration:\n  - forms: [nope]\n")
    line = assert_problem(run(project, "check"), CELLEX, line_of(path, "forms: [nope]"), "administration[0].forms[0]")
    assert "unknown dosage form 'nope'" in line
    assert "sc-solution" in line


def test_page_without_front_matter(project: Path) -> None:
    path = "content/pages/notes.md"
    (project / path).write_text("# Notes\n\nNo front matter here.\n", encoding="utf-8")
    line = assert_problem(run(project, "check"), path, 1, "(front matter)")
    assert "no front matter" in line


def test_page_missing_description(project: Path) -> None:
    path = project / DISCLAIMER
    text = path.read_text(encoding="utf-8")
    description = next(line for line in text.splitlines() if line.startswith("description:"))
    replace_in(path, description + "\n", "")
    # Like any missing field, reported where the front matter's fields start (after `---`).
    line = assert_problem(run(project, "check"), DISCLAIMER, line_of(path, "title:"), "description")
    assert "required field is missing" in line


def test_several_problems_in_several_files_are_all_reported(project: Path) -> None:
    reocell, cellex, cytokine = project / REOCELL, project / CELLEX, project / CYTOKINE
    replace_in(reocell, "last_reviewed: 2026-11-22\n", "last_reviewed: 2026-11-22: oops\n")
    replace_in(cellex, "\ncautions:\n", "\ncuations:\n")
    replace_in(cytokine, "provider: iskitim-cp-centre\n", "provider: no-such-clinic\n")
    result = run(project, "check")
    assert_problem(result, REOCELL, line_of(reocell, ": oops"), "last_reviewed")
    assert_problem(result, CELLEX, line_of(cellex, "cuations:"), "cuations")
    assert_problem(result, CYTOKINE, line_of(cytokine, "provider:"), "provider")
    reported = problems(result)
    assert len(set(reported)) >= 3
    assert f"{len(reported)} problems found; nothing was built." in result.stderr.splitlines()


def test_unknown_slug_in_a_catalogue_names_the_closest_slugs_not_all_of_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content = tmp_path / "synthetic"
    synthesise(content, drugs=60, seed=1)
    reference = re.compile(r'^    drug: "?([a-z0-9-]+)"?$', re.M)
    referring = next(path for path in sorted((content / "drug").glob("*.yaml")) if reference.search(path.read_text(encoding="utf-8")))
    text = referring.read_text(encoding="utf-8")
    found = reference.search(text)
    assert found
    target = found.group(1)
    typo = target[:-1] + ("x" if target[-1] != "x" else "y")
    referring.write_text(text.replace(found.group(0), f"    drug: {typo}", 1), encoding="utf-8")
    project = Project.at(ROOT, content)
    with pytest.raises(ContentError) as raised:
        check(project)
    (line,) = [line for line in str(raised.value).splitlines() if typo in line]
    assert f"no drug with slug {typo!r} (closest: {target}" in line, line
    assert "60 exist" in line and len(line) < 400, line
