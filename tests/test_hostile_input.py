"""Hostile content values, property-based: shown as inert text, or rejected with one located line.

Hypothesis writes values made of arbitrary Unicode (control, bidi and format characters included),
HTML and attribute-breaking quotes, Markdown and its extensions (links, emphasis, headings, table
pipes, `{#id}`, admonitions), Jinja (`{{ }}`, `{% %}`, `{# #}`) and very long runs into several
fields of a copy of the fixture catalogue (tests/fixtures/catalogue/): a drug's title and summary,
a list item, an editorial note's topic and text, a provider claim, a table cell and a hand-written
page's front matter title.

Each value is wrapped in two markers, `Zq<n>a … Zq<n>z`. In the HTML, the whole span between them
must be one run of text: had any part of the value become a tag, a comment or a closed script, the
markers would land in different text runs. Markers may appear in no attribute but `content`/`title`
(meta tags), no link may use a `javascript:`/`data:` URL, the page's front matter must still parse
(MkDocs silently drops front matter that does not), and the text must survive exactly, `{{ 7*7 }}`
included (Jinja never evaluates content). Values too long for their field must instead be rejected
with `path:line: field: message` lines.

Most examples run the in-process pipeline (load → validate → render → Python-Markdown configured
from mkdocs.yml); a few run the real build. Both profiles are derandomised, so CI sees the same
examples every run. The fast tier runs the classic payloads alone; the generated examples are slow.
"""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import html
import re
import shutil
import tempfile
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import markdown
import pytest
import yaml
from conftest import FIXTURE, ROOT, copy_project, run
from hypothesis import HealthCheck, Phase, assume, event, example, given, settings
from hypothesis import strategies as st
from mkdocs.config import load_config
from mkdocs.utils.meta import get_data

from generator.content.load import RawContent, RawDocument, load_content
from generator.content.validate import validate
from generator.errors import ContentError
from generator.pages.render import render_site

IN_PROCESS_EXAMPLES = 60
FULL_BUILD_EXAMPLES = 3  # plus one explicit example of the classic payloads
PROBLEM_LINE = re.compile(r"^(\S[^:\n]*):(\d+): ([^:\n]+): ([^\n]+)$")
DANGEROUS_URL = re.compile(r"^\s*(?:javascript|vbscript|data):", re.I)
# Attributes that may legitimately carry content text: <meta content>, og tags, link titles.
TEXT_ATTRIBUTES = {"content", "title", "aria-label", "alt"}
# What the generator does to text: one line, unprintable code points as U+FFFD (see generator/pages/markdown.py).
UNPRINTABLE = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef" + "".join(chr(plane << 16 | end) for plane in range(17) for end in (0xFFFE, 0xFFFF)) + "]"
)


@dataclasses.dataclass(frozen=True)
class Target:
    """A content field that takes a hostile value, and the page where it must show as text."""

    kind: str  # content folder, or "pages" for a hand-written page
    slug: str
    location: tuple[str | int, ...]
    page: str  # rendered Markdown path
    max_length: int  # the field's declared limit: longer values may be rejected
    in_body: bool = True  # a hand-written page's title lives only in its front matter and the theme

    @property
    def file(self) -> str:
        return f"content/pages/{self.slug}.md" if self.kind == "pages" else f"content/{self.kind}/{self.slug}.yaml"

    @property
    def loaded_as(self) -> str:
        """The file as in-process problems name it: in the fixture catalogue, relative to the checkout."""
        return (FIXTURE.relative_to(ROOT) / Path(self.file).relative_to("content")).as_posix()

    @property
    def field(self) -> str:
        return "".join(f"[{part}]" if isinstance(part, int) else (f".{part}" if i else part) for i, part in enumerate(self.location))


TARGETS = [
    Target("drug", "cellex", ("title",), "drugs/cellex.md", 4000),
    Target("drug", "cellex", ("summary",), "drugs/cellex.md", 300),
    Target("condition", "cerebral-palsy", ("symptom_list", 0), "conditions/cerebral-palsy.md", 4000),
    Target("procedure", "m2-macrophage-therapy", ("editorial_notes", 0, "topic"), "procedures/m2-macrophage-therapy.md", 4000),
    Target("procedure", "m2-macrophage-therapy", ("editorial_notes", 0, "text"), "procedures/m2-macrophage-therapy.md", 4000),
    Target("provider", "iskitim-cp-centre", ("provider_claims", 0), "providers/iskitim-cp-centre.md", 4000),
    Target("provider", "iskitim-cp-centre", ("phones", 0), "providers/iskitim-cp-centre.md", 4000),
    Target("pages", "about", ("title",), "about.md", 4000, in_body=False),
]

