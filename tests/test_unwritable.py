"""Output folders that cannot be written: one line, nothing half-built left behind, the old output
as it was (generator/deliverables/site.py, `swap`).

Tests run as root, whom read-only permissions do not stop, so the conditions are ones that stop
root too: a file where a folder must be, or `shutil.rmtree` / `os.replace` made to fail as they do
for anyone else on a read-only or undeletable folder.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import run, tree_digest

from generator.deliverables.site import BuildFailed, swap

BUILD_FAILED = "build failed: {}; the previous site/ is unchanged"


def folders(tmp_path: Path) -> tuple[Path, Path]:
    """A current output folder and a new one to swap in."""
    for name, text in (("site", "old page"), ("site.building", "new page")):
        (tmp_path / name).mkdir()
        (tmp_path / name / "index.html").write_text(text, encoding="utf-8")
    return tmp_path / "site.building", tmp_path / "site"


def names(tmp_path: Path) -> list[str]:
    return sorted(path.name for path in tmp_path.iterdir())


def test_swap_replaces_the_folder_and_leaves_nothing_beside_it(tmp_path: Path) -> None:
    """The passing side: what the failing cases below must not break."""
    new, current = folders(tmp_path)
    (tmp_path / "site.old").mkdir()  # left by an earlier build, deletable: it goes
    swap(new, current)
    assert names(tmp_path) == ["site"] and (current / "index.html").read_text(encoding="utf-8") == "new page"


def test_an_old_folder_that_cannot_be_deleted_is_one_line(tmp_path: Path) -> None:
    new, current = folders(tmp_path)
    (tmp_path / "site.old").write_text("a file where the old folder goes", encoding="utf-8")
    with pytest.raises(BuildFailed) as failed:
        swap(new, current)
    assert str(failed.value) == "cannot delete site.old/ left by an earlier build (Not a directory: 'site.old'); delete it by hand"
    assert names(tmp_path) == ["site", "site.old"] and (current / "index.html").read_text(encoding="utf-8") == "old page"


def test_an_undeletable_old_folder_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    new, current = folders(tmp_path)
    (tmp_path / "site.old" / "assets").mkdir(parents=True)
    real_rmtree = shutil.rmtree

    def rmtree(path: Path, *args: object, **kwargs: object) -> None:
        if Path(path).name == "site.old":  # as for anyone but root on a read-only site.old/
            raise PermissionError(13, "Permission denied", str(Path(path) / "assets"))
        real_rmtree(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(shutil, "rmtree", rmtree)
    with pytest.raises(BuildFailed, match=r"^cannot delete site\.old/ left by an earlier build \(Permission denied: 'assets'\); delete it by hand$"):
        swap(new, current)
    assert names(tmp_path) == ["site", "site.old"] and (current / "index.html").read_text(encoding="utf-8") == "old page"


def refuse_moving_the_new_site_in(monkeypatch: pytest.MonkeyPatch) -> None:
    """Renaming site.building/ fails, as for anyone but root in a read-only parent folder."""
    real_replace = os.replace

    def replace(source: Path, target: Path) -> None:
        if Path(source).name == "site.building":
            raise PermissionError(13, "Permission denied", str(target))
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", replace)


def test_a_folder_that_cannot_be_renamed_is_one_line_and_the_old_one_stays(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    new, current = folders(tmp_path)
    refuse_moving_the_new_site_in(monkeypatch)
    with pytest.raises(BuildFailed, match=rf"^cannot replace site/ in {tmp_path} \(Permission denied: 'site'\)$"):
        swap(new, current)
    assert names(tmp_path) == ["site"] and (current / "index.html").read_text(encoding="utf-8") == "old page"


@pytest.mark.slow  # builds the site three times
def test_build_into_unwritable_places_says_one_line_and_leaves_no_building_folder(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert run(project, "build").returncode == 0
    before = tree_digest(project / "site")

    (project / "site.old").write_text("a file where the old folder goes", encoding="utf-8")
    result = run(project, "build")
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr.splitlines() == [
        BUILD_FAILED.format("cannot delete site.old/ left by an earlier build (Not a directory: 'site.old'); delete it by hand")
    ]
    assert not (project / "site.building").exists() and tree_digest(project / "site") == before
    (project / "site.old").unlink()

    (project / "elsewhere").write_text("a file where a folder must be", encoding="utf-8")
    result = run(project, "build", "--site-dir", "elsewhere/site")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [BUILD_FAILED.format(f"cannot write site.building/ in {project / 'elsewhere'} (Not a directory: 'site.building')")]

    refuse_moving_the_new_site_in(monkeypatch)
    result = run(project, "build")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [BUILD_FAILED.format(f"cannot replace site/ in {project} (Permission denied: 'site')")]
    assert sorted(path.name for path in project.iterdir() if path.name.startswith("site")) == ["site", "site-overrides"]
    assert tree_digest(project / "site") == before
