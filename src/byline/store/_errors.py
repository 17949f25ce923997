"""The one place a SQLite failure becomes a byline ``StoreError``."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, Protocol, TypeVar, cast

from byline.errors import StoreError

M = TypeVar("M", bound=Callable[..., Any])


class _OpenStore(Protocol):
    path: Path
    _conn: sqlite3.Connection | None


def translated(method: M) -> M:
    """A SQLite failure (corrupt file, locked disk) becomes a StoreError naming the file;
    a transaction the failure left open is rolled back first, so nothing is half-stored."""

    @wraps(method)
    def wrapper(self: _OpenStore, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except sqlite3.Error as exc:
            if self._conn is not None and self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
            raise StoreError(f"{self.path}: database error ({exc})") from exc

    return cast(M, wrapper)
