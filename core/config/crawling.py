"""The config sections of what to watch and how to crawl it: topic, sources, crawl, dedup, stories."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, Field, ValidationInfo, field_validator, model_validator

from core.config.base import PROJECT_URL, VERSION, Duration, Section, Size, check_http_url


def _as_list(value: Any) -> Any:
    """Accept a single value where a list is expected (``seed: a.txt``)."""
    if value is None:
        return []
    if isinstance(value, str | Path):
        return [value]
    return value


def _name(value: str) -> str:
    """A name to match in articles: not blank (it would match everywhere), surrounding spaces dropped."""
    value = value.strip()
    if not value:
        raise ValueError("a blank name would match every article")
    if len(value) < 2:
        raise ValueError("a name must have at least 2 characters")
    return value


EventName = Annotated[str, AfterValidator(_name)]


class TopicEventsConfig(Section):
    """The topic's own institutions, which the general event vocabulary cannot know.

    ``talks``: its talks venues and standing bodies (a "General Border Committee", a "Joint
    Oversight Committee"): a sentence naming one is about talks, so what it says was agreed
    or suspended is a talks outcome. ``clashes``: its named military operations: a headline
    naming one reports a clash. Names in any script; Latin ones match as whole words.
    """

    talks: list[EventName] = Field(default_factory=list)
    clashes: list[EventName] = Field(default_factory=list)


def _english_territories() -> Any:
    """CLDR's English country names by ISO 3166 code."""
    # Lazy: CLDR's English data is read only for a topic that names countries.
    from babel import Locale

    return Locale("en").territories


def _country_codes(value: Any) -> Any:
    """``[PK, AF]`` -> ``{PK: Pakistan, AF: Afghanistan}`` (CLDR's English names)."""
    if isinstance(value, list):
        territories = _english_territories()
        return {code: str(territories.get(code, code)) if isinstance(code, str) else code for code in value}
    return value


class TopicConfig(Section):
    """What the monitor is about: the seed article(s) and the topic's vocabulary."""

    name: str = "Pakistan–Afghanistan talks"
    seed: Annotated[list[Path], BeforeValidator(_as_list)] = Field(default_factory=list)
    seed_published: date | None = None
    keywords: dict[str, list[str]] = Field(default_factory=dict)
    parties: list[str] = Field(default_factory=list)
    # The two sides of the conflict, each a list of parties. When set, an article is on
    # topic only if it names both sides (or one side at a configured place); without it,
    # any two parties will do.
    sides: list[list[str]] = Field(default_factory=list)
    mediators: list[str] = Field(default_factory=list)
    places: list[str] = Field(default_factory=list)
    # Places inside each side, in the order of ``sides``: one side at a place of its own
    # (the Taliban in Kabul) is everyday news of that side, not of the conflict; at the
    # other side's place or at a place listed for neither (a border crossing) it counts.
    home_places: list[list[str]] = Field(default_factory=list)
    # Canonical name -> spellings in other languages and scripts, so a Pashto report of a
    # clash at Torkham (تورخم) meets the English one.
    aliases: dict[str, list[str]] = Field(default_factory=dict)
    # The topic's talks bodies and named operations (TopicEventsConfig).
    events: TopicEventsConfig = Field(default_factory=TopicEventsConfig)
    # ISO 3166 code -> the party, mediator or place that country is ({PK: Pakistan}); a list
    # of codes names each by CLDR's English name. Its names in every language CLDR knows
    # are derived (crawler.analysis.names), so the config need not spell them.
    countries: Annotated[dict[str, str], BeforeValidator(_country_codes)] = Field(default_factory=dict)
    # Place -> the GeoNames id of the town it is, when its name is ambiguous; null: the place
    # is not a GeoNames town (a crossing, a district), derive no names for it.
    geonames: dict[str, Annotated[int, Field(gt=0)] | None] = Field(default_factory=dict)

    @field_validator("countries")
    @classmethod
    def _known_countries(cls, value: dict[str, str], info: ValidationInfo) -> dict[str, str]:
        # Declared after parties, mediators, places and aliases: all are in info.data.
        territories = _english_territories()
        entities = {
            *info.data.get("parties", []),
            *info.data.get("mediators", []),
            *info.data.get("places", []),
            *info.data.get("aliases", {}),
        }
        for code, entity in value.items():
            if not (len(code) == 2 and code.isalpha() and code.isupper() and code in territories):
                raise ValueError(f"{code!r} is not an ISO 3166 country code (two capitals: PK, AF, CD)")
            if entity not in entities:
                raise ValueError(
                    f"{code} is {entity!r}, which is not in topic.parties, mediators, places or aliases"
                    f" (map the code to the entity's name: {{{code}: <name>}})"
                )
        return value

    @field_validator("geonames")
    @classmethod
    def _pinned_places(cls, value: dict[str, int | None], info: ValidationInfo) -> dict[str, int | None]:
        unknown = sorted(set(value) - set(info.data.get("places", [])))
        if unknown:
            raise ValueError(f"not in topic.places: {', '.join(unknown)}")
        return value

    @field_validator("home_places")
    @classmethod
    def _home_places_match_sides(cls, value: list[list[str]], info: ValidationInfo) -> list[list[str]]:
        # Declared after sides and places, so both are validated and in info.data.
        if not value:
            return value
        sides, places = info.data.get("sides", []), set(info.data.get("places", []))
        if len(value) != len(sides):
            raise ValueError(f"one list per side, in the order of topic.sides ({len(sides)}), not {len(value)}")
        unknown = sorted({p for side in value for p in side} - places)
        if unknown:
            raise ValueError(f"not in topic.places: {', '.join(unknown)}")
        return value


class SourceConfig(Section):
    """One feed, news sitemap or listing page to poll."""

    name: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")]
    type: Literal["feed", "sitemap", "listing"]
    url: str
    interval: Duration | None = None
    language: str | None = None
    enabled: bool = True
    # Listing pages: which links on the page are articles.
    link_selector: str | None = None
    link_pattern: str | None = None
    # Cap on new articles fetched per poll, so a first crawl of a huge sitemap stays polite.
    max_articles: Annotated[int, Field(ge=1)] | None = None

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        return check_http_url(value)

    @field_validator("link_selector")
    @classmethod
    def _valid_selector(cls, value: str | None) -> str | None:
        # Compiled the way crawler.discovery.parse_listing uses it (lxml's cssselect, HTML
        # rules), so what loads is what the crawl can run.
        if value is not None:
            # Lazy: lxml and cssselect load only for a config that has a selector to check.
            from lxml.cssselect import CSSSelector, SelectorError
            from lxml.etree import XPathError

            try:
                CSSSelector(value, translator="html")
            except (SelectorError, XPathError) as exc:
                raise ValueError(f"not a valid CSS selector: {exc}") from None
        return value

    @field_validator("link_pattern")
    @classmethod
    def _valid_regex(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            # A huge repeat count ({4294967296}) is an OverflowError, deep nesting a RecursionError.
            except (re.error, OverflowError, RecursionError) as exc:
                raise ValueError(f"not a valid regular expression: {exc}") from None
        return value

    @model_validator(mode="after")
    def _listing_needs_rule(self) -> SourceConfig:
        if self.type != "listing" and (self.link_selector or self.link_pattern):
            raise ValueError("link_selector and link_pattern apply only to type: listing")
        return self


class CrawlConfig(Section):
    """How politely and how hard the crawler fetches."""

    user_agent: str = f"newswatch/{VERSION} (+{PROJECT_URL})"
    obey_robots: bool = True
    allow_private_addresses: bool = False
    download_delay: Annotated[float, Field(ge=0)] = 1.0
    concurrency_per_domain: Annotated[int, Field(ge=1, le=64)] = 2
    concurrency: Annotated[int, Field(ge=1, le=512)] = 16
    autothrottle: bool = True
    interval: Duration = timedelta(minutes=30)
    timeout: Duration = timedelta(seconds=30)
    max_response_size: Size = 10 * 1000**2
    retries: Annotated[int, Field(ge=0, le=10)] = 2
    # A 429/503 asking to wait at most this long is retried in the same crawl; longer
    # waits are recorded against the source and honoured by the next poll.
    max_retry_after: Duration = timedelta(seconds=60)
    # A source that keeps failing is polled less often: its interval doubles with each
    # failure in a row, up to this (or its own interval, if longer). Success resets it.
    max_backoff: Duration = timedelta(hours=6)
    max_articles_per_source: Annotated[int, Field(ge=1)] = 100
    # A sitemap index's child sitemaps are followed at most this many levels below the
    # source URL: nested indexes that never end (a loop under fresh query strings) stop here.
    max_sitemap_depth: Annotated[int, Field(ge=0, le=10)] = 3
    # Requests one poll of one source may make besides article pages: the source URL, child
    # sitemaps, and every redirect and retry of them. A poll that reaches it stops there.
    max_source_fetches: Annotated[int, Field(ge=1)] = 50
    # Articles older than this (by the feed's date) are not fetched on a poll.
    max_article_age: Duration | None = None
    # Processes that extract article text in parallel; null = one per core, 0 = in the
    # crawler's own thread (no worker processes).
    extract_workers: Annotated[int, Field(ge=0, le=64)] | None = None


class DedupConfig(Section):
    """Near-duplicate detection thresholds (defaults measured on tests/fixtures/dedup)."""

    shingle_size: Annotated[int, Field(ge=1, le=8)] = 3
    # A stored article whose estimated Jaccard similarity with a new one reaches this is
    # the original of a copy.
    duplicate_jaccard: Annotated[float, Field(gt=0, le=1)] = 0.25
    # ... or whose shingles contain this share of the shorter text's (trimmed copies).
    duplicate_containment: Annotated[float, Field(gt=0, le=1)] = 0.6
    # Title-only items are compared by words and word pairs, and need a closer match.
    short_duplicate_jaccard: Annotated[float, Field(gt=0, le=1)] = 0.7


class StoriesConfig(Section):
    """Grouping articles that report the same event into stories."""

    # An article joins a story whose similarity score reaches this; else it starts one.
    join_threshold: Annotated[float, Field(gt=0, le=1)] = 0.2
    # Only stories active within this window of the article's time are candidates.
    window: Duration = timedelta(days=3)
    # The merge pass re-clusters the articles of this many windows (crawler.stories.regroup):
    # a late report reaches back one window, and the stories it may reunite span another.
    # At most 100: the pass runs after every poll, over every article of that span.
    regroup_windows: Annotated[int, Field(ge=1, le=100)] = 2
