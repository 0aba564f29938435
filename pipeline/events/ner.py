"""An offline, rule-based tagger for people, organisations and places in English news text.

How it works, per sentence: capitalised spans are chunked (allowing "of", "de", "al"... inside),
leading sentence-starters, demonyms and titles are trimmed (a trimmed title such as "President"
or "spokesman" is kept as a person cue), and each span is typed by, in order: the tables of
well-known people and organisations, organisation suffixes/prefixes ("Ministry", "Council",
"Inc"), facility suffixes ("Hall", "Palace", "Street"), the GeoNames gazetteer, initialisms
(organisations), person cues, a first-name list, and the shape of the span (two or three
name-like words are a person). Single words are kept only when they are known, when they
repeat a person already named ("Putin" after "Vladimir Putin"), or when a locative cue ("in",
"at") stands before them. Aliases fold within the text: "Putin" -> "Vladimir Putin",
"ESC" -> "Endangered Species Coalition", "Dmitri Medvedev" -> "Dmitry Medvedev".

It also scores where things happen: a place after "arrived in", "held in", "visit to" counts
more than one after "in"/"at", and a bare mention counts little; a landmark's score also goes to
its city (the Kremlin's to Moscow).
"""
from __future__ import annotations

import functools
import os
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Callable

from . import lexicon as lx
from ..languages import NOUNS_CAPITALISED, language_stopwords
from .text import TOKEN_RE, is_titlecase_line, paragraphs, split_sentences

PEOPLE, ORGS, PLACES = "people", "organisations", "places"
# capitalised names nothing types: "MacBook Pro", "Westpac Rescue Helicopter", "San Diego Chargers"
NAMES = "names"

_KEEP_DOT = frozenset(["jr.", "sr.", "mt.", "st.", "inc.", "corp.", "co.", "ltd.", "dr.", "mr.",
                       "mrs.", "ms.", "gen.", "gov.", "sen.", "rep.", "lt.", "col.", "capt."]) | {
    k.lower() for k in lx.US_STATE_ABBREVIATIONS}
_NAME_SUFFIXES = frozenset(["jr", "jr.", "sr", "sr.", "ii", "iii", "iv"])
_STRONG_LOCATIVE = frozenset([
    ("arrived", "in"), ("arrives", "in"), ("arriving", "in"), ("held", "in"), ("place", "in"),
    ("visit", "to"), ("trip", "to"), ("traveled", "to"), ("travelled", "to"), ("landed", "in"),
    ("met", "in"), ("talks", "in"), ("summit", "in"), ("visiting", ""), ("visited", ""),
    ("hosted", "in"), ("meeting", "in"), ("occurred", "in"), ("happened", "in"), ("struck", ""),
    ("hit", ""), ("killed", "in"), ("died", "in"), ("away", "in"), ("captured", "in"),
    ("caught", "in"), ("arrested", "in"), ("fire", "in"), ("attack", "in"), ("visit", "in"),
])
_LOCATIVE = frozenset(["in", "at", "inside", "near", "outside", "within"])
_APOS = ("'s", "’s")
_ORG_JOINS = frozenset(["on", "against"])
_DETERMINERS = frozenset("the new its their his her your our my this that these those".split())
_OPENERS = frozenset("\"“‘'(:—–-")  # a "The" after these opens a sentence or a title
_LOWER_WORD = re.compile(r"\b[a-z][\w'’-]*")
_DEFINED_INITIALISM = re.compile(r"\(([A-Z]{2,6})\)")
_PROSE_WORD = re.compile(r"(?<![\w./@#])[a-z]+(?![\w@/]|\.\w)")


@dataclass
class Mention:
    surface: str
    kind: str | None  # PEOPLE / ORGS / PLACES / None (undecided single word); NAMES on the Cyrillic path
    locative: float = 0.0
    person_cue: bool = False
    early: bool = False
    modifier: bool = False  # a town's name before a noun it may qualify ("Federal agents"): see _town_modifier


@dataclass
class Entities:
    """Per-text result: canonical name -> mentions and aliases; place -> where-score."""
    people: dict[str, list] = field(default_factory=dict)
    organisations: dict[str, list] = field(default_factory=dict)
    places: dict[str, list] = field(default_factory=dict)
    where: dict[str, float] = field(default_factory=dict)
    names: dict[str, list] = field(default_factory=dict)  # NAMES: not shown as entities of an event
    who: list = field(default_factory=list)  # [[name, mentions]]: the top people and NAMES together

    def as_dict(self) -> dict:
        return {PEOPLE: self.people, ORGS: self.organisations, PLACES: self.places, "where": self.where,
                NAMES: self.names, "who": self.who}


def _is_cap(tok: str) -> bool:
    c = tok[0]
    return c.isupper() and (len(tok) == 1 or tok[1:2] != " ") and c.isalpha()


def _tokens(sentence: str) -> list[str]:
    out: list[str] = []
    for tok in TOKEN_RE.findall(sentence):
        if tok.isalnum():  # a plain word or number (most tokens): none of the cases below applies
            out.append(tok)
            continue
        tok = tok.strip()
        if not tok:
            continue
        if " " in tok or (tok.count(".") >= 2 and tok[0].isupper()):  # "U. S." -> "U.S."
            out.append(tok.replace(" ", ""))
            continue
        if tok.endswith(".") and len(tok) > 1:
            low = tok.lower()
            if low not in _KEEP_DOT and not (len(tok) == 2 and tok[0].isupper()):
                out.append(tok[:-1])
                out.append(".")
                continue
        # split "Trump-Xi" / "Moscow-Beijing" when a part is a known name
        if "-" in tok and tok[0].isupper():
            parts = tok.split("-")
            if all(p[:1].isupper() for p in parts) and any(
                    p in lx.places() or p in lx.known_people() for p in parts):
                for k, p in enumerate(parts):
                    if k:
                        out.append("-")
                    out.append(p)
                continue
        out.append(tok)
    return out


def _strip_possessive(tok: str) -> tuple[str, bool]:
    if tok.endswith(_APOS):
        return tok[:-2], True
    if tok.endswith(("'", "’")) and len(tok) > 1:
        return tok[:-1], True
    return tok, False


def _is_acronym(surface: str) -> bool:
    """Two to six capitals ("NATO", "U.N."), or a group of countries ("G7", "G-20"). Not capitals with
    digits, which are models and versions ("IE8", "PS4", "A380")."""
    bare = surface.replace(".", "")
    return 2 <= len(bare) <= 6 and bare.isupper() and bare.isalpha() or bool(re.fullmatch(r"G-?\d{1,2}", surface))


def _model_number(tokens: list[str], after: int) -> bool:
    """A number of one to three digits follows token ``after - 1``, alone or after a hyphen, perhaps
    after more capitals joined by hyphens: an initialism before it names a model ("AK-47" written
    "AK - 47", "IE 6", the cable "SEA - ME - WE 4"), not an organisation."""
    while after + 1 < len(tokens) and tokens[after] in ("-", "–") and tokens[after + 1].isupper():
        after += 2
    if after < len(tokens) and tokens[after] in ("-", "–"):
        after += 1
    return after < len(tokens) and tokens[after].isdigit() and len(tokens[after]) <= 3


def _postal_state(word: str, tokens: list[str], first: int) -> str | None:
    """The US state a postal code names after a place and a comma ("Fountain Valley, CA", "Wasilla,
    AK"), else None: elsewhere "IN", "OR" or "ME" are words and "AK" a rifle."""
    if first >= 2 and tokens[first - 1] == "," and tokens[first - 2][:1].isupper():
        return lx.us_postal_codes().get(word)
    return None


class _Lower:
    """The lower-case words of the text being tagged (set per call of extract)."""
    words: set[str] = set()
    text = ""
    _prose: set[str] | None = None
    _defined: set[str] | None = None

    def get(self) -> set[str]:
        return self.words

    def set(self, text: str, words: set[str]) -> None:
        self.text, self.words, self._prose, self._defined = text, words, None, None

    def prose(self) -> set[str]:
        """The lower-case words outside links, addresses and handles ("usgs.gov", "@cnn"), read
        once per text and only when asked: a shouted word is one the prose also writes."""
        if self._prose is None:
            self._prose = set(_PROSE_WORD.findall(self.text))
        return self._prose

    def defined(self) -> set[str]:
        """Capitals the text writes in parentheses, as after the name they abbreviate: "Serviço de
        Atendimento Domiciliar (SAD)", "Lowe's (LOW)". Read once per text and only when asked."""
        if self._defined is None:
            self._defined = set(_DEFINED_INITIALISM.findall(self.text))
        return self._defined


