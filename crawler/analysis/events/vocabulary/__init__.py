"""The event vocabulary, one module per language, each group tagged with its PLOVER class.

Every language module has the same names: ``OUTCOME`` and ``CLASH`` (subtype -> tagged
pattern groups, :class:`crawler.analysis.events.ontology.Group`), and the context lists
``TALKS``, ``FORCE``, ``HYPOTHETICAL``, ``RECAP``, ``PREVIEW``, and the negation particles
``NEGATION_BEFORE`` and ``NEGATION_AFTER`` (where the language puts them) that the
classifier's filters read, and ``CONCESSIVE`` ("despite"), ``REPEAT`` ("again") and ``EXCHANGE`` ("exchange of fire")
that event identity reads, and
``CASUALTY``, the words casualty figures are read with
(:class:`crawler.analysis.events.casualty_vocabulary.CasualtyTable`). To add a language,
add a module and list it in :data:`LANGUAGES`.
"""

from __future__ import annotations

from types import ModuleType

from crawler.analysis.events.vocabulary import ar, de, en, es, fa, fr, hi, ps, pt, ru, sw, tr, uk, ur

LANGUAGES: dict[str, ModuleType] = {
    "en": en,
    "ur": ur,
    "ps": ps,
    "fa": fa,
    "hi": hi,
    "fr": fr,
    "sw": sw,
    "ar": ar,
    "ru": ru,
    "uk": uk,
    "es": es,
    "de": de,
    "tr": tr,
    "pt": pt,
}
# Languages written with spaces between words and few attached particles: whole-word matches
# (the inflected ones give their endings as ``\w*``, Turkish its suffixes, German its compounds' heads).
WORD_BOUNDED = frozenset({"en", "fr", "ru", "uk", "es", "de", "tr", "pt"})
