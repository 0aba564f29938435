"""Text files (.txt, .json, .jsonl, .csv) to str: a byte-order mark names the encoding, else UTF-8.

Editors on Windows save "Unicode" text as UTF-16 with a mark, and Excel's "CSV UTF-8" starts with
one too; every reader of text files (the files connector, replay, labelled rows) decodes them here
so that one file reads the same everywhere. Stdlib only: the core and the connectors both use it.
"""
from __future__ import annotations

import codecs

# UTF-32 first: its little-endian mark begins with UTF-16's
_TEXT_BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF8, "utf-8"),
              (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


def text_encoding(head: bytes) -> tuple[str, int]:
    """(codec, length of its byte-order mark) for a text file starting with ``head``: the one its
    BOM names (UTF-8, UTF-16 or UTF-32, either byte order), else UTF-8 with no mark."""
    for bom, name in _TEXT_BOMS:
        if head.startswith(bom):
            return name, len(bom)
    return "utf-8", 0


def decode_text(data: bytes) -> str:
    """A text file's content, decoded as its BOM says, else as UTF-8, without the BOM. Bytes that
    do not decode raise UnicodeDecodeError (its ``encoding`` names the codec tried; its ``start``
    counts from the start of the file)."""
    name, skip = text_encoding(data[:4])
    try:
        return data[skip:].decode(name)
    except UnicodeDecodeError as exc:
        raise UnicodeDecodeError(exc.encoding, data, exc.start + skip, exc.end + skip, exc.reason) from None
