"""Who / where / when cues that tell apart two events of the same kind.

Two stories on one beat (two rehab check-ins, two Putin-Xi meetings) share most of their
vocabulary; what differs is *who* acts, *where* and on *which day*. Topic similarity alone
merges them, so each article also carries a few tagged 32-bit cue codes:

* weekday named in the text ("on Saturday")             -> kind 1
* place named in the headline/lead ("in Beijing", "at the Kremlin") -> kind 2
* person: a "First Last" name whose surname recurs alone -> kind 3 (the surname's
  entity hash, so it can also be looked up in an entity profile)

A code is ``kind << 30 | (hash & 0x3FFFFFFF)``; the kind is recovered with ``code >> 30``.
"""
from __future__ import annotations

import re
from collections import Counter
from itertools import chain

WEEKDAY, PLACE, PERSON = 1, 2, 3
_LOW30 = (1 << 30) - 1

WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# one group per day: the day is the group that matched, not the lower-cased hit, which for a name
# that case folding matches ("FRİDAY", "tueſday") is none of the names
WEEKDAY_RE = re.compile(r"\b(?:" + "|".join(f"({d})" for d in WEEKDAY_NAMES) + r")\b", re.IGNORECASE)
_CAP = r"[A-ZÀ-ÖØ-Þ][\w'’\-]+"
# "in Beijing", "at the Grand Kremlin Palace", "from New Zealand"
# Speed: each pattern opens with a character class, so the regex engine scans for that class in C
# instead of trying the pattern at every position. "\b" before a word character is the same as
# "the previous character is not a word character": ``(?<!\w.)`` right after the first character;
# ``(?<=[Ii])n`` picks the keyword by its first letter, alternatives kept in their original order
# per letter, so every match is the one the plain form "\b(?:[Ii]n|[Aa]t|...)" gives.
PLACE_RE = re.compile(r"[IiAaFfNnOo](?<!\w.)(?:(?<=[Ii])n|(?<=[Aa])t|(?<=[Ff])rom|(?<=[Nn])ear|(?<=[Oo])utside)"
                      r"\s+(?:the\s+)?(" + _CAP + r"(?:[ \t]+" + _CAP + r"){0,3})")
# in/at/of/to/from/into/across (the) Xxx
PLACEISH_RE = re.compile(r"[IiAaOoTtFf](?<!\w.)(?:(?<=[Ii])(?:n|nto)|(?<=[Aa])(?:t|cross)|(?<=[Oo])f|(?<=[Tt])o"
                         r"|(?<=[Ff])rom)\s+(?:the\s+)?(" + _CAP + r")")
# "Jamal Williams", "Vladimir V. Putin"  (= r"\b(CAP)[ \t]+(?:[A-Z]\.[ \t]*)?(CAP)\b")
NAME_RE = re.compile(r"([A-ZÀ-ÖØ-Þ](?<!\w.)[\w'’\-]+)[ \t]+(?:[A-Z]\.[ \t]*)?(" + _CAP + r")\b")
CAPWORD_RE = re.compile(_CAP)


def code(kind: int, h: int) -> int:
    return (kind << 30) | (h & _LOW30)


def kind_of(c: int) -> int:
    return c >> 30


# "\bmonday\b" on lower-cased text, as a literal-led pattern: the engine finds the literal with a fast
# substring search instead of trying the pattern at every position
_DAY_RES = [re.compile(d + r"\b(?<!\w" + d + ")") for d in WEEKDAY_NAMES]


# "day", as the case-insensitive WEEKDAY_RE matches it: no character but the ASCII capital folds to
# "d", "a" or "y" (unlike "s", which "ſ" matches)
_DAY_ENDING = re.compile("[dD][aA][yY]")
_NAME_SIZES = sorted({len(d) for d in WEEKDAY_NAMES})


def weekdays(text: str, named: frozenset | set | None = None) -> list[int]:
    """Weekday cues of ``text``, sorted. ``named``, when given, holds the weekday names among the
    text's lower-cased word tokens; for ASCII text every WEEKDAY_RE hit is one of them, so only
    those names are searched for, in the lower-cased text (same hits: no case folding beyond ASCII
    can be involved).

    Otherwise the case-insensitive WEEKDAY_RE, which the engine must try at every position, is
    tried only where a name would start that ends at one of the text's few "day"s: a hit is a
    whole word (``\b`` on both sides), so it is found there and nowhere else, as findall finds it."""
    if named is not None and text.isascii():
        low = text.lower()
        return [code(WEEKDAY, i + 1) for i, d in enumerate(WEEKDAY_NAMES) if d in named and _DAY_RES[i].search(low)]
    found = set()
    for day in _DAY_ENDING.finditer(text):
        end = day.end()
        for size in _NAME_SIZES:
            hit = WEEKDAY_RE.match(text, end - size) if end >= size else None
            if hit:
                found.add(hit.lastindex)
    return [code(WEEKDAY, day) for day in sorted(found)]


