"""The hook's `Unindented` (generator/engines/mkdocs_hooks.py) drops the theme templates' indentation:
pages get smaller and a reader sees the same thing (text, whitespace between words, `<pre>` blocks)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import copy_project, run

from generator.engines.mkdocs_hooks import Unindented

_PRE = re.compile(r"<pre\b.*?</pre>", re.DOTALL | re.IGNORECASE)


def as_a_reader_sees_it(html: str) -> tuple[str, list[str]]:
    """The page with each run of whitespace as one space (as a browser shows it), and its `<pre>` blocks exactly."""
    return re.sub(r"\s+", " ", _PRE.sub("<pre>", html)).strip(), _PRE.findall(html)


def unindented(template: str) -> str:
    return Unindented.preprocess(None, template, "page.html")  # type: ignore[arg-type]  # uses no state


def test_a_template_loses_its_indentation_and_reads_the_same() -> None:
    template = "<p>\n    <a href='x'>Dose</a>\n    {% if on %}\n\t<b>10 mg</b>{% endif %}</p>\n"
    assert unindented(template) == "<p>\n<a href='x'>Dose</a>\n{% if on %}\n<b>10 mg</b>{% endif %}</p>\n"
    assert as_a_reader_sees_it(template) == as_a_reader_sees_it(unindented(template))
    code = "<div>\n  <pre>  a\n    b</pre>\n</div>"
    assert unindented(code) == code  # where indentation shows, the template is left as it is
    assert unindented(code.replace("pre>", "textarea>")) == code.replace("pre>", "textarea>")


def test_the_reader_comparison_sees_whitespace_that_shows() -> None:
    page = "<p>\n    <a href='x'>Dose</a>\n    <b>10 mg</b></p>\n<pre>  a\n    b</pre>"
    assert as_a_reader_sees_it(page) == as_a_reader_sees_it(page.replace("\n    <", "\n<"))
    assert as_a_reader_sees_it(page) != as_a_reader_sees_it(page.replace("\n    <b>", "<b>"))  # two words run together
    assert as_a_reader_sees_it(page) != as_a_reader_sees_it(page.replace("    b</pre>", "b</pre>"))  # code lost its indentation


@pytest.mark.slow  # two whole-site builds
def test_unindented_pages_are_smaller_and_read_the_same(tmp_path: Path) -> None:
    with_hook = copy_project(tmp_path / "with")
    without = copy_project(tmp_path / "without")
    hooks = without / "generator/engines/mkdocs_hooks.py"
    source = hooks.read_text(encoding="utf-8")
    assert "def on_env(" in source
    hooks.write_text(source.replace("def on_env(", "def not_an_event("), encoding="utf-8")
    for project in (with_hook, without):
        result = run(project, "build", timeout=600)
        assert result.returncode == 0, result.stderr
    pages = sorted(path.relative_to(without / "site") for path in (without / "site").rglob("*.html"))
    assert pages == sorted(path.relative_to(with_hook / "site") for path in (with_hook / "site").rglob("*.html"))
    smaller = 0
    for page in pages:
        short, long = (project / "site" / page for project in (with_hook, without))
        short_html, long_html = short.read_text(encoding="utf-8"), long.read_text(encoding="utf-8")
        assert as_a_reader_sees_it(short_html) == as_a_reader_sees_it(long_html), page
        smaller += len(short_html) < len(long_html)
    assert smaller == len(pages)
