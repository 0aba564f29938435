"""Boilerplate rules loaded from data (rules.yaml): inline removals, line rules, navigation blocks, walls."""
from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

from .literals import MAX_START_CHARS, may_hold, needs, words_of

DEFAULT_RULES = Path(__file__).with_name("rules.yaml")
_FLAGS = re.IGNORECASE | re.UNICODE
_SENTENCE_END = re.compile(r"[.:;,!\u3002\uff01]['\")\u201d\u2019]?$")


@dataclasses.dataclass(frozen=True, slots=True)
class InlineRule:
    name: str
    regex: re.Pattern


@dataclasses.dataclass(frozen=True, slots=True)
class LineRule:
    name: str
    regex: re.Pattern
    max_chars: int
    where: str  # any | head | tail | edges


@dataclasses.dataclass(frozen=True, slots=True)
class NavMarker:
    regex: re.Pattern
    max_teasers: int
    teaser_max_chars: int
    any_teaser: bool


@dataclasses.dataclass(frozen=True, slots=True)
class SiteRules:
    domain: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    inline: tuple[InlineRule, ...]
    lines: tuple[LineRule, ...]

    def applies(self, host: str | None, when: dt.date) -> bool:
        if not host or not (host == self.domain or host.endswith("." + self.domain)):
            return False
        if self.valid_from and when < self.valid_from:
            return False
        return not (self.valid_to and when > self.valid_to)


def _compile(pattern: str) -> re.Pattern:
    try:
        return re.compile(pattern, _FLAGS)
    except re.error as exc:
        raise ValueError(f"bad pattern {pattern!r} in the cleaning rules: {exc}") from None


_LEADING_SPACES = "\\s*"


def _any_inline(rules: tuple[InlineRule, ...]) -> re.Pattern:
    """One pattern that finds a match somewhere in a line whenever one of the inline ``rules`` does.
    A leading ``\\s*`` is left out of each: it cannot decide whether a rule matches, and at every
    position of a line it would make the search try all the rules over the spaces after it."""
    return _compile("|".join(f"(?:{_without_leading_spaces(r.regex.pattern)})" for r in rules) or "(?!)")


def _without_leading_spaces(pattern: str) -> str:
    rest = pattern.removeprefix(_LEADING_SPACES)
    return pattern if rest[:1] in ("?", "+") else rest  # "\\s*?", "\\s*+": the quantifier's own mark


def _inline(items: list[dict[str, Any]] | None) -> tuple[InlineRule, ...]:
    return tuple(InlineRule(item.get("name", "inline"), _compile(item["pattern"])) for item in items or ())


def _lines(items: list[dict[str, Any]] | None) -> tuple[LineRule, ...]:
    out = []
    for item in items or ():
        where = item.get("where", "any")
        if where not in ("any", "head", "tail", "edges"):
            raise ValueError(f"rule {item.get('name')!r}: where must be any, head, tail or edges")
        for pattern in item.get("patterns", ()):
            out.append(LineRule(item.get("name", "line"), _compile(pattern), int(item.get("max_chars", 10**9)), where))
    return tuple(out)


def _date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _when(published: str | None) -> dt.date:
    if published:
        try:
            return dt.date.fromisoformat(published[:10])
        except ValueError:
            pass
    return dt.datetime.now(dt.timezone.utc).date()


BYLINE_OUTLET_WORDS = 4  # an outlet's name between a byline's names and its date is no longer
# the words a credit line may open with (by their start: "Foto: dpa" opens with "foto:", not "foto")
_CREDIT_OPENINGS = ("photo", "image", "pictu", "credi", "foto", "bild", "фото")
_FULL_STOP_END = re.compile(r"\.[\"'\u201d\u2019)]?\s*$")


