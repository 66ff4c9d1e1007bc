"""generator/parallel.py: forked work gives what the same work in this process gives, errors included."""

from __future__ import annotations

import os
import threading

import pytest

from generator.errors import ContentError, ContentProblem
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
