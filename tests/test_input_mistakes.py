"""Input that YAML, Unicode or Markdown would silently change, and messages an editor could not act on
(issue 18 points 6-9, issue 23 points 1 and 5-6).

Each mistake ends in exactly one line `path:line: field: what is wrong (what to do)`, printed the same
by `check` and by `build`, a non-zero exit, and the previous site/ left exactly as it was. Each rule
also has its passing side: what looks alike but is right builds.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import markdown
import pytest
import yaml
from conftest import run, tree_digest
from test_bad_content import assert_failed_cleanly, line_of, problems, replace_in

from generator import cli
from generator.content.characters import character_problem, normalise
from generator.content.load import split_page
from generator.content.page_body import MARKDOWN_EXTENSIONS, body_problems
from generator.pages.generate import check
from generator.pages.render import RenderedSite, render_site
from generator.pages.search_entries import anchor_ids
from generator.project import Project

CELLEX = "content/drug/cellex.yaml"
CYTOKINE = "content/procedure/cytokine-therapy.yaml"
ABOUT = "content/pages/about.md"
HOME = "content/pages/index.md"
SOURCES = "content/sources.yaml"
PREVIOUS_SITE = {"index.html": "<p>the site as it was before this change</p>\n"}


def previous_site(project: Path) -> dict[str, str]:
    """Put a stand-in for the last published site into `project/site`; its digest."""
    for name, text in PREVIOUS_SITE.items():
        (project / "site" / name).parent.mkdir(parents=True, exist_ok=True)
        (project / "site" / name).write_text(text, encoding="utf-8")
    return tree_digest(project / "site")


def assert_refused(project: Path, expected: str) -> None:
    """`check` and `build` each fail cleanly printing exactly the one line `expected`; site/ is unchanged."""
    before = previous_site(project)
    for command in ("check", "build"):
        result = run(project, command, timeout=300)
        assert_failed_cleanly(result)
        assert problems(result) == [expected], f"{command}:\n{result.stderr}"
    assert tree_digest(project / "site") == before


def assert_passes(project: Path) -> subprocess.CompletedProcess[str]:
    result = run(project, "check")
    assert result.returncode == 0 and result.stdout.startswith("OK"), result.stderr
    return result


def append_to_page(project: Path, markdown: str, page: str = ABOUT) -> int:
    """Add `markdown` at the end of a hand-written page; the file line it starts on."""
    text = (project / page).read_text(encoding="utf-8")
    (project / page).write_text(text + "\n" + markdown + "\n", encoding="utf-8")
    return text.count("\n") + 2


def cited_sources(project: Path) -> list[str]:
    """The file names the registry lists, from the registry itself."""
    registry = yaml.safe_load((project / SOURCES).read_text(encoding="utf-8"))
    return [document["file"] for document in registry["documents"]]


# --- 18.6 what YAML would silently change ------------------------------------------------------


def test_a_comment_after_plain_text_is_refused(project: Path) -> None:
    replace_in(project / CELLEX, "  - Epilepsy\n", "  - Epilepsy #1 in the leaflet\n")
    line = line_of(project / CELLEX, "#1 in the leaflet")
    assert_refused(
        project,
        f"{CELLEX}:{line}: contraindications[0]: ' #' after 'Epilepsy' starts a YAML comment, so '#1 in the leaflet' is dropped "
        "from the value (put the whole value in quotes, or the comment on a line of its own)",
    )


def test_comments_that_drop_nothing_pass(project: Path) -> None:
    """A full-line comment, one after a number or a date, a `#` inside a word or a quoted value: all as written."""
    replace_in(project / ABOUT, "nav_order: 10\n", "# the order in the menu\nnav_order: 10 # after the home page\n")
    replace_in(project / CELLEX, "last_reviewed: 2026-11-22\n", "last_reviewed: 2026-11-22 # against both sources\n")
    replace_in(project / CELLEX, "  - Epilepsy\n", '  - "Epilepsy #1" # quoted: the # is text\n  - Epilepsy#2\n')
    assert_passes(project)
    page = render_site(check(Project.at(project))).pages["drugs/cellex.md"]
    assert "Epilepsy #1" in page and "Epilepsy#2" in page


def test_an_item_indented_one_space_too_far_is_refused(project: Path) -> None:
    replace_in(project / CELLEX, "  - Productive delirium\n", "   - Productive delirium\n")
    line = line_of(project / CELLEX, "   - Productive delirium")
    assert_refused(
        project,
        f"{CELLEX}:{line}: contraindications[1]: '- Productive delirium' is indented further than its list, so YAML folds it "
        "into the value above, 'Manic psychosis - Productive delirium' (indent its '- ' like the other items, or quote the value if the dash is part of it)",
    )


def test_a_dash_inside_text_and_a_value_over_two_lines_pass(project: Path) -> None:
    replace_in(project / CELLEX, "  - Productive delirium\n", "  - Productive delirium - as the leaflet calls it\n  - A value written\n    over two lines\n")
    assert_passes(project)


@pytest.mark.parametrize(("indent", "named"), [("\t", "a tab (U+0009)"), ("\u00a0 ", "a no-break space (U+00A0)")], ids=["tab", "no-break-space"])
def test_indentation_other_than_spaces_is_refused(project: Path, indent: str, named: str) -> None:
    replace_in(project / CELLEX, "  - Delirium\n", f"{indent}- Delirium\n")
    line = line_of(project / CELLEX, f"{indent}- Delirium")
    assert_refused(project, f"{CELLEX}:{line}: (indentation): line is indented with {named} (indent with spaces only: retype the start of the line)")


def test_a_no_break_space_inside_a_value_and_windows_line_ends_pass(project: Path) -> None:
    replace_in(project / CELLEX, "  - Delirium\n", "  - Delirium for 2\u00a0days\n")
    (project / CELLEX).write_bytes((project / CELLEX).read_bytes().replace(b"\n", b"\r\n"))
    assert_passes(project)


# --- 18.7 invisible and look-alike characters -------------------------------------------------


@pytest.mark.parametrize(
    ("character", "named"),
    [("\u200b", "a zero width space (U+200B)"), ("\u00ad", "a soft hyphen (U+00AD)"), ("\u202e", "a right-to-left override (U+202E)")],
    ids=["zero-width-space", "soft-hyphen", "bidi-override"],
)
def test_a_format_character_in_a_value_is_refused(project: Path, character: str, named: str) -> None:
    replace_in(project / CELLEX, "title: Cellex\n", f"title: Cel{character}lex\n")
    shown = repr(f"Cel{character}lex")
    assert_refused(project, f"{CELLEX}:2: title: {shown} contains {named}, invisible on the page (delete it: retype the word)")


def test_a_look_alike_letter_in_a_word_is_named(project: Path) -> None:
    replace_in(project / CELLEX, "title: Cellex\n", "title: C\u0435llex\n")
    assert_refused(project, f"{CELLEX}:2: title: 'C\u0435llex' contains a Cyrillic '\u0435' (U+0435) among Latin letters (retype the word in Latin letters)")


def test_invisible_and_look_alike_characters_in_a_page_are_refused(project: Path) -> None:
    line = append_to_page(project, "Ask a doctor before using Cel\u00adlex.")
    assert_refused(project, f"{ABOUT}:{line}: (body): 'Cel\\xadlex.' contains a soft hyphen (U+00AD), invisible on the page (delete it: retype the word)")


def test_a_look_alike_letter_in_a_page_is_refused(project: Path) -> None:
    line = append_to_page(project, "Ask a doctor before using \u0421ellex.")
    assert_refused(
        project, f"{ABOUT}:{line}: (body): '\u0421ellex' contains a Cyrillic '\u0421' (U+0421) among Latin letters (retype the word in Latin letters)"
    )


def test_whole_words_in_another_script_and_accents_pass_and_are_published_composed(project: Path) -> None:
    """A Cyrillic name, Japanese (kanji and kana in one word), m², and an accent typed as a combining mark."""
    replace_in(project / CELLEX, "  - CELLEX®\n", "  - CELLEX®\n  - Целлекс\n  - セレックス錠\n")
    append_to_page(project, "The café sells nothing; 1 m² of floor. Целлекс is its Russian name.".replace("é", "e\u0301"))
    assert_passes(project)
    pages = render_site(check(Project.at(project))).pages
    assert "Целлекс" in pages["drugs/cellex.md"] and "セレックス錠" in pages["drugs/cellex.md"]
    assert "café" in pages["about.md"] and "e\u0301" not in pages["about.md"]


def test_the_lints_read_the_normalised_text(project: Path) -> None:
    """A claim with a no-break space between its words is still a claim; with an invisible character, the word is refused first."""
    replace_in(project / CELLEX, "  - Delirium\n", "  - Delirium. Cellex is safe\u00a0and effective.\n")
    result = run(project, "check")
    assert result.returncode == 1 and "claim 'safe and effective' is not attributed" in result.stderr, result.stderr
    assert character_problem("safe\u00a0and effective") is None and normalise("e\u0301") == "é"


# --- 18.8 the source registry -------------------------------------------------------------------


def shared_sources(project: Path, names: list[str]) -> Path:
    """A sources folder beside the project (`../shared/sources/`, where the project looks) holding `names`."""
    folder = project.parent / "shared" / "sources"
    folder.mkdir(parents=True)
    for name in names:
        (folder / name).write_text("A source document.\n", encoding="utf-8")
    return folder


def test_a_source_listed_twice_is_refused(project: Path) -> None:
    first = cited_sources(project)[0]
    registry = project / SOURCES
    first_line = line_of(registry, f"file: {first}")
    index = len(cited_sources(project))
    entry = f"  - file: {first}\n    title: The same file again\n    kind: leaflet\n    description: A copy.\n"
    registry.write_text(registry.read_text(encoding="utf-8") + entry, encoding="utf-8")
    line = len(registry.read_text(encoding="utf-8").splitlines()) - 3
    assert_refused(
        project,
        f"{SOURCES}:{line}: documents[{index}].file: {first!r} is listed twice, first on line {first_line} (expected one entry per source file: merge the two)",
    )


def test_a_source_missing_from_the_sources_folder_is_refused(project: Path) -> None:
    cited = cited_sources(project)
    shared_sources(project, cited[1:])
    line = line_of(project / SOURCES, f"file: {cited[0]}")
    assert_refused(
        project,
        f"{SOURCES}:{line}: documents[0].file: {cited[0]!r} is not in the sources folder ../shared/sources/ "
        "(expected the file name of a document there: add the document there first)",
    )


def test_a_registry_whose_files_are_all_there_passes(project: Path) -> None:
    shared_sources(project, cited_sources(project))
    assert "not looked for" not in assert_passes(project).stdout
    (project.parent / "shared").rename(project.parent / "elsewhere")
    assert "source files not looked for" in assert_passes(project).stdout  # no folder: said, not silently skipped


# --- 18.9 HTML blocks in hand-written pages ---------------------------------------------------------

GRID = '<div class="grid cards" markdown>'


def test_an_unclosed_card_grid_is_refused(project: Path) -> None:
    line = append_to_page(project, f"{GRID}\n\n- **[Drugs](drugs/index.md)**: every monograph.\n")
    assert_refused(
        project, f"{ABOUT}:{line}: (body): {GRID!r} is never closed, so the rest of the page, its footer too, would fall inside it (add '</div>' where it ends)"
    )


def test_a_stray_end_tag_is_refused(project: Path) -> None:
    line = append_to_page(project, "Some text.\n\n</div>")
    assert_refused(project, f"{ABOUT}:{line + 2}: (body): '</div>' closes nothing that is open (remove it, or add the opening tag it belongs to)")


def test_crossed_tags_are_refused(project: Path) -> None:
    line = append_to_page(project, "H<sub>2</div> and more.")
    assert_refused(project, f"{ABOUT}:{line}: (body): '</div>' comes while '<sub>' is still open (close that first with '</sub>')")


def test_closed_blocks_pass(project: Path) -> None:
    assert GRID in (project / HOME).read_text(encoding="utf-8")  # the home page's grid, closed
    append_to_page(project, f"{GRID}\n\n- one\n- two\n\n</div>\n\nH<sub>2</sub>O, m<sup>2</sup><br>")
    assert_passes(project)
    assert not list(body_problems(f"{GRID}\n\n{GRID}\n\n- a\n\n</div>\n\n</div>\n"))  # nested, each closed


# --- 23.1 anchors and schemes in hand-written pages --------------------------------------------------


def test_a_link_to_a_missing_anchor_on_another_page_is_refused(project: Path) -> None:
    ids = sorted(anchor_ids(render_site(check(Project.at(project))).pages["drugs/cellex.md"].split("\n---\n", 1)[1]))
    line = append_to_page(project, "See [the doses](drugs/cellex.md#no-such-anchor).")
    example = ", ".join(f"'#{i}'" for i in ids[:3])
    assert_refused(
        project,
        f"{ABOUT}:{line}: (body): link 'drugs/cellex.md#no-such-anchor' leads to no anchor '#no-such-anchor' on drugs/cellex.md "
        f"(expected the id of one of its headings: e.g. {example})",
    )


def test_a_link_to_a_missing_anchor_on_the_same_page_is_refused(project: Path) -> None:
    line = append_to_page(project, "## Contact\n\nSee [below](#contacts).")
    assert_refused(
        project,
        f"{ABOUT}:{line + 2}: (body): link '#contacts' leads to no anchor '#contacts' on about.md "
        "(expected the id of one of its headings: did you mean '#contact'?)",
    )


def test_links_to_anchors_that_exist_pass(project: Path) -> None:
    """Every heading id of a generated page, and a heading of the page itself, as the engine derives them."""
    rendered = render_site(check(Project.at(project))).pages["drugs/cellex.md"].split("\n---\n", 1)[1]
    ids = sorted(anchor_ids(rendered))
    assert len(ids) > 3 and "cellex" in ids  # the page's own heading too
    append_to_page(project, "## Contact us\n\n" + " ".join(f"[{i}](drugs/cellex.md#{i})" for i in ids) + " [up](#contact-us)")
    assert_passes(project)


def test_anchor_ids_are_the_ids_python_markdown_gives_every_page(rendered: RenderedSite) -> None:
    """The ids `check` accepts are exactly those the engine's Markdown (mkdocs.yml's extensions) writes, on every page."""
    for path, page in rendered.pages.items():
        front_matter = split_page(page)
        body = front_matter[1] if isinstance(front_matter, tuple) else page
        html = markdown.markdown(body, extensions=list(MARKDOWN_EXTENSIONS))
        assert anchor_ids(body) == set(re.findall(r'\bid="([^"]+)"', html)), path


@pytest.mark.parametrize("url", ["java&#x09;script:alert(1)", "java&Tab;script:alert(1)", "&#x20;javascript:alert(1)", "java&#10;script:alert(1)"])
def test_a_scheme_hidden_by_encoded_whitespace_is_refused(project: Path, url: str) -> None:
    line = append_to_page(project, f"[click]({url})")
    assert_refused(project, f"{ABOUT}:{line}: (body): link to a javascript: address (expected a page of this site, or an http:, https:, mailto:, tel: address)")


def test_an_encoded_allowed_scheme_passes(project: Path) -> None:
    append_to_page(project, "[the listing](https&#x3A;//example.org/cellex) and [write](mailto:editor@example.org)")
    assert_passes(project)


# --- 23.5 messages an editor can act on -------------------------------------------------------------


def test_an_unclosed_quote_is_reported_where_it_opened(project: Path) -> None:
    replace_in(project / CELLEX, "title: Cellex\n", 'title: "Cellex\n')
    assert_refused(project, f'{CELLEX}:2: (syntax): the quote " opened on this line is never closed (close it at the end of the value, or remove it)')


def test_an_unclosed_quote_near_the_end_is_reported_where_it_opened(project: Path) -> None:
    text = (project / CELLEX).read_text(encoding="utf-8")
    last = text.rstrip("\n").splitlines()[-1]
    key, _, value = last.partition(": ")
    assert value, last  # the fixture ends with a `key: value` line
    (project / CELLEX).write_text(text.replace(last, f"{key}: '{value}") + "\n" * 9, encoding="utf-8")
    line = text.rstrip("\n").count("\n") + 1
    assert_refused(project, f"{CELLEX}:{line}: (syntax): the quote ' opened on this line is never closed (close it at the end of the value, or remove it)")


def test_a_colon_inside_an_unquoted_value_names_the_field(project: Path) -> None:
    replace_in(project / CELLEX, "pharmacotherapeutic_group: Nootropic agent\n", "pharmacotherapeutic_group: Nootropic agent: neuroprotector\n")
    line = line_of(project / CELLEX, "pharmacotherapeutic_group:")
    assert_refused(
        project,
        f"{CELLEX}:{line}: pharmacotherapeutic_group: a ': ' inside an unquoted value starts a new field, "
        "which YAML does not allow here (put the whole value in quotes)",
    )


def test_quoted_colons_and_dates_pass(project: Path) -> None:
    replace_in(project / CELLEX, "pharmacotherapeutic_group: Nootropic agent\n", 'pharmacotherapeutic_group: "Nootropic agent: neuroprotector"\n')
    replace_in(project / CELLEX, "title: Cellex\n", 'title: "2026-01-01"\n')
    assert_passes(project)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-16"], ids=["le-without-bom", "be-without-bom", "with-bom"])
def test_a_utf16_file_says_it_is_not_utf8(project: Path, encoding: str) -> None:
    path = project / CELLEX
    path.write_bytes(path.read_text(encoding="utf-8").encode(encoding))
    assert_refused(project, f"{CELLEX}:1: (file): the file is not UTF-8: it looks like UTF-16 (save it as UTF-8, e.g. in VS Code: Save with Encoding, UTF-8)")


def test_utf8_with_a_byte_order_mark_passes(project: Path) -> None:
    path = project / CELLEX
    path.write_bytes("\ufeff".encode() + path.read_bytes())
    assert_passes(project)


def test_a_date_where_text_is_expected_shows_it_as_written(project: Path) -> None:
    replace_in(project / CELLEX, "pharmacotherapeutic_group: Nootropic agent\n", "pharmacotherapeutic_group: 2026-01-31\n")
    line = line_of(project / CELLEX, "pharmacotherapeutic_group:")
    assert_refused(project, f'{CELLEX}:{line}: pharmacotherapeutic_group: 2026-01-31 is read by YAML as a date (expected text: put it in quotes, "2026-01-31")')


def provider_line(project: Path) -> tuple[str, int]:
    """The procedure's `provider:` slug and line."""
    line = line_of(project / CYTOKINE, "provider:")
    return (project / CYTOKINE).read_text(encoding="utf-8").splitlines()[line - 1].split(":", 1)[1].strip(), line


