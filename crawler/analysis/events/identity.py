"""Is this the same event? Event signatures and an explainable match between two of them.

An event is who (the parties), what (kind and subtype family), when (a window of event
dates) and where (a place, or the venue and round of talks): ACLED's rule (a different
date, place, actor or type is a different event) with UCDP's and ACLED's place precision,
and time windows of one to two days as in xSub and Event Registry. Casualty figures are
never an identity criterion: each side gives its own and later reports give higher ones
(ACLED's fatality guidance); they only support a match that the place leaves open.

:func:`signature` reads an analysed article (its :class:`EventResult`, headline and the
gazetteer) into an :class:`EventSignature`; :func:`match` compares two and returns an
:class:`IdentityMatch` that says which fields agreed and which conflicted. :func:`combine`
folds the signatures of an event's reports into the event's own. Everything here comes from
the gazetteer and ``events`` config: no name of one conflict is written in the code.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

from crawler.analysis.events.dates import day_references, strip_dateline
from crawler.analysis.events.fields import NUMBER_WORDS, ORDINAL_WORDS
from crawler.analysis.events.lexicon import CONCESSIVE_RE, REPEAT_RE
from crawler.analysis.events.places import PlaceModel
from crawler.analysis.text import normalise, words

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Mapping, Sequence

    from crawler.analysis.events.classifier import EventResult
    from crawler.analysis.gazetteer import Gazetteer

# Talks subtypes by family, and their rank on the family's ladder: a later report of one
# round moves an event up (no_agreement -> collapsed, agreement -> ceasefire_extended),
# never down. next_round_set is announced at the end of a meeting whatever its outcome.
FAMILY = {
    "no_agreement": ("failure", 1),
    "collapsed": ("failure", 2),
    "agreement": ("success", 1),
    "ceasefire_extended": ("success", 2),
    "next_round_set": ("schedule", 0),
}
GROUP_BY = ("kind", "parties", "place", "date")
# The reason a shared place links reports days apart: one's stated span takes in the other's date.
SPAN = "date within span"
# Rounds by number: "third round", "3rd round", "round three", "round 3" (the number words are
# fields.py's; "round one" to "round twelve").
_ORDINAL = {**{w: n for w, n in NUMBER_WORDS.items() if n <= 12 and not w.endswith(("s", "dozen"))}, **ORDINAL_WORDS}
_ROUND = re.compile(
    rf"\b({'|'.join(ORDINAL_WORDS)}|\d{{1,2}}(?:st|nd|rd|th))\s+round\b"
    rf"|\bround\s+({'|'.join(w for w in _ORDINAL if w not in ORDINAL_WORDS)}|\d{{1,2}})\b"
)
# A round named after these is one to come, not the one that ended ("no plan for a fourth round").
_NOT_THIS_ROUND = re.compile(r"\b(no|not|next|another|further|new|any|for|planned|possible)\b")
# A dateline opens a report with where it was filed, not where the event was:
# "ISTANBUL, Nov 7 (Agency) - ", "اسلام آباد: ", "कबुल: ".
_DATELINE = re.compile(r"^\s*[^\s:.!?]+(?:\s+[^\s:.!?]+){0,3}?(?:,[^:–—]{0,30}?)?(?:\([^)]{0,40}\))?\s*[:–—-]\s+")


# A name the topic lists both as a party and as a place with a side (a capital: its
# government by metonymy, and a city on that side's ground) is the place where a word of
# place comes before it ("in Tehran", "à Téhéran", "در شمال تهران", "في طهران"), with a
# side or direction between ("in northern Tehran", "au nord de Téhéran"), or Urdu's and
# Hindi's postposition after it ("تہران میں"), or Arabic's "in" written on it ("بطهران").
# Else it is the party ("Tehran said"). Not "on", "over" or "sur": "pressure on Kigali",
# "pression sur Kinshasa" are the governments.
_AT = frozenset(normalise(w) for w in ("in", "at", "near", "outside", "across", "à", "au", "dans", "près", "در", "في"))
_AT_AFTER = frozenset(normalise(w) for w in ("میں", "में"))
_BETWEEN = frozenset(
    normalise(w)
    for w in (
        "the", "north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
        "of", "nord", "sud", "est", "ouest", "centre", "de", "d", "du",
        "شمال", "جنوب", "شرق", "غرب", "مرکز", "شمالي", "جنوبي", "شرقي", "غربي", "وسط",
    )
)  # fmt: skip
_AT_ATTACHED = normalise("ب")
# A headline place after these is a landmark the event is placed by, not where it happened
# ("drone hits police post outside X", "ataque cerca de X", "près de X"): the town itself is
# named in the body. Not directions: "airport north of X" is told apart from "rebels walk
# into X" the next day by that headline's place.
_NEAR = frozenset(normalise(w) for w in ("outside", "near", "nearby", "cerca", "afueras", "près", "perto", "arredores"))
_OF = frozenset(normalise(w) for w in ("of", "de", "d", "du", "do", "da", "la", "the", "just"))
# A headline that joins two news items ("helicopter downed, 13 killed; truck bomb hits X")
# tells its own event in the first, when its evidence names a place of its own.
_SECOND_ITEM = re.compile(r"\s*[;؛].*", re.DOTALL)


@dataclass(frozen=True)
class IdentityRules:
    """What :func:`match` needs of the config: the window, the grouping, the places, the sides."""

    places: PlaceModel = field(default_factory=PlaceModel)
    # Each side of the conflict as canonical party names (topic.sides); empty: every party alone.
    sides: tuple[frozenset[str], ...] = ()
    date_window: int = 2
    # Days apart two clash reports at one precise place may be and still be one event by the
    # place alone: a side's report and the other side's the next day tell one clash; two days
    # apart, one city may be struck twice (drones on a base, then on the port). A casualty
    # figure both give still links them within date_window.
    place_window: int = 1
    group_by: frozenset[str] = frozenset(GROUP_BY)
    # place -> the index in ``sides`` of the side it lies in (topic.home_places, the country
    # of its GeoNames town, or its region's side): whose ground a strike fell on.
    place_sides: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class EventSignature:
    """Who, what, when and where of one report, or of an event folded from its reports."""

    kind: str
    subtypes: frozenset[str]
    first: date
    last: date
    parties: frozenset[str] = frozenset()
    # Places of the headline and the event's sentence (seats and venues out, twins folded).
    places: frozenset[str] = frozenset()
    # Places of the headline alone: where a report says its event happened, before the
    # evidence sentence names the towns around it ("Kavumu airport, 30 km north of Bukavu").
    headline: frozenset[str] = frozenset()
    # Places of the lede, for reports whose headline and evidence name none.
    context: frozenset[str] = frozenset()
    venues: frozenset[str] = frozenset()
    rounds: frozenset[int] = frozenset()
    figures: frozenset[int] = frozenset()
    # The report states its outcome as taken despite another ("despite the failure, the truce
    # will hold"): a step in answer to an earlier outcome, not a part of it.
    reaction: bool = False
    # The days the event lasted, when a report says it lasted days ("a three-day assault",
    # "since Friday"): None when no report does. The reports' own dates are first..last.
    span: tuple[date, date] | None = None
    # The report tells its strike as a repeat ("struck Fordow again", "بار دیگر"): another
    # strike on a place struck before, not the earlier strike told a day later.
    repeat: bool = False
    # The report tells its clash as both sides firing ("exchange of fire", "responded to
    # unprovoked firing"), in its headline or lede: the classifier's ``exchange`` field.
    exchange: bool = False
    # Neither the headline nor the event's sentence names a day: the report is dated by the
    # lede or by its publication, which may come the morning after the event (a day late,
    # never early). Folded, an event is undated only when none of its reports names a day.
    undated: bool = False

    def covers(self, other: EventSignature) -> bool:
        """Whether this event's span (its stated days) takes in a day of ``other``'s dates."""
        return self.span is not None and self.span[0] <= other.last and other.first <= self.span[1]

    def as_json(self) -> dict[str, Any]:
        """A JSON-ready form, for storage."""
        return {
            "kind": self.kind,
            "subtypes": sorted(self.subtypes),
            "first": self.first.isoformat(),
            "last": self.last.isoformat(),
            "parties": sorted(self.parties),
            "places": sorted(self.places),
            "headline": sorted(self.headline),
            "context": sorted(self.context),
            "venues": sorted(self.venues),
            "rounds": sorted(self.rounds),
            "figures": sorted(self.figures),
            "reaction": self.reaction,
            "span": [d.isoformat() for d in self.span] if self.span else None,
            "repeat": self.repeat,
            "exchange": self.exchange,
            "undated": self.undated,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> EventSignature:
        """The inverse of :meth:`as_json`."""
        return cls(
            kind=str(data["kind"]),
            subtypes=frozenset(data.get("subtypes") or ()),
            first=date.fromisoformat(data["first"]),
            last=date.fromisoformat(data["last"]),
            parties=frozenset(data.get("parties") or ()),
            places=frozenset(data.get("places") or ()),
            headline=frozenset(data.get("headline") or ()),
            context=frozenset(data.get("context") or ()),
            venues=frozenset(data.get("venues") or ()),
            rounds=frozenset(int(r) for r in data.get("rounds") or ()),
            figures=frozenset(int(f) for f in data.get("figures") or ()),
            reaction=bool(data.get("reaction", False)),
            span=_span_from_json(data.get("span")),
            repeat=bool(data.get("repeat", False)),
            exchange=bool(data.get("exchange", False)),
            undated=bool(data.get("undated", False)),
        )


@dataclass(frozen=True)
class IdentityMatch:
    """Whether two signatures are one event, and why: the fields that agreed and conflicted."""

    same: bool
    # "place", "venue" (must-link), "region", "date", "subtype", "parties", "figures", ...
    matched: tuple[str, ...] = ()
    conflicts: tuple[str, ...] = ()
    # must (a shared precise place or venue), weak (close in time, nothing against), none
    strength: str = "none"

    def explain(self) -> str:
        """One line for logs and reports."""
        verdict = "same event" if self.same else "different events"
        parts = [verdict, f"({self.strength})"]
        if self.matched:
            parts.append("matched: " + ", ".join(self.matched))
        if self.conflicts:
            parts.append("conflicts: " + ", ".join(self.conflicts))
        return " ".join(parts)


def _span_from_json(value: Any) -> tuple[date, date] | None:
    if not value:
        return None
    return date.fromisoformat(value[0]), date.fromisoformat(value[1])


def _strip_dateline(sentence: str) -> str:
    return _DATELINE.sub("", sentence, count=1)


def _rounds(text: str) -> frozenset[int]:
    found = set()
    folded = normalise(text)
    for m in _ROUND.finditer(folded):
        before = folded[max(0, m.start() - 25) : m.start()].split()[-3:]
        if _NOT_THIS_ROUND.search(" ".join(before)):
            continue
        word = m.group(1) or m.group(2)
        digits = word.rstrip("stndrh")
        number = _ORDINAL.get(word) or (int(digits) if digits.isdigit() else None)
        if number:
            found.add(number)
    return frozenset(found)


def _figures(fields: dict[str, Any]) -> frozenset[int]:
    counts = fields.get("casualties") or {}
    return frozenset(int(n) for n in counts.values() if isinstance(n, int | float) and n > 0)


def _places_named(text: str, gazetteer: Gazetteer, rules: IdentityRules) -> set[str]:
    """The places ``text`` names: the gazetteer's, and the party-and-place names told as places."""
    tokens = words(text)
    found = set()
    inside = _inside_other_names(text, gazetteer)
    for name, phrase in gazetteer.matches(tokens):
        if phrase in inside:
            continue
        kind = gazetteer.kinds.get(name)
        if kind == "place" or (
            kind == "party"
            and name in rules.place_sides
            and _told_as_place(tokens, phrase, attached=phrase not in gazetteer.aliases)
        ):
            found.add(name)
    return found


