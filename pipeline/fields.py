"""Fields of rows exported from elsewhere, found under the names their tools give them."""
from __future__ import annotations

from typing import Any


def first(row: dict, fields: tuple[str, ...]) -> Any:
    """The value of the first of ``fields`` the row fills (None and "" count as empty), under its
    name as written, else in any case: datasets such as the UCI News Aggregator write ``ID``,
    ``TITLE``, ``TIMESTAMP``."""
    for name in fields:
        value = row.get(name)
        if value not in (None, ""):
            return value
    # the second look costs a row whose names are all in lower case one pass over its keys
    other_case = {k.lower(): v for k, v in row.items()
                  if isinstance(k, str) and not k.islower() and v not in (None, "")}
    if not other_case:
        return None
    return next((other_case[name.lower()] for name in fields if name.lower() in other_case), None)
