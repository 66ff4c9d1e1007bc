"""The offline bundle: one zip that unpacks to a folder whose index.html works from disk."""

from __future__ import annotations

import datetime
import shutil
import tomllib
import zipfile
from pathlib import Path

from generator.deliverables.site import build_site
from generator.files import atomic_write
from generator.pages.generate import Generated
from generator.project import Project

SHIM = Path("node_modules/iframe-worker/shim/index.js")
SHIM_TARGET = Path("assets/javascripts/iframe-worker-shim.js")

README = """{name} offline, version {version}

Content last reviewed: {reviewed}. Built from commit: {commit}.{public}

How to open it
  1. Unzip this file anywhere (a USB stick is fine).
  2. Open the folder {folder} and double-click index.html.
     It opens in your web browser and needs no network: navigation and search work offline.

This is a copy of the public site as of the date above. Medical information changes:
check the date on each page ("Last reviewed") and prefer the public site when you are online.
It is information from published sources, not medical advice.
"""


class MissingAsset(Exception):
    """A front-end file from npm is not installed (run `npm ci`, or `make offline`)."""


def project_version(project: Project) -> str:
    """The project's version, from pyproject.toml."""
    return tomllib.loads((project.root / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


def bundle_name(version: str, reviewed: datetime.date) -> str:
    """The bundle's name, with the project's version and the content's review date: `medsite-offline-1.2.0-2026-11-22`.

    The date is the newest `last_reviewed`, never the clock, so the same content gives the same name.
    """
    return f"medsite-offline-{version}-{reviewed.isoformat()}"


def _public_line(site_url: str) -> str:
    """README.txt's line naming the public site, only when the build has its address (SITE_URL)."""
    return f"\nThe public site: {site_url}" if site_url else ""


def build_offline_bundle(project: Project, dist_dir: Path, commit: str, site_url: str = "") -> tuple[Path, Generated]:
    """Build the offline site, add the shim and README.txt, and zip it reproducibly into `dist_dir`.

    `site_url` is the public site's address (SITE_URL): README.txt names it only when there is one.
    """
    if not (project.root / SHIM).is_file():
        raise MissingAsset(f"{SHIM} is missing (expected npm packages installed: run `npm ci`)")
    version = project_version(project)
    site_dir = project.build / "offline-site"
    generated = build_site(project, project.root / "mkdocs-offline.yml", site_dir)
    (site_dir / SHIM_TARGET).parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(project.root / SHIM, site_dir / SHIM_TARGET)
    reviewed = generated.newest_review
    folder = bundle_name(version, reviewed)
    (site_dir / "README.txt").write_text(
        README.format(name="medsite", version=version, reviewed=reviewed.isoformat(), commit=commit, folder=folder, public=_public_line(site_url)),
        encoding="utf-8",
    )
    dist_dir.mkdir(parents=True, exist_ok=True)
    target = dist_dir / f"{folder}.zip"
    moment = datetime.datetime.fromtimestamp(generated.source_date_epoch(), datetime.UTC)
    date_time = (max(moment.year, 1980), moment.month, moment.day, moment.hour, moment.minute, moment.second)
    atomic_write(target, lambda partial: _zip_folder(site_dir, partial, folder, date_time))  # a failed zip leaves dist/ as it was
    return target, generated


def _zip_folder(folder: Path, target: Path, prefix: str, date_time: tuple[int, int, int, int, int, int]) -> None:
    """Zip with sorted entries, fixed dates and permissions, so the same input gives the same bytes."""
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as bundle:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            entry = zipfile.ZipInfo(f"{prefix}/{path.relative_to(folder).as_posix()}", date_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            bundle.writestr(entry, path.read_bytes(), compresslevel=9)
