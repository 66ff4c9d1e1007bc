"""Build the generated Markdown with Zensical instead of MkDocs, atomically like `site_build`.

Zensical reads `mkdocs.yml` but runs no MkDocs hooks or plugins, so this module does what the
hook does for MkDocs: it writes the Markdown first, makes the generated navigation explicit in
a derived config (`build/zensical.yml`, without `hooks:`), writes `robots.txt` after the build,
and swaps the new site in only when Zensical succeeded.

Zensical takes its project root from the config file's folder and refuses a `site_dir` outside
it, so the site is built in `build/zensical-site` and moved into place from there.
"""

from __future__ import annotations

import datetime
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from generator.deliverables.site import BuildFailed, swap
from generator.deliverables.third_party import cause_files, refuse_requests
from generator.engines.redirects import write_redirects
from generator.engines.robots import finish_site
from generator.errors import ContentError, display_path
from generator.pages.generate import Generated, generate
from generator.project import Project

# MkDocs-only settings: Zensical would ignore or reject them, and the hook's work is done here.
MKDOCS_ONLY = ("hooks",)


def build_zensical(project: Project, config_file: Path, site_dir: Path, env: dict[str, str] | None = None) -> Generated:
    """Generate the Markdown, build it with Zensical, then swap the result into `site_dir`.

    Content errors raise ContentError before anything is touched; a failed Zensical build raises
    BuildFailed and leaves `site_dir` as it was. `env` sets variables `mkdocs.yml` reads with `!ENV`.
    """
    derived, staging = project.build / "zensical.yml", project.build / "zensical-site"
    generated = generate(project, project.docs_dir, today=datetime.date.today())
    environment = {**os.environ, **(env or {}), "SOURCE_DATE_EPOCH": str(generated.source_date_epoch())}
    config = zensical_config(project, config_file, generated.site.nav, environment)
    derived.parent.mkdir(parents=True, exist_ok=True)
    derived.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    shutil.rmtree(staging, ignore_errors=True)
    result = subprocess.run(
        [sys.executable, "-m", "zensical", "build", "--config-file", str(derived), "--strict"],
        cwd=project.root,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0 or not (staging / "index.html").is_file():
        shutil.rmtree(staging, ignore_errors=True)
        raise BuildFailed(f"zensical: {_failure_message(result.stdout + result.stderr)}")
    preview = bool((config.get("extra") or {}).get("preview", {}).get("pr"))
    finish_site(staging, config.get("site_url"), preview)
    write_redirects(staging, generated.site.redirects, config.get("use_directory_urls", True), config.get("site_url"))
    try:
        memo = project.cache_dir / f"{site_dir.name}.requests-checked"
        refuse_requests(staging, display_path(site_dir, project.root), cause_files(config_file, project.overrides), memo)
    except ContentError:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    swap(_beside(staging, site_dir.resolve()), site_dir.resolve())
    return generated


def zensical_config(project: Project, config_file: Path, nav: list[Any], environment: dict[str, str]) -> dict[str, Any]:
    """`config_file` as plain data for `build/zensical.yml`: `!ENV` resolved, hooks removed, nav explicit.

    Paths are rewritten for the derived file's folder: docs and site relative to it (Zensical
    fails on absolute ones), the theme overrides absolute.
    """
    config = _load_mkdocs_yaml(config_file, environment)
    for key in MKDOCS_ONLY:
        config.pop(key, None)
    # The derived config sits in project.build, beside the docs and the staging folder.
    config["docs_dir"] = os.path.relpath(project.docs_dir, project.build)
    config["site_dir"] = "zensical-site"
    theme = config.get("theme")
    if isinstance(theme, dict) and theme.get("custom_dir"):
        theme["custom_dir"] = str((config_file.parent / theme["custom_dir"]).resolve())
    config["nav"] = nav
    return config


def _load_mkdocs_yaml(config_file: Path, environment: dict[str, str]) -> dict[str, Any]:
    """Parse mkdocs.yml, resolving `!ENV [NAME, …, default]` the way MkDocs does."""

    class Loader(yaml.SafeLoader):
        pass

    def env_tag(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
        # As pyyaml_env_tag (MkDocs): a scalar names one variable; in a list of several, the last is the default.
        names = list(loader.construct_sequence(node)) if isinstance(node, yaml.SequenceNode) else [loader.construct_scalar(node)]  # type: ignore[arg-type]
        default = names.pop() if len(names) > 1 else None
        return next((environment[name] for name in names if name in environment), default)

    Loader.add_constructor("!ENV", env_tag)
    with config_file.open(encoding="utf-8") as stream:
        return yaml.load(stream, Loader=Loader)  # a SafeLoader with one extra tag


def _beside(built: Path, site_dir: Path) -> Path:
    """`built` moved next to `site_dir` (copied when on another file system), so `swap` can rename it."""
    target = site_dir.with_name(f"{site_dir.name}.building")
    shutil.rmtree(target, ignore_errors=True)
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(built, target)  # a rename on one file system, else a copy
    return target


def _failure_message(output: str) -> str:
    """Zensical's warnings with their Markdown locations, then its last line, on one line.

    Zensical prints each warning as `Warning: <what>` followed by a box whose first line names
    `[ page.md:line:column ]`; a strict build then ends with a Python traceback.
    """
    lines = [line.strip() for line in re.sub(r"\x1b\[[0-9;]*m", "", output).splitlines() if line.strip()]
    found = []
    for i, line in enumerate(lines):
        warning = re.match(r"^(?:Warning|Error): (.+)$", line)
        if warning:
            where = next((m.group(1) for later in lines[i + 1 : i + 3] if (m := re.search(r"\[ (\S+:\d+:\d+) \]", later))), None)
            found.append(f"{where}: {warning.group(1)}" if where else warning.group(1))
    last = lines[-1] if lines else "build failed with no message"
    return "; ".join([*found, last])
