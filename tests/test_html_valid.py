"""HTML validity: the Nu Html Checker (vnu) over every page of every target, and of the live content's site.

vnu is the current release from npm (`vnu-jar`, pinned in package.json and package-lock.json, installed
by `make test` into node_modules/), run with the machine's Java (Debian's default-jre-headless).

Zero errors from our templates, overrides or content. What the Material theme's own templates
write is listed in THEME_ERRORS with the template it comes from; anything else fails, and so does
an entry that no longer matches anything (the theme fixed it, or the entry hides nothing).
"""

from __future__ import annotations

import json
import re
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import ROOT, TARGETS

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


@pytest.fixture(scope="module", autouse=True)
def vnu_installed() -> None:
    if not VNU.is_file():
        pytest.fail(f"{VNU.relative_to(ROOT)} is missing: `make test` installs the pinned npm packages (npm ci)")


@pytest.mark.slow  # runs Java on the npm package: not in the fast tier
def test_vnu_is_the_version_package_json_pins() -> None:
    pinned = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["dependencies"]["vnu-jar"]
    locked = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))["packages"]["node_modules/vnu-jar"]["version"]
    result = subprocess.run(["java", "-jar", str(VNU), "--version"], capture_output=True, text=True, timeout=120, check=True)
    assert pinned == locked == result.stdout.split()[0]  # "26.9.27 (commit)"


@dataclass(frozen=True)
class ThemeError:
    """An error Material causes: the message, the markup it is reported on, and why it is not ours."""

    message: re.Pattern[str]
    markup: re.Pattern[str]
    reason: str


THEME_ERRORS = (
    ThemeError(
        re.compile(r"^Bad value “” for attribute “tabindex” on element “label”"),
        re.compile(r'^<label class="md-nav__link[^"]*" for="__nav_[\d_]+" id="__nav_[\d_]+_label" tabindex="">$'),
        'material/templates/partials/nav-item.html writes tabindex="{{ tabindex }}" on section labels; empty when a section is not focusable',
    ),
    ThemeError(
        re.compile(r"^Attribute “autocomplete” is only allowed when the input type is"),
        re.compile(r'^<input class="md-toggle" data-md-toggle="(drawer|search)" type="checkbox" id="__(drawer|search)" autocomplete="off">$'),
        'material/templates/base.html puts autocomplete="off" on its hidden drawer and search checkboxes (keeps Firefox from restoring their state)',
    ),
    ThemeError(
        re.compile(r"^The value of the “for” attribute of the “label” element must be the ID of a non-hidden form control\.$"),
        re.compile(r'^<label class="md-nav__title" for="__toc">$'),
        "material/templates/partials/toc.html labels the __toc toggle, which nav-item.html does not write on section index pages",
    ),
)


@dataclass(frozen=True)
class VnuError:
    """One error vnu reported: page, line, message and the markup it points at."""

    page: str
    line: int
    message: str
    markup: str

    def __str__(self) -> str:
        return f"{self.page}:{self.line}: {self.message} [{self.markup}]"


def validate(folders: dict[str, Path]) -> tuple[dict[str, list[VnuError]], dict[str, int]]:
    """Run vnu once over every HTML page of every folder; return its errors and page count per folder name."""
    pages = {name: sorted(folder.rglob("*.html")) for name, folder in folders.items()}
    # One JVM for all pages: start-up and warm-up dominate. C1-only compilation and the serial
    # collector cut vnu's CPU time by more than half on a short run like this. The current vnu
    # evaluates its HTML schema recursively: with C1's larger frames it needs a deep thread stack.
    command = ["java", "-Xss8m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", str(VNU), "--format", "json", "--exit-zero-always"]
    result = subprocess.run([*command, *(str(page) for group in pages.values() for page in group)], capture_output=True, text=True, timeout=300, check=True)
    errors: dict[str, list[VnuError]] = {name: [] for name in folders}
    for message in json.loads(result.stderr)["messages"]:
        # "error" and "non-document-error" (an unreadable file) fail; "info" is advice, not invalidity.
        if message["type"] == "info":
            continue
        extract, start = message.get("extract", ""), message.get("hiliteStart", 0)
        markup = " ".join(extract[start : start + message.get("hiliteLength", len(extract))].split())
        path = Path(message.get("url", "").removeprefix("file:"))
        name = next((name for name, folder in folders.items() if path.is_relative_to(folder)), None)
        if name is None:  # not about one of our files: report it against every folder rather than drop it
            for group in errors.values():
                group.append(VnuError(str(path), 0, message["message"], markup))
            continue
        errors[name].append(VnuError(path.relative_to(folders[name]).as_posix(), message.get("lastLine", 0), message["message"], markup))
    return errors, {name: len(group) for name, group in pages.items()}


