"""generator/parallel.py: forked work gives what the same work in this process gives, errors included."""

from __future__ import annotations

import os
import pickle
import threading
from pathlib import Path

import jinja2
import pytest

from generator.errors import ContentError, ContentProblem, template_error_line
from generator.parallel import PARALLEL_FROM, ChildFailed, fork_map, forks, in_child


def test_fork_map_returns_every_result_in_order_from_workers() -> None:
    count = PARALLEL_FROM * 3
    parent = os.getpid()
    results = list(fork_map(lambda i: (i * i, os.getpid()), count))
    assert [square for square, _ in results] == [i * i for i in range(count)]
    if forks(count):  # more than one core: the work ran in other processes
        assert parent not in {pid for _, pid in results}


def test_fork_map_keeps_a_small_batch_in_this_process() -> None:
    assert not forks(PARALLEL_FROM - 1)
    assert {pid for pid in fork_map(lambda i: os.getpid(), 3)} == {os.getpid()}


def test_in_child_returns_the_result_and_raises_the_error_here() -> None:
    assert in_child(lambda: os.getpid()) != os.getpid()
    problem = ContentProblem("content/drug/x.yaml", 3, "title", "required field is missing (expected a value)")

    def fails() -> None:
        raise ContentError([problem])

    with pytest.raises(ContentError) as raised:
        in_child(fails)
    assert raised.value.problems == [problem]  # crossed the process boundary with its problems, not its message


def test_in_child_reports_a_result_it_cannot_send() -> None:
    with pytest.raises(ChildFailed, match="cannot pickle"):
        in_child(threading.Lock)


def broken_template(folder: Path) -> jinja2.Template:
    """A template whose second line fails when rendered (an attribute of nothing)."""
    (folder / "page.md.j2").write_text("# {{ title }}\n{{ page.missing.deeper }}\n", encoding="utf-8")
    return jinja2.Environment(loader=jinja2.FileSystemLoader(folder), undefined=jinja2.StrictUndefined).get_template("page.md.j2")


def test_a_template_error_keeps_its_file_and_line_across_the_process_boundary(tmp_path: Path) -> None:
    template = broken_template(tmp_path)
    expected = "page.md.j2:2: template: 'page' is undefined"
    with pytest.raises(jinja2.TemplateError) as here:
        template.render(title="x")
    assert template_error_line(here.value, tmp_path) == expected
    # Negative control: pickling, as the trip back from a child does, drops the traceback and with it the location.
    assert template_error_line(pickle.loads(pickle.dumps(here.value)), tmp_path) == "(template):1: template: 'page' is undefined"
    with pytest.raises(jinja2.TemplateError) as from_child:
        in_child(lambda: template.render(title="x"))
    assert template_error_line(from_child.value, tmp_path) == expected
    with pytest.raises(jinja2.TemplateError) as from_worker:
        list(fork_map(lambda i: template.render(title=str(i)), 4, smallest=1))
    assert template_error_line(from_worker.value, tmp_path) == expected
