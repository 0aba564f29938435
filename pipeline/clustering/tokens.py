"""One tokenising pass over an article, split into content words, entity terms and years.

The word lists say which tokens are function words (never terms) and which capitalised words are
almost never names; the scan is the hot loop of feature extraction, so it classifies each distinct
token form once.
"""
from __future__ import annotations

import functools
import re
from collections import Counter
from itertools import chain

from ..languages import language_stopwords
from ..scripts import WORD_MARKS
from .dates import MONTHS, YEAR_RE

STOPWORDS = frozenset(
    """a about above after again against all also am an and any are aren as at be because been before
    being below between both but by can could did do does doing down during each few for from further
    had has have having he her here hers herself him himself his how i if in into is it its itself just
    me more most my myself no nor not now of off on once only or other our ours ourselves out over own
    same she should so some such than that the their theirs them themselves then there these they this
    those through to too under until up very was we were what when where which while who whom why will
    with would you your yours yourself yourselves said says say told according new one two three also
    would could may might must shall us mr mrs ms dr s t ll re ve d m o don didn doesn isn wasn weren won
    wouldn couldn shouldn hasn haven hadn via per among amid within without across around since still
    yet ago last first next year years day days week weeks month months time times today yesterday
    tomorrow tonight people including well like get got make made many much even back way just
    however according told reported report reports reporting article news read more share""".split()
)

WEEKDAYS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun".split()
)
# Capitalised words that are almost never names (headline/sentence starters, titles).
NOT_ENTITIES = STOPWORDS | WEEKDAYS | frozenset(MONTHS) | frozenset(
    """president minister prime chairman secretary general state states government city county police
    officials official sources source spokesman spokeswoman spokesperson chief head leader leaders
    north south east west northern southern eastern western central new update updated breaking live
    photo video image images getty reuters ap afp copyright related advertisement subscribe sign login
    summary previous next click here comments comment""".split()
)

TOKEN_RE = re.compile(r"\w+")
# Leftover furniture / citation markers: "[1]", "[1, 2, 3]".
CITATION_RE = re.compile(r"\[\s*\d+(?:\s*,\s*\d+)*\s*\]")
# One pass of one compiled regex: words (letters, and the combining marks within them: Hindi
# "हिन्दी" is one word, not "ह", "न", "द"), numbers (with decimals / score dashes), and the
# punctuation that starts a new sentence. Letters come first in a word; marks never start one.
TOK = re.compile(r"[^\W\d_]+(?:[" + WORD_MARKS + r"]+[^\W\d_]*)*|\d+(?:[.,]\d+)*(?:[-–]\d+)?|[.!?\n\"“”:;|]")
# The same pattern for ASCII text, spelt in ASCII ranges: there "[^\W\d_]" is "[a-zA-Z]", "\d" is
# "[0-9]", and the combining marks and the non-ASCII literals cannot match, so the tokens are the
# same; the engine checks ranges faster than its category classes (77 -> 70 us per bench article).
_TOK_ASCII = re.compile(r"[a-zA-Z]+|[0-9]+(?:[.,][0-9]+)*(?:-[0-9]+)?|[.!?\n\":;|]")
_PUNCT = frozenset(".!?\n\"“”:;|")
NUM_PREFIX = "#"  # prefix of number entities


def clean_text(text: str) -> str:
    return CITATION_RE.sub(" ", text or "")



def stem(tok: str) -> str:
    """Very light, deterministic suffix folding (plural/possessive)."""
    if len(tok) > 4:
        if tok.endswith("ies"):
            return tok[:-3] + "y"
        if tok.endswith("s") and not tok.endswith(("ss", "us", "is")):
            return tok[:-1]
    return tok



