"""The navigation memo (`generator/engines/theme_memo.py`): pages that share a navigation state reuse
one rendering, and the site is still byte for byte the one stock MkDocs builds.

The small site here has what the real and synthetic catalogues may lack: pages outside the
navigation next to pages in it, a page outside it whose folder holds a page in it, pages outside it
at several depths, an external link, and both URL styles.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.engines import mkdocs_adapter, theme_memo

pytestmark = pytest.mark.slow  # each test builds a small site with Material twice (about 3 s)

PAGES = {
    "index.md": "# Home\n",
    "guide/index.md": "# Guide\n\n## Part\n",
    "guide/setup.md": "# Setup\n\n## Step one\n\n## Step two\n",
    "guide/extra.md": "# Extra\n",  # beside pages in the navigation, not in it
    "guide/setup/deep.md": "# Deep\n",  # under a page in the navigation
    "topics.md": "# Topics\n",  # outside, its folder holds a page in the navigation
    "topics/a.md": "# A\n",
    "topics/b/c.md": "# C\n",
    "other/x.md": "# X\n",
    "other/y.md": "# Y\n",
    "other/x/professional.md": "# X for professionals\n",
    "other/y/professional.md": "# Y for professionals\n",
    "loose.md": "# Loose\n",
}
NAV = """nav:
  - Home: index.md
  - Guide:
      - guide/index.md
      - guide/setup.md
  - Topics:
      - topics/a.md
  - Example: https://example.com/
"""
FEATURES = {
    "the project's": ["navigation.indexes", "navigation.prune", "navigation.sections", "toc.follow"],
    "tabs, expanded": ["navigation.tabs", "navigation.sections", "navigation.expand"],
}


def write_project(root: Path, features: list[str], directory_urls: bool) -> Path:
    for name, text in PAGES.items():
        (root / "docs" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "docs" / name).write_text(text, encoding="utf-8")
    listed = "\n".join(f"    - {feature}" for feature in features)
    config = root / "mkdocs.yml"
    config.write_text(
        f"site_name: Memo\nsite_url: https://example.org/\nuse_directory_urls: {str(directory_urls).lower()}\n"
        f"theme:\n  name: material\n  features:\n{listed}\n{NAV}"
        "not_in_nav: |\n  /guide/extra.md\n  /guide/setup/\n  /topics.md\n  /topics/b/\n  /other/\n  /loose.md\n",
        encoding="utf-8",
    )
    return config


def html_files(site: Path) -> dict[str, str]:
    return {path.relative_to(site).as_posix(): path.read_text(encoding="utf-8") for path in sorted(site.rglob("*.html"))}


@pytest.mark.parametrize("directory_urls", [True, False], ids=["directory URLs", "file URLs"])
@pytest.mark.parametrize("features", list(FEATURES), ids=list(FEATURES))
def test_memoised_navigation_equals_stock_mkdocs(features: str, directory_urls: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from mkdocs.commands.build import build as stock_build

    config_file = write_project(tmp_path, FEATURES[features], directory_urls)
    stock_build(mkdocs_adapter.load_config(str(config_file), site_dir=str(tmp_path / "stock")))

    reused: list[tuple[int, int]] = []
    stop = theme_memo.NavMemo.stop

    def counting_stop(memo: theme_memo.NavMemo) -> None:
        if memo.on:
            reused.append((memo.hits, memo.item_hits))
        stop(memo)

    monkeypatch.setattr(theme_memo.NavMemo, "stop", counting_stop)
    mkdocs_adapter.build(mkdocs_adapter.load_config(str(config_file), site_dir=str(tmp_path / "ours")), None)

    ours, stock = html_files(tmp_path / "ours"), html_files(tmp_path / "stock")
    assert ours.keys() == stock.keys()
    assert [name for name in ours if ours[name] != stock[name]] == []
    # not vacuous: pages outside the navigation shared renderings, and so did top-level items
    assert len(reused) == 1 and reused[0][0] >= 2 and reused[0][1] >= 4, reused


def test_a_serve_rebuild_with_a_changed_navigation_renders_the_new_one(tmp_path: Path) -> None:
    """`serve` keeps the Jinja environment (and so the memo) between builds: it must not keep a rendering."""
    from mkdocs.commands.build import build as stock_build

    config_file = write_project(tmp_path, FEATURES["the project's"], True)
    serving = mkdocs_adapter.ServeState()
    mkdocs_adapter.build(mkdocs_adapter.load_config(str(config_file), site_dir=str(tmp_path / "ours")), tmp_path / "cache", serving)
    env = serving.env
    (tmp_path / "docs" / "guide" / "setup.md").write_text("# Setting up\n\n## Step one\n", encoding="utf-8")  # a title in the navigation
    mkdocs_adapter.build(mkdocs_adapter.load_config(str(config_file), site_dir=str(tmp_path / "ours")), tmp_path / "cache", serving)
    assert serving.env is env
    stock_build(mkdocs_adapter.load_config(str(config_file), site_dir=str(tmp_path / "stock")))
    ours, stock = html_files(tmp_path / "ours"), html_files(tmp_path / "stock")
    assert "Setting up" in ours["other/x/index.html"]
    assert [name for name in ours if ours[name] != stock[name]] == []
