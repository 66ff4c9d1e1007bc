"""The page cache's store (generator/engines/mkdocs_adapter.py, `PageCache`), without a build;
tests/test_cache.py builds sites with it."""

from __future__ import annotations

from pathlib import Path

from generator.engines.mkdocs_adapter import PageCache


def test_prune_keeps_only_the_entries_used(tmp_path: Path) -> None:
    for name in ("used.record", "used.body", "used.html", "stale.record", "stale.html", ".used.record.123.tmp"):
        (tmp_path / name).write_bytes(b"x")
    cache = PageCache(tmp_path)
    cache.used.add("used")
    cache.prune()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["used.body", "used.html", "used.record"]
