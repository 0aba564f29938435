"""A listening port that hands at most ``limit`` connections to an aiohttp server at once.

aiohttp takes every connection it is offered: a client, or a flood, that opens thousands uses up
the process's file descriptors, and then no accept succeeds, a liveness probe's included. Over the
cap the listener answers by itself, from the request's head, with what ``answer`` makes of it, and
closes; at most ``OVER_CAP_HELD_AT_MOST`` such connections are held at once, later ones are hung
up at once, so that the refusals cannot use up the descriptors either.
"""
from __future__ import annotations

import asyncio
import time
from typing import Callable

from aiohttp import web

BACKLOG = 128  # what web.TCPSite listens with
OVER_CAP_IDLE = 2.0  # seconds a connection over the cap has to send its request's head (and to leave after)
OVER_CAP_HEAD_LIMIT = 8 * 1024  # the most of a request's head read over the cap
OVER_CAP_HELD_AT_MOST = 64  # connections over the cap held at once; more are hung up at once (a flood's fds)
WARN_EVERY = 10.0

Answer = Callable[[bytes, int], bytes]  # (the request's head, the cap) -> a whole HTTP answer that closes


class _OverCap(asyncio.Protocol):
    """A connection over the cap: its request's head is read, answered, and the connection closed;
    what the client sends after the head (a body) is read and dropped until it leaves, so that the
    close does not reset the connection before the answer is read. Held at most ``OVER_CAP_IDLE``
    seconds for the head, as long again after the answer."""

    def __init__(self, limit: int, held: set, answer: Answer):
        self.limit, self.held, self.answer = limit, held, answer
        self.head = bytearray()
        self.answered = False
        self.transport: asyncio.Transport | None = None
        self.deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        self.held.add(self)
        self._hang_up_in(OVER_CAP_IDLE)

    def data_received(self, data: bytes) -> None:
        if self.answered:
            return
        self.head += data
        if b"\r\n\r\n" in self.head or len(self.head) > OVER_CAP_HEAD_LIMIT:
            self._answer()

    def eof_received(self) -> bool:
        if not self.answered and self.head:
            self._answer()
        return False  # the transport closes, once the answer is written

    def connection_lost(self, exc: Exception | None) -> None:
        self.held.discard(self)
        if self.deadline is not None:
            self.deadline.cancel()

    def _answer(self) -> None:
        self.answered = True
        self.transport.write(self.answer(bytes(self.head), self.limit))
        if self.transport.can_write_eof():
            self.transport.write_eof()
        self._hang_up_in(OVER_CAP_IDLE)

    def _hang_up_in(self, seconds: float) -> None:
        if self.deadline is not None:
            self.deadline.cancel()
        self.deadline = asyncio.get_running_loop().call_later(seconds, self.hang_up)

    def hang_up(self) -> None:
        """Closed when all is written, else reset: a client that reads nothing cannot hold it either."""
        if self.transport.get_write_buffer_size():
            self.transport.abort()
        else:
            self.transport.close()


class _HangUp(asyncio.Protocol):
    """Over the cap while ``OVER_CAP_HELD_AT_MOST`` others are answered: closed at once."""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        transport.abort()


class ConnectionCap:
    """The listener's protocol factory: aiohttp's handler (``server()``) while fewer than ``limit``
    connections are open, else a protocol that answers without the app (``_OverCap``)."""

    def __init__(self, server: web.Server, limit: int, answer: Answer, on_refused: Callable[[], None],
                 warn: Callable[[int], None]):
        self.server, self.limit, self.answer, self.on_refused, self.warn = server, limit, answer, on_refused, warn
        self.starting = 0  # handlers made whose connection_made, which registers them, has not run yet
        self.over_cap: set[_OverCap] = set()
        self.warned_at: float | None = None

    def __call__(self) -> asyncio.Protocol:
        # asyncio accepts a burst of connections before any handler's connection_made has run
        if len(self.server.connections) + self.starting < self.limit:
            return self._admit()
        return self._refuse()

    def _admit(self) -> asyncio.Protocol:
        self.starting += 1
        loop = asyncio.get_running_loop()
        loop.call_soon(loop.call_soon, self._started)  # runs after the connection_made asyncio schedules next
        return self.server()

    def _started(self) -> None:
        self.starting -= 1

    def _refuse(self) -> asyncio.Protocol:
        self.on_refused()
        self._warn()
        if len(self.over_cap) >= OVER_CAP_HELD_AT_MOST:
            return _HangUp()
        return _OverCap(self.limit, self.over_cap, self.answer)

    def _warn(self) -> None:
        now = time.monotonic()
        if self.warned_at is not None and now - self.warned_at < WARN_EVERY:
            return
        self.warned_at = now
        self.warn(len(self.server.connections))

    def close(self) -> None:
        for protocol in list(self.over_cap):
            protocol.hang_up()


class Listener:
    """The port, served as web.TCPSite serves it but with the cap; ``close`` it before
    ``runner.cleanup()``, which closes the app's connections but knows of no listener."""

    def __init__(self, server: asyncio.Server, cap: ConnectionCap):
        self.server, self.cap = server, cap

    @property
    def port(self) -> int:
        return self.server.sockets[0].getsockname()[1]

    def close(self) -> None:
        self.server.close()
        self.cap.close()


async def listen_capped(server: web.Server, host: str, port: int, limit: int, answer: Answer,
                        on_refused: Callable[[], None], warn: Callable[[int], None]) -> Listener:
    """Listen on ``host``:``port`` for ``server`` (a set-up runner's), at most ``limit`` connections
    at once: ``on_refused()`` is called for each one over the cap, ``warn(open connections)`` at most
    every ``WARN_EVERY`` seconds while they come. A port in use raises asyncio's OSError, which names
    the address, as web.TCPSite's does."""
    cap = ConnectionCap(server, limit, answer, on_refused, warn)
    listening = await asyncio.get_running_loop().create_server(cap, host, port, reuse_address=True, backlog=BACKLOG)
    return Listener(listening, cap)
