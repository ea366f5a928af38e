"""Reading an alert's history: its updates as the surfaces show them, and what a delivery tells.

The writing side (recording updates, folding alerts, scheduling deliveries) is
:mod:`storage.alert_updates`; this module only reads what it recorded, for ``newswatch
alerts``, the API, the dashboard, the Atom feed and the rendering of a delivered update.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import or_, select

from storage.labels import SIDES, subtype_label, words
from storage.models import AlertUpdate, Article, Delivery

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from sqlalchemy.orm import Session


def describe(changes: Mapping[str, Any]) -> str:
    """One line for people: ``subtype A -> B; casualties Pakistan 12 -> 31 killed; 3 more outlets``."""
    parts = []
    subtype = changes.get("subtype")
    if isinstance(subtype, dict) and subtype.get("old") != subtype.get("new"):
        parts.append(f"subtype {subtype_label(subtype.get('old')) or 'none'} -> {subtype_label(subtype.get('new'))}")
    figures = []
    for key, value in (changes.get("casualties") or {}).items():
        side, _, outcome = str(key).rpartition("_")
        who = SIDES.get(side) or words(side or key)
        figures.append(f"{who} {value.get('old') or 0} -> {value.get('new')} {outcome if side else ''}".strip())
    if figures:
        parts.append("casualties " + ", ".join(figures))
    outlets = list(changes.get("outlets_added") or [])
    if outlets:
        more = "1 more outlet" if len(outlets) == 1 else f"{len(outlets)} more outlets"
        parts.append(f"{more} ({', '.join(outlets)})")
    merged = [f"#{n}" for n in changes.get("merged_alerts") or []]
    if merged:
        parts.append(f"alert {', '.join(merged)} found to tell the same event (merged into this one)")
    return "; ".join(parts) or "no change"


def merge_changes(history: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """Several updates' changes as one: first old -> last new per value, outlets added together."""
    subtype: dict[str, Any] | None = None
    casualties: dict[str, dict[str, Any]] = {}
    outlets: list[str] = []
    merged: list[int] = []
    for changes in history:
        if isinstance(changes.get("subtype"), dict):
            old = subtype["old"] if subtype else changes["subtype"].get("old")
            subtype = {"old": old, "new": changes["subtype"].get("new")}
        for key, value in (changes.get("casualties") or {}).items():
            old = casualties[key]["old"] if key in casualties else value.get("old")
            casualties[key] = {"old": old, "new": value.get("new")}
        outlets.extend(o for o in changes.get("outlets_added") or [] if o not in outlets)
        merged.extend(n for n in changes.get("merged_alerts") or [] if n not in merged)
    out: dict[str, Any] = {}
    if subtype and subtype["old"] != subtype["new"]:
        out["subtype"] = subtype
    if casualties:
        out["casualties"] = dict(sorted(casualties.items()))
    if outlets:
        out["outlets_added"] = sorted(outlets)
    if merged:
        out["merged_alerts"] = sorted(merged)
    return out


def update_views(session: Session, alert_ids: Iterable[int]) -> dict[int, list[dict[str, Any]]]:
    """Each alert's updates, oldest first: id, created_at, url (of the report), changes, material, delivery, text."""
    ids = sorted(set(alert_ids))
    out: dict[int, list[dict[str, Any]]] = {alert_id: [] for alert_id in ids}
    if not ids:
        return out
    for update, url in session.execute(
        select(AlertUpdate, Article.url)
        .outerjoin(Article, Article.id == AlertUpdate.article_id)
        .where(AlertUpdate.alert_id.in_(ids))
        .order_by(AlertUpdate.created_at, AlertUpdate.id)
    ):
        changes = dict(update.changes or {})
        out[update.alert_id].append(
            {
                "id": update.id,
                "created_at": update.created_at,
                "url": url,
                "changes": changes,
                "material": update.material,
                "delivery": update.delivery,
                "text": describe(changes),
            }
        )
    return out


def delivered_update(session: Session, alert_id: int, update_id: int) -> dict[str, Any]:
    """What a delivery tagged with ``update_id`` tells: every change since the previous delivered update.

    Keys: ``id`` (the update), ``changes`` (merged), ``text`` (:func:`describe`). Changes
    recorded after ``update_id`` but before the send are included: they were folded into it.
    """
    previous = session.scalar(
        select(Delivery.update_id)
        .where(Delivery.alert_id == alert_id, Delivery.update_id < update_id)
        .order_by(Delivery.update_id.desc())
        .limit(1)
    )
    query = select(AlertUpdate.changes).where(AlertUpdate.alert_id == alert_id).order_by(AlertUpdate.id)
    if previous is not None:
        query = query.where(AlertUpdate.id > previous)
    else:
        # Updates before the alert's own first send were shown in it (it is rendered at send time).
        first_sent = session.scalar(
            select(Delivery.delivered_at)
            .where(Delivery.alert_id == alert_id, Delivery.update_id.is_(None), Delivery.delivered_at.is_not(None))
            .order_by(Delivery.delivered_at)
            .limit(1)
        )
        if first_sent is not None:
            query = query.where(or_(AlertUpdate.id >= update_id, AlertUpdate.created_at > first_sent))
    merged = merge_changes(dict(c or {}) for c in session.scalars(query))
    return {"id": update_id, "changes": merged, "text": describe(merged)}
