"""The cleaned article record."""
from __future__ import annotations

import dataclasses
from typing import Any


@dataclasses.dataclass(slots=True)
class CleanedArticle:
    id: str
    source: str
    url: str | None
    canonical_url: str | None
    title: str | None
    text: str
    author: str | None = None
    published: str | None = None
    fetched_at: str | None = None
    site_name: str | None = None
    language: str | None = None
    flags: list[str] = dataclasses.field(default_factory=list)
    #: a dateline the cleaning removed from the top of the text ("Published: July 29, 2004"), kept
    #: so that the date it names is not lost to clustering
    dateline: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able dict with the field names of schemas/article.v1.json."""
        out = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        out["flags"] = list(self.flags)
        return out
