"""Structured logging: one JSON object per line on stderr (or plain text for humans)."""
from __future__ import annotations

import logging
import sys
from datetime import datetime, timezone

import orjson

_RESERVED = set(vars(logging.makeLogRecord({})).keys()) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for key, value in record.__dict__.items():
            if key not in _RESERVED and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return orjson.dumps(entry, default=str).decode()


def handler(fmt: str = "json") -> logging.Handler:
    out = logging.StreamHandler(sys.stderr)
    out.setFormatter(JsonFormatter() if fmt == "json" else
                     logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    return out


def level_name(level: str) -> str:
    """'warn' and 'WARNING' alike -> the logging module's name."""
    name = level.strip().upper()
    return {"WARN": "WARNING", "CRIT": "CRITICAL"}.get(name, name)


def setup(level: str = "info", fmt: str = "json") -> logging.Handler:
    """Route every logger (faust, aiokafka, ours) to one stderr handler."""
    root = logging.getLogger()
    for existing in list(root.handlers):
        root.removeHandler(existing)
    out = handler(fmt)
    root.addHandler(out)
    root.setLevel(level_name(level))
    logging.getLogger("aiokafka").setLevel(max(root.level, logging.WARNING))
    logging.getLogger("kafka").setLevel(max(root.level, logging.WARNING))
    return out