_LOWER = _Lower()


def _org_before_join(tokens: list[str]) -> bool:
    """An organisation word before a joining "of"/"for"/"and" makes the span one organisation."""
    if len(tokens) < 3:
        return False
    k = next((i for i, t in enumerate(tokens) if i and t in ("of", "for", "and", "on", "against")), 0)
    return bool(k) and any(t.lower().rstrip(".") in lx.ORG_SUFFIXES for t in tokens[:k])


def _camel_case(word: str) -> bool:
    """"WeWork", "SoftBank", "WikiLeaks": a company's spelling. Not "McCain" or "DeGeneres" (surname
    particles), "XPxUJuyIAC" (a link's code), "LiLo" or "OmegA", nor words run together from a
    hashtag or a handle ("TheAcademy", "MattBevin", "RussiaToday")."""
    if len(word) < 5 or not word.isalpha() or sum(c.isupper() for c in word) > 2:
        return False
    for k in range(2, len(word) - 2):
        if word[k].isupper() and word[k - 1].islower():
            head = word[:k]
            return (head.lower() not in lx.NAME_PARTICLES and head != "The" and head.lower() not in lx.FIRST_NAMES
                    and head not in lx.places() and word[k + 1:].islower())
    return False


@functools.lru_cache(maxsize=4096)
def _zipf(low: str) -> float:
    """How often English writes a (lower-case) word: wordfreq's Zipf frequency, 0 when unlisted."""
    import wordfreq  # late: asked only for a few openers and for places a record may show

    return wordfreq.zipf_frequency(low, "en", wordlist="small")


def shown_as_place(name: str) -> bool:
    """Whether an event record shows a place the facts hold. The tagger takes a single unknown word
    after "in" or "at" for a place, and the clustering keeps reading those (a team's city, "in
    Indy"), but a record does not show one that English writes often ("in Nature", "at Google",
    "in Congress"); "in Senkata" stays, and so do the gazetteer's places and the UK's nations."""
    if " " in name or name in lx.places() or name in lx.PLACES_OUTSIDE_GAZETTEER:
        return True
    return lx.ascii_fold(name) in _folded_places() or _zipf(name.lower()) < 3.5


@functools.lru_cache(maxsize=1)
def _folded_places() -> frozenset[str]:
    """The gazetteer's names without their accents: a text writes "Zurich" for "Zürich"."""
    return frozenset(lx.ascii_fold(name) for name in lx.places())


def _common_word(word: str) -> bool:
    """A word English writes often (Zipf >= 5): "Sometimes employees ..." opens a sentence with an
    adverb, not a company."""
    return _zipf(word.lower()) >= 5.0


def _verb_like_opener(low: str) -> bool:
    """A word shaped like a verb form or an adverb, which opens a sentence rather than a name
    ("Getting Disney+ ready", "Hosting Cook on stage", "Ironically Nichols"), unless it is a given
    name ("Sterling", "Jared"). An "-ed" or "-ly" word must also be one English writes (wordfreq
    Zipf >= 3.5): "Reilly", "Nealy" and "Saeed" are names."""
    if len(low) <= 4 or low in lx.given_names():
        return False
    return low.endswith("ing") or low.endswith(("ed", "ly")) and _zipf(low) >= 3.5


def _shouted(tokens: list[str]) -> bool:
    """Capitals that are words, not an initialism: "LAST YEAR", "A FIRE", "POSTED:", "ABOUT A BOY".
    Each word is one the prose also writes in lower case, or, in a single word of four letters or
    more, one English writes often (Zipf >= 4.5; "nasa" 4.2, "nato" 4.0). Three letters need both,
    as "fbi", "nfl" and "bbc" are as common as "boy" (4.4-4.6), unless English writes the word far
    more often than any initialism: "A MAN", "MUST SEE", "Defence PRO" (Zipf >= 4.8; "usa" 4.79), and
    the text does not define it in parentheses ("Serviço de Atendimento Domiciliar (SAD)")."""
    prose = _LOWER.prose()
    if len(tokens) > 1:
        return all(t.lower() in prose or t.lower() in lx.CONNECTORS for t in tokens)
    low = tokens[0].lower()
    zipf = _zipf(low)
    if len(low) == 3:
        if low in prose:
            return zipf >= 4.5
        return zipf >= _SHOUTED_THREE_LETTERS and tokens[0] not in _LOWER.defined()
    return low in prose or zipf >= 4.5


_SHOUTED_THREE_LETTERS = 4.8


def _capitals_place(surface: str) -> tuple[str, str, int] | None:
    """The gazetteer's entry of a place written in capitals that a dateline or a shouted headline
    names: a country, a state or a city of 100,000 people ("HANOI", "NEW YORK"); a smaller town's
    name is as likely a shouted word."""
    entry = lx.places().get(surface.title())
    if entry is not None and (entry[1] in ("country", "state") or entry[2] >= 100_000):
        return entry
    return None


_DATE_JOINS = frozenset("& - – — , / and to".split())


def _day_abbreviation(lows: list[str], j: int) -> bool:
    """"Mon", "Sat" (lexicon.WEEKDAY_ABBREVIATIONS) beside a month, a number or another day, across
    "&", "-" or ",": "Edited on Mon Dec - 19", "Closed on Sun & Mon", "Tue – Sat 4PM". Elsewhere "Sun"
    may be the paper and "Mon" a town."""
    if lows[j] not in lx.WEEKDAY_ABBREVIATIONS:
        return False
    for step in (-1, 1):
        k = j + step
        while 0 <= k < len(lows) and lows[k] in _DATE_JOINS:
            k += step
        if 0 <= k < len(lows) and (lows[k] in lx.MONTHS or lows[k] in lx.WEEKDAYS
                                   or lows[k] in lx.WEEKDAY_ABBREVIATIONS or lows[k][:1].isdigit()):
            return True
    return False


_ADJECTIVE_ENDINGS = (("ian", ("", "a", "y", "e")), ("ean", ("", "e", "a")), ("an", ("a", "e", "o")),
                      ("ese", ("", "a", "e")), ("i", ("",)))


@functools.lru_cache(maxsize=4096)
def _place_adjective(word: str) -> bool:
    """An adjective made of a place's name that lexicon.DEMONYMS lacks: "Sicilian" (Sicily),
    "Ecuadorean", "Parisian", "Kenyan", "Qatari". The place is a country, a state, a region or a city
    of a million people, larger than any town named like the adjective; a given name is none ("Tyrese"
    is not of Tyre, "Biman" not of Bima, "Adrian" not of Adria)."""
    if word.lower() in lx.DEMONYMS:
        return True
    if (len(word) < 5 or not word.isalpha() or not word[0].isupper() or not word[1:].islower()
            or word.lower() in lx.given_names()):
        return False
    places = lx.places()
    own = places.get(word)
    for ending, restorations in _ADJECTIVE_ENDINGS:
        stem = word[:-len(ending)]
        if not word.endswith(ending) or len(stem) < 3:
            continue
        for extra in restorations:
            name = stem + extra
            if name in lx.PLACES_OUTSIDE_GAZETTEER and own is None:
                return True
            entry = places.get(name)
            if entry and (entry[1] in ("country", "state", "region") or entry[2] >= 1_000_000) and (
                    own is None or own[1] == "city" and own[2] < entry[2]):
                return True
    return False


def _town_modifier(surface: str, after: str, locative: float) -> bool:
    """A small town (under 100,000 people) whose name is a word English writes often (Zipf >= 4, once
    in 100,000 words), named where no place cue stands and before a lower-case word (not "and" or
    "of": "Palmer and Wasilla") or a demonym: "Federal agents", "Young people", "Olympic swimmer",
    "Roman Catholic". A noun towns come before ("Palmer police", lexicon.PLACE_HEAD_NOUNS) is a place
    cue; _resolve keeps a town the text once names with a cue."""
    if locative >= 1.0 or " " in surface or not after[:1].isalpha():
        return False
    if not (after.islower() and after not in lx.PLACE_HEAD_NOUNS and after not in lx.CONNECTORS
            or _place_adjective(after)):
        return False
    entry = lx.places().get(surface)
    return entry is not None and entry[1] == "city" and entry[2] < 100_000 and _zipf(surface.lower()) >= 4.0


_TIME_ADVERBS = frozenset({"late", "early", "overnight"})  # "near the Champs-Elysees late Thursday"


