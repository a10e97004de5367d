"""Entry script for ``mitmdump -s serving/mitm/script.py`` (what ``guard proxy`` runs).

mitmproxy loads addons from a script's module-level ``addons`` list.
"""

from __future__ import annotations

from serving.mitm.addon import GuardAddon

__all__ = ["addons"]

addons = [GuardAddon()]