def scan(text: str, words: Counter, ents: Counter, years: Counter, w: float, capmid: set,
         stop: frozenset = STOPWORDS, names: frozenset | None = None, shortest: int = 3):
    """Tokenise once; split into content words and entity terms. -> (tokens in order, hyphen number seen).

    ``stop`` are the function words, never terms: ours, plus the stop list of the article's
    language when it is not English (``stop_words``). ``names``, when given, are the only words that
    can be entity terms: in German every noun is capitalised, so there the names the event facts
    found decide (``fact_name_words``), and other capitalised words are content words.
    ``shortest`` is the length of the shortest content word: 3 letters, or 2 for Chinese, Japanese
    and Korean, whose two characters say what a word of five letters does.

    An entity term is a token capitalised mid-sentence, or capitalised at a sentence start
    when the same word is capitalised mid-sentence elsewhere in the document; multi-digit
    numbers (scores, ages, amounts) are entity terms too. Years are counted apart.
    Each distinct token form is classified once (a form's class does not depend on where it
    occurs once ``capmid`` is known), in first-occurrence order, numbers before words, so the
    counters get the same keys in the same order as a per-token pass would give them.
    """
    raw = (_TOK_ASCII if text.isascii() else TOK).findall(text)
    punct = _PUNCT
    capmid.update([t.lower() for prev, t in zip(chain(("\n",), raw), raw) if t[0].isupper() and prev not in punct])
    if names is not None:
        capmid.intersection_update(names)
    terms = [t for t in raw if t not in punct]
    forms = Counter(terms)
    hyphen = False
    letters = []
    for t, n in forms.items():
        if t[0].isdigit():
            if len(t) == 4 and YEAR_RE.fullmatch(t):
                years[t] += n
            else:
                if "-" in t:
                    hyphen = True
                if len(t) >= 2:
                    _add(ents, NUM_PREFIX + t.lower(), w, n)
        else:
            letters.append((t, n))
    noe = NOT_ENTITIES
    if w == 1.0:  # the common case, inlined (integer sums equal n additions of 1.0; dict.get spares
        # Counter's Python-level __missing__ on every new key)
        ents_get, words_get = ents.get, words.get
        for t, n in letters:
            low = t.lower()
            if low in stop or len(low) < 2:
                continue
            if low in capmid and t[0].isupper() and low not in noe:
                ents[low] = ents_get(low, 0) + n
            elif len(low) >= shortest:
                words[low] = words_get(low, 0) + n
        return terms, hyphen
    for t, n in letters:
        low = t.lower()
        if low in stop or len(low) < 2:
            continue
        if low in capmid and t[0].isupper() and low not in noe:
            _add(ents, low, w, n)
        elif len(low) >= shortest:
            _add(words, low, w, n)
    return terms, hyphen


def fact_name_words(facts: dict) -> frozenset[str]:
    """The lower-cased words of the people, places, organisations and other names in event facts."""
    out = set()
    for group in (facts.get("entities") or {}).values():
        for name, _, aliases in group:
            for alias in (name, *aliases):
                out.update(alias.lower().split())
    return frozenset(out)


@functools.lru_cache(maxsize=64)
def stop_words(language: str | None) -> frozenset[str]:
    """Function words for an article in ``language``: without them, an article in German shares
    "und", "der", "die" with every other German article, each at the maximal weight of a word the
    English document-frequency table does not hold (two unrelated German pages: word cosine 0.35,
    against 0.03 for English pairs)."""
    extra = language_stopwords(language)
    return STOPWORDS | extra if extra else STOPWORDS


def _add(counter: Counter, key: str, w: float, n: int) -> None:
    """counter[key] += w, n times (exactly as n separate additions would round)."""
    if w == 1.0:
        counter[key] += n
    else:
        v = counter[key]
        for _ in range(n):
            v += w
        counter[key] = v



def tokens_for_df(text: str) -> set[str]:
    """The term set used to build the shipped document-frequency table."""
    return {t.lower() for t in TOK.findall(clean_text(text)) if not t[0] in _PUNCT and not t[0].isdigit()}