def theme_error(error: VnuError) -> ThemeError | None:
    """The allow-list entry that explains `error`, if any."""
    return next((entry for entry in THEME_ERRORS if entry.message.search(error.message) and entry.markup.search(error.markup)), None)


# Markup vnu must reject, checked in the same Java run as the targets: the negative case. The
# label copies the theme's toc label, so the allow-list must match markup, not just messages.
INVALID_PAGE = (
    '<!doctype html><html lang="en"><head><title>t</title></head><body>'
    '<p id="dose">a</p><p id="dose">b</p>'
    '<label class="md-nav__title" for="missing-control">x</label>'
    "<table><tr><td>a</td></tr><th>late header</th></table>"
    "</body></html>"
)


@pytest.fixture(scope="module")
def vnu_errors(targets: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[VnuError]]:
    """vnu's errors per target (and for INVALID_PAGE, as "invalid"), from one Java run over all pages."""
    invalid = tmp_path_factory.mktemp("invalid")
    (invalid / "bad.html").write_text(INVALID_PAGE, encoding="utf-8")
    start = time.perf_counter()
    errors, pages = validate({**{target: targets[target] for target in TARGETS}, "invalid": invalid})
    for target in TARGETS:
        ours = sum(theme_error(error) is None for error in errors[target])
        print(f"vnu {target}: {pages[target]} pages, {len(errors[target])} errors ({ours} ours)")
    print(f"vnu: {sum(pages.values())} pages in {time.perf_counter() - start:.1f} s")
    return errors


@pytest.mark.parametrize("target", TARGETS)
def test_no_page_has_an_html_error_we_cause(vnu_errors: dict[str, list[VnuError]], target: str) -> None:
    ours = [str(error) for error in vnu_errors[target] if theme_error(error) is None]
    assert ours == []


@pytest.fixture(scope="module")
def live_vnu_errors(live_site: Path) -> list[VnuError]:
    """vnu's errors on the live content's site (its own Java run, so `pytest -m live` needs no other target)."""
    errors, pages = validate({"live": live_site})
    print(f"vnu live: {pages['live']} pages, {len(errors['live'])} errors")
    return errors["live"]


@pytest.mark.live
def test_no_live_page_has_an_html_error_we_cause(live_vnu_errors: list[VnuError]) -> None:
    assert [str(error) for error in live_vnu_errors if theme_error(error) is None] == []


def test_every_allow_listed_theme_error_still_occurs(vnu_errors: dict[str, list[VnuError]]) -> None:
    """An entry that matches nothing is stale: drop it, so the list never hides a future error of ours."""
    matched = {theme_error(error) for target in TARGETS for error in vnu_errors[target]}
    assert [entry.reason for entry in THEME_ERRORS if entry not in matched] == []


def test_vnu_reports_invalid_markup_and_the_allow_list_does_not_excuse_it(vnu_errors: dict[str, list[VnuError]]) -> None:
    """The checker really runs and fails invalid pages; errors like these in our markup are not theme errors."""
    errors = vnu_errors["invalid"]
    messages = [error.message for error in errors]
    assert any("Duplicate ID “dose”" in message for message in messages), messages
    assert any("“for” attribute of the “label” element" in message for message in messages), messages
    assert all(theme_error(error) is None for error in errors), [str(error) for error in errors]
