"""The Faust App class Newsflow runs: stock Faust with its fixes for sustained load.

* Stream flow is resumed only when it was suspended (:class:`SteadyFlowControl`).
* Watchdogs that must also run during the first table recovery (:meth:`NewsflowApp.every`).
* The consumer's fetch wait and the producer's flush before a commit come from
  :mod:`pipeline.transport`.
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable

import faust
from mode.utils.objects import cached_property
from mode.utils.queues import FlowControlEvent

from .transport import transport_class


class SteadyFlowControl(FlowControlEvent):
    """Faust resumes stream flow after every table recovery, and resuming clears the stream
    buffers. When the flow was never suspended those buffers hold live messages, fetched after the
    partitions were resumed, and clearing them loses them. Resume only what was suspended."""

    def resume(self) -> None:
        if not self.is_active():
            super().resume()


class NewsflowApp(faust.App):
    """``faust.App`` with the fixes above; reads its own settings from ``conf.newsflow``."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._early_timers: list[tuple[float, Callable[[], Awaitable[None]]]] = []

    def every(self, interval: float) -> Callable:
        """Decorator: run the coroutine function every ``interval`` seconds from the moment the app
        starts. Faust's own timers start only once the first table recovery has completed, so they
        cannot watch that recovery."""
        def register(fun: Callable[[], Awaitable[None]]) -> Callable[[], Awaitable[None]]:
            self._early_timers.append((interval, fun))
            return fun
        return register

    async def on_start(self) -> None:
        await super().on_start()
        for interval, fun in self._early_timers:
            self.add_future(self._repeat(interval, fun))

    async def _repeat(self, interval: float, fun: Callable[[], Awaitable[None]]) -> None:
        while not self.should_stop:
            await self.sleep(interval)
            if self.should_stop:
                return
            try:
                await fun()
            except Exception:  # a watchdog's bad tick must not end the watching
                self.log.exception("%s failed", getattr(fun, "__name__", fun))

    @cached_property
    def flow_control(self) -> FlowControlEvent:
        return SteadyFlowControl(loop=self.loop)

    def _new_transport(self):
        transport = transport_class(self.conf.newsflow.fetch_max_wait_ms)
        return transport(self.conf.broker_consumer, self)

    def _new_producer_transport(self):
        transport = transport_class(self.conf.newsflow.fetch_max_wait_ms)
        return transport(self.conf.broker_producer, self)
