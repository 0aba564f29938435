"""Words of Chinese, Japanese and Korean text, for the event facts and the clustering features.

Without a segmenter, a few facts about these scripts stand in for one: a Latin name ends where the
CJK script begins ("Kindle for PCの起動" is "Kindle for PC" + "の起動", "MBC는" is "MBC" + a particle);
in Japanese the content words are the runs of kanji and of katakana (hiragana carries the grammar);
Korean words carry their particles at the end ("류화영의" is "류화영" + "of"); Chinese is cut into the
longest words of wordfreq's Chinese list, left to right (forward maximum matching).
"""
from __future__ import annotations

import functools
import re

from .scripts import HAN, WIDE_CHARACTERS

CJK_LANGUAGES = frozenset(["zh", "ja", "ko"])
UNSPACED_LANGUAGES = frozenset(["zh", "ja"])  # Korean puts spaces between words; these do not

_LATIN_CJK_EDGE = re.compile(rf"(?<=[A-Za-z0-9])(?=[{WIDE_CHARACTERS}])|(?<=[{WIDE_CHARACTERS}])(?=[A-Za-z0-9])")
# kanji compounds (with the repeat mark) and katakana words (with the long-vowel mark). A number's
# counter is not part of the compound that follows it: "12日午後" is 12 + 日 + "午後", "3時間後" is
# 3 + 時間 + 後, "119番通報" is 119 + 番 + "通報" (the compound was "日午後", "時間後", "番通報": terms
# that unrelated reports of one day share). The counter is taken whole (atomic group), and a
# compound never starts right after a digit or inside another.
_DIGIT = "0-9\uff10-\uff19"
_JAPANESE_TERM = re.compile(rf"(?>[{_DIGIT}]+(?:時間|年間|日間|週間|[{HAN}]))([{HAN}々]{{2,}})"
                            rf"|(?<![{_DIGIT}{HAN}々])([{HAN}々]{{2,}})|([\u30a1-\u30fa\u30fcー]{{2,}})")
_HAN_RUN = re.compile(rf"[{HAN}]{{2,}}")
# a run of CJK script, with the digits right before it (read with it: "12日午後"), apart
_CJK_RUN = re.compile(rf"([{_DIGIT}]*)([{WIDE_CHARACTERS}々ー]+)")
_SPACE_BESIDE_CJK = re.compile(rf"(?<=[{WIDE_CHARACTERS}々ー]) (?=\S)|(?<=\S) (?=[{WIDE_CHARACTERS}々ー])")
_HANGUL_WORD = re.compile(r"[\uac00-\ud7af]{2,}")
# Korean particles and copulas that end a word, longest first
_KOREAN_ENDINGS = ("에서는", "에게서", "으로는", "이라는", "에서", "에게", "으로", "까지", "부터", "이나", "이다",
                   "라는", "은", "는", "이", "가", "을", "를", "의", "에", "와", "과", "도", "로", "만")
# ... of which these are never the end of a noun, so they come off a noun of one syllable too
# ("것으로" is "것" + "으로"; "로" alone left the non-word "것으", in most news reports: "~것으로 알려졌다")
_UNMISTAKABLE_ENDINGS = frozenset(["에서는", "에게서", "으로는", "이라는", "에서", "에게", "으로", "까지", "부터"])


def unspaced(words: str) -> str:
    """Words joined by spaces, written as Chinese or Japanese write them: no space beside a CJK
    character ("北京 会見" is "北京会見"), a space between two Latin words ("App Store")."""
    return _SPACE_BESIDE_CJK.sub("", words)


def split_latin(text: str) -> str:
    """A space wherever Latin letters or digits meet CJK script, so names in Latin stand alone."""
    return _LATIN_CJK_EDGE.sub(" ", text)


def terms(sentence: str, language: str) -> list[str]:
    """The content words of a Chinese, Japanese or Korean sentence, in order."""
    if language == "ja":
        return [m.group(m.lastindex) for m in _JAPANESE_TERM.finditer(sentence)]
    if language == "zh":
        return [w for run in _HAN_RUN.findall(sentence) for w in chinese_words(run)]
    # a word ending in 다 is a predicate ("했다", "높았다"), not a topic; a stem of one syllable
    # ("것" of "것으로") is too short to be one
    stems = (korean_stem(w) for w in _HANGUL_WORD.findall(sentence) if not w.endswith("다"))
    return [w for w in stems if len(w) >= 2]


def spaced(text: str, language: str) -> str:
    """``text`` with each run of CJK script replaced by its words (``terms``) between spaces, Latin
    words, digits and punctuation left where they are: the form the clustering tokeniser can split."""
    return _CJK_RUN.sub(lambda m: m.group(1) + " " + " ".join(terms(m.group(0), language)) + " ", text)


@functools.lru_cache(maxsize=1)
def _chinese_vocabulary() -> dict[str, float]:
    import wordfreq  # late: only Chinese text needs it

    return {w: f for w, f in wordfreq.get_frequency_dict("zh", "small").items() if 2 <= len(w) <= 4}


def chinese_words(run: str) -> list[str]:
    """The words of a run of Chinese characters: at each place the longest word (2-4 characters) of
    wordfreq's Chinese list that starts there; a character that starts none is skipped."""
    vocabulary = _chinese_vocabulary()
    out, i = [], 0
    while i < len(run):
        for size in (4, 3, 2):
            if run[i:i + size] in vocabulary:
                out.append(run[i:i + size])
                i += size
                break
        else:
            i += 1
    return out


def korean_stem(word: str) -> str:
    """The word without a particle at its end ("류화영의" -> "류화영"), keeping at least two syllables,
    or one when the particle cannot end a noun ("것으로" -> "것")."""
    for ending in _KOREAN_ENDINGS:
        if word.endswith(ending):
            rest = len(word) - len(ending)
            if rest >= 2 or (rest == 1 and ending in _UNMISTAKABLE_ENDINGS):
                return word[:-len(ending)]
    return word
