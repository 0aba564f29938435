"""Fields of rows exported from elsewhere, found under the names their tools give them.

``first`` is connectors.rows' own, so that the benchmarks and the evaluation helpers read a row's
fields exactly as ``ingest files --rows`` and ``replay --rows`` do: under the name as written, else
in any case and in camelCase or snake_case (``TITLE``, ``publishedAt`` for ``published_at``).
connectors.rows needs nothing above this layer (the standard library and pipeline.times).
"""
from __future__ import annotations

from connectors.rows import first

__all__ = ["first"]
