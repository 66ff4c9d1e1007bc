"""The live preview's watcher passes on edits only: the build's own reads of the watched files,
`touch` and saving unchanged bytes start no rebuild (generator/engines/edits.py)."""

from __future__ import annotations

import threading
from pathlib import Path

import watchdog.observers
from watchdog.events import FileSystemEvent, FileSystemEventHandler

from generator.engines.edits import EditObserver


class Recorder(FileSystemEventHandler):
    """Keeps every file event it is handed."""

    def __init__(self, folder: Path) -> None:
        self.events: list[FileSystemEvent] = []
        self.arrived = threading.Condition()
        self.folder = folder
        self.markers = 0

    def on_any_event(self, event: FileSystemEvent) -> None:
        if not event.is_directory:
            with self.arrived:
                self.events.append(event)
                self.arrived.notify_all()

    def take(self) -> list[str]:
        """The event types of the files touched since the last call.

        Events arrive in order, so once the creation of a new marker file is seen, every event
        before it has been too: no sleeping and hoping.
        """
        self.markers += 1
        marker = self.folder / f"marker-{self.markers}"
        marker.write_text("marker", encoding="utf-8")
        with self.arrived:
            assert self.arrived.wait_for(lambda: any(event.src_path == str(marker) for event in self.events), timeout=10), "no event arrived"
            types = [event.event_type for event in self.events if not Path(event.src_path).name.startswith("marker-")]
            self.events = []
        return types


def watching(observer: watchdog.observers.api.BaseObserver, folder: Path) -> Recorder:
    recorder = Recorder(folder)
    observer.schedule(recorder, str(folder), recursive=True)
    observer.start()
    return recorder


def reads_touches_and_edits(folder: Path, recorder: Recorder) -> dict[str, list[str]]:
    """What the recorder saw after each kind of access to a watched file."""
    page = folder / "sub" / "page.yaml"
    seen = {}
    page.read_bytes()
    seen["read"] = recorder.take()
    page.touch()
    seen["touch"] = recorder.take()
    with page.open("r+b") as rewritten:  # the same bytes written over themselves: a modification
        rewritten.write(page.read_bytes())
    seen["same bytes"] = recorder.take()
    page.write_text("title: edited\n", encoding="utf-8")
    seen["edit"] = recorder.take()
    (folder / "sub" / "new.yaml").write_text("title: new\n", encoding="utf-8")
    seen["new file"] = recorder.take()
    page.unlink()
    seen["deleted"] = recorder.take()
    return seen


def watched_folder(tmp_path: Path) -> Path:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "page.yaml").write_text("title: page\n", encoding="utf-8")
    return tmp_path


def test_reads_touches_and_unchanged_saves_are_not_edits(tmp_path: Path) -> None:
    observer = EditObserver()
    try:
        seen = reads_touches_and_edits(watched_folder(tmp_path), watching(observer, tmp_path))
    finally:
        observer.stop()
        observer.join()
    assert seen["read"] == seen["touch"] == seen["same bytes"] == []
    assert "modified" in seen["edit"]
    assert "created" in seen["new file"] or "modified" in seen["new file"]
    assert seen["deleted"] == ["deleted"]


def test_the_native_observer_alone_reports_reads(tmp_path: Path) -> None:
    """Negative control: what the plain observer hands MkDocs' server, each event a rebuild."""
    observer = watchdog.observers.Observer()
    try:
        seen = reads_touches_and_edits(watched_folder(tmp_path), watching(observer, tmp_path))
    finally:
        observer.stop()
        observer.join()
    assert {"opened", "closed_no_write"} <= set(seen["read"])
    assert seen["touch"] and seen["same bytes"]


def test_a_moved_file_is_an_edit_where_its_bytes_differ(tmp_path: Path) -> None:
    """Editors save by writing a temporary file and moving it over the original."""
    folder = watched_folder(tmp_path)
    observer = EditObserver()
    try:
        recorder = watching(observer, folder)
        page = folder / "sub" / "page.yaml"
        (folder / "sub" / "page.yaml.tmp").write_bytes(page.read_bytes())
        recorder.take()  # the temporary file is new: an edit the rebuild's delay absorbs
        (folder / "sub" / "page.yaml.tmp").replace(page)
        moved_same = recorder.take()
        (folder / "sub" / "page.yaml.tmp").write_text("title: saved\n", encoding="utf-8")
        recorder.take()
        (folder / "sub" / "page.yaml.tmp").replace(page)
        moved_new = recorder.take()
    finally:
        observer.stop()
        observer.join()
    assert moved_new == ["moved"]
    # Moving identical bytes over the page still removes the temporary file: an edit of that name.
    assert moved_same == ["moved"]