FRAGMENTS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '"><svg onload=alert(1)>',
    "' onmouseover='alert(1)' x='",
    "</title><script>alert(1)</script>",
    "</script><script>alert(1)</script>",
    "<!-- c -->",
    "<a href='javascript:alert(1)'>x</a>",
    "[x](javascript:alert(1))",
    "![i](data:image/png;base64,AAAA)",
    "<https://evil.example>",
    "*em* **strong** _u_ __b__ `code` ~~s~~",
    "# heading",
    "## h {#id .cls onclick=alert(1)}",
    "{: onclick=alert(1) }",
    "| a | b |\n|---|---|\n| c | d |",
    '!!! danger "Title"\n    body',
    '??? note "x"',
    "{{ 7*7 }}",
    "{% if true %}x{% endif %}",
    "{# comment #}",
    "{## comment ##}",
    "{{ self.__init__.__globals__ }}",
    "&lt;b&gt; &#60;i&#62; &amp;",
    "\x02wzxhzdk:0\x03",  # Python-Markdown's own placeholder for stashed HTML
    "---",
    "1. item",
    "- item\n- item",
    "> quote",
    "    indented code",
    "line\\\nbreak",
    "\u202eevil\u202c \u2066isolate\u2069 \u200f",
    "\x00\x07\x1b\x7f\x85\x9f\ufeff\ufffe\uffff",
    "\r\n\t\u2028\u2029",
    "$x$ ^sup^ ==mark== :smile:",
]
piece = st.one_of(
    st.sampled_from(FRAGMENTS),
    st.text(max_size=30),  # any code point but surrogates, which YAML cannot hold
    st.characters(categories=["Cc", "Cf", "Zs", "Zl", "Zp", "Co", "Cn"]).map(lambda c: c * 3),
)
short_value = st.lists(piece, min_size=1, max_size=6).map("".join)
long_value = st.tuples(st.sampled_from(FRAGMENTS), st.integers(min_value=5, max_value=150)).map(lambda pair: pair[0] * pair[1])
value = st.one_of(short_value, short_value, short_value, short_value, short_value, long_value)  # long: 1 in 6
# Target index → value: up to every target at once, each with its own value.
assignments = st.dictionaries(st.integers(min_value=0, max_value=len(TARGETS) - 1), value, min_size=1, max_size=5)


# --- what a value should look like once rendered --------------------------------------------------


def marked(index: int, text: str) -> str:
    """The value as stored: the hostile text between the target's two markers."""
    return f"Zq{index}a {text} Zq{index}z"


def shown(text: str) -> str:
    """What a reader must see for a stored value: one line, stripped, unprintables as U+FFFD."""
    return UNPRINTABLE.sub("\ufffd", re.sub(r"\s+", " ", text)).strip()


# Every text field refuses more than this; a field's own lower limit (the 300-character summary) is
# `Target.max_length`. Values in between may go either way: Entity.summary declares 300 with
# `Text = Field(max_length=300)`, which pydantic 2.14 does not apply on top of Text's own 4000.
TEXT_LIMIT = 4000


def too_long(target: Target, stored: str) -> bool:
    """Longer than the field declares: rejecting it is right."""
    return len(stored.strip()) > target.max_length


def far_too_long(stored: str) -> bool:
    """Longer than any text field takes: it must be rejected."""
    return len(stored.strip()) > TEXT_LIMIT