def _starts(tokens: list[str], parts: list[str], first: int = 0) -> Iterator[int]:
    """Where the words ``parts`` stand in ``tokens`` (from position ``first``)."""
    return (i for i in range(first, len(tokens)) if tokens[i : i + len(parts)] == parts)


def _inside_other_names(text: str, gazetteer: Gazetteer) -> set[str]:
    """The names ``text`` tells only as the end of a longer proper name, not as a place.

    "the Marco Fidel Alton air base", "la Escuela Militar Juan Alton": a person's name that
    ends in a town's name is no mention of the town. A name is inside another when the two
    words before it, in the line as written, are capitalised and name nothing the gazetteer
    knows, and the line is not set in title case (a headline with every word capitalised).
    """
    inside: set[str] = set()
    for line in text.splitlines():
        tokens = words(line)
        written = re.findall(r"\w+", unicodedata.normalize("NFKC", line))
        if len(written) != len(tokens):
            continue  # the folded words do not line up with the written ones
        capital = [w[:1].isupper() for w in written]
        long_words = [c for w, c in zip(written, capital, strict=True) if len(w) > 3]
        if len(long_words) - sum(long_words) < 2:
            continue  # title case (no more than one long word in lower case): capitals say nothing
        named = gazetteer.matches(tokens)
        known = {t for _, phrase in named for t in phrase.split()}
        for _, phrase in named:
            parts = phrase.split()
            for start in _starts(tokens, parts, first=2):
                before = range(start - 2, start)
                if all(capital[i] and tokens[i] not in known and not written[i].isupper() for i in before):
                    inside.add(phrase)
    return inside


