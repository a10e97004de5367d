"""Every public name of the proxy packages is listed in ``__all__`` and exists."""

from __future__ import annotations

import importlib

import pytest

MODULES = [
    "serving.inspect", "serving.inspect.http", "serving.inspect.codecs", "serving.inspect.extract",
    "serving.inspect.destinations", "serving.inspect.incidents", "serving.inspect.blockpage",
    "serving.inspect.scanner", "serving.inspect.inspector", "serving.inspect.factory", "serving.icap",
    "serving.icap.protocol", "serving.icap.server", "serving.mitm", "serving.mitm.addon", "serving.proxy_cli",
]  # fmt: skip


@pytest.mark.parametrize("name", MODULES)
def test_all_is_explicit_and_complete(name: str) -> None:
    module = importlib.import_module(name)
    exported = module.__all__
    assert len(exported) == len(set(exported))
    for attr in exported:
        assert hasattr(module, attr), f"{name}.{attr} in __all__ but missing"
    public = {
        k for k, v in vars(module).items()
        if not k.startswith("_") and getattr(v, "__module__", None) == name and callable(v)
    }  # fmt: skip
    assert public <= set(exported), f"{name}: public but not exported: {sorted(public - set(exported))}"
