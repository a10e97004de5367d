"""Checks of the inference server's deploy/ files (Docker cannot run here, so review by test).

Every YAML file parses; every Dockerfile instruction is known; every local path a file names
exists; probe, health-check and scrape paths are routes the real app serves; every ``GUARD_*``
variable is a real `ServeSettings` field and the shipped settings build a valid, secure config;
the shipped domain pack loads with the real loader; selectors and names line up.
"""

from __future__ import annotations

import json
import re
import shlex
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

pytest.importorskip("fastapi")

from guard.detect.domain import load_domain_pack  # noqa: E402
from serving.api import ServeSettings, create_app, hash_api_key  # noqa: E402
from serving.api.metrics import ServerMetrics  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
DOCKERFILES = [DEPLOY / "docker" / "Dockerfile.cpu", DEPLOY / "docker" / "Dockerfile.gpu"]  # the server's
PROXY_DOCKERFILE = DEPLOY / "docker" / "Dockerfile.proxy"
COMPOSE = DEPLOY / "compose" / "docker-compose.yml"
K8S = DEPLOY / "k8s"
VARIANTS = ("cpu", "gpu")
KNOWN_INSTRUCTIONS = {
    "FROM",
    "WORKDIR",
    "COPY",
    "RUN",
    "ENV",
    "USER",
    "EXPOSE",
    "HEALTHCHECK",
    "STOPSIGNAL",
    "ENTRYPOINT",
    "CMD",
    "ARG",
    "LABEL",
}
VALID_KEY_HASH = hash_api_key("test-key-0123456789abcdef")


@pytest.fixture(scope="module")
def get_routes() -> set[str]:
    app = create_app(ServeSettings())
    return {path for path, ops in app.openapi()["paths"].items() if "get" in ops}


def settings_env_names() -> set[str]:
    return {"GUARD_" + name.upper() for name in ServeSettings.model_fields}


def settings_from_env(env: dict[str, str]) -> ServeSettings:
    return ServeSettings(**{k.removeprefix("GUARD_").lower(): v for k, v in env.items()})


