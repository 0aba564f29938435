"""The one tokenising pass (pipeline/clustering/tokens.py): the fast scan gives what a plain
per-token pass gives, and its ASCII shortcut changes no token."""
from __future__ import annotations

from collections import Counter

from pipeline.clustering.dates import YEAR_RE, DateHints, extract_dates, month_near_number
from pipeline.clustering.tokens import (_PUNCT, _TOK_ASCII, NOT_ENTITIES, NUM_PREFIX, STOPWORDS, TOK, scan)



def _reference_scan(text, words, ents, years, w, cm):
    """The plain per-token pass that tokens.scan must reproduce (same keys, order and sums)."""
    seq, ss = [], True
    for t in TOK.findall(text):
        c = t[0]
        if c in _PUNCT:
            ss = True
            continue
        low = t.lower()
        if c.isdigit():
            if len(t) == 4 and YEAR_RE.fullmatch(t):
                years[t] += 1
            elif len(low) >= 2:
                ents[NUM_PREFIX + low] += w
            ss = False
            continue
        cap = c.isupper()
        if cap and not ss:
            cm.add(low)
        seq.append((low, cap, ss))
        ss = False
    for low, cap, s in seq:
        if low in STOPWORDS or len(low) < 2:
            continue
        if cap and (not s or low in cm) and low not in NOT_ENTITIES:
            ents[low] += w
        elif len(low) > 2:
            words[low] += w


def test_fast_scan_and_date_hints_match_the_plain_pass(seeds):
    texts = [(d.title, d.text) for d in seeds] + [("Talks on 20-22 March", "On 2013-05-12, 14/09/2013 and Dec. 3rd.")]
    for title, body in texts:
        fast, ref = [Counter(), Counter(), Counter()], [Counter(), Counter(), Counter()]
        cm_fast, cm_ref = set(), set()
        terms, hyphen = scan(body, *fast, 1.0, cm_fast)
        scan(title, *fast, 1.0, cm_fast)
        _reference_scan(body, *ref, 1.0, cm_ref)
        _reference_scan(title, *ref, 1.0, cm_ref)
        for a, b in zip(fast, ref):
            assert list(a.items()) == list(b.items())
        full = title + "\n" + body
        lows = [t.lower() for t in scan(title, Counter(), Counter(), Counter(), 1.0, set())[0]] + [t.lower() for t in terms]
        assert extract_dates(full, DateHints(month_near_number(lows), hyphen or "-" in title)) == extract_dates(full)


def test_ascii_tokeniser_matches_the_unicode_one_on_ascii_text(seeds):
    """scan() tokenises ASCII text with an re.ASCII twin of TOK; on ASCII text both must agree."""
    texts = ["".join(map(chr, range(128))) * 2 + " Ab Cd x_Y 12Ab Ab_Cd Ab'Cd 3.5 1,000-2 4.x 5,,6 2013-05-12"]
    texts += [d.title + "\n" + d.text for d in seeds if (d.title + d.text).isascii()]
    for t in texts:
        assert t.isascii()
        assert _TOK_ASCII.findall(t) == TOK.findall(t)
