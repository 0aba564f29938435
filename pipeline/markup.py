"""Markup that travels inside text: comments and invisible elements (script, style, ...) taken out
whole. Shared by the cleaning (HTML inside scraped text) and the connectors (feed summaries)."""
from __future__ import annotations

import functools
import re

HIDDEN_ELEMENTS = ("script", "style", "noscript", "template")


@functools.lru_cache(maxsize=8)
def _hidden_pattern(names: tuple[str, ...]) -> re.Pattern:
    return re.compile(rf"<!--|<({'|'.join(names)})\b[^<>]*>", re.I)


def drop_hidden(text: str, names: tuple[str, ...] = HIDDEN_ELEMENTS) -> str:
    """``text`` without its comments and its ``names`` elements (script, style, ...), in one pass: an
    element that is never closed ends the text's markup there (a regex with a lazy ``.*?`` would scan
    to the end again for every unclosed opening, quadratic on hostile input). The connectors use it
    for feed summaries too."""
    lower = None
    out: list[str] = []
    pos = 0
    for m in _hidden_pattern(names).finditer(text):
        if m.start() < pos:
            continue
        lower = lower if lower is not None else text.lower()
        closing = "-->" if m.group(1) is None else f"</{m.group(1).lower()}"
        end = lower.find(closing, m.end())
        if end < 0:
            break
        out.append(text[pos:m.start()])
        out.append(" ")
        pos = lower.find(">", end) + 1 if closing != "-->" else end + 3
        if pos == 0:  # "</script" with no ">" after it
            pos = len(text)
    out.append(text[pos:])
    return "".join(out)
