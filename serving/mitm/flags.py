"""How ``guard proxy`` hands its command-line flags to the addon so that they win over config.yaml.

mitmproxy reads ``<confdir>/config.yaml`` after the ``--set`` options of the command line, so a
guard option given as ``--set`` loses to the same option in the file. ``guard proxy`` therefore puts
the flags that were given into this environment variable (JSON), and the addon applies them right
after registering its options, which is after the file.
"""

from __future__ import annotations

__all__ = ["FLAGS_ENV"]

FLAGS_ENV = "GUARD_PROXY_FLAGS"
