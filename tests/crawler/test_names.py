"""Names derived from CLDR and GeoNames (the config keys that ask for them, and what they give),
and the page's language as it states it."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.config import DedupConfig, TopicConfig
from core.configfile import load_config
from core.errors import ConfigError
from crawler.analysis.extract import extract
from crawler.analysis.languages import language_code, language_name
from crawler.analysis.names import DerivedNames, country_names, derive_names
from crawler.analysis.prepare import Analyser
from crawler.analysis.text import words
from tests.conftest import write_config


def _load_topic(tmp_path: Path, topic: str) -> TopicConfig:
    path = write_config(tmp_path, {})
    path.write_text("topic:\n" + topic, encoding="utf-8")
    return load_config(path, env={}).topic


def _error(tmp_path: Path, topic: str) -> str:
    with pytest.raises(ConfigError) as info:
        _load_topic(tmp_path, topic)
    return str(info.value)


def test_countries_as_codes_take_cldr_english_names(tmp_path: Path) -> None:
    topic = _load_topic(tmp_path, "  parties: [Pakistan, Afghanistan]\n  countries: [PK, AF]\n")
    assert topic.countries == {"PK": "Pakistan", "AF": "Afghanistan"}


def test_country_code_must_be_iso(tmp_path: Path) -> None:
    message = _error(tmp_path, "  parties: [Pakistan]\n  countries: {PAK: Pakistan}\n")
    assert ":3: topic.countries: " in message and "not an ISO 3166 country code" in message


def test_country_must_name_an_entity_of_the_topic(tmp_path: Path) -> None:
    # CD is "Congo - Kinshasa" in CLDR's English: the topic calls it DRC, so it must say so.
    message = _error(tmp_path, "  parties: [DRC, M23]\n  countries: [CD]\n")
    assert "topic.countries" in message and "'Congo - Kinshasa'" in message and "{CD: <name>}" in message
    assert _load_topic(tmp_path, "  parties: [DRC, M23]\n  countries: {CD: DRC}\n").countries == {"CD": "DRC"}


def test_geonames_pins_only_configured_places(tmp_path: Path) -> None:
    message = _error(tmp_path, "  places: [Kabul]\n  geonames: {Quetta: 1167528}\n")
    assert "topic.geonames: not in topic.places: Quetta" in message
    assert "topic.geonames" in _error(tmp_path, "  places: [Kabul]\n  geonames: {Kabul: -3}\n")


def test_country_names_in_many_scripts() -> None:
    names = country_names("PK")
    for spelling in ("পাকিস্তান", "பாகிஸ்தான்", "ปากีสถาน", "巴基斯坦", "Пакистан", "باكستان", "Pakistán"):
        assert spelling in names
    # "Kongo - Kinshasa" gives "Kongo" too; "Congo" is Spanish for the other Congo, so not that.
    congo = country_names("CD")
    assert "Kongo" in congo and "Congo" not in congo


def test_places_take_geonames_alternate_names_within_the_topics_countries() -> None:
    topic = TopicConfig(parties=["Afghanistan"], places=["Kandahar", "Istanbul"], countries={"AF": "Afghanistan"})
    derived = derive_names(topic)
    # Kandahar is "Kandahār" in GeoNames: found by its alternate name in Afghanistan.
    assert {"قندهار", "Кандагар", "坎大哈"} <= set(derived.names["Kandahar"])
    assert derived.places["Istanbul"] == 745044
    # GeoNames' machine transliterations and codes are no spelling a text uses.
    assert "IST" not in derived.names["Istanbul"] and "kabl" not in derived.names.get("Kabul", {})


def test_ambiguous_place_is_pinned_or_left_out() -> None:
    # Lalpur, an Afghan district, is not a GeoNames town; the only Lālpur is in India.
    assert derive_names(TopicConfig(places=["Lalpur"])).places == {"Lalpur": 1265150}
    assert derive_names(TopicConfig(places=["Lalpur"], geonames={"Lalpur": None})).places == {}
    pinned = derive_names(TopicConfig(places=["Dir"], geonames={"Dir": 1179757}))
    assert pinned.places == {"Dir": 1179757}


def test_a_world_city_abroad_outweighs_a_small_town_of_the_topics_countries() -> None:
    """Talks in Rome and Geneva, on a topic that counts the US among its countries, are not in
    Rome, Georgia or Geneva, New York (which took the names, and put the venues on the US's
    side, before); a town of the topic's own as large as a fifth of the city abroad keeps it."""
    countries = {"IR": "Iran", "US": "United States"}
    topic = TopicConfig(parties=["Iran", "United States"], places=["Rome", "Geneva"], countries=countries)
    derived = derive_names(topic)
    assert derived.places == {"Rome": 3169070, "Geneva": 2660646}
    assert "رم" in derived.names["Rome"]  # the Italian city's alternate names come with it
    pakistan = derive_names(TopicConfig(parties=["Pakistan"], places=["Hyderabad"], countries={"PK": "Pakistan"}))
    assert pakistan.places == {"Hyderabad": 1176734}  # Sindh's, not India's larger Hyderabad


def test_unknown_geonames_id_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match=r"topic\.geonames\.Kabul: GeoNames id 1 is not a town"):
        derive_names(TopicConfig(places=["Kabul"], geonames={"Kabul": 1}))


def test_names_are_derived_once_per_process() -> None:
    topic = TopicConfig(parties=["Pakistan"], countries={"PK": "Pakistan"})
    assert derive_names(topic) is derive_names(topic.model_copy())


def test_analyser_uses_the_names_it_is_given() -> None:
    # The crawl's workers get the parent's names instead of deriving them again.
    topic = TopicConfig(parties=["Pakistan"], countries={"PK": "Pakistan"})
    given = DerivedNames(names={"Pakistan": {"Pakistanland": "test"}})
    analyser = Analyser(topic, DedupConfig(), given)
    assert analyser.derived is given
    assert analyser.gazetteer.find(words("Pakistanland")) == {"Pakistan"}
    assert analyser.gazetteer.find(words("巴基斯坦")) == set()


@pytest.mark.parametrize(
    ("tag", "code", "name"),
    [
        ("fa-AF", "fa", "Dari"),
        ("prs", "fa", "Dari"),
        ("fa", "fa", "Persian"),
        ("zh-TW", "zh", "Chinese"),
        ("zh_Hant_TW", "zh", "Chinese"),
        ("pbt", "ps", "Pashto"),
        ("bn-BD", "bn", "Bangla"),
        ("pt_AO", "pt", "Portuguese"),
        (None, None, None),
    ],
)
def test_language_as_the_page_states_it(tag: str | None, code: str | None, name: str | None) -> None:
    assert language_code(tag) == code
    assert language_name(tag) == name


def test_page_language_from_og_locale() -> None:
    # No <html lang>: og:locale says Dari; a title-only page is too short for the text to tell.
    head = '<head><meta property="og:locale" content="fa_AF"><title>x</title></head>'
    html = f"<html>{head}<body><p>آتش‌بس</p></body></html>"
    assert extract(html, "https://example.org/a").language == "fa"
    html = '<html lang="prs"><head><title>x</title></head><body><p>آتش‌بس</p></body></html>'
    assert extract(html, "https://example.org/b").language == "fa"