# Weekday names of the languages whose day-first dates the facts read (DAY_FIRST_LANGUAGES), Monday
# first, so a German "am Dienstag" and an English "on Tuesday" give the same cue. German joins a time
# of day to the name ("Dienstagmorgen", "Freitagabend"); Portuguese needs "-feira" ("segunda" alone
# is "second").
_FOREIGN_WEEKDAYS = {
    "de": ("montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag|sonnabend", "sonntag"),
    "fr": ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
    "es": ("lunes", "martes", "miércoles|miercoles", "jueves", "viernes", "sábado|sabado", "domingo"),
    "it": ("lunedì|lunedi", "martedì|martedi", "mercoledì|mercoledi", "giovedì|giovedi", "venerdì|venerdi",
           "sabato", "domenica"),
    "pt": ("segunda-feira", "terça-feira|terca-feira", "quarta-feira", "quinta-feira", "sexta-feira", "sábado|sabado",
           "domingo"),
    "nl": ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"),
}
_DE_TIME_OF_DAY = "(?:s|früh|morgen|vormittag|mittag|nachmittag|abend|nacht)?"
# One pattern per language, the day's number its group's: a case-insensitive pattern is tried at
# every position, so one scan with one "(?<!\w)" check there rather than seven scans (0.12 -> 0.04 ms
# per article of those languages). A match is the whole of its words ((?<!\w), (?!\w)), and no day's
# name starts within or at another's, so the scan meets every day a search of its own would find.
_FOREIGN_WEEKDAY_RES = {
    lang: re.compile(r"(?<!\w)(?:" + "|".join("(" + names + ")" for names in days) + ")"
                     + (_DE_TIME_OF_DAY if lang == "de" else "") + r"(?!\w)", re.IGNORECASE)
    for lang, days in _FOREIGN_WEEKDAYS.items()}


def foreign_weekdays(text: str, language: str | None) -> list[int]:
    """Weekday cues named in the article's own language (empty for English and unlisted languages)."""
    regex = _FOREIGN_WEEKDAY_RES.get(language or "")
    if regex is None:
        return []
    return [code(WEEKDAY, day) for day in sorted({m.lastindex for m in regex.finditer(text)})]


# "in/at/near" in the languages whose weekdays and dates are read too: "à Lyon", "en Madrid", "a
# Roma", "em Lisboa", "bei Hildesheim", "bij Utrecht" (with an article: "au Caire", "nel Lazio")
_FOREIGN_PLACE_WORDS = {
    "de": "in|im|bei|nahe|nahe bei|unweit von",
    "fr": "à|au|aux|en|près de|près d'|dans",
    "es": "en|cerca de",
    "it": "a|in|nel|nella|presso|vicino a",
    "pt": "em|no|na|perto de",
    "nl": "in|bij|nabij",
}
_FOREIGN_PLACE_RES = {
    lang: re.compile(r"(?<!\w)(?:" + words + r")\s+(?:(?:la|le|les|el|los|il|lo|o|a|os|as|de|het)\s+)?("
                     + _CAP + r"(?:[ \t]+" + _CAP + r"){0,3})")
    for lang, words in _FOREIGN_PLACE_WORDS.items()}


def lead_places(lead: str, not_names: frozenset, hash_fn, k: int = 6, allowed: frozenset | None = None,
                language: str | None = None) -> list[int]:
    """Places the headline/lead situates the story in (each name token, lower-cased), after the
    English locatives or those of ``language``; only words of ``allowed`` when given (German, where
    "in Krankenhäuser" is a noun after "in")."""
    out: list[int] = []
    foreign = _FOREIGN_PLACE_RES.get(language or "")
    matches = PLACE_RE.finditer(lead) if foreign is None else chain(PLACE_RE.finditer(lead), foreign.finditer(lead))
    for m in matches:
        for w in m.group(1).split():
            lw = w.strip("'’-").lower()
            if lw.endswith(("'s", "’s")):
                lw = lw[:-2]
            c = code(PLACE, hash_fn(lw))
            if len(lw) > 2 and lw not in not_names and c not in out and (allowed is None or lw in allowed):
                out.append(c)
    return out[:k]


