"""Article extraction: trafilatura for text, title and language, htmldate for the date.

No per-site selectors: both libraries are tuned on thousands of news sites, and a page they
cannot read falls back to what the feed said about it.
"""

from __future__ import annotations

import contextlib
import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime

import lxml.etree
import lxml.html
import trafilatura
from htmldate import find_date

from crawler.analysis.languages import language_code
from crawler.analysis.text import clean_text
from storage.content import XML_ILLEGAL_CHARS, xml_safe

logger = logging.getLogger(__name__)

# trafilatura needs some body text to call a page an article; below this we fall back.
MIN_TEXT_CHARS = 80
# Extraction cost grows with page size; a page past this is cut before parsing.
MAX_HTML_CHARS = 3_000_000
# A numeric character reference to a character XML forbids (its code point in decimal or
# hex, any number of leading zeros, the semicolon optional as lxml reads it): lxml's parser
# turns it into the character itself. Lone surrogates are left out: lxml reads a reference
# to one as U+FFFD already. test_extract.py checks it against storage.content.XML_ILLEGAL
# for every code point.
_XML_ILLEGAL_REFERENCE = re.compile(
    r"&#(?:0*([0-8]|1[124-9]|2[0-9]|3[01]|6553[45])(?![0-9])"
    r"|x0*([0-8bcef]|1[0-9a-f]|fff[ef])(?![0-9a-f]));?",
    re.IGNORECASE,
)
# lxml refuses a str that starts with an XML declaration naming an encoding (XHTML pages).
_XML_DECLARATION = re.compile(r"^\ufeff?\s*<\?xml[^>]*\?>")


def _html_parser(encoding: str | None = None) -> lxml.html.HTMLParser:
    """lxml's HTML parser without comments, with every element an ``HtmlElement`` chosen in C.

    Comments and processing instructions are dropped as trafilatura.extract's own parser
    drops them: a comment node inside a paragraph made trafilatura lose the rest of the
    paragraph (6 of the 181 benchmark pages; token F1 0.955 -> 0.959, snippets unchanged).

    lxml.html's own lookup picks a class per tag (form, input, label...) in Python, once
    for every element object lxml hands out: on real pages that was 3-5 % of extract()'s
    time, as trafilatura walks and copies the tree (copies keep the parser). Nothing here
    uses the form classes' extra methods; trafilatura needs ``HtmlElement`` and gets it.

    ``encoding``: what the bytes it is given are in (it overrides the page's ``<meta charset>``).
    """
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, collect_ids=False, encoding=encoding)
    parser.set_element_class_lookup(
        lxml.etree.ElementDefaultClassLookup(
            element=lxml.html.HtmlElement,
            comment=lxml.html.HtmlComment,
            pi=lxml.html.HtmlProcessingInstruction,
            entity=lxml.html.HtmlEntity,
        )
    )
    return parser


_HTML_PARSER = _html_parser()
_UTF8_PARSER = _html_parser("utf-8")


@dataclass(frozen=True)
class Extracted:
    """What the page itself says about the article."""

    title: str | None
    text: str
    language: str | None
    published: datetime | None
    author: str | None
    canonical_url: str | None


def _xml_safe_page(html: str) -> str:
    """``html`` without the characters XML forbids (:func:`storage.content.xml_safe`).

    Why before parsing: lxml keeps a control character such as U+0001 in the tree we parse
    from a str, and refuses it when trafilatura sets a node's text to its trimmed copy
    (ValueError: "All strings must be XML compatible"); trafilatura drops the whole page
    then. ``trafilatura.extract`` on the HTML string strips them itself before parsing; we
    parse the tree ourselves, so we strip them here. The title and the text stored are
    free of them too. A character reference to one (``&#1;``, ``&#x1B;``) is removed the
    same way (a space for vertical tab and form feed, as :func:`xml_safe` does), or lxml
    would put the character in the tree all the same.
    """
    # 31 substring searches over a 170 kB page take a third of one regex search (0.4
    # against 1.4 ms; extract() takes about 70 ms on such a page).
    if any(char in html for char in XML_ILLEGAL_CHARS):
        html = xml_safe(html)
    # Most pages hold some reference (&#8217;): the search of the whole page costs about
    # 0.5 ms on a 380 kB page (parsing it takes 1.4), a walk over the parsed tree's text 6.
    if "&#" in html:
        html = _XML_ILLEGAL_REFERENCE.sub(_referenced_char, html)
    return html


