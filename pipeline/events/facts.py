"""Per-article facts, computed once per article and folded into its event's state."""
from __future__ import annotations

import functools
import re
from collections import Counter
from typing import Any

from . import dates, ner
from .. import cjk
from .lexicon import STOPWORDS, WELL_KNOWN_ORGS
from ..scripts import WIDE_SCRIPT, WORD_MARKS
from ..languages import NOUNS_CAPITALISED, language_stopwords
from .text import ends_full_width, paragraphs, split_sentences, is_titlecase_line

FACTS_VERSION = 25  # 25: a word between "the" and a noun is no place ("in the Republican primary"), a town that opens a company's name is that company ("Toyota" after "Toyota Motor Corp."), birth days long before a text are no dates of it; 24: a small town whose name is a common word is no place before a noun ("Federal agents", "Olympic swimmer", "Roman Catholic"), adjectives of places ("Sicilian", "Ecuadorean") and "Mon" beside a date are none, a year before 1800 is read ("Jan. 1, 1700"), a dateline in a short line ("HANOI (AP) ..."), common three-letter words in capitals ("A MAN", "SEA - ME - WE 4") are no organisations; 23: common nouns and models in capitals are no organisations ("SUV", "AK - 47", "IE8"), state codes after a town are states ("Wasilla, AK", "N.Y."), shouted words ("POSTED", "A FIRE") are no initialisms, "the WHO", a name without its middle initial folds into the one with it; 22: person keys keep letters of any script (Cyrillic or Greek names no longer fold into one), a town that is a person's surname is that person, English contractions and possessives are no keywords ("didn't", "moon's" -> "moon"), "Dec. 30 to Jan. 2, 2024" starts in 2023; 21: a sentence that describes a photo ("pictured at", "this image of", ", left,") is no lead sentence; 20: a tagger for Cyrillic-script text (Russian, Ukrainian ...): inflected names folded, Cyrillic places; 19: a photo caption is no lead sentence ("In this Dec. 12, 2006, file photo, ..."); 18: Ukrainian dates; 17: a Japanese counter after a number is not part of the next compound ("12日午後"); 16: Korean "것으로" is "것" + "으로", not "것으"; 15: keywords keep the combining marks within words (Hindi, Bengali, Tamil ...); 14: dates in Russian, Arabic, Chinese, Japanese and Korean; 13: a capitalised stop word alone is no name in any language with a stop list ("Un", "Sur"); 12: well-known organisations for the record (named_orgs); 11: no lead sentence opening in lower case; 10: verb-like sentence openers, "Marvel Studios", "Big Machine"; 9: keywords weighed by rarity; 8: organisations by context, datelines, "South ..." places; 7: people in title-case headlines; 6: Chinese and Japanese keyword pairs written without a space
MAX_ENTITIES = 25
MAX_KEYWORDS = 15
MAX_LEAD = 4

# Site furniture and other lines a summary must never quote. The lookahead holds the first letters
# of the phrases: re then tests one class at each position of a sentence instead of every phrase
# (twice as fast); a phrase added here needs its first letter there.
_FURNITURE = re.compile(
    r"^\W*$|(?=[ngprcsafi©\[])(?:no time to read|get a summary|previous article|next article|read more|"
    r"click here|subscribe|sign up|newsletter|all rights reserved|©|cookie|follow us|share this|advertisement|"
    r"related (?:articles|stories)|image:|photo:|getty images|reuters/|\[\d+(?:,\s*\d+)*\])",
    re.IGNORECASE)