def persons(text: str, not_names: frozenset, hash_fn, k: int = 2, people: list[str] | None = None) -> list[int]:
    """The k most mentioned people: a surname seen after a first name and again on its own. With
    ``people`` (full names the event facts found), their surnames instead: in German "Deutsche Bahn
    ... die Bahn" has the shape of a name, and a noun before a name ("Bundeskanzler Olaf") hides it."""
    if people is not None:
        surnames = {name.split()[-1] for name in people if " " in name}
        return _top_people(text, surnames, hash_fn, k) if surnames else []
    surnames = set()
    for m in NAME_RE.finditer(text):
        first, last = m.group(1).lower(), m.group(2).lower()
        if first not in not_names and last not in not_names and len(last) > 2:
            surnames.add(m.group(2))
    if not surnames:  # nothing for the place pass below to remove: skip its scan
        return []
    # a word that follows "in/at/of/to/from (the)" somewhere is a place or an organisation
    surnames -= set(PLACEISH_RE.findall(text))
    if not surnames:
        return []
    return _top_people(text, surnames, hash_fn, k)


def _top_people(text: str, surnames: set[str], hash_fn, k: int) -> list[int]:
    """Person cues of the k surnames the text names most often (at least twice)."""
    counts = Counter(w for w in CAPWORD_RE.findall(text) if w in surnames)
    top = [w for w, c in sorted(counts.items(), key=lambda x: (-x[1], x[0])) if c >= 2][:k]
    return [code(PERSON, hash_fn("E:" + w.lower())) for w in top]


def entity_hash_of(person_code: int, ent_hashes) -> bool:
    """Whether a person cue's surname is among entity hashes (compared on the low 30 bits)."""
    low = person_code & _LOW30
    return any((h & _LOW30) == low for h in ent_hashes)


# --- cues from the event facts the pipeline computes anyway (pipeline.events.article_facts) --------
# Kind 0 codes carry a canonical name from the facts tagger: ``sub << 28 | (hash & 0x0FFFFFFF)``.
# The tagger folds aliases within an article ("Putin" -> "Vladimir Putin") and types each name,
# which the capitalised-token heuristics above cannot; people are keyed by surname so that
# "Lohan" in one article meets "Lindsay Lohan" in another.
FACT = 0
FACT_PERSON, FACT_PLACE, FACT_ORG = 1, 2, 3
_LOW28 = (1 << 28) - 1


def fact_code(sub: int, h: int) -> int:
    return (sub << 28) | (h & _LOW28)


def fact_sub(c: int) -> int:
    """FACT_PERSON / FACT_PLACE / FACT_ORG for a kind-0 code, 0 for any other cue."""
    return (c >> 28) & 3 if c >> 30 == FACT else 0


def fact_cues(facts: dict | None, hash_fn, k_people: int = 3, k_places: int = 3, k_orgs: int = 2) -> list[int]:
    """Kind-0 codes for an article's main people, where it happens and main organisations,
    strongest first; [] when there are no facts."""
    if not facts:
        return []
    ents = facts.get("entities") or {}
    out: list[int] = []

    def add(sub: int, key: str) -> None:
        key = key.strip().lower()
        c = fact_code(sub, hash_fn(key))
        if len(key) > 1 and c not in out:
            out.append(c)

    # who: the most mentioned people and capitalised names nothing types (a team, a rescue crew),
    # which tell two stories of one beat apart as people do (facts["who"]; older facts: people)
    people = (facts.get("who") or sorted(ents.get("people") or [], key=lambda x: -x[1]))[:k_people]
    for name, _n, *_ in people:
        add(FACT_PERSON, name.split()[-1])
    where = facts.get("where") or {}
    places = sorted(where.items(), key=lambda x: -x[1])[:k_places] if where else \
        [(name, n) for name, n, *_ in (ents.get("places") or [])][:k_places]
    for name, _w in places:
        add(FACT_PLACE, name)
    for name, _n, *_ in sorted(ents.get("organisations") or [], key=lambda x: -x[1])[:k_orgs]:
        add(FACT_ORG, name)
    return out
