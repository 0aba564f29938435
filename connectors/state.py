"""SQLite state of the polling connectors: validators per feed and the ids already delivered.

Rows are written only after Kafka acknowledged the records they describe, so a crash between a
fetch and its ack re-emits (at-least-once) and never skips.
"""
from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
import time
from pathlib import Path
from typing import Iterable

SCHEMA = """
CREATE TABLE IF NOT EXISTS feeds (
  url TEXT PRIMARY KEY,
  etag TEXT,
  last_modified TEXT,
  failures INTEGER NOT NULL DEFAULT 0,
  next_poll REAL NOT NULL DEFAULT 0,
  last_status TEXT,
  last_polled REAL,
  body_sha256 TEXT
);
CREATE TABLE IF NOT EXISTS seen (
  scope TEXT NOT NULL,
  item_id TEXT NOT NULL,
  seen_at REAL NOT NULL,
  status TEXT NOT NULL DEFAULT 'emitted',
  PRIMARY KEY (scope, item_id)
);
CREATE INDEX IF NOT EXISTS seen_by_age ON seen (scope, seen_at);
"""


class StateInUse(RuntimeError):
    """Another connector process holds this state file."""


class State:
    def __init__(self, path: str | Path, *, keep_per_scope: int = 20_000):
        self._lock_fd: int | None = None
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            self._lock_fd = _hold(Path(str(path) + ".lock"))
        self.path = str(path)
        self.keep_per_scope = keep_per_scope
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(SCHEMA)
        columns = {row[1] for row in self._db.execute("PRAGMA table_info(feeds)")}
        if "body_sha256" not in columns:  # a state file written before the column existed
            self._db.execute("ALTER TABLE feeds ADD COLUMN body_sha256 TEXT")
        self._lock = threading.Lock()

    def close(self) -> None:
        with self._lock:
            self._db.close()
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # releases the lock
            self._lock_fd = None

    # feeds ----------------------------------------------------------------------------------
    def feed(self, url: str) -> dict:
        with self._lock:
            row = self._db.execute("SELECT etag, last_modified, failures, next_poll, last_status, body_sha256"
                                   " FROM feeds WHERE url = ?", (url,)).fetchone()
        if row is None:
            return {"etag": None, "last_modified": None, "failures": 0, "next_poll": 0.0, "last_status": None,
                    "body_sha256": None}
        return dict(zip(("etag", "last_modified", "failures", "next_poll", "last_status", "body_sha256"), row))

    def update_feed(self, url: str, **fields) -> None:
        current = self.feed(url)
        current.update(fields)
        with self._lock:
            self._db.execute(
                "INSERT INTO feeds (url, etag, last_modified, failures, next_poll, last_status, last_polled,"
                " body_sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(url) DO UPDATE SET etag=excluded.etag,"
                " last_modified=excluded.last_modified, failures=excluded.failures, next_poll=excluded.next_poll,"
                " last_status=excluded.last_status, last_polled=excluded.last_polled,"
                " body_sha256=excluded.body_sha256",
                (url, current["etag"], current["last_modified"], current["failures"], current["next_poll"],
                 current["last_status"], time.time(), current["body_sha256"]))

    # seen ids -------------------------------------------------------------------------------
    def unseen(self, scope: str, ids: Iterable[str]) -> set[str]:
        ids = list(dict.fromkeys(ids))
        return set(ids) - set(self.statuses(scope, ids))

    def statuses(self, scope: str, ids: Iterable[str]) -> dict[str, str]:
        """The stored status of each of ``ids`` that is stored: what a connector needs to judge whether
        an entry is still done (a failure may hold only under the settings it was met with)."""
        ids = list(dict.fromkeys(ids))
        found: dict[str, str] = {}
        with self._lock:
            for start in range(0, len(ids), 500):
                chunk = ids[start:start + 500]
                marks = ",".join("?" * len(chunk))
                found.update(self._db.execute(
                    f"SELECT item_id, status FROM seen WHERE scope = ? AND item_id IN ({marks})", (scope, *chunk)))
        return found

    def is_seen(self, scope: str, item_id: str) -> bool:
        return not self.unseen(scope, [item_id])

    def mark_seen(self, scope: str, ids: Iterable[str], status: str = "emitted") -> None:
        now = time.time()
        rows = [(scope, item_id, now, status) for item_id in ids]
        if not rows:
            return
        with self._lock:
            self._db.execute("BEGIN")
            self._db.executemany("INSERT OR REPLACE INTO seen (scope, item_id, seen_at, status) VALUES (?, ?, ?, ?)",
                                 rows)
            # bounded: keep the newest keep_per_scope ids of each scope
            self._db.execute("DELETE FROM seen WHERE scope = ? AND seen_at < (SELECT seen_at FROM seen WHERE"
                             " scope = ? ORDER BY seen_at DESC LIMIT 1 OFFSET ?)",
                             (scope, scope, self.keep_per_scope))
            self._db.execute("COMMIT")

    def count_seen(self, scope: str | None = None) -> int:
        with self._lock:
            if scope is None:
                return self._db.execute("SELECT COUNT(*) FROM seen").fetchone()[0]
            return self._db.execute("SELECT COUNT(*) FROM seen WHERE scope = ?", (scope,)).fetchone()[0]


def _hold(lock_path: Path) -> int:
    """One connector per state file: two would poll the same feeds and race on the same rows (the
    second one ended in "database is locked"). The lock goes with the process, however it ends."""
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise StateInUse(f"{lock_path.with_suffix('')} is in use by another connector; run one connector per "
                         "state file (--state, or NEWSFLOW_STATE_DIR)") from None
    return fd
