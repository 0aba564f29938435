"""The Faust codec for table values: orjson, with bytes and numpy arrays kept compact.

Table values are the clustering and boilerplate state. They must round-trip through the Kafka
changelog exactly (so a restarted worker decides as an uninterrupted one would) without pickle,
which would run whatever a changelog writer put there.
"""
from __future__ import annotations

from typing import Any

import orjson
from faust.serializers import codecs

_BYTES = b"\x00"
_JSON = b"\x01"


def encode(value: Any) -> bytes:
    if isinstance(value, (bytes, bytearray, memoryview)):
        return _BYTES + bytes(value)
    return _JSON + orjson.dumps(value, option=orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS)


def decode(data: bytes) -> Any:
    if not data:
        return None
    tag, body = data[:1], data[1:]
    if tag == _BYTES:
        return body
    if tag == _JSON:
        return orjson.loads(body)
    raise ValueError(f"unknown table value tag {tag!r}")


class StateCodec(codecs.Codec):
    def _dumps(self, obj: Any) -> bytes:
        return encode(obj)

    def _loads(self, s: bytes) -> Any:
        return decode(s)


CODEC_NAME = "newsflow_state"
codecs.register(CODEC_NAME, StateCodec())