def _told_as_place(tokens: list[str], phrase: str, *, attached: bool) -> bool:
    """Whether ``phrase`` (a name in ``tokens``) comes after a word of place, or with one on it.

    ``attached``: the gazetteer found the name inside the word (a proclitic on its base).
    """
    named = phrase.split()
    for start in _starts(tokens, named):
        before = start - 1
        while before >= 0 and start - before <= 3 and tokens[before] in _BETWEEN:
            before -= 1
        end = start + len(named)
        if (before >= 0 and tokens[before] in _AT) or (end < len(tokens) and tokens[end] in _AT_AFTER):
            return True
        if attached and named[0].startswith(_AT_ATTACHED):
            # Arabic "in" written on the name ("بطهران"): the gazetteer found it under its base.
            return True
    return False


def signature(event: EventResult, title: str, gazetteer: Gazetteer, rules: IdentityRules) -> EventSignature:
    """The identity of the event an article reports, from its analysis and headline."""
    model = rules.places
    title = _first_item(title, event.evidence, gazetteer, rules)
    # Headlines have no dateline ("Kalehe : Kinshasa dénonce..." names the place of the event).
    stated = title + "\n" + _strip_dateline(event.evidence)
    named = _places_named(stated, gazetteer, rules)
    in_title = _places_named(title, gazetteer, rules) - _landmarks(title, gazetteer)
    lede = [p for p in event.fields.get("places") or () if isinstance(p, str)]
    # Only the headline's and the evidence's venue: the lede names past rounds' venues too.
    venues = frozenset(n for n in named if n in model.venues)
    return EventSignature(
        kind=event.kind,
        subtypes=frozenset({event.subtype}),
        first=event.event_date,
        last=event.event_date,
        parties=frozenset(p for p in event.fields.get("parties") or () if isinstance(p, str)),
        places=model.event_places(named),
        headline=model.event_places(in_title),
        context=model.event_places(lede),
        venues=venues,
        rounds=_rounds(stated),
        figures=_figures(event.fields),
        reaction=bool(CONCESSIVE_RE.search(normalise(stated))),
        span=event.span,
        repeat=bool(REPEAT_RE.search(normalise(stated))),
        exchange=bool(event.fields.get("exchange")),
        undated=_names_no_day(title, event),
    )


