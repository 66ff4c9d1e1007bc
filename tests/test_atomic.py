"""Atomic output: a failed `build`, `offline` or `preview` leaves site/, dist/ and preview/ byte for byte as they were.

One copy of the project gets a good site, offline zip and PR preview. Then each command is made to
fail at each stage (content, content lint, generator template, theme template, MkDocs strict-mode anchor check,
MkDocs configuration, a built page that would request another host) and every file of the three
deliverables, and what sits beside them, is hashed before and after. A build killed with SIGKILL midway leaves the old site whole, and the next
build cleans up after it.
"""

from __future__ import annotations

import hashlib
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import ROOT, commit_all, copy_project, run

pytestmark = pytest.mark.slow  # every test runs builds, some killed midway

PR = "7"
COMMANDS = {"build": ("build",), "offline": ("offline",), "preview": ("preview", "--pr", PR, "--base", "main")}
DELIVERABLES = ("site", "dist", "preview")
# The last line each command prints when MkDocs itself fails.
ENGINE_FAILED = {
    "build": r"build failed: .+; the previous site/ is unchanged",
    "offline": r"offline bundle failed: .+; the previous bundle is unchanged",
    "preview": r"preview failed: .+",
}
CONTENT_FAILED = r"\d+ problems? found; nothing was built\."
TEMPLATE_FAILED = r"1 template error; nothing was built\."


@dataclass(frozen=True)
class Breakage:
    """One way to break a copy of the project: replace `old` by `new` in `path` (`old` None: append)."""

    path: str
    old: str | None
    new: str
    # A line stderr must contain (regex; `{line}` is the line the breakage is on), and its last line.
    located: str
    last_line: str | None  # None: the command's ENGINE_FAILED line


BREAKAGES = {
    "content": Breakage(
        "content/drug/cellex.yaml", "title: Cellex\n", "titel: Cellex\n", r"content/drug/cellex\.yaml:{line}: titel: unknown field", CONTENT_FAILED
    ),
    # A lint error (here an unattributed claim) stops every target as `make check` does.
    "lint": Breakage(
        "content/procedure/cytokine-therapy.yaml",
        "status: Recently started by the centre;",
        "status: The most effective therapy, recently started;",
        r"content/procedure/cytokine-therapy\.yaml:{line}: status: error: claim 'most effective' is not attributed",
        CONTENT_FAILED,
    ),
    "template": Breakage(
        "generator/pages/templates/drug.md.j2", None, "{% for x in %}\n", r"generator/pages/templates/drug\.md\.j2:{line}: template: ", TEMPLATE_FAILED
    ),
    "theme": Breakage("site-overrides/main.html", None, "{% if %}\n", r"site-overrides/main\.html:{line}: template: ", TEMPLATE_FAILED),
    # `check` reports a link to a missing page or anchor itself, at its line (ids as the engine derives them).
    "link": Breakage(
        "content/pages/about.md",
        None,
        "\nSee [the archive](disclaimer.md#no-such-section).\n",
        r"content/pages/about\.md:{line}: .*no-such-section",
        CONTENT_FAILED,
    ),
    "config": Breakage("mkdocs.yml", None, "nav: [\n", r"mkdocs\.yml", None),
    # A page that would request another host is refused after the engine wrote it, before it is swapped in.
    "request": Breakage(
        "mkdocs.yml",
        "  font: false",
        "  font: {text: Roboto}",
        r"index\.html:\d+: <link rel=preconnect> href: requests https://fonts\.gstatic\.com from another host, .*theme\.font in mkdocs\.yml line {line}:",
        CONTENT_FAILED,
    ),
}


