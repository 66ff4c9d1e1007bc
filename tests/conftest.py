"""Shared fixtures: a private copy of the project, and the CLI run on it.

Two content folders, two kinds of test:

- ``FIXTURE`` (tests/fixtures/catalogue/) is a frozen catalogue with the layout of content/. Every
  test that names an entity or counts pages uses it: `project`, `copy_project`, `catalogue`,
  `rendered` and the `targets` deliverables are all built from it, so editors can add, rename
  and remove real content without touching a test.
- ``LIVE_CONTENT`` (content/) is what the site publishes. Tests about it (tests/test_live_content.py,
  the `live_site` gates) assert only what must hold for any valid content: every drug page has
  its sections, every link resolves, never a name or a count.

``project`` makes a copy of the project (the package, overrides, mkdocs.yml and the fixture
content) in ``tmp_path``; ``run(project, "check")`` runs the command line on that copy, in this
process: ``cli.main(["check"], root=project)`` with the copy as the working directory, stdout and
stderr captured (forked children's output too) and the exit code returned, as a subprocess would
give them. Where the copy's own code differs from this checkout's (a test edited a model or a
template in it), or another engine than MkDocs is asked for (ProperDocs redirects imports), it runs
``python -m generator`` in the copy as a subprocess instead, so the edited code is what runs;
``run_process`` always does (the smoke tests of the real command, in the slow tier).

Use from a test module::

    from conftest import run

    def test_something(project: Path) -> None:
        (project / "content" / "drug" / "cellex.yaml").write_text(...)
        result = run(project, "check")
        assert result.returncode == 1

Markers (registered in pyproject.toml): ``browser`` for tests that drive Chromium, ``slow`` for
tests that build whole sites; both are applied here by the fixtures a test uses, so `make
test-fast` (``-m "not browser and not slow"``) needs neither Chromium nor the npm packages.
Playwright is imported only when a test asks for the `browser` fixture (tests/browser.py).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import http.server
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import traceback
import zipfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest

from generator.content.catalogue import Catalogue
from generator.pages.generate import check
from generator.pages.render import RenderedSite, render_site
from generator.project import Project
from generator.tools.linkcheck import declared_site_url

if TYPE_CHECKING:
    from playwright.sync_api import Browser

# On GitHub's runners the CLI prints problems as workflow commands (generator/errors.py: report_line);
# the tests read the plain lines, and tests/test_annotations.py sets the variable where it means to.
os.environ.pop("GITHUB_ACTIONS", None)
# Builds under test have a public address, as the deploy workflow gives the site, so the deliverables
# are served and link-checked at a sub-path. Tests of a build without one pass SITE_URL="" (what
# mkdocs.yml falls back to when the variable is unset; tests/test_site_url.py).
TEST_SITE_URL = "https://example.org/medsite/"
os.environ["SITE_URL"] = TEST_SITE_URL

ROOT = Path(__file__).resolve().parent.parent
# The content the site publishes: tests about it assert properties, never names or counts.
LIVE_CONTENT = ROOT / "content"
# A frozen catalogue with content/'s layout: what tests with exact names and counts run on.
FIXTURE = ROOT / "tests" / "fixtures" / "catalogue"
# What the CLI reads besides content; site-overrides is only needed by `build`, and copying it is cheap.
PROJECT_PARTS = ("generator", "site-overrides", "mkdocs.yml")


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file's SHA-256 under `folder`, by relative path."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def code_signature(package: Path) -> dict[str, tuple[int, int]]:
    """Size and modification time of every file of a copy of the package (bytecode left out).

    `copy_project` copies the times with the files, so a file a test edited differs here, at the
    cost of a stat per file rather than reading them all on every `run`.
    """
    files = (p for p in package.rglob("*") if "__pycache__" not in p.parts and p.is_file())
    return {p.relative_to(package).as_posix(): (p.stat().st_size, p.stat().st_mtime_ns) for p in files}


def copy_project(target: Path, content: Path = FIXTURE) -> Path:
    """Copy the parts of the project the CLI reads into `target` (created if needed), with `content`
    (the frozen fixture catalogue unless told otherwise) as its content/ folder; return it."""
    target.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, target / part, symlinks=True, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.is_file():
            shutil.copy2(source, target / part)
    shutil.copytree(content, target / "content", symlinks=True)
    return target


def run(project: Path, *args: str, timeout: float = 120, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the command line ``*args`` on `project` and return what a finished process would: the
    exit code, stdout and stderr as text.

    In this process when the copy's code is this checkout's and the engine is MkDocs; else as
    ``python -m generator`` in the copy (`run_process`, with `timeout`). `env` is added to the
    environment for the run.
    """
    engine = args[args.index("--engine") + 1] if "--engine" in args else "mkdocs"
    if engine == "mkdocs" and code_signature(project / "generator") == _package_signature():
        return run_in_process(project, *args, env=env)
    return run_process(project, *args, timeout=timeout, env=env)


