"""A small thread-safe document store on SQLite (a file, or in memory).

Documents are JSON objects addressed by (kind, id). Each may name a `parent` (for listings such
as "the namespaces of one instance") and a `name` (for lookups by name). Listings come back in
insertion order.
"""
import contextlib
import json
import os
import sqlite3
import threading


class Conflict(Exception):
    """A document with this (kind, id) already exists."""


_SCHEMA = """
CREATE TABLE IF NOT EXISTS docs (
    seq    INTEGER PRIMARY KEY AUTOINCREMENT,
    kind   TEXT NOT NULL,
    id     TEXT NOT NULL,
    parent TEXT NOT NULL DEFAULT '',
    name   TEXT,
    doc    TEXT NOT NULL,
    UNIQUE (kind, id)
);
CREATE INDEX IF NOT EXISTS docs_parent ON docs (kind, parent, seq);
CREATE INDEX IF NOT EXISTS docs_name ON docs (kind, name);
"""


class Store:
    def __init__(self, path=":memory:"):
        self.path = path
        self._lock = threading.RLock()
        self._depth = 0
        # One connection shared by all threads, serialised by the lock; autocommit unless a
        # transaction() is open.
        if path != ":memory:":
            _create_private(path)
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        if path != ":memory:":
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)

    @contextlib.contextmanager
    def transaction(self):
        """Hold the store lock and one SQLite transaction; rolled back if the block raises."""
        with self._lock:
            outer = self._depth == 0
            if outer:
                self._db.execute("BEGIN")
            self._depth += 1
            try:
                yield self
            except BaseException:
                self._depth -= 1
                if outer:
                    self._db.execute("ROLLBACK")
                raise
            self._depth -= 1
            if outer:
                self._db.execute("COMMIT")

    def insert(self, kind, id, doc, *, parent="", name=None):
        with self._lock:
            try:
                self._db.execute(
                    "INSERT INTO docs (kind, id, parent, name, doc) VALUES (?, ?, ?, ?, ?)",
                    (kind, id, parent or "", name, _dump(doc)))
            except sqlite3.IntegrityError:
                raise Conflict("%s %s already exists" % (kind, id)) from None
        return doc

    def get(self, kind, id):
        with self._lock:
            row = self._db.execute("SELECT doc FROM docs WHERE kind = ? AND id = ?",
                                   (kind, id)).fetchone()
        return json.loads(row[0]) if row else None

    def update(self, kind, id, doc, *, name=None):
        """Replace the document (and its name, when given); False if it does not exist."""
        with self._lock:
            if name is None:
                cur = self._db.execute("UPDATE docs SET doc = ? WHERE kind = ? AND id = ?",
                                       (_dump(doc), kind, id))
            else:
                cur = self._db.execute(
                    "UPDATE docs SET doc = ?, name = ? WHERE kind = ? AND id = ?",
                    (_dump(doc), name, kind, id))
        return cur.rowcount > 0

    def delete(self, kind, id):
        with self._lock:
            cur = self._db.execute("DELETE FROM docs WHERE kind = ? AND id = ?", (kind, id))
        return cur.rowcount > 0

    def delete_all(self, kind, *, parent=None):
        """Delete every document of a kind (under one parent, when given); returns the count."""
        sql, args = _where(kind, parent, None)
        with self._lock:
            cur = self._db.execute("DELETE FROM docs" + sql, args)
        return cur.rowcount

    def list(self, kind, *, parent=None, name=None, offset=0, limit=None):
        sql, args = _where(kind, parent, name)
        sql = "SELECT doc FROM docs" + sql + " ORDER BY seq"
        if limit is not None or offset:
            sql += " LIMIT ? OFFSET ?"
            args += (-1 if limit is None else int(limit), int(offset))
        with self._lock:
            rows = self._db.execute(sql, args).fetchall()
        return [json.loads(row[0]) for row in rows]

    def count(self, kind, *, parent=None, name=None):
        sql, args = _where(kind, parent, name)
        with self._lock:
            return self._db.execute("SELECT COUNT(*) FROM docs" + sql, args).fetchone()[0]

    def records(self, kind_prefix):
        """Every record whose kind starts with ``kind_prefix``, raw (id, parent, name, doc), in
        insertion order - what the admin state dump shows."""
        with self._lock:
            rows = self._db.execute(
                "SELECT kind, id, parent, name, doc FROM docs WHERE substr(kind, 1, ?) = ? ORDER BY seq",
                (len(kind_prefix), kind_prefix)).fetchall()
        return [{"kind": kind, "id": id, "parent": parent, "name": name, "doc": json.loads(doc)}
                for kind, id, parent, name, doc in rows]

    def clear(self):
        with self._lock:
            self._db.execute("DELETE FROM docs")

    def close(self):
        with self._lock:
            self._db.close()


def _create_private(path):
    """Make the state file (it holds escrowed private keys) 0600 before SQLite opens it; SQLite
    gives its -wal and -shm files the same mode. A symbolic link is refused (OSError)."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    try:
        os.fchmod(fd, 0o600)
    finally:
        os.close(fd)


def _where(kind, parent, name):
    sql, args = " WHERE kind = ?", (kind,)
    if parent is not None:
        sql += " AND parent = ?"
        args += (parent,)
    if name is not None:
        sql += " AND name = ?"
        args += (name,)
    return sql, args


def _dump(doc):
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
