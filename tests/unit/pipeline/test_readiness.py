"""The worker's readiness without a broker: the probe's failures are answers, never exceptions, and
a lost broker makes the worker not ready whatever else holds. tests/integration/test_readiness.py
stops and restarts a real broker."""
from __future__ import annotations

import asyncio
import socket
import time
from types import SimpleNamespace

from pipeline.app import BrokerProbe, not_ready_because, worker_ready
from pipeline.stall import BrokerWatch


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_probe_of_an_address_nobody_listens_on_answers_false():
    probe = BrokerProbe(f"127.0.0.1:{closed_port()}", timeout_s=2.0)
    assert asyncio.run(probe()) is False
    probe.close()


def test_a_probe_of_a_broker_that_accepts_and_never_answers_gives_up_at_its_timeout():
    """A black hole (a half-open connection, a hung broker) must not hold the probe for the
    client's request timeout: the silence would then outlast the grace unseen."""
    async def run() -> tuple[bool, float]:
        accepted: list[asyncio.StreamWriter] = []

        async def mute(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            accepted.append(writer)  # keep the connection open, say nothing

        server = await asyncio.start_server(mute, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        probe = BrokerProbe(f"127.0.0.1:{closed_port()},127.0.0.1:{port}", timeout_s=0.3)
        try:
            assert await probe() is False  # the first address refuses: the next one is asked next time
            started = time.monotonic()
            answered = await probe()
            return answered, time.monotonic() - started
        finally:
            probe.close()
            for writer in accepted:
                writer.close()
            server.close()
            await server.wait_closed()

    answered, seconds = asyncio.run(run())
    assert answered is False and seconds < 5.0  # bounded by the timeout, not the client's 30 s or more


def fake_app(*, broker_reachable=True, rebalanced=True, rebalancing=False, recovered=True, in_recovery=False,
             assignment=("raw-0",)):
    clock = SimpleNamespace(now=0.0)
    watch = BrokerWatch(6.0, clock=lambda: clock.now)
    if not broker_reachable:
        clock.now += 60
    completed = asyncio.Event()
    if recovered:
        completed.set()
    return SimpleNamespace(newsflow_broker=watch, newsflow_rebalanced=rebalanced, rebalancing=rebalancing,
                           tables=SimpleNamespace(recovery=SimpleNamespace(completed=completed, in_recovery=in_recovery)),
                           consumer=SimpleNamespace(assignment=lambda: set(assignment)))


def test_a_worker_that_lost_the_broker_is_not_ready_whatever_else_holds():
    assert worker_ready(fake_app()) and not_ready_because(fake_app()) is None
    assert not_ready_because(fake_app(broker_reachable=False)) == "broker unreachable"
    assert not_ready_because(fake_app(broker_reachable=False, rebalancing=True)) == "broker unreachable"
    assert not_ready_because(fake_app(rebalanced=False)) == "rebalancing"
    assert not_ready_because(fake_app(rebalancing=True)) == "rebalancing"
    assert not_ready_because(fake_app(recovered=False)) == "recovering tables"
    assert not_ready_because(fake_app(assignment=())) == "no partitions"


def test_a_table_recovery_is_reported_as_such_while_faust_still_counts_it_in_the_rebalance():
    """Faust sends on_rebalance_complete only after the recovery, so a worker replaying its
    changelogs for minutes answered "rebalancing", as if its group could not settle."""
    recovering = fake_app(rebalanced=False, rebalancing=True, recovered=False, in_recovery=True)
    assert not_ready_because(recovering) == "recovering tables"
    assert not_ready_because(fake_app(broker_reachable=False, in_recovery=True)) == "broker unreachable"
