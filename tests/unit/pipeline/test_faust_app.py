"""Stream buffers survive a resume of a flow that was never suspended (Faust resumes after every
table recovery, and a plain resume would empty buffers holding live messages)."""
import asyncio

from mode.utils.queues import FlowControlQueue

from pipeline.faust_app import SteadyFlowControl


def test_resuming_an_active_flow_keeps_buffered_messages_and_a_suspended_one_is_cleared():
    async def run() -> tuple[int, int]:
        flow = SteadyFlowControl(initially_suspended=False)
        buffer = FlowControlQueue(flow_control=flow, clear_on_resume=True)
        buffer.put_nowait("offset 31")
        flow.resume()  # what Faust does after a recovery when nothing was suspended
        kept = buffer.qsize()
        flow.suspend()  # a rebalance: what is buffered will be fetched again after the seek
        flow.resume()
        return kept, buffer.qsize()

    assert asyncio.run(run()) == (1, 0)
