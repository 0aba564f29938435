"""Mutable-mapping views that let the core keep its state in Faust tables.

A Faust table holds the keys of every partition this worker owns; the clustering core needs the
state of one partition (one language bucket) at a time, so keys are prefixed with the partition.
Table values travel through the changelog as JSON, so byte strings (compact signatures) are
wrapped as ``{"$b": base64}`` on the way in and unwrapped on the way out.
"""
from __future__ import annotations

import base64
from collections.abc import Iterator, MutableMapping
from typing import Any

_BYTES = "$b"


def to_json_value(value: Any) -> Any:
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {_BYTES: base64.b64encode(bytes(value)).decode("ascii")}
    return value


def from_json_value(value: Any) -> Any:
    if isinstance(value, dict) and len(value) == 1 and _BYTES in value:
        return base64.b64decode(value[_BYTES])
    return value


class PartitionStore(MutableMapping[str, Any]):
    """The slice of ``table`` that belongs to ``partition`` and ``namespace`` (keys "<partition>|<namespace><key>")."""

    def __init__(self, table: MutableMapping[str, Any], partition: int, namespace: str = ""):
        self.table = table
        self.prefix = f"{partition}|{namespace}"

    def __getitem__(self, key: str) -> Any:
        value = self.table.get(self.prefix + key)
        if value is None:
            raise KeyError(key)
        return from_json_value(value)

    def __setitem__(self, key: str, value: Any) -> None:
        self.table[self.prefix + key] = to_json_value(value)

    def __delitem__(self, key: str) -> None:
        full = self.prefix + key
        if full not in self.table:
            raise KeyError(key)
        del self.table[full]

    def __iter__(self) -> Iterator[str]:
        cut = len(self.prefix)
        for key in list(self.table.keys()):
            if isinstance(key, str) and key.startswith(self.prefix):
                yield key[cut:]

    def __len__(self) -> int:
        return sum(1 for _ in self)


class JsonStore(MutableMapping[str, Any]):
    """A whole table as a mapping whose values may also be bytes (see module docstring)."""

    def __init__(self, table: MutableMapping[str, Any]):
        self.table = table

    def __getitem__(self, key: str) -> Any:
        value = self.table.get(key)
        if value is None:
            raise KeyError(key)
        return from_json_value(value)

    def __setitem__(self, key: str, value: Any) -> None:
        self.table[key] = to_json_value(value)

    def __delitem__(self, key: str) -> None:
        if key not in self.table:
            raise KeyError(key)
        del self.table[key]

    def __iter__(self) -> Iterator[str]:
        return iter(list(self.table.keys()))

    def __len__(self) -> int:
        return len(self.table)