# A photo's caption that a scraped page's text keeps among the paragraphs: the wire services' "In
# this Dec. 12, 2006, file photo, ...", a gallery's counter glued to it ("1of4Grass Valley's ..."),
# "(pictured)", a credit in parentheses. It describes a picture, not the news: no summary sentence.
_CAPTION = re.compile(
    r"^\W*in this (?:(?:\w{3,9}\.?,? )?(?:\w{3,5}\.? \d{1,2}, )?\d{4},? )?(?:\w+ ){0,2}?"
    r"(?:photo|image|picture|photograph|frame grab|screen ?grab|screenshot|still)s?"
    r"(?:,| (?:made|released|provided|taken|shot|shows|showing|from|by|distributed|posted|obtained)\b)"
    r"|^\d{1,3} ?of ?\d{1,3}(?=[A-Z\"'“])|\((?:pictured|pictured (?:left|right|above|below|centre|center))\)"
    r"|\((?:ap|afp|reuters|getty|epa|upi)(?: photo| images)?/[^)]{1,60}\)"
    # what describes the photo beside the text: "pictured at", "this image of", "Deval Patrick, left,
    # speaks", "(background)", "Above: A WeWork coworking space"
    r"|\bpictured\b|(?<!\bin )\b(?:this|the above) (?:file )?(?:photo|image|picture|photograph)(?= (?:of|shows?|taken)\b)"
    r"|, (?:left|right|centre|center|second (?:from )?(?:left|right)),"
    r"|\((?:background|foreground|left|right|centre|center|top|bottom|above|below|inset)\)"
    r"|^\W*(?:above|top|pictured|main (?:image|picture|photo))\s*:",
    re.IGNORECASE)
_KW_STOP = STOPWORDS | frozenset("""
said says say told also would could should one two three four five six seven eight nine ten
year years time times day days week weeks month months including include includes according
people percent part way well much many made make makes making take takes taken took going
noted added whose while within without across along among toward like just even still
described noting remained remain remains expected reported report reports first last new
sides side number recent recently amid high level high-level broader broad wide wide-ranging
""".split())
# runs of word characters, apostrophes and hyphens that start with a letter of any script;
# _is_word keeps those made of letters (a class for "letter, apostrophe or hyphen" needs an
# alternation, which makes the pattern several times slower)
# a word goes on through the combining marks within it (scripts.WORD_MARKS: Hindi "हिन्दी" is one word)
_WORD = re.compile(r"(?<![\w'’\-" + WORD_MARKS + r"])[^\W\d_][\w'’\-" + WORD_MARKS + r"]*")


def _is_word(token: str) -> bool:
    """Letters with inner apostrophes or hyphens ("don't", "high-level"), ending in a letter; the
    combining marks within a word count as its letters ("हिन्दी" ends in the vowel sign "ी")."""
    if token.isalpha():
        return True
    if not token.isascii():
        token = _MARKS.sub("", token)
        if not token:
            return False
    return token.isalpha() or (token[-1].isalpha() and token.replace("'", "").replace("’", "").replace("-", "").isalpha())


_MARKS = re.compile("[" + WORD_MARKS + "]")
# English clitics: "moon's" and "players'" are "moon" and "players"; "didn't", "he's", "there'll"
# are function words, which the stop list then drops ("can't", "won't": too short to count)
_CLITIC = re.compile(r"(?:n['’]t|['’](?:s|ll|re|ve|d|m)|(?<=s)['’])$", re.IGNORECASE)
# an address opens where a run without "@" does: "\S+@\S+" tried every split of a line of many "@"
# ("a@a@a@..."), in time cubic in its length
_URL = re.compile(r"(?:https?://|www\.)\S+|(?<![^\s@])[^\s@]+@[^\s@]+\.\w+", re.IGNORECASE)
_ENGLISH_HINTS = frozenset("the and of to in is was for that with on as by at from".split())


def _get(article: Any, name: str, default: Any = None) -> Any:
    if isinstance(article, dict):
        return article.get(name, default)
    return getattr(article, name, default)


