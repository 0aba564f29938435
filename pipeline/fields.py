"""Fields of rows exported from elsewhere (datasets, scrapers' output, API exports), found under the
names their tools give them.

One lookup for the connectors (``ingest files --rows``, ``replay --rows``), the benchmarks and the
evaluation helpers, so that all of them read a row alike: under the name as written, else in any case
and in camelCase or snake_case (``TITLE``, ``publishedAt`` for ``published_at``).
"""
from __future__ import annotations

from typing import Any


def _folded(name: str) -> str:
    """One spelling for 'publishedAt', 'published_at', 'PUBLISHED-AT': 'publishedat'."""
    return name.replace("_", "").replace("-", "").lower()


def first(row: dict, fields: tuple[str, ...]) -> Any:
    """The value of the first of ``fields`` the row fills (None and "" count as empty), under its
    name as written, else in any case or in camelCase (NewsAPI's ``publishedAt``, UCI's ``TITLE``)."""
    for name in fields:
        value = row.get(name)
        if value not in (None, ""):
            return value
    folded: dict[str, Any] = {}
    for key, value in row.items():
        if isinstance(key, str) and value not in (None, ""):
            folded.setdefault(_folded(key), value)  # of two spellings, the row's first
    return next((folded[_folded(name)] for name in fields if _folded(name) in folded), None)
