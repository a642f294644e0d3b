#!/usr/bin/env bash
# Installs the Debian packages the platform runs locally (no container runtime needed):
# sip-tester (SIPp), redis-server, rtpengine-daemon, dnsmasq, and curl (the Asterisk entrypoint, run by its
# tests, speaks to Consul with it). Idempotent: apt is touched only when
# something is missing, so repeated runs are fast and work offline.
set -euo pipefail

PACKAGES=(sip-tester redis-server rtpengine-daemon dnsmasq-base curl)

# bird2: the Kubernetes publish's tests parse and run the published OSPF configuration with BIRD.
KUBERNETES_TEST_PACKAGES=(bird2)
# The load benchmarks in bench/ (not the tests) also need Kamailio as the reference and jq for their results.
BENCH_PACKAGES=()
if [ "${1:-}" = "--bench" ]; then BENCH_PACKAGES=(kamailio jq); fi
missing=()
for package in "${PACKAGES[@]}" "${KUBERNETES_TEST_PACKAGES[@]}" "${BENCH_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$package")
  fi
done

# The npm packages of tests/k8s-validate (schema validation of the published Kubernetes manifests, with the
# machine's Node.js), installed with npm ci from their lock file.
install_validator() {
  local dir stamp
  dir="$(cd "$(dirname "$0")/.." && pwd)/tests/k8s-validate"
  stamp="$dir/node_modules/.voipplatform-lock"
  if [ -f "$stamp" ] && cmp -s "$dir/package-lock.json" "$stamp"; then
    return 0
  fi
  if ! command -v npm >/dev/null 2>&1; then
    echo "install-deps: npm not found: the Kubernetes schema tests need Node.js 20+ and npm" >&2
    return 0
  fi
  echo "install-deps: npm ci in tests/k8s-validate"
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  cp "$dir/package-lock.json" "$stamp"
}

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all present (${PACKAGES[*]} ${KUBERNETES_TEST_PACKAGES[*]} ${BENCH_PACKAGES[*]})"
  install_validator
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
install_validator
