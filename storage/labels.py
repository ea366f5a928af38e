"""Words for people in place of the stored identifiers: event kinds, subtypes, field names.

One mapping for every surface that shows an event (the digest and alert e-mails, the Atom
feed, the dashboard, the command line), so ``no_agreement`` reads "ended without agreement"
everywhere. It sits in ``storage/`` because the identifiers it translates are the stored
values of ``events.kind``, ``events.subtype`` and the keys of ``events.fields``, and both
``web/`` and ``notify/`` already read storage (neither imports the other).

An identifier without an entry (a subtype added later, a field from a newer analyser)
still reads as words: underscores become spaces. Nothing here raises.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

KINDS = {
    "talks_outcome": "Talks outcome",
    "new_clash": "New clash",
}
# Plurals for counts and section headings ("2 new clashes").
KINDS_PLURAL = {
    "talks_outcome": "Talks outcomes",
    "new_clash": "New clashes",
}
# What happened, in the words of a news summary; lower case, to follow a kind ("New clash: air strike").
SUBTYPES = {
    "agreement": "agreement reached",
    "ceasefire_extended": "ceasefire extended",
    "no_agreement": "ended without agreement",
    "collapsed": "talks collapsed",
    "next_round_set": "next round set",
    "border_clash": "border clash",
    "air_strike": "air strike",
    "cross_border_attack": "cross-border attack",
    "ceasefire_violation": "ceasefire violation",
}
FIELDS = {
    "event_date": "Event date",
    "places": "Places",
    "parties": "Parties",
    "mediators": "Mediators",
    "casualties": "Casualties",
}
# Fields in the order a reader wants them; others follow by name.
FIELD_ORDER = ("event_date", "places", "casualties", "parties", "mediators")
# Casualty sides as the analyser stores them (``pakistan_killed``), for people.
SIDES = {
    "pakistan": "Pakistan",
    "afghanistan": "Afghanistan",
    "militants": "militants",
    "civilians": "civilians",
}
_OUTCOMES = ("killed", "injured")


def words(identifier: object) -> str:
    """``cross_border_attack`` → ``cross border attack``: the fallback for unknown identifiers."""
    return " ".join(str(identifier or "").replace("_", " ").split())


def kind_label(kind: str | None) -> str:
    """``new_clash`` → ``New clash``."""
    if not kind:
        return "Alert"
    return KINDS.get(kind) or words(kind).capitalize()


def kind_label_plural(kind: str | None) -> str:
    """``new_clash`` → ``New clashes`` (a heading or a count of several)."""
    if kind in KINDS_PLURAL:
        return KINDS_PLURAL[kind]
    return kind_label(kind) + "s"


def subtype_label(subtype: str | None) -> str:
    """``no_agreement`` → ``ended without agreement``; empty for no subtype."""
    if not subtype:
        return ""
    return SUBTYPES.get(subtype) or words(subtype)


def event_label(kind: str | None, subtype: str | None = None) -> str:
    """``New clash: cross-border attack``, or the kind alone when there is no subtype."""
    what = subtype_label(subtype)
    return f"{kind_label(kind)}: {what}" if what else kind_label(kind)


def field_label(name: str) -> str:
    """``event_date`` → ``Event date``."""
    return FIELDS.get(name) or words(name).capitalize()


def plural(count: int, one: str, many: str | None = None) -> str:
    """``1 article``, ``3 articles``: the count with the right form of the noun."""
    return f"{count} {one if count == 1 else (many or one + 's')}"


def casualties_text(value: object) -> str:
    """Stored casualty figures for people: ``{"pakistan_killed": 23, "civilians_injured": 4}`` →
    ``Pakistan: 23 killed; civilians: 4 injured``. Other shapes are shown as they are."""
    if not isinstance(value, Mapping):
        return field_text(value)
    by_side: dict[str, list[str]] = {}
    for key, count in value.items():
        if count in (None, "", 0):
            continue
        side, _, outcome = str(key).rpartition("_")
        if outcome not in _OUTCOMES or not side:
            side, outcome = str(key), ""
        label = SIDES.get(side) or words(side)
        by_side.setdefault(label, []).append(f"{count} {outcome}".strip())
    return "; ".join(f"{side}: {', '.join(figures)}" for side, figures in by_side.items())


def field_text(value: Any) -> str:
    """Any field value on one line: lists joined with commas, mappings as ``key: value``."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return ", ".join(f"{words(k)}: {field_text(v)}" for k, v in value.items() if v not in (None, "", [], {}))
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(field_text(v) for v in value if v not in (None, "", [], {}))
    return " ".join(str(value).split())


def field_value(name: str, value: Any) -> str:
    """One event field's value for people (casualties by side, lists joined)."""
    if value in (None, "", [], {}):
        return ""
    return casualties_text(value) if name == "casualties" else field_text(value)


def event_fields(fields: Mapping[str, Any] | None) -> list[tuple[str, str]]:
    """An event's non-empty fields as (label, text) pairs, most useful first."""
    fields = fields or {}
    names = [n for n in FIELD_ORDER if n in fields] + sorted(n for n in fields if n not in FIELD_ORDER)
    out = []
    for name in names:
        text = field_value(name, fields[name])
        if text:
            out.append((field_label(name), text))
    return out
