"""On GitHub Actions, every located problem is also an annotation on the PR's diff.

With ``GITHUB_ACTIONS=true`` the CLI prints each ``path:line: field: message`` line as a workflow
command, ``::error file=path,line=N,title=field::path:N: field: message`` (``::warning`` for a lint
warning); elsewhere the plain line. The runner's own unescaping is reproduced here, so a path or
message with ``%``, ``,``, ``:`` or a newline is shown to arrive whole.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import run

from generator.content.lint import Finding
from generator.errors import ContentProblem, report_line

COMMAND = re.compile(r"^::(?P<level>error|warning) (?P<properties>[^:]*)::(?P<data>.*)$")


def unescape(text: str) -> str:
    """As the Actions runner reads a workflow command (`%0D`, `%0A`, `%3A`, `%2C`, then `%25`)."""
    for escaped, plain in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(escaped, plain)
    return text


def parse(line: str) -> tuple[str, dict[str, str], str]:
    """(level, properties, message) of one workflow command line; fails if it is not one."""
    match = COMMAND.match(line)
    assert match, f"not a workflow command: {line!r}"
    properties = dict(item.split("=", 1) for item in match["properties"].split(","))
    return match["level"], {key: unescape(value) for key, value in properties.items()}, unescape(match["data"])


def test_the_annotation_format(monkeypatch: pytest.MonkeyPatch) -> None:
    problem = ContentProblem("content/drug/cellex.yaml", 12, "doses[0].amount", "not a number (expected e.g. 5 mg)")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert report_line(problem) == (
        "::error file=content/drug/cellex.yaml,line=12,title=doses[0].amount::content/drug/cellex.yaml:12: doses[0].amount: not a number (expected e.g. 5 mg)"
    )
    warning = Finding("content/drug/cellex.yaml", 3, "next_review", "warning", "review was due")
    expected = "::warning file=content/drug/cellex.yaml,line=3,title=next_review::content/drug/cellex.yaml:3: next_review: warning: review was due"
    assert report_line(warning) == expected
    error = Finding("content/drug/cellex.yaml", 3, "summary", "error", "placeholder text")
    assert parse(report_line(error))[0] == "error"


def test_awkward_characters_arrive_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    problem = ContentProblem("content/drug/a,b:c%d.yaml", 7, "notes[0]: x,y", "50% of\nthe line\r")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    line = report_line(problem)
    assert "\n" not in line and "\r" not in line
    level, properties, message = parse(line)
    assert (level, properties, message) == ("error", {"file": problem.path, "line": "7", "title": problem.field}, str(problem))


@pytest.mark.parametrize("value", [None, "false", ""])
def test_plain_lines_outside_github_actions(monkeypatch: pytest.MonkeyPatch, value: str | None) -> None:
    problem = ContentProblem("content/drug/cellex.yaml", 12, "title", "required field is missing")
    if value is None:
        monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    else:
        monkeypatch.setenv("GITHUB_ACTIONS", value)
    assert report_line(problem) == "content/drug/cellex.yaml:12: title: required field is missing"


def test_check_annotates_each_problem_at_its_line(project: Path) -> None:
    path = project / "content/drug/cellex.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(i for i, line in enumerate(lines, 1) if line.startswith("title:"))
    lines[number - 1] = lines[number - 1].replace("title:", "titel:", 1)
    path.write_text("".join(lines), encoding="utf-8")

    plain = run(project, "check")
    annotated = run(project, "check", env={"GITHUB_ACTIONS": "true"})
    assert plain.returncode == annotated.returncode == 1
    plain_lines, annotated_lines = plain.stderr.splitlines(), annotated.stderr.splitlines()
    assert len(plain_lines) == len(annotated_lines) >= 2
    # Every problem line becomes an annotation whose message is the plain line; the count line stays.
    assert plain_lines[-1] == annotated_lines[-1] and not annotated_lines[-1].startswith("::")
    for text, command in zip(plain_lines[:-1], annotated_lines[:-1], strict=True):
        level, properties, message = parse(command)
        assert level == "error" and message == text
        assert text.startswith(f"{properties['file']}:{properties['line']}: {properties['title']}: ")
    assert parse(annotated_lines[0])[1] == {"file": "content/drug/cellex.yaml", "line": str(number), "title": "titel"}
    assert not any(line.startswith("::") for line in plain_lines)
