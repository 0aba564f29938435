"""Argument types and checks shared by the benchmark scripts: bad values are refused by argparse
(a usage line, one clear error, exit 2) before anything starts, not met later as a traceback."""
from __future__ import annotations

import argparse
import errno
import os
import zlib
from pathlib import Path


def _number(kind, text: str, minimum: float, strict: bool, what: str):
    try:
        value = kind(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not {what}") from None
    if value != value or (value <= minimum if strict else value < minimum):  # NaN is refused too
        raise argparse.ArgumentTypeError(f"{text!r} is not {what}")
    return value


def positive_int(text: str) -> int:
    return _number(int, text, 0, True, "a positive integer")


def non_negative_int(text: str) -> int:
    return _number(int, text, 0, False, "a non-negative integer")


def positive_float(text: str) -> float:
    value = _number(float, text, 0.0, True, "a positive number")
    if value == float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r} is not a finite number")
    return value


def fraction(text: str) -> float:
    """A number from 0 to 1 (a precision floor, a share)."""
    value = _number(float, text, 0.0, False, "a number from 0 to 1")
    if value > 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number from 0 to 1")
    return value


def positive_int_list(text: str) -> list[int]:
    """A comma list of positive integers, e.g. ``10000,100000``."""
    items = [item.strip() for item in text.split(",")]
    if not any(items):
        raise argparse.ArgumentTypeError("expected a comma list of positive integers")
    return [positive_int(item) for item in items]


def require_path(parser: argparse.ArgumentParser, option: str, path, needed: str | None = None) -> None:
    """parser.error (exit 2) in the words of the OSError that opening ``path`` would raise, if it,
    or the file ``needed`` inside it, does not exist."""
    target = Path(path) / needed if needed else Path(path)
    if not target.exists():
        parser.error(f"{option}: [Errno {errno.ENOENT}] {os.strerror(errno.ENOENT)}: {str(target)!r}")


def load_or_refuse(parser: argparse.ArgumentParser, option: str, loader, path, if_empty: str | None = None):
    """``loader(path)``, or parser.error (exit 2, one line naming ``option``) if it fails to read it or,
    given ``if_empty``, finds nothing in it: bad data is refused like a bad flag, before any work starts."""
    try:
        loaded = loader(path)
    except (OSError, ValueError) as exc:  # missing or unreadable; not the data expected (the message says where)
        parser.error(f"{option}: {exc}")
    except (EOFError, zlib.error) as exc:  # a truncated or damaged .gz, which gzip does not name
        parser.error(f"{option}: {path}: a damaged gzip file ({exc})")
    if if_empty is not None and not loaded:
        parser.error(f"{option}: {if_empty}")
    return loaded
