"""Content lints (`python -m generator check`): debris, unattributed claims, undated prices, unlisted sources, review dates.

Each test plants one problem in a copy of the fixture catalogue (tests/fixtures/catalogue/) and
checks the finding's path, line and field, computed from the text the test wrote. Most run the
lints in process on the copy (fast); a few run the command line for exit codes and output format.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from conftest import review_day, run

from generator.content.lint import Finding, lint_content, phrases
from generator.errors import ContentError
from generator.project import Project

TODAY = review_day()  # the fixture catalogue's review day: nothing is due
FINDING_LINE = re.compile(r"^(\S[^:]*):(\d+): ([^:]+): (error|warning): (.+)$", re.M)

M2 = "content/procedure/m2-macrophage-therapy.yaml"
CYTOKINE = "content/procedure/cytokine-therapy.yaml"
ISKITIM = "content/provider/iskitim-cp-centre.yaml"
REOCELL = "content/provider/reocell-clinic.yaml"
CERAXON = "content/drug/ceraxon.yaml"
CELLEX = "content/drug/cellex.yaml"
ABOUT = "content/pages/about.md"


def edit(project: Path, path: str, old: str, new: str) -> str:
    """Replace the one occurrence of `old` in the project file at `path` by `new`; return the new text."""
    file = project / path
    text = file.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} should occur exactly once in {path}"
    text = text.replace(old, new)
    file.write_text(text, encoding="utf-8")
    return text


def line_of(project: Path, path: str, needle: str) -> int:
    """1-based number of the one line of the project file at `path` that contains `needle`."""
    lines = (project / path).read_text(encoding="utf-8").splitlines()
    found = [n for n, line in enumerate(lines, start=1) if needle in line]
    assert len(found) == 1, f"{needle!r} should be on exactly one line of {path}, found on {found}"
    return found[0]


def findings(project: Path, today: datetime.date = TODAY) -> list[Finding]:
    return lint_content(Project.at(project), today)[1]


def only(project: Path, today: datetime.date = TODAY) -> Finding:
    """The single finding the planted problem must cause."""
    found = findings(project, today)
    assert len(found) == 1, "\n".join(map(str, found))
    return found[0]


def dated_files(project: Path) -> int:
    """How many files carry review dates: every entity and every hand-written page (not sources.yaml)."""
    content = project / "content"
    return len([p for p in content.glob("*/*.yaml")]) + len(list((content / "pages").glob("*.md")))


def assert_finding(finding: Finding, path: str, line: int, field: str, severity: str = "error") -> None:
    assert (finding.path, finding.line, finding.field, finding.severity) == (path, line, field, severity), str(finding)


# --- the fixture catalogue as it is ----------------------------------------------------------


def test_real_content_has_no_finding(project: Path) -> None:
    result = run(project, "check", "--today", TODAY.isoformat())
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("OK: ") and "warning" not in result.stdout, result.stdout
    assert result.stderr == ""


def test_real_content_has_no_error_whatever_the_date(project: Path) -> None:
    """Only the review-due warning depends on the date; a later day warns about every page, exit 0."""
    result = run(project, "check", "--today", "2027-11-23")
    assert result.returncode == 0, result.stderr
    warnings = FINDING_LINE.findall(result.stderr)
    assert warnings and {severity for *_, severity, _ in warnings} == {"warning"}, result.stderr
    assert len(warnings) == dated_files(project)
    assert re.search(r"; \d+ warnings?$", result.stdout.strip()), result.stdout


def test_errors_exit_1_with_one_line_each_and_a_count(project: Path) -> None:
    edit(project, CYTOKINE, "status: Recently started by the centre;", "status: The most effective therapy, recently started;")
    edit(project, REOCELL, "next_review: 2027-11-22", "next_review: 2027-11-23")
    result = run(project, "check", "--today", "2028-01-01")
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines[-1] == f"2 errors, {dated_files(project)} warnings found by the content lints.", lines[-1]
    assert len(FINDING_LINE.findall(result.stderr)) == len(lines) - 1 == 2 + dated_files(project)
    assert f"{CYTOKINE}:{line_of(project, CYTOKINE, 'status:')}: status: error: claim 'most effective' is not attributed" in result.stderr


def test_bad_today_is_a_usage_error_not_a_traceback(project: Path) -> None:
    result = run(project, "check", "--today", "tomorrow")
    assert result.returncode == 2 and "--today" in result.stderr and "Traceback" not in result.stderr, result.stderr


def test_lints_run_only_on_valid_content_and_leave_the_models_checks_to_the_models(project: Path) -> None:
    """A missing `sources` is the model's error (one line, no lint line); the lints do not repeat it."""
    edit(project, REOCELL, "sources:\n  - 004_edc3ec74891c668d.txt\n", "")
    with pytest.raises(ContentError) as raised:
        findings(project)
    assert [(p.path, p.field) for p in raised.value.problems if p.path == REOCELL] == [(REOCELL, "sources")]
    result = run(project, "check")
    assert result.returncode == 1 and not FINDING_LINE.search(result.stderr) and "sources: required field is missing" in result.stderr


# --- debris -----------------------------------------------------------------------------------


def test_debris_inside_a_folded_paragraph_is_found_on_its_own_line(project: Path) -> None:
    edit(project, M2, "by lumbar puncture.\n", "by lumbar puncture. Leave Your\n    Comment\n")
    assert_finding(only(project), M2, line_of(project, M2, "Leave Your"), "description[1]")


