"""Mistakes a careless or hostile editor can make beyond one bad value: file names, file types and sizes,
hand-written Markdown, numbers and dates YAML reads otherwise, anchors, concurrent builds, leftovers.

Each ends in one line `path:line: field: what is wrong (what was expected)`, a non-zero exit, nothing
published, no traceback and no hang (every run has a timeout). Complements test_bad_content.py.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT, run
from test_bad_content import assert_failed_cleanly, assert_problem, line_of, problems, replace_in

from generator import cli
from generator.content.load import MAX_FILE_BYTES, load_content
from generator.content.models import KINDS
from generator.content.names import reserved_problem
from generator.content.yaml_source import MAX_DEPTH, YamlProblem, parse_yaml
from generator.pages.generate import check
from generator.pages.render import RenderedSite, render_site, site_paths
from generator.project import Project
from generator.tools.synth import synthesise

CELLEX = "content/drug/cellex.yaml"
CERAXON = "content/drug/ceraxon.yaml"
REOCELL = "content/provider/reocell-clinic.yaml"
CYTOKINE = "content/procedure/cytokine-therapy.yaml"
ABOUT = "content/pages/about.md"
HOME = "content/pages/index.md"
SOURCES = "content/sources.yaml"


def only_problem(result, path: str, line: int, field: str) -> str:  # type: ignore[no-untyped-def]
    """Assert the run failed cleanly with exactly one problem line, at `path:line: field:`; return it."""
    reported = assert_problem(result, path, line, field)
    assert problems(result) == [reported], result.stderr
    return reported


def check_in_process(content: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    """`python -m generator --content <content> check` in this process (so a test can patch the OS); (exit code, stderr lines)."""
    code = cli.main(["--content", str(content), "check"])
    return code, capsys.readouterr().err.strip().splitlines()


# --- 1. names of generated pages --------------------------------------------------------------


@pytest.mark.parametrize("name", ["provider/index", "drug/index", "drug/compare", "drug/interactions-b", "faq/letter-other"])
def test_an_entity_file_named_like_a_generated_page_is_refused(project: Path, name: str) -> None:
    kind, slug = name.split("/")
    shutil.copy(next((project / "content" / kind).glob("*.yaml")), project / "content" / kind / f"{slug}.yaml")
    line = only_problem(run(project, "check"), f"content/{name}.yaml", 1, "(slug)")
    assert f"{slug!r} is the name of a page the {KINDS[kind].section}/ section generates" in line
    assert "reserved: index" in line


@pytest.mark.parametrize("slug", ["changes", "a-z", "sources", "drugs", "procedures", "faq", "providers", "api", "a-z-b", "pr-preview"])
def test_a_page_named_like_a_generated_page_is_refused(project: Path, slug: str) -> None:
    shutil.copy(project / ABOUT, project / f"content/pages/{slug}.md")
    line = only_problem(run(project, "check"), f"content/pages/{slug}.md", 1, "(slug)")
    assert "reserved: a-z, changes, sources, downloads, drugs, procedures, conditions, faq, providers, 404, api" in line


def test_new_refuses_a_generated_page_name(project: Path) -> None:
    for kind, slug in [("drug", "index"), ("drug", "compare"), ("provider", "index")]:
        result = run(project, "new", kind, slug)
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
        (line,) = result.stderr.strip().splitlines()
        assert line.startswith(f"new: {slug!r} is the name of a page") and "reserved:" in line, line
        assert not (project / "content" / kind / f"{slug}.yaml").exists()


@pytest.mark.slow  # renders the fixture and a 60-drug synthetic catalogue
def test_every_page_the_site_generates_has_a_reserved_name(tmp_path: Path) -> None:
    """The one list of reserved names covers every listing, letter page included, and `site_paths` knows every page."""
    synthetic = tmp_path / "synthetic"
    synthesise(synthetic, drugs=60, seed=1)  # more than letters.SPLIT_AT: listings split by letter
    for project in (Project.at(ROOT), Project.at(ROOT, synthetic)):
        catalogue = check(project)
        site = render_site(catalogue)
        assert site_paths(catalogue) == set(site.pages) | set(site.files)
        own = {page.path for page in catalogue.pages} | {catalogue.path_of(entity) for entity in catalogue.all()}
        # An entity's further views (a drug's professional page) sit in its own folder, named by its slug.
        own |= {f"{catalogue.path_of(entity).removesuffix('.md')}/{view}.md" for entity in catalogue.all() for view in type(entity).views}
        generated = sorted(set(site.pages) - own)
        for path in generated:
            folder, _, name = path.rpartition("/")
            kind = next((kind for kind, model in KINDS.items() if model.section == folder), None)
            assert folder in ("", *(model.section for model in KINDS.values())), path
            assert reserved_problem(kind, name.removesuffix(".md")), f"{path} is generated but its name is not reserved"
    assert any("/letter-" in path for path in generated) and any(path.startswith("a-z-") for path in generated)


# --- 2. raw HTML and things loaded from elsewhere in hand-written pages -------------------------

HOSTILE_MARKDOWN = {
    "script": ("<script>alert(1)</script>", "raw HTML '<script>' (and 1 more <script> tags) is not allowed"),
    "style": ("<style>body { display: none }</style>", "raw HTML '<style>'"),
    "img": ('<img src="https://tracker.example/pixel.png">', "raw HTML '<img src=\"https://tracker.example/pixel.png\">'"),
    "iframe": ('<iframe src="https://evil.example/"></iframe>', "raw HTML '<iframe"),
    "comment": ("<!-- note to self -->", "raw HTML '<!-- note to self -->'"),
    "handler": ('<div title="<" onclick="alert(1)">text</div>', "raw HTML '<div title=\"'"),
    "escaped-code": ("\\`<script>alert(1)</script>\\`", "raw HTML '<script>'"),
    "image": ("![chart](https://cdn.example/chart.png)", "image 'https://cdn.example/chart.png' loads from another site"),
    "protocol-relative-image": ("![chart](//cdn.example/chart.png)", "image '//cdn.example/chart.png' loads from another site"),
    "nested-brackets-image": ("![a [b [c]]](https://cdn.example/(x).png)", "image 'https://cdn.example/(x).png' loads from another site"),
    "reference-image": ("[c]: https://cdn.example/c.png\n\n![chart][c]", "image 'https://cdn.example/c.png' loads from another site"),
    "javascript-link": ("[click](javascript:alert(1))", "link to a javascript: address"),
    "data-link": ("[click](data:text/html,hi)", "link to a data: address"),
    "absolute-link": ("[drugs](/drugs/)", "link '/drugs/' is absolute"),
    "attribute-list": ('[about](about.md){: onclick="alert(1)" }', "attribute 'onclick' on <a> is not allowed"),
    "deep-list": ("".join("  " * depth + "- item\n" for depth in range(600)), "line is indented 66 columns"),
}


@pytest.mark.parametrize("name", HOSTILE_MARKDOWN)
def test_hostile_markdown_in_a_page_is_refused_at_its_line(project: Path, name: str) -> None:
    markdown, says = HOSTILE_MARKDOWN[name]
    text = (project / ABOUT).read_text(encoding="utf-8")
    (project / ABOUT).write_text(text + "\n" + markdown + "\n", encoding="utf-8")
    first = text.count("\n") + 2
    result = run(project, "check", timeout=60)
    reported = [line for line in problems(result) if line.startswith(f"{ABOUT}:")]
    assert len(reported) == 1, result.stderr
    assert_failed_cleanly(result)
    where = first + (33 if name == "deep-list" else 0)
    assert reported[0].startswith(f"{ABOUT}:{where}: (body): {says}"), reported[0]


def test_markdown_links_and_the_few_allowed_tags_pass(project: Path) -> None:
    replace_in(
        project / ABOUT,
        "It is not a prescribing",
        "CO<sub>2</sub>, m<sup>2</sup><br>\n[WHO](https://www.who.int/), <https://www.who.int/>, [write](mailto:editor@example.org), "
        "[home](index.md#medicines-and-procedures-reference), `a < b` and 5 < 6.\n\nIt is not a prescribing",
    )
    result = run(project, "check")
    assert result.returncode == 0, result.stderr


def test_pages_are_read_with_the_markdown_extensions_of_the_site() -> None:
    import yaml

    from generator.content.page_body import MARKDOWN_EXTENSIONS

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)
    assert tuple(next(iter(item)) if isinstance(item, dict) else item for item in config["markdown_extensions"]) == MARKDOWN_EXTENSIONS


# --- 3. lint errors stop every build target (tests/test_atomic.py, stage "lint"); warnings do not --


@pytest.mark.slow  # builds the whole site
def test_a_lint_warning_does_not_stop_a_build(project: Path, tmp_path: Path) -> None:
    replace_in(project / REOCELL, "last_reviewed: 2026-11-22\nnext_review: 2027-11-22", "last_reviewed: 2026-01-05\nnext_review: 2026-06-05")
    checked = run(project, "check")
    assert checked.returncode == 0 and "warning: review was due on 2026-06-05" in checked.stderr, checked.stderr
    built = run(project, "build", "--site-dir", str(tmp_path / "site"), timeout=300)
    assert built.returncode == 0, built.stderr
    assert (tmp_path / "site/providers/reocell-clinic/index.html").is_file()


# --- 4. one build at a time per checkout ---------------------------------------------------------


@contextlib.contextmanager
def lock_held_by(project: Path, pid: str) -> Iterator[None]:
    """Hold `build/.lock` as another build would, naming `pid` in it."""
    path = project / "build/.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+") as stream:
        fcntl.flock(stream, fcntl.LOCK_EX | fcntl.LOCK_NB)
        stream.truncate(0)
        stream.write(f"{pid}\n")
        stream.flush()
        yield


def test_every_building_command_refuses_while_another_build_holds_the_lock(project: Path, tmp_path: Path) -> None:
    commands = {
        "build": ["build", "--site-dir", str(tmp_path / "site")],
        "offline": ["offline", "--dist", str(tmp_path / "dist")],
        "preview": ["preview", "--pr", "1", "--base", "HEAD", "--out", str(tmp_path / "preview")],
        "serve": ["serve", "--dev-addr", "127.0.0.1:1"],
        "render": ["render", "--out", str(tmp_path / "markdown")],
    }
    with lock_held_by(project, "4242"):
        for command in commands.values():
            result = run(project, *command, timeout=60)
            assert (result.returncode, result.stderr) == (1, "another build is running (pid 4242)\n"), (command, result.stderr)
        assert run(project, "check").returncode == 0  # reading needs no lock
    assert not [p for p in tmp_path.iterdir() if p.name != "project"]
    assert run(project, *commands["render"]).returncode == 0  # released


@pytest.mark.slow  # two whole-site builds, one in a subprocess (the lock's other side is tested fast above)
def test_a_second_build_started_during_a_first_is_refused(project: Path, tmp_path: Path) -> None:
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"} | {"PYTHONDONTWRITEBYTECODE": "1"}
    first = subprocess.Popen(
        [sys.executable, "-m", "generator", "build", "--site-dir", str(tmp_path / "first")],
        cwd=project,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        lock, deadline = project / "build/.lock", time.monotonic() + 60
        while not (lock.is_file() and lock.read_text(encoding="ascii").strip() == str(first.pid)):
            assert first.poll() is None and time.monotonic() < deadline, "the first build never took the lock"
            time.sleep(0.01)
        second = run(project, "build", "--site-dir", str(tmp_path / "second"), timeout=60)
        _, err = first.communicate(timeout=300)
    finally:
        if first.poll() is None:
            first.kill()
    assert (second.returncode, second.stderr) == (1, f"another build is running (pid {first.pid})\n")
    assert first.returncode == 0, err
    assert (tmp_path / "first/index.html").is_file() and not (tmp_path / "second").exists()


# --- 5. files that are not content files ---------------------------------------------------------


def test_deeply_nested_yaml_is_one_line_at_its_line(project: Path) -> None:
    # LibYAML's composer recurses in C: 100,000 levels crashed the process; a few thousand raised RecursionError.
    text = (project / REOCELL).read_text(encoding="utf-8")
    (project / REOCELL).write_text(text + "deep: " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    line = only_problem(run(project, "check"), REOCELL, line_of(project / REOCELL, "deep: "), "(document)")
    assert f"nested more than {MAX_DEPTH} levels deep" in line
    block = "".join(" " * depth + f"level{depth}:\n" for depth in range(600))  # a RecursionError in the builder
    (project / REOCELL).write_text(text + block, encoding="utf-8")
    only_problem(run(project, "check"), REOCELL, text.count("\n") + MAX_DEPTH + 1, "(document)")
    # Shallow enough to compose, too deep to build: located at the top-level field it is under.
    with pytest.raises(YamlProblem) as caught:
        parse_yaml("title: x\n" + "".join(" " * depth + f"level{depth}:\n" for depth in range(100)))
    assert (caught.value.line, caught.value.field) == (MAX_DEPTH + 2, "level0")


def test_an_unreadable_file_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Tests run as root, where chmod cannot make a file unreadable: the OS refusing the open is simulated."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    refused = content / "drug" / "cellex.yaml"
    real_open = os.open

    def refusing_open(path: os.PathLike[str] | str, flags: int, *args: int, **kwargs: int) -> int:
        if Path(path) == refused:
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", refusing_open)
    code, lines = check_in_process(content, capsys)
    assert code == 1
    assert lines == [f"{refused}:1: (file): cannot be read: Permission denied (expected a readable file)", "1 problem found; nothing was built."]


def test_an_unreadable_folder_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    refused = content / "provider"
    real_listdir = os.listdir

    def refusing_listdir(path: os.PathLike[str] | str = ".") -> list[str]:
        if Path(path) == refused:
            raise PermissionError(13, "Permission denied", str(path))
        return real_listdir(path)

    monkeypatch.setattr(os, "listdir", refusing_listdir)
    code, lines = check_in_process(content, capsys)
    assert code == 1
    # The providers' pages are gone with their folder; what refers to them is not reported as well.
    assert lines == [f"{refused}:1: (folder): cannot be read: Permission denied (expected a readable folder)", "1 problem found; nothing was built."]


def test_sources_yaml_as_a_folder_is_one_line(project: Path) -> None:
    (project / SOURCES).unlink()
    (project / SOURCES).mkdir()
    line = only_problem(run(project, "check"), SOURCES, 1, "(file)")
    assert "not a content file: a folder (expected a .yaml file)" in line


@pytest.mark.parametrize(
    ("where", "says"),
    [
        (SOURCES, "not a content file: a named pipe (FIFO) (expected a .yaml file)"),
        ("content/drug/piped.yaml", "not a content file: a named pipe (FIFO) (expected a .yaml or .yml file)"),
        ("content/pages/piped.md", "not a content file: a named pipe (FIFO) (expected a .md file)"),
        (HOME, "not a content file: a named pipe (FIFO) (expected a .md file)"),  # there, only not a file: not also "missing"
        ("content/piped", "not a content kind or known file"),
    ],
)
def test_a_named_pipe_is_refused_without_being_read(project: Path, where: str, says: str) -> None:
    """Reading a FIFO waits for a writer forever: it must be refused from its type (the run has a timeout)."""
    path = project / where
    path.unlink(missing_ok=True)
    os.mkfifo(path)
    line = only_problem(run(project, "check", timeout=60), where, 1, "(file)")
    assert says in line


def test_a_socket_is_refused_without_being_read(project: Path, tmp_path: Path) -> None:
    path = project / "content/drug/socket.yaml"
    with socket.socket(socket.AF_UNIX) as listener:
        listener.bind(str(path))
        line = only_problem(run(project, "check", timeout=60), "content/drug/socket.yaml", 1, "(file)")
    assert "not a content file: a socket" in line


def test_a_huge_file_is_refused_from_its_size_without_being_read(project: Path) -> None:
    path = project / "content/drug/huge.yaml"
    with path.open("wb") as stream:  # sparse: 4 GiB on paper, nothing on disk
        stream.truncate(4 * 1024**3)
    line = only_problem(run(project, "check", timeout=60), "content/drug/huge.yaml", 1, "(file)")
    assert f"file is {4 * 1024**3:,} bytes (expected at most {MAX_FILE_BYTES:,}" in line


def test_a_content_folder_without_entities_fails_check_and_build(project: Path, tmp_path: Path) -> None:
    for kind in KINDS:
        shutil.rmtree(project / "content" / kind)
    line = only_problem(run(project, "check"), "content", 1, "(folder)")
    assert "no content files (expected at least one <kind>/<slug>.yaml" in line
    result = run(project, "build", "--site-dir", str(tmp_path / "site"), timeout=300)
    assert_failed_cleanly(result)  # was: ValueError: max() arg is an empty sequence
    assert not (tmp_path / "site").exists()


# --- 6. links out of the content folder ----------------------------------------------------------


@pytest.mark.parametrize("where", [SOURCES, HOME])
def test_a_registry_or_page_linking_outside_content_is_refused(project: Path, tmp_path: Path, where: str) -> None:
    outside = tmp_path / Path(where).name
    shutil.move(project / where, outside)
    (project / where).symlink_to(outside)
    line = only_problem(run(project, "check"), where, 1, "(file)")
    assert "links to a file outside the content folder" in line


def test_a_pages_folder_linking_outside_content_is_refused_file_by_file(project: Path, tmp_path: Path) -> None:
    shutil.move(project / "content/pages", tmp_path / "pages")
    (project / "content/pages").symlink_to(tmp_path / "pages")
    result = run(project, "check")
    assert_failed_cleanly(result)
    assert sorted(problems(result)) == [
        f"content/pages/{name}:1: (file): links to a file outside the content folder (expected a regular file)"
        for name in sorted(p.name for p in (tmp_path / "pages").iterdir())
    ]


# --- 7. the home page ----------------------------------------------------------------------------


def test_a_missing_home_page_fails_check_and_build(project: Path, tmp_path: Path) -> None:
    (project / HOME).unlink()
    line = only_problem(run(project, "check"), HOME, 1, "(file)")
    assert "home page is missing" in line
    result = run(project, "build", "--site-dir", str(tmp_path / "site"), timeout=300)
    assert_failed_cleanly(result)
    assert not (tmp_path / "site").exists()


# --- 8. values YAML or pydantic would silently read as something else ----------------------------


@pytest.mark.parametrize(
    ("path", "old", "new", "field", "says"),
    [
        (REOCELL, "last_reviewed: 2026-11-22", "last_reviewed: 0", "last_reviewed", "got int 0 (expected a date like 2026-01-31)"),
        (ABOUT, "nav_order: 10", "nav_order: 010", "nav_order", "'010' is read by YAML as 8 (octal)"),
        (ABOUT, "nav_order: 10", "nav_order: 1:30", "nav_order", "'1:30' is read by YAML as 90 (base 60)"),
        (CERAXON, "amount: 1200", "amount: 1.0e+400", "prices[0].amount", "'1.0e+400' is read by YAML as infinity"),
        (CERAXON, "amount: 1200", "amount: 1e400", "prices[0].amount", "1E+400 is not a plausible price"),
        (CERAXON, "amount: 1200", "amount: 1e-400", "prices[0].amount", "has more than 2 decimal places"),
        (CERAXON, "amount: 1200", "amount: 1200.000000000000001", "prices[0].amount", "has more digits than a number keeps"),
        (ABOUT, "next_review: 2027-11-22", "next_review: 2026-11-01", "next_review", "2026-11-01 is not after last_reviewed 2026-11-22"),
    ],
    ids=["number-as-date", "octal", "base-60", "infinite-price", "huge-price", "tiny-price", "too-many-digits", "page-review-order"],
)
def test_a_value_that_would_be_read_as_something_else_is_refused(project: Path, path: str, old: str, new: str, field: str, says: str) -> None:
    replace_in(project / path, old, new)
    line = only_problem(run(project, "check"), path, line_of(project / path, new), field)
    assert says in line


def test_a_review_dated_after_today_is_an_error(project: Path) -> None:
    result = run(project, "check", "--today", "2026-11-21")  # the day before the content's review
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    line = f"{REOCELL}:{line_of(project / REOCELL, 'last_reviewed:')}: last_reviewed: error: 2026-11-22 is after today, 2026-11-21"
    assert any(reported.startswith(line) for reported in result.stderr.splitlines()), result.stderr


# --- 9. anchors unique on every page, whatever the script -----------------------------------------

EXPLICIT_ID = re.compile(r'\{#([^}\s]+)\}|\bid="([^"]+)"')  # a heading's `{#id}` or a block's `id="..."` (editorial notes)
SAME_PAGE_LINK = re.compile(r"\]\(#(note-[^)\s]+)\)")  # links to the page's editorial notes
SOURCES_LINK = re.compile(r"\]\((?:\.\./)*sources\.md#([^)\s]+)\)")


def ids_of(markdown: str) -> list[str]:
    return [heading or block for heading, block in EXPLICIT_ID.findall(markdown)]


def test_anchors_are_unique_on_every_page_whatever_the_script(project: Path) -> None:
    """Cyrillic topics were both `note-section`; `x.y.txt` and `x-y.txt` both `x-y-txt`."""
    topics = ["Дозировка", "Противопоказания", "日本語の注記", "中文注释", "Dose.", "Dose?"]
    notes = "".join(f"  - topic: {topic}\n    text: A note.\n    sources:\n      - x.y.txt\n      - x-y.txt\n" for topic in topics)
    replace_in(project / REOCELL, "editorial_notes:\n", "editorial_notes:\n" + notes)
    cited = "sources:\n  - 004_edc3ec74891c668d.txt\n"
    replace_in(project / REOCELL, cited + "last_reviewed", cited + "  - x.y.txt\n  - x-y.txt\nlast_reviewed")
    registry = project / SOURCES
    for name in ("x.y.txt", "x-y.txt"):
        entry = f"  - file: {name}\n    title: Source {name}\n    kind: clinic website\n    description: A test source.\n"
        registry.write_text(registry.read_text(encoding="utf-8") + entry, encoding="utf-8")
    result = run(project, "render", "--out", "out")
    assert result.returncode == 0, result.stderr
    out = project / "out"
    page = (out / "providers/reocell-clinic.md").read_text(encoding="utf-8")
    note_ids = [i for i in ids_of(page) if i.startswith("note-")]
    # Each note sits beside what it qualifies, so the order follows the page; the ids must all be there, once each.
    expected = ["note-dozirovka", "note-protivopokazaniia", "note-section", "note-section-2", "note-dose", "note-dose-2", "note-contact-details"]
    assert sorted(note_ids) == sorted(expected)
    sources_page = (out / "sources.md").read_text(encoding="utf-8")
    assert [i for i in ids_of(sources_page) if i.startswith("x-y")] == ["x-y-txt", "x-y-txt-2"]
    for path in sorted(out.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        ids = ids_of(text)
        assert len(ids) == len(set(ids)), f"{path.relative_to(out)}: {sorted(i for i in ids if ids.count(i) > 1)}"
        assert set(SAME_PAGE_LINK.findall(text)) <= set(ids), path
        assert set(SOURCES_LINK.findall(text)) <= set(ids_of(sources_page)), path
    links = SOURCES_LINK.findall(page)
    assert "x-y-txt" in links and "x-y-txt-2" in links


def test_every_page_of_the_real_site_has_unique_ids(rendered: RenderedSite) -> None:
    for path, markdown in rendered.pages.items():
        ids = ids_of(markdown)
        assert len(ids) == len(set(ids)), path


def test_faq_anchors_are_unique_and_transliterated(project: Path) -> None:
    path = project / "content/faq/stem-cells.yaml"
    text = path.read_text(encoding="utf-8")
    questions = [line for line in text.splitlines() if line.strip().startswith("- question:")]
    text = text.replace(questions[0], questions[0].split("question:")[0] + "question: Что такое стволовые клетки?", 1)
    text = text.replace(questions[1], questions[1].split("question:")[0] + "question: Что такое стволовые клетки!", 1)
    text = text.replace(questions[2], questions[2].split("question:")[0] + "question: Related", 1)  # the page's own {#related}
    path.write_text(text, encoding="utf-8")
    result = run(project, "render", "--out", "out")
    assert result.returncode == 0, result.stderr
    ids = ids_of((project / "out/faq/stem-cells.md").read_text(encoding="utf-8"))
    assert len(ids) == len(set(ids)), ids
    assert {"chto-takoe-stvolovye-kletki", "chto-takoe-stvolovye-kletki-2", "related-2"} <= set(ids), ids


# --- 10. messages that said something else -------------------------------------------------------


def test_a_page_with_windows_line_ends_reads_like_any_other(project: Path) -> None:
    original = run(project, "render", "--out", "lf")
    (project / ABOUT).write_bytes((project / ABOUT).read_bytes().replace(b"\n", b"\r\n"))
    result = run(project, "check")
    assert result.returncode == 0, result.stderr
    assert run(project, "render", "--out", "crlf").returncode == original.returncode == 0
    assert (project / "crlf/about.md").read_bytes() == (project / "lf/about.md").read_bytes()


def test_front_matter_that_is_not_closed_says_so(project: Path) -> None:
    text = (project / ABOUT).read_text(encoding="utf-8")
    (project / ABOUT).write_text(text.replace("nav_order: 10\n---\n", "nav_order: 10\n\n", 1), encoding="utf-8")
    line = only_problem(run(project, "check"), ABOUT, 1, "(front matter)")
    assert "front matter is not closed" in line


@pytest.mark.slow  # reads 60,000-item lists twice (about 10 s)
def test_a_long_plain_list_is_not_an_alias_bomb(project: Path) -> None:
    assert not parse_yaml("names:\n" + "".join(f"  - name {i}\n" for i in range(60_000))).problems
    replace_in(project / REOCELL, "also_known_as:\n  - ReoCell\n", "also_known_as:\n" + "".join(f"  - ReoCell {i}\n" for i in range(60_000)))
    result = run(project, "check")
    assert "alias bomb" not in result.stderr and "Traceback" not in result.stderr, result.stderr[:2000]


def test_an_invalid_provider_is_one_line_not_also_missing_where_it_is_named(project: Path) -> None:
    path = project / "content/provider/iskitim-cp-centre.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("title:", "titel:", 1), encoding="utf-8")
    result = run(project, "check")
    assert_failed_cleanly(result)
    assert "no provider with slug" not in result.stderr, result.stderr
    assert all(line.startswith("content/provider/iskitim-cp-centre.yaml:") for line in problems(result)), result.stderr


@pytest.mark.parametrize(
    ("link", "says"),
    [
        ("[the archive](no-such-page.md)", "link 'no-such-page.md' leads to no page of the site"),
        (
            "[Cellex](drugs/celex.md)",
            "link 'drugs/celex.md' leads to no page of the site (expected a .md page of the site relative to this one: did you mean 'drugs/cellex.md'?)",
        ),
        ("[up](../index.md)", "link '../index.md' leads to no page of the site"),
        ("![logo](logo.png)", "image 'logo.png' leads to no page of the site"),
    ],
)
def test_a_dead_link_in_a_page_is_reported_by_check_at_its_line(project: Path, link: str, says: str) -> None:
    replace_in(project / ABOUT, "It is not a prescribing", f"See {link}.\n\nIt is not a prescribing")
    line = only_problem(run(project, "check"), ABOUT, line_of(project / ABOUT, link), "(body)")
    assert says in line


def test_load_reports_every_problem_of_a_broken_tree_without_raising(tmp_path: Path) -> None:
    """Every kind of entry at once, loaded in process: problems, never an exception."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    os.mkfifo(content / "drug" / "fifo.yaml")
    (content / "drug" / "folder.yaml").mkdir()
    (content / "drug" / "dangling.yaml").symlink_to(tmp_path / "nowhere.yaml")
    (content / "pages" / "index.md").unlink()
    raw = load_content(content, tmp_path)
    messages = {problem.path: problem.message for problem in raw.problems}
    assert messages == {
        "content/drug/dangling.yaml": "links to nothing (expected a .yaml or .yml file)",
        "content/drug/fifo.yaml": "not a content file: a named pipe (FIFO) (expected a .yaml or .yml file)",
        "content/drug/folder.yaml": "not a content file: a folder (expected a .yaml or .yml file)",
        "content/pages/index.md": "home page is missing (expected a hand-written page with front matter)",
    }
    assert stat.S_ISFIFO((content / "drug" / "fifo.yaml").stat().st_mode)