@dataclasses.dataclass(frozen=True, slots=True)
class Captions:
    """A photo's caption, told by its credit (rules.yaml, ``captions``)."""

    credit_line: re.Pattern
    trailing_credit: re.Pattern  # the caption's own words are group 1
    max_chars: int
    min_words: int

    @classmethod
    def from_data(cls, data: dict[str, Any] | None) -> "Captions | None":
        if not data:
            return None
        credits = "|".join(f"(?:{p})" for p in data.get("credit_lines", ()))
        trailing = "|".join(f"(?:{p})" for p in data.get("trailing_credits", ()))
        return cls(_compile(credits or "(?!)"), _compile(rf"(.*?\S)\s*(?:{trailing or '(?!)'})\s*"),
                   int(data.get("max_chars", 400)), int(data.get("min_words", 5)))

    def find(self, lines: list[str]) -> tuple[list[int], list[int]]:
        """Indexes of the caption lines and of the credit lines among ``lines``."""
        captions: list[int] = []
        credits: list[int] = []
        for index, line in enumerate(lines):
            if self._ends_in_credit(line):
                captions.append(index)
            elif self._credit(line):
                credits.append(index)
                above = index - 1
                # not over a credit that ends the text: that one is the main photo's, at the foot
                if (above >= 0 and index + 1 < len(lines) and above not in captions[-1:]
                        and above not in credits[-2:-1] and self._caption_over_credit(lines[above])):
                    captions.append(above)
        return captions, credits

    def _ends_in_credit(self, line: str) -> bool:
        tail = line.rstrip()[-72:]
        if len(line) > self.max_chars or not (tail.endswith(")") or ":" in tail or "©" in tail):  # no credit can end it
            return False
        found = self.trailing_credit.fullmatch(line.strip())
        return found is not None and len(found.group(1).split()) >= self.min_words

    def _caption_over_credit(self, line: str) -> bool:
        return len(line) <= self.max_chars and len(line.split()) >= self.min_words \
            and _FULL_STOP_END.search(line) is not None

    def _credit(self, line: str) -> bool:
        # every credit line opens with "(" or one of these words, or holds a slash ("Name/Agency"): most
        # lines are ruled out unread
        opening = line.lstrip()[:5].lower()
        return len(line) <= 160 and (opening[:1] == "(" or opening.startswith(_CREDIT_OPENINGS) or "/" in line) \
            and self.credit_line.fullmatch(line.strip()) is not None


