"""Prometheus metrics of the connectors and the small /metrics, /healthz, /readyz server."""
from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable

from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, Counter, Gauge, generate_latest

FETCHES = Counter("newsflow_connector_fetches", "HTTP fetches by outcome (ok, not_modified, timeout, blocked, ...)",
                  ["connector", "outcome"])
FETCH_BYTES = Counter("newsflow_connector_fetch_bytes", "Response body bytes read", ["connector"])
ERRORS = Counter("newsflow_connector_errors", "Errors by reason (fetch, parse, delivery)", ["connector", "reason"])
NEW_ENTRIES = Counter("newsflow_connector_new_entries", "Raw articles acknowledged by Kafka", ["connector"])
DEADLETTERS = Counter("newsflow_connector_deadletters", "Records sent to news.deadletter", ["connector", "reason"])
DELIVERY_RETRIES = Counter("newsflow_connector_delivery_retries", "Batches resent because Kafka did not ack",
                           ["connector"])
LAST_SUCCESS = Gauge("newsflow_connector_last_success_timestamp_seconds",
                     "Unix time of the last successful poll/request", ["connector"])


class HealthServer:
    """/metrics (Prometheus text), /healthz (process alive), /readyz (``ready()`` is true)."""

    def __init__(self, host: str, port: int, ready: Callable[[], bool] | None = None):
        self.ready = ready or (lambda: True)
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server naming
                path = self.path.split("?", 1)[0]
                if path == "/metrics":
                    body, ctype, code = generate_latest(REGISTRY), CONTENT_TYPE_LATEST, 200
                elif path == "/healthz":
                    body, ctype, code = b"ok\n", "text/plain", 200
                elif path == "/readyz":
                    try:
                        ok = bool(outer.ready())
                    except Exception:  # noqa: BLE001 - a failing probe means not ready
                        ok = False
                    body, ctype, code = (b"ready\n", "text/plain", 200) if ok else (b"not ready\n", "text/plain", 503)
                else:
                    body, ctype, code = b"not found\n", "text/plain", 404
                self.send_response(code)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer((host, port), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._server.serve_forever, name="metrics", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
