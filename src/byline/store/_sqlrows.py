"""Values read back from SQLite rows, checked against what byline writes."""

from __future__ import annotations

from datetime import date, datetime
from typing import cast, get_args

from byline.errors import StoreError
from byline.model import ROLES, Role, Status

STATUSES: frozenset[str] = frozenset(get_args(Status))


def role_of(value: str) -> Role:
    if value not in ROLES:
        raise StoreError(f"unknown block role {value!r} in the database")
    return value


def status_of(value: str) -> Status:
    if value not in STATUSES:
        raise StoreError(f"unknown post status {value!r} in the database")
    return cast(Status, value)


def date_of(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def datetime_of(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None
