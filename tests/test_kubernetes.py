"""The Kubernetes manifests (deploy/kubernetes): rendered here as `kubectl kustomize` renders them (a small
renderer for the few things the overlay does: namespace, image, merge patches, labels; compared with
kubectl's own output when kubectl is installed), every object valid against Kubernetes' schemas in strict
mode (an unknown or misspelt field fails), and what a deployment depends on: probes, resources, no root,
one beat, a worker per queue, the disruption budget and autoscaler on web, and no secret in the files."""

import copy
import shlex
import shutil
import subprocess
from pathlib import Path

import kubernetes_validate
import pytest
import yaml
from django.conf import settings
from django.test import Client

ROOT = Path(__file__).resolve().parent.parent
KUBERNETES = ROOT / "deploy" / "kubernetes"
OVERLAY = KUBERNETES / "overlays" / "example"
MIGRATE = OVERLAY / "migrate"
SECRET_EXAMPLE = KUBERNETES / "secret.example.yaml"


# A small kustomize ------------------------------------------------------------------------------------------


def _documents(path: Path) -> list[dict]:
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc]


def _merge(into: dict, patch: dict) -> None:
    """A strategic merge patch, for patches that only set map fields (lists are replaced whole)."""
    for key, value in patch.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = copy.deepcopy(value)


def _containers(obj: dict) -> list[dict]:
    spec = obj.get("spec", {})
    pod = spec.get("template", {}).get("spec", {}) if "template" in spec else {}
    return pod.get("containers", []) + pod.get("initContainers", [])


def render(directory: Path) -> list[dict]:
    kustomization = yaml.safe_load((directory / "kustomization.yaml").read_text())
    known = {"apiVersion", "kind", "namespace", "resources", "images", "patches", "labels"}
    assert set(kustomization) <= known, f"the renderer here does not know {set(kustomization) - known}"
    objects = []
    for resource in kustomization.get("resources", []):
        path = directory / resource
        objects += render(path) if path.is_dir() else _documents(path)
    by_id = {(o["kind"], o["metadata"]["name"]): o for o in objects}
    for patch in kustomization.get("patches", []):
        assert set(patch) == {"path"}, "only patches from a file, by kind and name"
        for doc in _documents(directory / patch["path"]):
            _merge(by_id[(doc["kind"], doc["metadata"]["name"])], doc)
    for entry in kustomization.get("labels", []):
        assert set(entry) == {"pairs"}, "labels on metadata only"
        for obj in objects:
            obj["metadata"].setdefault("labels", {}).update(entry["pairs"])
    if "namespace" in kustomization:
        for obj in objects:
            obj["metadata"]["namespace"] = kustomization["namespace"]
    for image in kustomization.get("images", []):
        for obj in objects:
            for container in _containers(obj):
                if container["image"].split(":")[0] == image["name"]:
                    container["image"] = f"{image['newName']}:{image['newTag']}"
    return objects


@pytest.fixture(scope="module")
def rendered() -> list[dict]:
    return render(OVERLAY)


@pytest.fixture(scope="module")
def migrate() -> list[dict]:
    return render(MIGRATE)


def of_kind(objects: list[dict], kind: str) -> dict[str, dict]:
    return {o["metadata"]["name"]: o for o in objects if o["kind"] == kind}


def pod_spec(obj: dict) -> dict:
    return obj["spec"]["template"]["spec"]


# The tests ------------------------------------------------------------------------------------------------


@pytest.mark.skipif(
    not shutil.which("kubectl"), reason="kubectl is not installed; the renderer above stands in"
)
@pytest.mark.parametrize("directory", [OVERLAY, MIGRATE], ids=["app", "migrate"])
def test_the_renderer_here_renders_as_kubectl_does(directory):
    out = subprocess.run(
        ["kubectl", "kustomize", str(directory)], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    theirs = {(o["kind"], o["metadata"]["name"]): o for o in yaml.safe_load_all(out) if o}
    ours = {(o["kind"], o["metadata"]["name"]): o for o in render(directory)}
    assert ours == theirs


def test_every_object_is_valid_against_the_kubernetes_schemas_strictly(rendered, migrate):
    objects = [*rendered, *migrate, *_documents(SECRET_EXAMPLE)]
    assert len(objects) >= 15
    for obj in objects:
        # Raises, naming the field, on anything the API server would refuse or not know.
        kubernetes_validate.validate(obj, "1.37.0", strict=True)


def test_a_misspelt_field_is_refused_by_the_validation():
    deployment = copy.deepcopy(of_kind(render(OVERLAY), "Deployment")["msp-cases-web"])
    pod_spec(deployment)["containers"][0]["livenesProbe"] = {"httpGet": {"path": "/healthz", "port": 8000}}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, "1.37.0", strict=True)


