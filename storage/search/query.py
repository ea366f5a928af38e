"""The archive's search query language: parsed here, compiled to FTS5 MATCH and to tsquery.

User text never reaches MATCH or to_tsquery as it was typed: it is parsed into a small
tree and compiled, every word quoted, so a stray ``"``, ``*``, ``NEAR(`` or ``:`` can only
produce a :class:`QueryError` with a message, never an SQL error.

Syntax (see docs/cli.md, "Search"):

* ``talks istanbul`` - every word must appear (title or text), in any order;
* ``"third round"`` - a phrase: the words next to each other, in this order;
* ``negotiat*`` - a prefix (at least two letters); ``"third rou"*`` is a phrase whose last word is a prefix;
* ``ceasefire OR truce`` - either; ``OR`` binds tighter than the implicit AND, so
  ``taliban talks OR negotiations`` is taliban AND (talks OR negotiations);
* ``-cricket`` - exclude articles with this word (or ``-"phrase"``).

Words are runs of letters, digits and combining marks in any script (what SQLite's
``unicode61`` tokenizer is configured to keep together, and what PostgreSQL's parser keeps
after the separators in :data:`PG_SEPARATORS`), so ``al-Qaeda`` or ``dawn.com`` is searched as
the phrase of its parts on both backends. Matching is case-insensitive in every script and
exact otherwise: no stemming (``talk`` does not find ``talks``: use ``talk*``) and diacritics
count (``Turkiye`` does not find ``Türkiye``).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

# Characters PostgreSQL's text-search parser would glue words with (hyphenated words, hosts,
# e-mail addresses, URLs, paths, signed and decimal numbers, XML tags and entities); the
# tsvector is built from the text with these turned into spaces, so PostgreSQL splits words
# where SQLite's unicode61 tokenizer does. Used by migration 0004 (keep them in sync).
PG_SEPARATORS = "-+./:@_<>&#=?%~\\"

# Operators of other search syntaxes that a user may try; we say what to write instead.
_UNSUPPORTED_WORDS = {
    "AND": "words are all required already: leave AND out",
    "NOT": "write -word to exclude a word",
    "NEAR": 'write the words as a "quoted phrase" instead',
}
MIN_PREFIX = 2


class QueryError(ValueError):
    """Raised by :func:`parse_query` for a query it cannot read; the message says what to fix.

    The CLI turns it into exit code 2; the HTTP API into a 400.
    """


@dataclass(frozen=True)
class Term:
    """One word or phrase: ``tokens`` in order, the last one a prefix when ``prefix`` is set."""

    tokens: tuple[str, ...]
    prefix: bool = False


@dataclass(frozen=True)
class Clause:
    """Alternatives joined by OR; an excluded clause (``-word``) has exactly one."""

    terms: tuple[Term, ...]
    excluded: bool = False


@dataclass(frozen=True)
class Query:
    """A parsed query: every included clause must match, no excluded one may."""

    clauses: tuple[Clause, ...]

    @property
    def included(self) -> list[Clause]:
        """The clauses an article must match."""
        return [c for c in self.clauses if not c.excluded]

    @property
    def excluded(self) -> list[Clause]:
        """The clauses an article must not match."""
        return [c for c in self.clauses if c.excluded]


def is_token_char(char: str) -> bool:
    """Letters, digits, combining marks and private-use characters make up words.

    The same categories as the FTS5 tokenizer's ``categories 'L* N* Co M*'``: marks are kept
    inside words because Devanagari vowel signs and Arabic harakat are part of the word.
    """
    category = unicodedata.category(char)
    return category[0] in "LNM" or category == "Co"


def tokens_of(text: str) -> list[str]:
    """``text`` split into words (runs of :func:`is_token_char` characters)."""
    words: list[str] = []
    current: list[str] = []
    for char in text:
        if is_token_char(char):
            current.append(char)
        elif current:
            words.append("".join(current))
            current = []
    if current:
        words.append("".join(current))
    return words


@dataclass
class _Lexeme:
    """A chunk of the query: a bare word, a quoted phrase, or OR."""

    kind: str  # word | phrase | or
    text: str
    excluded: bool = False
    prefix: bool = False


def _lex(text: str) -> list[_Lexeme]:
    lexemes: list[_Lexeme] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char.isspace():
            i += 1
            continue
        excluded = False
        if char == "-" and i + 1 < n and not text[i + 1].isspace():
            excluded = True
            i += 1
            char = text[i]
        if char == '"':
            end = text.find('"', i + 1)
            if end < 0:
                raise QueryError('unbalanced quote: a "phrase" needs a closing quote')
            prefix = end + 1 < n and text[end + 1] == "*"
            lexemes.append(_Lexeme("phrase", text[i + 1 : end], excluded, prefix))
            i = end + (2 if prefix else 1)
            continue
        start = i
        while i < n and not text[i].isspace() and text[i] != '"':
            i += 1
        chunk = text[start:i]
        if "(" in chunk or ")" in chunk:
            raise QueryError("parentheses are not supported: words are all required, and OR joins the words beside it")
        if chunk == "OR" and not excluded:
            lexemes.append(_Lexeme("or", chunk))
            continue
        if chunk in _UNSUPPORTED_WORDS and not excluded:
            raise QueryError(f"{chunk} is not an operator here: {_UNSUPPORTED_WORDS[chunk]}")
        prefix = chunk.endswith("*")
        body = chunk.rstrip("*") if prefix else chunk
        if "*" in body:
            raise QueryError(f"'*' marks a prefix and goes at the end of a word, as in negotiat* (got {chunk!r})")
        lexemes.append(_Lexeme("word", body, excluded, prefix))
    return lexemes


def _term(lexeme: _Lexeme) -> Term | None:
    tokens = tuple(tokens_of(lexeme.text))
    if not tokens:
        if lexeme.prefix:
            raise QueryError("'*' needs a word before it, as in negotiat*")
        if lexeme.kind == "phrase":
            raise QueryError('empty phrase: put words between the quotes, as in "third round"')
        return None  # punctuation alone ("Pakistan - Afghanistan"): nothing to search
    if lexeme.prefix and len(tokens[-1]) < MIN_PREFIX:
        raise QueryError(f"a prefix needs at least {MIN_PREFIX} letters before '*' (got {tokens[-1]!r})")
    return Term(tokens, lexeme.prefix)


def parse_query(text: str | None) -> Query | None:
    """Parse a user's query; None when there is nothing to search for (list everything).

    Raises :class:`QueryError` for what cannot be read: an unbalanced quote, a misplaced
    ``*`` or ``OR``, parentheses, AND/NOT/NEAR, only excluded words, or no word at all.
    """
    if text is None or not text.strip():
        return None
    clauses: list[Clause] = []
    pending_or = False
    for lexeme in _lex(text):
        if lexeme.kind == "or":
            if not clauses or clauses[-1].excluded or pending_or:
                raise QueryError("OR needs a word on each side, as in ceasefire OR truce")
            pending_or = True
            continue
        term = _term(lexeme)
        if term is None:
            continue
        if pending_or:
            if lexeme.excluded:
                raise QueryError("an excluded word (-word) cannot be one side of OR")
            clauses[-1] = Clause((*clauses[-1].terms, term))
            pending_or = False
        else:
            clauses.append(Clause((term,), lexeme.excluded))
    if pending_or:
        raise QueryError("OR needs a word on each side, as in ceasefire OR truce")
    if not clauses:
        raise QueryError("the query has no word to search for (only punctuation)")
    query = Query(tuple(clauses))
    if not query.included:
        raise QueryError("the query only excludes words (-word): add a word to search for")
    return query


# --- compilers --------------------------------------------------------------------------


def _fts5_term(term: Term) -> str:
    # Tokens are letters, digits and marks only, so they never contain a double quote;
    # quoted, FTS5 reads them as strings, never as operators or column names.
    quoted = '"' + " ".join(term.tokens) + '"'
    return quoted + " *" if term.prefix else quoted


def _fts5_clause(clause: Clause) -> str:
    if len(clause.terms) == 1:
        return _fts5_term(clause.terms[0])
    return "(" + " OR ".join(_fts5_term(t) for t in clause.terms) + ")"


def to_fts5(query: Query) -> str:
    """The FTS5 MATCH expression of ``query``."""
    included = " AND ".join(_fts5_clause(c) for c in query.included)
    excluded = query.excluded
    if not excluded:
        return included
    # FTS5's NOT is binary (a NOT b): exclude the OR of every excluded clause.
    return f"({included}) NOT ({' OR '.join(_fts5_clause(c) for c in excluded)})"


def _pg_token(token: str) -> str:
    # Quoted for to_tsquery; the token has no quote or backslash, but double any anyway.
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def _pg_term(term: Term) -> str:
    parts = [_pg_token(t) for t in term.tokens]
    if term.prefix:
        parts[-1] += ":*"
    return parts[0] if len(parts) == 1 else "(" + " <-> ".join(parts) + ")"


def _pg_clause(clause: Clause) -> str:
    if len(clause.terms) == 1:
        return _pg_term(clause.terms[0])
    return "(" + " | ".join(_pg_term(t) for t in clause.terms) + ")"


def to_tsquery(query: Query) -> str:
    """The text for PostgreSQL's ``to_tsquery('simple', ...)`` of ``query``."""
    parts = [_pg_clause(c) for c in query.included]
    parts += ["!" + _pg_clause(c) for c in query.excluded]
    return " & ".join(parts)


