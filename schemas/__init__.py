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
    return [f"{'/'.join(map(str, e.path)) or '<root>'}: {_short_message(e)}" for e in errors]


QUOTED_VALUE_CHARS = 60  # of a bad value that a violation's message quotes


def _short_message(error) -> str:
    """The validator's message with the value it quotes cut short: it opens with the whole value's
    repr ("['...5,000 characters...'] is not of type 'string'"), which would carry a whole text into
    the dead letter's detail and the log line."""
    quoted = repr(error.instance)
    if len(quoted) <= QUOTED_VALUE_CHARS + 20 or not error.message.startswith(quoted):
        return error.message
    return f"{quoted[:QUOTED_VALUE_CHARS]}... ({len(quoted):,} characters){error.message[len(quoted):]}"