class Html(HTMLParser):
    """Text runs between tags, and every tag's attributes."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.runs: list[str] = []
        self.attributes: list[tuple[str, str, str]] = []
        self.feed(page)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.attributes += [(tag, name, value or "") for name, value in attrs]

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        self.runs.append(data)


def assert_inert(page_html: str, where: str, values: dict[int, str], on_this_page: list[int]) -> None:
    """No markup from any value on the page; the values meant for this page shown exactly as text."""
    parsed = Html(page_html)
    for tag, name, attribute in parsed.attributes:
        if name in ("href", "src", "action", "formaction", "srcset"):
            assert not DANGEROUS_URL.match(attribute), f"{where}: <{tag} {name}={attribute!r}>"
        for index in values:
            if f"Zq{index}a" in attribute or f"Zq{index}z" in attribute:
                assert name in TEXT_ATTRIBUTES, f"{where}: content reached <{tag} {name}={attribute!r}>"
                assert f"Zq{index}a" in attribute and f"Zq{index}z" in attribute, f"{where}: a value split across <{tag} {name}>"
    for text_run in parsed.runs:
        for index in values:
            # Both markers in the same run of text, as often as each other: nothing in between became a tag.
            assert text_run.count(f"Zq{index}a") == text_run.count(f"Zq{index}z"), f"{where}: value {index} was broken up by markup:\n{text_run[:300]!r}"
    text = "".join(parsed.runs)
    for index in on_this_page:
        assert shown(values[index]) in text, f"{where}: value {index} does not survive as text: {shown(values[index])[:200]!r}"


# --- in-process pipeline -------------------------------------------------------------------------


@cache
def base_content() -> RawContent:
    return load_content(FIXTURE, ROOT)


@cache
def markdown_converter() -> markdown.Markdown:
    """Python-Markdown with the extensions and settings mkdocs.yml gives MkDocs."""
    with tempfile.TemporaryDirectory() as docs:  # MkDocs insists that docs_dir exists; nothing is built
        config = load_config(str(ROOT / "mkdocs.yml"), docs_dir=docs)
    return markdown.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs)


def with_values(raw: RawContent, values: dict[int, str]) -> RawContent:
    """A copy of the loaded content with each target's value replaced (line numbers kept)."""
    changed: dict[tuple[str, str], Any] = {}
    for index, stored in values.items():
        target = TARGETS[index]
        key = (target.kind, target.slug)
        if key not in changed:
            document = next(d for d in [*raw.entities, *raw.pages] if _key(d) == key)
            changed[key] = copy.deepcopy(document.doc.data)
        holder = changed[key]
        for part in target.location[:-1]:
            holder = holder[part]
        holder[target.location[-1]] = stored

    def replaced(document: RawDocument) -> Any:
        data = changed.get(_key(document))
        if data is None:
            return document
        # The pipeline memoises each step by a digest of the file's text; this text was never written.
        key = {"digest": hashlib.sha256(repr(data).encode()).hexdigest()} if hasattr(document.doc, "digest") else {}
        return dataclasses.replace(document, doc=dataclasses.replace(document.doc, data=data, **key))

    return dataclasses.replace(raw, entities=[replaced(e) for e in raw.entities], pages=[replaced(p) for p in raw.pages])


def _key(document: RawDocument) -> tuple[str, str]:
    return (getattr(document, "kind", "pages"), document.slug)  # type: ignore[attr-defined]


def assert_rejected_cleanly(problems: list[Any], values: dict[int, str]) -> None:
    """Every problem is one located line about a field that got a value too long for it, or a link to its entity."""
    rejected = [TARGETS[i] for i, stored in values.items() if too_long(TARGETS[i], stored)]
    assert rejected, "a value that fits its field was rejected:\n" + "\n".join(map(str, problems))
    fields = {(target.loaded_as, target.field) for target in rejected}
    # An entity that fails validation no longer exists for the pages that link to it.
    dangling = re.compile("|".join(rf"no {t.kind} with slug {t.slug!r} " for t in rejected))
    for problem in problems:
        line = str(problem)
        assert PROBLEM_LINE.fullmatch(line), f"not one located line: {line!r}"
        assert (problem.path, problem.field) in fields or dangling.match(problem.message), line


# The classic payloads, and values over 4000 characters (rejected): the fast tier runs these alone.
CLASSIC_PAYLOADS = [
    {0: "</title><script>alert(1)</script>", 1: '"><img src=x onerror=alert(1)>', 3: "## x {#id}", 5: "{{ 7*7 }}", 6: "| a | b |", 7: "\x7f\ufffe"},
    {1: "[x](javascript:alert(1)) " * 200, 4: "{% if %}" * 600},
]


