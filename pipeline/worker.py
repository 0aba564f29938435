"""Run the Faust worker in this process until SIGTERM/SIGINT, then stop cleanly.

mode's Worker handles the signals: in-flight events finish, offsets are committed and the
consumer leaves its group before the process exits.
"""
from __future__ import annotations

import contextlib
import errno
import importlib
import logging
import signal
import socket

import faust

from . import logs
from .app import create_app
from .core import warm_up
from .settings import Settings
from .topics import ensure_topics

log = logging.getLogger("newsflow.worker")


def require_web_port(settings: Settings) -> None:
    """Fail before joining the group when the web port is taken, typically by another worker on
    this host: Faust would find out only after start-up, and end with a traceback."""
    family = socket.AF_INET6 if ":" in settings.web_host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as aiohttp binds it
        try:
            sock.bind((settings.web_host, settings.web_port))
        except socket.gaierror as exc:  # a host name that does not resolve
            raise RuntimeError(f"the web host {settings.web_host!r} is not an address of this machine"
                               f" ({exc.strerror}): set NEWSFLOW_WEB_HOST") from None
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise RuntimeError(f"the web port {settings.web_host}:{settings.web_port} is taken ({exc.strerror}):"
                                   " another worker on this host? Give each its own NEWSFLOW_WEB_PORT") from None
            raise RuntimeError(f"cannot serve the web port on {settings.web_host}:{settings.web_port} ({exc.strerror}):"
                               " check NEWSFLOW_WEB_HOST and NEWSFLOW_WEB_PORT (--web-port)") from None


def require_data_dir(settings: Settings) -> None:
    """Create the table-state folder with its parents: Faust makes only the last level, so a fresh
    directory (or NEWSFLOW_DATA_DIR under a folder not made yet) ended the start in a traceback."""
    try:
        settings.data_path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RuntimeError(f"cannot create the worker's data folder {settings.data_dir} ({exc.strerror}): "
                           "set NEWSFLOW_DATA_DIR to a writable folder") from None


def require_store(settings: Settings) -> None:
    """rocksdb:// needs a RocksDB binding (the 'rocksdb' extra installs rocksdict); without one Faust
    fails only when it opens the tables, after the worker has joined the group."""
    if not settings.store.startswith("rocksdb://"):
        return
    for module in ("rocksdict", "rocksdb"):  # Faust takes either
        with contextlib.suppress(ImportError):
            importlib.import_module(module)
            return
    raise RuntimeError("NEWSFLOW_STORE=rocksdb:// needs a RocksDB binding: pip install 'newsflow[rocksdb]' "
                       "(or use memory://)")


def stop_on_sigterm() -> None:
    """SIGTERM before mode's Worker takes the signals over (while the topics wait for the broker, or
    the core warms up) stops the worker at once, as a requested stop. As PID 1, in a container without
    an init, a process has no default action for SIGTERM: the worker ignored it there until
    Kubernetes gave up and killed it."""
    def stop(signum: int, frame: object) -> None:  # noqa: ARG001
        log.info("stopped before the worker started", extra={"signal": signal.Signals(signum).name})
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)


def run_worker(settings: Settings) -> int:
    logs.setup(settings.log_level, settings.log_format)
    stop_on_sigterm()
    require_store(settings)
    require_data_dir(settings)
    require_web_port(settings)
    ensure_topics(settings)
    log.info("core warmed up", extra={"seconds": round(warm_up(settings), 3)})
    app = create_app(settings)
    log.info("starting worker", extra={"bootstrap": settings.kafka_bootstrap, "app_id": settings.app_id,
                                       "web": f"{settings.web_host}:{settings.web_port}"})
    make_worker(app, settings).execute_from_commandline()  # returns via SystemExit once stopped
    return 0


def make_worker(app: faust.App, settings: Settings) -> faust.Worker:
    """Faust's worker for ``app``, without its terminal spinner: at a log level of warning or above
    the spinner drew on stderr for every log record, cursor escape codes and all, into JSON logs
    and pipes, and set the root logger to DEBUG to see them."""
    worker = faust.Worker(app, loglevel=logs.level_name(settings.log_level), quiet=True, redirect_stdouts=False,
                          logging_config=logs.dict_config(settings.log_level, settings.log_format))
    worker.spinner = None
    return worker