def _first_item(title: str, evidence: str, gazetteer: Gazetteer, rules: IdentityRules) -> str:
    """The headline's own news item: the part before a semicolon joining a second one.

    Only when the evidence places the event elsewhere than the second item: "statement by
    X; blasts heard in Y", with no place in the evidence, is placed by its second item.
    """
    first = _SECOND_ITEM.sub("", title)
    if not first or first == title:
        return title
    second = _places_named(title[len(first) :], gazetteer, rules)
    own = _places_named(_strip_dateline(evidence), gazetteer, rules)
    return first if second and own and not second & own else title


def _landmarks(title: str, gazetteer: Gazetteer) -> set[str]:
    """The places a headline names as landmarks near the event ("outside X", "near X")."""
    tokens = words(title)
    found = set()
    for name, phrase in gazetteer.matches(tokens):
        named = phrase.split()
        for start in _starts(tokens, named):
            before = start - 1
            while before >= 0 and tokens[before] in _OF:
                before -= 1
            if before < 0:
                continue
            if tokens[before] in _NEAR:
                found.add(name)
    return found


def _names_no_day(title: str, event: EventResult) -> bool:
    """Whether neither the headline nor the evidence names a day (a dateline's is the filing day)."""
    # Which day a reference resolves to does not matter here, only that there is one.
    anchor = datetime.combine(event.event_date, time())
    return not any(day_references(strip_dateline(text), anchor) for text in (title, event.evidence))


def combine(signatures: Sequence[EventSignature]) -> EventSignature:
    """One event's signature from those of its reports: every field's union, the date range."""
    first = signatures[0]
    return EventSignature(
        kind=first.kind,
        subtypes=frozenset().union(*(s.subtypes for s in signatures)),
        first=min(s.first for s in signatures),
        last=max(s.last for s in signatures),
        parties=frozenset().union(*(s.parties for s in signatures)),
        places=frozenset().union(*(s.places for s in signatures)),
        headline=frozenset().union(*(s.headline for s in signatures)),
        context=frozenset().union(*(s.context for s in signatures)),
        venues=frozenset().union(*(s.venues for s in signatures)),
        rounds=frozenset().union(*(s.rounds for s in signatures)),
        figures=frozenset().union(*(s.figures for s in signatures)),
        reaction=any(s.reaction for s in signatures),
        span=_span_union(signatures),
        repeat=any(s.repeat for s in signatures),
        # Every report an exchange: one report of a one-way strike makes the event a strike.
        exchange=all(s.exchange for s in signatures),
        undated=all(s.undated for s in signatures),
    )


def _span_union(signatures: Sequence[EventSignature]) -> tuple[date, date] | None:
    """The days the reports that give a span say the event lasted (None: no report gives one)."""
    spans = [s.span for s in signatures if s.span is not None]
    if not spans:
        return None
    return min(first for first, _ in spans), max(last for _, last in spans)


def gap_days(a: EventSignature, b: EventSignature) -> int:
    """Days between the two date ranges (0 when they overlap)."""
    return max(0, (b.first - a.last).days, (a.first - b.last).days)


def later_subtype(old: str, new: str) -> str:
    """The subtype an event shows after a report of ``new``: the later step of a ladder wins."""
    old_family, old_rank = FAMILY.get(old, ("clash", 0))
    new_family, new_rank = FAMILY.get(new, ("clash", 0))
    if new_family == old_family and new_rank > old_rank:
        return new
    if old_family == "schedule" and new_family != "schedule":
        # The meeting's outcome says more than its next date.
        return new
    return old


