"""The two tiers of the suite: `make test` runs everything (CI's command); `make test-fast` runs
unit and in-process tests, without Chromium, the npm packages or whole-site builds."""

from __future__ import annotations

import re

import pytest
from conftest import PLAYWRIGHT_AT_COLLECTION, ROOT


def test_collecting_the_suite_imports_no_playwright(request: pytest.FixtureRequest) -> None:
    """Only a browser test, once it runs, imports Playwright (tests/browser.py, the `browser` fixture)."""
    assert request.config.stash[PLAYWRIGHT_AT_COLLECTION] is False


def recipe(target: str) -> list[str]:
    """The command lines of a Makefile target."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    found = re.search(rf"^{re.escape(target)}:[^\n]*\n((?:\t[^\n]*\n)+)", makefile, re.M)
    assert found, f"no target {target} in the Makefile"
    return [line.strip() for line in found.group(1).splitlines()]


def test_make_test_runs_every_test_and_test_fast_leaves_out_browser_and_slow() -> None:
    assert recipe("test") == ["$(PY) -m pytest"]
    assert recipe("test-fast") == ['$(PY) -m pytest -m "not browser and not slow" -n auto']