def _parse(html: str) -> lxml.html.HtmlElement:
    """The page's tree, from its UTF-8 encoding: libxml2 reads UTF-8 natively, while a str
    reaches it as Latin-1, UTF-16 or UCS-4 (Python's storage of it) to convert. On the 181
    benchmark pages parsing took 10-20 % less CPU, with the same trees."""
    try:
        data = html.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate, which UTF-8 cannot hold: lxml reads the str
        return lxml.html.fromstring(html, parser=_HTML_PARSER)
    return lxml.html.fromstring(data, parser=_UTF8_PARSER)


def _referenced_char(reference: re.Match[str]) -> str:
    decimal, hexadecimal = reference.groups()
    return xml_safe(chr(int(decimal) if decimal is not None else int(hexadecimal, 16)))


def _parse_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


# Words frequent in any English text and rare in every other language written in Latin
# script (no "in", "is", "a": Dutch, German, Italian use them too).
# fmt: off
_ENGLISH_MARKERS = frozenset({
    "the", "of", "and", "to", "that", "for", "with", "said", "was", "were", "which", "this",
    "from", "have", "has", "by", "but", "are", "his", "their", "they", "would", "will", "been",
})
# fmt: on
_TOKEN = re.compile(r"\w+")


def _clearly_english(sample: str) -> bool:
    """Whether ``sample`` is English beyond doubt, without the n-gram model.

    Running text in English has 20-35 % of these words among its first 800 characters;
    on the 515 texts of the shared and project fixtures, every text at or above 15 % was
    English to py3langid too, and no other language reached 10 % (Japanese with English
    product names came closest). Texts in other scripts are left to the model outright.
    Most pages newswatch reads are English: this saves the model's ~0.5 ms on each.
    """
    if len(sample.encode()) - len(sample) > len(sample) // 20:
        return False
    tokens = _TOKEN.findall(sample.lower())
    return len(tokens) >= 30 and sum(token in _ENGLISH_MARKERS for token in tokens) >= 0.15 * len(tokens)


def load_language_model() -> None:
    """Load py3langid's model now (it loads on first use otherwise, ~0.4 s of CPU).

    From the cache folder's decompressed copy when it has one (:mod:`crawler.analysis.langid_cache`).
    """
    from crawler.analysis.langid_cache import load_language_model as load

    load()


def warm_up() -> None:
    """Load now what extraction otherwise loads on its first pages.

    py3langid's model (~0.4 s of CPU), and the stoplist of every language that trafilatura's
    jusText fallback builds on its first use, and jusText lower-cases into a set (~0.35 s).
    Done once in the extraction workers' fork server, every worker starts with both.
    """
    load_language_model()
    # trafilatura's own cache (trafilatura.external, not public API): if it moves in a
    # later release the first page builds it, as before.
    with contextlib.suppress(ImportError, AttributeError):
        from justext.core import define_stoplist
        from trafilatura import external

        define_stoplist(external.JT_STOPLIST or external.jt_stoplist_init())


def detect_language(text: str, declared: str | None = None) -> str | None:
    """ISO 639-1 code of ``text``: the page's declared ``lang`` when the text agrees or is
    too short to judge, else py3langid's guess (trafilatura's own detector needs it too).
    """
    declared = language_code(declared)
    # 800 characters identify a language as well as 4000 (langid is n-gram based) at a
    # fifth of the cost; it was a third of extraction time.
    sample = text[:800]
    if len(sample) < 40:
        return declared
    if _clearly_english(sample):
        return "en"
    import py3langid  # imported late: loading its model takes ~0.3 s

    guess, _score = py3langid.classify(sample)
    # Declared "ur" on a Pashto page (or "fa" on Dari) is common on multilingual sites;
    # trust the text when it disagrees with the markup.
    return guess or declared