@pytest.mark.parametrize("assignment", CLASSIC_PAYLOADS, ids=["classic payloads", "over long"])
def test_classic_payloads_render_as_text_or_are_rejected_in_process(assignment: dict[int, str]) -> None:
    assert render_as_text_or_reject(assignment) == ("accepted and rendered as text" if 0 in assignment else "rejected with located lines")


@settings(
    max_examples=IN_PROCESS_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.generate],
    suppress_health_check=[HealthCheck.too_slow],
)
@given(assignments)
@pytest.mark.slow  # about 0.5 s an example
def test_hostile_values_render_as_text_or_are_rejected_in_process(assignment: dict[int, str]) -> None:
    event(render_as_text_or_reject(assignment))


def render_as_text_or_reject(assignment: dict[int, str]) -> str:
    """Validate and render the fixture catalogue with the values; check the outcome and say which it was."""
    values = {index: marked(index, text) for index, text in assignment.items()}
    try:
        catalogue = validate(with_values(base_content(), values))
    except ContentError as error:
        assert_rejected_cleanly(error.problems, values)
        return "rejected with located lines"
    assert not any(far_too_long(stored) for stored in values.values()), "a value longer than any field allows was accepted"
    pages = render_site(catalogue).pages
    converter = markdown_converter()
    for path, source in pages.items():
        if not any(f"Zq{index}" in source for index in values):
            continue
        body, meta = get_data(source)
        assert {"title", "description"} <= meta.keys(), f"{path}: MkDocs could not read the front matter"
        for name in ("title", "description"):
            # Front matter is printed into HTML unescaped by the theme, so it must be escaped text already.
            assert html.escape(html.unescape(meta[name]), quote=True) == meta[name], f"{path}: front matter {name} is not escaped text: {meta[name]!r}"
        converter.reset()
        assert_inert(converter.convert(body), path, values, [i for i in values if TARGETS[i].page == path and TARGETS[i].in_body])
        for index in values:
            target = TARGETS[index]
            if target.page == path and target.location == ("title",):
                assert html.unescape(meta["title"]) == shown(values[index]), f"{path}: title changed on its way to the front matter"
    return "accepted and rendered as text"


# --- the real build -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def build_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_project(tmp_path_factory.mktemp("hostile") / "project")


def write_values(project: Path, values: dict[int, str]) -> None:
    """Write the values into a fresh copy of the fixture catalogue's files (YAML re-dumped, comments dropped)."""
    shutil.rmtree(project / "content")
    shutil.copytree(FIXTURE, project / "content")
    for index, stored in values.items():
        target = TARGETS[index]
        path = project / target.file
        text = path.read_text(encoding="utf-8")
        front, body = text.removeprefix("---\n").split("\n---\n", 1) if target.kind == "pages" else (text, "")
        data = yaml.safe_load(front)
        holder = data
        for part in target.location[:-1]:
            holder = holder[part]
        holder[target.location[-1]] = stored
        dumped = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10**6)
        assume(yaml.safe_load(dumped) == data)  # PyYAML itself must be able to hold the value
        path.write_text(f"---\n{dumped}---\n{body}" if target.kind == "pages" else dumped, encoding="utf-8")


