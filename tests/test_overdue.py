"""An overdue review is visible: the page tells readers "Review overdue since <date>" beside its
review dates, and a build names each overdue page in its output (a warning, not a failure).

The date is always injected (`render_site(..., today)`, `generate(..., today=...)`), derived from
the fixture's own dates; the one test that runs the real command dates a review in 2000, overdue
whatever the clock says.
"""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURE, copy_project, review_day, run

from generator.content.catalogue import Catalogue
from generator.pages.generate import generate
from generator.pages.render import render_site
from generator.project import Project

OVERDUE = "Review overdue since "
REOCELL = "content/provider/reocell-clinic.yaml"
REOCELL_PAGE = "providers/reocell-clinic.md"


def date_long_ago(project: Path) -> None:
    """Give the ReoCell clinic a review of 2000, due in mid-2000: overdue on any later day."""
    file = project / REOCELL
    text = file.read_text(encoding="utf-8")
    for field, day in (("last_reviewed", "2000-01-01"), ("next_review", "2000-06-01")):
        (line,) = [line for line in text.splitlines() if line.startswith(f"{field}:")]
        text = text.replace(line, f"{field}: {day}")
    file.write_text(text, encoding="utf-8")


def test_a_page_shows_an_overdue_review_on_the_build_date_and_only_then(catalogue: Catalogue) -> None:
    earliest = min(entity.next_review for entity in catalogue.all())
    day_after = earliest + datetime.timedelta(days=1)
    overdue_site = render_site(catalogue, day_after)
    for entity in catalogue.all():
        page = overdue_site.pages[catalogue.path_of(entity)]
        shown = f"{OVERDUE}{entity.next_review.isoformat()}:" in page
        assert shown == (entity.next_review < day_after), catalogue.path_of(entity)
    assert any(OVERDUE in page for page in overdue_site.pages.values())
    # On the fixture's review day nothing is due, and without a date nothing is said.
    for site in (render_site(catalogue, review_day()), render_site(catalogue)):
        assert [path for path, page in site.pages.items() if OVERDUE in page] == []


def test_generate_names_each_overdue_page(tmp_path: Path) -> None:
    shutil.copytree(FIXTURE, tmp_path / "content")
    assert generate(Project.at(tmp_path), tmp_path / "out", today=review_day()).overdue == []
    date_long_ago(tmp_path)
    generated = generate(Project.at(tmp_path), tmp_path / "out", today=review_day())
    assert len(generated.overdue) == 1 and generated.overdue[0].startswith(f"warning: {REOCELL_PAGE}: review overdue since 2000-06-01"), generated.overdue
    page = (tmp_path / "out" / REOCELL_PAGE).read_text(encoding="utf-8")
    assert f"{OVERDUE}2000-06-01:" in page
    assert page.index("Next review due: 2000-06-01") < page.index(OVERDUE)  # beside the review date


@pytest.mark.slow
def test_make_site_warns_and_the_page_shows_it(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    date_long_ago(project)
    result = run(project, "build", timeout=300)
    assert result.returncode == 0, result.stderr
    assert f"warning: {REOCELL_PAGE}: review overdue since 2000-06-01" in result.stderr
    assert len([line for line in result.stderr.splitlines() if "review overdue" in line]) == 1, result.stderr
    html = (project / "site" / "providers" / "reocell-clinic" / "index.html").read_text(encoding="utf-8")
    assert f"{OVERDUE}2000-06-01" in html