def headline_like(title: str | None) -> bool:
    """A real headline: short, one sentence, not a paragraph pasted as a title."""
    if not title:
        return False
    words = title.split()
    if len(words) == 1 and WIDE_SCRIPT.search(title):  # Chinese/Japanese without spaces: count characters
        short = 4 <= len(title) <= 80
    else:
        short = 2 <= len(words) <= 24
    return short and len(split_sentences(title)) == 1 and not _FURNITURE.search(title)



def summary_sentence_ok(sentence: str) -> bool:
    if ends_full_width(sentence) and len(sentence.split()) == 1:  # Chinese/Japanese: count characters
        return 12 <= len(sentence) <= 240 and not _FURNITURE.search(sentence)
    words = sentence.split()
    if not 6 <= len(words) <= 80 or sentence[-1] not in ".!?\"”’)»।॥؟۔։።":
        return False
    # "to her Instagram page to share ...": the tail of a sentence cut by the page, not a sentence
    # ("iPhone sales rose" and "eBay said" open with a name)
    first = words[0].lstrip("\"'“‘(«[—–-")
    if first[:1].islower() and first.lower() == first:
        return False
    return not _FURNITURE.search(sentence) and not _CAPTION.search(sentence) and not is_titlecase_line(sentence)



def _keywords(body: str, language: str | None = None, names: frozenset[str] = frozenset()) -> list[list]:
    """Topical words and repeated pairs. Words written in lower case (or in a script without case):
    capitalised ones are names, which are entities; in German, whose nouns are all capitalised, a
    capitalised word past a sentence's first is kept too, unless it is a word of a tagged person or
    place (``names``)."""
    stop = stopwords(language)
    nouns = language in NOUNS_CAPITALISED
    spaceless = language in cjk.CJK_LANGUAGES  # words found by script (cjk.terms), two characters long or more
    english = language in (None, "en")  # Dutch "auto's" is a plural, French "l'homme" an article
    shortest = 2 if spaceless else 4
    counts: Counter = Counter()
    for line in paragraphs(body):
        if "://" in line or "www." in line or "@" in line:
            line = _URL.sub(" ", line)
        for sentence in split_sentences(line):
            words = cjk.terms(sentence, language) if spaceless else _WORD.findall(sentence)
            prev = None
            for i, w in enumerate(words):
                # the cheap tests first: most words are short or function words
                if len(w) < shortest or w in stop:
                    prev = None
                    continue
                if english and ("'" in w or "’" in w):
                    w = _CLITIC.sub("", w)
                    if len(w) < shortest or w in stop:
                        prev = None
                        continue
                cased = not w.islower() and w != w.lower()
                if cased and nouns and i and w[1:].islower() and w not in names:
                    cased = w.lower() in stop
                if cased or not _is_word(w):
                    prev = None
                    continue
                w = w.replace("’", "'")
                counts[w] += 1
                if prev:
                    counts[prev + " " + w] += 1.5
                prev = w
    # a bigram that occurs once is noise; unigrams stay. A term counts by how often the text uses it
    # and how rarely the language does ("console" over "friends", "tagline" over "campaign").
    rarity = _rarity(language)
    scored = [(term, n * _term_rarity(term, rarity)) for term, n in counts.items() if " " not in term or n >= 3]
    scored.sort(key=lambda x: (-x[1], x[0]))
    if language in cjk.UNSPACED_LANGUAGES:  # a pair reads as the text writes it: 北京会见, not 北京 会见
        return [[cjk.unspaced(t), round(float(n), 2)] for t, n in scored[:MAX_KEYWORDS]]
    return [[t, round(float(n), 2)] for t, n in scored[:MAX_KEYWORDS]]


# Rarity of a keyword: 7 - its Zipf frequency (log10 per billion words + 9), held between 0.5 and
# 3.0. Past Zipf 4 (once in 100,000 words) rarer stops counting, and a word the language's short list
# lacks is that rare: a rare word used once does not outrank the topic's word used four times.
_RARITY_CAP = 3.0


