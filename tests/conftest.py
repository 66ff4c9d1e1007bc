"""Shared fixtures: a private copy of the project, and the CLI run on it.

The CLI finds its content through ``ROOT`` = the folder above the ``generator`` package, so a test
that edits content must run a *copy* of the package next to a copy of the content. ``project``
makes that copy in ``tmp_path``; ``run(project, "check")`` runs ``python -m generator check`` with
the copy as the working directory, so the copied package (not the working tree's) is imported.

Use from a test module::

    from conftest import run

    def test_something(project: Path) -> None:
        (project / "content" / "drug" / "cellex.yaml").write_text(...)
        result = run(project, "check")
        assert result.returncode == 1
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# What the CLI reads; site-overrides is only needed by `build`, and copying it is cheap.
PROJECT_PARTS = ("generator", "content", "site-overrides", "mkdocs.yml")


def copy_project(target: Path) -> Path:
    """Copy the parts of the project the CLI reads into `target` (created if needed); return it."""
    target.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, target / part, symlinks=True, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.is_file():
            shutil.copy2(source, target / part)
    return target


def run(project: Path, *args: str, timeout: float = 120, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``python -m generator *args`` inside `project` and return the finished process.

    stdout and stderr are captured as text. ``PYTHONPATH`` is dropped so only the copied package
    can be imported, and no bytecode is written into the copy.
    """
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    environment.update(env or {}, PYTHONDONTWRITEBYTECODE="1")
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=project,
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A fresh copy of the project in its own folder under `tmp_path`; edit it freely.

    The copy lives in ``tmp_path / "project"`` so a test can put files *outside* the project
    (e.g. a symlink target) in ``tmp_path`` itself.
    """
    return copy_project(tmp_path / "project")


def git(project: Path, *args: str) -> None:
    """Run git in `project` with a fixed identity (tests make their own throwaway repositories)."""
    identity = {"GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org", "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.org"}
    subprocess.run(["git", *args], cwd=project, env={**os.environ, **identity}, check=True, capture_output=True)


def commit_all(project: Path, message: str) -> None:
    """Make `project` a git repository (if needed) and commit everything in it."""
    if not (project / ".git").exists():
        git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", message)