def _qualifies_noun(word: str, before: tuple[str, ...], after: str) -> bool:
    """A word between "the" and a lower-case content word qualifies that noun ("in the Republican
    primary"): what a place cue before "the" locates is the noun, not the word. A country or state
    keeps the cue ("in the Iraq war" is in Iraq)."""
    return (bool(before) and before[-1].lower() == "the" and after[:1].islower() and after.isalpha()
            and not any(after in words for words in (lx.STOPWORDS, _TIME_ADVERBS, lx.CONNECTORS, lx.PLACE_HEAD_NOUNS))
            and not _is_region(word, lx.places()))


def _opens_place(group: list[tuple[str, int]], k: int, places: dict) -> bool:
    """Word ``k`` of a span and the one or two after it are a place of the gazetteer, also when
    written in capitals ("NEW YORK (AP)")."""
    for m in (2, 3):
        surface = " ".join(w for w, _ in group[k:k + m])
        if surface in places or surface.isupper() and surface.title() in places:
            return True
    return False


def _classify(tokens: list[str], person_cue: bool, org_cue: str = "") -> str | None:
    """The type of a capitalised span; ``org_cue`` (see _spans): the span opened with "The" inside
    a sentence ("told The Hill"), a single word came before an organisation word ("Alibaba
    shares"), or it is spelt like a company ("SoftBank said": a speech verb does not make it a person)."""
    surface = " ".join(tokens)
    if surface in lx.known_people():
        return PEOPLE
    if surface in lx.known_orgs():
        return ORGS
    places = lx.places()
    first, last = tokens[0].lower(), tokens[-1].lower().rstrip(".")
    if len(tokens) > 1 and last in lx.MISC_SUFFIXES:
        # "David Law", "Jude Law": a given name before "Law" is a person, not a law
        return PEOPLE if len(tokens) == 2 and last == "law" and first in lx.FIRST_NAMES else "misc"
    if surface.replace(".", "") in lx.NOT_ACRONYMS:  # "SUV", "P.M.", "M.D."
        return "misc"
    if len(tokens) == 1 and not person_cue and _place_adjective(surface):  # "the Sicilian capital"
        return "misc"
    if len(tokens) > 1 and (last in lx.ORG_SUFFIXES or first in lx.ORG_PREFIXES and tokens[1].lower() == "of"):
        return ORGS
    if _org_before_join(tokens):
        return ORGS  # "Texas Department of Criminal Justice", "Max Planck Institute for Astrophysics"
    if surface in places:
        if len(tokens) == 1 and places[surface][1] == "city" and surface.lower() in _LOWER.get():
            return None
        return None if person_cue and len(tokens) == 1 else PLACES
    if len(tokens) > 1 and (last in lx.PLACE_SUFFIXES or first.rstrip(".") in lx.PLACE_PREFIXES
                            or any(t.lower().rstrip(".") in ("mount", "mt") for t in tokens[1:])):
        return PLACES
    if len(surface) >= 3 and surface.isupper() and surface.replace(" ", "").isalpha():
        # a shouted word ("VOTE", "GREAT") or a dateline ("HANOI, Vietnam (AP)", "NEW YORK") is no initialism
        if _capitals_place(surface):
            return PLACES
        if _shouted(tokens):
            return "misc"
    if len(tokens) == 1 and _is_acronym(surface):
        return ORGS
    if org_cue == "camel" or org_cue and not person_cue:
        return ORGS
    if person_cue and all(t[:1].isupper() or t.lower() in lx.CONNECTORS for t in tokens):
        return PEOPLE
    if len(tokens) >= 2 and first in lx.FIRST_NAMES:
        return PEOPLE
    if 2 <= len(tokens) <= 3 and not any(t.isupper() and len(t) > 1 for t in tokens) and all(t.isalpha() or "'" in t or "’" in t or "-" in t or t.lower() in _NAME_SUFFIXES
                                     for t in tokens) and not any(t.lower() in lx.CONNECTORS for t in tokens):
        return PEOPLE
    if len(tokens) >= 2 and any(t.lower() in lx.CONNECTORS for t in tokens):
        return ORGS
    return None


def _spans(tokens: list[str], lower_words: set[str]) -> list[tuple[list[str], bool, tuple[str, ...], bool, str, str]]:
    """Capitalised spans: (tokens, person_cue, up to three lower-case words before, possessive,
    org_cue: "The" when a "The" inside the sentence opens it, "next" when an organisation word
    follows a single word, "camel" for a company's spelling, else "", the token after the span as
    written or "")."""
    raw: list[tuple[list[tuple[str, int]], bool, bool]] = []
    n = len(tokens)
    # per token, once: capitalised (as _is_cap; tokens are never empty) and lower-cased
    caps = [t[0].isupper() and t[0].isalpha() and t[1:2] != " " for t in tokens]
    lows = [t.lower() for t in tokens]
    months, weekdays, connectors = lx.MONTHS, lx.WEEKDAYS, lx.CONNECTORS
    consumed = 0  # tokens before this index are already in a span
    for i in [k for k, cap in enumerate(caps) if cap]:
        if i < consumed:
            continue
        j = i
        span: list[tuple[str, int]] = []
        possessive = False
        while j < n:
            t = tokens[j]
            if caps[j] and lows[j] not in months and lows[j] not in weekdays and not _day_abbreviation(lows, j):
                bare, possessive = _strip_possessive(t)
                span.append((bare, j))
                j += 1
                if possessive:
                    break
                continue
            # "Institute on Drug Abuse", "Coalition Against Hunger": these join after an organisation word
            if span and j + 1 < n and caps[j + 1] and lows[j + 1] not in months and (
                    lows[j] in connectors or lows[j] in _ORG_JOINS and span[-1][0].lower() in lx.ORG_JOIN_HEADS
                    and lows[j + 1] not in weekdays):
                span.append((t, j))
                j += 1
                continue
            break
        if span:
            raw.append((span, i == 0 or tokens[i - 1] in "\"“‘'(", possessive))
        consumed = max(j, i + 1)
    known_p, known_o, places = lx.known_people(), lx.known_orgs(), lx.places()
    refined = []
    for span, at_start, possessive in raw:
        words = [t for t, _ in span]
        has_org_suffix = words[-1].lower() in lx.ORG_SUFFIXES
        # split at "and" unless the whole is one organisation ("Fish and Wildlife Service")
        groups: list[list[tuple[str, int]]] = [[]]
        for t, idx in span:
            if t == "and":
                left = " ".join(w for w, _ in groups[-1])
                # "The Hill and The Hollywood Reporter": a second "The" opens a second name
                if (not has_org_suffix or left in known_p or left in known_o or left in places
                        or idx + 1 < n and tokens[idx + 1] == "The"):
                    groups.append([])
                    continue
            groups[-1].append((t, idx))
        for g_no, group in enumerate(groups):
            cue = False
            pieces: list[list[tuple[str, int]]] = [[]]
            group_suffix = bool(group) and group[-1][0].lower() in lx.ORG_SUFFIXES
            for k, (t, idx) in enumerate(group):
                low = t.lower().rstrip(".")
                current = pieces[-1]
                if not current:
                    if low in lx.CONNECTORS:
                        continue
                    # "New" is a stop word and "South" a demonym, but not in "New York", "New Orleans
                    # Saints" or "South Dakota"
                    opens_place = (low in lx.STOPWORDS or low in lx.DEMONYMS) and _opens_place(group, k, places)
                    if (k == 0 and g_no == 0 and at_start and (low in lx.STOPWORDS or low in lower_words)
                            and t not in places and t not in known_p and t not in known_o and not opens_place):
                        continue
                    # "the WHO warned": a stop word in lower case only ("WHO IS ..." shouts)
                    if (low in lx.STOPWORDS or low in lx.DEMONYMS) and not opens_place and not (
                            t in known_o and k == len(group) - 1):
                        continue
                    # "Sicilian Mafia members": an adjective of a place (not a given name: "Roman Polanski")
                    if k < len(group) - 1 and not opens_place and low not in lx.DEMONYMS and _place_adjective(t):
                        continue
                if low in lx.PERSON_TITLES and not group_suffix and not (current and low in ("jr", "general")):
                    if current:
                        pieces.append([])
                    cue = True
                    continue
                if low in lx.DEMONYMS and not group_suffix and not (not current and _opens_place(group, k, places)):
                    if current:
                        pieces.append([])
                    continue
                current.append((t, idx))
            pieces = [p for p in pieces if p]
            for p_no, p in enumerate(pieces):
                while p and p[-1][0].lower() in lx.CONNECTORS:
                    p.pop()
                if not p:
                    continue
                first_idx = p[0][1]
                before = tuple(lows[max(0, first_idx - 3):first_idx])
                person_cue = (cue and p_no == len(pieces) - 1) or any(w in lx.PERSON_TITLES for w in before[-2:])
                words = [t for t, _ in p]
                last_idx = p[-1][1]
                next_token = tokens[last_idx + 1] if last_idx + 1 < n else ""
                after = next_token.lower()
                if first_idx > 0 and tokens[first_idx - 1] in ("“", '"', "''", "‘") and after in ("”", '"', "''", "’"):
                    continue  # a quoted title of a work
                if len(words) == 1 and (after in lx.PERSON_VERBS or before[-1:] and before[-1] in lx.PERSON_VERBS):
                    person_cue = True
                # "President-elect Barack Obama", "Notorious Bettie Page": a word the text also writes
                # in lower case (or a hyphenated title) before a first name is not part of the name
                lead = words[0].lower()
                if (len(words) >= 3 and lead not in lx.FIRST_NAMES and words[1].lower() in lx.FIRST_NAMES
                        and (lead in lower_words or lead.split("-")[0] in lx.PERSON_TITLES
                             or lead in lx.ORG_SUFFIXES or lead in lx.PLACE_SUFFIXES
                             or _is_region(words[0], places))):
                    # also the end of a role: "Secretary of State Mike Pompeo", "envoy to Ukraine Kurt Volker",
                    # "ambassador to the European Union Gordon Sondland"
                    words = words[1:]
                    person_cue = True
                # "Sergei Markov of Lentoy", "Xi Jinping of China", "Vincent Jackson for Sunday": a
                # person followed by where they are from or what they did
                cut = next((k for k, w in enumerate(words) if k and w in ("of", "for")), 0) if len(words) > 2 else 0
                if (cut and not _org_before_join(words)
                        and (words[0].lower() in lx.FIRST_NAMES or " ".join(words[:cut]) in known_p)):
                    refined.append((words[:cut], person_cue, before, False, "", words[cut]))
                    rest = words[cut + 1:]
                    if rest and words[cut] == "of":
                        refined.append((rest, False, ("of",), possessive, "", next_token))
                    continue
                # "Kate Henshaw Is Looking Stunning In New Photos": a headline in title case run into the
                # text; a given name and the word after it are the name, the rest is the headline's
                if (len(words) >= 5 and words[0].lower() in lx.FIRST_NAMES and words[1].isalpha()
                        and not any(w.lower() in lx.CONNECTORS or w.lower().rstrip(".") in lx.ORG_SUFFIXES
                                    for w in words)):
                    words = words[:2]
                    possessive = False
                if len(words) == 1 and _is_acronym(words[0]):
                    if _model_number(tokens, last_idx + 1):
                        continue
                    state = _postal_state(words[0], tokens, first_idx)
                    if state:
                        words = state.split()
                # "told The Hill", "The Wrap's report": a name that keeps its "The" inside a sentence
                org_cue = ""
                if first_idx >= 2 and tokens[first_idx - 1] == "The" and (
                        lows[first_idx - 2] == "told" or lows[first_idx - 3:first_idx - 1] == ["according", "to"]
                        or after in lx.REPORT_VERBS or possessive):
                    org_cue = "The"  # "told The Hill", "The Wrap reported", "The Hill's request"
                elif len(words) == 1 and words[0].isalpha() and words[0].lower() not in lower_words:
                    if _camel_case(words[0]) and not (before and before[-1] in _DETERMINERS):
                        org_cue = "camel"  # "at WeWork", "SoftBank said" (but "the new AirPods")
                    elif (after in lx.ORG_NEXT_WORDS and not possessive
                          and not (at_start and g_no == 0 and p_no == 0 and _common_word(words[0]))):
                        org_cue = "next"  # "Alibaba shares" (but "Sometimes employees ...")
                refined.append((words, person_cue, before, possessive and p is pieces[-1], org_cue, next_token))
    return refined