def _declared_language(tree: lxml.html.HtmlElement) -> str | None:
    """The language the page states: ``<html lang>``, else ``og:locale`` (``fa_AF``), else
    ``<meta http-equiv=content-language>``."""
    lang = (tree.get("lang") or "").strip()
    if lang:
        return lang
    for meta in tree.iterfind(".//meta[@property='og:locale'][@content]"):
        return (meta.get("content") or "").strip() or None
    for meta in tree.iterfind(".//meta[@http-equiv][@content]"):
        if (meta.get("http-equiv") or "").lower() == "content-language":
            # "fa-AF, en": the first is the page's own.
            return (meta.get("content") or "").split(",")[0].strip() or None
    return None


def _canonical_link(tree: lxml.html.HtmlElement) -> str | None:
    for link in tree.iterfind(".//link[@rel][@href]"):
        rels = (link.get("rel") or "").lower().split()
        if "canonical" in rels:
            href = (link.get("href") or "").strip()
            if href:
                return href
    for meta in tree.iterfind(".//meta[@property='og:url'][@content]"):
        content = (meta.get("content") or "").strip()
        if content:
            return content
    return None


def _page_metadata(tree: lxml.html.HtmlElement, url: str) -> tuple[str | None, str | None, datetime | None]:
    """Title, author and date from OpenGraph/meta tags and JSON-LD, then the headline tags.

    trafilatura's own metadata readers, without its costly author heuristics.
    """
    try:
        from trafilatura.metadata import examine_meta, extract_meta_json, extract_title

        meta = examine_meta(tree)
        try:
            meta = extract_meta_json(tree, meta)
        except Exception as exc:  # malformed JSON-LD is common; the meta tags still count
            logger.debug("JSON-LD unreadable: %s", exc, extra={"url": url})
        title = (meta.title or "").strip() or (extract_title(tree) or "").strip() or None
        author = (meta.author or "").strip() or None
        if author and " " not in author:
            author = None  # a single token is usually a site name, as trafilatura assumes
        return title, author, _parse_date(meta.date)
    except Exception as exc:  # never let metadata cost us the article text
        logger.debug("metadata extraction failed: %s", exc, extra={"url": url})
        return None, None, None


def extract(html: str, url: str) -> Extracted:
    """Extract an article from decoded HTML. Never raises on bad markup: returns empty text."""
    html = _xml_safe_page(html[:MAX_HTML_CHARS])
    canonical = None
    tree = None
    try:
        tree = _parse(_XML_DECLARATION.sub("", html, count=1))
        canonical = _canonical_link(tree)
    except (lxml.etree.ParserError, ValueError) as exc:
        logger.debug("unparseable HTML: %s", exc, extra={"url": url})
    text = ""
    title = author = None
    page_date = None
    found = None
    declared = None
    if tree is not None:
        title, author, page_date = _page_metadata(tree, url)
        # htmldate searches a copy of the tree we parsed: copying it costs a fraction of
        # parsing the HTML string again, which htmldate did here before.
        found = _find_date(tree, url)
        declared = _declared_language(tree)
        # Last reader of the page's metadata above: from here on the tree is trafilatura's.
        _drop_unread_elements(tree)
        text = _article_text(tree, url)
    language = detect_language(text, declared) if text else language_code(declared)
    # The page's own published time (article:published_time, JSON-LD datePublished) keeps
    # the hour; htmldate's finds a date where the page states none in its metadata.
    published = page_date if page_date and (found is None or page_date.date() == found.date()) else found or page_date
    return Extracted(
        title=title,
        text=text,
        language=language,
        published=published,
        author=author,
        canonical_url=canonical,
    )


# Elements no stage of trafilatura's text extraction reads, as it is called here: its tree
# cleaning deletes them before the main extractor, its page-text measure (html2txt, the
# recall gate) and baseline drop or ignore them, readability and jusText skip them. Not
# <noscript> (jusText keeps its text: one of 251 fixture pages came out different), not
# <template> (trafilatura keeps its content).
_UNREAD_BY_TRAFILATURA = ("script", "style", "svg", "link", "meta")
# ... but a JSON-LD script is read: trafilatura tells a forum thread by it, and its
# baseline takes an ``articleBody`` from it when the page's text is too short.
_JSON_LD = "application/ld+json"


