"""deploy/compose.yaml against the Compose Specification schema, and how its services fit together."""
from __future__ import annotations

import importlib.metadata
import json
import re

import pytest
import yaml

from deploy_checks import DEPLOY, REPO, parse_cli


def compose_spec_schema() -> dict:
    """The compose-spec JSON schema that check-jsonschema vendors (read as data: no import needed)."""
    try:
        dist = importlib.metadata.distribution("check-jsonschema")
    except importlib.metadata.PackageNotFoundError:
        pytest.skip("check-jsonschema (the test extra) is not installed: no offline compose-spec schema")
    path = dist.locate_file("check_jsonschema/builtin_schemas/vendor/compose-spec.json")
    return json.loads(path.read_text())


def test_compose_file_matches_the_compose_spec(compose):
    import jsonschema

    schema = compose_spec_schema()
    validator = jsonschema.validators.validator_for(schema)(schema)
    errors = sorted(validator.iter_errors(compose), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors)


def test_schema_check_catches_mistakes(compose):
    """The schema check is not vacuous: a misspelt key and a wrong type are reported."""
    import copy

    import jsonschema

    schema = compose_spec_schema()
    validator = jsonschema.validators.validator_for(schema)(schema)
    broken = copy.deepcopy(compose)
    broken["services"]["worker"]["restrat"] = "always"
    broken["services"]["kafka"]["ports"] = 9094
    assert len(list(validator.iter_errors(broken))) >= 2


def default_of(value: str) -> str:
    """The default of a ${VAR:-default} interpolation (or the text itself)."""
    return re.sub(r"\$\{[A-Z0-9_]+:-([^}]*)\}", r"\1", value)


def test_services_present(compose):
    services = compose["services"]
    for name in ("kafka", "topics", "worker", "rss", "serve-ingest", "prometheus", "grafana"):
        assert name in services, name
    kafka = services["kafka"]
    assert kafka["image"].startswith("apache/kafka:4.2"), kafka["image"]
    env = kafka["environment"]
    assert set(env["KAFKA_PROCESS_ROLES"].split(",")) == {"broker", "controller"}
    assert env["KAFKA_CONTROLLER_LISTENER_NAMES"] in env["KAFKA_LISTENERS"]
    assert "CLUSTER_ID" in env
    # Every advertised listener is a declared listener, and kafka:9092 is the one containers use.
    listeners = {item.split("://")[0] for item in env["KAFKA_LISTENERS"].split(",")}
    advertised = {item.split("://")[0] for item in env["KAFKA_ADVERTISED_LISTENERS"].split(",")}
    assert advertised <= listeners
    assert "PLAINTEXT://kafka:9092" in env["KAFKA_ADVERTISED_LISTENERS"]
    assert env["KAFKA_AUTO_CREATE_TOPICS_ENABLE"] == "false"


def volume_parts(volume: str) -> list[str]:
    """source, target[, mode] of a short-syntax volume, its ${VAR:-default} source resolved."""
    return default_of(volume).split(":")


def newsflow_services(compose) -> dict:
    return {name: s for name, s in compose["services"].items() if "build" in s}


def test_newsflow_services_build_the_image(compose):
    services = newsflow_services(compose)
    assert set(services) >= {"topics", "worker", "rss", "serve-ingest"}
    for name, service in services.items():
        build = service["build"]
        context = (DEPLOY / build["context"]).resolve()
        assert context == REPO, name
        assert (context / build["dockerfile"]).is_file(), name
        assert service["environment"]["NEWSFLOW_KAFKA_BOOTSTRAP"] == "kafka:9092", name


def test_commands_are_valid_newsflow_command_lines(compose, cli_parser):
    services = compose["services"]
    args = parse_cli(cli_parser, services["worker"]["command"])
    assert args.command == "worker"
    args = parse_cli(cli_parser, services["rss"]["command"])
    assert (args.command, args.ingest_command) == ("ingest", "rss")
    args = parse_cli(cli_parser, services["serve-ingest"]["command"])
    assert args.command == "serve-ingest"
    assert services["serve-ingest"]["environment"]["NEWSFLOW_INGEST_TOKEN"].startswith("${NEWSFLOW_INGEST_TOKEN:?")
    # The topic set-up runs real code of the project.
    code = services["topics"]["command"][0]
    compile(code, "topics", "exec")
    assert "ensure_topics" in code and services["topics"]["entrypoint"][:2] == ["python", "-c"]


def test_workers_can_scale(compose):
    worker = compose["services"]["worker"]
    assert "ports" not in worker, "a published host port would stop `--scale worker=N`"
    assert "container_name" not in worker
    assert worker["deploy"]["replicas"] >= 1
    assert worker["depends_on"]["topics"]["condition"] == "service_completed_successfully"
    assert worker["environment"]["NEWSFLOW_WEB_HOST"] == "0.0.0.0"