def _locative_score(before: tuple[str, ...]) -> float:
    if not before:
        return 0.3
    last2 = before[-2:] if len(before) >= 2 else ("",) + before
    if before[-1] == "the" and len(before) >= 2:
        last2 = before[-3:-1] if len(before) >= 3 else ("",) + before[-2:-1]
    if tuple(last2) in _STRONG_LOCATIVE or (last2[-1], "") in _STRONG_LOCATIVE:
        return 3.0
    if last2[-1] in _LOCATIVE:
        return 2.0
    if last2[-1] == "of" and last2[0] in lx.PLACE_SUFFIXES:  # "the Georgievsky Hall of the Kremlin"
        return 2.0
    if last2[-1] == "from":
        return 1.0
    return 0.3


_SURNAME_TOWN_POPULATION = 250_000  # towns of ECB+ surnames: Newton 159,390, Moreno 148,290; Wellington 381,900


@functools.lru_cache(maxsize=1 << 16)
def _person_key(name: str) -> str:
    """Spelling-insensitive key of a person's name; cached, as folding compares every pair of names."""
    toks = [t for t in lx.name_fold(name).lower().replace(".", "").split() if t not in _NAME_SUFFIXES]
    if toks:
        toks[0] = lx.FIRST_NAME_VARIANTS.get(toks[0], toks[0])
    # never "" ("Jr."): names with one key are one person
    return " ".join(toks) or name


