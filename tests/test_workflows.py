"""The GitHub Actions workflows in .github/workflows: linted, and checked for the safety they rely on.

- ``zizmor`` (security audit, offline) and ``actionlint`` (syntax, expressions, runner labels) must
  report nothing; each is also shown a broken workflow, so a tool that checks nothing cannot pass.
- The YAML is read with PyYAML and the safety properties are asserted one by one: no
  ``pull_request_target``, least-privilege ``permissions`` on every job, every action pinned to a
  commit SHA, no credentials left by a checkout, no ``${{ }}`` inside a ``run:`` script, previews only
  for PRs from this repository, PR checks for every PR (forks included) with a read-only token, and a
  deploy whose concurrency group no other workflow can share (so nothing can cancel a pending deploy).
- The publishing scripts are run for real against a local bare repository: the deploy keeps
  ``pr-preview/``, a preview touches only its own folder, closing a PR removes only its preview, and
  a push refused because gh-pages moved is retried from its new tip.

The tools come from the virtual environment (``requirements/test.txt``): ``.venv/bin/zizmor``,
``.venv/bin/actionlint`` and, if installed, ``.venv/bin/shellcheck`` (actionlint then checks the
``run:`` scripts with it). The environment variables ``ZIZMOR``, ``ACTIONLINT`` and ``SHELLCHECK`` may
name other executables.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
DEPLOY = WORKFLOWS / "deploy.yml"
PREVIEW = WORKFLOWS / "preview.yml"
CHECKS = WORKFLOWS / "checks.yml"
RELEASE = WORKFLOWS / "release.yml"
EVERY_WORKFLOW = sorted(WORKFLOWS.glob("*.y*ml"))
VENV_BIN = ROOT / ".venv" / "bin"

SAME_REPOSITORY = "github.event.pull_request.head.repo.full_name == github.repository"
# The only line of a publishing script that names GitHub; the behaviour tests point it at a local repository.
REMOTE_LINE = 'remote="https://github.com/$REPOSITORY.git"'
PINNED_USES = re.compile(r"^\s*(?:-\s+)?uses:\s+[\w.-]+/[\w./-]+@[0-9a-f]{40}\s+#\s+v\d+\.\d+\.\d+\s*$")
# Triggers that run with a write token or secrets on behalf of code the repository did not review.
FORBIDDEN_TRIGGERS = {"pull_request_target", "workflow_run", "issue_comment", "pull_request_review_comment"}
FORCE_PUSH = re.compile(r"\bpush\b[^\n]*(--force|\s-f\b|\s\+\S)")

BAD_WORKFLOW = """\
on: pull_request_target
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: ${{ github.event.pull_request.head.sha }}
      - run: echo "${{ github.event.pull_request.title }}"
      - run: echo "${{ matrix.nothing }}"
"""


def tool(name: str) -> Path:
    """The executable `name` from the virtual environment (or the path in $NAME); fail if it is missing."""
    path = Path(os.environ.get(name.upper()) or VENV_BIN / name)
    if not (path.is_file() and os.access(path, os.X_OK)):
        pytest.fail(f"{path} is missing: it is installed from requirements/test.txt (run `make .venv/.test-stamp`)")
    return path


def load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path.name}: not a mapping"
    return data


def triggers(workflow: dict[str, Any]) -> dict[str, Any]:
    """The `on:` section as a mapping (PyYAML reads the bare key `on` as the boolean True)."""
    on = workflow.get("on", workflow.get(True))
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return dict.fromkeys(on)
    assert isinstance(on, dict), "`on:` is missing"
    return on


def steps(workflow: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for job_id, job in workflow["jobs"].items():
        for step in job.get("steps", []):
            yield job_id, step


def strings(node: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], str]]:
    """Every string in a parsed YAML document, with the keys leading to it."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from strings(value, (*path, str(key)))
    elif isinstance(node, list):
        for value in node:
            yield from strings(value, path)
    elif isinstance(node, str):
        yield path, node


