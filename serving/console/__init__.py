"""The incident console: a web page for the security team (``guard console``)."""

from serving.console.app import create_console

__all__ = ["create_console"]