class Rules:
    """Compiled cleaning rules. ``Rules.load()`` reads the packaged rules.yaml (cached)."""

    def __init__(self, data: dict[str, Any]):
        if data.get("version") != 1:
            raise ValueError("cleaning rules: unsupported version (expected 1)")
        self.head_lines = int(data.get("head_lines", 3))
        self.tail_lines = int(data.get("tail_lines", 8))
        self.inline = _inline(data.get("inline"))
        self.lines = _lines(data.get("lines"))
        self._any_inline = _any_inline(self.inline)
        self._inline_words = words_of(rule.regex for rule in self.inline)
        nav = data.get("navigation") or {}
        default_teaser = int(nav.get("teaser_max_chars", 180))
        self.markers = tuple(
            NavMarker(_compile(m["pattern"]), int(m.get("max_teasers", 1)),
                      int(m.get("teaser_max_chars", default_teaser)), bool(m.get("any_teaser", False)))
            for m in nav.get("markers", ()))
        self._any_marker = _screen(m.regex for m in self.markers)
        self._screens: dict[tuple[LineRule, ...], _LineScreen] = {}
        self.walls = tuple((w["name"], _compile("|".join(f"(?:{p})" for p in w["patterns"])))
                           for w in data.get("walls", ()))
        # each wall's words, one of which an ASCII text it matches holds (None: not known), read
        # from its patterns one by one (joined, their many spellings hide what each needs)
        self._wall_words = tuple(words_of(_compile(p) for p in w["patterns"]) for w in data.get("walls", ()))
        self.captions = Captions.from_data(data.get("captions"))
        bylines = data.get("byline_names") or {}
        self.byline_name = _compile(bylines["pattern"]) if bylines.get("pattern") else None
        self.byline_within = int(bylines.get("within", 2))
        self.tracking_params = tuple(str(p).lower() for p in data.get("tracking_params", ()))
        self.sites = tuple(
            SiteRules(str(s["domain"]).lower().lstrip("."), _date(s.get("valid_from")), _date(s.get("valid_to")),
                      _inline(s.get("inline")), _lines(s.get("lines")))
            for s in data.get("sites", ()) or ())

    @classmethod
    def from_file(cls, path: str | Path) -> "Rules":
        with open(path, encoding="utf-8") as fh:
            return cls(yaml.safe_load(fh))

    @classmethod
    def load(cls, path: str | Path | None = None) -> "Rules":
        return _load_cached(str(path or DEFAULT_RULES))

    # ------------------------------------------------------------------------------------------

    def _site_rules(self, host: str | None, published: str | None):
        if not self.sites or not host:
            return (), ()
        when = _when(published)
        inline: list[InlineRule] = []
        lines: list[LineRule] = []
        for site in self.sites:
            if site.applies(host, when):
                inline.extend(site.inline)
                lines.extend(site.lines)
        return tuple(inline), tuple(lines)

    def _marker(self, line: str) -> NavMarker | None:
        if len(line) > 80:
            return None
        if self._any_marker is not None and self._any_marker.fullmatch(line) is None:
            return None
        for marker in self.markers:
            if marker.regex.fullmatch(line):
                return marker
        return None

    def clean_lines(self, lines: list[str], *, host: str | None = None,
                    published: str | None = None) -> tuple[list[str], Counter]:
        """The lines that are not boilerplate, and how many lines (or inline bits) each rule removed."""
        hits: Counter = Counter()
        site_inline, site_lines = self._site_rules(host, published)
        inline = self.inline + site_inline
        line_rules = self.lines + site_lines

        captions, credits = self.captions.find(lines) if self.captions else ((), ())
        if captions or credits:
            hits.update({"caption": len(captions), "photo_credit": len(credits)})
            hits = +hits  # no rule named with a count of 0
            gone = {*captions, *credits}
            lines = [line for index, line in enumerate(lines) if index not in gone]

        stage1: list[str] = []
        if site_inline:
            any_inline, inline_words = _any_inline(inline), words_of(rule.regex for rule in inline)
        else:
            any_inline, inline_words = self._any_inline, self._inline_words
        for line in lines:
            for rule in (inline if may_hold(line, inline_words) and any_inline.search(line) else ()):
                line, n = rule.regex.subn("", line)
                if n:
                    hits[rule.name] += n
            line = line.strip()
            if line:
                stage1.append(line)

        # navigation blocks: the marker and the teaser headlines it carries
        stage2: list[str] = []
        i = 0
        while i < len(stage1):
            marker = self._marker(stage1[i])
            if marker is None:
                stage2.append(stage1[i])
                i += 1
                continue
            hits["navigation"] += 1
            i += 1
            taken = 0
            while i < len(stage1) and taken < marker.max_teasers:
                teaser = stage1[i]
                if self._marker(teaser) is not None or len(teaser) > marker.teaser_max_chars:
                    break
                if not marker.any_teaser and _SENTENCE_END.search(teaser):
                    break
                hits["navigation"] += 1
                taken += 1
                i += 1

        # line rules. "head" and "tail" count kept lines only, so a stack of furniture at the top
        # (share buttons, a reprint notice, a permalink) does not push the next piece out of reach.
        screen = self._screens.get(site_lines)
        if screen is None:
            screen = self._screens[site_lines] = _LineScreen(line_rules)
        removed = [False] * len(stage2)
        kept_before = 0
        for index, line in enumerate(stage2):
            head = kept_before < self.head_lines
            if not screen.may_match(line, "head" if head else "body"):
                kept_before += 1
                continue
            rule = self._match(line_rules, line, head=head, tail=False)
            if rule is not None:
                hits[rule.name] += 1
                removed[index] = True
            else:
                kept_before += 1
        self._drop_byline_names(stage2, removed, hits)
        kept_after = 0
        for index in range(len(stage2) - 1, -1, -1):
            if removed[index]:
                continue
            if kept_after < self.tail_lines and screen.may_match(stage2[index], "tail"):
                rule = self._match(line_rules, stage2[index], head=False, tail=True, only_tail=True)
                if rule is not None:
                    hits[rule.name] += 1
                    removed[index] = True
                    continue
            kept_after += 1
        kept = [line for line, gone in zip(stage2, removed) if not gone]
        return kept, hits

    def _drop_byline_names(self, lines: list[str], removed: list[bool], hits: Counter) -> None:
        """Marks removed a byline's names on a line of their own among the first kept lines: a name
        reads like a short subheading, and only the byline around it (a lone "By" above, or a date,
        agency or role the rules removed just below) tells it from one (rules.yaml, ``byline_names``)."""
        if self.byline_name is None:
            return
        kept = 0
        for index, line in enumerate(lines):
            if kept >= self.head_lines:
                return
            if removed[index]:
                continue
            by_above = index > 0 and removed[index - 1] and lines[index - 1].strip().lower() == "by"
            below = self._removed_below(lines, removed, index)
            if len(line) <= 80 and (by_above or below) and self.byline_name.fullmatch(line):
                for part in range(index, below or index + 1):  # the names, and the outlet's under them
                    removed[part] = True
                    hits["byline"] += 1
            else:
                kept += 1

    def _removed_below(self, lines: list[str], removed: list[bool], index: int) -> int | None:
        """The first line the rules removed within ``byline_within`` lines below line ``index``, with
        nothing but an outlet's name between ("Sioux Falls Argus Leader", "USA TODAY": a few words)."""
        for below in range(index + 1, min(len(lines), index + 1 + self.byline_within)):
            if removed[below]:
                return below
            if len(lines[below].split()) > BYLINE_OUTLET_WORDS:
                return None
        return None

    @staticmethod
    def _match(rules, line: str, *, head: bool, tail: bool, only_tail: bool = False) -> LineRule | None:
        size = len(line)
        for rule in rules:
            if size > rule.max_chars:
                continue
            where = rule.where
            if only_tail:
                if where not in ("tail", "edges"):
                    continue
            elif where == "tail" or (where == "head" and not head) or (where == "edges" and not head):
                continue
            if rule.regex.fullmatch(line):
                return rule
        return None

    def wall(self, text: str) -> str | None:
        """Name of the wall/error pattern that ``text`` matches, if any."""
        for (name, regex), words in zip(self.walls, self._wall_words):
            if may_hold(text, words) and regex.search(text):
                return name
        return None