def test_mounted_files_exist(compose):
    checked = 0
    for name, service in compose["services"].items():
        for volume in service.get("volumes", []):
            source = volume_parts(volume)[0] if isinstance(volume, str) else volume["source"]
            if source.startswith((".", "/")):
                assert (DEPLOY / source).exists(), f"{name}: {source}"
                checked += 1
    assert checked >= 4  # feeds file, prometheus.yml, grafana provisioning and dashboards


def test_rss_reads_the_mounted_feeds_file(compose, cli_parser):
    rss = compose["services"]["rss"]
    args = parse_cli(cli_parser, rss["command"])
    targets = {volume_parts(v)[1] for v in rss["volumes"]}
    assert args.feeds in targets
    assert rss["environment"]["NEWSFLOW_STATE_DIR"] in targets


def test_prometheus_scrapes_what_compose_runs(compose, cli_parser):
    config = yaml.safe_load((DEPLOY / "prometheus" / "prometheus.yml").read_text())
    services = compose["services"]
    targets = set()
    for job in config["scrape_configs"]:
        for static in job.get("static_configs", []):
            targets |= set(static["targets"])
            assert "connector" not in static.get("labels", {}), "would shadow the metrics' own label"
        for dns in job.get("dns_sd_configs", []):
            targets |= {f"{name}:{dns['port']}" for name in dns["names"]}
    worker_port = services["worker"]["environment"]["NEWSFLOW_WEB_PORT"]
    assert f"worker:{worker_port}" in targets
    assert f"rss:{services['rss']['environment']['NEWSFLOW_METRICS_PORT']}" in targets
    ingest = parse_cli(cli_parser, services["serve-ingest"]["command"])
    assert f"serve-ingest:{ingest.port}" in targets
    for target in targets:
        assert target.split(":")[0] in services, target
    # The mount in compose is the file checked here.
    assert "./prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro" in services["prometheus"]["volumes"]


def test_health_checks_hit_the_ports_the_services_listen_on(compose, cli_parser):
    services = compose["services"]
    rss_check = " ".join(services["rss"]["healthcheck"]["test"])
    assert f":{services['rss']['environment']['NEWSFLOW_METRICS_PORT']}/healthz" in rss_check
    ingest = parse_cli(cli_parser, services["serve-ingest"]["command"])
    assert f":{ingest.port}/healthz" in " ".join(services["serve-ingest"]["healthcheck"]["test"])
    assert ingest.host == "0.0.0.0"
    # The worker relies on the image's HEALTHCHECK, which reads NEWSFLOW_WEB_PORT.
    assert "healthcheck" not in services["worker"]


def test_grafana_mounts_match_provisioning(compose):
    grafana = compose["services"]["grafana"]
    mounts = dict(volume_parts(v)[:2] for v in grafana["volumes"] if v.startswith("./"))
    assert mounts["./grafana/provisioning"] == "/etc/grafana/provisioning"
    provider = yaml.safe_load((DEPLOY / "grafana/provisioning/dashboards/newsflow.yaml").read_text())
    assert provider["providers"][0]["options"]["path"] == mounts["./grafana/dashboards"]
    home = grafana["environment"]["GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH"]
    assert home.startswith(mounts["./grafana/dashboards"] + "/")
    assert (DEPLOY / "grafana/dashboards" / home.rsplit("/", 1)[1]).is_file()
    datasource = yaml.safe_load((DEPLOY / "grafana/provisioning/datasources/prometheus.yaml").read_text())
    url = datasource["datasources"][0]["url"]
    assert url.split("//")[1].split(":")[0] in compose["services"]


@pytest.mark.parametrize("variable, value, said", [
    ("NEWSFLOW_HEARTBEAT_S", "100", "NEWSFLOW_HEARTBEAT_S=100.0 must be lower than NEWSFLOW_SESSION_TIMEOUT_S"),
    ("NEWSFLOW_RAW_PARTITIONS", "many", "NEWSFLOW_RAW_PARTITIONS='many' is not a valid int"),
])
def test_the_topic_set_up_reports_a_bad_variable_as_the_cli_does(compose, variable, value, said):
    """It ran Settings.from_env() in `python -c`: a bad variable ended in a Python traceback."""
    import os
    import subprocess
    import sys

    code = compose["services"]["topics"]["command"][0]
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSFLOW_")}
    env.update({k: str(v) for k, v in compose["services"]["topics"]["environment"].items()}, **{variable: value})
    run = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 2, run.stderr
    assert run.stderr.startswith(f"newsflow topics: {said}")
    assert "Traceback" not in run.stderr and run.stderr.count("\n") == 1