def _subtype_window(a: str, b: str, window: int, reaction: bool = False) -> int | None:
    """Most days apart two reports of these subtypes may be and still be one event (None: never).

    A round's failure is reported over days in firmer and firmer words (no_agreement, then
    collapsed): the whole window. An agreement and an extension are each a decision: the same
    or the next day's reports of one meeting, else two events (the 48-hour truce, then its
    extension). A meeting's outcome has several sides, told by different outlets: a round
    that ends without a deal (no_agreement) may still set its next date or reaffirm the truce,
    reported the same or the next day; but a truce kept *despite* a failure (``reaction``)
    answers it and is another event. A process declared over (collapsed) sets its next date
    only the same day, and keeps no truce: a date or a truce after it is a rescue. A failure
    and an agreement are two outcomes, save one case :func:`match` allows: one meeting's end
    told the same day at one venue as an agreement and as no agreement.
    """
    if a == b:
        return window
    fa, fb = FAMILY.get(a, ("clash", 0))[0], FAMILY.get(b, ("clash", 0))[0]
    if fa == fb:
        return window if fa in ("failure", "clash") else min(window, 1)
    if {fa, fb} == {"schedule", "success"}:
        return min(window, 1)
    if {fa, fb} == {"schedule", "failure"}:
        return min(window, 1) if "no_agreement" in (a, b) else 0
    if {a, b} == {"no_agreement", "ceasefire_extended"} and not reaction:
        return min(window, 1)
    return None


def _mixed_outcome(subtypes: frozenset[str]) -> bool:
    """Whether the subtypes are a plain agreement and a failure to agree, and at most the next date.

    The failure may be told in firmer words ("broke up without a ceasefire", read as
    collapsed): one meeting that agreed a swap and no truce is told both ways by outlets of
    different sides and languages, and some tell the next meeting it set.
    """
    failures = subtypes - {"agreement", "next_round_set"}
    return "agreement" in subtypes and bool(failures) and failures <= {"no_agreement", "collapsed"}


def _sides(parties: Iterable[str], sides: tuple[frozenset[str], ...]) -> frozenset[int | str]:
    out: set[int | str] = set()
    for party in parties:
        index = next((i for i, side in enumerate(sides) if party in side), None)
        out.add(index if index is not None else party)
    return frozenset(out)


def _breach_against_strike(a: frozenset[str], b: frozenset[str]) -> bool:
    """Whether one side is told as a truce breach only and the other never as one."""
    breach = "ceasefire_violation"
    return (a == {breach}) != (b == {breach}) and (breach not in a or breach not in b)


def _front_tally(a: EventSignature, b: EventSignature) -> bool:
    """Whether both reports tell a truce's breaches with no place of their own (only the lede's).

    Each side counts the other's breaches of one truce on its own ground ("N violations,
    most near A" against "shelling of B and C"): the towns of such a tally are where each
    accuser was hit along the front, not the place of two events.
    """
    breach = frozenset({"ceasefire_violation"})
    return a.subtypes == breach == b.subtypes and not a.places and not b.places


def struck_side(sig: EventSignature, rules: IdentityRules) -> int | None:
    """The side whose ground the clash fell on: the one side all its places lie in, if known.

    The event's own places (headline and evidence), else (none of them of a known side) the
    lede's. None when the places lie on both sides (a border clash), or when places of no
    known side (a crossing, a base abroad) are as many as the sided ones.
    """
    if not rules.place_sides:
        return None
    if sig.places and _known_sides(sig.places, rules):
        return _one_side(sig.places, rules)
    # No place of its own, or none of a known side (a town named as the cause, "in reply to
    # the attack at X"): the lede's places say where it fell.
    return _one_side(sig.context, rules)


def _side_of_lede_only(sig: EventSignature, rules: IdentityRules) -> bool:
    """Whether none of the report's own places is of a known side, and its lede's lie on one."""
    return bool(sig.places) and not _known_sides(sig.places, rules) and _one_side(sig.context, rules) is not None


def _placed_by_lede(a: EventSignature, b: EventSignature, rules: IdentityRules) -> bool:
    """Whether ``a`` is placed by its lede alone, on the side ``b``'s own places lie on."""
    return _side_of_lede_only(a, rules) and struck_side(a, rules) == _one_side(b.places, rules) is not None


def _where(sig: EventSignature, rules: IdentityRules) -> frozenset[str]:
    """The places that say where a report's event fell: its lede's when its own are of no side."""
    return sig.context if _side_of_lede_only(sig, rules) else sig.places


def _known_sides(places: Iterable[str], rules: IdentityRules) -> list[int]:
    """The sides of those of ``places`` whose side is known."""
    found = (rules.place_sides.get(rules.places.canonical(p)) for p in places)
    return [side for side in found if side is not None]


def _one_side(places: frozenset[str], rules: IdentityRules) -> int | None:
    """The one side ``places`` lie on: every place of a known side on it, and those most of them.

    A place of no known side (a crossing, a base abroad, a village the gazetteer cannot
    place) leaves the side open when it is as many as the sided ones.
    """
    sides = _known_sides(places, rules)
    if not sides or len(set(sides)) != 1 or len(sides) * 2 <= len(places):
        return None
    return sides[0]


