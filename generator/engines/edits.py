"""Which file events are edits: what makes the live preview rebuild.

The OS reports every open and close of a watched file, and a rebuild reads every watched file, so
counting any event as a change made each rebuild start the next one, forever. Only a file created,
modified, deleted or moved counts, and only if its bytes now differ from the last ones seen (an
editor saving unchanged text, or `touch`, rebuilds nothing).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import watchdog.observers
from watchdog.events import FileCreatedEvent, FileDeletedEvent, FileModifiedEvent, FileMovedEvent, FileSystemEvent, FileSystemEventHandler
from watchdog.observers.api import ObservedWatch

# The events that can change a file's bytes; opened, closed and attribute events cannot.
EDIT_EVENTS: list[type[FileSystemEvent]] = [FileCreatedEvent, FileModifiedEvent, FileDeletedEvent, FileMovedEvent]


def digest(path: str | Path) -> str | None:
    """SHA-256 of the file's bytes, or None where there is no readable file."""
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:  # gone, a folder, unreadable
        return None


class EditsOnly(FileSystemEventHandler):
    """Hands `handler` only the events after which a file under `root` holds other bytes than before."""

    def __init__(self, handler: FileSystemEventHandler, root: str | Path) -> None:
        self.handler = handler
        top = Path(root)
        files = [top] if top.is_file() else [path for path in top.rglob("*") if path.is_file()]
        self.seen: dict[str, str | None] = {str(path): digest(path) for path in files}

    def dispatch(self, event: FileSystemEvent) -> None:
        if not event.is_directory and self.changed(event):
            self.handler.dispatch(event)

    def changed(self, event: FileSystemEvent) -> bool:
        """Whether a file the event names now differs from what was last seen (and remember it)."""
        differs = False
        for path in {str(event.src_path), str(event.dest_path)} - {""}:
            now = digest(path)
            differs |= self.seen.get(path) != now
            self.seen[path] = now
        return differs


class EditObserver(watchdog.observers.Observer):  # type: ignore[misc,valid-type]
    """The OS's native observer (inotify on Linux), reporting edits only."""

    def schedule(self, event_handler: FileSystemEventHandler, path: str | Path, *, recursive: bool = False, **_: object) -> ObservedWatch:
        return super().schedule(EditsOnly(event_handler, path), path, recursive=recursive, event_filter=EDIT_EVENTS)
