"""Writing systems whose text the pipeline measures differently from Latin text."""
from __future__ import annotations

import re

# Chinese, Japanese and Korean: Hangul Jamo, Kana, Han (with extension A and the compatibility
# ideographs) and Hangul syllables. Each character carries about what two Latin letters do, and
# Chinese and Japanese put no spaces between words.
WIDE_SCRIPT = re.compile(r"[\u1100-\u11ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
