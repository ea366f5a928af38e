"""What a language's vocabulary gives to read casualty figures: one :class:`CasualtyTable` each.

Every language module of :mod:`crawler.analysis.events.vocabulary` ends with a ``CASUALTY``
table: the nouns for the forces, civilians and militants a report counts, the verbs and
participles that say they were killed or injured, the number words, and where the figure
stands. :mod:`crawler.analysis.events.fields` builds the same three sentence shapes from
every table, so a language is added as data, not code:

* figure, noun, verb: "12 soldiers were killed", "12 soldats tués", "۱۲ نظامی کشته شدند";
* verb, figure, noun: "killing 12 soldiers", "مقتل 12 جنديا", "погибли 12 военных";
* noun, figure, verb where the figure follows the noun: Swahili "wanajeshi 12 waliuawa".

Patterns are regular-expression alternations, matched case-insensitively; the figure may be
written in any script's digits (Python reads every Unicode decimal digit).
"""

from __future__ import annotations

from dataclasses import dataclass

# A word between the figure and the noun, or between the noun and the verb: a letter, then
# anything but spaces, digits and punctuation, so a figure never crosses a clause (nor a
# dash), and Devanagari's vowel signs (which Python's \w leaves out) stay inside their word.
WORD = r"[^\W\d_][^\s\d.,;:!?()\[\]«»\"“”„،؛۔।]*"
# Digits of any script, with thousands grouped by a comma, a dot, the Arabic separator or a
# space (plain, no-break, narrow): "1,200", "1.200", "١٬٢٠٠", "1 200", "250 000".
DIGITS = r"\d{1,3}(?:[,.\u066c \u00a0\u202f]\d{3})+(?!\d)|\d+"


@dataclass(frozen=True)
class CasualtyTable:
    """One language's words for casualty figures (all patterns are alternations)."""

    # Who was hit, by kind: the forces of a side (soldiers, police), civilians, militants.
    forces: str
    civilians: str
    militants: str
    # Said after the noun: "were killed", "tués", "کشته شدند", "मारे गए".
    killed: str
    injured: str
    # Said before the figure: "killing", "مقتل", "погибли", "murieron".
    killing: str
    injuring: str
    # Cardinal words (and "dozens"-like counts) -> value.
    numbers: dict[str, int]
    # Words between the verb and a figure before it: "at least", "au moins", "не менее".
    at_least: str = ""
    # After the figure: "+" or "or more".
    more: str = r"\s*\+"
    # The figure follows the noun (Swahili "wanajeshi 12", "kuuawa kwa wanajeshi 12"), as
    # well as preceding it.
    figure_after_noun: bool = False
    # Most words between the noun and a verb after it (German ends its clause with the
    # participle: "12 Soldaten wurden bei dem Angriff getötet").
    gap: int = 3
    # A negation between the noun and the verb, or just before the figure ("none of the 12
    # soldiers was hurt", "ни один из 12 военных не пострадал"): nothing stated.
    negation: str = ""
    # The word classes between figure and noun, and noun and verb (English keeps its own).
    word: str = WORD
    gap_word: str = WORD
    adjective: str = WORD
    digits: str = DIGITS
    # What may not follow the verb: a longer word it begins ("mort" in "mortier").
    verb_end: str = r"(?![^\s\d.,;:!?()\[\]«»\"“”„،؛۔।])"
    # Killed and injured participles may stand as adjectives before the noun ("5 wounded
    # soldiers died"); elsewhere such a word ends the figure's phrase ("quatre morts civils").
    participle_adjectives: bool = False
    # Patterns and sentences are compared in crawler.analysis.text.normalise's form (case,
    # Arabic-script letter variants, diacritics folded); English reads the sentence as written.
    folded: bool = True
