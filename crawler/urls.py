"""Canonical URLs: one article, one key, whatever tracking junk a feed adds to its links."""

from __future__ import annotations

import contextlib
import ipaddress
import re
from urllib.parse import parse_qsl, quote, urlencode, urljoin, urlsplit, urlunsplit

# Query parameters that identify a campaign or a click, never the article.
# (Same idea as w3lib's canonicalize_url plus the lists kept by ClearURLs and Miniflux's
# `internal/reader/urlcleaner`.)
_TRACKING_EXACT = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gclsrc",
        "msclkid",
        "yclid",
        "twclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
        "ocid",
        "cmpid",
        "cmp",
        "ito",
        "ns_mchannel",
        "ns_source",
        "ns_campaign",
        "ns_linkname",
        "ns_fee",
        "at_medium",
        "at_campaign",
        "at_custom1",
        "at_custom2",
        "at_custom3",
        "at_custom4",
        "rss",
        "rssfeed",
        "from",
        "ref",
        "ref_src",
        "referrer",
        "source",
        "share",
        "smid",
        "spm",
        "guccounter",
        "amp",
        "outputtype",
        "s_cid",
        "wt.mc_id",
        "mkt_tok",
        "oly_anon_id",
        "oly_enc_id",
        "vero_id",
        "__twitter_impression",
    }
)
_TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_", "__hs", "_hs", "at_", "itm_", "sc_", "stm_")
_DEFAULT_PORTS = {"http": 80, "https": 443}


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in _TRACKING_EXACT or lowered.startswith(_TRACKING_PREFIXES)


def canonicalize(url: str, base: str | None = None) -> str:
    """Return the canonical form of an http(s) URL.

    Lower-cases scheme and host, drops default ports, the fragment, tracking parameters
    and empty query values' ordering noise (parameters are sorted), resolves dot segments
    and percent-encoding case. Relative URLs are resolved against ``base``.
    Raises ``ValueError`` for anything that is not an http(s) URL with a host.
    """
    url = url.strip()
    if base:
        url = urljoin(base, url)
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        raise ValueError(f"not an http(s) URL: {url!r}")
    host = parts.hostname.lower().rstrip(".")
    with contextlib.suppress(UnicodeError):
        host = host.encode("idna").decode("ascii")
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    port = parts.port
    netloc = host if port is None or port == _DEFAULT_PORTS[scheme] else f"{host}:{port}"
    path = _normalise_path(parts.path or "/")
    query_items = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)]
    query_items.sort()
    query = urlencode(query_items, doseq=True)
    return urlunsplit((scheme, netloc, path, query, ""))


def _normalise_path(path: str) -> str:
    segments: list[str] = []
    for segment in path.split("/"):
        if segment == "..":
            if len(segments) > 1:
                segments.pop()
        elif segment != ".":
            segments.append(segment)
    path = "/".join(segments) or "/"
    if not path.startswith("/"):
        path = "/" + path
    # Percent-encode what a URI cannot hold raw (non-ASCII, spaces) as UTF-8, like the query,
    # so /ä and /%C3%A4 (feed links vs. the URL Scrapy fetched) are one URL; existing escapes
    # and RFC 3986 sub-delimiters stay as they are.
    path = quote(path, safe="/%:@!$&'()*+,;=")
    # Upper-case percent escapes so %2f and %2F are one URL.
    return re.sub(r"%[0-9a-fA-F]{2}", lambda m: m.group(0).upper(), path)


def registrable_domain(host: str) -> str:
    """A cheap approximation of the registrable domain (last two labels, three for co.uk-style)."""
    labels = host.lower().strip(".").split(".")
    if len(labels) >= 3 and len(labels[-2]) <= 3 and len(labels[-1]) == 2:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def acceptable_canonical(page_url: str, canonical: str) -> bool:
    """Whether a page's ``<link rel=canonical>`` can be trusted as its identity.

    Refuses links to another site and links to a site's front page or a section root
    (a common CMS mistake that would merge every article of a site into one).
    """
    page, cand = urlsplit(page_url), urlsplit(canonical)
    if not cand.hostname or not page.hostname:
        return False
    if registrable_domain(cand.hostname) != registrable_domain(page.hostname):
        return False
    path = cand.path.strip("/")
    return bool(path) and (path.count("/") >= 1 or len(path) > 12 or bool(cand.query))


def trusted_canonical(declared: str | None, page_url: str) -> str | None:
    """A page's declared canonical URL, canonicalised, if it may identify the article at ``page_url``."""
    if not declared:
        return None
    try:
        candidate = canonicalize(declared, base=page_url)
    except ValueError:
        return None
    return candidate if acceptable_canonical(page_url, candidate) else None


def is_private_address(address: str) -> bool:
    """True for loopback, RFC 1918, link-local, unique-local, unspecified and reserved IPs."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return bool(
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_unspecified
        or ip.is_reserved
        or ip.is_multicast
        or (isinstance(ip, ipaddress.IPv4Address) and ip in ipaddress.ip_network("100.64.0.0/10"))
    )
