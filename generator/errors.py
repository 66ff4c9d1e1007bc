"""The one error type editors see: a problem located at a file, a line and a field."""

from __future__ import annotations

import os
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import jinja2


@dataclass(frozen=True, order=True)
class ContentProblem:
    """One mistake in the content, printed as ``path:line: field: what is wrong (expected)``."""

    path: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.field}: {self.message}"


class ContentError(Exception):
    """Raised with every problem found in one run, so an editor can fix them all at once."""

    def __init__(self, problems: list[ContentProblem]) -> None:
        self.problems = sorted(set(problems))
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self) -> tuple[type[ContentError], tuple[list[ContentProblem]]]:
        """Pickled with its problems (it crosses from a generating child process to the parent)."""
        return (ContentError, (self.problems,))


class Located(Protocol):
    """A problem at a file, a line and a field: a ContentProblem or a lint Finding."""

    path: str
    line: int
    field: str


def report_line(problem: Located) -> str:
    """How the CLI prints a located problem: its own line, ``path:line: field: message``.

    Under GitHub Actions (``GITHUB_ACTIONS=true``) the same line is wrapped in a workflow command,
    ``::error file=path,line=N,title=field::path:N: field: message``, so the runner shows it as an
    annotation on that line of the pull request's diff while the log still reads as the plain line.
    A lint warning becomes a ``::warning``.
    """
    text = str(problem)
    if os.environ.get("GITHUB_ACTIONS") != "true":
        return text
    level = "warning" if getattr(problem, "severity", "error") == "warning" else "error"
    return f"::{level} file={_property(problem.path)},line={problem.line},title={_property(problem.field)}::{_data(text)}"


def _data(text: str) -> str:
    """A workflow command's message, escaped as the runner unescapes it."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    """A workflow command's property value (`file=`, `title=`), escaped as the runner unescapes it."""
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def display_path(path: Path, root: Path) -> str:
    """Path as an editor would type it: relative to the project root when inside it.

    Only the folder is resolved: a symlinked file is shown by its own name, not its target's.
    """
    try:
        return (path.parent.resolve() / path.name).relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def template_error_line(error: jinja2.TemplateError, root: Path) -> str:
    """`path:line: template: message` for an error raised while compiling or rendering a Jinja template,
    here or in a forked process (whose frames come back as `error.child_frames`, see generator/parallel.py)."""
    path, line = getattr(error, "filename", None), getattr(error, "lineno", None)
    if not path:
        # Jinja rewrites tracebacks so template frames carry the template's file and line.
        frames = [(f.filename, f.lineno) for f in traceback.extract_tb(error.__traceback__)] + getattr(error, "child_frames", [])
        templates = [frame for frame in frames if frame[0].endswith((".j2", ".html"))]
        path, line = templates[-1] if templates else (None, None)
    where = display_path(Path(path), root) if path else "(template)"
    message = " ".join(str(error.message or type(error).__name__).split())
    return f"{where}:{line or 1}: template: {message}"
