"""Lighthouse (tests/lighthouse.py) on the home page, a drug, a procedure and the condition, as a
phone and as a desktop: accessibility, best practices and SEO all 100.

Run on the fixture catalogue (tests/fixtures/catalogue/); `make lighthouse` runs the live content,
with performance too (left out here: it is timing, and the machine is shared).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import copy_project
from lighthouse import CHROMIUM, LIGHTHOUSE, PAGES, PRESETS, REQUIRED, audit, table

# Chromium and the npm packages, and a whole-site build: left out of `make test-fast`.
pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_accessibility_best_practices_and_seo_are_100_on_phone_and_desktop(tmp_path: Path) -> None:
    assert LIGHTHOUSE.is_file(), "Lighthouse is not installed: npm ci (make test does it)"
    assert Path(CHROMIUM).is_file(), "Debian's Chromium is not installed (make test does it)"
    project = copy_project(tmp_path / "project")
    results = audit(project, tmp_path / "site", tmp_path / "reports", REQUIRED, workers=2)
    assert [(r.page, r.preset) for r in results] == [(page, preset) for preset in PRESETS for page in PAGES]
    below = [r for r in results if any(r.scores[category] != 100 for category in REQUIRED)]
    assert below == [], table(results)
