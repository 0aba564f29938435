"""The contract: JSON Schema files for every record Newsflow reads or writes.

The ``*.v1.json`` files beside this module are the single source of truth; consumers in
other languages read them directly. The Python side loads them here and validates against
them (see :mod:`schemas.models`), so a model can never drift from its schema unnoticed.
"""
from __future__ import annotations

import functools
from importlib import resources

import orjson
from jsonschema import Draft202012Validator, FormatChecker

SCHEMA_VERSION = 1
SCHEMA_NAMES = ("raw_article", "article", "event", "deadletter")


@functools.cache
def load_schema(name: str, version: int = SCHEMA_VERSION) -> dict:
    """The parsed JSON Schema ``schemas/<name>.v<version>.json``."""
    if name not in SCHEMA_NAMES:
        raise KeyError(f"unknown schema {name!r}; known: {', '.join(SCHEMA_NAMES)}")
    text = resources.files(__name__).joinpath(f"{name}.v{version}.json").read_bytes()
    return orjson.loads(text)


@functools.cache
def validator(name: str, version: int = SCHEMA_VERSION) -> Draft202012Validator:
    schema = load_schema(name, version)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=FormatChecker())


def schema_errors(name: str, document: object, version: int = SCHEMA_VERSION) -> list[str]:
    """Every violation of schema ``name`` in ``document``, as short readable lines (empty if valid)."""
    errors = sorted(validator(name, version).iter_errors(document), key=lambda e: list(e.path))
    return [f"{'/'.join(map(str, e.path)) or '<root>'}: {e.message}" for e in errors]