def publishing_script(workflow: dict[str, Any], job_id: str) -> str:
    """The `run:` script of the one step of `job_id` that pushes to gh-pages."""
    scripts = [step["run"] for step in workflow["jobs"][job_id]["steps"] if "push" in step.get("run", "") and "gh-pages" in step.get("run", "")]
    assert len(scripts) == 1, f"{job_id}: expected one step that pushes to gh-pages, found {len(scripts)}"
    return scripts[0]


@pytest.fixture(scope="module")
def deploy() -> dict[str, Any]:
    return load(DEPLOY)


@pytest.fixture(scope="module")
def preview() -> dict[str, Any]:
    return load(PREVIEW)


ALL = pytest.mark.parametrize("path", EVERY_WORKFLOW, ids=lambda path: path.name)


# --- the linters -------------------------------------------------------------------------------


def zizmor(target: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [tool("zizmor"), "--offline", "--no-progress", "--format", "json", target],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def actionlint(*files: Path, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    shellcheck = Path(os.environ.get("SHELLCHECK") or VENV_BIN / "shellcheck")
    # Never whatever shellcheck happens to be on PATH: the venv's, or none, so every machine agrees.
    shellcheck_flag = f"-shellcheck={shellcheck}" if shellcheck.is_file() else "-shellcheck="
    return subprocess.run(
        [tool("actionlint"), "-no-color", "-oneline", shellcheck_flag, "-pyflakes=", *files],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_zizmor_reports_nothing() -> None:
    result = zizmor(WORKFLOWS)
    assert result.returncode == 0, f"zizmor found problems:\n{result.stdout}\n{result.stderr}"
    assert json.loads(result.stdout) == []


def test_zizmor_catches_an_unsafe_workflow(tmp_path: Path) -> None:
    bad = tmp_path / ".github" / "workflows" / "bad.yml"
    bad.parent.mkdir(parents=True)
    bad.write_text(BAD_WORKFLOW, encoding="utf-8")
    result = zizmor(bad)
    assert result.returncode != 0
    found = {finding["ident"] for finding in json.loads(result.stdout)}
    assert {"dangerous-triggers", "template-injection", "unpinned-uses"} <= found, found


def test_actionlint_reports_nothing() -> None:
    assert {DEPLOY, PREVIEW, CHECKS, RELEASE} <= set(EVERY_WORKFLOW)
    result = actionlint(*EVERY_WORKFLOW)
    assert result.returncode == 0, f"actionlint found problems:\n{result.stdout}\n{result.stderr}"
    assert result.stdout.strip() == ""


def test_actionlint_catches_a_broken_workflow(tmp_path: Path) -> None:
    bad = tmp_path / ".github" / "workflows" / "bad.yml"
    bad.parent.mkdir(parents=True)
    bad.write_text(BAD_WORKFLOW, encoding="utf-8")
    result = actionlint(bad, cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert 'property "nothing" is not defined' in result.stdout, result.stdout
    assert "github.event.pull_request.title" in result.stdout, result.stdout


# --- triggers and permissions ------------------------------------------------------------------


def test_deploy_runs_on_main_and_by_hand(deploy: dict[str, Any]) -> None:
    on = triggers(deploy)
    assert set(on) == {"push", "workflow_dispatch"}
    assert on["push"] == {"branches": ["main"]}
    # workflow_dispatch can name any branch: only main is ever published.
    assert [job.get("if") for job in deploy["jobs"].values()] == ["github.ref == 'refs/heads/main'"]


def test_preview_runs_on_pull_request_only(preview: dict[str, Any]) -> None:
    on = triggers(preview)
    assert set(on) == {"pull_request"}
    assert sorted(on["pull_request"]["types"]) == ["closed", "opened", "reopened", "synchronize"]


@ALL
def test_no_trigger_runs_untrusted_code_with_a_write_token(path: Path) -> None:
    assert not set(triggers(load(path))) & FORBIDDEN_TRIGGERS


@ALL
def test_token_has_no_permission_by_default_and_each_job_names_its_own(path: Path) -> None:
    workflow = load(path)
    assert workflow.get("permissions") == {}, "workflow-level permissions must be {}"
    for job_id, job in workflow["jobs"].items():
        permissions = job.get("permissions")
        assert isinstance(permissions, dict), f"{job_id}: no permissions mapping"
        assert set(permissions.values()) <= {"read", "write", "none"}, f"{job_id}: {permissions}"
        writes = {scope for scope, level in permissions.items() if level == "write"}
        assert writes <= {"contents", "pull-requests"}, f"{job_id} writes {writes}"


def test_deploy_job_may_only_write_contents(deploy: dict[str, Any]) -> None:
    assert [job["permissions"] for job in deploy["jobs"].values()] == [{"contents": "write"}]


def test_preview_jobs_write_only_contents_and_pull_requests(preview: dict[str, Any]) -> None:
    for job_id, job in preview["jobs"].items():
        assert job["permissions"] == {"contents": "write", "pull-requests": "write"}, job_id


def test_previews_are_only_for_pull_requests_from_this_repository(preview: dict[str, Any]) -> None:
    for job_id, job in preview["jobs"].items():
        condition = " ".join(str(job.get("if", "")).split())
        assert SAME_REPOSITORY in condition, f"{job_id}: runs for PRs from forks too"
        assert "||" not in condition, f"{job_id}: an `||` could bypass the same-repository check"


# --- actions and checkouts ---------------------------------------------------------------------


@ALL
def test_every_action_is_pinned_to_a_commit_with_its_version(path: Path) -> None:
    uses = [step["uses"] for _, step in steps(load(path)) if "uses" in step]
    assert uses, "expected at least one action"
    for ref in uses:
        assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", ref), f"not pinned to a full commit SHA: {ref}"
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if re.match(r"^\s*(-\s+)?uses:", line)]
    assert len(lines) == len(uses)
    for line in lines:
        assert PINNED_USES.match(line), f"expected `uses: owner/repo@<sha> # vX.Y.Z`: {line.strip()}"


@ALL
def test_checkouts_leave_no_credentials_behind(path: Path) -> None:
    checkouts = [step for _, step in steps(load(path)) if str(step.get("uses", "")).startswith("actions/checkout@")]
    for step in checkouts:
        assert step.get("with", {}).get("persist-credentials") is False, step


def test_preview_builds_from_full_history(preview: dict[str, Any]) -> None:
    job = preview["jobs"]["preview"]
    checkout = next(step for step in job["steps"] if str(step.get("uses", "")).startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0
    build = next(step for step in job["steps"] if "make preview" in step.get("run", ""))
    assert 'make preview PR="$PR"' in build["run"]
    assert build["env"]["PR"] == "${{ github.event.number }}"


def test_preview_carries_its_page_cache_between_runs(preview: dict[str, Any]) -> None:
    """The PR's previous preview's page cache is restored before the build (and saved after it)."""
    job_steps = preview["jobs"]["preview"]["steps"]
    cache = next(i for i, step in enumerate(job_steps) if str(step.get("uses", "")).startswith("actions/cache@"))
    build = next(i for i, step in enumerate(job_steps) if "make preview" in step.get("run", ""))
    assert cache < build
    settings = job_steps[cache]["with"]
    assert settings["path"] == "build/cache/pr-${{ github.event.number }}"  # where `make preview PR=<n>` keeps it
    prefix = settings["restore-keys"].strip()
    assert settings["key"].startswith(prefix) and settings["key"] != prefix
    assert "pr${{ github.event.number }}" in prefix and "requirements/*.txt" in prefix and "generator/engines/**" in prefix


def test_deploy_builds_the_offline_bundle_then_the_site_that_publishes_it(deploy: dict[str, Any]) -> None:
    runs = [step.get("run", "").strip() for _, step in steps(deploy)]
    offline = runs.index("make offline")
    site = next(i for i, run in enumerate(runs) if 'make site OFFLINE_ZIP="${bundles[0]}"' in run)
    assert offline < site
    assert 'test -f "site/downloads/' in runs[site]


# --- scripts and untrusted input ---------------------------------------------------------------


@ALL
def test_no_expression_is_pasted_into_a_script(path: Path) -> None:
    for job_id, step in steps(load(path)):
        assert "${{" not in step.get("run", ""), f"{job_id}/{step.get('name')}: pass values through env:"


# Values no PR author chooses: the PR number, the commit hash, the runner's OS, the Python version
# setup-python installed, and digests of files named by literal patterns (the preview's cache key).
TRUSTED_EXPRESSIONS = {"github.event.number", "github.sha", "runner.os", "steps.python.outputs.python-version"}
HASH_FILES = re.compile(r"hashFiles\((?:'[\w./*-]+'(?:, )?)+\)")


@ALL
def test_expressions_outside_env_are_only_trusted_values(path: Path) -> None:
    """Branch names, titles, bodies and the like may reach a step only as environment variables."""
    for keys, text in strings(load(path)):
        if "env" in keys:
            continue
        for expression in re.findall(r"\$\{\{(.*?)\}\}", text):
            trusted = expression.strip() in TRUSTED_EXPRESSIONS or HASH_FILES.fullmatch(expression.strip())
            assert trusted, f"{'.'.join(keys)}: ${{{{{expression}}}}}"


@ALL
def test_no_force_push(path: Path) -> None:
    for job_id, step in steps(load(path)):
        assert not FORCE_PUSH.search(step.get("run", "")), f"{job_id}: force push"


def concurrency_groups(workflows: dict[str, dict[str, Any]]) -> Iterator[tuple[str, str, bool]]:
    """(where, group, cancel-in-progress) of every concurrency setting, workflow-level and per job."""
    for name, workflow in workflows.items():
        settings = [(name, workflow.get("concurrency"))]
        settings += [(f"{name}/{job_id}", job.get("concurrency")) for job_id, job in workflow["jobs"].items()]
        for where, setting in settings:
            if isinstance(setting, str):
                yield where, setting, False
            elif isinstance(setting, dict):
                yield where, str(setting["group"]), bool(setting.get("cancel-in-progress", False))


def group_pattern(group: str) -> re.Pattern[str]:
    """The group names a group setting can evaluate to: each ${{ expression }} may become anything."""
    return re.compile(".*".join(re.escape(part) for part in re.split(r"\$\{\{.*?\}\}", group)), re.S)


def deploy_cancellers(workflows: dict[str, dict[str, Any]]) -> list[str]:
    """What could cancel a pending or running deploy: a deploy group that is not one fixed name, that
    cancels in progress, or that another workflow's group could also evaluate to (GitHub keeps one
    pending run per group and cancels the older pending one)."""
    groups = list(concurrency_groups(workflows))
    deploy = [(where, group, cancel) for where, group, cancel in groups if where.startswith("deploy")]
    problems = [] if deploy else ["deploy has no concurrency group"]
    for where, group, cancel in deploy:
        if "${{" in group:
            problems.append(f"{where}: the deploy's group {group!r} is not a fixed name")
        if cancel:
            problems.append(f"{where}: cancel-in-progress would cancel a running deploy")
        for other, other_group, _ in groups:
            if not other.startswith("deploy") and group_pattern(other_group).fullmatch(group):
                problems.append(f"{other}: its group {other_group!r} can be the deploy's {group!r}")
    return problems


def all_workflows() -> dict[str, dict[str, Any]]:
    return {path.stem: load(path) for path in EVERY_WORKFLOW}


def test_no_other_workflow_can_cancel_a_deploy() -> None:
    assert deploy_cancellers(all_workflows()) == []


def test_a_shared_or_cancelling_deploy_group_is_caught() -> None:
    """Negative controls: the old shared `gh-pages` group, a group pattern that covers the deploy's, a
    deploy that cancels itself, and a deploy group with an expression in it."""
    deploy_group = next(group for where, group, _ in concurrency_groups(all_workflows()) if where.startswith("deploy"))
    for other_group in (deploy_group, "${{ github.workflow }}", f"{deploy_group[:3]}${{{{ github.event.number }}}}"):
        workflows = all_workflows()
        workflows["preview"]["jobs"]["preview"]["concurrency"]["group"] = other_group
        assert any(p.startswith("preview/preview:") for p in deploy_cancellers(workflows)), other_group
    workflows = all_workflows()
    workflows["deploy"]["jobs"]["deploy"]["concurrency"]["cancel-in-progress"] = True
    assert deploy_cancellers(workflows)
    workflows = all_workflows()
    workflows["deploy"]["jobs"]["deploy"]["concurrency"]["group"] = "deploy-${{ github.ref }}"
    assert deploy_cancellers(workflows)


def test_every_job_that_pushes_to_gh_pages_never_cancels_a_running_push(deploy: dict[str, Any], preview: dict[str, Any]) -> None:
    jobs = [*deploy["jobs"].items(), *preview["jobs"].items()]
    pushing = [(job_id, job) for job_id, job in jobs if job["permissions"].get("contents") == "write"]
    assert pushing
    for job_id, job in pushing:
        assert job["concurrency"]["cancel-in-progress"] is False, job_id


# --- the pull-request checks and the release ---------------------------------------------------


def test_checks_run_on_every_pull_request_with_a_read_only_token() -> None:
    checks = load(CHECKS)
    assert set(triggers(checks)) == {"pull_request"}
    text = CHECKS.read_text(encoding="utf-8")
    assert "secrets." not in text and "github.token" not in text
    for job_id, job in checks["jobs"].items():
        assert "if" not in job, f"{job_id}: PRs from forks must be checked too"
        assert job["permissions"] == {"contents": "read"}, job_id
    runs = [step.get("run", "").strip() for _, step in steps(checks)]
    assert {"make check", "make test-fast", ".ci/run"} <= set(runs), runs
    assert any("make lock" in run and "git diff --exit-code -- requirements/" in run for run in runs)
    # .ci/run is what CI runs: the whole `make test`.
    assert (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()[-1] == "make test"


DEPENDABOT = ROOT / ".github" / "dependabot.yml"
# What each ecosystem keeps current, and the file in its directory that shows it is the right one.
ECOSYSTEMS = {"github-actions": ".github/workflows/deploy.yml", "pip": "requirements/test.in", "npm": "package-lock.json"}


def dependabot_problems(config: dict[str, Any]) -> list[str]:
    """Where the Dependabot config falls short: an ecosystem missing or pointed at the wrong folder, not
    weekly, or not grouped into one PR."""
    updates = {update["package-ecosystem"]: update for update in config.get("updates", [])}
    problems = [f"{name}: not covered" for name in ECOSYSTEMS if name not in updates]
    for name, update in updates.items():
        marker = ECOSYSTEMS.get(name)
        folder = update["directory"].strip("/")
        if marker and not (name == "github-actions" and folder == "") and Path(marker).parent.as_posix() != (folder or "."):
            problems.append(f"{name}: directory {update['directory']} does not hold {marker}")
        if update.get("schedule", {}).get("interval") != "weekly":
            problems.append(f"{name}: not weekly")
        if not any(group.get("patterns") == ["*"] for group in update.get("groups", {}).values()):
            problems.append(f"{name}: updates not grouped")
    return problems


def test_dependabot_keeps_every_pin_current_weekly_in_groups() -> None:
    config = load(DEPENDABOT)
    assert config["version"] == 2
    assert dependabot_problems(config) == []
    for marker in ECOSYSTEMS.values():
        assert (ROOT / marker).is_file(), marker


def test_a_dependabot_gap_is_caught() -> None:
    config = load(DEPENDABOT)
    for name in ECOSYSTEMS:
        without = {**config, "updates": [u for u in config["updates"] if u["package-ecosystem"] != name]}
        assert dependabot_problems(without) == [f"{name}: not covered"]
    daily = {**config, "updates": [{**u, "schedule": {"interval": "daily"}} for u in config["updates"]]}
    assert len(dependabot_problems(daily)) == len(ECOSYSTEMS)
    ungrouped = {**config, "updates": [{k: v for k, v in u.items() if k != "groups"} for u in config["updates"]]}
    assert len(dependabot_problems(ungrouped)) == len(ECOSYSTEMS)
    moved = {**config, "updates": [{**u, "directory": "/docs"} if u["package-ecosystem"] == "pip" else u for u in config["updates"]]}
    assert dependabot_problems(moved) == ["pip: directory /docs does not hold requirements/test.in"]


def test_zizmor_audits_the_dependabot_config(tmp_path: Path) -> None:
    result = zizmor(DEPENDABOT)
    assert result.returncode == 0 and json.loads(result.stdout) == [], result.stdout
    # Negative control: without a cooldown a just-published release is proposed at once.
    bad = tmp_path / ".github" / "dependabot.yml"
    bad.parent.mkdir(parents=True)
    bad.write_text(re.sub(r"(?m)^    cooldown:\n      default-days: \d+\n", "", DEPENDABOT.read_text(encoding="utf-8")), encoding="utf-8")
    assert "default-days" not in bad.read_text(encoding="utf-8")
    found = {finding["ident"] for finding in json.loads(zizmor(bad).stdout)}
    assert "dependabot-cooldown" in found


def test_release_attaches_the_offline_bundle_on_version_tags() -> None:
    release = load(RELEASE)
    assert triggers(release) == {"push": {"tags": ["v*"]}}
    runs = "\n".join(step.get("run", "") for _, step in steps(release))
    assert "make offline" in runs
    assert re.search(r'gh release upload "\$TAG" "\$\{bundles\[0\]\}"', runs)


def test_deploy_replaces_everything_but_the_previews(deploy: dict[str, Any]) -> None:
    script = publishing_script(deploy, "deploy")
    assert "! -name pr-preview" in script
    assert "! -name .git" in script


# --- the publishing scripts, run against a local repository ------------------------------------


class GhPages:
    """A bare repository standing in for GitHub, and the workflows' publishing scripts pointed at it."""

    def __init__(self, tmp_path: Path, deploy: dict[str, Any], preview: dict[str, Any]) -> None:
        self.remote = tmp_path / "remote.git"
        self.work = tmp_path / "work"
        self.tmp = tmp_path
        self.work.mkdir()
        subprocess.run(["git", "init", "--quiet", "--bare", self.remote], check=True, env=self.env())
        self.scripts = {
            "deploy": publishing_script(deploy, "deploy"),
            "preview": publishing_script(preview, "preview"),
            "cleanup": publishing_script(preview, "cleanup"),
        }
        for name, script in self.scripts.items():
            assert script.count(REMOTE_LINE) == 1, f"{name}: expected the line {REMOTE_LINE}"
            self.scripts[name] = script.replace(REMOTE_LINE, f'remote="file://{self.remote}"')

    def env(self, **extra: str) -> dict[str, str]:
        return {
            "PATH": os.environ["PATH"],
            "HOME": str(self.tmp),
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_CONFIG_GLOBAL": os.devnull,
            "GITHUB_TOKEN": "not-a-token",
            "REPOSITORY": "owner/repo",
            "COMMIT": "0" * 40,
            "HEAD_SHA": "1" * 40,
            **extra,
        }

    def run(self, name: str, **extra: str) -> str:
        # As GitHub runs a `run:` step: bash --noprofile --norc -eo pipefail FILE.
        script = self.tmp / f"{name}.sh"
        # No waiting between retries here.
        script.write_text("sleep() { :; }\n" + self.scripts[name], encoding="utf-8")
        result = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", script],
            cwd=self.work,
            env=self.env(**extra),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert result.returncode == 0, f"{name}:\n{result.stdout}\n{result.stderr}"
        return result.stdout

    def files(self) -> dict[str, str]:
        """The files on gh-pages and their content."""
        listing = subprocess.run(
            ["git", "--git-dir", self.remote, "ls-tree", "-r", "--name-only", "gh-pages"], capture_output=True, text=True, check=True, env=self.env()
        )
        return {
            name: subprocess.run(
                ["git", "--git-dir", self.remote, "show", f"gh-pages:{name}"], capture_output=True, text=True, check=True, env=self.env()
            ).stdout
            for name in listing.stdout.split()
        }

    def commits(self) -> int:
        count = subprocess.run(["git", "--git-dir", self.remote, "rev-list", "--count", "gh-pages"], capture_output=True, text=True, check=True, env=self.env())
        return int(count.stdout)

    def write(self, relative: str, text: str) -> None:
        path = self.work / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


@pytest.fixture
def gh_pages(tmp_path: Path, deploy: dict[str, Any], preview: dict[str, Any]) -> GhPages:
    if shutil.which("git") is None or shutil.which("bash") is None:
        pytest.fail("git and bash are needed to run the publishing scripts")
    return GhPages(tmp_path, deploy, preview)


def test_deploy_keeps_previews_and_replaces_the_rest(gh_pages: GhPages) -> None:
    # A preview first: gh-pages does not exist yet and is created with it.
    gh_pages.write("preview/pr-7/index.html", "preview 7")
    gh_pages.run("preview", PR="7")
    assert gh_pages.files() == {".nojekyll": "", "pr-preview/pr-7/index.html": "preview 7"}

    gh_pages.write("site/index.html", "home")
    gh_pages.write("site/old/index.html", "old page")
    gh_pages.run("deploy")
    assert gh_pages.files() == {".nojekyll": "", "index.html": "home", "old/index.html": "old page", "pr-preview/pr-7/index.html": "preview 7"}

    # The next deploy drops pages that are gone from site/ and still keeps the preview.
    shutil.rmtree(gh_pages.work / "site" / "old")
    gh_pages.write("site/index.html", "home, updated")
    gh_pages.write("site/new/index.html", "new page")
    gh_pages.run("deploy")
    assert gh_pages.files() == {".nojekyll": "", "index.html": "home, updated", "new/index.html": "new page", "pr-preview/pr-7/index.html": "preview 7"}

    # Nothing changed: no empty commit.
    commits = gh_pages.commits()
    assert "already" in gh_pages.run("deploy")
    assert gh_pages.commits() == commits


def test_preview_touches_only_its_own_folder_and_closing_removes_it(gh_pages: GhPages) -> None:
    gh_pages.write("site/index.html", "home")
    gh_pages.run("deploy")
    gh_pages.write("preview/pr-7/index.html", "preview 7")
    gh_pages.write("preview/pr-7/stale/index.html", "stale")
    gh_pages.run("preview", PR="7")
    gh_pages.write("preview/pr-8/index.html", "preview 8")
    gh_pages.run("preview", PR="8")

    # A new push to PR 7 replaces its folder whole (no stale pages), and nothing else.
    shutil.rmtree(gh_pages.work / "preview" / "pr-7")
    gh_pages.write("preview/pr-7/index.html", "preview 7, again")
    gh_pages.run("preview", PR="7")
    assert gh_pages.files() == {
        ".nojekyll": "",
        "index.html": "home",
        "pr-preview/pr-7/index.html": "preview 7, again",
        "pr-preview/pr-8/index.html": "preview 8",
    }

    gh_pages.run("cleanup", PR="7")
    assert gh_pages.files() == {".nojekyll": "", "index.html": "home", "pr-preview/pr-8/index.html": "preview 8"}
    # Closing again, or closing a PR that never had a preview, changes nothing.
    commits = gh_pages.commits()
    gh_pages.run("cleanup", PR="7")
    gh_pages.run("cleanup", PR="9")
    assert gh_pages.commits() == commits


@pytest.mark.parametrize("publisher", ["deploy", "preview"])
def test_publishing_retries_when_gh_pages_moved(gh_pages: GhPages, publisher: str) -> None:
    gh_pages.write("site/index.html", "home")
    gh_pages.run("deploy")
    # The first push is refused, as when another job pushed first; the script starts again from the new tip.
    hook = gh_pages.remote / "hooks" / "pre-receive"
    flag = gh_pages.tmp / "refused-once"
    hook.write_text(f'#!/bin/sh\nif [ ! -e "{flag}" ]; then touch "{flag}"; echo "refused" >&2; exit 1; fi\n', encoding="utf-8")
    hook.chmod(0o755)
    gh_pages.write("preview/pr-3/index.html", "preview 3")
    gh_pages.write("site/index.html", "home, updated")
    gh_pages.run(publisher, PR="3")
    assert flag.exists()
    expected = {"deploy": ("index.html", "home, updated"), "preview": ("pr-preview/pr-3/index.html", "preview 3")}[publisher]
    assert gh_pages.files()[expected[0]] == expected[1]