def test_debris_in_a_list_item(project: Path) -> None:
    edit(project, ISKITIM, "  - +7(913)941-12-16\n", "  - ✆ +7(913)941-12-16\n")
    finding = only(project)
    assert_finding(finding, ISKITIM, line_of(project, ISKITIM, "✆"), "phones[0]")
    assert "'✆'" in finding.message


def test_debris_in_a_hand_written_page_body_and_front_matter(project: Path) -> None:
    edit(project, ABOUT, "description: What this reference covers", "description: Read more. What this reference covers")
    text = (project / ABOUT).read_text(encoding="utf-8")
    (project / ABOUT).write_text(text + "\n© 2009 — 2022 CP treatment center. All rights reserved.\n", encoding="utf-8")
    front, body = findings(project)
    assert_finding(front, ABOUT, 3, "description")
    assert_finding(body, ABOUT, line_of(project, ABOUT, "All rights reserved"), "(body)")


def test_debris_words_inside_other_words_are_not_debris(project: Path) -> None:
    """Whole words only: "shared on" is not "share on", "spread more" not "read more"."""
    edit(project, CYTOKINE, "status: Recently started by the centre;", "status: Results were shared only in person, spread more widely later;")
    assert findings(project) == []


# --- claims -----------------------------------------------------------------------------------


def test_unattributed_claim_outside_provider_claims(project: Path) -> None:
    edit(project, CYTOKINE, "status: Recently started by the centre;", "status: The most effective therapy, recently started;")
    finding = only(project)
    assert_finding(finding, CYTOKINE, line_of(project, CYTOKINE, "status:"), "status")
    assert "provider_claims" in finding.message


@pytest.mark.parametrize(
    "status",
    [
        "According to the centre, the most effective therapy; recently started;",  # attributed
        "The centre says it is the most effective therapy; recently started;",  # attributed
        "Its benefit has not been clinically proven; recently started;",  # a denial, not a claim
    ],
)
def test_attributed_or_denied_claims_pass(project: Path, status: str) -> None:
    edit(project, CYTOKINE, "status: Recently started by the centre;", f"status: {status}")
    assert findings(project) == []


def test_claims_in_provider_claims_need_no_attribution(project: Path) -> None:
    edit(project, ISKITIM, "provider_claims:\n", "provider_claims:\n  - The most effective, completely safe treatment.\n")
    assert findings(project) == []


# --- prices -----------------------------------------------------------------------------------


def test_price_in_running_text_has_no_date(project: Path) -> None:
    edit(project, CERAXON, "  - It reduces amnesia and raises", "  - The average price is 1,200 rubles.\n  - It reduces amnesia and raises")
    finding = only(project)
    assert finding.path == CERAXON and finding.line == line_of(project, CERAXON, "1,200 rubles") and finding.field.startswith("pharmacodynamics[")
    assert "'1,200 rubles'" in finding.message and "as_of" in finding.message


def test_price_dated_after_the_review(project: Path) -> None:
    edit(project, CERAXON, "    as_of: null\n", "    as_of: 2027-01-01\n")
    assert_finding(only(project), CERAXON, line_of(project, CERAXON, "as_of:"), "prices[0].as_of")


# --- sources and review dates -----------------------------------------------------------------


def test_source_cited_in_a_note_but_left_out_of_the_sources_list(project: Path) -> None:
    edit(project, CELLEX, "sources:\n  - 001_301569f03230e822.txt\n  - 000_f4c893a775ef8382.txt\n", "sources:\n  - 001_301569f03230e822.txt\n")
    found = findings(project)
    lines = (project / CELLEX).read_text(encoding="utf-8").splitlines()
    cited = [n for n, line in enumerate(lines, start=1) if line.strip() == "- 000_f4c893a775ef8382.txt"]
    assert cited and [f.line for f in found] == cited, found
    assert all(f.path == CELLEX and re.fullmatch(r"editorial_notes\[\d+\]\.sources\[\d+\]", f.field) for f in found), found


def test_review_interval_longer_than_a_year(project: Path) -> None:
    edit(project, REOCELL, "next_review: 2027-11-22", "next_review: 2027-11-23")
    assert_finding(only(project), REOCELL, line_of(project, REOCELL, "next_review:"), "next_review")


def test_review_due_is_a_warning_from_the_injected_day_on(project: Path) -> None:
    edit(project, ABOUT, "next_review: 2027-11-22", "next_review: 2027-01-31")
    assert findings(project, datetime.date(2027, 1, 31)) == []
    assert_finding(only(project, datetime.date(2027, 2, 1)), ABOUT, line_of(project, ABOUT, "next_review:"), "next_review", "warning")


def test_a_change_note_dated_in_the_future_is_an_error(project: Path) -> None:
    """The models keep a note on or before last_reviewed; the lint keeps it on or before today."""
    edit(project, REOCELL, "changes: []\n", "changes:\n  - date: 2026-11-21\n    note: The clinic's address is no longer given.\n")
    assert findings(project, datetime.date(2026, 11, 22)) == []
    # A day before the note: the note is in the future (and so is the page's review date, its own finding).
    found = [f for f in findings(project, datetime.date(2026, 11, 20)) if f.field == "changes[0].date"]
    assert len(found) == 1
    assert_finding(found[0], REOCELL, line_of(project, REOCELL, "- date: 2026-11-21"), "changes[0].date")
    assert "in the future" in found[0].message


# --- the phrase lists are data ------------------------------------------------------------------


def test_phrase_lists_are_loaded_from_the_data_file() -> None:
    loaded = phrases()
    assert len(loaded.debris) >= 20 and len(loaded.claims) >= 10
    assert loaded.attribution.search("According to the clinic") and not loaded.attribution.search("The clinic offers")