def _drop_unread_elements(tree: lxml.html.HtmlElement) -> None:
    """Remove from ``tree`` (keeping their tail text) the elements trafilatura would only
    copy and search before deleting them itself.

    trafilatura copies the tree two to four times per pass and matches regular expressions
    (EXSLT, a call into Python per element) against every element's class and id before it
    cleans: on the 181 benchmark pages these elements are about a tenth of each tree (an
    inline SVG icon alone is a dozen), and its text extraction took ~10 % less CPU without
    them, with the same text on all 251 annotated pages of the fixtures in fast and
    balanced mode. Only for trafilatura: the metadata, date and language readers run first.
    """
    for element in list(tree.iter(_UNREAD_BY_TRAFILATURA)):
        if element.tag == "script" and (element.get("type") or "").strip().lower() == _JSON_LD:
            continue
        if element.getparent() is not None:  # a fragment's root (a page that is one <svg>) stays
            element.drop_tree()


# trafilatura's main extractor alone (fast=True) is trusted when its text reads like an
# article: this long at least, and at most this share of it in short lines. Otherwise the
# page is extracted again with the fallback comparison (readability, jusText) that
# balanced mode always runs. Short lines in bulk are a menu or a link list: on rnz.de
# the fast path returned 4,000 characters of navigation where the article is 600.
FAST_MIN_CHARS = 1000
SHORT_LINE_CHARS = 40
FAST_MAX_SHORT_LINE_SHARE = 0.4


def reads_like_prose(text: str) -> bool:
    """Whether an extracted text looks like an article body rather than a fragment or a menu."""
    if len(text) < FAST_MIN_CHARS:
        return False
    lines = text.split("\n")
    short = sum(len(line) for line in lines if len(line) < SHORT_LINE_CHARS)
    return short <= FAST_MAX_SHORT_LINE_SHARE * sum(map(len, lines))


def _trafilatura_text(tree: lxml.html.HtmlElement, url: str, *, fast: bool) -> str:
    try:
        document = trafilatura.bare_extraction(
            tree,  # left as it is: trafilatura copies a tree it is given
            url=url,
            fast=fast,
            # trafilatura's full metadata pass (author heuristics, its own date search)
            # took half of the extraction time; title and author come from the page's
            # meta tags and JSON-LD, the date from htmldate.
            with_metadata=False,
            include_comments=False,
            include_tables=False,
            # trafilatura's deduplication counts text segments in a process-wide cache:
            # after two or three pages with the same body (wire copy carried by several
            # outlets, a re-fetch in the long-running service) later ones came back empty.
            # Off also scores better on the benchmark (token F1 0.951 vs 0.946).
            deduplicate=False,
        )
    except Exception as exc:  # trafilatura raises a wide range on hostile markup
        logger.warning("extraction failed: %s", exc, extra={"url": url})
        return ""
    return clean_text(getattr(document, "text", None) or "") if document is not None else ""


def _article_text(tree: lxml.html.HtmlElement, url: str) -> str:
    """trafilatura's balanced mode, with its fallback comparison run only where it can help.

    The comparison (readability and jusText beside the main extractor) is a third of
    trafilatura's time. On the 198 annotated pages of the shared fixtures, running it only
    when the fast path's text does not read like prose (10 % of pages) scores token F1
    0.955 against 0.952 for always, with the same 40 of 44 wanted snippets found and 6 of
    54 boilerplate snippets leaked; the fast path alone found 36 and leaked 8 (it lost the
    article on spiegel.de and returned rnz.de's menu).
    """
    text = _trafilatura_text(tree, url, fast=True)
    if reads_like_prose(text):
        return text
    return _trafilatura_text(tree, url, fast=False) or text


def _find_date(tree: lxml.html.HtmlElement, url: str) -> datetime | None:
    # htmldate's extensive search guesses from any date on the page; original_date=True
    # prefers the publication date over "updated" stamps. Given a tree, htmldate cleans a
    # deep copy of it, so ``tree`` is left as it was for trafilatura.
    try:
        found = find_date(
            tree,
            url=url,
            original_date=True,
            outputformat="%Y-%m-%dT%H:%M:%S%z",
            extensive_search=False,
        )
    except Exception as exc:
        logger.debug("date search failed: %s", exc, extra={"url": url})
        return None
    return _parse_date(found)


def is_article(extracted: Extracted) -> bool:
    """Whether the page held enough text to count as an extracted article."""
    return len(extracted.text) >= MIN_TEXT_CHARS
