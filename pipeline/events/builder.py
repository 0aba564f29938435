"""EventBuilder: folds an article's facts into its event's state and builds the news.events record.

The state is a plain JSON-able dict (it lives in a Faust table whose every write is a changelog
message), bounded by the caps in :class:`EventBuilder`:

``members``  up to ``max_articles`` member rows ``[id, url, source, title, published, relation,
             duplicate_of, similarity]`` taking at most ``MAX_MEMBER_BYTES`` as JSON; later members
             are only counted and remembered in ``seen``
``seen``     short digests of the ids of members past ``max_articles`` (at most ``max_seen``,
             oldest dropped first), so a redelivery is recognised without the full row
``ent``      entity type -> canonical name -> ``[mentions, [aliases]]``, at most ``max_entities``
             per type (the least mentioned are pruned)
``where``    place -> locative support; ``dates`` "start|end|precision|basis" -> mentions;
``kw``       keyword -> weight; ``langs`` and ``sources`` -> member counts (capped)
``reps``     up to ``max_reps`` representative candidates with their headline, lead sentences and
             a small term vector: what the title and summary are chosen from
``pub``      earliest and latest publication dates
"""
from __future__ import annotations

import functools
import hashlib
import math
import re
from collections import Counter, defaultdict
from datetime import date
from typing import Any
from urllib.parse import urlsplit

import orjson

from . import lexicon, ner
from .dates import _anchor, published_day
from .facts import _FURNITURE, _get
from .text import ends_full_width

STATE_VERSION = 1
ORIGINAL = ("new", "story")
TYPES = (ner.PEOPLE, ner.ORGS, ner.PLACES)
# The member rows' share of a record: the record and the state must fit the smallest message size the
# topics can have (1 MiB and a byte, settings.message_max_bytes), and a row at the raw schema's limits
# (4,096-character title and URL, 512-character id) is up to 40 KB, so 100 of them would not.
MAX_MEMBER_BYTES = 256 * 1024


def _digest(article_id: str) -> str:
    return hashlib.blake2b(article_id.encode("utf-8"), digest_size=8).hexdigest()


def _prune(mapping: dict, cap: int, key=lambda kv: kv[1]) -> dict:
    if len(mapping) <= cap:
        return mapping
    ranked = sorted(mapping.items(), key=lambda kv: (-key(kv), kv[0]))[:cap]
    keep = {k for k, _ in ranked}
    return {k: v for k, v in mapping.items() if k in keep}


def _fresh_containers(state: dict) -> dict:
    """A copy of ``state`` for ``_fold`` to change: new containers for what it changes in place, the
    rest shared (member rows, representatives and the entities' entries are never changed once
    stored; ``_fold`` replaces an entry before adding to it). A JSON round trip of the whole state
    cost several times more."""
    copy = dict(state)
    for key in ("members", "seen", "reps"):
        copy[key] = list(state[key])
    for key in ("where", "dates", "kw", "langs", "sources"):
        copy[key] = dict(state[key])
    copy["ent"] = {kind: dict(bucket) for kind, bucket in state["ent"].items()}
    return copy


def _norm(vec: dict[str, float]) -> float:
    return math.sqrt(sum(v * v for v in vec.values()))


def _cosine(a: dict[str, float], b: dict[str, float], b_norm: float | None = None) -> float:
    """Cosine of two sparse vectors; pass ``b_norm`` when comparing many vectors with one ``b``."""
    if not a or not b:
        return 0.0
    get = b.get
    dot = sum(v * get(k, 0.0) for k, v in a.items())
    na = _norm(a)
    nb = _norm(b) if b_norm is None else b_norm
    return dot / (na * nb) if na and nb else 0.0


def _vector(facts: dict) -> dict[str, float]:
    vec: dict[str, float] = {}
    for term, weight in facts.get("keywords", [])[:12]:
        vec[term] = round(math.log1p(weight), 3)
    for kind in TYPES:
        for name, n, _aliases in facts.get("entities", {}).get(kind, [])[:8]:
            vec[name.lower()] = round(math.log1p(n), 3)
    return vec


