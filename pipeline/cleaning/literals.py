"""What a rule's pattern cannot match without, read from the pattern: the words a match must contain
and the characters it may start with. A line that lacks them skips the regex.

Python's regex engine has no fast way into a case-insensitive pattern: it tries each alternative of
the joined rules at every position a match may start, and a rule that may start anywhere (".*\\b
contributed ...", a lookahead, "[^\\W\\d_]...") is walked over the whole line. On the stream of
bench/core.py that cost about 15 us a line, most of the rules' time, for lines that no rule matches
(19 in 20). Most lines hold none of the words such a rule needs ("contributed", "cookie",
"newsletter") and do not start with the letter of any rule that starts with a word ("share",
"read more"): a substring test and a dictionary lookup tell so at C speed.

All of it holds for ASCII text lowered with ``str.lower()``: there a case-insensitive literal
matches its lower-case form and nothing else. Text with other characters goes to the regexes as it
did (Unicode's case folding, "K" (the Kelvin sign) for "k" or "ſ" for "s", is not modelled).
What the analysis does not understand it treats as "needs nothing", so it can only pass more lines
to the regexes, never fewer.
"""
from __future__ import annotations

import dataclasses
import functools
import itertools
import re
import re._compiler as _compiler  # the stdlib's own parser and compiler: the analysis reads the tree
import re._constants as _c         # the engine runs, so it cannot drift from the engine's reading
import re._parser as _parser

MAX_SPELLINGS = 64  # literal strings followed through alternatives ("e-?mail": "e-mail", "email") at most
MAX_WORDS = 8  # more spellings of one phrase than this give way to a string they all hold
MAX_START_CHARS = 24  # a rule that may start with more characters than this is screened by its words
_ASCII = tuple(chr(code) for code in range(128))
_REPEATS = (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT)
_ZERO_WIDTH = (_c.AT, _c.ASSERT, _c.ASSERT_NOT)


@dataclasses.dataclass(frozen=True, slots=True)
class Needs:
    """``words``: lower-case strings one of which is in every ASCII text (lowered) the pattern matches
    (None: no such set is known; empty: the pattern matches no ASCII text). ``starts``: the lower-case
    characters every ASCII text it fullmatches starts with (None: any, or not known)."""
    words: frozenset[str] | None
    starts: frozenset[str] | None


@functools.lru_cache(maxsize=None)
def needs(pattern: re.Pattern) -> Needs:
    """What ``pattern`` needs of an ASCII text it matches (remembered: rules compile once)."""
    try:
        tree = _parser.parse(pattern.pattern, pattern.flags)
        flags = tree.state.flags
        return Needs(_words(tree, flags), _starts(tree, flags))
    except Exception:  # a construct this reading does not know: the pattern is screened by nothing
        return Needs(None, None)


def local_reach(pattern: re.Pattern) -> int | None:
    """The most characters a match of ``pattern`` spans, when whether it matches depends on those
    characters alone (no lookaround, no back-reference, no anchor but the text's start); else None.
    A search then needs only the stretches that could hold a match."""
    try:
        tree = _parser.parse(pattern.pattern, pattern.flags)
    except Exception:  # a construct this reading does not know: nothing is known
        return None
    widest = tree.getwidth()[1]
    return widest if widest < _c.MAXREPEAT and _local(tree) else None


def _local(items) -> bool:
    for op, av in items:
        if op is _c.AT:
            if av is not _c.AT_BEGINNING and av is not _c.AT_BEGINNING_STRING:
                return False
        elif op is _c.BRANCH:
            if not all(_local(branch) for branch in av[1]):
                return False
        elif op is _c.SUBPATTERN:
            if not _local(av[3]):
                return False
        elif op in _REPEATS:
            if not _local(av[2]):
                return False
        elif op not in (_c.LITERAL, _c.NOT_LITERAL, _c.IN, _c.ANY):
            return False
    return True


def words_of(regexes) -> frozenset[str] | None:
    """Words one of which is in every ASCII text (lowered) that one of ``regexes`` finds a match in;
    None when one of them needs no word this reading knows, or when there are none (joined, no
    patterns make the empty pattern, which matches everywhere)."""
    words: set[str] = set()
    found_any = False
    for regex in regexes:
        found = needs(regex).words
        if found is None:
            return None
        words |= found
        found_any = True
    return _without_longer(frozenset(words)) if found_any else None


def may_hold(text: str, words: frozenset[str] | None) -> bool:
    """False when ``text`` is ASCII and holds none of ``words`` (the patterns they were read from
    cannot match it), True otherwise."""
    if words is None or not text.isascii():
        return True
    lower = text.lower()
    return any(word in lower for word in words)


def _chars(op, av, flags: int) -> frozenset[str]:
    """The lower-case forms of the ASCII characters one single-character item matches, as the engine
    matches them (compiled on its own with the flags in force where it stands)."""
    return _chars_of(op, _frozen(av), flags)


def _frozen(av):
    return tuple(_frozen(x) for x in av) if isinstance(av, (list, tuple)) else av


@functools.lru_cache(maxsize=None)
def _chars_of(op, av, flags: int) -> frozenset[str]:
    item = (op, [tuple(x) for x in av] if op is _c.IN else av)
    regex = _compiler.compile(_parser.SubPattern(_parser.State(), [item]), flags)
    return frozenset(char.lower() for char in _ASCII if regex.fullmatch(char))


def _inner_flags(av, flags: int) -> int:
    _group, add, remove, _p = av
    return (flags | add) & ~remove


