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


_GONE = object()  # a staged delete


class StagedStore(MutableMapping[str, Any]):
    """A view of ``store`` whose writes wait in ``pending`` until their :class:`AtomicBatch` commits."""

    def __init__(self, store: MutableMapping[str, Any]):
        self.store = store
        self.pending: dict[str, Any] = {}

    def __getitem__(self, key: str) -> Any:
        value = self.pending.get(key, None)
        if value is None:
            return self.store[key]
        if value is _GONE:
            raise KeyError(key)
        return value

    def __setitem__(self, key: str, value: Any) -> None:
        self.pending[key] = value

    def __delitem__(self, key: str) -> None:
        if key not in self:
            raise KeyError(key)
        self.pending[key] = _GONE

    def __contains__(self, key: object) -> bool:
        value = self.pending.get(key, None)  # type: ignore[call-overload]
        if value is None:
            return key in self.store
        return value is not _GONE

    def __iter__(self) -> Iterator[str]:
        pending = self.pending
        for key in self.store:
            if pending.get(key) is not _GONE:
                yield key
        for key, value in list(pending.items()):
            if value is not _GONE and key not in self.store:
                yield key

    def __len__(self) -> int:
        return sum(1 for _ in self)


class AtomicBatch:
    """Writes to several stores that become durable all together, or are redone on restore.

    A stage that writes several keys per message (the clustering window, the event under
    construction) can be SIGKILLed with only some of them on the changelog, and the redelivered
    message would then meet a half-updated state. So every batch is first recorded whole under
    one journal key, then applied. Changelog writes of one partition stay in order, so any key of
    a batch that survived a crash implies its journal did, and :meth:`recover` re-applies the last
    journal when the state is restored.
    """

    def __init__(self, journal: MutableMapping[str, Any], key: str = "last", **stores: MutableMapping[str, Any]):
        self.journal = journal
        self.key = key
        self.views = {name: StagedStore(store) for name, store in stores.items()}

    def recover(self) -> None:
        entry = self.journal.get(self.key)
        for name, writes in (entry or {}).items():
            self._apply(self.views[name].store, {k: from_json_value(v) for k, v in writes.items()})

    def commit(self) -> None:
        staged = {name: view.pending for name, view in self.views.items() if view.pending}
        if not staged:
            return
        self.journal[self.key] = {name: {k: None if v is _GONE else to_json_value(v) for k, v in pending.items()}
                                  for name, pending in staged.items()}
        for name, pending in staged.items():
            self._apply(self.views[name].store, {k: None if v is _GONE else v for k, v in pending.items()})
            pending.clear()

    @staticmethod
    def _apply(store: MutableMapping[str, Any], writes: dict[str, Any]) -> None:
        for key, value in writes.items():
            if value is None:
                store.pop(key, None)
            else:
                store[key] = value
