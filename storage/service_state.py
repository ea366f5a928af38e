"""Small facts the service remembers across restarts (``service_state``: key, value)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from storage.db import utcnow
from storage.models import ServiceState

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


def get(session: Session, key: str) -> str | None:
    """The value stored under ``key``, or None."""
    return session.scalar(select(ServiceState.value).where(ServiceState.key == key))


def set_default(session: Session, key: str, value: str) -> str:
    """Store ``value`` under ``key`` unless a value is there already; return the stored value.

    Two processes starting at once both get the one value that was written first.
    """
    current = get(session, key)
    if current is not None:
        return current
    try:
        with session.begin_nested():
            session.add(ServiceState(key=key, value=value, updated_at=utcnow()))
            session.flush()
    except IntegrityError:
        return get(session, key) or value
    return value
