"""The shape of the code: a content kind is a plug-in, the core is engine-free, the MkDocs adapter
guards its versions, and its build loop makes the same site as the stock one (and as ProperDocs).
"""

from __future__ import annotations

import datetime
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from conftest import ROOT, commit_all, copy_project, run, tree_digest

from generator.content.models import KINDS
from generator.content.schema import SCHEMA_DIR, modeline
from generator.pages.generate import check
from generator.project import Project

ENGINE_MODULES = re.compile(r"^(mkdocs|material|properdocs|zensical|pymdownx|watchdog)(\.|$)")

# A kind added by the tests, under a name no registered kind has: the model overrides no method.
NEW_KIND = next(name for name in ("device", "gadget", "instrument") if name not in KINDS)

NEW_MODEL = f'''"""A {NEW_KIND} (a kind added by a test: no method overridden)."""

from __future__ import annotations

from .common import Entity, Text


class {NEW_KIND.capitalize()}(Entity):
    """A {NEW_KIND}."""

    kind = "{NEW_KIND}"

    maker: Text
    """Who makes it."""
'''

NEW_TEMPLATE = """{% import "_macros.md.j2" as m with context %}
{{ m.front_matter(page) }}
# {{ page.title }}

{{ page.summary }}

- Maker: {{ page.maker }}

{{ m.footer(page) }}
"""

# The registration line: `KIND_MODULES = ("drug", ...)`, whatever kinds it lists.
KIND_MODULES_LINE = re.compile(r"^KIND_MODULES = \((?P<names>[^)]*)\)$", re.M)


def add_kind(project: Path) -> Path:
    """Add NEW_KIND to `project` as docs/architecture.md says ("Adding a content kind"): the model,
    the template, the registration line and one content file (with its schema line, as `new`
    writes it), dated like the newest content and citing its first source; return the content file.
    `make schema` is left to the caller."""
    models = project / "generator" / "content" / "models"
    (models / f"{NEW_KIND}.py").write_text(NEW_MODEL, encoding="utf-8")
    (project / "generator" / "pages" / "templates" / f"{NEW_KIND}.md.j2").write_text(NEW_TEMPLATE, encoding="utf-8")
    registry = models / "__init__.py"
    text = registry.read_text(encoding="utf-8")
    line = KIND_MODULES_LINE.search(text)
    assert line, "no `KIND_MODULES = (...)` line in generator/content/models/__init__.py"
    registered = line.group("names").rstrip().rstrip(",")
    registry.write_text(text[: line.start("names")] + f'{registered}, "{NEW_KIND}"' + text[line.end("names") :], encoding="utf-8")
    content = project / "content"
    catalogue = check(Project.at(ROOT, content))
    reviewed = max(entity.last_reviewed for entity in catalogue.all())
    added = content / NEW_KIND / "testometer.yaml"
    added.parent.mkdir()
    added.write_text(
        f"{modeline(added, project / SCHEMA_DIR, NEW_KIND)}\n"
        "title: Testometer\n"
        "summary: A device that exists only in this test.\n"
        "maker: Test Works\n"
        f"sources: [{next(iter(catalogue.sources))}]\n"
        f"last_reviewed: {reviewed}\n"
        f"next_review: {reviewed + datetime.timedelta(days=300)}\n"
        "changes: []\n",
        encoding="utf-8",
    )
    return added


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
    add_kind(project)
    section = f"{NEW_KIND}s"  # a model that names no section gets the kind + "s"

    assert run(project, "check").returncode == 0
    result = run(project, "build", "--site-dir", str(tmp_path / "site"), timeout=300)
    assert result.returncode == 0, result.stderr
    assert f"{NEW_KIND} 1" in result.stdout
    page = (tmp_path / "site" / section / "testometer" / "index.html").read_text(encoding="utf-8")
    assert "Maker: Test Works" in page
    jsonld = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert jsonld and json.loads(jsonld.group(1))["mainEntity"]["@type"] == "Thing"
    exported = json.loads((tmp_path / "site" / "api" / NEW_KIND / "testometer.json").read_text(encoding="utf-8"))
    assert exported["maker"] == "Test Works"
    assert "Testometer" in (tmp_path / "site" / section / "index.html").read_text(encoding="utf-8")
    assert "Testometer" in (tmp_path / "site" / "a-z" / "index.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_kind_added_as_documented_changes_only_its_files_and_passes_the_fast_tier(tmp_path: Path) -> None:
    """docs/architecture.md's steps, followed literally in a copy of the project (its tracked files
    as they are now): model, template, registration line, one content file, `make schema` (the
    kind's schema and the editor's mapping). Exactly those six files change, and `make test-fast`'s
    tests all pass in the copy."""
    project = tmp_path / "project"
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split("\0")
    for name in filter(None, tracked):
        if (ROOT / name).is_file():
            (project / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, project / name)
    commit_all(project, "the project as it is")

    add_kind(project)
    assert run(project, "schema").returncode == 0
    status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=project, capture_output=True, text=True, check=True).stdout
    assert sorted(line[3:] for line in status.splitlines()) == sorted(
        [
            f"content/{NEW_KIND}/testometer.yaml",
            f"generator/content/models/{NEW_KIND}.py",
            "generator/content/models/__init__.py",
            f"generator/pages/templates/{NEW_KIND}.md.j2",
            f"schema/{NEW_KIND}.schema.json",
            ".vscode/settings.json",  # `make schema` maps the new folder to its schema for the editor
        ]
    ), status

    for tools in (".venv", "node_modules"):  # what some tests run (actionlint, zizmor, vnu), where this checkout has it
        if (ROOT / tools).exists():
            (project / tools).symlink_to(ROOT / tools)
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    # A short folder: a test binds a Unix socket under it, and a socket's path has at most 107 bytes.
    basetemp = Path(tempfile.mkdtemp(prefix="kind-"))
    tests = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "not browser and not slow", "--basetemp", str(basetemp)],
        cwd=project,
        env={**environment, "PYTHONDONTWRITEBYTECODE": "1"},
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    shutil.rmtree(basetemp, ignore_errors=True)
    assert tests.returncode == 0, tests.stdout[-6000:] + tests.stderr[-2000:]
    assert (
        f"[{NEW_KIND}]"
        in subprocess.run(
            [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", "tests/test_models.py"],
            cwd=project,
            env={**environment, "PYTHONDONTWRITEBYTECODE": "1"},
            capture_output=True,
            text=True,
            check=False,
        ).stdout
    ), "the per-kind tests did not see the new kind"


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
