"""The live content (content/): it passes check, and a new drug in it changes no test.

Tests with exact names or counts run on the frozen fixture catalogue (tests/fixtures/catalogue/).
Tests of the live content assert only what holds for any valid content and carry the `live`
marker, wherever they live: `pytest -m live` runs them all (`-m "live and not browser"` without
Chromium). The last test here proves the split: it adds a drug to a copy of the project and runs
check, the build and every live test without a browser there.
"""

from __future__ import annotations

import datetime
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import LIVE_CONTENT, ROOT, copy_project, review_day, run

from generator.content.lint import lint_content
from generator.project import Project

# Besides what copy_project copies: what the tests read (schemas, pytest's settings, the offline config).
TEST_PARTS = ("tests", "bench", "schema", "pyproject.toml", "mkdocs-offline.yml")  # tests import bench/site_shape.py


@pytest.mark.live
@pytest.mark.parametrize("years", [0, 2], ids=["review-day", "in-two-years"])
def test_live_content_has_no_lint_error_whatever_the_date(years: int) -> None:
    """Validation passes (else lint_content raises) and no lint finds an error; only review-due
    warnings depend on the date, so two years on there may be warnings, never errors. The day is
    the content's own latest review, not the clock: `make check` holds the content to today."""
    day = review_day(LIVE_CONTENT) + datetime.timedelta(days=365 * years)
    _, findings = lint_content(Project.at(ROOT, LIVE_CONTENT), day)
    assert [str(finding) for finding in findings if finding.severity == "error"] == []


def add_drug(content: Path, slug: str, title: str) -> Path:
    """Add a drug to `content`: a copy of its first drug under `slug` and `title`, every name of
    the original (title, trade names, aliases) replaced throughout so no name collides; return it."""
    original = sorted((content / "drug").glob("*.yaml"))[0]
    text = original.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    names = [data["title"], *data.get("trade_names", []), *data.get("aliases", [])]
    # Longest first, so "CELLEX®" is replaced as a whole before "Cellex" would match inside it.
    for number, name in enumerate(sorted(set(names), key=len, reverse=True)):
        text = text.replace(name, title if name == data["title"] else f"{title} {number}")
    added = content / "drug" / f"{slug}.yaml"
    assert not added.exists(), added
    added.write_text(text, encoding="utf-8")
    return added


def test_add_drug_makes_a_drug_with_only_new_names(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(LIVE_CONTENT, content)
    added = yaml.safe_load(add_drug(content, "zz-new-drug", "Zzexample").read_text(encoding="utf-8"))
    original = yaml.safe_load(sorted((LIVE_CONTENT / "drug").glob("*.yaml"))[0].read_text(encoding="utf-8"))
    assert added["title"] == "Zzexample"
    old = {original["title"], *original.get("trade_names", []), *original.get("aliases", [])}
    new = {added["title"], *added.get("trade_names", []), *added.get("aliases", [])}
    assert len(new) == len(old) and not old & new


@pytest.mark.slow
def test_a_new_drug_passes_check_the_build_and_every_live_test(tmp_path: Path) -> None:
    """What an editor does on a normal day: add a drug. Nothing about the live content is pinned,
    so check, the build and the live tests (run by pytest inside the copy) all pass with it."""
    project = copy_project(tmp_path / "project", content=LIVE_CONTENT)
    for part in TEST_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, project / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, project / part)
    if (ROOT / "node_modules").exists():  # the HTML validator (vnu) that a live test runs, where this checkout has it
        (project / "node_modules").symlink_to(ROOT / "node_modules")
    add_drug(project / "content", "editor-day-drug", "Editorday")

    checked = run(project, "check")
    assert checked.returncode == 0, checked.stderr
    built = run(project, "build", timeout=300)
    assert built.returncode == 0, built.stderr
    assert "<h1" in (project / "site" / "drugs" / "editor-day-drug" / "index.html").read_text(encoding="utf-8")

    environment = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    tests = subprocess.run(
        [sys.executable, "-m", "pytest", "-v", "-p", "no:cacheprovider", "-m", "live and not browser", "--basetemp", str(tmp_path / "pytest")],
        cwd=project,
        env={**environment, "PYTHONDONTWRITEBYTECODE": "1"},
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert tests.returncode == 0, tests.stdout[-5000:] + tests.stderr[-2000:]
    # The live tests saw the new drug (one of them is parametrized by every entity page).
    assert "live:drugs/editor-day-drug.md" in tests.stdout, tests.stdout[-3000:]
    summary = tests.stdout.strip().splitlines()[-1]
    assert re.search(r"\d+ passed", summary) and "failed" not in summary and "error" not in summary, summary
