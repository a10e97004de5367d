"""ICAP/1.0 REQMOD server for Squid (``guard icap``)."""

from __future__ import annotations

from serving.icap.server import IcapServer

__all__ = ["IcapServer"]
