#!/bin/sh
# RTPEngine binds concrete addresses, known only inside the container: unless the deployment sets
# them, both interfaces and the ng listener take the container's first address.
set -eu

address="$(hostname -i | cut -d' ' -f1)"

: "${MediaAgent__NgEndpoint:=${address}:2223}"
: "${MediaAgent__RtpEngine__ExternalInterface__Address:=${address}}"
: "${MediaAgent__RtpEngine__InternalInterface__Address:=${address}}"
export MediaAgent__NgEndpoint MediaAgent__RtpEngine__ExternalInterface__Address MediaAgent__RtpEngine__InternalInterface__Address

exec /opt/mediaagent/VoipPlatform.MediaAgent "$@"