def test_a_slug_with_a_look_alike_letter_names_it(project: Path) -> None:
    slug, line = provider_line(project)
    assert "c" in slug
    # Every letter of one word Cyrillic: no mixed word, so the slug's own rule names the letter.
    word = next(part for part in slug.split("-") if "c" in part)
    cyrillic = word.translate(str.maketrans("acekopxy", "асекорху"))
    wrong = slug.replace(word, cyrillic, 1)
    first = next(c for c in wrong if not c.isascii())
    replace_in(project / CYTOKINE, f"provider: {slug}\n", f"provider: {wrong}\n")
    assert_refused(
        project,
        f"{CYTOKINE}:{line}: provider: {wrong!r} contains a Cyrillic {first!r} (U+{ord(first):04X}), which only looks like a Latin letter "
        "(expected Latin letters a-z, digits and hyphens: retype it)",
    )


def test_a_file_name_with_a_look_alike_letter_names_it(project: Path) -> None:
    (project / CELLEX).rename(project / "content/drug/\u0441ellex.yaml")
    assert_refused(
        project,
        "content/drug/\u0441ellex.yaml:1: (slug): file name '\u0441ellex' contains a Cyrillic '\u0441' (U+0441), which only looks like a Latin letter "
        "(expected lowercase Latin letters, digits and single hyphens, e.g. my-drug.yaml)",
    )


# --- 23.6 the preview's pull-request number ------------------------------------------------------------


@pytest.mark.parametrize("number", ["-3", "0", "3/../x", "abc", "007"])
def test_a_preview_pr_that_is_not_a_positive_number_is_refused(project: Path, number: str) -> None:
    result = run(project, "preview", "--pr", number)
    assert result.returncode == 2 and result.stdout == "", result
    assert result.stderr.splitlines() == [f"preview: --pr {number!r} is not a pull request number (expected a positive whole number, e.g. make preview PR=12)"]
    assert not (project / "preview").exists()


def test_a_positive_pr_number_is_read_as_one() -> None:
    assert [cli.pull_request_number(text) for text in ("1", "12", "123456789")] == [1, 12, 123456789]
    assert [cli.pull_request_number(text) for text in ("-3", "0", "007", "1e3", " 12", "12 ", "")] == [None] * 7
