"""A synthetic news site for the crawl benchmark: realistic article pages behind RSS feeds.

Pages are generated deterministically from a seed: body text is drawn word by word from a
vocabulary with a Zipf-Mandelbrot rank distribution (function words first, then news
vocabulary, then a long tail of rarer word forms), in sentences of varying length with
names, quotes and numbers, split into paragraphs and subheads. Each page wraps its
``<article>`` in the boilerplate a real news site has: head metadata (published time,
JSON-LD, canonical link, inline CSS/JS), navigation, a "most read" box, a newsletter
box, a cookie banner and a footer. Three layouts alternate so the boilerplate is not
byte-identical across pages.

Used by ``harness.site`` (bench/crawl.py: the server process builds the site from the same seed)
and, for its text, ``harness.live_site`` (bench/soak.py).
"""

from __future__ import annotations

import html
import itertools
import json
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime


def _list(text: str, sep: str | None = None) -> list[str]:
    return text.split(sep)


FUNCTION_WORDS = _list(
    "the of and to a in that is for on was with he it as at by said from his be has have are an had not but were "
    "they who will their been this its after which would one more about also two we or new up than first last over "
    "people year when into there out other could no all some what both such her she them only while before during "
    "against between since under three because most many where any should those these our may can him then so "
    "if just still even like through while told very now back made how much well"
)

NEWS_WORDS = _list(
    "government minister talks officials president ceasefire border security agreement delegation negotiations "
    "military forces attack police country week city province spokesman statement meeting foreign ministry "
    "political party election vote parliament court judge report according region local international capital "
    "troops refugees humanitarian aid economy economic prices inflation trade market bank budget billion million "
    "percent growth investment energy oil gas power water crisis health hospital doctors patients schools students "
    "teachers children families villages residents protest protesters demonstrators opposition leader leaders "
    "administration policy reforms commission committee council ambassador envoy mediators round deal framework "
    "proposal draft demands concessions sanctions militants fighters insurgents groups group killed wounded injured "
    "civilians soldiers officers clashes violence strikes airstrike drone crossing trucks traders highway airport "
    "weather floods drought heat storm rains farmers harvest wheat rice cotton exports imports tariffs currency "
    "agency ministry's district authorities sources analysts experts observers journalists media newspaper television "
    "broadcast interview conference summit visit accord treaty monitoring mechanism verification joint working "
    "technical level senior junior deputy chief former current next previous early late recent major minor key "
    "significant serious difficult important possible likely unclear open closed public private national regional "
    "federal provincial municipal rural urban northern southern eastern western central tribal historic long short"
)

SYLLABLES = _list(
    "ka ro mi ten sha vol dri qu an el or is un bra ste gor lin pa ve zu mar tel os ri na de po ga li hu "
    "ber cor dan fen gil han jor kel lum mer nor pel ras sol tur var wen yar zel"
)

PEOPLE = _list(
    "Ahmed Khan|Maria Lopez|Hakan Demir|Fatima Noor|John Carter|Amina Yusuf|Ibrahim Kalin|Sara Ahmadi|Omar Farooq|"
    "Li Wei|Elena Petrova|David Cohen|Zainab Hassan|Mehmet Yilmaz|Grace Otieno|Rahul Mehta|Nadia Karimi|Tom Becker|"
    "Ayesha Siddiqui|Pedro Alves|Yusuf Ali|Hannah Schmidt|Bilal Qureshi|Leyla Aksoy",
    "|",
)
PLACES = _list(
    "Istanbul|Kabul|Islamabad|Doha|Geneva|Ankara|Peshawar|Kandahar|Brussels|Nairobi|Karachi|Lahore|Quetta|Herat|"
    "Jalalabad|Torkham|Chaman|Tehran|Riyadh|Cairo|Beijing|Moscow|Washington|London",
    "|",
)
ORGS = _list(
    "the United Nations|the foreign ministry|the interior ministry|the Red Crescent|the World Bank|the central bank|"
    "the election commission|the supreme court|the chamber of commerce|the border authority|the health ministry|"
    "the army's media wing|the mediation team|the national assembly",
    "|",
)
# On-topic pages follow storylines about the project's topic (config.yaml: Pakistan–Afghanistan
# talks): both sides named in the headline and lede, a place of the topic, and words of their
# own that recur across the storyline's articles, so relevance, event and story code get work.
PARTY_PAIRS = [
    ("Pakistan", "Afghanistan"),
    ("Pakistan", "the Afghan Taliban"),
    ("Pakistan", "the Taliban"),
    ("Pakistan", "the TTP"),
    ("Pakistan", "the Islamic Emirate"),
]
TOPIC_PLACES = [
    "Torkham",
    "Chaman",
    "Kurram",
    "Bajaur",
    "North Waziristan",
    "Spin Boldak",
    "Khyber",
    "Doha",
    "Istanbul",
]
TOPIC_WORDS = ["ceasefire", "truce", "talks", "border", "crossing", "trade", "delegation", "mediators", "clashes"]
SECTIONS = ["world", "politics", "business", "region", "security", "economy", "society", "opinion"]
SITE_NAMES = ["The Daily Ledger", "Frontier Times", "The Evening Post"]
BASE_TIME = datetime(2025, 11, 7, 12, 0, tzinfo=UTC)