def snapshot(project: Path) -> dict[str, str]:
    """SHA-256 of every file, and every folder, of the deliverables, plus the names beside them (site.building, ...)."""
    found = {"(beside)": " ".join(sorted(p.name for p in project.iterdir() if p.name.startswith(DELIVERABLES)))}
    for name in DELIVERABLES:
        for path in sorted((project / name).rglob("*")):
            found[path.relative_to(project).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "(folder)"
    return found


@contextmanager
def broken(project: Path, breakage: Breakage) -> Iterator[int]:
    """Apply `breakage` for the duration of the block; yield the 1-based line it is on."""
    path = project / breakage.path
    original = path.read_text(encoding="utf-8")
    if breakage.old is None:
        text = original + breakage.new
        line = text.rstrip("\n").count("\n") + 1
    else:
        assert original.count(breakage.old) == 1, breakage
        text = original.replace(breakage.old, breakage.new)
        line = original[: original.index(breakage.old)].count("\n") + 1
    path.write_text(text, encoding="utf-8")
    try:
        yield line
    finally:
        path.write_text(original, encoding="utf-8")


@pytest.fixture(scope="module")
def delivered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project copy, committed as `main`, with a good site/, dist/ zip and preview/pr-7/."""
    project = copy_project(tmp_path_factory.mktemp("atomic") / "project")
    (project / "node_modules").symlink_to(ROOT / "node_modules")
    for name in ("mkdocs-offline.yml", "pyproject.toml"):
        (project / name).write_bytes((ROOT / name).read_bytes())
    commit_all(project, "base")
    for command in COMMANDS.values():
        result = run(project, *command, timeout=300)
        assert result.returncode == 0, result.stderr
    assert (project / "site/index.html").is_file() and list((project / "dist").glob("*.zip")) and (project / f"preview/pr-{PR}/index.html").is_file()
    return project


# Every command at every stage, except the theme template: all three reach it through the same
# build_site, so `build` alone stands for them there (a preview would spend ~10 s to fail the same way).
CASES = [(command, stage) for command in COMMANDS for stage in BREAKAGES if stage != "theme" or command == "build"]


@pytest.mark.parametrize(("command", "stage"), CASES)
def test_failed_command_leaves_every_deliverable_untouched(delivered: Path, command: str, stage: str) -> None:
    breakage = BREAKAGES[stage]
    before = snapshot(delivered)
    with broken(delivered, breakage) as line:
        result = run(delivered, *COMMANDS[command], timeout=300)
    assert result.returncode == 1, f"expected exit 1, got {result.returncode}\n{result.stdout}\n{result.stderr}"
    assert "Traceback" not in result.stderr, result.stderr
    assert re.search(breakage.located.format(line=line), result.stderr), result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert re.fullmatch(breakage.last_line or ENGINE_FAILED[command], last), last
    assert snapshot(delivered) == before


def test_snapshot_sees_a_changed_byte_and_a_leftover_folder(delivered: Path) -> None:
    """The comparison above could fail: one byte or one stray staging folder changes the snapshot."""
    before = snapshot(delivered)
    page = delivered / "site/index.html"
    original = page.read_bytes()
    page.write_bytes(original[:-1] + bytes([original[-1] ^ 1]))
    try:
        assert snapshot(delivered) != before
    finally:
        page.write_bytes(original)
    (delivered / "site.building").mkdir()
    try:
        assert snapshot(delivered) != before
    finally:
        (delivered / "site.building").rmdir()
    assert snapshot(delivered) == before


def test_build_killed_midway_leaves_the_old_site_whole_and_the_next_build_cleans_up(delivered: Path) -> None:
    marker = "Killed-build marker 5f3a"
    before = snapshot(delivered)
    staging = delivered / "site.building"
    with broken(delivered, Breakage("content/drug/cellex.yaml", "title: Cellex\n", f"title: Cellex {marker}\n", "", None)):
        environment = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"} | {"PYTHONDONTWRITEBYTECODE": "1"}
        build = subprocess.Popen([sys.executable, "-m", "generator", "build"], cwd=delivered, env=environment, start_new_session=True)
        try:
            # Kill once MkDocs has started writing the new site: the staging folder has files in it.
            deadline = time.monotonic() + 120
            while not (staging.is_dir() and any(staging.iterdir())):
                assert build.poll() is None, "the build finished before it could be killed midway"
                assert time.monotonic() < deadline, "the build never started writing its staging folder"
                time.sleep(0.005)
            os.killpg(build.pid, signal.SIGKILL)
        finally:
            build.wait(timeout=60)
        assert build.returncode == -signal.SIGKILL
        assert staging.is_dir(), "the kill should have left the half-built staging folder behind"
        assert {k: v for k, v in snapshot(delivered).items() if k.startswith("site/")} == {k: v for k, v in before.items() if k.startswith("site/")}
        assert marker not in (delivered / "site/drugs/cellex/index.html").read_text(encoding="utf-8")

        result = run(delivered, "build", timeout=300)
    assert result.returncode == 0, result.stderr
    assert not staging.exists() and not (delivered / "site.old").exists()
    assert marker in (delivered / "site/drugs/cellex/index.html").read_text(encoding="utf-8")


def test_build_killed_between_the_two_renames_is_recovered_by_the_next_run(delivered: Path) -> None:
    """`swap` renames site/ to site.old/ and then site.building/ to site/; a kill in between leaves only site.old/."""
    before = snapshot(delivered)
    os.replace(delivered / "site", delivered / "site.old")
    # Even a run that then fails on content puts the last good site back first.
    with broken(delivered, BREAKAGES["content"]):
        result = run(delivered, "build", timeout=300)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert snapshot(delivered) == before
