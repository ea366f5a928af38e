"""Canonical URLs, trusted canonical links and the private-address check (crawler/urls.py)."""

from __future__ import annotations

import pytest

from crawler.urls import acceptable_canonical, canonicalize, is_private_address, trusted_canonical


@pytest.mark.parametrize(
    "param",
    [
        "utm_source=rss",
        "utm_medium=feed",
        "utm_campaign=x",
        "UTM_Content=y",
        "fbclid=IwAR0abc",
        "gclid=Cj0K",
        "msclkid=1",
        "mc_cid=9",
        "_ga=2.1",
        "at_medium=social",
        "itm_source=home",
        "ocid=msn",
    ],
)
def test_tracking_parameter_is_stripped_and_article_parameter_kept(param):
    url = f"https://www.dawn.com/news/1952010?id=7&{param}"
    assert canonicalize(url) == "https://www.dawn.com/news/1952010?id=7"


def test_fragment_dropped_host_lowercased_default_port_dropped():
    assert canonicalize("HTTPS://WWW.Dawn.COM:443/news/1952010#comments") == "https://www.dawn.com/news/1952010"
    assert canonicalize("http://Example.com:80") == "http://example.com/"
    # A non-default port is part of the identity.
    assert canonicalize("http://example.com:8080/a") == "http://example.com:8080/a"


def test_query_parameters_sorted():
    assert canonicalize("https://ex.com/story?z=1&b=2&a=3") == canonicalize("https://ex.com/story?a=3&z=1&b=2")
    assert canonicalize("https://ex.com/story?z=1&b=2&a=3") == "https://ex.com/story?a=3&b=2&z=1"


def test_dot_segments_resolved():
    assert canonicalize("https://ex.com/news/./world/../asia/story-1") == "https://ex.com/news/asia/story-1"
    # ".." never climbs above the root.
    assert canonicalize("https://ex.com/a/../../../b") == "https://ex.com/b"


def test_percent_escapes_case_and_raw_unicode_are_one_url():
    assert canonicalize("https://ex.com/a%2fb") == canonicalize("https://ex.com/a%2Fb")
    # A feed's raw Urdu slug and the percent-encoded URL Scrapy fetched are the same article.
    raw = canonicalize("https://www.bbc.com/urdu/articles/پاکستان-افغانستان-مذاکرات")
    encoded = canonicalize(
        "https://www.bbc.com/urdu/articles/%d9%be%d8%a7%da%a9%d8%b3%d8%aa%d8%a7%d9%86-"
        "%D8%A7%D9%81%D8%BA%D8%A7%D9%86%D8%B3%D8%AA%D8%A7%D9%86-%D9%85%D8%B0%D8%A7%DA%A9%D8%B1%D8%A7%D8%AA"
    )
    assert raw == encoded
    assert raw.isascii()


def test_relative_url_resolved_against_base():
    base = "https://www.aljazeera.com/news/2025/10/30/some-story"
    assert (
        canonicalize("../31/next-story?utm_source=x", base=base)
        == "https://www.aljazeera.com/news/2025/10/31/next-story"
    )
    assert canonicalize("//cdn.example.net/x", base=base) == "https://cdn.example.net/x"


@pytest.mark.parametrize(
    "url", ["ftp://ex.com/file", "mailto:desk@ex.com", "javascript:alert(1)", "/relative/path", "http://", ""]
)
def test_not_http_raises_value_error(url):
    with pytest.raises(ValueError, match="not an http"):
        canonicalize(url)


def test_idn_host_becomes_punycode():
    assert canonicalize("https://Bücher.example/straße") == "https://xn--bcher-kva.example/stra%C3%9Fe"


def test_acceptable_canonical_same_site_article():
    page = "https://www.dawn.com/news/1952010/talks-resume-in-istanbul?utm_source=rss"
    assert acceptable_canonical(page, "https://www.dawn.com/news/1952010/talks-resume-in-istanbul")
    # Another host of the same registrable domain (amp., m.) is the same site.
    assert acceptable_canonical("https://amp.dawn.com/news/1952010", "https://www.dawn.com/news/1952010")


