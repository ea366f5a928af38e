"""The tree extract() parses and hands to trafilatura (crawler/analysis/extract.py): parsed from
UTF-8, without the elements trafilatura never reads, with what it does read kept."""

from __future__ import annotations

import json

import lxml.html
import pytest

from crawler.analysis.extract import _drop_unread_elements, _parse, extract

_SENTENCE = "The talks resumed in Istanbul on Thursday after a week of clashes along the border. "


def test_unread_elements_go_and_their_tail_text_stays():
    tree = lxml.html.fromstring(
        "<html><head><meta charset='utf-8'><link rel='stylesheet' href='/a.css'><style>p{}</style>"
        '<script type="application/ld+json">{"@type": "NewsArticle"}</script></head>'
        "<body><p>before<svg><path d='M0'/><use href='#i'/></svg>after the icon"
        "<script>var x = 1;</script>after the script<meta itemprop='x' content='y'>after the meta</p>"
        "<noscript><p>no script</p></noscript><template><p>template</p></template></body></html>"
    )
    _drop_unread_elements(tree)
    tags = {element.tag for element in tree.iter()}
    assert not tags & {"svg", "path", "use", "style", "link", "meta"}
    # The JSON-LD script stays (trafilatura reads it), no other script does.
    assert [s.get("type") for s in tree.iter("script")] == ["application/ld+json"]
    assert tree.find("body/p").text_content() == "beforeafter the iconafter the scriptafter the meta"
    # jusText keeps <noscript>'s text, trafilatura <template>'s: both stay.
    assert {"noscript", "template"} <= tags


def test_a_fragment_that_is_one_unread_element_is_left_as_it_is():
    tree = lxml.html.fromstring("<svg><path d='M0'/></svg>")
    _drop_unread_elements(tree)
    assert tree.tag == "svg"
    assert extract("<svg><path d='M0'/></svg>", "https://ex.com/a").text == ""


def test_article_body_only_in_json_ld_is_still_found():
    # trafilatura's baseline takes the JSON-LD articleBody when the page shows too little
    # text: the JSON-LD script must reach it.
    body = _SENTENCE * 12
    ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "articleBody": body})
    html = (
        f'<html><head><title>Talks</title><script type="application/ld+json">{ld}</script></head>'
        "<body><div id='app'><p>Loading</p></div></body></html>"
    )
    assert "Istanbul on Thursday" in extract(html, "https://ex.com/news/talks").text


@pytest.mark.parametrize(
    "prologue",
    [
        '<meta charset="windows-1251">',
        '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">',
        '<?xml version="1.0" encoding="iso-8859-1"?>',
    ],
    ids=["meta-charset", "http-equiv", "xml-declaration"],
)
def test_text_is_read_as_decoded_whatever_charset_the_page_declares(prologue):
    # The page arrives decoded; its UTF-8 bytes are what the parser reads, not what it declares.
    sentence = "Переговоры возобновились в Стамбуле в четверг после недели столкновений — ü é. "
    html = f"{prologue}<html><head><title>Т</title></head><body><article><p>{sentence * 10}</p></article></body></html>"
    result = extract(html, "https://ex.com/news/talks")
    assert sentence.strip() in result.text
    assert result.language == "ru"


def test_a_lone_surrogate_does_not_stop_the_parse():
    tree = _parse("<html><body><p>before \ud800 after</p></body></html>")
    assert tree.findtext(".//p").startswith("before")