@functools.cache
def _package_signature() -> dict[str, tuple[int, int]]:
    return code_signature(ROOT / "generator")


def run_in_process(project: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``cli.main(args, root=project)`` in this process, in `project` as the working directory.

    Output goes through files rather than strings so that what forked children write (the
    generation runs in one) is captured too. What a run leaves behind in this process is undone:
    the environment, the working directory, sys.path (the MkDocs hook adds its folder) and the
    log handlers writing to the captured output (`show_log` gives MkDocs' logger one).
    """
    from generator import cli

    path = sys.path[:]
    with ExitStack() as undo:
        stdout = undo.enter_context(tempfile.TemporaryFile("w+", encoding="utf-8"))
        stderr = undo.enter_context(tempfile.TemporaryFile("w+", encoding="utf-8"))
        undo.enter_context(_environment(env or {}))
        undo.enter_context(contextlib.chdir(project))
        undo.enter_context(contextlib.redirect_stdout(stdout))
        undo.enter_context(contextlib.redirect_stderr(stderr))
        try:
            code = cli.main(list(args), root=project)
        except SystemExit as exit:  # argparse's usage errors
            code = exit.code if isinstance(exit.code, int) else 1
        except Exception:  # what the interpreter would print before exiting with 1
            traceback.print_exc()
            code = 1
        finally:
            sys.path[:] = path
            for logger in [logging.root, *logging.root.manager.loggerDict.values()]:
                for handler in getattr(logger, "handlers", [])[:]:
                    if getattr(handler, "stream", None) in (stdout, stderr):
                        logger.removeHandler(handler)
        outputs = []
        for stream in (stdout, stderr):
            stream.flush()
            stream.seek(0)
            outputs.append(stream.read())
    return subprocess.CompletedProcess(["python", "-m", "generator", *args], code, *outputs)


@contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    saved = os.environ.copy()
    os.environ.update(values)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def run_process(project: Path, *args: str, timeout: float = 120, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``python -m generator *args`` inside `project` as a subprocess and return the finished process.

    stdout and stderr are captured as text. ``PYTHONPATH`` is dropped so only the copied package
    can be imported, and no bytecode is written into the copy.
    """
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    environment.update(env or {}, PYTHONDONTWRITEBYTECODE="1")
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=project,
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A fresh copy of the project, content from the fixture catalogue, in its own folder under
    `tmp_path`; edit it freely.

    The copy lives in ``tmp_path / "project"`` so a test can put files *outside* the project
    (e.g. a symlink target) in ``tmp_path`` itself.
    """
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    """The fixture catalogue, validated (read only: tests that edit content use `project`)."""
    return check(Project.at(ROOT, FIXTURE))


@pytest.fixture(scope="session")
def rendered(catalogue: Catalogue) -> RenderedSite:
    """The fixture catalogue rendered to Markdown, without git history (read only)."""
    return render_site(catalogue)


@pytest.fixture(scope="session")
def live_catalogue() -> Catalogue:
    """The live content, validated: assert only what holds for any valid content (read only)."""
    return check(Project.at(ROOT, LIVE_CONTENT))


@pytest.fixture(scope="session")
def live_rendered(live_catalogue: Catalogue) -> RenderedSite:
    """The live content rendered to Markdown, without git history (read only)."""
    return render_site(live_catalogue)


# A property test (one that holds for any valid content) runs on both catalogues: decorate it with
# `@both_catalogues` and take `any_catalogue` / `any_rendered`, which pick the one of its `content`.
both_catalogues = pytest.mark.parametrize("content", ["fixture", pytest.param("live", marks=pytest.mark.live)])


@pytest.fixture
def any_catalogue(request: pytest.FixtureRequest, content: str) -> Catalogue:
    """`catalogue` or `live_catalogue`, as the test's `content` parameter says."""
    return request.getfixturevalue("live_catalogue" if content == "live" else "catalogue")


@pytest.fixture
def any_rendered(request: pytest.FixtureRequest, content: str) -> RenderedSite:
    """`rendered` or `live_rendered`, as the test's `content` parameter says."""
    return request.getfixturevalue("live_rendered" if content == "live" else "rendered")


def git(project: Path, *args: str) -> None:
    """Run git in `project` with a fixed identity (tests make their own throwaway repositories)."""
    identity = {"GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org", "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.org"}
    subprocess.run(["git", *args], cwd=project, env={**os.environ, **identity}, check=True, capture_output=True)


def commit_all(project: Path, message: str) -> None:
    """Make `project` a git repository (if needed) and commit everything in it."""
    if not (project / ".git").exists():
        git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", message)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files without logging every request to stderr (pytest would show them all)."""

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve_directory(directory: Path) -> Iterator[str]:
    """Serve `directory` over loopback on a free port; yield its URL (``http://127.0.0.1:<port>/``)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def mount(server_root: Path, url_path: str, folder: Path) -> None:
    """Make `folder` appear at `url_path` (e.g. ``/medsite/pr-preview/pr-3/``) under a served `server_root`.

    A site built for a sub-path must be served under it: its 404 page and some theme links are
    root-absolute, so serving the folder itself at ``/`` would hide broken or working links alike.
    """
    link = server_root / url_path.strip("/")
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(folder, target_is_directory=True)


TARGETS = ("site", "offline", "preview")
# Pages of a target no reader can reach, which the link and accessibility checks leave out. The
# offline bundle is opened from disk, where no server ever shows a 404 page; Material writes
# 404.html with root-absolute styles and links (/medsite/...) because a server shows it at any
# depth, so from disk it is an unstyled page whose links lead nowhere. Its links and accessibility
# are checked where it is served: on the public site and the preview.
UNREACHABLE_PAGES = {"offline": {"404.html"}}


@pytest.fixture(scope="session")
def targets(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The three deliverables of the fixture catalogue, built once per test session from one copy of the project.

    ``site`` is the public site, ``offline`` the unpacked offline bundle (its single folder),
    ``preview`` the PR preview ``pr-3`` compared with HEAD. Read them; never modify them.
    """
    project = copy_project(tmp_path_factory.mktemp("targets") / "project")
    (project / "node_modules").symlink_to(ROOT / "node_modules")
    for name in ("mkdocs-offline.yml", "pyproject.toml"):
        (project / name).write_bytes((ROOT / name).read_bytes())
    commit_all(project, "content under test")  # a preview compares with a git ref
    for command in (["build"], ["offline"], ["preview", "--pr", "3", "--base", "HEAD"]):
        result = run(project, *command, timeout=300)
        assert result.returncode == 0, (command, result.stderr)
    with zipfile.ZipFile(next((project / "dist").glob("*.zip"))) as archive:
        archive.extractall(project / "unpacked")
    return {"site": project / "site", "offline": next((project / "unpacked").iterdir()), "preview": project / "preview" / "pr-3"}


@contextmanager
def serve_as_built(folder: Path, tmp_path_factory: pytest.TempPathFactory, name: str) -> Iterator[str]:
    """Serve a built site over loopback at the path of the address it was built for (e.g.
    ``/medsite/pr-preview/pr-3/``); yield its URL."""
    declared = declared_site_url(folder)
    assert declared, f"{name}: the home page declares no canonical address"
    path = urlsplit(declared).path
    server_root = folder if path == "/" else tmp_path_factory.mktemp(f"www-{name}")
    if path != "/":
        mount(server_root, path, folder)
    with serve_directory(server_root) as url:
        yield url + path.lstrip("/")


@pytest.fixture(scope="session")
def target_urls(targets: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """Where a reader opens each target: the site and the preview over loopback HTTP, each at the
    path of the address it was built for; the offline bundle from disk as a ``file:`` URL."""
    urls = {"offline": targets["offline"].as_uri() + "/"}
    with ExitStack() as servers:
        for name in ("site", "preview"):  # one server each: the preview's path lies inside the site's
            urls[name] = servers.enter_context(serve_as_built(targets[name], tmp_path_factory, name))
        yield urls


@pytest.fixture(scope="session")
def live_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The public site built from the live content (a copy of the project), once per session.

    The gates (links, HTML, accessibility, trust fields) check it with the fixture's targets; being
    the live content, it is only ever checked for properties, never for names or counts.
    """
    project = copy_project(tmp_path_factory.mktemp("live") / "project", content=LIVE_CONTENT)
    result = run(project, "build", timeout=300)
    assert result.returncode == 0, result.stderr
    return project / "site"


@pytest.fixture(scope="session")
def live_url(live_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The live content's site over loopback, at the path of the address it was built for."""
    with serve_as_built(live_site, tmp_path_factory, "live") as url:
        yield url


# The reader-facing gates (links, HTML, accessibility, trust fields) check the fixture catalogue's
# three deliverables and, as `live`, the public site of the live content. Parametrize a gate with
# `@gated` and take the folder from the `deliverable` fixture; `pytest -m live` selects the live one.
GATED = (*TARGETS, "live")
gated = pytest.mark.parametrize("target", [*TARGETS, pytest.param("live", marks=pytest.mark.live)])
# The same for a check of the public site alone (not the offline bundle or the preview).
site_and_live = pytest.mark.parametrize("target", ["site", pytest.param("live", marks=pytest.mark.live)])


@pytest.fixture
def deliverable(request: pytest.FixtureRequest, target: str) -> Path:
    """The built folder of the gate's `target`: one of the fixture's `targets`, or the `live_site`.

    Looked up lazily, so running only the live gates builds only the live site.
    """
    return request.getfixturevalue("live_site") if target == "live" else request.getfixturevalue("targets")[target]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One Chromium (Debian's, driven by Playwright) for the whole session."""
    from browser import chromium  # Playwright is imported only once a test asks for a browser

    with chromium() as running:
        yield running


# Tests that use these fixtures drive Chromium (`browser`) or build whole sites (`slow`): `make
# test-fast` leaves both out. Modules whose own fixtures build sites mark themselves slow.
BROWSER_FIXTURES = frozenset({"browser"})
SLOW_FIXTURES = frozenset({"targets", "live_site", "deliverable"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        if used & BROWSER_FIXTURES:
            item.add_marker(pytest.mark.browser)
        if used & SLOW_FIXTURES:
            item.add_marker(pytest.mark.slow)


# Whether Playwright had been imported when collection finished, before any test ran: it must not
# have been, so that collecting the suite (and running `make test-fast`) never needs it.
PLAYWRIGHT_AT_COLLECTION = pytest.StashKey[bool]()


def pytest_collection_finish(session: pytest.Session) -> None:
    session.config.stash[PLAYWRIGHT_AT_COLLECTION] = any(name.partition(".")[0] == "playwright" for name in sys.modules)
