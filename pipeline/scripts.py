"""Writing systems whose text the pipeline measures differently from Latin text."""
from __future__ import annotations

import re

# Chinese, Japanese and Korean: Hangul Jamo, Kana, Han (with extension A and the compatibility
# ideographs) and Hangul syllables. Each character carries about what two Latin letters do, and
# Chinese and Japanese put no spaces between words.
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # a character class body: Han characters
WIDE_CHARACTERS = "\u1100-\u11ff\u3040-\u30ff\uac00-\ud7af" + HAN  # ... and all of the scripts above
WIDE_SCRIPT = re.compile(f"[{WIDE_CHARACTERS}]")
