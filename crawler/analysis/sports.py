"""Is a report a game's result? Sports news names rival countries together and calls a match a "clash".

A match between the topic's parties (a cricket final, a football qualifier) names both sides
in its headline and lede, and sports pages write "clash", "battle" and "attack" of a game.
What gives a sports report away in any language is the result told by its margin ("beat
Pakistan by six wickets", "पांच विकेट से हराया", "تین گول سے شکست"): war news never
measures its outcome in wickets, runs or goals.
"""

from __future__ import annotations

import re

from crawler.analysis.text import normalise

_COUNT_EN = r"(\d+|one|two|three|four|five|six|seven|eight|nine|ten|an innings and \d+)"
_COUNT_HI = r"(\d+|एक|दो|तीन|चार|पांच|पाँच|छह|सात|आठ|नौ|दस)"
_COUNT_UR = r"(\d+|ایک|دو|تین|چار|پانچ|چھ|سات|آٹھ|نو|دس)"
_MARGINS = [
    rf"\bby {_COUNT_EN} (wickets?|runs?|goals?)\b",
    rf"\b{_COUNT_EN}[- ](wicket|run|goal) (win|victory|defeat|loss)\b",
    r"\bbowled out for \d+",
    rf"{_COUNT_HI} (विकेट|रन|रनों|गोल) से",
    rf"{_COUNT_UR} (وکٹ|وکٹوں|رن|رنز|گول|گولوں) سے",
]
_MARGIN_RE = re.compile("|".join(f"(?:{normalise(p)})" for p in _MARGINS))


def reports_a_game(lede: str) -> bool:
    """Whether the headline and lede tell a game's result (a margin in wickets, runs or goals)."""
    return bool(_MARGIN_RE.search(normalise(lede)))