@pytest.mark.parametrize(
    "canonical",
    [
        "https://www.dawn.com/",  # front page
        "https://www.dawn.com",
        "https://www.dawn.com/pakistan",  # a section root
        "https://www.dawn.com/index.html",
        "https://evil.example/news/1952010/talks-resume-in-istanbul",  # another site
        "https://dawn.com.evil.example/news/1952010",
        "/news/1952010",  # no host
    ],
)
def test_acceptable_canonical_refuses_front_page_section_and_other_site(canonical):
    assert not acceptable_canonical("https://www.dawn.com/news/1952010/talks-resume-in-istanbul", canonical)


def test_acceptable_canonical_two_level_public_suffix():
    page = "https://www.bbc.co.uk/news/world-asia-67246170"
    assert acceptable_canonical(page, "https://www.bbc.co.uk/news/world-asia-67246170")
    assert not acceptable_canonical(page, "https://www.other.co.uk/news/world-asia-67246170")


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.20.30.40",
        "172.16.0.1",
        "172.31.255.254",
        "192.168.1.1",
        "169.254.169.254",
        "0.0.0.0",
        "100.64.0.1",
        "::1",
        "fe80::1",
        "fe80::1%eth0",
        "fc00::1",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
    ],
)
def test_private_addresses(address):
    assert is_private_address(address)


@pytest.mark.parametrize(
    "address", ["93.184.216.34", "8.8.8.8", "172.32.0.1", "2606:4700::1111", "2a00:1450:4001::200e"]
)
def test_public_addresses(address):
    assert not is_private_address(address)


def test_not_an_address_is_not_private():
    assert not is_private_address("www.example.com")


def test_resolved_addresses_are_checked_again_after_the_cache_expires(monkeypatch):
    import asyncio

    from crawler.middlewares import private_addresses
    from crawler.middlewares.private_addresses import PrivateAddressMiddleware

    middleware = PrivateAddressMiddleware()
    calls = []

    async def fake_getaddrinfo(host, port, type=0):
        calls.append(host)
        return [(0, 0, 0, "", ("127.0.0.1" if len(calls) > 1 else "93.184.216.34", port))]

    clock = [1000.0]
    middleware.clock = lambda: clock[0]

    async def resolve() -> list[str]:
        loop = asyncio.get_running_loop()
        monkeypatch.setattr(loop, "getaddrinfo", fake_getaddrinfo)
        first = await middleware._addresses("news.example", 80)
        clock[0] += private_addresses.CACHE_SECONDS / 2
        cached = await middleware._addresses("news.example", 80)
        clock[0] += private_addresses.CACHE_SECONDS
        moved = await middleware._addresses("news.example", 80)
        return [*first, *cached, *moved]

    # The name moved to a loopback address: after the cache expires the new address is seen.
    assert asyncio.run(resolve()) == ["93.184.216.34", "93.184.216.34", "127.0.0.1"]
    assert calls == ["news.example", "news.example"]


@pytest.mark.parametrize(
    ("declared", "expected"),
    [
        # Resolved against the page, tracking parameters dropped.
        ("/news/2025/talks-resume?utm_source=x", "https://ex.com/news/2025/talks-resume"),
        ("https://EX.com/news/2025/talks-resume#top", "https://ex.com/news/2025/talks-resume"),
        ("https://other.org/news/2025/talks-resume", None),  # another site
        ("https://ex.com/", None),  # the front page: a CMS mistake
        ("mailto:desk@ex.com", None),
        ("", None),
        (None, None),
    ],
)
def test_trusted_canonical(declared, expected):
    assert trusted_canonical(declared, "https://ex.com/news/2025/talks-resume?ref=feed") == expected
