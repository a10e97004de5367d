#!/usr/bin/env bash
# Install the Debian packages that the heavy end-to-end tests use (Squid, c-icap, Chromium, Java for Spark).
# Idempotent: does nothing when every binary is already present. Needs root (CI runs as root).
set -euo pipefail
need=()
command -v squid >/dev/null 2>&1 || need+=(squid-openssl)
command -v c-icap-client >/dev/null 2>&1 || need+=(c-icap)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
command -v java >/dev/null 2>&1 || need+=(openjdk-17-jre-headless)
if [ ${#need[@]} -eq 0 ]; then
    exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q "${need[@]}"
