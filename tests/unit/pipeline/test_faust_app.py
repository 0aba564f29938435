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


def test_every_runs_from_the_start_before_any_table_recovery_and_survives_a_failing_tick(tmp_path):
    from pipeline.app import create_app
    from pipeline.settings import Settings

    async def run() -> list[str]:
        app = create_app(Settings(kafka_bootstrap="127.0.0.1:1", data_dir=str(tmp_path)))  # never connects
        ticks: list[str] = []

        @app.every(0.01)
        async def tick() -> None:
            ticks.append("tick")
            if len(ticks) == 1:
                raise RuntimeError("a bad tick")

        await app.on_start()  # what Faust runs first; its own timers wait for the first recovery
        for _ in range(200):
            if len(ticks) >= 3:
                break
            await asyncio.sleep(0.01)
        app._stopped.set()
        await app._gather_futures(timeout=1)
        return ticks

    assert len(asyncio.run(run())) >= 3


def test_end_to_end_latency_skips_fetch_times_it_cannot_read():
    from prometheus_client import REGISTRY

    from pipeline.app import observe_end_to_end

    def count() -> float:
        return REGISTRY.get_sample_value("newsflow_end_to_end_seconds_count") or 0.0

    before = count()
    for odd in (5, None, "", "yesterday", "2019-11-18T10:00:00", ["2019"]):  # no zone, or not a time
        observe_end_to_end(odd)
    assert count() == before
    observe_end_to_end("2019-11-18T10:00:00Z")
    assert count() == before + 1


def test_the_changelogs_created_up_front_are_the_ones_the_worker_tables_write(tmp_path):
    """ensure_topics creates each table's changelog before the worker starts, with its table's
    partitions, so no worker reads the topic list before its changelog is in it."""
    from pipeline.app import create_app
    from pipeline.settings import Settings
    from pipeline.topics import changelog_specs

    settings = Settings(kafka_bootstrap="127.0.0.1:1", data_dir=str(tmp_path), app_id="nf-test",
                        raw_partitions=3, cluster_partitions=2)
    app = create_app(settings)
    tables = {table.changelog_topic.get_topic_name(): table.partitions for table in app.tables.values()}
    created = {spec.name: spec.num_partitions for spec in changelog_specs(settings)}
    assert created == tables
    assert all(spec.topic_configs["cleanup.policy"] == "compact" for spec in changelog_specs(settings))
