"""A page's language as it states it: the code the analysis uses, and the name people read.

Pages state their language in ``<html lang>`` or ``og:locale`` as a BCP 47 tag, often with a
region (``fa-AF``, ``zh-TW``, ``pt_AO``) and sometimes with an ISO 639-3 or retired code
(``prs`` for Dari, ``pbt`` for Pashto, ``iw`` for Hebrew). The analysis keys its vocabulary
by the ISO 639-1 code (``topic.keywords.fa`` serves Dari, as Dari is written like Persian),
so :func:`language_code` maps the tag to it; :func:`language_name` names the language as the
page stated it, in CLDR's English ("fa-AF" is Dari, "zh-TW" Chinese).
"""

from __future__ import annotations

from functools import cache

# ISO 639-3 and retired codes a page may state -> the ISO 639-1 code of the language the
# analysis treats it as (Dari is Persian written in Afghanistan; Mandarin is Chinese).
_CODES = {
    "prs": "fa",
    "pes": "fa",
    "fas": "fa",
    "per": "fa",
    "pbt": "ps",
    "pbu": "ps",
    "pst": "ps",
    "pus": "ps",
    "urd": "ur",
    "hin": "hi",
    "ben": "bn",
    "tam": "ta",
    "tel": "te",
    "ara": "ar",
    "arb": "ar",
    "rus": "ru",
    "ukr": "uk",
    "tur": "tr",
    "zho": "zh",
    "chi": "zh",
    "cmn": "zh",
    "eng": "en",
    "iw": "he",
    "in": "id",
    "ji": "yi",
}
# Codes whose name as stated is a regional one: ``prs`` is Dari, not Persian.
_REGIONAL = {"prs": "fa_AF"}


def _parts(tag: str) -> list[str]:
    return [part for part in tag.replace("_", "-").split("-") if part]


def language_code(tag: str | None) -> str | None:
    """The ISO 639-1 code of a stated language tag: ``fa-AF`` and ``prs`` -> ``fa``, ``zh-TW`` -> ``zh``."""
    parts = _parts((tag or "").strip().lower())
    if not parts:
        return None
    return _CODES.get(parts[0], parts[0])[:16]


@cache
def language_name(tag: str | None) -> str | None:
    """The English name of a stated language: "Dari" for ``fa-AF`` and ``prs``, "Chinese" for ``zh-TW``.

    CLDR names some language and region pairs (fa_AF: Dari, en_GB: British English); other
    regions and scripts name the language alone (zh_TW: Chinese). ``None`` when unknown.
    """
    from babel import Locale  # CLDR, read once per process on the first call

    parts = _parts((tag or "").strip())
    if not parts:
        return None
    first = parts[0].lower()
    code = _CODES.get(first, first)
    english = Locale("en").languages
    regional = _REGIONAL.get(first)
    region = next((p.upper() for p in parts[1:] if len(p) == 2 and p.isalpha()), None)
    for key in (regional, f"{code}_{region}" if region else None, code):
        if key and key in english:
            return str(english[key])
    return None
