"""Writing systems whose text the pipeline measures differently from Latin text."""
from __future__ import annotations

import re

# Chinese, Japanese and Korean: Hangul Jamo, Kana, Han (with extension A and the compatibility
# ideographs) and Hangul syllables. Each character carries about what two Latin letters do, and
# Chinese and Japanese put no spaces between words.
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # a character class body: Han characters
WIDE_CHARACTERS = "\u1100-\u11ff\u3040-\u30ff\uac00-\ud7af" + HAN  # ... and all of the scripts above
WIDE_SCRIPT = re.compile(f"[{WIDE_CHARACTERS}]")

# How a text is written rather than what it says: the full-width forms of ASCII that Chinese and
# Japanese outlets use for digits and Latin letters ("２０２４年", "ＮＨＫ", "約４０台") and the Arabic
# tatweel (kashida) that stretches a word for layout ("الحـــريق" is "الحريق"). Cleaning keeps
# them in the text; the clustering reads past them, or a copy that writes "40" where the original
# writes "４０" shares neither the word nor the number with it.
_FORM_FOLDS = {**{0xFF01 + i: 0x21 + i for i in range(94)}, 0x0640: None}
# runs of the characters above: str.translate looks every character of a text up in the table
# (0.21 ms for a page of 3,000 characters with one curly quote), the regex skips to the few that fold
# (0.02 ms; "[...][...]*" rather than "[...]+", as only a pattern that opens with a class lets the
# engine scan for the class)
_FOLDED = f"[{chr(0xFF01)}-{chr(0xFF01 + 93)}{chr(0x0640)}]"
_FOLDED_RUN = re.compile(_FOLDED + _FOLDED + "*")


def fold_forms(text: str) -> str:
    """``text`` with full-width ASCII forms as ASCII and tatweels removed (ASCII text as it is)."""
    return text if text.isascii() else _FOLDED_RUN.sub(_fold_run, text)


def _fold_run(run: re.Match) -> str:
    return run.group().translate(_FORM_FOLDS)


def _mark_class() -> str:
    """A character class body of the combining marks (Unicode categories Mn, Mc, Me) of the Basic
    Multilingual Plane, less those of Thai, Lao, Myanmar and Khmer (see WORD_MARKS); built from the
    Unicode tables of the running Python, in about 35 ms at import."""
    import unicodedata

    spaceless = [(0x0E00, 0x0EFF), (0x1000, 0x109F), (0x1780, 0x17FF)]
    ranges: list[list[int]] = []
    for cp in range(0x0300, 0x10000):
        if unicodedata.category(chr(cp)) in ("Mn", "Mc", "Me") and not any(a <= cp <= b for a, b in spaceless):
            if ranges and ranges[-1][1] == cp - 1:
                ranges[-1][1] = cp
            else:
                ranges.append([cp, cp])
    return "".join(chr(a) if a == b else f"{chr(a)}-{chr(b)}" for a, b in ranges)


# The vowel signs and other combining marks that are part of a word: Devanagari "हिन्दी" is
# "ह" + "ि" + "न" + "्" + "द" + "ी", and the marks are not word characters for Python's regular
# expressions, so "[^\W\d_]+" read it as "ह", "न", "द" (Hindi, Bengali, Tamil and the other Brahmic
# scripts; Hebrew points, Arabic harakat). Thai, Lao, Myanmar and Khmer are left out: they put no
# space between words, and their marks split a phrase into pieces that two reports of one story
# share, where the whole phrase they would give instead is rarely written twice.
WORD_MARKS = _mark_class()
