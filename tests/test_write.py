"""The write step changes only what changed, leaves nothing stale that it wrote, and never touches
what it did not write (`render --out` into a folder of someone else's files is refused)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run
from test_live_content import add_drug

from generator.pages.write import MARKER, NotOurFolder, write_tree


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


def test_a_folder_holding_files_it_did_not_write_is_refused_untouched(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(NotOurFolder, match=r"holds 1 file this tool did not write \(e\.g\. notes\.txt\)"):
        write_tree(tmp_path, {"index.md": "# Home\n"})
    assert sorted(path.name for path in tmp_path.iterdir()) == ["notes.txt"]
    # The passing side: a new folder, and an empty one, are written.
    assert write_tree(tmp_path / "new", {"index.md": "# Home\n"}).written == ["index.md"]
    (tmp_path / "empty").mkdir()
    assert write_tree(tmp_path / "empty", {"index.md": "# Home\n"}).written == ["index.md"]


def test_a_file_where_the_folder_should_be_is_refused(tmp_path: Path) -> None:
    (tmp_path / "out").write_text("mine", encoding="utf-8")
    with pytest.raises(NotOurFolder, match="not a folder"):
        write_tree(tmp_path / "out", {"index.md": "# Home\n"})
    assert (tmp_path / "out").read_text(encoding="utf-8") == "mine"


def test_only_files_it_wrote_are_removed_and_counted(tmp_path: Path) -> None:
    write_tree(tmp_path, {"index.md": "# Home\n", "drugs/gone.md": "x", "api/gone.json": "{}"})
    (tmp_path / "drugs" / "notes.txt").write_text("mine", encoding="utf-8")  # dropped in after the write
    (tmp_path / "mine").mkdir()
    result = write_tree(tmp_path, {"index.md": "# Home\n"})
    assert sorted(result.removed) == ["api/gone.json", "drugs/gone.md"]
    assert (tmp_path / "drugs" / "notes.txt").read_text(encoding="utf-8") == "mine" and (tmp_path / "mine").is_dir()
    assert not (tmp_path / "api").exists()  # left empty by the removal
    assert (tmp_path / MARKER).read_text(encoding="utf-8") == "index.md\n"


def test_a_generated_folder_from_before_the_marker_is_taken_as_written(tmp_path: Path) -> None:
    """build/docs of an older checkout: everything in it was written by this step, stale pages included."""
    (tmp_path / "drugs").mkdir()
    (tmp_path / "drugs" / "stale.md").write_text("x", encoding="utf-8")
    with pytest.raises(NotOurFolder):
        write_tree(tmp_path, {"index.md": "# Home\n"})
    assert write_tree(tmp_path, {"index.md": "# Home\n"}, generated_folder=True).removed == ["drugs/stale.md"]


def test_render_writes_only_into_its_own_folder_and_counts_what_it_removed(project: Path) -> None:
    (project / "notes").mkdir()
    (project / "notes" / "keep.txt").write_text("mine", encoding="utf-8")
    refused = run(project, "render", "--out", "notes")
    assert refused.returncode == 1 and refused.stdout == ""
    assert refused.stderr.splitlines() == [
        "render: notes: holds 1 file this tool did not write (e.g. keep.txt) and no .generated-files marker; "
        "nothing was written or removed (choose a new or empty folder)"
    ]
    assert [path.name for path in (project / "notes").iterdir()] == ["keep.txt"]

    copy = add_drug(project / "content", "cellex-copy", "Cellex copy")  # names of its own: two drugs may not share one unexplained
    assert run(project, "render", "--out", "out").returncode == 0
    before = {path.relative_to(project / "out").as_posix() for path in (project / "out").rglob("*") if path.is_file()}
    (project / "out" / "mine.txt").write_text("mine", encoding="utf-8")
    copy.unlink()
    result = run(project, "render", "--out", "out")
    assert result.returncode == 0, result.stderr
    after = {path.relative_to(project / "out").as_posix() for path in (project / "out").rglob("*") if path.is_file()}
    gone = before - after
    pages = sorted(path for path in gone if path.endswith(".md"))
    assert pages and gone - set(pages), gone  # the drug's pages and its data file
    assert f" {len(pages)} removed; {len(gone) - len(pages)} data file" in result.stdout, result.stdout
    assert (project / "out" / "mine.txt").read_text(encoding="utf-8") == "mine"