def parse_dockerfile(path: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    logical: list[str] = []
    pending = ""
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        logical.append(pending + line)
        pending = ""
    assert not pending, f"{path.name}: dangling line continuation"
    return [(ln.split(None, 1)[0].upper(), ln.split(None, 1)[1] if " " in ln else "") for ln in logical]


def dockerfile_env(instructions: list[tuple[str, str]]) -> dict[str, str]:
    env: dict[str, str] = {}
    for name, args in instructions:
        if name == "ENV":
            for part in shlex.split(args):
                key, _, value = part.partition("=")
                env[key] = value
    return env


# --------------------------------------------------------------------------- Dockerfiles


def test_every_dockerfile_is_known_and_pins_with_the_constraints() -> None:
    found = {p.name for p in (DEPLOY / "docker").glob("Dockerfile.*") if not p.name.endswith(".dockerignore")}
    assert found == {"Dockerfile.cpu", "Dockerfile.gpu", "Dockerfile.proxy"}
    for name in found:
        text = (DEPLOY / "docker" / name).read_text()
        assert (
            "-c constraints.txt" in text
            and "constraints.txt" in (DEPLOY / "docker" / f"{name}.dockerignore").read_text()
        )


def test_the_proxy_image_runs_the_icap_server_by_default() -> None:
    typer = pytest.importorskip("typer")
    from serving.proxy_cli import register

    instructions = parse_dockerfile(PROXY_DOCKERFILE)
    users = [args for name, args in instructions if name == "USER"]
    assert users and users[-1] not in ("0", "root")
    assert json.loads(next(a for n, a in instructions if n == "ENTRYPOINT")) == ["guard"]
    cmd = json.loads(next(a for n, a in instructions if n == "CMD"))
    app = typer.Typer()
    register(app)
    assert cmd[0] in {c.name for c in app.registered_commands} and cmd[0] == "icap"
    extras = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"])
    assert "proxy" in extras and '".[proxy]"' in PROXY_DOCKERFILE.read_text()
    exposed = {p for n, a in instructions if n == "EXPOSE" for p in a.split()}
    assert {cmd[cmd.index("--port") + 1], "8080"} <= exposed


@pytest.mark.parametrize("dockerfile", DOCKERFILES, ids=lambda p: p.name)
def test_dockerfile_is_well_formed(dockerfile: Path, get_routes: set[str]) -> None:
    instructions = parse_dockerfile(dockerfile)
    names = [name for name, _ in instructions]
    assert names[0] == "FROM"
    assert set(names) <= KNOWN_INSTRUCTIONS, set(names) - KNOWN_INSTRUCTIONS
    stages = [args.split()[-1] for name, args in instructions if name == "FROM" and " AS " in args.upper()]
    for name, args in instructions:
        if name == "COPY":
            parts = args.split()
            if parts[0].startswith("--from="):
                assert parts[0].removeprefix("--from=") in stages
                continue
            for source in parts[:-1]:
                assert (ROOT / source).exists(), f"{dockerfile.name}: COPY source {source} missing"
    users = [args for name, args in instructions if name == "USER"]
    assert users and users[-1] not in ("0", "root"), "the server must not run as root"
    entry = json.loads(next(args for name, args in instructions if name == "ENTRYPOINT"))
    assert entry == ["guard", "serve"]
    env = dockerfile_env(instructions)
    assert {k for k in env if k.startswith("GUARD_")} <= settings_env_names()
    exposed = [args for name, args in instructions if name == "EXPOSE"]
    assert exposed == [env["GUARD_PORT"]]
    health = next(args for name, args in instructions if name == "HEALTHCHECK")
    probe = re.search(r"http://127\.0\.0\.1:(\d+)(/\w+)", health)
    assert probe is not None and probe.group(1) == env["GUARD_PORT"] and probe.group(2) in get_routes
    ignore = dockerfile.with_name(dockerfile.name + ".dockerignore")
    assert ignore.is_file(), "a per-Dockerfile .dockerignore keeps the build context small"


@pytest.mark.parametrize("dockerfile", DOCKERFILES, ids=lambda p: p.name)
def test_dockerfile_installs_real_extras(dockerfile: Path) -> None:
    extras = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"])
    text = dockerfile.read_text()
    wanted = {e for group in re.findall(r"\.\[([a-z,]+)\]", text) for e in group.split(",")}
    assert "serve" in wanted and wanted <= extras
    if dockerfile.name.endswith("gpu"):
        assert "gpu" in wanted and "nvidia/cuda" in text
        assert dockerfile_env(parse_dockerfile(dockerfile))["GUARD_PROVIDER"] == "cuda"
    else:
        assert "FROM python:3.11-slim" in text


def test_entrypoint_command_is_registered() -> None:
    typer = pytest.importorskip("typer")
    from serving.cli import register

    app = typer.Typer()
    register(app)
    assert {c.name for c in app.registered_commands} >= {"serve", "serve-key"}
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts["guard"] == "guard.cli:main"


# --------------------------------------------------------------------------- compose


def test_compose_references_and_settings(get_routes: set[str]) -> None:
    compose = yaml.safe_load(COMPOSE.read_text())
    services: dict[str, Any] = compose["services"]
    assert {"guard-api", "guard-api-gpu"} <= set(services)
    for name in ("guard-api", "guard-api-gpu"):
        service = services[name]
        context = (COMPOSE.parent / service["build"]["context"]).resolve()
        assert context == ROOT
        assert (context / service["build"]["dockerfile"]).is_file()
        env = {k: str(v) for k, v in service["environment"].items()}
        assert set(env) <= settings_env_names()
        mounts = {}
        for volume in service["volumes"]:
            host, container, *_ = volume.split(":")
            assert (COMPOSE.parent / host).exists(), f"{name}: volume source {host} missing"
            mounts[container] = COMPOSE.parent / host
        domain_file = Path(env["GUARD_DOMAINS"])
        host_dir = mounts[str(domain_file.parent)]
        load_domain_pack(host_dir / domain_file.name)
        env["GUARD_API_KEY_HASHES"] = VALID_KEY_HASH  # compose takes it from .env
        settings = settings_from_env(
            env | {"GUARD_HOST": "0.0.0.0", "GUARD_DOMAINS": str(host_dir / domain_file.name)}
        )
        assert settings.auth_enabled
        assert any(p.endswith(":8000") for p in service["ports"])
        assert all(p.startswith("127.0.0.1:") for p in service["ports"]), "local stack binds loopback only"
    gpu = services["guard-api-gpu"]["deploy"]["resources"]["reservations"]["devices"][0]
    assert "gpu" in gpu["capabilities"]
    prometheus = services["prometheus"]
    host_cfg = COMPOSE.parent / prometheus["volumes"][0].split(":")[0]
    scrape = yaml.safe_load(host_cfg.read_text())["scrape_configs"][0]
    assert scrape["metrics_path"] in get_routes
    assert scrape["static_configs"][0]["targets"] == ["guard-api:8000"]


# --------------------------------------------------------------------------- kubernetes


def load_dir(directory: Path, seen: set[Path] | None = None) -> list[dict[str, Any]]:
    """All objects of a kustomization, following ``resources`` (files and directories)."""
    seen = seen if seen is not None else set()
    kustomization = yaml.safe_load((directory / "kustomization.yaml").read_text())
    objects: list[dict[str, Any]] = []
    for resource in kustomization["resources"]:
        path = (directory / resource).resolve()
        assert path.exists(), f"{directory.name}/kustomization.yaml: {resource} missing"
        if path in seen:
            continue
        seen.add(path)
        if path.is_dir():
            objects += load_dir(path, seen)
        else:
            objects += [doc for doc in yaml.safe_load_all(path.read_text()) if doc]
    return objects


def by_kind(objects: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [o for o in objects if o["kind"] == kind]


def test_every_k8s_yaml_parses_and_is_referenced() -> None:
    referenced: set[Path] = set()
    for kustomization in K8S.rglob("kustomization.yaml"):
        for resource in yaml.safe_load(kustomization.read_text())["resources"]:
            referenced.add((kustomization.parent / resource).resolve())
    for file in K8S.rglob("*.yaml"):
        docs = [d for d in yaml.safe_load_all(file.read_text()) if d]
        assert docs and all("kind" in d for d in docs), file
        if file.name != "kustomization.yaml":
            assert file.resolve() in referenced, f"{file} is not in any kustomization"


@pytest.mark.parametrize("variant", VARIANTS)
def test_k8s_variant(variant: str, get_routes: set[str]) -> None:
    objects = load_dir(K8S / variant)
    [deployment] = by_kind(objects, "Deployment")
    pod = deployment["spec"]["template"]
    [container] = pod["spec"]["containers"]
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    # Probes hit real routes on a declared port.
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
        get = container[probe]["httpGet"]
        assert get["path"] in get_routes and get["port"] in ports
    assert container["resources"]["requests"]["cpu"] and container["resources"]["requests"]["memory"]
    assert pod["spec"]["securityContext"]["runAsNonRoot"] is True
    # Env: every GUARD_* name is a setting; ConfigMap + Secret + env build a valid secure config.
    configmaps = {c["metadata"]["name"]: c for c in by_kind(objects, "ConfigMap")}
    secrets = {s["metadata"]["name"]: s for s in by_kind(objects, "Secret")}
    env: dict[str, str] = {}
    for source in container["envFrom"]:
        if "configMapRef" in source:
            env |= configmaps[source["configMapRef"]["name"]]["data"]
        else:
            env |= secrets[source["secretRef"]["name"]]["stringData"]
    env |= {e["name"]: e["value"] for e in container["env"]}
    assert set(env) <= settings_env_names()
    with pytest.raises(ValueError, match="api_key_hashes"):
        settings_from_env(env)  # the shipped placeholder must not start a server
    # The domain pack path points into a mounted ConfigMap key that loads with the real loader.
    mounts = {m["mountPath"]: m["name"] for m in container["volumeMounts"]}
    volumes = {v["name"]: v for v in pod["spec"]["volumes"]}
    domain_path = Path(env["GUARD_DOMAINS"])
    volume = volumes[mounts[str(domain_path.parent)]]
    pack_text = configmaps[volume["configMap"]["name"]]["data"][domain_path.name]
    assert pack_text.strip()  # its content is loaded in test_k8s_domain_pack_loads
    settings = settings_from_env(env | {"GUARD_API_KEY_HASHES": VALID_KEY_HASH, "GUARD_DOMAINS": ""})
    assert settings.host == "0.0.0.0" and settings.auth_enabled
    assert settings.provider == ("cuda" if variant == "gpu" else "cpu")
    grace = pod["spec"]["terminationGracePeriodSeconds"]
    assert grace > settings.drain_timeout_s + 5
    # Selectors line up: Service, PDB and HPA all point at this Deployment's pods.
    labels = pod["metadata"]["labels"]
    assert deployment["spec"]["selector"]["matchLabels"].items() <= labels.items()
    [service] = by_kind(objects, "Service")
    assert service["spec"]["selector"].items() <= labels.items()
    assert all(p["targetPort"] in ports for p in service["spec"]["ports"])
    [pdb] = by_kind(objects, "PodDisruptionBudget")
    assert pdb["spec"]["selector"]["matchLabels"].items() <= labels.items()
    # one replica must never block a node drain: a budget that always allows one eviction
    assert pdb["spec"].get("maxUnavailable", 0) >= 1 and "minAvailable" not in pdb["spec"]
    [hpa] = by_kind(objects, "HorizontalPodAutoscaler")
    assert hpa["spec"]["scaleTargetRef"]["name"] == deployment["metadata"]["name"]
    # an HPA scales down only when it can read every metric: the base lists resource metrics only
    assert {m["type"] for m in hpa["spec"]["metrics"]} == {"Resource"}
    assert hpa["spec"]["minReplicas"] < hpa["spec"]["maxReplicas"]
    if variant == "gpu":
        assert container["resources"]["limits"]["nvidia.com/gpu"] == 1
        assert container["image"].endswith(":gpu")


def test_the_queue_metric_overlay_names_a_real_metric() -> None:
    overlay = yaml.safe_load((K8S / "queue-metric" / "kustomization.yaml").read_text())
    (patch,) = overlay["patches"]
    (op,) = yaml.safe_load(patch["patch"])
    metric_names = {m.name for m in ServerMetrics().registry.collect()}
    assert op["value"]["pods"]["metric"]["name"] in metric_names
    assert patch["target"]["kind"] == "HorizontalPodAutoscaler"


def test_k8s_domain_pack_loads(tmp_path: Path) -> None:
    [configmap] = [
        c for c in by_kind(load_dir(K8S / "base"), "ConfigMap") if c["metadata"]["name"] == "guard-domains"
    ]
    for name, text in configmap["data"].items():
        file = tmp_path / name
        file.write_text(text)
        assert load_domain_pack(file).company.name


@pytest.mark.parametrize("overlay", ["cpu", "gpu", "queue-metric"])
def test_kustomize_builds_every_overlay(overlay: str) -> None:
    import shutil
    import subprocess

    kubectl = shutil.which("kubectl")
    if kubectl is None:
        pytest.skip("kubectl (with its built-in kustomize) is not installed")
    done = subprocess.run(
        [kubectl, "kustomize", str(K8S / overlay)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    objects = [d for d in yaml.safe_load_all(done.stdout) if d]
    [hpa] = [o for o in objects if o["kind"] == "HorizontalPodAutoscaler"]
    types = [m["type"] for m in hpa["spec"]["metrics"]]
    assert types == (["Resource", "Pods"] if overlay == "queue-metric" else ["Resource"])