MEMBER_KEYS_BYTES = 80  # what a record's member object adds to its row: the eight keys


def _fits(members: list, row: list) -> bool:
    """Whether the member rows with ``row`` stay within MAX_MEMBER_BYTES as the record writes them."""
    rows_bytes = len(orjson.dumps(members)) + len(orjson.dumps(row))
    return rows_bytes + MEMBER_KEYS_BYTES * (len(members) + 1) <= MAX_MEMBER_BYTES


class EventBuilder:
    def __init__(self, *, max_articles: int = 100, max_seen: int = 1000, max_entities: int = 40,
                 max_reps: int = 12, max_keywords: int = 60, max_places: int = 30, max_dates: int = 30,
                 max_sources: int = 100):
        self.max_articles = max_articles
        self.max_seen = max_seen
        self.max_entities = max_entities
        self.max_reps = max_reps
        self.max_keywords = max_keywords
        self.max_places = max_places
        self.max_dates = max_dates
        self.max_sources = max_sources

    # -- state -------------------------------------------------------------------------

    @staticmethod
    def is_member(state: dict | None, article_id: str) -> bool:
        if not state:
            return False
        return any(row[0] == article_id for row in state["members"]) or _digest(article_id) in state["seen"]

    def apply(self, state: dict | None, article: Any, facts: dict, assignment: Any, now: str,
              reused_id: bool = False):
        """Fold one article into its event. Returns (state, record), or (state, None) for a redelivery.

        ``reused_id``: the caller no longer holds the id's text (the clustering window evicted it),
        so a member listed under the id may be another article: one listed with another source, URL
        or title is, and this one joins as a member of its own."""
        article_id = str(_get(article, "id"))
        if self.is_member(state, article_id) and not (reused_id and self._listed_as_other(state, article)):
            return state, None
        event_id = _get(assignment, "event_id")
        relation = _get(assignment, "relation") or "new"
        duplicate_of = _get(assignment, "duplicate_of")
        similarity = _get(assignment, "similarity")
        if state is None:
            state = {"v": STATE_VERSION, "event_id": event_id, "version": 0, "first_seen": now,
                     "last_updated": now, "count": 0, "members": [], "seen": [], "ent": {t: {} for t in TYPES},
                     "where": {}, "dates": {}, "kw": {}, "langs": {}, "sources": {}, "reps": [], "pub": None}
        else:
            state = _fresh_containers(state)  # never mutate the caller's (table's) value
        source = _get(article, "source") or "unknown"
        published = _get(article, "published")
        row = [article_id, _get(article, "url"), source, _get(article, "title"), published, relation,
               duplicate_of, None if similarity is None else round(float(similarity), 4)]
        if len(state["members"]) < self.max_articles and _fits(state["members"], row):
            state["members"].append(row)
        else:
            state["seen"].append(_digest(article_id))
            if len(state["seen"]) > self.max_seen:
                del state["seen"][: len(state["seen"]) - self.max_seen]
        self._fold(state, facts, relation, article_id, source, published, _get(article, "text"),
                   dateline=_get(article, "dateline"))
        state["count"] += 1
        state["version"] += 1
        state["last_updated"] = now
        return state, self.record(state)

    @staticmethod
    def _listed_as_other(state: dict, article: Any) -> bool:
        """Whether the member listed under the article's id names another source, URL or title (a
        member past the bounded list is only remembered by a digest of its id: taken as the same)."""
        article_id = str(_get(article, "id"))
        mine = (_get(article, "url"), _get(article, "source") or "unknown", _get(article, "title"))
        rows = [row for row in state["members"] if row[0] == article_id]
        return bool(rows) and all((row[1], row[2], row[3]) != mine for row in rows)

    def _fold(self, state: dict, facts: dict, relation: str, article_id: str, source: str,
              published: str | None, text: str | None = None, dateline: str | None = None) -> None:
        # duplicates (exact/near) count for membership but add no new evidence twice over
        weight = 1.0 if relation in ORIGINAL else 0.5
        for kind in TYPES:
            bucket = state["ent"][kind]
            named = facts.get("named_orgs", []) if kind == ner.ORGS else []  # for the record only
            for name, n, aliases in [*facts.get("entities", {}).get(kind, []), *named]:
                entry = bucket.get(name)
                # a new list, not the stored one: the caller's state shares the entries
                entry = bucket[name] = [0, []] if entry is None else [entry[0], list(entry[1])]
                entry[0] += n
                for a in aliases:
                    if a not in entry[1] and len(entry[1]) < 8:
                        entry[1].append(a)
            state["ent"][kind] = _prune(bucket, self.max_entities, key=lambda kv: kv[1][0])
        for place, score in facts.get("where", {}).items():
            state["where"][place] = round(state["where"].get(place, 0.0) + score * weight, 2)
        state["where"] = _prune(state["where"], self.max_places)
        for start, end, precision, n, basis in facts.get("dates", []):
            key = f"{start}|{end or ''}|{precision}|{basis or ''}"
            state["dates"][key] = state["dates"].get(key, 0) + n
        state["dates"] = _prune(state["dates"], self.max_dates)
        for term, w in facts.get("keywords", []):
            state["kw"][term] = round(state["kw"].get(term, 0.0) + math.log1p(w) * weight, 3)
        state["kw"] = _prune(state["kw"], self.max_keywords)
        lang = facts.get("language")
        if lang:
            state["langs"][lang] = state["langs"].get(lang, 0) + 1
        if source in state["sources"] or len(state["sources"]) < self.max_sources:
            state["sources"][source] = state["sources"].get(source, 0) + 1
        # an article sent without its publication time may print it in a dateline the cleaning took
        # out of the text ("August 7, 2012" above the report): the event's publication days take it
        day = published_day(published)
        if day is None and isinstance(dateline, str) and (day := published_day(dateline)):
            key = f"{day.isoformat()}||day|text"  # ... and it is a day the article names, as its text's are
            state["dates"][key] = state["dates"].get(key, 0) + 1
            state["dates"] = _prune(state["dates"], self.max_dates)
        if day:
            iso = day.isoformat()
            lo, hi = state["pub"] or (iso, iso)
            state["pub"] = [min(lo, iso), max(hi, iso)]
        rep = {"id": article_id, "rel": relation, "headline": facts.get("headline"),
               "lead": facts.get("lead", [])[:4], "vec": _vector(facts)}
        if not rep["lead"]:
            rep["gist"] = _gist(text)  # a brief without a full stop: its opening words, not the event id
        state["reps"].append(rep)
        if len(state["reps"]) > self.max_reps:
            centre = self._centre(state)
            centre_norm = _norm(centre)
            worst = min(range(len(state["reps"])),
                        key=lambda i: (self._rep_score(state["reps"][i], centre, centre_norm), -i))
            del state["reps"][worst]

    # -- record ------------------------------------------------------------------------

    @staticmethod
    def _centre(state: dict) -> dict[str, float]:
        centre: dict[str, float] = {}
        for rep in state["reps"]:
            for k, v in rep["vec"].items():
                centre[k] = centre.get(k, 0.0) + v
        return centre

    @staticmethod
    def _rep_score(rep: dict, centre: dict[str, float], centre_norm: float | None = None) -> float:
        return _cosine(rep["vec"], centre, centre_norm) * (1.0 if rep["rel"] in ORIGINAL else 0.8) + (0.05 if rep["lead"] else -1.0)

    def record(self, state: dict) -> dict:
        """The full news.events record for ``state`` (schema event.v1)."""
        centre = self._centre(state)
        centre_norm = _norm(centre)
        ranked = sorted(state["reps"], key=lambda r: -self._rep_score(r, centre, centre_norm))
        titles = {row[0]: row[3] for row in state["members"] if row[3]}
        summary = ""
        for rep in ranked:
            # a title that did not read as one headline ("South Dakota doubles down on 'Meth. We're on
            # it.' They just might be.") opens the text the facts were read from: its pieces are not
            # the article's lead
            lead = [s for s in rep["lead"] if not _piece_of(s, titles.get(rep["id"]))]
            if lead:
                picked = lead[:2]
                if len(lead) > 2 and sum(len(s) for s in picked) < 320:
                    picked = lead[:3]
                summary = _join_sentences(picked)
                break
        gist = next((r["gist"] for r in ranked if r.get("gist")), None)
        title = _choose_title(state, ranked, titles, gist)
        if not summary:
            summary = gist or title
        entities = {kind: _entity_list(state["ent"][kind], kind) for kind in TYPES}
        entities[ner.PLACES] = [e for e in entities[ner.PLACES] if ner.shown_as_place(e["name"])]
        return {
            "schema_version": 1,
            "event_id": state["event_id"],
            "version": state["version"],
            "first_seen": state["first_seen"],
            "last_updated": state["last_updated"],
            "article_count": state["count"],
            "title": title,
            "summary": summary,
            "entities": entities,
            "when": _when(state),
            "where": _where(state, entities),
            "keywords": [k for k, _ in sorted(state["kw"].items(), key=lambda kv: (-kv[1], kv[0]))[:10]],
            "languages": [k for k, _ in sorted(state["langs"].items(), key=lambda kv: (-kv[1], kv[0]))],
            "sources": list(state["sources"]),
            "articles": [
                {"id": r[0], "url": r[1], "source": r[2], "title": r[3], "published": r[4], "relation": r[5],
                 "duplicate_of": r[6], "similarity": r[7]}
                for r in state["members"]
            ],
        }


