"""Mutable-mapping views that let the core keep its state in Faust tables.

A Faust table holds the keys of every partition this worker owns; the clustering core needs the
state of one partition (one language bucket) at a time, so keys are prefixed with the partition.
"""
from __future__ import annotations

from collections.abc import Iterator, MutableMapping
from typing import Any


class PartitionStore(MutableMapping[str, Any]):
    """The slice of ``table`` that belongs to ``partition`` (keys are stored as "<partition>|<key>")."""

    def __init__(self, table: MutableMapping[str, Any], partition: int):
        self.table = table
        self.prefix = f"{partition}|"

    def __getitem__(self, key: str) -> Any:
        value = self.table.get(self.prefix + key)
        if value is None:
            raise KeyError(key)
        return value

    def __setitem__(self, key: str, value: Any) -> None:
        self.table[self.prefix + key] = value

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
