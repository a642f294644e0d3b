#!/bin/sh
# RTPEngine must bind a concrete local address, which is only known inside the container.
set -eu

address="${RTP_INTERFACE:-$(hostname -i | cut -d' ' -f1)}"

exec rtpengine \
  --interface="$address" \
  --listen-ng="0.0.0.0:${NG_PORT:-2223}" \
  --foreground \
  --log-stderr \
  --table=-1 \
  --port-min="${RTP_PORT_MIN:-30000}" \
  --port-max="${RTP_PORT_MAX:-30999}" \
  "$@"