@functools.lru_cache(maxsize=1 << 16)
def _key_affixes(key: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The proper word-prefixes and word-suffixes of a person key ("a b c": "a", "a b"; "b c", "c");
    cached, as an event folds the same names again with every article."""
    words = key.split(" ")
    return (tuple(" ".join(words[:k]) for k in range(1, len(words))),
            tuple(" ".join(words[k:]) for k in range(1, len(words))))


def _initials(name: str) -> str:
    return "".join(t[0] for t in name.replace("-", " ").split() if t[:1].isupper() and t.lower() not in lx.CONNECTORS)


def _typed_by_lexicon(span: list[str], kind: str | None) -> bool:
    """Whether a span's type comes from a table (known people and organisations, the gazetteer), a
    first name or an initialism, rather than from the shape of capitalised words."""
    surface = " ".join(span)
    if surface in lx.known_people() or surface in lx.known_orgs() or surface in lx.places():
        return True
    if kind == PEOPLE and len(span) >= 2 and span[0].lower() in lx.FIRST_NAMES:
        return True
    return kind == ORGS and len(span) == 1 and _is_acronym(surface)


def extract(title: str | None, text: str, language: str | None = None) -> Entities:
    """Entities and where-scores of one article (title may be None). For German (``NOUNS_CAPITALISED``)
    a span the tables do not type is kept only for its words that are known places or names. In any
    other language with a stop list, a span of one stop word is no name. Cyrillic-script text has its
    own path (``_extract_cyrillic``)."""
    if _cyrillic_text(text, language):
        return _extract_cyrillic(title, text, language)
    by_lexicon = language in NOUNS_CAPITALISED
    # every language but English has a stop list here; English is served by the tagger's own rules
    function_words = language_stopwords(language)
    lines = paragraphs(text)
    title_lines: list[str] = []
    if title:
        title_lines.append(title)
    lower_words = set(map(str.lower, _LOWER_WORD.findall(text)))
    _LOWER.set(text, lower_words)
    mentions: list[Mention] = []
    deferred: list[tuple[str, bool]] = []  # title-case lines: only already-known names are matched
    sentence_no = 0
    for line in title_lines + lines:
        if is_titlecase_line(line):
            deferred.append((line, True))
            continue
        for sentence in split_sentences(line):
            early = sentence_no < 2
            sentence_no += 1
            toks = _tokens(sentence)
            for span, person_cue, before, possessive, org_cue, next_token in _spans(toks, lower_words):
                if by_lexicon:  # "Auch" (also; a French town), "Die Bundesregierung": sentence openers
                    while span and _function_word(span[0], function_words):
                        span = span[1:]
                    if not span:
                        continue
                elif function_words and len(span) == 1 and _function_word(span[0], function_words):
                    # a function word opening a sentence alone: French "Sur la ligne ...", Spanish
                    # "Un incendio ..." were the towns Sur (Oman) and Un (India), and the lead place
                    continue
                surface = " ".join(span)
                kind = _classify(span, person_cue, org_cue)
                if kind == "misc":
                    continue
                if kind == PLACES and surface.isupper() and len(surface) >= 4:
                    surface = surface.title()  # "HANOI, Vietnam (AP)"
                elif kind == ORGS and org_cue == "The" and len(span) <= 2 and surface not in lx.known_orgs():
                    surface = "The " + surface  # "The Hill", "The Wrap": the paper's own name
                if by_lexicon and not _typed_by_lexicon(span, kind):
                    _add_known_words([w for w in span if not _function_word(w, function_words)], mentions, early)
                    continue
                loc = (0.3 if possessive else _locative_score(before)) if kind in (PLACES, None) else 0.0
                if kind is None and len(span) == 1 and person_cue:
                    kind = PEOPLE
                if loc >= 1.0 and len(span) == 1 and _qualifies_noun(surface, before, next_token):
                    loc = 0.3  # the place cue is the noun's: "in the Republican primary", "at the Olympic pool"
                modifier = kind == PLACES and not possessive and _town_modifier(surface, next_token, loc)
                mentions.append(Mention(surface, kind, loc, person_cue, early, modifier))
    return _resolve(mentions, deferred)


def _function_word(word: str, function_words: frozenset[str]) -> bool:
    """A word of the language's stop list, unless it is a large city or a country: the stop lists are
    frequency lists and hold "berlin", while "Auch" opening a German sentence is "also", not the town."""
    if word.lower() not in function_words:
        return False
    place = lx.places().get(word)
    return place is None or place[1] != "country" and place[2] < 500_000


def _add_known_words(span: list[str], mentions: list[Mention], early: bool) -> None:
    """The words of an untyped span that are places of the gazetteer or known names, and single
    capitalised words (kept undecided: they count only when they repeat a person named in full)."""
    if not span:
        return
    if len(span) == 1:
        if span[0] in lx.places():
            mentions.append(Mention(span[0], PLACES, 0.3, False, early))
        elif span[0] in lx.known_people() or span[0] in lx.known_orgs():
            mentions.append(Mention(span[0], _classify(span, False), 0.0, False, early))
        else:
            mentions.append(Mention(span[0], None, 0.0, False, early))
        return
    for word in span:
        if word[:1].isupper() and (word in lx.places() or word in lx.known_people() or word in lx.known_orgs()):
            kind = PLACES if word in lx.places() else _classify([word], False)
            mentions.append(Mention(word, kind, 0.3 if kind == PLACES else 0.0, False, early))


def _resolve(mentions: list[Mention], deferred: list[tuple[str, bool]]) -> Entities:
    known_people = lx.known_people()
    known_orgs = lx.known_orgs()
    places = lx.places()
    # multi-word people by key, to fold single words and spelling variants into them
    full_people = {m.surface for m in mentions if m.kind == PEOPLE and " " in m.surface}
    padded = _padded_names(full_people)
    if padded:
        for m in mentions:
            m.surface = padded.get(m.surface, m.surface)
        full_people -= padded.keys()
    last_index: dict[str, set[str]] = defaultdict(set)
    first_index: dict[str, set[str]] = defaultdict(set)
    given_surnames: set[str] = set()  # of full names with a given name: "Andrew Lopez", not "Zone Athens"
    fuller = _middle_name_variants(full_people)  # "Gigante" is Vincent Gigante, also named Vincent L. Gigante
    for name in full_people:
        toks = [t for t in name.split() if t.lower() not in _NAME_SUFFIXES]
        canonical = fuller.get(name) or known_people.get(name, name)
        last_index[toks[-1]].add(canonical)
        first_index[toks[0]].add(canonical)
        if any(t.lower() in lx.given_names() for t in toks[:-1]):
            given_surnames.add(toks[-1])

    def person_canonical(surface: str) -> str | None:
        if surface in known_people:
            return known_people[surface]
        if " " not in surface:
            cands = last_index.get(surface) or set()
            if len(cands) == 1:
                return next(iter(cands))
            cands = first_index.get(surface) or set()
            if len(cands) == 1 and surface.lower() not in lx.FIRST_NAMES:
                return next(iter(cands))
            return None
        return surface

    # collect counts per (type, canonical)
    counts: dict[str, Counter] = {PEOPLE: Counter(), ORGS: Counter(), PLACES: Counter()}
    aliases: dict[tuple[str, str], set[str]] = defaultdict(set)
    where: Counter = Counter()
    pending_orgs: list[Mention] = []
    tails = _org_tails(m.surface for m in mentions if m.kind == ORGS)
    shape_only = _shape_only_people(mentions, known_people)
    words_not_towns = _towns_named_as_words(mentions)
    company_towns = _company_towns(mentions, places)
    for m in mentions:
        s = m.surface
        kind = m.kind
        # a known place is never a short form: "Russia" after "United Russia" is the country
        org = tails.get(s) if kind in (PEOPLE, None) and s not in known_people and s not in places else None
        if org and (" " in s or person_canonical(s) is None):
            counts[ORGS][org] += 1  # "the Department" after "Los Angeles Police Department"
            aliases[(ORGS, org)].add(s)
            continue
        pc = person_canonical(s) if kind in (PEOPLE, None, PLACES) and (kind == PEOPLE or " " not in s) else None
        if pc and (kind == PEOPLE or s in known_people or (" " not in s and pc != s and s not in known_orgs)):
            # a known place that only shares a word with a person stays a place; but a town that is the
            # surname of a person the text names in full is that person ("Jessie Buckley ... Buckley
            # wins"), unless it stands where a place does ("in Buckley"). Countries and states stay
            # places ("King Abdullah of Jordan" beside Michael Jordan), and so does a large city after
            # words that are no given name ("Northeast Philadelphia", "Waitrose Wellington").
            place = places.get(s) if kind == PLACES else None
            if place and not m.person_cue and s not in known_people and not (
                    place[1] == "city" and m.locative < 2.0 and pc in last_index.get(s, ())
                    and (s in given_surnames or place[2] < _SURNAME_TOWN_POPULATION)):
                pc = None
        if pc and (kind == PEOPLE or kind is None or kind == PLACES and pc):
            counts[PEOPLE][pc] += 1
            aliases[(PEOPLE, pc)].add(s)
            continue
        if s in words_not_towns:
            continue
        if s in company_towns:  # "Toyota said" after "Toyota Motor Corp."
            counts[ORGS][company_towns[s]] += 1
            aliases[(ORGS, company_towns[s])].add(s)
            continue
        if kind == ORGS:
            canonical = known_orgs.get(s, s)
            if _is_acronym(s) and s not in known_orgs:
                pending_orgs.append(m)
                continue
            counts[ORGS][canonical] += 1
            aliases[(ORGS, canonical)].add(s)
            continue
        if (kind == PLACES or (kind is None and s in places) or (kind == PEOPLE and _is_region(s, places))
                or (kind is None and m.locative >= 2.0 and " " not in s and s.lower() not in lx.DEMONYMS
                    and not any(c.isdigit() for c in s))):  # "in IE8", "in Q3": a version or a quarter
            entry = places.get(s)
            canonical = entry[0] if entry else s
            counts[PLACES][canonical] += 1
            aliases[(PLACES, canonical)].add(s)
            score = m.locative * (1.5 if m.early else 1.0) * (0.6 if entry and entry[1] in ("country", "region") else 1.0)
            where[canonical] += score
            parent = lx.LANDMARKS.get(canonical)
            if parent:
                where[parent] += score
            continue
        if kind is None and s in known_orgs:
            counts[ORGS][known_orgs[s]] += 1
            aliases[(ORGS, known_orgs[s])].add(s)
    # initialisms fold into a full organisation name with the same initials
    by_initials = {}
    for name in counts[ORGS]:
        if " " in name:
            by_initials.setdefault(_initials(name), set()).add(name)
    for m in pending_orgs:
        target = by_initials.get(m.surface.replace(".", ""))
        canonical = next(iter(target)) if target and len(target) == 1 else m.surface
        counts[ORGS][canonical] += 1
        aliases[(ORGS, canonical)].add(m.surface)
    # spelling variants of people ("Dmitri Medvedev" / "Dmitry Medvedev") fold by key, and a name
    # with fewer middle names into the fuller one ("Vincent Gigante" / "Vincent L. Gigante")
    _fold_people(counts[PEOPLE], aliases)
    _fold_middle_names(counts[PEOPLE], aliases)
    # title-case lines: count only names already found
    if deferred:
        _match_deferred(deferred, counts, aliases, where)
    out = Entities()
    for kind, target in ((PEOPLE, out.people), (ORGS, out.organisations), (PLACES, out.places)):
        for name, n in counts[kind].most_common():
            target[name] = [n, sorted(a for a in aliases[(kind, name)] if a != name)]
    # who the text is about by name, untyped names included, most mentioned first
    out.who = [[name, n] for name, n in counts[PEOPLE].most_common(5)]
    for name in [n for n in out.people if n in shape_only]:  # most mentioned first, as people
        out.names[name] = out.people.pop(name)
    out.where = {k: round(v, 2) for k, v in where.most_common() if k in counts[PLACES] or k in lx.places()}
    return out


def _towns_named_as_words(mentions: list[Mention]) -> set[str]:
    """Towns every mention of which is a word before a noun (``_town_modifier``): "Federal agents",
    "Young people". A town the text also names where a place stands ("in Golden, Colo.") is a place
    at each mention ("Golden residents")."""
    modifiers = {m.surface for m in mentions if m.modifier}
    if not modifiers:
        return modifiers
    return modifiers - {m.surface for m in mentions if m.kind == PLACES and not m.modifier}


_COMPANY_WORDS = frozenset("inc inc. corp corp. corporation co co. company ltd ltd. llc plc gmbh ag sa group "
                           "holdings industries motor motors".split())


def _company_towns(mentions: list[Mention], places: dict) -> dict[str, str]:
    """Towns that open the name of a company the text names and that no mention puts where a place
    stands: "Toyota" after "Toyota Motor Corp." is the company's short name, not the town. A town
    that opens two companies' names is left as it is."""
    heads: dict[str, set[str]] = defaultdict(set)
    for m in mentions:
        toks = m.surface.split()
        if m.kind == ORGS and len(toks) >= 2 and toks[-1].lower() in _COMPANY_WORDS:
            entry = places.get(toks[0])
            if entry is not None and entry[1] == "city":
                heads[toks[0]].add(m.surface)
    located = {m.surface for m in mentions if m.surface in heads and m.locative >= 1.0}
    return {town: next(iter(orgs)) for town, orgs in heads.items() if len(orgs) == 1 and town not in located}


def _is_region(surface: str, places: dict) -> bool:
    """A country or state named where a person could stand ("via Russia's former president") and
    no person in the text answers to it: the place, not a lost surname. A city is left out, as
    many share a surname ("Troy", "Lopez")."""
    entry = places.get(surface)
    return entry is not None and entry[1] in ("country", "state")


def _shape_only_people(mentions: list[Mention], known_people) -> set[str]:
    """Multi-word spans that only their shape calls people (two or three capitalised words:
    "MacBook Pro", "Cabinet Room", "Drug Abuse"): nothing confirms a person, neither a given name
    (lexicon.given_names: 5,000 from the US Census) nor a title or a speech verb beside any of their
    mentions, nor their last word standing alone elsewhere ("Barkov scored"). They are resolved with
    the people (so they fold and count alike), then listed as NAMES, not people; ``Entities.who``
    keeps both, as they tell apart two stories of one beat alike. A span opened by a verb form or an
    adverb ("Getting Disney", ``_verb_like_opener``) is a name whatever else speaks for it."""
    singles = {m.surface for m in mentions if " " not in m.surface}
    cued = {m.surface for m in mentions if m.person_cue}
    out = set()
    for m in mentions:
        s = m.surface
        if m.kind != PEOPLE or " " not in s or s in known_people or s in out:
            continue
        toks = s.split()
        if _verb_like_opener(toks[0].lower()):  # "Getting Disney", "Hosting Cook", "Ironically Nichols"
            out.add(s)
            continue
        if s in cued:
            continue
        if toks[0].lower() not in lx.given_names() and toks[-1] not in singles:
            out.add(s)
    return out


def _padded_names(people: set[str]) -> dict[str, str]:
    """Person spans that carry a word in front of a name the text also gives alone ("Notorious
    Bettie Page", "President-elect Barack Obama", "Coroner Gary Hargrove") -> that name. A leading
    first name is never dropped ("Eric Allen Kirkpatrick" stays whole)."""
    out = {}
    for name in people:
        toks = name.split()
        if len(toks) >= 3 and toks[0].lower() not in lx.FIRST_NAMES:
            for k in range(1, len(toks) - 1):
                tail = " ".join(toks[k:])
                if tail in people:
                    out[name] = tail
                    break
    return out


def _name_parts(name: str) -> tuple[str, tuple[str, ...], str] | None:
    """(first, middle words, last) of a person key, or None for a name of one word."""
    toks = _person_key(name).split()
    return (toks[0], tuple(toks[1:-1]), toks[-1]) if len(toks) >= 2 else None


def _fuller_name(short: tuple[str, ...], full: tuple[str, ...]) -> bool:
    """Whether the middle words ``full`` say at least what ``short`` does: none ("Vincent Gigante"
    beside "Vincent L. Gigante"), or as many, each the same word or its initial ("John M. Ford"
    beside "John Milo Ford")."""
    if not short:
        return bool(full)
    return len(short) == len(full) and short != full and all(
        s == f or len(s) == 1 and f.startswith(s) for s, f in zip(short, full))


def _middle_name_variants(names) -> dict[str, str]:
    """A person's name without or with fewer of the middle names -> the one fuller name of the same
    first and last name ("Vincent Gigante" -> "Vincent L. Gigante", "John M. Ford" -> "John Milo
    Ford"). Left alone when two fuller names differ ("George Bush" beside "George W. Bush" and
    "George H. W. Bush") or when a known person's name is the shorter."""
    parts = {name: _name_parts(name) for name in names}
    by_ends: dict[tuple[str, str], list[str]] = defaultdict(list)
    for name, p in parts.items():
        if p:
            by_ends[(p[0], p[2])].append(name)
    out = {}
    for group in (g for g in by_ends.values() if len(g) > 1):
        for short in group:
            if short in lx.KNOWN_PEOPLE:
                continue
            fuller = [f for f in group if _fuller_name(parts[short][1], parts[f][1])]
            best = max(fuller, key=lambda f: (len(parts[f][1]), sum(map(len, parts[f][1]))), default=None)
            if best and all(f == best or _fuller_name(parts[f][1], parts[best][1]) for f in fuller):
                out[short] = best
    return out


def _fold_middle_names(people: Counter, aliases: dict) -> None:
    """Fold the people named with fewer middle names into the one named with more (see
    ``_middle_name_variants``), within an article and over an event."""
    for short, full in _middle_name_variants(list(people)).items():
        if short in people and full in people:
            people[full] += people.pop(short)
            aliases[(PEOPLE, full)] = aliases.get((PEOPLE, full), set()) | aliases.pop((PEOPLE, short), set()) | {short}


def _org_tails(org_surfaces) -> dict[str, str]:
    """Short forms of the text's multi-word organisations: each proper tail ("Police Department",
    "Department") -> the full name, and the name without its organisation word when no given name
    opens it ("Big Machine" -> "Big Machine Records"); a short form two organisations share is left
    out."""
    out: dict[str, str] = {}
    shared: set[str] = set()
    for org in set(org_surfaces):
        toks = org.split()
        forms = [" ".join(toks[k:]) for k in range(1, len(toks))
                 if toks[k].lower() not in lx.CONNECTORS and toks[k].lower() not in lx.FIRST_NAMES
                 and toks[k][:1].isupper()]
        if (len(toks) >= 3 and toks[-1].lower() in lx.ORG_SUFFIXES and toks[-2].lower() not in lx.CONNECTORS
                and toks[0].lower() not in lx.given_names()):
            forms.append(" ".join(toks[:-1]))
        for form in forms:
            if out.get(form, org) != org:
                shared.add(form)
            out[form] = org
    for tail in shared:
        del out[tail]
    return out


def _fold_people(people: Counter, aliases: dict) -> None:
    known = lx.KNOWN_PEOPLE
    keys = {name: _person_key(name) for name in people}
    by_key: dict[str, list[str]] = defaultdict(list)
    for name, key in keys.items():
        by_key[key].append(name)
    for names in by_key.values():
        if len(names) < 2:
            continue
        names.sort(key=lambda n: (n not in known, -people[n], -len(n)))
        keep = names[0]
        for other in names[1:]:
            people[keep] += people.pop(other)
            aliases[(PEOPLE, keep)] |= aliases.pop((PEOPLE, other), set()) | {other}
    # "Anthony LaCalamita" inside "Anthony LaCalamita III"; "Comeaux" -> "Arcade Joseph Comeaux Jr."
    names = sorted(people, key=len, reverse=True)
    # A name folds only into one whose key starts with its key and a space, or (a key of several
    # words) ends with a space and its key: the word-prefixes and word-suffixes of all keys tell
    # which names have any such partner, and the others skip the scan over every longer name.
    heads: set[str] = set()
    tails: set[str] = set()
    for name in names:
        key_heads, key_tails = _key_affixes(keys[name])
        heads.update(key_heads)
        tails.update(key_tails)
    for short in names[::-1]:
        if short not in people:
            continue
        key = keys[short]
        head, tail = key + " ", " " + key
        multiword = " " in key
        if key not in heads and not (multiword and key in tails):
            continue
        for long in names:
            if len(long) <= len(short):
                break  # names are longest first: no longer name is left
            if long not in people:
                continue
            lkey = keys[long]
            if lkey.startswith(head) or multiword and lkey.endswith(tail):
                if short in known and long not in known:
                    continue
                people[long] += people.pop(short)
                aliases[(PEOPLE, long)] |= aliases.pop((PEOPLE, short), set()) | {short}
                break


# given names that title case makes of plain words ("Will Rates Rise?", "Frank Talks", "Hope Fades")
_WORDLIKE_GIVEN = frozenset("will bill mark frank grace hope art chase rose joy faith summer dawn guy rich sue pat "
                            "ray lance max miles sky star young page price long gay penny sterling august april "
                            "may june major clay drew gale hunter royal grant dean rob earl prince".split())


def _titlecase_person(toks: list[str], i: int, people, lower: set) -> tuple[int, tuple[str, str]] | None:
    """In a title-case headline every word is capitalised, so only a given name can open a person
    there: "Lindsay Lohan Checks Into Betty Ford Center" names Lindsay Lohan. The next word is the
    surname unless the text writes it as a plain word, or an organisation or place word follows
    ("Betty Ford Center"). Counted as the text's own person of that surname when there is one."""
    if i + 1 >= len(toks):
        return None
    first, last = toks[i], toks[i + 1]
    low = first.lower()
    if (low not in lx.given_names() or low in _WORDLIKE_GIVEN or low in lower or not last.isalpha()
            or not last[:1].isupper() or len(last) < 2 or last.lower() in lower or last.lower() in lx.STOPWORDS):
        return None
    if i + 2 < len(toks) and (toks[i + 2].lower() in lx.ORG_SUFFIXES or toks[i + 2].lower() in lx.PLACE_SUFFIXES):
        return None
    same = [name for name in people if name.split()[-1] == last]
    return 2, (PEOPLE, same[0] if len(same) == 1 else f"{first} {last}")


def _match_deferred(deferred, counts, aliases, where) -> None:
    table: dict[str, tuple[str, str]] = {}
    for kind in (PEOPLE, ORGS, PLACES):
        for name in counts[kind]:
            table[name] = (kind, name)
            for a in aliases[(kind, name)]:
                table[a] = (kind, name)
    for surface, canonical in lx.known_people().items():
        table.setdefault(surface, (PEOPLE, canonical))
    for surface, canonical in lx.known_orgs().items():
        table.setdefault(surface, (ORGS, canonical))
    places = lx.places()
    lower = _LOWER.get()
    for line, _ in deferred:
        toks = [t for t in _tokens(line)]
        toks = [_strip_possessive(t)[0] for t in toks]
        i = 0
        while i < len(toks):
            hit = None
            for size in (5, 4, 3, 2, 1):
                if i + size > len(toks):
                    continue
                surface = " ".join(toks[i:i + size])
                if not surface[:1].isupper():
                    break
                if surface in table:
                    hit = (size, table[surface])
                    break
                if surface in places and surface.lower() not in lx.STOPWORDS and not (
                        size == 1 and places[surface][1] == "city" and surface.lower() in lower):
                    # a one-word town the text also writes as a plain word is that word in a
                    # headline ("Man Charged In ...", "Summit Ends"), as in _classify
                    hit = (size, (PLACES, places[surface][0]))
                    break
                capitals = surface.isupper() and len(surface) >= 3 and _capitals_place(surface)
                if capitals:  # "HANOI (AP) The WHO warned.": a dateline in a short line
                    hit = (size, (PLACES, capitals[0]))
                    break
            if hit is None:
                hit = _titlecase_person(toks, i, counts[PEOPLE], lower)
            if hit:
                size, (kind, name) = hit
                counts[kind][name] += 1
                if kind == PLACES:
                    where[name] += 0.45
                    parent = lx.LANDMARKS.get(name)
                    if parent:
                        where[parent] += 0.45
                i += size
            else:
                i += 1


# -- Cyrillic-script text ---------------------------------------------------------------------------

_CYRILLIC_LANGUAGES = frozenset("ru uk be bg sr mk kk ky tg mn".split())
_CYRILLIC_LETTER = re.compile("[\u0400-\u04ff]")
_LATIN_LETTER = re.compile("[A-Za-z]")
_PATRONYMIC = re.compile(r"(?:ович|евич|овна|евна|ична|івна|ївна)(?:а|у|ем|ом|ой|і|ою|ею)?$")
# the word before a place that says something happened there: "прибыл в", "прибув до", "визит в"
_CYRILLIC_ARRIVALS = ("прибы", "прибу", "прилет", "прилеті", "визит", "візит", "приех", "приїх", "прошл", "пройд",
                      "состоя", "відбу", "произош", "стал")
_CYRILLIC_LOCATIVE = frozenset(["в", "во", "на", "у", "до"])


def _cyrillic_text(text: str, language: str | None) -> bool:
    """Whether to tag ``text`` as Cyrillic-script news: a Cyrillic language, or no language given and
    more Cyrillic letters than Latin ones. English and plain-ASCII texts never are."""
    if language in _CYRILLIC_LANGUAGES:
        return True
    if language == "en" or text.isascii():
        return False
    sample = text[:3000]
    return len(_CYRILLIC_LETTER.findall(sample)) > len(_LATIN_LETTER.findall(sample))


def _case_forms(word: str):
    """The nominatives a word could be a case form of, by lexicon.CYRILLIC_CASE_ENDINGS (stems of at
    least two letters): "Путина" gives "Путин" (and "Путино", "Путиный" ...: callers keep the ones a
    table or the text has)."""
    for nominative, endings in lx.CYRILLIC_CASE_ENDINGS.items():
        for ending in endings:
            if word.endswith(ending) and len(word) - len(ending) >= 2:
                yield word[:len(word) - len(ending)] + nominative


@functools.lru_cache(maxsize=1 << 14)
def _given_nominative(word: str) -> str | None:
    """The nominative of a Russian or Ukrainian given name in any case ("Дмитрием" -> "Дмитрий"), or None."""
    names = lx.cyrillic_given_names()
    low = word.lower()
    if low in names:
        return word
    for form in _case_forms(low):
        if form in names:
            return form.capitalize()
    return None


@functools.lru_cache(maxsize=1 << 14)
def _cyrillic_place(word: str) -> str | None:
    """The gazetteer's name of a Cyrillic place in any case ("Пекине" -> "Beijing", "России" -> "Russia")."""
    table = lx.cyrillic_places()
    if word in table:
        return table[word]
    for form in _case_forms(word):
        if form in table:
            return table[form]
    return None


@functools.lru_cache(maxsize=8)
def _cyrillic_frequencies(code: str) -> dict[str, float]:
    """wordfreq's word frequencies of a Cyrillic-script language ("small" list; Russian's for one it lacks)."""
    import wordfreq  # late: only Cyrillic texts need it here

    return wordfreq.get_frequency_dict(code if code in wordfreq.available_languages("small") else "ru", "small")


def _surname_nominative(surname: str, given: str) -> str:
    """The nominative of a surname after a given name in an oblique case ("Дмитрием Песковым",
    "Марией Захаровой"), for the surname types of lexicon.CYRILLIC_SURNAME_CASES; the gender is the
    given name's (a nominative in -а or -я is a woman's). Other surnames are returned as written."""
    gender = "feminine" if given.endswith(("а", "я")) else "masculine"
    for ending, nominative in lx.CYRILLIC_SURNAME_CASES[gender]:
        if surname.endswith(ending) and len(surname) > len(ending) + 1:
            return surname[:len(surname) - len(ending)] + nominative
    return surname


def _cyrillic_title(low: str) -> bool:
    return low.startswith(lx.CYRILLIC_PERSON_TITLES)


def _cyrillic_pieces(tokens: list[str], stop: frozenset[str], lower_words: set[str],
                     common_opener: Callable[[str], bool]):
    """Capitalised runs of one sentence, cut where a name must start anew: before a given name that
    follows another word ("Кремля Дмитрий Песков"), after an initialism ("КНР Си Цзиньпином") and
    after a known place ("России Владимир"). Yields (words, index of the first, inside «»)."""
    n = len(tokens)
    name_like = [len(t) > 1 and _is_cap(t) for t in tokens]  # an initial ("В. Путин") is left out
    i = 0
    while i < n:
        if not name_like[i]:
            i += 1
            continue
        j = i
        piece: list[str] = []
        start = i
        while j < n and name_like[j]:
            word = tokens[j]
            if piece and (_given_nominative(word) and not _given_nominative(piece[-1])
                          or piece[-1].isupper() and not word.isupper()
                          or _cyrillic_place(piece[-1]) and not _cyrillic_place(word)):
                yield piece, start, start > 0 and tokens[start - 1] == "«"
                piece, start = [], j
            piece.append(word)
            j += 1
        if i == 0 or tokens[i - 1] in "\"“‘'(«—–-":
            # a sentence's first word that the stop list has or the text writes in lower case is no name,
            # unless it is a given name or a place (the frequency-built stop lists hold "иван", "россия")
            while piece and start == i and not (_given_nominative(piece[0]) or _cyrillic_place(piece[0])) and (
                    piece[0].lower() in stop or piece[0].lower() in lower_words
                    or len(piece) >= 2 and common_opener(piece[0])):
                piece = piece[1:]
                start += 1
                i += 1
        if piece:
            yield piece, start, start > 0 and tokens[start - 1] == "«"
        i = j


def _extract_cyrillic(title: str | None, text: str, language: str | None) -> Entities:
    """Entities of a Russian, Ukrainian, Bulgarian or Serbian article. A capitalised run is cut where a
    name starts anew (``_cyrillic_pieces``); a role before it ("пресс-секретарь") is a person cue; a
    run opened by a given name (Faker's Russian and Ukrainian lists, in any case) or cued is a person,
    other runs of two or three words are names; single words are places (CLDR's countries, GeoNames'
    Cyrillic city names, in any case), initialisms and «quoted» runs organisations, and any other
    single word counts only when it is the surname of a person named in full."""
    code = language if language in _CYRILLIC_LANGUAGES else "ru"
    stop = language_stopwords(code)
    lower_words = {w for w in re.findall(r"\b[^\W\d_][\w'’-]*", text) if w[0].islower()}
    sentences = ([title] if title else []) + [s for line in paragraphs(text) for s in split_sentences(line)]
    tokenised = [[t[:-1] if t[-1] == "." and len(t) > 1 else t for t in TOKEN_RE.findall(sentence)]
                 for sentence in sentences]
    # the capitalised words written inside a sentence, in all the cases they could be forms of
    inside = {form for tokens in tokenised for k in range(1, len(tokens)) if _is_cap(tokens[k])
              and tokens[k - 1] not in _OPENERS for form in (tokens[k], *_case_forms(tokens[k]))}
    frequencies = _cyrillic_frequencies(code)

    def common_opener(word: str) -> bool:
        """A sentence's first word that the language writes often ("Накануне") and the text never
        capitalises inside a sentence, in any case: a word, not the first of a name."""
        return (frequencies.get(word.lower(), 0.0) >= 10 ** -5 and word not in inside
                and not any(form in inside for form in _case_forms(word)))

    raw: list[tuple[list[str], bool, float, bool, bool]] = []  # words, cue, locative, early, quoted
    for number, tokens in enumerate(tokenised):
        lows = [t.lower() for t in tokens]
        for words, start, quoted in _cyrillic_pieces(tokens, stop, lower_words, common_opener):
            before = lows[max(0, start - 3):start]
            cue = False
            while words and _cyrillic_title(words[0].lower()):  # "Президент", "Глава МИД"
                words = words[1:]
                start += 1
                cue = True
            if not words:
                continue
            cue = cue or any(_cyrillic_title(w) for w in before)
            locative = 0.3
            if before and before[-1] in _CYRILLIC_LOCATIVE:
                locative = 3.0 if len(before) >= 2 and before[-2].startswith(_CYRILLIC_ARRIVALS) else 2.0
            raw.append((words, cue, locative, number < 2, quoted))
    # the forms every capitalised word takes in the text: an inflected one folds into a seen nominative
    seen = {w for words, *_ in raw for w in words}

    def fold(word: str) -> str:
        given = _given_nominative(word)
        if given:
            return given
        return next((form for form in _case_forms(word) if form != word and form in seen), word)

    mentions: list[Mention] = []
    written: dict[str, set[str]] = defaultdict(set)  # folded name -> the forms the text writes
    for words, cue, locative, early, quoted in raw:
        folded = [fold(w) for w in words]
        if len(words) >= 2 and folded[-1] == words[-1] and folded[0] != words[0] and _given_nominative(words[0]):
            folded[-1] = _surname_nominative(words[-1], folded[0])
        if len(words) >= 2 and folded[-1] != words[-1]:
            # the words of a name share its case: "Хаканом Фиданом" is "Хакан Фидан" when "Фидан" is seen
            stem = len(os.path.commonprefix([words[-1], folded[-1]]))
            ending, nominative = words[-1][stem:], folded[-1][stem:]
            folded = [w[:len(w) - len(ending)] + nominative if f == w and ending and w.endswith(ending) else f
                      for w, f in zip(words[:-1], folded[:-1])] + folded[-1:]
        surface = " ".join(folded)
        written[surface].add(" ".join(words))
        if quoted:
            mentions.append(Mention(surface, ORGS, 0.0, False, early))
        elif len(words) == 1 and _cyrillic_place(words[0]):
            place = _cyrillic_place(words[0])
            written[place].add(words[0])
            mentions.append(Mention(place, PLACES, locative, False, early))
        elif len(words) == 1 and _is_acronym(words[0]):
            mentions.append(Mention(words[0], ORGS, 0.0, False, early))
        elif len(words) >= 2 and (_given_nominative(words[0]) or cue or _PATRONYMIC.search(words[1].lower())):
            mentions.append(Mention(surface, PEOPLE, 0.0, cue, early))
        elif 2 <= len(words) <= 3:
            mentions.append(Mention(surface, NAMES, 0.0, cue, early))
        elif len(words) == 1 and not _given_nominative(words[0]):
            mentions.append(Mention(surface, None, 0.0, cue, early))
    return _resolve_cyrillic(mentions, written)


def _resolve_cyrillic(mentions: list[Mention], written: dict[str, set[str]]) -> Entities:
    """Counts per canonical name: a surname or a first word alone ("Путин", "Си") is the person named
    in full that it belongs to, when only one does; names confirmed as people by a cue or a given name
    are people, the others stay NAMES unless their surname stands alone elsewhere."""
    full = {m.surface for m in mentions if m.kind in (PEOPLE, NAMES)}
    by_word: dict[str, set[str]] = defaultdict(set)
    for name in full:
        words = name.split()
        by_word[words[-1]].add(name)
        if not _given_nominative(words[0]):
            by_word[words[0]].add(name)
    alone = {m.surface for m in mentions if m.kind is None}
    confirmed = {m.surface for m in mentions if m.kind == PEOPLE or m.person_cue} | {
        name for name in full if name.split()[-1] in alone}
    counts: dict[str, Counter] = {PEOPLE: Counter(), ORGS: Counter(), PLACES: Counter()}
    aliases: dict[tuple[str, str], set[str]] = defaultdict(set)
    where: Counter = Counter()
    for m in mentions:
        s = m.surface
        if m.kind in (PEOPLE, NAMES) or m.kind is None:
            owners = by_word.get(s, ()) if m.kind is None else (s,)
            if m.kind is None and len(owners) != 1:
                continue
            name = next(iter(owners))
            counts[PEOPLE][name] += 1
            aliases[(PEOPLE, name)] |= written[s]
        elif m.kind == PLACES:
            counts[PLACES][s] += 1
            aliases[(PLACES, s)] |= written[s]
            score = m.locative * (1.5 if m.early else 1.0) * (0.6 if lx.places().get(s, ("", ""))[1] == "country" else 1.0)
            where[s] += score
            parent = lx.LANDMARKS.get(s)
            if parent:
                where[parent] += score
        else:
            counts[ORGS][s] += 1
            aliases[(ORGS, s)] |= written[s]
    out = Entities()
    for kind, target in ((PEOPLE, out.people), (ORGS, out.organisations), (PLACES, out.places)):
        for name, n in counts[kind].most_common():
            target[name] = [n, sorted(a for a in aliases[(kind, name)] if a != name)]
    out.who = [[name, n] for name, n in counts[PEOPLE].most_common(5)]
    for name in [n for n in out.people if n in full and n not in confirmed]:
        out.names[name] = out.people.pop(name)
    out.where = {k: round(v, 2) for k, v in where.most_common()}
    return out