def _place_relation(a: frozenset[str], b: frozenset[str], model: PlaceModel) -> tuple[str, str | None]:
    """("match"|"conflict"|"none", the reason) for two sets of event places."""
    if not a or not b:
        return "none", None
    # The most specific places only: "Masisi" beside "Nyabiondo" says Nyabiondo.
    a = frozenset(p for p in a if not any(q != p and model.contains(p, q) for q in a))
    b = frozenset(q for q in b if not any(p != q and model.contains(q, p) for p in b))
    shared = a & b
    if any(model.precise(p) for p in shared):
        return "match", "place"
    nested = [(p, q) for p in a for q in b if model.contains(p, q) or model.contains(q, p)]
    if shared or nested:
        # A place and a town inside it: one place told at two precisions, or two events in
        # one district (a town taken, then the district's main town two days later).
        return "region", "region"
    precise_a, precise_b = {p for p in a if model.precise(p)}, {q for q in b if model.precise(q)}
    if precise_a and precise_b:
        return "conflict", "place"
    tops_a = frozenset().union(*(model.tops(p) for p in a))
    tops_b = frozenset().union(*(model.tops(q) for q in b))
    if tops_a and tops_b and not tops_a & tops_b:
        return "conflict", "region"
    return "none", None


def _headlines_differ(a: frozenset[str], b: frozenset[str], model: PlaceModel) -> bool:
    """Whether two headlines locate their events at different precise places.

    Each headline's precise places must all be found in the other's (the same place, its
    twin, or one inside the other): "Kavumu airport falls, Bukavu holds its breath" and
    "Rebels walk into Bukavu" are two events, as are "Goma taken" and "shells from Goma
    land in Rubavu".
    """
    precise_a, precise_b = _precise(a, model), _precise(b, model)
    if not precise_a or not precise_b:
        return _place_relation(a, b, model)[0] == "conflict"
    return not _all_found(precise_a, precise_b, model) or not _all_found(precise_b, precise_a, model)


def _precise(places: Iterable[str], model: PlaceModel) -> set[str]:
    """The precise places (towns, crossings, sites) among ``places``: no province or country."""
    return {p for p in places if model.precise(p)}


def _all_found(places: Iterable[str], others: Iterable[str], model: PlaceModel) -> bool:
    """Whether each of ``places`` is among ``others``: the same place, its twin, or one inside the other."""
    pool = list(others)
    return all(any(model.contains(p, q) or model.contains(q, p) for q in pool) for p in places)


def _one_wave(a: EventSignature, b: EventSignature, gap: int, rules: IdentityRules) -> bool:
    """Whether one headline names some of the places the other names, in one wave of strikes.

    "Strikes on A, B and C" and "strike on A", on the same side's ground: one wave told whole
    and told by its lead place, not two events. The same day, the headlines suffice (a report
    of the lead place alone, "US strike on A", names nothing that sets it apart). A day apart
    (a wave at night, filed on both sides of midnight or of the date line), the report headed
    by one place must name the others of the wave in its lede: else it may be a later strike
    on that place ("the roads to A hit a day after"), or the next town taken ("Kavumu airport
    falls, Bukavu holds its breath" and, the next day, "Rebels walk into Bukavu"). Two
    headlines each with a place the other lacks, or a place on the other side's ground or of
    no side (shells from Goma land in Rubavu), stay two events.
    """
    if gap > 1:
        return False
    model = rules.places
    precise_a, precise_b = _precise(a.headline, model), _precise(b.headline, model)
    if not precise_a or not precise_b:
        return False
    if _all_found(precise_a, precise_b, model):
        part, whole = a, precise_b
    elif _all_found(precise_b, precise_a, model):
        part, whole = b, precise_a
    else:
        return False
    if gap > 0 and not _all_found(whole, part.places | part.context, model):
        return False
    side_a, side_b = struck_side(a, rules), struck_side(b, rules)
    return side_a is not None and side_a == side_b


def _successive_calls(a: EventSignature, b: EventSignature, gap: int, rules: IdentityRules) -> bool:
    """Whether two talks outcomes days apart, with no venue in common, are two rounds of one channel.

    A channel with no venue (a hotline, calls between capitals) meets again within days: a
    truce agreed, then a call two days on that keeps it, then one that extends it. Reports of
    one decision come the same or the next day (``place_window``); more days apart, only a
    failure is still one event, reported in firmer and firmer words (no agreement, then
    collapse). A shared venue is one meeting, whatever the days.
    """
    if gap <= rules.place_window or a.venues & b.venues:
        return False
    return any(FAMILY.get(s, ("clash", 0))[0] != "failure" for s in a.subtypes | b.subtypes)


def _other_table(a: EventSignature, b: EventSignature, gap: int, rules: IdentityRules) -> bool:
    """Whether two talks outcomes on different days, at different places, are held with different groups.

    One side may talk with several groups of the other at once (a government with two armed
    groups, each at its own table): rounds a day apart that name none of the same parties on
    that side are two tables, however alike their outcomes, when each names where it met
    and the places differ (a venue abroad, a town at home). Two names of one side may be one
    party told two ways ("the Taliban", "Afghanistan"): a report that names no place, or
    the same day, decides nothing.
    """
    where_a, where_b = a.venues | a.places, b.venues | b.places
    if gap == 0 or not where_a or not where_b or where_a & where_b or not rules.sides:
        return False
    for side in rules.sides:
        ours, theirs = a.parties & side, b.parties & side
        if ours and theirs and not ours & theirs:
            return True
    return False