def _vocabulary(rng: random.Random, tail: int = 6000) -> tuple[list[str], list[float]]:
    """Word list in rank order and its cumulative Zipf-Mandelbrot weights."""
    words = list(dict.fromkeys(FUNCTION_WORDS + NEWS_WORDS))
    seen = set(words)
    while len(words) < len(FUNCTION_WORDS) + len(NEWS_WORDS) + tail:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 2, 3, 3, 3, 4))))
        if word not in seen:
            seen.add(word)
            words.append(word)
    weights = [1.0 / (rank + 2.7) ** 1.08 for rank in range(len(words))]
    return words, list(itertools.accumulate(weights))


@dataclass
class Storyline:
    sides: tuple[str, str]
    place: str
    people: list[str]
    words: list[str]
    stem: list[str]


class TextGen:
    """Sentences, paragraphs and headlines from a seeded vocabulary."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.words, self.cum = _vocabulary(random.Random(12345))
        # Content words only, for headlines.
        self.content = [w for w in self.words if w not in set(FUNCTION_WORDS)][:2500]
        # Set while writing an on-topic page.
        self.storyline: Storyline | None = None

    def new_storyline(self) -> Storyline:
        rng = self.rng
        own = rng.sample(self.content[300:2500], 25) + rng.sample(TOPIC_WORDS, 4)
        return Storyline(
            sides=rng.choice(PARTY_PAIRS),
            place=rng.choice(TOPIC_PLACES),
            people=rng.sample(PEOPLE, 2),
            words=own,
            stem=rng.sample(own, 4),
        )

    def _words(self, n: int) -> list[str]:
        return self.rng.choices(self.words, cum_weights=self.cum, k=n)

    def sentence(self) -> str:
        rng = self.rng
        n = max(5, min(42, int(rng.gauss(19, 7))))
        words = self._words(n)
        story = self.storyline
        for i in range(len(words)):
            roll = rng.random()
            if story is not None and roll < 0.08:
                words[i] = rng.choice(story.words)
                continue
            if story is not None and roll < 0.09:
                words[i] = rng.choice((*story.sides, story.place))
                continue
            if roll < 0.05:
                words[i] = rng.choice(PLACES)
            elif roll < 0.07:
                words[i] = str(rng.choice((rng.randint(2, 99), rng.randint(100, 9999))))
            elif roll < 0.08:
                words[i] = rng.choice(ORGS)
            elif roll < 0.14 and i < len(words) - 1:
                words[i] += ","
        text = " ".join(words).rstrip(",")
        text = text[0].upper() + text[1:]
        kind = rng.random()
        if kind < 0.12:
            speaker = rng.choice(story.people if story is not None else PEOPLE)
            return f"\u201c{text},\u201d {speaker} said."
        if kind < 0.18:
            return f"According to {rng.choice(ORGS)}, {text[0].lower() + text[1:]}."
        return text + rng.choice(".........?!")

    def paragraph(self) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(2, 6)))

    def headline(self, lo: int = 6, hi: int = 12) -> str:
        rng = self.rng
        story = self.storyline
        if story is not None:
            extra = [rng.choice(self.content[:600]) for _ in range(rng.randint(1, 4))]
            words = rng.sample(story.stem, 3) + extra
            rng.shuffle(words)
            return f"{story.sides[0]} and {story.sides[1]} {' '.join(words)} in {story.place}"
        words = [rng.choice(self.content[:600]) for _ in range(rng.randint(lo, hi))]
        if rng.random() < 0.6:
            words.insert(rng.randint(0, len(words)), rng.choice(PLACES))
        return " ".join(words).capitalize()


@dataclass
class Page:
    path: str
    title: str
    html: bytes
    summary: str
    published: datetime
    author: str
    text_chars: int
    section: str
    on_topic: bool = False


@dataclass
class Site:
    generation: int
    base: str
    storylines: int = 0
    pages: list[Page] = field(default_factory=list)
    feeds: dict[str, bytes] = field(default_factory=dict)  # path -> RSS document

    def manifest(self) -> dict[str, list[str]]:
        return {
            "feeds": [self.base + path for path in self.feeds],
            "articles": [self.base + page.path for page in self.pages],
        }


_STYLE = (
    "<style>body{font-family:Georgia,serif;margin:0;color:#222}.site-header{background:#111;color:#fff;padding:8px}"
    ".nav a{color:#eee;margin:0 6px;text-decoration:none}.container{max-width:1100px;margin:auto;display:flex}"
    ".main{flex:3}.sidebar{flex:1;padding:12px;border-left:1px solid #ddd}.byline{color:#666;font-size:.9em}"
    "figure{margin:1em 0}figcaption{font-size:.8em;color:#555}.cookie{position:fixed;bottom:0;background:#ffd}"
    ".footer{background:#eee;padding:20px;font-size:.8em}.most-read li{margin:4px 0}.newsletter{border:1px solid #ccc}"
    "</style>"
)
_SCRIPT = (
    "<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}gtag('js',new Date());"
    "gtag('config','G-XXXXXXX');(function(){var s=document.createElement('script');s.async=true;"
    "s.src='/static/ads.js';document.head.appendChild(s)})();</script>"
)


def _nav(site_name: str) -> str:
    links = "".join(f'<a href="/{s}/">{s.capitalize()}</a>' for s in SECTIONS)
    extra = "".join(f'<a href="/{x}/">{x}</a>' for x in ("video", "podcasts", "live", "weather", "markets", "sport"))
    return (
        f'<header class="site-header"><div class="logo"><a href="/">{site_name}</a></div>'
        f'<nav class="nav" aria-label="Sections">{links}{extra}</nav>'
        '<form class="search" action="/search"><input name="q" placeholder="Search"><button>Go</button></form>'
        '<a class="subscribe" href="/subscribe">Subscribe</a> <a href="/login">Sign in</a></header>'
    )


def _footer(site_name: str) -> str:
    cols = []
    for heading, items in (
        ("Sections", SECTIONS),
        ("About", ["about-us", "contact", "careers", "advertise", "ethics"]),
        ("Legal", ["privacy", "terms", "cookies", "accessibility"]),
    ):
        links = "".join(f'<li><a href="/{i}">{i.replace("-", " ").capitalize()}</a></li>' for i in items)
        cols.append(f"<div class='col'><h4>{heading}</h4><ul>{links}</ul></div>")
    return (
        f'<footer class="footer">{"".join(cols)}<p>&copy; 2025 {site_name}. All rights reserved. '
        "No part of this site may be reproduced without permission.</p></footer>"
        '<div class="cookie" id="cookie-banner"><p>We use cookies to improve your experience and to show '
        'relevant advertising. <a href="/cookies">Learn more</a></p><button>Accept all</button>'
        "<button>Manage settings</button></div>"
    )


def _article_html(
    gen: TextGen,
    page_no: int,
    title: str,
    path: str,
    published: datetime,
    author: str,
    section: str,
    site_name: str,
    related: list[tuple[str, str]],
) -> tuple[str, str, int]:
    """The page, the summary (lead) and the article text length."""
    rng = gen.rng
    target = rng.randint(4000, 8000)
    parts: list[str] = []
    chars = 0
    lead = gen.paragraph()
    if gen.storyline is not None:
        sides, place = gen.storyline.sides, gen.storyline.place
        lead = f"Officials from {sides[0]} and {sides[1]} met in {place} on {published:%A}. {lead}"
    parts.append(f'<p class="lead"><strong>{html.escape(lead)}</strong></p>')
    chars += len(lead)
    n = 1
    while chars < target:
        if n % rng.randint(3, 5) == 0:
            head = gen.headline(3, 7)
            parts.append(f"<h2>{html.escape(head)}</h2>")
            chars += len(head)
        para = gen.paragraph()
        roll = rng.random()
        if roll < 0.06:
            parts.append(f"<blockquote><p>{html.escape(para)}</p></blockquote>")
        else:
            parts.append(f"<p>{html.escape(para)}</p>")
        chars += len(para)
        if roll > 0.93:
            parts.append(
                f'<figure><img src="/img/{page_no}-{n}.jpg" alt="" width="800" height="450">'
                f"<figcaption>{html.escape(gen.headline(5, 9))}. Photo: Agency</figcaption></figure>"
            )
        elif roll > 0.88 and related:
            rel_path, rel_title = rng.choice(related)
            parts.append(f'<p class="read-more">Read more: <a href="{rel_path}">{html.escape(rel_title)}</a></p>')
        n += 1
    iso = published.isoformat()
    human = published.strftime("%d %B %Y, %H:%M")
    title_e = html.escape(title)
    summary = lead[:300]
    json_ld = json.dumps(
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": title,
            "datePublished": iso,
            "dateModified": (published + timedelta(minutes=rng.randint(5, 300))).isoformat(),
            "author": [{"@type": "Person", "name": author}],
            "publisher": {"@type": "Organization", "name": site_name},
            "articleSection": section,
        }
    )
    head = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title_e} | {site_name}</title>"
        f'<meta name="description" content="{html.escape(summary[:160])}">'
        f'<meta property="og:title" content="{title_e}"><meta property="og:type" content="article">'
        f'<meta property="article:published_time" content="{iso}">'
        f'<meta property="article:section" content="{section}">'
        f'<meta name="author" content="{html.escape(author)}">'
        f'<link rel="canonical" href="{path}">'
        f'<link rel="stylesheet" href="/static/site.css">{_STYLE}'
        f'<script type="application/ld+json">{json_ld}</script>{_SCRIPT}</head>'
    )
    byline = (
        f'<div class="byline">By <a rel="author" href="/authors/{author.lower().replace(" ", "-")}">{author}</a> '
        f'<time datetime="{iso}">{human}</time></div>'
    )
    share = (
        '<div class="share"><a href="/share/fb">Facebook</a><a href="/share/x">X</a>'
        '<a href="/share/wa">WhatsApp</a><a href="/share/mail">Email</a></div>'
    )
    body = "".join(parts)
    tags = "".join(f'<a href="/tag/{w}">{w}</a>' for w in rng.sample(gen.content[:300], 5))
    most_read = "".join(f'<li><a href="{p}">{html.escape(t)}</a></li>' for p, t in related[:10])
    sidebar = (
        f'<aside class="sidebar"><section class="most-read"><h3>Most read</h3><ol>{most_read}</ol></section>'
        '<section class="newsletter"><h3>Get the morning briefing</h3><p>The day\'s top stories in your inbox '
        'every morning.</p><form><input type="email" placeholder="Email"><button>Sign up</button></form></section>'
        '<div class="ad" data-slot="sidebar-1">Advertisement</div></aside>'
    )
    layout = page_no % 3
    if layout == 0:
        article = (
            f'<article class="story"><header><p class="kicker">{section.capitalize()}</p><h1>{title_e}</h1>'
            f'{byline}</header>{share}<div class="story-body">{body}</div>'
            f'<div class="tags">Topics: {tags}</div></article>'
        )
        main = f'<div class="container"><main class="main">{article}</main>{sidebar}</div>'
    elif layout == 1:
        article = (
            f'<article itemscope itemtype="https://schema.org/NewsArticle"><h1 itemprop="headline">{title_e}</h1>'
            f'{byline}<div itemprop="articleBody" class="article-content">{body}</div>{share}'
            f'<footer class="article-footer"><div class="tags">{tags}</div></footer></article>'
        )
        main = f'<div class="container">{sidebar}<main id="content" class="main">{article}</main></div>'
    else:
        article = (
            f'<div class="breadcrumbs"><a href="/">Home</a> &gt; <a href="/{section}/">{section}</a></div>'
            f'<article class="post"><div class="post-header"><h1 class="entry-title">{title_e}</h1>{byline}</div>'
            f'<div class="entry-content">{body}</div></article>'
            f'<section class="comments"><h3>Comments</h3><p>Comments are closed for this story.</p></section>'
        )
        main = f'<div class="container"><div class="main" role="main">{article}</div>{sidebar}</div>'
    page = f"{head}<body>{_nav(site_name)}{main}{_footer(site_name)}</body></html>"
    return page, summary, chars


def _rss(site: Site, name: str, pages: list[Page], site_name: str) -> bytes:
    items = []
    for page in pages:
        url = html.escape(site.base + page.path)
        items.append(
            f"<item><title>{html.escape(page.title)}</title><link>{url}</link>"
            f'<guid isPermaLink="true">{url}</guid><pubDate>{format_datetime(page.published)}</pubDate>'
            f"<dc:creator>{html.escape(page.author)}</dc:creator>"
            f"<category>{page.section}</category><description>{html.escape(page.summary)}</description></item>"
        )
    newest = max((p.published for p in pages), default=BASE_TIME)
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>'
        f"<title>{site_name}: {name}</title><link>{site.base}/</link><description>Latest stories</description>"
        f"<language>en</language><lastBuildDate>{format_datetime(newest)}</lastBuildDate>"
        + "".join(items)
        + "</channel></rss>"
    ).encode("utf-8")


def build_site(base: str, generation: int, pages: int, feeds: int, seed: int = 2025, on_topic: float = 0.3) -> Site:
    """Generation ``generation`` of the site: ``pages`` articles spread over ``feeds`` RSS feeds.

    A share ``on_topic`` of the pages follows storylines of the topic (about 15 pages each,
    a few running at any time); the rest is general news. Different generations have
    different URLs and different text.
    """
    gen = TextGen(seed * 1000 + generation)
    rng = gen.rng
    site = Site(generation=generation, base=base)
    topical = set(rng.sample(range(pages), round(pages * on_topic)))
    storylines = [gen.new_storyline() for _ in range(max(1, round(len(topical) / 15)))]
    # Articles are numbered newest first, 7 minutes apart: storyline k runs around article
    # k * pages / len(storylines), so about three are active at a time.
    span = pages / len(storylines)
    story_of = {
        i: storylines[min(len(storylines) - 1, max(0, int(i / span) + rng.randint(-1, 1)))] for i in sorted(topical)
    }
    titles = []
    for i in range(pages):
        gen.storyline = story_of.get(i)
        titles.append(gen.headline())
    gen.storyline = None
    site.storylines = len(storylines)
    paths = []
    for i, title in enumerate(titles):
        section = SECTIONS[i % len(SECTIONS)]
        published = BASE_TIME - timedelta(minutes=7 * i + rng.randint(0, 6))
        slug = "-".join(title.lower().split()[:6])
        paths.append((f"/{section}/{published:%Y/%m/%d}/{slug}-g{generation}n{i:05d}.html", section, published))
    for i, (title, (path, section, published)) in enumerate(zip(titles, paths, strict=True)):
        site_name = SITE_NAMES[i % len(SITE_NAMES)]
        author = rng.choice(PEOPLE)
        related = [(paths[j][0], titles[j]) for j in rng.sample(range(pages), min(10, pages))]
        gen.storyline = story_of.get(i)
        page_html, summary, chars = _article_html(gen, i, title, path, published, author, section, site_name, related)
        gen.storyline = None
        site.pages.append(
            Page(path, title, page_html.encode("utf-8"), summary, published, author, chars, section, i in story_of)
        )
    for k in range(feeds):
        members = site.pages[k::feeds]
        site.feeds[f"/feeds/g{generation}/feed{k:02d}.xml"] = _rss(site, f"feed {k}", members, SITE_NAMES[k % 3])
    return site
