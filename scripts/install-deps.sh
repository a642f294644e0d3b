#!/usr/bin/env bash
# Installs the Debian packages the platform runs locally (no container runtime needed):
# sip-tester (SIPp), redis-server, rtpengine-daemon, dnsmasq, and curl (the Asterisk entrypoint, run by its
# tests, speaks to Consul with it). Idempotent: apt is touched only when
# something is missing, so repeated runs are fast and work offline.
set -euo pipefail

PACKAGES=(sip-tester redis-server rtpengine-daemon dnsmasq-base curl)

missing=()
for package in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$package")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all present (${PACKAGES[*]})"
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo)
else
  echo "install-deps: missing ${missing[*]}; run as root or install sudo" >&2
  exit 1
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update
"${as_root[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