def _choose_title(state: dict, ranked: list[dict], titles: dict[str, str], gist: str | None) -> str:
    """The most central member's headline; else a short member title; else the first lead sentence,
    shortened. A title that only names the outlet or the author is no headline at any step."""
    rows = {row[0]: row for row in state["members"]}

    def news(title: str | None, member_id: str) -> bool:
        return bool(title) and _is_news_title(title, rows.get(member_id))

    title = next((r["headline"] for r in ranked if news(r["headline"], r["id"])), None)
    if not title:
        # no member's title read as a headline: a short one that only holds a full stop or two
        # is still the article's headline, better than its first sentence cut at a quoted "Meth."
        title = next((titles[r["id"]] for r in ranked
                      if _short_headline(titles.get(r["id"])) and news(titles[r["id"]], r["id"])), None)
    if not title:
        title = _short_title(next((r["lead"][0] for r in ranked if r["lead"]), None)
                             or next((row[3] for row in state["members"] if news(row[3], row[0])), None)
                             or gist or state["event_id"])
    return title


# What a site titles a page that is no article: the front page's words, compared as _title_key gives them
PAGE_WORDS = frozenset({"home", "homepage", "news", "latestnews", "breakingnews", "topstories", "frontpage",
                        "index", "welcome", "untitled", "untitleddocument", "article", "story"})