@functools.lru_cache(maxsize=16)
def _rarity(language: str | None) -> dict[str, float] | None:
    """Word -> rarity in the article's language, from wordfreq's "small" list (1.3 for "game", 3.0
    for "grind"), or None for a language wordfreq does not list (plain counts)."""
    import math

    import wordfreq  # late: loaded once per language

    try:
        freqs = wordfreq.get_frequency_dict(language or "en", wordlist="small")
    except LookupError:
        return None
    return {w: min(_RARITY_CAP, max(0.5, 7.0 - (math.log10(f) + 9.0))) for w, f in freqs.items() if f > 0}


def _term_rarity(term: str, rarity: dict[str, float] | None) -> float:
    """A term's rarity (a pair's: the mean of its two words')."""
    if rarity is None:
        return 1.0
    if " " not in term:  # a word, as most terms are
        return rarity.get(term.lower(), _RARITY_CAP)
    parts = term.lower().split()
    return sum(rarity.get(w, _RARITY_CAP) for w in parts) / len(parts)


@functools.lru_cache(maxsize=64)
def stopwords(language: str | None) -> frozenset[str]:
    """Words too common to be keywords: ours (for English, unknown languages and quoted English),
    plus the stop list of any other language the article is in."""
    return _KW_STOP | language_stopwords(language)


def _language(article: Any, body: str) -> str | None:
    lang = _get(article, "language")
    if lang:
        return str(lang).split("-")[0].lower()
    words = re.findall(r"[a-z]+", body[:3000].lower())
    if len(words) >= 20 and sum(w in _ENGLISH_HINTS for w in words) / len(words) > 0.12:
        return "en"
    return None


# the lookahead for the names' first letters lets re skip most positions of a text with one test
_WELL_KNOWN_ORG = re.compile("(?=[" + "".join(sorted({re.escape(name[0]) for name in WELL_KNOWN_ORGS})) + "])"
                             r"(?<![\w.@/#-])(" + "|".join(map(re.escape, WELL_KNOWN_ORGS)) + r")(?![\w@/-])")


def _named_orgs(text: str, entities: ner.Entities) -> list[list]:
    """[name, mentions, []] of the well-known organisations the text names and the tagger left
    untyped, for the event record (see lexicon.WELL_KNOWN_ORGS); not one that a typed name holds
    ("Apple Inc.", "Google Cloud")."""
    found = Counter(_WELL_KNOWN_ORG.findall(text))
    if not found:
        return []
    typed = {w for kind in (ner.PEOPLE, ner.ORGS, ner.PLACES)
             for name, (_n, aliases) in getattr(entities, kind).items() for a in (name, *aliases) for w in a.split()}
    return [[name, n, []] for name, n in found.most_common() if name not in typed]


def _name_words(entities: ner.Entities) -> frozenset[str]:
    """The words of the people and places the tagger found."""
    return frozenset(w for kind in (ner.PEOPLE, ner.PLACES) for name in getattr(entities, kind) for w in name.split())


def article_facts_cached(article: Any) -> dict:
    """``article_facts`` for a stream, remembering the last few thousand results.

    The facts depend on the title, text, language and publication date only, and a stream carries
    many copies of one article (syndication, re-sends, mirrors): a copy then costs a lookup instead
    of the tagger (about a millisecond). The caller gets its own top-level dict; the nested lists
    are shared with the cache and must be treated as read-only (EventBuilder only reads them).
    """
    language = _get(article, "language")
    key = (_get(article, "title"), _get(article, "text"), _get(article, "published"),
           str(language) if language else None)
    try:
        return dict(_remembered_facts(*key))
    except TypeError:  # a field that is not hashable: compute without the cache
        return article_facts(article)


@functools.lru_cache(maxsize=2048)
def _remembered_facts(title: Any, text: Any, published: Any, language: str | None) -> dict:
    return article_facts({"title": title, "text": text, "published": published, "language": language})


