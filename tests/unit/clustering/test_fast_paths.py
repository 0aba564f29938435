"""The faster forms of the clustering features' helpers give what the plain forms give."""
import math
import random
import re
from collections import Counter

import numpy as np

from pipeline.clustering import cues
from pipeline.clustering.dates import _MONTH_START, DATE_ISO, DATE_MD, DATE_MY, DATE_NUM, MONTHS, _matches_at, month_near_number
from pipeline.clustering.features import _log_tf
from pipeline.scripts import _FORM_FOLDS, fold_forms


def _plain_weekdays(text: str) -> list[int]:
    return sorted({cues.code(cues.WEEKDAY, m.lastindex) for m in cues.WEEKDAY_RE.finditer(text)})


def test_weekdays_of_non_ascii_text_match_the_case_insensitive_regex():
    """Outside ASCII, weekdays() tries WEEKDAY_RE only before each "day"; the hits must be findall's."""
    pieces = ["Monday", "MONDAY", "monday", "xMonday", "Monday_", "Monday1", "sunday", "Wednesday", " ", "\u0301",
              "é", "day", "Day", "to", "SaturDAY", ",", "\n", "Thursdays", "Friday\u0301", "“", "”", "dAy"]
    rng = random.Random(7)
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 12))) for _ in range(3000)]
    texts += ["Am “Monday” und am Friday‘s Treffen", "Sunday", "é Sunday"]
    for text in texts:
        if not text.isascii():
            assert cues.weekdays(text) == _plain_weekdays(text), text


def test_month_near_number_matches_a_scan_of_every_token():
    def plain(lows):
        months = [i for i, t in enumerate(lows) if t in MONTHS]
        nums = [i for i, t in enumerate(lows) if t[0].isdigit()]
        return any(abs(i - j) <= 6 for i in months for j in nums)

    rng = random.Random(3)
    for _ in range(5000):
        lows = [rng.choice(["may", "jan", "1", "x", "y", "2020", "z", "w", "sept"]) for _ in range(rng.randint(1, 30))]
        assert month_near_number(lows) == plain(lows), lows


def test_log_tf_of_whole_and_weighted_counts():
    for counts in (Counter({"a": 1, "b": 2, "c": 4095}), Counter({"a": 5000, "b": 1}), Counter({"a": 1.5, "b": 2}),
                   Counter({"a": 0, "b": 0.5})):
        want = np.array([(1.0 + math.log(x)) if x >= 1 else x for x in counts.values()], dtype=np.float64)
        assert _log_tf(counts).tobytes() == want.tobytes()


def test_month_dates_found_from_month_starts_match_finditer():
    """extract_dates tries DATE_MD and DATE_MY only where a month word starts; same matches as finditer."""
    pieces = ["march", "mar.", "may", "june", "jun", " ", "20", "21st", "-", " to ", "2020", ",", "x", "sept",
              "september", "dec.", "5", "\n", "é", "amay", "2023", "of "]
    rng = random.Random(2)
    for _ in range(5000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 15)))
        starts = [m.start() for m in _MONTH_START.finditer(text)]
        for regex in (DATE_MD, DATE_MY):
            assert ([m.span() + m.groups() for m in regex.finditer(text)]
                    == [m.span() + m.groups() for m in _matches_at(regex, text, starts)]), text


def test_digit_led_date_patterns_match_their_plain_forms():
    """DATE_ISO and DATE_NUM open with a character class for speed; same matches as the plain forms."""
    plain_iso = re.compile(r"\b((?:19|20)\d\d)-(\d\d)-(\d\d)\b")
    plain_num = re.compile(r"(?<![\d/])(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*((?:19|20)\d\d|\d\d)(?![\d/])")
    pieces = ["1", "12", "19", "20", "2013", "-", "05", "/", " / ", "x", " ", "١", "_", "\n", "a2013", "2020-01-02"]
    rng = random.Random(4)
    for _ in range(5000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 12)))
        for fast, plain in ((DATE_ISO, plain_iso), (DATE_NUM, plain_num)):
            assert ([m.span() + m.groups() for m in fast.finditer(text)]
                    == [m.span() + m.groups() for m in plain.finditer(text)]), text


def test_fold_forms_folds_as_the_whole_text_translation_does():
    """fold_forms translates only the runs of characters that fold; the same text as translating all."""
    alphabet = [chr(c) for c in [*range(0xFF00, 0xFF61), 0x0640, 0x0641, 0x063F, 0x20, 0x41, 0x4E00, 0x201C]]
    rng = random.Random(9)
    for _ in range(5000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 20)))
        assert fold_forms(text) == text.translate(_FORM_FOLDS), text


def test_foreign_weekdays_in_one_scan_match_a_search_per_day():
    """foreign_weekdays scans once with all seven days of a language; the days found must be those
    that a search of each day's own pattern finds."""
    rng = random.Random(11)
    for lang, days in cues._FOREIGN_WEEKDAYS.items():
        suffix = cues._DE_TIME_OF_DAY if lang == "de" else ""
        per_day = [re.compile(r"(?<!\w)(?:" + names + ")" + suffix + r"(?!\w)", re.IGNORECASE) for names in days]
        words = [w for names in days for w in names.split("|")]
        pieces = words + [w.upper() for w in words] + [" ", "-", "x", "s", "abend", "feira", "é", "\n", ",", "_"]
        for _ in range(2000):
            text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 10)))
            want = [cues.code(cues.WEEKDAY, i + 1) for i, regex in enumerate(per_day) if regex.search(text)]
            assert cues.foreign_weekdays(text, lang) == want, (lang, text)