@settings(
    max_examples=FULL_BUILD_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
@given(assignments)
@example({0: "</title><script>alert(1)</script> {{ 7*7 }}", 1: '"><img src=x onerror=alert(1)> [x](javascript:alert(1))', 6: "| a | b |", 7: "{% raw %}\x7f"})
@pytest.mark.slow
def test_hostile_values_render_as_text_or_are_rejected_by_the_real_build(build_project: Path, assignment: dict[int, str]) -> None:
    values = {index: marked(index, text) for index, text in assignment.items()}
    write_values(build_project, values)
    result = run(build_project, "build", timeout=300)
    assert "Traceback" not in result.stderr, result.stderr
    event("rejected with located lines" if result.returncode else "accepted and built as text")
    if result.returncode != 0:
        assert result.returncode == 1, result.stderr
        *lines, count = result.stderr.strip().splitlines()
        assert re.fullmatch(r"\d+ problems? found; nothing was built\.", count), result.stderr
        assert lines and all(PROBLEM_LINE.fullmatch(line) for line in lines), result.stderr
        assert any(too_long(TARGETS[i], stored) for i, stored in values.items()), result.stderr
        return
    assert not any(far_too_long(stored) for stored in values.values()), "a value longer than any field allows was accepted"
    site = build_project / "site"
    for page in sorted(site.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        if any(f"Zq{index}" in text for index in values):
            on_page = [i for i in values if page == site / TARGETS[i].page.removesuffix(".md") / "index.html"]
            assert_inert(text, str(page.relative_to(site)), values, on_page)
    for index in values:
        target = TARGETS[index]
        if target.location == ("title",):
            page = Html((site / target.page.removesuffix(".md") / "index.html").read_text(encoding="utf-8"))
            assert any(shown(values[index]) in text_run for text_run in page.runs), "the title is missing from the page"
            metas = {value for tag, name, value in page.attributes if tag == "meta" and name == "content"}
            assert any(shown(values[index]) in meta for meta in metas), "the og:title lost the title"


def test_a_blank_value_is_rejected_with_one_located_line(build_project: Path) -> None:
    """The other outcome: a value that is no text at all is refused, not published."""
    write_values(build_project, {})
    path = build_project / "content/provider/iskitim-cp-centre.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  - +7(913)941-12-16\n", '  - " \\t\\u2028 "\n', 1), encoding="utf-8")
    line = path.read_text(encoding="utf-8").splitlines().index('  - " \\t\\u2028 "') + 1
    result = run(build_project, "check")
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert re.search(rf"^content/provider/iskitim-cp-centre\.yaml:{line}: phones\[0\]: got .* \(expected at least 1 character\)$", result.stderr, re.M), (
        result.stderr
    )


# --- the checks above can fail ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "page",
    [
        "<p>Zq0a <script>alert(1)</script> Zq0z</p>",  # markup inside the value
        "<p>Zq0a <!-- c --> Zq0z</p>",  # a comment
        '<p><a href="javascript:alert(1)">Zq0a x Zq0z</a></p>',  # a live link
        '<p onclick="Zq0a x Zq0z">y</p>',  # the value as an event handler
        "<p>Zq0a x Zq1z</p>",  # text lost: the markers close the wrong value
        "<p>Zq0a 49 Zq0z</p>",  # a template evaluated `{{ 7*7 }}`
    ],
)
def test_inertness_check_catches_live_markup(page: str) -> None:
    with pytest.raises(AssertionError):
        assert_inert(page, "crafted", {0: marked(0, "{{ 7*7 }}"), 1: marked(1, "y")}, [0])


def test_inertness_check_passes_escaped_text() -> None:
    assert_inert('<meta content="Zq0a &lt;b&gt; Zq0z"><p>Zq0a &lt;b&gt; Zq0z</p>', "crafted", {0: marked(0, "<b>")}, [0])


def test_mkdocs_drops_front_matter_it_cannot_read_so_the_generator_must_never_write_one() -> None:
    """Why the front matter check exists: a DEL in a title made MkDocs print the whole block on the page."""
    assert get_data('---\ntitle: "Cellex\x7f"\n---\n# Body\n')[1] == {}
    fixed = render_site(validate(with_values(base_content(), {0: marked(0, "Cellex\x7f\x9f\ufffe")}))).pages["drugs/cellex.md"]
    assert get_data(fixed)[1]["title"] == "Zq0a Cellex\ufffd\ufffd\ufffd Zq0z"


def test_front_matter_lists_read_back_as_the_same_names() -> None:
    """Names in front matter (`search: names:`) are a list MkDocs reads back as the names: characters outside the
    BMP (which `tojson` writes as surrogate pairs, and MkDocs then drops the whole front matter), quotes and
    backslashes; unprintable ones replaced."""
    from generator.pages.markdown import front_matter_list

    def read(names_yaml: str) -> dict[str, object]:
        return get_data(f"---\ntitle: x\nnames: {names_yaml}\n---\n\nbody\n")[1]

    names = ["Zq 𝕏 \U0001dd4c", 'say "x" \\ y', "Cellex®", "tab\there", "a\x94b"]
    assert read(front_matter_list(names))["names"] == ["Zq 𝕏 \U0001dd4c", 'say "x" \\ y', "Cellex®", "tab here", "a\ufffdb"]
    assert read('["\\ud837\\udd4c"]') == {}  # the negative control: what `tojson` wrote, and MkDocs lost
