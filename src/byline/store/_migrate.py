"""Versioned schema for the SQLite store: numbered SQL files, applied in order.

``migrations/NNNN_name.sql`` takes a database from version NNNN-1 to NNNN; the
version lives in ``PRAGMA user_version`` and byline's mark in
``PRAGMA application_id``, so a database made by something else is refused
rather than altered.  Each migration runs in its own transaction, statement by
statement (``executescript`` would commit half-way), and re-reads the version
once it holds the write lock, so two processes opening a new file at once do
not both apply it.

Numbers may have gaps: two lines of work each take a number, and either may
land first.  A migration applied past a number byline does not have yet
records that number in ``schema_skipped``, and the missing migration is
applied when it arrives (so migrations that may arrive out of order must not
depend on each other's tables).
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from byline.errors import StoreError

APPLICATION_ID = 0x42594C4E  # "BYLN": marks a SQLite file as a byline archive
MIGRATION_FILE = re.compile(r"^(?P<version>\d{4})_[a-z0-9_]+\.sql$")
SQL_COMMENT = re.compile(r"--[^\n]*")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str

    def statements(self) -> list[str]:
        """The file split into complete statements (triggers keep their inner ``;``)."""
        found: list[str] = []
        buffer = ""
        for line in self.sql.splitlines(keepends=True):
            buffer += line
            if sqlite3.complete_statement(buffer):
                found.append(buffer.strip())
                buffer = ""
        if SQL_COMMENT.sub("", buffer).strip():
            raise StoreError(f"migration {self.name} ends with an incomplete statement")
        return found


@lru_cache(maxsize=1)
def migrations() -> tuple[Migration, ...]:
    """Every migration shipped with byline, by version: 1 first, no number twice."""
    folder = resources.files("byline.store").joinpath("migrations")
    found: list[Migration] = []
    for entry in folder.iterdir():
        match = MIGRATION_FILE.match(entry.name)
        if match:
            found.append(
                Migration(int(match.group("version")), entry.name, entry.read_text("utf-8"))
            )
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if not versions or versions[0] != 1 or len(set(versions)) != len(versions):
        raise StoreError("byline's schema migrations are not numbered 0001, 0002, ...")
    return tuple(found)


def latest_version() -> int:
    return migrations()[-1].version


def schema_version(conn: sqlite3.Connection) -> int:
    version: int = conn.execute("PRAGMA user_version").fetchone()[0]
    return version


def check_ours(conn: sqlite3.Connection, path: str) -> None:
    """Refuse a SQLite file that some other program made, or a newer byline."""
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    version = schema_version(conn)
    if app_id != APPLICATION_ID:
        has_tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if app_id or version or has_tables:
            raise StoreError(f"{path}: not a byline archive database")
    if version > latest_version():
        raise StoreError(
            f"{path}: made by a newer byline (schema {version}, this one knows "
            f"{latest_version()}); upgrade byline"
        )


def migrate(conn: sqlite3.Connection, path: str) -> int:
    """Bring the schema up to date; returns how many migrations ran.

    ``conn`` must be in autocommit mode (``isolation_level=None``) so that the
    transactions here are the only ones.
    """
    check_ours(conn, path)
    ran = 0
    for migration in migrations():
        if not _pending(conn, migration.version):
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            if not _pending(conn, migration.version):  # another process got here first
                conn.execute("ROLLBACK")
                continue
            current = schema_version(conn)
            for statement in migration.statements():
                conn.execute(statement)
            _note_skipped(conn, current, migration.version)
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {max(current, migration.version)}")
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise StoreError(f"{path}: schema migration {migration.name} failed: {exc}") from exc
        ran += 1
    return ran


def _skipped(conn: sqlite3.Connection) -> set[int]:
    """Versions a database went past because byline did not have them yet."""
    if not conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_skipped'"
    ).fetchone():
        return set()
    return {row[0] for row in conn.execute("SELECT version FROM schema_skipped")}


def _pending(conn: sqlite3.Connection, version: int) -> bool:
    return version > schema_version(conn) or version in _skipped(conn)


def _note_skipped(conn: sqlite3.Connection, current: int, version: int) -> None:
    """Record the numbers this migration jumps over; forget this one if it was one."""
    known = {m.version for m in migrations()}
    missing = [v for v in range(current + 1, version) if v not in known]
    if missing:
        conn.execute("CREATE TABLE IF NOT EXISTS schema_skipped (version INTEGER PRIMARY KEY)")
        conn.executemany(
            "INSERT OR IGNORE INTO schema_skipped (version) VALUES (?)", [(v,) for v in missing]
        )
    if version < current:
        conn.execute("DELETE FROM schema_skipped WHERE version = ?", (version,))
