"""The shape of the code: a content kind is a plug-in, the core is engine-free, the MkDocs adapter
guards its versions, and its build loop makes the same site as the stock one (and as ProperDocs).
"""

from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, copy_project, run, tree_digest

ENGINE_MODULES = re.compile(r"^(mkdocs|material|properdocs|zensical|pymdownx|watchdog)(\.|$)")

DEVICE_MODEL = '''"""A medical device (a kind added by a test: no method overridden)."""

from __future__ import annotations

from .common import Entity, Text


class Device(Entity):
    """A device."""

    kind = "device"

    maker: Text
    """Who makes it."""
'''

DEVICE_TEMPLATE = """{% import "_macros.md.j2" as m with context %}
{{ m.front_matter(page) }}
# {{ page.title }}

{{ page.summary }}

Made by {{ page.maker }}.

{{ m.footer(page) }}
"""

DEVICE_CONTENT = """title: Testometer
summary: A device that exists only in this test.
maker: Test Works
sources: [001_301569f03230e822.txt]
last_reviewed: 2026-01-10
next_review: 2026-12-10
changes: []
"""


@pytest.mark.slow  # a subprocess: only a fresh interpreter shows what the core imports
def test_the_core_imports_no_engine() -> None:
    """`check` and `render` run on any machine with the content libraries alone."""
    code = (
        "import sys, tempfile\n"
        "from generator.cli import main\n"
        "assert main(['check']) == 0\n"
        "assert main(['render', '--out', tempfile.mkdtemp()]) == 0\n"
        "print('\\n'.join(sorted(sys.modules)))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False, timeout=120)
    assert result.returncode == 0, result.stderr
    engines = [name for name in result.stdout.splitlines() if ENGINE_MODULES.match(name)]
    assert engines == [], f"the core imported engine modules: {engines}"


@pytest.mark.slow  # builds a whole site, in a subprocess (the copy's code is edited)
def test_a_new_kind_is_one_model_one_template_one_line(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    models = project / "generator" / "content" / "models"
    (models / "device.py").write_text(DEVICE_MODEL, encoding="utf-8")
    (project / "generator" / "pages" / "templates" / "device.md.j2").write_text(DEVICE_TEMPLATE, encoding="utf-8")
    registry = models / "__init__.py"
    text = registry.read_text(encoding="utf-8")
    line = 'KIND_MODULES = ("drug", "procedure", "condition", "faq", "provider")'
    assert line in text, "the registration line moved: update this test"
    registry.write_text(text.replace(line, line.replace(")", ', "device")')), encoding="utf-8")
    (project / "content" / "device").mkdir()
    (project / "content" / "device" / "testometer.yaml").write_text(DEVICE_CONTENT, encoding="utf-8")

    assert run(project, "check").returncode == 0
    result = run(project, "build", "--site-dir", str(tmp_path / "site"), timeout=300)
    assert result.returncode == 0, result.stderr
    assert "device 1" in result.stdout
    page = (tmp_path / "site" / "devices" / "testometer" / "index.html").read_text(encoding="utf-8")
    assert "Made by Test Works." in page
    jsonld = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert jsonld and json.loads(jsonld.group(1))["mainEntity"]["@type"] == "Thing"
    exported = json.loads((tmp_path / "site" / "api" / "device" / "testometer.json").read_text(encoding="utf-8"))
    assert exported["maker"] == "Test Works"
    assert "Testometer" in (tmp_path / "site" / "devices" / "index.html").read_text(encoding="utf-8")
    assert "Testometer" in (tmp_path / "site" / "a-z" / "index.html").read_text(encoding="utf-8")


UNSUPPORTED = "mkdocs 1.7.0 with mkdocs-material 9.8.1 is not supported (expected mkdocs 1.6.1 with mkdocs-material 9.8.1; reinstall with `make site`)"


def test_an_unsupported_engine_version_is_refused_with_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    import mkdocs

    from generator.engines import UnsupportedEngine, mkdocs_adapter

    mkdocs_adapter.check_versions()  # the pinned version passes
    monkeypatch.setattr(mkdocs, "__version__", "1.7.0")
    with pytest.raises(UnsupportedEngine) as refused:
        mkdocs_adapter.check_versions()
    assert str(refused.value) == UNSUPPORTED


@pytest.mark.slow  # a subprocess: the check runs when the adapter is first imported
def test_an_unsupported_engine_version_stops_with_one_line(tmp_path: Path) -> None:
    code = "import sys, mkdocs\nmkdocs.__version__ = '1.7.0'\nfrom generator.cli import main\nsys.exit(main(sys.argv[1:]))\n"
    result = subprocess.run(
        [sys.executable, "-c", code, "build", "--site-dir", str(tmp_path / "site")], cwd=ROOT, capture_output=True, text=True, check=False, timeout=120
    )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [UNSUPPORTED]
    assert not (tmp_path / "site").exists()


def normalised(site: Path) -> dict[str, str]:
    """Digest of every file, with the sitemap's dates and the generator tag taken out (they name the engine and the day)."""
    digests = tree_digest(site)
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    unzipped = gzip.decompress((site / "sitemap.xml.gz").read_bytes()).decode("utf-8")
    assert unzipped == sitemap
    digests["sitemap.xml"] = re.sub(r"<lastmod>[^<]*</lastmod>", "", sitemap)
    del digests["sitemap.xml.gz"]
    for path in site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        digests[path.relative_to(site).as_posix()] = re.sub(r'<meta name="generator" content="[^"]*">', "", text)
    return digests


def stock_build(project: Path, site: Path, content: Path | None = None) -> None:
    """The site built by plain `mkdocs build`: MkDocs' own loop, our hooks generating the Markdown."""
    env = {"MEDSITE_CONTENT": str(content)} if content else {}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", str(site)],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
        env={**os.environ, **env},
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.slow  # two whole-site builds
@pytest.mark.parametrize("catalogue", ["real content", "100 synthetic drugs"])
def test_the_project_loop_builds_the_same_site_as_stock_mkdocs(catalogue: str, tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    content = None
    if catalogue != "real content":
        content = tmp_path / "synthetic"
        assert run(project, "synth", "--drugs", "100", "--out", str(content)).returncode == 0
    args = ("--content", str(content)) if content else ()
    result = run(project, *args, "build", "--site-dir", str(tmp_path / "ours"), timeout=600)
    assert result.returncode == 0, result.stderr
    stock_build(project, tmp_path / "stock", content)
    ours, stock = normalised(tmp_path / "ours"), normalised(tmp_path / "stock")
    assert ours.keys() == stock.keys(), f"only ours: {sorted(ours.keys() - stock.keys())}; only stock: {sorted(stock.keys() - ours.keys())}"
    differing = sorted(path for path in ours if ours[path] != stock[path])
    assert differing == [], f"{len(differing)} files differ, e.g. {differing[:5]}"


@pytest.mark.slow  # two whole-site builds, one in a subprocess (ProperDocs redirects imports)
def test_properdocs_builds_the_same_site(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    for engine in ("mkdocs", "properdocs"):
        result = run(project, "build", "--engine", engine, "--site-dir", str(tmp_path / engine), timeout=300)
        assert result.returncode == 0, result.stderr
    assert "ProperDocs: " in result.stdout
    tag = re.compile(r'<meta name="generator" content="([^"]*)">')
    assert tag.findall((tmp_path / "properdocs" / "index.html").read_text(encoding="utf-8")) == ["mkdocs-ProperDocs 1.6.7, mkdocs-material-9.8.1"]
    assert normalised(tmp_path / "mkdocs") == normalised(tmp_path / "properdocs")