OUTLET_SUFFIXES = ("news", "online", "live", "today")  # "BBC News" for the source "bbc"
WIRE_BYLINES = frozenset({"ap", "associatedpress", "reuters", "reutersstaff", "afp", "staff", "staffreport",
                          "staffwriter", "staffwriters", "admin", "editor", "editors"})
_TITLE_SEGMENTS = re.compile(r"\s+[|\-–—:·•»]+\s+|\s*[|·•»]\s*")
_BYLINE = re.compile(r"^\W*(?:(?:written|posted|story|words|photos?)\s+)?by\s+(.+)$", re.IGNORECASE)
_BYLINE_NAMES = re.compile(r"\s*(?:,|&|\band\b|\||/|\s[-–—]\s)\s*")


def _is_news_title(title: str, row: list | None) -> bool:
    """Whether ``title`` could be the headline of an article: not its site's or outlet's name ("BBC
    News", "Home | The Moscow Times"), not a byline ("By John Smith, Staff Writer"). A scraper or a
    feed that takes the page's name for the article's title gives such titles."""
    outlets = _outlet_keys(row)
    return not (_byline(title, outlets) or _names_outlet(title, outlets))


def _folded_words(text: str) -> list[str]:
    """The words of a name or a title, case and marks folded ("Vendôme" and "VENDOME" alike)."""
    return re.findall(r"[^\W_]+", lexicon.name_fold(text).casefold())


