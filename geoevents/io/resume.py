"""The record of a partitioned run, kept with its output, so that a run that stopped goes on where it stopped.

A JSON Lines file: a header (geoevents version, the run's settings and inputs, the partition
size), then one line per partition whose events are saved, naming what it read (files with
size and modification time, byte range) and what came of it (articles, events, skips). A line
is appended and synced as each partition is saved, so a kill loses at most the partitions
under way; a line cut short by the kill is ignored, and the record is rewritten whole when a
run takes it up again.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from .atomic import atomic_path

__all__ = ["RunRecord", "file_stamp", "partition_key"]

RECORD_FORMAT = 1


def partition_key(reads: dict) -> str:
    """The identity of a partition: what it reads, as canonical JSON."""
    return json.dumps(reads, sort_keys=True, separators=(",", ":"))


def _plain(value):
    """``value`` as JSON gives it back (tuples become lists), so settings compare equal after a round trip."""
    return json.loads(json.dumps(value, default=str))


class RunRecord:
    """What a run has saved: ``done`` maps a partition's key to its entry (``partition``, ``reads``, ``articles``,
    ``events``, ``skipped``)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.partition_bytes: int | None = None
        self.done: dict[str, dict] = {}
        self._stream = None

    def resume(self, settings: dict, output_stamp=None) -> bool:
        """Take up the record left at ``path`` if it was made by this geoevents with these settings, and the
        output is as it left it (``output_stamp``, when the output can change under it); else start afresh."""
        self.done, self.partition_bytes = {}, None
        try:
            lines = self.path.read_bytes().splitlines()
        except (FileNotFoundError, NotADirectoryError):
            return False
        try:
            header = json.loads(lines[0]) if lines else {}
        except ValueError:
            return False
        if header.get("record") != RECORD_FORMAT or header.get("settings") != _plain(settings):
            return False
        entries = []
        for raw in lines[1:]:
            try:
                entries.append(json.loads(raw))
            except ValueError:   # cut short by a kill: what follows it was never written
                break
        if output_stamp is not None and entries and entries[-1].get("output") != _plain(output_stamp):
            return False
        self.partition_bytes = header["partition_bytes"]
        self.done = {partition_key(e["reads"]): e for e in entries}
        return True

    def start(self, settings: dict, partition_bytes: int, keep: list[dict]) -> None:
        """Write the record afresh (header and the entries kept), then open it for appending."""
        from .. import __version__

        self.partition_bytes = partition_bytes
        header = {"record": RECORD_FORMAT, "geoevents": __version__, "settings": _plain(settings),
                  "partition_bytes": partition_bytes}
        with atomic_path(self.path) as tmp:
            with open(tmp, "w", encoding="utf-8") as f:
                for item in (header, *keep):
                    f.write(json.dumps(item, default=str) + "\n")
        self.done = {partition_key(e["reads"]): e for e in keep}
        self._stream = open(self.path, "a", encoding="utf-8")

    def saved(self, entry: dict, output_stamp=None) -> None:
        """One partition's events are saved: say so, durably."""
        if output_stamp is not None:
            entry = {**entry, "output": _plain(output_stamp)}
        self._stream.write(json.dumps(entry, default=str) + "\n")
        self._stream.flush()
        os.fsync(self._stream.fileno())
        self.done[partition_key(entry["reads"])] = entry

    def close(self) -> None:
        if self._stream is not None:
            self._stream.close()
            self._stream = None


def file_stamp(path: Path) -> list[int] | None:
    """(size, modification time) of a file, or None when there is none."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return [stat.st_size, stat.st_mtime_ns]