article_facts_cached.cache_clear = _remembered_facts.cache_clear  # type: ignore[attr-defined]


# the types a value of facts may have (exact types: a bool is no count); _TEXTS: a list of text
_TEXT, _NUMBER, _OPTIONAL_TEXT = frozenset({str}), frozenset({int, float}), frozenset({str, type(None)})
_TEXTS = None


def _rows(value: Any, *kinds) -> bool:
    """A list of lists that open with values of ``kinds`` in turn (more items may follow). Checked for
    every article the clustering stage takes: plain loops, no call per value."""
    if type(value) is not list:
        return False
    width = len(kinds)
    for row in value:
        if type(row) is not list or len(row) < width:
            return False
        for kind, item in zip(kinds, row):
            if kind is _TEXTS:
                if type(item) is not list or any(type(a) is not str for a in item):
                    return False
            elif type(item) not in kind:
                return False
    return True


def facts_well_formed(facts: dict) -> bool:
    """Whether facts another stage sent have the shape :func:`article_facts` gives them, down to the
    types the event builder and the clusterer read: a value of another type would be folded into an
    event's state and fail every later version of that event, not this article alone."""
    entities, where, lead = facts.get("entities"), facts.get("where"), facts.get("lead")
    return (type(entities) is dict and all(type(kind) is str and _rows(rows, _TEXT, _NUMBER, _TEXTS)
                                           for kind, rows in entities.items())
            and _rows(facts.get("named_orgs", []), _TEXT, _NUMBER, _TEXTS)
            and type(where) is dict and all(type(k) is str and type(v) in _NUMBER for k, v in where.items())
            and _rows(facts.get("who", []), _TEXT, _NUMBER)
            and _rows(facts.get("dates"), _TEXT, _OPTIONAL_TEXT, _TEXT, _NUMBER, _OPTIONAL_TEXT)
            and _rows(facts.get("keywords"), _TEXT, _NUMBER)
            and type(lead) is list and all(type(sentence) is str for sentence in lead)
            and type(facts.get("headline")) in _OPTIONAL_TEXT and type(facts.get("language")) in _OPTIONAL_TEXT)


def article_facts(article: Any) -> dict:
    """JSON-able facts about one cleaned article (object with attributes, or dict)."""
    title = (_get(article, "title") or "").strip() or None
    text = _get(article, "text") or ""
    headline = title if headline_like(title) else None
    body = text
    if title and not headline and not text.lstrip().startswith(title[:80]):
        body = title + "\n" + text  # a paragraph given as a title is part of the body
    published = _get(article, "published")
    language = _language(article, body)
    if language in cjk.CJK_LANGUAGES:  # "Kindle for PCの起動", "MBC는": the Latin name ends at the script
        entities = ner.extract(headline and cjk.split_latin(headline), cjk.split_latin(body), language)
    else:
        entities = ner.extract(headline, body, language)
    lead: list[str] = []
    seen = 0
    for sentence in (s for line in paragraphs(body) for s in split_sentences(line)):
        seen += 1
        if seen > 12 or len(lead) >= MAX_LEAD:
            break
        if summary_sentence_ok(sentence):
            lead.append(sentence)
    return {
        "v": FACTS_VERSION,
        "headline": headline,
        "language": language,
        "published": published,
        "entities": {kind: [[name, n, aliases[:8]] for name, (n, aliases) in list(getattr(entities, kind).items())[:MAX_ENTITIES]]
                     for kind in (ner.PEOPLE, ner.ORGS, ner.PLACES, ner.NAMES)},
        "named_orgs": _named_orgs(f"{headline or ''}\n{body}", entities),
        "where": dict(list(entities.where.items())[:10]),
        "who": entities.who,
        "dates": dates.mentions(body, published, language=language),
        "lead": lead,
        "keywords": _keywords(body, language, _name_words(entities) if language in NOUNS_CAPITALISED else frozenset()),
        "words": len(body.split()),
    }