# --- matching in Python (relevance scores) -----------------------------------------------


# Word characters for counting matches in Python (relevance scores): ``\w`` (letters, digits,
# and "_") plus the combining marks of the scripts newswatch reads (Latin diacritics,
# Arabic harakat, Devanagari signs). A short class keeps the regexes fast to compile and
# to run; a mark of another script may change a score, never which articles match.
_WORD_CLASS = (
    r"\w\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed"
    r"\u0900-\u0903\u093a-\u093c\u093e-\u094f\u0951-\u0957\u0962\u0963"
)


@functools.lru_cache(maxsize=1024)
def _term_regex(term: Term) -> re.Pattern[str]:
    word = f"[{_WORD_CLASS}]"
    gap = f"[^{_WORD_CLASS}]+"
    first, *rest = (re.escape(t.lower()) for t in term.tokens)
    tail = f"{word}*" if term.prefix and not rest else ""
    body = "".join(f"{gap}{t}" for t in rest) + (f"{word}*" if term.prefix and rest else "")
    # Starts with the literal first word, so the regex engine skips from one occurrence to
    # the next; the word boundary before it is a lookbehind written after it (a leading
    # lookbehind would be tried at every position of the text).
    return re.compile(f"{first}(?<!{word}{first}){tail}{body}(?!{word})")


def count_term(term: Term, text: str) -> int:
    """How often ``term`` occurs in lowercased ``text`` the way the full-text index matches it.

    Whole words only, a phrase's words separated by anything but word characters, the last
    word a prefix when the term is one.
    """
    return len(_term_regex(term).findall(text))