def _spellings(items, flags: int) -> frozenset[str] | None:
    """Every string a purely literal sequence matches (lowered, ASCII), or None when it is not one
    or has more than MAX_SPELLINGS of them. Zero-width items take no characters: they are skipped."""
    out = frozenset([""])
    for op, av in items:
        if op in _ZERO_WIDTH:
            continue
        if op is _c.LITERAL or op is _c.IN:
            part = _chars(op, av, flags)
            if op is _c.IN and len(part) > 8:
                return None
        elif op is _c.SUBPATTERN:
            part = _spellings(av[3], _inner_flags(av, flags))
        elif op is _c.BRANCH:
            parts = [_spellings(branch, flags) for branch in av[1]]
            part = None if any(p is None for p in parts) else frozenset().union(*parts)
        elif op in _REPEATS and av[1] <= 1:
            body = _spellings(av[2], flags)
            part = None if body is None else body | ({""} if av[0] == 0 else set())
        else:
            return None
        if part is None or len(out) * len(part) > MAX_SPELLINGS:
            return None
        out = frozenset(a + b for a, b in itertools.product(out, part))
    return out


def _words(items, flags: int) -> frozenset[str] | None:
    """The most telling set of strings one of which a match of the sequence ``items`` must contain:
    its runs of literal text (followed through short alternatives), or what one of its groups, repeats
    or lookaheads needs; the set whose shortest string is longest, then the smallest."""
    options: list[frozenset[str]] = []
    run = frozenset([""])

    def close() -> None:
        if run and all(run):
            options.append(run)

    for op, av in items:
        if op in _ZERO_WIDTH and op is not _c.ASSERT:
            continue
        if op is not _c.ASSERT:
            spelled = _spellings([(op, av)], flags)
            if spelled is not None and len(run) * len(spelled) <= MAX_SPELLINGS:
                run = frozenset(a + b for a, b in itertools.product(run, spelled))
                if not run:
                    return frozenset()  # a character no ASCII text has: no match there
                continue
        close()
        run = frozenset([""])
        if op is _c.LITERAL or op is _c.IN:
            chars = _chars(op, av, flags)
            inner = chars if len(chars) <= 8 else None
        elif op is _c.SUBPATTERN:
            inner = _words(av[3], _inner_flags(av, flags))
        elif op is _c.BRANCH:
            branches = [_words(branch, flags) for branch in av[1]]
            inner = None if any(b is None for b in branches) else frozenset().union(*branches)
        elif op in _REPEATS:
            inner = _words(av[2], flags) if av[0] >= 1 else None
        elif op is _c.ATOMIC_GROUP:
            inner = _words(av, flags)
        elif op is _c.ASSERT:  # a lookaround's text is in the text too
            inner = _words(av[1], flags)
        else:
            inner = None
        if inner is not None:
            if not inner:
                return frozenset()
            options.append(inner)
    close()
    if not options:
        return None
    return max(map(_fewer, options), key=_telling)


def _telling(words: frozenset[str]) -> tuple[int, int, int]:
    """Few words of four characters or more tell most for their cost (a substring test each)."""
    shortest = min(map(len, words), default=0)
    return min(shortest, 4), -len(words), shortest


def _fewer(words: frozenset[str]) -> frozenset[str]:
    """A set that a text meets whenever it meets ``words``, with fewer strings to test: a word that
    holds another of the set goes ("photos" holds "photo"), and more than MAX_WORDS spellings of one
    phrase ("delivered straight to your inbox", "delivered to your door", ...) give way to the longest
    string of four characters or more that they all hold ("delivered "). A few spellings stay as they
    are: what they share may be a common word (" to ", "already ")."""
    kept = _without_longer(words)
    if len(kept) > MAX_WORDS:
        shortest = min(kept, key=len)
        for size in range(len(shortest), 3, -1):
            for start in range(len(shortest) - size + 1):
                common = shortest[start:start + size]
                if all(common in word for word in kept):
                    return frozenset([common])
    return kept


def _starts(items, flags: int) -> frozenset[str] | None:
    """The lower-case characters a fullmatch of ``items`` may start with, None when any may."""
    found = _first_chars(items, flags)
    if found is None or found[1]:  # a pattern that may match nothing says nothing of a line's start
        return None
    return found[0]


def _first_chars(items, flags: int) -> tuple[frozenset[str], bool] | None:
    """(the first characters of a match of ``items``, whether it may match the empty string), None
    when it may start with any character as far as this reading goes (".", a group reference)."""
    out: set[str] = set()
    for op, av in items:
        if op in _ZERO_WIDTH:
            continue
        if op is _c.LITERAL or op is _c.IN:
            return frozenset(out | _chars(op, av, flags)), False
        if op is _c.SUBPATTERN:
            inner = _first_chars(av[3], _inner_flags(av, flags))
        elif op is _c.BRANCH:
            branches = [_first_chars(branch, flags) for branch in av[1]]
            inner = None if any(b is None for b in branches) else (
                frozenset().union(*(chars for chars, _ in branches)), any(empty for _, empty in branches))
        elif op in _REPEATS:
            inner = _first_chars(av[2], flags)
            if inner is not None and av[0] == 0:
                inner = (inner[0], True)
        else:
            return None
        if inner is None:
            return None
        chars, may_be_empty = inner
        out |= chars
        if not may_be_empty:
            return frozenset(out), False
    return frozenset(out), True


def _without_longer(words: frozenset[str]) -> frozenset[str]:
    """``words`` without those that hold another of them: a text holds one of the rest as often."""
    return frozenset(w for w in words if not any(other != w and other in w for other in words))