def _title_key(text: str) -> str:
    """Case-, mark-, space- and punctuation-insensitive key of a title or a name, without a leading "The"."""
    words = _folded_words(text)
    return "".join(words[1:] if len(words) > 1 and words[0] == "the" else words)


def _outlet_keys(row: list | None) -> frozenset[str]:
    """Keys of the names a member's outlet goes by: its source, and its URL's host and host labels
    (www.themoscowtimes.com: "themoscowtimes", "themoscowtimescom")."""
    if not row:
        return frozenset()
    keys = {_title_key(row[2] or "")}
    host = urlsplit(row[1]).hostname if isinstance(row[1], str) and "//" in row[1] else None
    labels = [label for label in (host or "").split(".") if label and label != "www"]
    keys.update(_title_key(label) for label in labels)
    keys.update(_title_key("".join(labels[i:])) for i in range(len(labels) - 1))
    keys.update([k[3:] for k in keys if k.startswith("the")])  # a host writes "The" without a space
    return frozenset(k for k in keys if len(k) >= 3)


def _names_outlet(title: str, outlets: frozenset[str]) -> bool:
    """Whether every part of ``title`` ("Home | The Moscow Times") is the outlet's name or a page word."""
    keys = [_title_key(part) for part in _TITLE_SEGMENTS.split(title)]
    keys = [k for k in keys if k]
    return bool(keys) and all(k in PAGE_WORDS or _outlet_key(k, outlets) for k in keys)


def _outlet_key(key: str, outlets: frozenset[str]) -> bool:
    if key in outlets:
        return True
    return any(key.endswith(suffix) and key[:-len(suffix)] in outlets for suffix in OUTLET_SUFFIXES)


def _byline(title: str, outlets: frozenset[str]) -> bool:
    """Whether ``title`` is an author's line: "By" and a person's name (a given name first, every word
    capitalised) or a wire service's, with nothing but more names or a role after it."""
    match = _BYLINE.match(title)
    if not match or len(title.split()) > 12:
        return False
    first = _BYLINE_NAMES.split(match.group(1).strip(), maxsplit=1)[0]
    words = first.split()
    if _title_key(first) in WIRE_BYLINES or _outlet_key(_title_key(first), outlets):
        return True
    return 2 <= len(words) <= 4 and words[0].lower() in lexicon.given_names() \
        and all(w[:1].isupper() for w in words)


SHORT_HEADLINE_WORDS = 24  # as many as a headline has (facts.headline_like)
SHORT_HEADLINE_CHARS = 200


def _short_headline(title: str | None) -> bool:
    """A member's title that is short enough for a headline and names no furniture, whatever full
    stops it holds: facts.headline_like refused it only for reading as several sentences."""
    return bool(title) and 2 <= len(title.split()) <= SHORT_HEADLINE_WORDS and len(title) <= SHORT_HEADLINE_CHARS \
        and not _FURNITURE.search(title)


def _piece_of(sentence: str, title: str | None) -> bool:
    """Whether ``sentence`` is a piece of ``title`` (the facts read a title that was not one headline
    as the first lines of the text)."""
    return bool(title) and len(sentence) < len(title) and " ".join(sentence.split()) in " ".join(title.split())


def _join_sentences(sentences: list[str]) -> str:
    """Sentences as one text: Chinese and Japanese ones follow each other without a space."""
    out = sentences[0] if sentences else ""
    for sentence in sentences[1:]:
        out += ("" if ends_full_width(out) else " ") + sentence
    return out



def _gist(text: str | None, limit: int = 320) -> str | None:
    """The opening words of ``text`` (whitespace folded, cut at a word within ``limit``), or None."""
    words = " ".join((text or "").split()[:80])
    return _short_title(words, limit) if words else None