def _screen(regexes) -> re.Pattern | None:
    """One pattern that fullmatches a line whenever one of ``regexes`` does: a line most rules
    miss then costs one regex call instead of one per rule. None when the patterns cannot be
    joined safely (back-references or group names would change meaning) or there are none."""
    patterns = [r.pattern for r in regexes]
    if not patterns or any(re.search(r"\\[1-9]|\(\?P[<=]|\\g<", p) for p in patterns):
        return None
    try:
        return re.compile("|".join(f"(?:{p})" for p in patterns), _FLAGS)
    except re.error:
        return None


class _LineScreen:
    """For one set of line rules: per position (head, body, tail) and per line length, a screen of
    the rules that apply there. A rule accepts lines up to its ``max_chars``, so a line of 150
    characters is screened only by the rules that take 150 or more: most prose lines are longer than
    most furniture rules allow. ``may_match`` False means no rule can match the line there; True
    means the rules must be tried one by one, in order."""

    _WHERE = {"head": ("any", "head", "edges"), "body": ("any",), "tail": ("tail", "edges")}

    def __init__(self, rules: tuple[LineRule, ...]):
        # position -> [(max_chars, screen of the rules taking lines that long), ...], ascending by
        # max_chars; a line uses the first entry whose max_chars reaches its length
        self.by_position: dict[str, list[tuple[int, _Screen]]] = {}
        for position, wheres in self._WHERE.items():
            applicable = [r for r in rules if r.where in wheres]
            limits = sorted({r.max_chars for r in applicable})
            self.by_position[position] = [
                (limit, _Screen([r.regex for r in applicable if r.max_chars >= limit])) for limit in limits]

    def may_match(self, line: str, position: str) -> bool:
        size = len(line)
        for limit, screen in self.by_position[position]:
            if size <= limit:
                return screen.may_fullmatch(line)
        return False


class _Screen:
    """Whether one of some patterns may fullmatch a line, in one regex call or none.

    Any line: the patterns joined in one alternation (a call instead of one per rule). An ASCII line
    (99 in 100 of the bench stream's lines) is screened cheaper still by what the patterns need (literals): a
    pattern that starts with one of a few characters ("share ...", "[read more") is tried only on
    lines that start with one of them, a pattern that may start anywhere only on lines that hold one
    of its words ("contributed", "cookie", "|"); a pattern with neither is tried on every line."""

    def __init__(self, regexes: list[re.Pattern]):
        self.joined = _screen(regexes)  # None: not joinable, every line must go to the rules
        by_start: dict[str, list[re.Pattern]] = {}
        by_word: dict[str, list[re.Pattern]] = {}
        anywhere: list[re.Pattern] = []
        for regex in regexes:
            found = needs(regex)
            if found.words is not None and not found.words:
                continue  # it matches no ASCII line
            if found.starts is not None and len(found.starts) <= MAX_START_CHARS:
                for char in found.starts:
                    by_start.setdefault(char, []).append(regex)
            elif found.words is not None:
                for word in found.words:
                    by_word.setdefault(word, []).append(regex)
            else:
                anywhere.append(regex)
        self.by_start = {char: _screen(group) for char, group in by_start.items()}
        self.by_word = {word: _screen(group) for word, group in by_word.items()}
        self.words = tuple(sorted(by_word))
        self.anywhere = _screen(anywhere)

    def may_fullmatch(self, line: str) -> bool:
        if self.joined is None:
            return True
        if not line.isascii():
            return self.joined.fullmatch(line) is not None
        lower = line.lower()
        starting = self.by_start.get(lower[:1])
        if starting is not None and starting.fullmatch(line) is not None:
            return True
        if self.anywhere is not None and self.anywhere.fullmatch(line) is not None:
            return True
        for word in self.words:
            if word in lower and self.by_word[word].fullmatch(line) is not None:
                return True
        return False


@functools.lru_cache(maxsize=8)
def _load_cached(path: str) -> Rules:
    return Rules.from_file(path)
