"""The write step changes only what changed and leaves nothing stale."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.pages.write import write_tree


def test_second_write_with_same_pages_touches_nothing(tmp_path: Path) -> None:
    pages = {"index.md": "# Home\n", "drugs/a.md": "# A\n"}
    first = write_tree(tmp_path, pages)
    assert sorted(first.written) == ["drugs/a.md", "index.md"]
    mtime = (tmp_path / "drugs/a.md").stat().st_mtime_ns
    second = write_tree(tmp_path, pages)
    assert (second.written, second.unchanged, second.removed) == ([], 2, [])
    assert (tmp_path / "drugs/a.md").stat().st_mtime_ns == mtime


def test_changed_pages_are_rewritten_and_stale_ones_removed(tmp_path: Path) -> None:
    write_tree(tmp_path, {"index.md": "old", "drugs/gone.md": "x"})
    result = write_tree(tmp_path, {"index.md": "new"})
    assert result.written == ["index.md"] and result.removed == ["drugs/gone.md"]
    assert (tmp_path / "index.md").read_text() == "new"
    assert not (tmp_path / "drugs").exists()


def test_refuses_to_write_outside_the_output_folder(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        write_tree(tmp_path / "out", {"../escape.md": "x"})
    assert not (tmp_path / "escape.md").exists()