def _short_title(sentence: str, limit: int = 140) -> str:
    if len(sentence) <= limit:
        return sentence
    cut = sentence[:limit].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def _entity_list(bucket: dict, kind: str) -> list[dict]:
    counts: Counter = Counter({name: entry[0] for name, entry in bucket.items()})
    aliases = {(kind, name): set(entry[1]) for name, entry in bucket.items()}
    if kind == ner.PEOPLE:
        ner._fold_people(counts, aliases)
        ner._fold_middle_names(counts, aliases)
    else:
        _fold_spellings(counts, aliases, kind)
        _fold_claimed_names(counts, aliases, kind)
    out = []
    for name, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        if n < 1:
            continue
        item = {"name": name, "mentions": int(n)}
        others = aliases.get((kind, name))
        al = sorted(others - {name})[:8] if others else []  # most names have no alias: no sort
        if al:
            item["aliases"] = al
        out.append(item)
    return out


def _spelling_key(name: str) -> str:
    """Case-, mark- and punctuation-insensitive key of an organisation's or a place's name."""
    return " ".join(_folded_words(name)) or name


def _merge(counts: Counter, aliases: dict, kind: str, keep: str, other: str) -> None:
    counts[keep] += counts.pop(other)
    aliases[(kind, keep)] = aliases.get((kind, keep), set()) | aliases.pop((kind, other), set()) | {other}


def _fold_spellings(counts: Counter, aliases: dict, kind: str) -> None:
    """One organisation or place that members spell differently ("Fox News" / "FOX News", "WikiLeaks" /
    "Wikileaks") is one entry: the facts fold spellings within an article only. The most mentioned
    spelling names it, on a tie one not in capitals."""
    by_key: dict[str, list[str]] = defaultdict(list)
    for name in counts:
        by_key[_spelling_key(name)].append(name)
    for names in by_key.values():
        if len(names) > 1:
            names.sort(key=lambda n: (-counts[n], n.isupper(), n))
            for other in names[1:]:
                _merge(counts, aliases, kind, names[0], other)


def _fold_claimed_names(counts: Counter, aliases: dict, kind: str) -> None:
    """A name listed on its own that exactly one other entry claims, as an alias or (an initialism) as
    its initials, is that entry: "WBC" from one member beside "World Boxing Council" [WBC] from another."""
    claims: dict[str, set[str]] = defaultdict(set)
    for name in counts:
        for alias in aliases.get((kind, name), ()):
            claims[alias].add(name)
        if kind == ner.ORGS and " " in name:
            claims[ner._initials(name)].add(name)
    for name in sorted(counts):
        owners = claims.get(name.replace(".", "") if name.isupper() else name, set()) | claims.get(name, set())
        owners.discard(name)
        if len(owners) == 1 and (owner := next(iter(owners))) in counts and name in counts:
            _merge(counts, aliases, kind, owner, name)


def _where(state: dict, entities: dict) -> list[str]:
    scores = {k: v for k, v in state["where"].items() if v >= 1.0 and ner.shown_as_place(k)}
    if not scores:
        return []
    top = max(scores.values())
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    return [k for k, v in ranked if v >= 0.4 * top][:5]


@functools.lru_cache(maxsize=4096)
def _doy(value: str) -> int | None:
    """Day number for comparing dates: with a year, its ordinal; without, day of a leap year."""
    try:
        if value.startswith("--"):
            return date(2000, int(value[2:4]), int(value[5:7])).toordinal()
        return date.fromisoformat(value).toordinal()
    except ValueError:
        return None


def _offset(value: str, anchor: str) -> int | None:
    """Days from ``anchor`` to ``value`` (both with a year or both without; without one, around the
    year's end: --01-02 is 3 days after --12-30)."""
    a, v = _doy(anchor), _doy(value)
    if a is None or v is None:
        return None
    gap = v - a
    if anchor.startswith("--") and abs(gap) > 183:
        gap -= 366 if gap > 0 else -366
    return gap