def _placed_apart_next_day(a: EventSignature, b: EventSignature, gap: int, matched: list[str]) -> bool:
    """Whether two clash reports a day apart each name where they happened, and no place relates them.

    A report with no place of its own may tell the day before's news; one that names its
    towns, none of them the other's or in the other's regions, a day later, is the next
    strike (drones over one city the morning after missiles on others).
    """
    return gap > 0 and bool(a.places) and bool(b.places) and not {"place", "region", "figures"} & set(matched)


def _one_kind_of_wave(a: EventSignature, b: EventSignature, gap: int) -> bool:
    """Whether two reports in different provinces may be one wave told by its lede's places.

    The same day, any; a day apart (a night filed on both sides of midnight), only the same
    kind of fighting: shelling one day and drones the next, in two provinces, are two events
    even when one's lede names the other's province.
    """
    return gap == 0 or bool(a.subtypes & b.subtypes)


def _late_by_publication(a: EventSignature, b: EventSignature) -> bool:
    """Whether the later-dated of two reports names no day: its date may be the morning after.

    A report dated by its publication ("after Istanbul, the next step...", filed the next
    morning) is at most a day late; one that names its day is not.
    """
    later, earlier = _later_first(a, b)
    return later.undated and not earlier.undated and gap_days(a, b) == 1


def _repeat_of(a: EventSignature, b: EventSignature) -> bool:
    """Whether the later-dated of two reports tells its strike as a repeat and the earlier does not."""
    later, earlier = _later_first(a, b)
    return later.repeat and not earlier.repeat


def _later_first(a: EventSignature, b: EventSignature) -> tuple[EventSignature, EventSignature]:
    """The two reports, the later-dated first."""
    return (a, b) if a.first > b.last else (b, a)


_LINE_FIRE = frozenset({"border_clash", "ceasefire_violation"})


def _one_exchange(a: EventSignature, b: EventSignature, gap: int, rules: IdentityRules) -> bool:
    """Whether two reports tell one exchange of fire across a line, each from its own side.

    Each side reports the night's firing from its own sectors and blames the other for the
    first shot: their places conflict, and so may the sides struck. Both reports told as an
    exchange (both sides firing), of fire across a line (no strike, no capture), naming
    parties of both sides, within ``place_window``, and not both on the same side's ground
    (two sectors of one side are two exchanges), are one exchange.
    """
    if not (a.exchange and b.exchange) or gap > rules.place_window or not rules.sides:
        return False
    if not (a.subtypes <= _LINE_FIRE and b.subtypes <= _LINE_FIRE):
        return False
    if any(len({x for x in _sides(s.parties, rules.sides) if isinstance(x, int)}) < 2 for s in (a, b)):
        return False
    struck_a, struck_b = struck_side(a, rules), struck_side(b, rules)
    return struck_a is None or struck_b is None or struck_a != struck_b


