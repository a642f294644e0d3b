#!/usr/bin/env bash
# Brings the whole platform up on this machine: dashboard on http://localhost:18888.
# Without a container runtime Redis and RTPEngine run as local processes; Ctrl+C stops all.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
# Extra arguments reach the AppHost configuration, e.g. --VoipPlatform:ContainerRuntime=none
exec dotnet run --project VoipPlatform.AppHost --launch-profile http -- "$@"