def test_everything_lands_in_the_overlays_namespace_from_its_image(rendered, migrate):
    for obj in [*rendered, *migrate]:
        assert obj["metadata"]["namespace"] == "msp-cases"
        for container in _containers(obj):
            if container["name"] != "clamav":
                assert container["image"] == "registry.example.org/msp-cases:2026.12.1"


def test_web_is_probed_on_healthz_and_readyz(rendered):
    web = pod_spec(of_kind(rendered, "Deployment")["msp-cases-web"])["containers"][0]
    assert web["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert web["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert web["livenessProbe"]["timeoutSeconds"] >= 2  # /readyz's checks take up to 2 s each
    assert web["readinessProbe"]["timeoutSeconds"] >= 2


def test_every_long_running_container_is_probed(rendered):
    for name, deployment in of_kind(rendered, "Deployment").items():
        for container in pod_spec(deployment)["containers"]:
            if name == "msp-cases-beat":
                continue  # beat answers nothing: if it exits, the pod restarts
            assert "livenessProbe" in container, name


def test_every_queue_has_a_worker_that_takes_it_and_only_it(rendered):
    queues = {}
    for name, deployment in of_kind(rendered, "Deployment").items():
        command = pod_spec(deployment)["containers"][0].get("command", [])
        if command[:1] == ["celery"] and "worker" in command:
            queue = command[command.index("-Q") + 1]
            queues[queue] = name
            probe = " ".join(pod_spec(deployment)["containers"][0]["livenessProbe"]["exec"]["command"])
            assert f"--destination {queue}@$HOSTNAME" in probe  # pings itself, as `-n {queue}@%h` names it
            assert f"{queue}@%h" in command
    assert set(queues) == {queue.name for queue in settings.CELERY_TASK_QUEUES}
    assert all(q in ("interactive", "long") and "," not in q for q in queues)


def test_one_beat_ever(rendered):
    beat = of_kind(rendered, "Deployment")["msp-cases-beat"]
    assert beat["spec"]["replicas"] == 1
    assert beat["spec"]["strategy"] == {"type": "Recreate"}
    assert "msp-cases-beat" not in {
        h["spec"]["scaleTargetRef"]["name"] for h in of_kind(rendered, "HorizontalPodAutoscaler").values()
    }


def test_every_app_container_asks_for_resources_and_caps_its_memory(rendered, migrate):
    for obj in [*rendered, *migrate]:
        for container in _containers(obj):
            resources = container["resources"]
            assert {"cpu", "memory"} <= set(resources["requests"]), obj["metadata"]["name"]
            assert "memory" in resources["limits"], obj["metadata"]["name"]


def test_the_app_never_runs_as_root_nor_writes_its_own_files(rendered, migrate):
    for obj in [*rendered, *migrate]:
        if obj["kind"] not in ("Deployment", "Job") or obj["metadata"]["name"] == "msp-cases-clamav":
            continue
        spec = pod_spec(obj)
        assert spec["securityContext"]["runAsNonRoot"] is True
        assert spec["securityContext"]["runAsUser"] == 10001  # the Dockerfile's user
        assert spec["automountServiceAccountToken"] is False
        for container in spec["containers"]:
            context = container["securityContext"]
            assert context["allowPrivilegeEscalation"] is False
            assert context["readOnlyRootFilesystem"] is True
            assert context["capabilities"]["drop"] == ["ALL"]
            mounts = {m["mountPath"] for m in container["volumeMounts"]}
            # An emptyDir of the pod's own: the one writable place besides the data volumes.
            assert "/tmp" in mounts  # noqa: S108


def test_web_and_the_long_worker_share_the_exports_and_documents(rendered):
    deployments = of_kind(rendered, "Deployment")
    config = of_kind(rendered, "ConfigMap")["msp-cases-config"]["data"]
    for name in ("msp-cases-web", "msp-cases-worker-long"):
        mounts = {m["mountPath"] for m in pod_spec(deployments[name])["containers"][0]["volumeMounts"]}
        assert {config["EXPORTS_ROOT"], config["DOCUMENTS_ROOT"]} <= mounts, name
    assert set(of_kind(rendered, "PersistentVolumeClaim")) == {"msp-cases-exports", "msp-cases-documents"}


def test_the_disruption_budget_and_the_autoscaler_are_for_web(rendered):
    web = of_kind(rendered, "Deployment")["msp-cases-web"]
    (budget,) = of_kind(rendered, "PodDisruptionBudget").values()
    assert budget["spec"]["selector"]["matchLabels"] == web["spec"]["selector"]["matchLabels"]
    assert budget["spec"]["minAvailable"] == 1
    (autoscaler,) = of_kind(rendered, "HorizontalPodAutoscaler").values()
    assert autoscaler["apiVersion"] == "autoscaling/v2"
    assert autoscaler["spec"]["scaleTargetRef"] == {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "name": web["metadata"]["name"],
    }
    assert autoscaler["spec"]["minReplicas"] > budget["spec"]["minAvailable"]  # a drain never stops it
    # The autoscaler alone sets web's count: a replicas field would reset it at every apply.
    assert "replicas" not in web["spec"]
    service = of_kind(rendered, "Service")["msp-cases-web"]
    assert service["spec"]["selector"] == web["spec"]["selector"]["matchLabels"]


def test_config_comes_from_the_configmap_and_the_secret(rendered, migrate):
    for obj in [*rendered, *migrate]:
        for container in _containers(obj):
            if container["name"] == "clamav":
                continue
            sources = {next(iter(s)): next(iter(s.values()))["name"] for s in container["envFrom"]}
            assert sources == {"configMapRef": "msp-cases-config", "secretRef": "msp-cases-secrets"}
    # The secret is never applied with the manifests, so applying them never overwrites the real one.
    assert not [o for o in [*rendered, *migrate] if o["kind"] == "Secret"]


def test_no_secret_value_in_the_manifests():
    secret = _documents(SECRET_EXAMPLE)[0]
    assert secret["stringData"]
    for key, value in secret["stringData"].items():
        assert "REPLACE-ME" in value, key
    # Keys the settings would take as secret are never given a value in a ConfigMap or in a pod's env.
    secret_keys = set(secret["stringData"]) | {"DJANGO_SECRET_KEY", "METRICS_TOKEN", "DATABASE_URL"}
    for path in KUBERNETES.rglob("*.yaml"):
        if path == SECRET_EXAMPLE:
            continue
        for obj in _documents(path):
            assert not (set(obj.get("data", {})) & secret_keys), path
            for container in _containers(obj):
                named = {e["name"] for e in container.get("env", [])}
                assert not (named & secret_keys), path


def test_prometheus_is_told_where_web_keeps_its_metrics(rendered):
    web = of_kind(rendered, "Deployment")["msp-cases-web"]
    annotations = web["spec"]["template"]["metadata"]["annotations"]
    assert annotations["prometheus.io/path"] == "/metrics"
    assert annotations["prometheus.io/port"] == "8000"
    env = {e["name"]: e for e in pod_spec(web)["containers"][0]["env"]}
    # gunicorn's workers add up (docs/metrics.md), in a directory of the pod's own.
    mounts = {m["mountPath"] for m in pod_spec(web)["containers"][0]["volumeMounts"]}
    assert env["PROMETHEUS_MULTIPROC_DIR"]["value"] in mounts
    # Prometheus asks for the pod's own address, which must be an allowed host.
    assert "$(POD_IP)" in env["DJANGO_ALLOWED_HOSTS"]["value"]


def test_the_migration_job_runs_migrate_once(migrate):
    (job,) = of_kind(migrate, "Job").values()
    spec = pod_spec(job)
    assert spec["restartPolicy"] == "Never"
    assert spec["containers"][0]["command"] == ["python", "manage.py", "migrate", "--no-input"]
    # Nothing else runs migrations: web starts gunicorn directly.
    web = pod_spec(of_kind(render(OVERLAY), "Deployment")["msp-cases-web"])["containers"][0]
    assert web["command"][0] == "gunicorn" and "migrate" not in " ".join(web["command"])


@pytest.mark.django_db
def test_the_app_answers_the_probes_as_the_kubelet_asks(rendered):
    """Plain HTTP to the pod's own address, with a Host no ALLOWED_HOSTS names."""
    web = pod_spec(of_kind(rendered, "Deployment")["msp-cases-web"])["containers"][0]
    kubelet = Client(HTTP_HOST="10.244.1.17:8000")
    live = kubelet.get(web["livenessProbe"]["httpGet"]["path"])
    assert live.status_code == 200 and live.json()["status"] == "ok"
    ready = kubelet.get(web["readinessProbe"]["httpGet"]["path"])
    assert ready.status_code == 200 and ready.json()["checks"]["database"] == "ok"


def test_the_workers_and_beat_run_as_compose_runs_them(rendered):
    """One image, the same commands: a change to a worker's options in one place is made in the other."""
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    deployments = of_kind(rendered, "Deployment")
    for service in ("worker-interactive", "worker-long", "beat"):
        command = compose[service]["command"]
        expected = shlex.split(command) if isinstance(command, str) else command
        assert pod_spec(deployments[f"msp-cases-{service}"])["containers"][0]["command"] == expected, service