def match(a: EventSignature, b: EventSignature, rules: IdentityRules) -> IdentityMatch:
    """Whether ``a`` and ``b`` report one event, with the fields that decided it.

    Blocking: the same kind, parties of the same sides, dates within the window. Cannot-link:
    different precise places (or regions), venues or rounds, or subtypes that cannot describe
    one outcome that far apart, or a strike told as a repeat ("again") a day or more after
    another at its place. Must-link: a shared precise place or venue. Otherwise a
    region in common, or no place at all, joins only reports of the same or the next day.
    """
    group_by = rules.group_by
    matched: list[str] = []
    conflicts: list[str] = []
    if "kind" in group_by and a.kind != b.kind:
        return IdentityMatch(False, (), ("kind",))
    matched.append("kind")
    gap = gap_days(a, b)
    if "date" in group_by:
        if gap > rules.date_window:
            return IdentityMatch(False, tuple(matched), ("date",))
        matched.append("date")
    if "parties" in group_by and a.parties and b.parties:
        sides_a, sides_b = _sides(a.parties, rules.sides), _sides(b.parties, rules.sides)
        if not sides_a & sides_b:
            return IdentityMatch(False, tuple(matched), ("parties",))
        matched.append("parties")
    talks = a.kind == "talks_outcome"
    if talks:
        # Every subtype told of one event must fit with every other: an event of a round's
        # failure and its next date does not take a truce kept the next day.
        reaction = a.reaction or b.reaction
        windows = [_subtype_window(x, y, rules.date_window, reaction) for x in a.subtypes for y in b.subtypes]
        allowed = None if None in windows else min(w for w in windows if w is not None)
        one_venue = a.venues & b.venues or bool(a.venues) != bool(b.venues)
        if allowed is None and one_venue and _mixed_outcome(a.subtypes | b.subtypes):
            # One meeting's end, the same day, told as what it gave and what it did not
            # ("commitments, but no truce"): one outcome with two faces. At one venue, or
            # with one report naming none (a quote, "the sides agreed on a swap": many
            # outlets name the venue once, in the lede, and tell the outcome after it).
            # A day more when the later report names no day and may be the morning after's
            # telling; not after a collapse: an agreement the next day is then a rescue.
            late = _late_by_publication(a, b) and "collapsed" not in a.subtypes | b.subtypes
            allowed = 1 if late else 0
        if allowed is None or gap > allowed:
            conflicts.append("subtype")
        else:
            matched.append("subtype")
        if a.rounds and b.rounds and not a.rounds & b.rounds:
            conflicts.append("round")
        if "round" not in conflicts and _successive_calls(a, b, gap, rules):
            conflicts.append("round")
        if _other_table(a, b, gap, rules):
            conflicts.append("parties")
    must = False
    exchange = not talks and _one_exchange(a, b, gap, rules)
    if "place" in group_by:
        if talks:
            if a.venues and b.venues:
                if a.venues & b.venues:
                    matched.append("venue")
                    must = True
                else:
                    conflicts.append("venue")
        else:
            relation, reason = _place_relation(a.places, b.places, rules.places)
            if relation == "conflict" and (_placed_by_lede(a, b, rules) or _placed_by_lede(b, a, rules)):
                # A report whose own places are of no side, its lede's all on the other's:
                # the place it names is the cause it answers ("after the attack at X"), and
                # the lede says where it fell.
                relation, reason = _place_relation(_where(a, rules), _where(b, rules), rules.places)
            if (
                relation in ("match", "region")
                and _headlines_differ(a.headline, b.headline, rules.places)
                and not _one_wave(a, b, gap, rules)
            ):
                # Two headlines, two places: the towns (or the province an attack came
                # from) that their evidence shares are the setting, not the event's place.
                relation, reason = "conflict", "place"
            broad_only = not any(rules.places.precise(p) for p in a.places | b.places)
            if (relation == "none" and (not a.places or not b.places)) or (
                (relation, reason) == ("conflict", "region") and broad_only and _one_kind_of_wave(a, b, gap)
            ):
                # A report that names no place in its headline and evidence, or names another
                # province of a wave of strikes: the places of its lede, at region precision.
                wide, why = _place_relation(a.places | a.context, b.places | b.context, rules.places)
                if wide in ("match", "region"):
                    relation, reason = "region", "region"
                elif relation == "none" and not _front_tally(a, b):
                    relation, reason = wide, why
            if relation == "conflict" and exchange:
                # Each side's sectors of one exchange across the line: one event.
                relation, reason = "region", "exchange"
            if relation == "match" and gap > 0 and _repeat_of(a, b):
                # "Struck again" the next day at the place struck before: a second strike.
                relation, reason = "conflict", "repeat"
            if relation == "match":
                matched.append(reason or "place")
                must = True
            elif relation == "conflict":
                conflicts.append(reason or "place")
            elif relation == "region":
                matched.extend(("region", "exchange") if reason == "exchange" else ("region",))
        if not talks:
            # Who was struck: "A strikes B" and "B's missiles hit A" the same night are two
            # events, a strike and the reply, though both name both parties (a war between
            # states with no shared border: neither's places are the other's).
            struck_a, struck_b = struck_side(a, rules), struck_side(b, rules)
            if struck_a is not None and struck_b is not None and not _front_tally(a, b) and not exchange:
                if struck_a != struck_b:
                    conflicts.append("struck side")
                else:
                    matched.append("struck side")
    if a.figures & b.figures:
        matched.append("figures")
    if conflicts:
        return IdentityMatch(False, tuple(matched), tuple(conflicts))
    if must and not talks and gap > rules.place_window and (a.covers(b) or b.covers(a)):
        # One place, days apart, but a report says its event lasted those days ("a
        # three-day assault", "since Friday"): one continuing event, not a second strike.
        matched.append(SPAN)
    if must and (talks or gap <= rules.place_window or "figures" in matched or SPAN in matched):
        return IdentityMatch(True, tuple(matched), (), "must")
    if (
        not talks
        and not must
        and "region" not in matched
        and gap > 0
        and _breach_against_strike(a.subtypes, b.subtypes)
    ):
        # A breach of a truce is told once the truce holds: a strike of the day before,
        # with no place in common, is the war the truce ended, not the breach.
        return IdentityMatch(False, tuple(matched), ("subtype",))
    if not talks and _placed_apart_next_day(a, b, gap, matched):
        return IdentityMatch(False, tuple(matched), ("place",))
    # Nothing places the two reports apart, nothing places them together: close dates
    # decide, unless the subtypes (talks) or a shared figure (clashes) vouch for the window.
    if gap <= 1 or talks or "figures" in matched:
        return IdentityMatch(True, tuple(matched), (), "weak")
    return IdentityMatch(False, tuple(matched), ("date",))
