"""The "Offline copy" page (`downloads/`): where the About page sends readers for the offline zip.

The page is always there, so links to it always resolve. The deploy workflow builds the offline
zip first and hands it to the site's build (`build --offline-zip`): the zip is then published
beside the page, at `downloads/<name>.zip`, and the page links to it. Without one (a local build,
the offline bundle itself) the page says where the copy is published instead.
"""

from __future__ import annotations

import html
import shutil
from pathlib import Path

from generator.content import names

DOWNLOADS_PAGE = f"{names.DOWNLOADS}.md"
# The folder the zip is published in: the page's own URL (`downloads/`) on the public site.
DOWNLOADS_FOLDER = names.DOWNLOADS

_FRONT_MATTER = """---
title: "Offline copy"
description: "The whole site as one zip file that works without a network: how to download and open it."
---

# Offline copy

"""

_HOW_TO_OPEN = """
How to open it:

1. Unzip the file anywhere (a USB stick is fine).
2. Open the folder it makes and double-click `index.html`. It opens in your web browser and needs
   no network: navigation and search work offline.

The copy holds the site as it was on the date in its name. Medical information changes: check the
date on each page ("Last reviewed") and prefer this site when you are online.
"""


def downloads_markdown(zip_name: str | None = None, size: int = 0) -> str:
    """The page, linking to `zip_name` (published beside it, `size` bytes) or saying there is none here."""
    if zip_name is None:
        body = "The offline copy of this site is published with the public site. This copy of the site does not include it.\n"
        return _FRONT_MATTER + body
    shown = f"{max(size / 1024 / 1024, 0.1):.1f} MiB"
    # Raw HTML: the zip is added to the built site after the engine ran, so the engine must not check this link.
    name = html.escape(zip_name)
    link = f'<a href="{name}" download>{name}</a>'
    return _FRONT_MATTER + f"Download the whole site as one file: {link} ({shown}). Its name gives the version and the date of the content.\n" + _HOW_TO_OPEN


def publish_zip(site: Path, bundle: Path) -> None:
    """Copy the offline zip into a built site's `downloads/` folder, beside the page."""
    target = site / DOWNLOADS_FOLDER / bundle.name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(bundle, target)
