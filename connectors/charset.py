"""Bytes of a web page to text, with the encoding chosen as browsers choose it, and then some.

Order: a byte-order mark; UTF-8 if the bytes are UTF-8; the encoding the HTTP header names; the
one the page declares (<meta> or an XML declaration); a statistical guess (charset-normalizer);
windows-1252 with replacement characters. Labels are read as browsers read them (w3lib's table,
after the WHATWG Encoding Standard): "gb2312" pages are decoded as GB18030, "shift_jis" as cp932,
"euc-kr" as cp949, "iso-8859-1" and "ascii" as windows-1252. Python's codecs of the narrow names
reject characters those pages carry in practice, and such a page used to end as mojibake.

UTF-8 goes before the declarations because text in another encoding almost never decodes as
UTF-8, while UTF-8 pages under a wrong label are common (a server's default header naming
Latin-1, a saved page that kept its old <meta>). A declaration that does not decode the bytes is
passed over rather than trusted with replacement characters, and so is one naming UTF-16 or UTF-32
for bytes without a zero byte, which text in those has.
"""
from __future__ import annotations

import codecs

from w3lib.encoding import html_body_declared_encoding, read_bom, resolve_encoding

from pipeline.textcodec import decode_text, text_encoding  # noqa: F401 - the text files' side, here for the connectors

_WIDE = ("utf-16", "utf-32")
_GUESS_BYTES = 64 * 1024  # enough text for a confident guess; the guess costs ~ms per 10 KB


def _codec(label: str | None) -> str | None:
    """The Python codec a browser would use for ``label``, or None if it names none."""
    if not label:
        return None
    name = resolve_encoding(label.strip().strip("\"'"))
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def declared_encodings(content: bytes, charset: str | None = None) -> list[str]:
    """Codecs named by the HTTP ``charset`` and then by the page itself, without repeats."""
    found = [_codec(charset)]
    declared = _codec(html_body_declared_encoding(content[:4096]))
    # an ASCII-compatible declaration cannot name UTF-16: browsers read such pages as UTF-8
    found.append("utf-8" if declared and declared.startswith(_WIDE) else declared)
    return list(dict.fromkeys(name for name in found if name))


def decode_html(content: bytes, charset: str | None = None) -> str:
    """Text of an HTML body; ``charset`` is the one the HTTP header names, if any."""
    bom_encoding, bom = read_bom(content)
    if bom_encoding and bom:
        return content[len(bom):].decode(bom_encoding, errors="replace")
    declared = declared_encodings(content, charset)
    if b"\x00" not in content[:_GUESS_BYTES]:
        # a page in UTF-16/32 has zero bytes (its markup is ASCII): without any, a header naming one is
        # wrong, and a UTF-8 page read under it became CJK mojibake ("<html>" as "格浴㹬")
        declared = [name for name in declared if not name.startswith(_WIDE)]
    # UTF-16/32 bytes of ASCII text are valid UTF-8 too: there the declaration must go first
    wide = any(name.startswith(_WIDE) for name in declared)
    for name in dict.fromkeys([*declared, "utf-8"] if wide else ["utf-8", *declared]):
        try:
            return content.decode(name)
        except UnicodeDecodeError:
            continue
    guess = _guess(content)
    return content.decode(guess or "cp1252", errors="replace")


def guess_encoding(content: bytes) -> str | None:
    """The codec charset-normalizer finds most likely for ``content`` (its first 64 KB), as a
    browser would name it; None when it finds none."""
    return _guess(content)


def _guess(content: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(content[:_GUESS_BYTES]).best()
    return _codec(best.encoding) if best is not None else None
