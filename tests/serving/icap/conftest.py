"""Fixtures of the proxy tests: the deterministic ONNX table model (see `netfixtures.proxy_model_dir`)."""

from __future__ import annotations

from tests.serving.inspect.netfixtures import proxy_model_dir

__all__ = ["proxy_model_dir"]
