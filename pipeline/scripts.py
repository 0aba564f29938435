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


def fold_forms(text: str) -> str:
    """``text`` with full-width ASCII forms as ASCII and tatweels removed (ASCII text as it is)."""
    return text if text.isascii() else text.translate(_FORM_FOLDS)
