"""deploy/k8s: schema validation of every manifest and the references between them."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from deploy_checks import K8S, load_yaml_docs, parse_cli

LABELS = {"app.kubernetes.io/part-of", "app.kubernetes.io/name"}


def kinds(k8s_docs, kind: str) -> list[dict]:
    return [doc for _, doc in k8s_docs if doc["kind"] == kind]


def workloads(k8s_docs) -> list[dict]:
    return [doc for _, doc in k8s_docs if doc["kind"] in ("Deployment", "StatefulSet")]


def named(k8s_docs, kind: str, name: str) -> dict:
    matches = [doc for doc in kinds(k8s_docs, kind) if doc["metadata"]["name"] == name]
    assert len(matches) == 1, f"{kind}/{name}: {len(matches)} found"
    return matches[0]


def kustomization() -> dict:
    return yaml.safe_load((K8S / "kustomization.yaml").read_text())


def validate_all(docs: list[dict]) -> list[str]:
    """kubernetes-validate (strict: unknown fields are errors) on every built-in kind; names of CRD kinds."""
    kubernetes_validate = pytest.importorskip("kubernetes_validate", reason="kubernetes-validate (test extra) missing")
    version = kubernetes_validate.latest_version()
    skipped = []
    for doc in docs:
        try:
            kubernetes_validate.validate(doc, version, strict=True)
        except kubernetes_validate.SchemaNotFoundError:
            skipped.append(doc["kind"])
        except kubernetes_validate.ValidationError as exc:
            raise AssertionError(f"{doc['kind']}/{doc['metadata']['name']}: {exc.message} at "
                                 f"{'/'.join(map(str, exc.path))}") from None
    return skipped


def test_manifests_match_the_kubernetes_schemas(k8s_docs):
    docs = [doc for _, doc in k8s_docs]
    skipped = validate_all(docs)
    assert skipped == ["PodMonitor", "PrometheusRule"], skipped  # CRDs: checked by hand below and in test_deploy_alerts


def test_schema_check_catches_mistakes(k8s_docs):
    import copy

    worker = copy.deepcopy(named(k8s_docs, "StatefulSet", "newsflow-worker"))
    worker["spec"]["template"]["spec"]["containers"][0]["readinessProbe"]["httpGet"]["pth"] = "/readyz"
    with pytest.raises(AssertionError):
        validate_all([worker])


def test_expected_objects(k8s_docs):
    wanted = {("Namespace", "newsflow"), ("ConfigMap", "newsflow-config"), ("Service", "newsflow-worker"),
              ("StatefulSet", "newsflow-worker"), ("PodDisruptionBudget", "newsflow-worker"),
              ("Deployment", "newsflow-rss"), ("PersistentVolumeClaim", "newsflow-rss-state"),
              ("Deployment", "newsflow-serve-ingest"), ("Service", "newsflow-ingest"),
              ("PodDisruptionBudget", "newsflow-serve-ingest"), ("PodMonitor", "newsflow"), ("PrometheusRule", "newsflow"),
              ("Secret", "newsflow-ingest")}
    have = {(doc["kind"], doc["metadata"]["name"]) for _, doc in k8s_docs}
    assert wanted <= have, wanted - have
    for _, doc in k8s_docs:
        assert LABELS & set(doc["metadata"].get("labels", {})), doc["metadata"]["name"]
        if doc["kind"] != "Namespace":
            assert doc["metadata"]["namespace"] == "newsflow"


def test_kustomization_lists_every_manifest():
    kust = kustomization()
    assert kust["namespace"] == "newsflow"
    listed = set(kust["resources"])
    generated = {f for gen in kust.get("configMapGenerator", []) for f in gen.get("files", [])}
    for name in listed | generated:
        assert (K8S / name).is_file(), name
    on_disk = {p.name for p in K8S.glob("*.yaml")} - {"kustomization.yaml"}
    # The Secret is an example on purpose: real tokens are created with kubectl, never committed.
    assert on_disk - listed - generated == {"secret.example.yaml"}
    assert kust["images"][0]["name"] == "newsflow"


def test_selectors_match_pod_labels(k8s_docs):
    pods = [w["spec"]["template"]["metadata"]["labels"] for w in workloads(k8s_docs)]
    for workload in workloads(k8s_docs):
        selector = workload["spec"]["selector"]["matchLabels"]
        assert selector.items() <= workload["spec"]["template"]["metadata"]["labels"].items()
    selecting = kinds(k8s_docs, "Service") + kinds(k8s_docs, "PodDisruptionBudget") + kinds(k8s_docs, "PodMonitor")
    for doc in selecting:
        selector = doc["spec"]["selector"]
        selector = selector.get("matchLabels", selector)
        assert any(selector.items() <= labels.items() for labels in pods), doc["metadata"]["name"]
    statefulset = named(k8s_docs, "StatefulSet", "newsflow-worker")
    headless = named(k8s_docs, "Service", statefulset["spec"]["serviceName"])
    assert headless["spec"]["clusterIP"] == "None"


def containers(workload: dict) -> list[dict]:
    return workload["spec"]["template"]["spec"]["containers"]


def test_references_resolve(k8s_docs):
    kust = kustomization()
    configmaps = {d["metadata"]["name"] for d in kinds(k8s_docs, "ConfigMap")}
    configmaps |= {gen["name"] for gen in kust.get("configMapGenerator", [])}
    secrets = {(d["metadata"]["name"], key) for d in kinds(k8s_docs, "Secret") for key in d["stringData"]}
    claims = {d["metadata"]["name"] for d in kinds(k8s_docs, "PersistentVolumeClaim")}
    for workload in workloads(k8s_docs):
        spec = workload["spec"]["template"]["spec"]
        volumes = {v["name"]: v for v in spec.get("volumes", [])}
        volumes |= {t["metadata"]["name"]: t for t in workload["spec"].get("volumeClaimTemplates", [])}
        for volume in volumes.values():
            if "configMap" in volume:
                assert volume["configMap"]["name"] in configmaps
            if "persistentVolumeClaim" in volume:
                assert volume["persistentVolumeClaim"]["claimName"] in claims
        for container in containers(workload):
            for source in container.get("envFrom", []):
                assert source["configMapRef"]["name"] in configmaps
            for var in container.get("env", []):
                ref = var.get("valueFrom", {}).get("secretKeyRef")
                if ref:
                    assert (ref["name"], ref["key"]) in secrets
            for mount in container.get("volumeMounts", []):
                assert mount["name"] in volumes, mount
            ports = {p["name"] for p in container.get("ports", [])}
            for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
                action = container.get(probe, {})
                port = (action.get("httpGet") or action.get("tcpSocket") or {}).get("port")
                if port is not None:
                    assert port in ports, f"{workload['metadata']['name']} {probe}: port {port}"
    for service in kinds(k8s_docs, "Service"):
        target_ports = {p["targetPort"] for p in service["spec"]["ports"]}
        selector = service["spec"]["selector"]
        backing = [w for w in workloads(k8s_docs)
                   if selector.items() <= w["spec"]["template"]["metadata"]["labels"].items()]
        names = {p["name"] for w in backing for c in containers(w) for p in c.get("ports", [])}
        assert target_ports <= names, service["metadata"]["name"]


def test_pods_are_non_root_with_probes_and_resources(k8s_docs):
    for workload in workloads(k8s_docs):
        spec = workload["spec"]["template"]["spec"]
        assert spec["securityContext"]["runAsNonRoot"] is True
        assert spec["securityContext"]["runAsUser"] == 10001
        for container in containers(workload):
            assert container["securityContext"]["allowPrivilegeEscalation"] is False
            assert container["securityContext"]["capabilities"]["drop"] == ["ALL"]
            assert container["resources"]["requests"] and container["resources"]["limits"]["memory"]
            assert "livenessProbe" in container and "readinessProbe" in container


def test_worker_probes_data_volume_and_config(k8s_docs, cli_parser):
    config = named(k8s_docs, "ConfigMap", "newsflow-config")["data"]
    worker = named(k8s_docs, "StatefulSet", "newsflow-worker")
    container = containers(worker)[0]
    assert parse_cli(cli_parser, container["args"]).command == "worker"
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    port = {p["name"]: p["containerPort"] for p in container["ports"]}[container["readinessProbe"]["httpGet"]["port"]]
    assert str(port) == config["NEWSFLOW_WEB_PORT"]
    assert config["NEWSFLOW_WEB_HOST"] == "0.0.0.0"
    mounts = {m["name"]: m["mountPath"] for m in container["volumeMounts"]}
    claim = worker["spec"]["volumeClaimTemplates"][0]["metadata"]["name"]
    assert mounts[claim] == config["NEWSFLOW_DATA_DIR"]
    assert worker["spec"]["replicas"] <= int(config["NEWSFLOW_RAW_PARTITIONS"])
    assert worker["spec"]["template"]["spec"]["terminationGracePeriodSeconds"] >= 30


def test_connectors(k8s_docs, cli_parser):
    config = named(k8s_docs, "ConfigMap", "newsflow-config")["data"]
    rss = named(k8s_docs, "Deployment", "newsflow-rss")
    container = containers(rss)[0]
    args = parse_cli(cli_parser, container["args"])
    assert (args.command, args.ingest_command) == ("ingest", "rss")
    assert rss["spec"]["replicas"] == 1 and rss["spec"]["strategy"]["type"] == "Recreate"
    mounts = {m["name"]: m["mountPath"] for m in container["volumeMounts"]}
    assert Path(args.feeds).parent == Path(mounts["feeds"])
    generator = next(g for g in kustomization()["configMapGenerator"] if g["name"] == "newsflow-feeds")
    assert Path(args.feeds).name in generator["files"]
    assert mounts["state"] == config["NEWSFLOW_STATE_DIR"]
    assert {p["containerPort"] for p in container["ports"] if p["name"] == "metrics"} == {int(config["NEWSFLOW_METRICS_PORT"])}

    ingest = named(k8s_docs, "Deployment", "newsflow-serve-ingest")
    container = containers(ingest)[0]
    args = parse_cli(cli_parser, container["args"])
    assert args.command == "serve-ingest"
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    assert str(ports["ingest"]) == config["NEWSFLOW_INGEST_PORT"]
    assert config["NEWSFLOW_INGEST_HOST"] == "0.0.0.0"
    assert [v["name"] for v in container["env"]] == ["NEWSFLOW_INGEST_TOKEN"]
    assert "NEWSFLOW_INGEST_TOKEN" not in config, "the token belongs in a Secret"


def test_pod_monitor(k8s_docs):
    monitor = named(k8s_docs, "PodMonitor", "newsflow")
    assert monitor["apiVersion"] == "monitoring.coreos.com/v1"
    selector = monitor["spec"]["selector"]["matchLabels"]
    scraped = set()
    for workload in workloads(k8s_docs):
        labels = workload["spec"]["template"]["metadata"]["labels"]
        ports = {p["name"] for c in containers(workload) for p in c.get("ports", [])}
        endpoints = {e["port"] for e in monitor["spec"]["podMetricsEndpoints"]}
        if selector.items() <= labels.items() and ports & endpoints:
            scraped.add(workload["metadata"]["name"])
    assert scraped == {"newsflow-worker", "newsflow-rss", "newsflow-serve-ingest"}
    for endpoint in monitor["spec"]["podMetricsEndpoints"]:
        assert endpoint["path"] == "/metrics"
        assert set(endpoint) <= {"port", "path", "interval", "scrapeTimeout", "relabelings", "metricRelabelings",
                                 "honorLabels", "scheme"}


def test_pod_disruption_budgets(k8s_docs):
    for pdb in kinds(k8s_docs, "PodDisruptionBudget"):
        spec = pdb["spec"]
        assert ("minAvailable" in spec) != ("maxUnavailable" in spec)


def kustomize_build() -> list[str] | None:
    """The command that renders the kustomization: kustomize itself, or the copy built into kubectl."""
    binary = shutil.which("kustomize") or next(
        (str(p) for p in [Path(os.environ.get("GOPATH", Path.home() / "go")) / "bin" / "kustomize"] if p.exists()), None)
    if binary:
        return [binary, "build", str(K8S)]
    kubectl = shutil.which("kubectl")
    return [kubectl, "kustomize", str(K8S)] if kubectl else None


@pytest.mark.skipif(kustomize_build() is None,
                    reason="neither kustomize nor kubectl is installed (go install sigs.k8s.io/kustomize/kustomize/v5)")
def test_kustomize_build_output_is_valid():
    proc = subprocess.run(kustomize_build(), capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    docs = [doc for doc in yaml.safe_load_all(proc.stdout) if doc]
    assert validate_all(docs) == ["PodMonitor", "PrometheusRule"]
    rss = next(d for d in docs if d["kind"] == "Deployment" and d["metadata"]["name"] == "newsflow-rss")
    feeds = next(v for v in rss["spec"]["template"]["spec"]["volumes"] if v["name"] == "feeds")
    generated = [d["metadata"]["name"] for d in docs if d["kind"] == "ConfigMap"]
    assert feeds["configMap"]["name"] in generated and feeds["configMap"]["name"].startswith("newsflow-feeds-")
    assert all(d["metadata"].get("namespace") == "newsflow" for d in docs if d["kind"] != "Namespace")


def test_feeds_file_is_valid_yaml_list():
    feeds = load_yaml_docs(K8S / "feeds.yaml")[0]["feeds"]
    assert all(item["url"] for item in feeds)


def test_the_readmes_table_of_config_values_is_what_the_configmap_sets():
    """deploy/README.md lists the ConfigMap's values; it once said 1000000 where the file sets 600000."""
    config = next(doc for path in [K8S / "config.yaml"] for doc in load_yaml_docs(path)
                  if doc and doc.get("kind") == "ConfigMap")["data"]
    readme = (K8S.parent / "README.md").read_text()
    table = readme.split("Variables in `k8s/config.yaml`", 1)[1].split("\n\n", 2)[1]
    checked = 0
    for row in table.splitlines()[2:]:
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        names = [name.strip(" `") for name in cells[0].split(",")]
        values = ["" if value.strip() == "empty" else value.strip(" `") for value in cells[1].split(",")]
        for name, value in zip(names, values):
            if name in config and len(names) == len(values):
                assert str(config[name]) == value, f"{name}: README says {value}, config.yaml {config[name]}"
                checked += 1
    assert checked >= 10