def _place(day: str, pub: list[str] | None) -> str:
    """A "--MM-DD" day with the year that puts it within 45 days of the event's publication days,
    as dates.mentions places one near its article's own; else unchanged."""
    if not day.startswith("--") or not pub:
        return day
    m, d = int(day[2:4]), int(day[5:7])
    for p in pub:
        y = _anchor(m, d, date.fromisoformat(p))
        if y:
            return f"{y:04d}{day[1:]}"
    return day


def _when(state: dict) -> dict | None:
    """The event's date or range from its texts' dates, else its first publication day. The most
    mentioned day wins whether or not the text gave its year; a day without one takes the year of the
    same day given with one, or of a publication day within 45 days. Dates without a year that no
    publication date could anchor (more than 45 days from it: the crime in a report of the sentencing,
    the month a car goes on sale) yield to a publication day when there is one."""
    pub = state.get("pub")
    days: Counter = Counter()      # "YYYY-MM-DD" or "--MM-DD" -> weight
    months: Counter = Counter()
    for key, n in state["dates"].items():
        start, end, precision, _basis = key.split("|")
        if precision in ("day", "day-no-year"):
            days[start] += n
            if end:
                days[end] += n
                # an explicit range is strong evidence for its whole span
                days[start] += 0.5
                days[end] += 0.5
        else:
            months[start] += n
    if days:
        # a year given for a day anywhere in the event applies to the same month-day without one
        years: dict[str, set[str]] = {}
        for d in days:
            if not d.startswith("--"):
                years.setdefault(d[4:], set()).add(d[:4])
        merged: Counter = Counter()
        for d, n in days.items():
            if d.startswith("--") and len(years.get(d[1:], ())) == 1:
                d = next(iter(years[d[1:]])) + d[1:]
            merged[_place(d, pub)] += n
        # the best supported day, whether or not the text gave its year ("died on Dec. 11" three times
        # is an obituary's day, not "born on April 22, 1923" once; three days of one week in December
        # are the event's, not a birthday named twice): the week with the most mentions (the days a
        # range holds), and in it the most mentioned day. On a tie one with a year, the one nearest the
        # publication days or, without them, the latest (not the oldest); days without a year in
        # calendar order.
        ords = {d: _doy(d) for d in merged}

        def close(a: str, b: str) -> bool:  # within a week, both with a year or both without
            if (a[0] == "-") != (b[0] == "-") or ords[a] is None or ords[b] is None:
                return False
            gap = abs(ords[a] - ords[b])
            return gap <= 7 or a[0] == "-" and gap >= 359  # --12-30 and --01-02

        week = {d: sum(n for e, n in merged.items() if close(d, e)) for d in merged}

        def tie(d: str) -> tuple:
            if d[0] == "-" or ords[d] is None:
                return True, 0, d
            return False, min(abs(ords[d] - _doy(p)) for p in pub) if pub else -ords[d], d

        best = min(merged, key=lambda d: (-week[d], -merged[d], tie(d)))
        anchor = min((d for d in merged if d == best or close(best, d)), key=lambda d: (-merged[d], -week[d], tie(d)))
        year_known = anchor[0] != "-"
        # a day no publication day could place: the publication day is the event's (see the docstring)
        if year_known or not pub:
            near = sorted({anchor, *(d for d in merged if close(anchor, d))}, key=lambda d: _offset(d, anchor) or 0)
            start, end = near[0], near[-1]
            precision = "day" if year_known else "day-no-year"
            value = start if start == end else f"{start}/{end}"
            return {"value": value, "start": start, "end": end, "precision": precision, "basis": "text"}
    if months:
        best = sorted(months.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        if not (best.startswith("--") and pub):
            precision = "month-no-year" if best.startswith("--") else "month"
            return {"value": best, "start": best, "end": best, "precision": precision, "basis": "text"}
    if pub:
        first = pub[0]
        return {"value": first, "start": first, "end": first, "precision": "day", "basis": "published"}
    return None
