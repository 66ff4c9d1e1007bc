"""`python -m generator serve`: an edited YAML file shows up in the served page."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from test_live_content import add_drug

pytestmark = pytest.mark.slow  # starts the live preview server and waits for rebuilds


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except urllib.error.HTTPError as error:  # e.g. the 404 page
        return error.read().decode("utf-8")
    except OSError:
        return ""


def wait_for(url: str, text: str, seconds: float) -> bool:
    """Poll the page until it contains `text` or `seconds` pass (bounded: never hangs a test run)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if text in fetch(url):
            return True
        time.sleep(0.25)
    return False


def test_editing_yaml_updates_the_served_page(project: Path) -> None:
    address = f"127.0.0.1:{free_port()}"
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    server = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--dev-addr", address], cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        url = f"http://{address}/drugs/cellex/"
        assert wait_for(url, "<h1", 60), "server never served the page"
        cellex = project / "content/drug/cellex.yaml"
        cellex.write_text(cellex.read_text(encoding="utf-8").replace("title: Cellex", "title: Cellex edited live", 1), encoding="utf-8")
        assert wait_for(url, "Cellex edited live", 30)
        # A new content file gets a page; deleting it takes the page away again.
        copy = add_drug(project / "content", "cellex-copy", "Cellex copy")  # names of its own: two drugs may not share one unexplained
        copy_url = f"http://{address}/drugs/cellex-copy/"
        assert wait_for(copy_url, "Cellex copy", 30)
        copy.unlink()
        assert wait_for(copy_url, "Page not found", 30)
        template = project / "generator/pages/templates/drug.md.j2"
        template.write_text(template.read_text(encoding="utf-8").replace("### What it is used for", "### What it is used for (edited)"), encoding="utf-8")
        assert wait_for(url, "What it is used for (edited)", 30)
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_serve_leaves_out_pages_that_would_request_another_host(project: Path, tmp_path: Path) -> None:
    """Serve rebuilds in place, so a page that would request another host is taken out of the preview, with the build's line."""
    address = f"127.0.0.1:{free_port()}"
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  font: false", "  font: {text: Roboto}", 1), encoding="utf-8")
    log = tmp_path / "serve.log"
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    with log.open("w", encoding="utf-8") as stderr:
        command = [sys.executable, "-m", "generator", "serve", "--dev-addr", address]
        server = subprocess.Popen(command, cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=stderr)
        try:
            url = f"http://{address}/drugs/cellex/"
            deadline = time.monotonic() + 60
            while "as they would request another host" not in log.read_text(encoding="utf-8"):
                assert time.monotonic() < deadline and server.poll() is None, log.read_text(encoding="utf-8")
                time.sleep(0.25)
            assert "<h1" not in fetch(url) and "fonts.gstatic.com" not in fetch(url)
            reported = log.read_text(encoding="utf-8")
            assert re.search(
                rf"^http://{re.escape(address)}/index\.html:\d+: <link rel=preconnect> href: requests https://fonts\.gstatic\.com from another host, "
                r"and so do \d+ other files \(likely cause: theme\.font in mkdocs\.yml line \d+: ",
                reported,
                re.M,
            ), reported
            config.write_text(config.read_text(encoding="utf-8").replace("  font: {text: Roboto}", "  font: false", 1), encoding="utf-8")
            assert wait_for(url, "<h1", 60), "the page never came back once the setting was fixed"
        finally:
            server.terminate()
            server.wait(timeout=10)


def test_one_edit_gives_one_rebuild_and_one_reload(project: Path, tmp_path: Path) -> None:
    """The rebuild reads every watched file; those reads must not start the next rebuild (issue 19).

    Negative control: with MkDocs' handler on the plain native observer, this edit gave about six
    rebuilds a second, without end (tests/test_edits.py shows that observer reporting the reads).
    """
    address = f"127.0.0.1:{free_port()}"
    log = tmp_path / "serve.log"
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    with log.open("w") as output:
        server = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--dev-addr", address], cwd=project, env=env, stdout=output, stderr=output)
    try:
        url = f"http://{address}/drugs/cellex/"
        assert wait_for(url, "<h1", 60), "server never served the page"
        cellex = project / "content/drug/cellex.yaml"
        cellex.write_text(cellex.read_text(encoding="utf-8").replace("title: Cellex", "title: Cellex edited once", 1), encoding="utf-8")
        assert wait_for(url, "Cellex edited once", 30)
        time.sleep(10)  # ten quiet seconds: nothing else changes
    finally:
        server.terminate()
        server.wait(timeout=10)
    lines = log.read_text(encoding="utf-8").splitlines()
    assert sum("Rebuilt in" in line for line in lines) == 2, lines  # the first build and the edit's
    assert sum("Reloading browsers" in line for line in lines) == 1, lines


def test_a_broken_template_is_one_line_and_the_last_good_site_stays_served(project: Path, tmp_path: Path) -> None:
    """A template error names the template's file and line; requests are answered meanwhile; the fix shows."""
    address = f"127.0.0.1:{free_port()}"
    log = tmp_path / "serve.log"
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    with log.open("w") as output:
        server = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--dev-addr", address], cwd=project, env=env, stdout=output, stderr=output)
    try:
        url = f"http://{address}/drugs/cellex/"
        assert wait_for(url, "<h1", 60), "server never served the page"
        template = project / "generator/pages/templates/drug.md.j2"
        good = template.read_text(encoding="utf-8")
        anchor = '{% import "_macros.md.j2" as m with context %}\n'
        broken_line = good[: good.index(anchor)].count("\n") + 2
        template.write_text(good.replace(anchor, anchor + "{{ page.missing.deeper }}\n", 1), encoding="utf-8")
        deadline = time.monotonic() + 30
        while "template:" not in log.read_text(encoding="utf-8") and time.monotonic() < deadline:
            time.sleep(0.25)
        started = time.monotonic()
        assert "Cellex" in fetch(url), "the last good page is no longer served"
        assert time.monotonic() - started < 5, "the request waited for a good build"
        template.write_text(good.replace("### What it is used for", "### What it is used for (fixed)"), encoding="utf-8")
        assert wait_for(url, "What it is used for (fixed)", 30), "the fixed template never showed"
    finally:
        server.terminate()
        server.wait(timeout=10)
    text = log.read_text(encoding="utf-8")
    errors = [line for line in text.splitlines() if "template:" in line]
    assert errors == [
        f"ERROR - generator/pages/templates/drug.md.j2:{broken_line}: template: "
        "'generator.content.models.drug.DrugMonograph object' has no attribute 'missing' (the preview still shows the last good build)"
    ], text
    assert "Traceback" not in text
