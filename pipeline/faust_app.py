"""The Faust App class Newsflow runs: stock Faust with its fixes for sustained load.

* Stream flow is resumed only when it was suspended (:class:`SteadyFlowControl`).
* The consumer's fetch wait and the producer's flush before a commit come from
  :mod:`pipeline.transport`.
"""
from __future__ import annotations

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

    @cached_property
    def flow_control(self) -> FlowControlEvent:
        return SteadyFlowControl(loop=self.loop)

    def _new_transport(self):
        transport = transport_class(self.conf.newsflow.fetch_max_wait_ms)
        return transport(self.conf.broker_consumer, self)

    def _new_producer_transport(self):
        transport = transport_class(self.conf.newsflow.fetch_max_wait_ms)
        return transport(self.conf.broker_producer, self)
