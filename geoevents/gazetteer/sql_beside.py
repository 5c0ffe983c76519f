"""Run SQL scripts on SQLite files in other processes, a core each: the sorts that finish a big index build.

A child is a fresh interpreter started on this file by its path (``python -I sql_beside.py``):
it imports nothing of geoevents, and unlike a fork it does not copy the caller's memory.
Where no interpreter can be started (embedded Python) the scripts run here, one after another.
"""
from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

Attached = Sequence[tuple[str, str]]  # (schema name, database file) pairs a script reads


def run_script(path: str, script: str, attached: Attached) -> None:
    """Run ``script`` on the database at ``path`` with the ``attached`` files attached."""
    conn = sqlite3.connect(path)
    try:
        for name, file in attached:
            conn.execute(f"ATTACH DATABASE ? AS {name}", (file,))
        conn.executescript(script)
    finally:
        conn.close()


def run_beside(jobs: Sequence[tuple[Path, str]], attached: Attached, what: str) -> None:
    """Run each (database file, script) job in a process of its own, all at once; raise a one-line
    ``RuntimeError`` naming ``what`` when one fails (the others are stopped)."""
    if not sys.executable:
        for path, script in jobs:
            run_script(str(path), script, attached)
        return
    pairs = [f"{name}={file}" for name, file in attached]
    children = [subprocess.Popen([sys.executable, "-I", __file__, str(path), script, *pairs],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for path, script in jobs]
    try:
        for child in children:
            _, err = child.communicate()
            if child.returncode:
                last = err.decode(errors="replace").strip().splitlines()[-1:] or [f"exit code {child.returncode}"]
                raise RuntimeError(f"{what} failed: {last[0]}")
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
                child.wait()


if __name__ == "__main__":
    run_script(sys.argv[1], sys.argv[2], [tuple(pair.split("=", 1)) for pair in sys.argv[3:]])
