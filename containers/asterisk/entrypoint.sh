#!/bin/sh
# Bootstrap of one Asterisk application server (docs/application-layer.md):
#  1. writes what depends on the deployment, not on customers: the routing layer's networks
#     (pjsip identify) and the business-logic API's address (realtime voicemail lookups);
#  2. starts Asterisk in the foreground as this script's child and waits for its console;
#  3. registers the instance in Consul as service "asterisk" (tags udp, tcp) with a TTL check, and
#     every third of the TTL reports it passing while `asterisk -rx 'core show uptime'` answers,
#     critical when it does not; a failed report registers again (an agent restarted and forgot us);
#  4. on SIGTERM or SIGINT: maintenance on (the instance leaves DNS answers at once), then
#     `core stop gracefully` (Asterisk takes no new call and exits when the last one ends), waits
#     up to VP_DRAIN_SECONDS for that, deregisters and exits 0. If Asterisk dies on its own, the
#     check turns critical, the instance is deregistered and the script exits 1.
# Without CONSUL_HTTP_ADDR nothing is registered; everything else works the same.
set -u

: "${ASTERISK:=asterisk}"                 # the asterisk binary (tests put a stand-in on PATH)
: "${ASTERISK_ETC:=/etc/asterisk}"
: "${CONSUL_HTTP_ADDR:=}"                 # e.g. http://consul:8500; empty: no registration
: "${VP_SERVICE_NAME:=asterisk}"
: "${VP_SIP_PORT:=5080}"
: "${VP_SERVICE_ADDRESS:=$(hostname -i 2>/dev/null | cut -d' ' -f1)}"
: "${VP_SERVICE_ID:=${VP_SERVICE_NAME}-$(hostname)-${VP_SIP_PORT}}"
: "${VP_CHECK_TTL_SECONDS:=15}"
: "${VP_DEREGISTER_AFTER:=1m}"            # Consul removes an instance critical this long (minimum 1m)
: "${VP_START_SECONDS:=60}"               # how long Asterisk may take to answer its console
: "${VP_DRAIN_SECONDS:=3600}"             # how long calls may take to end after SIGTERM
: "${VP_ROUTING_NETWORKS:=10.0.0.0/8,172.16.0.0/12,192.168.0.0/16}"
: "${VP_API_URL:=http://applayer:8080}"
VP_API_URL=${VP_API_URL%/}
export VP_API_URL                         # extensions.conf reads it with ${ENV(VP_API_URL)}

CHECK_ID="service:${VP_SERVICE_ID}"
REPORT_SECONDS=$((VP_CHECK_TTL_SECONDS / 3))
[ "$REPORT_SECONDS" -ge 1 ] || REPORT_SECONDS=1
stopping=false
asterisk_pid=

log() { printf '%s asterisk-entrypoint: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >&2; }

# True while the process lives and is not a zombie waiting to be reaped.
alive() {
    kill -0 "$1" 2>/dev/null || return 1
    [ "$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1)" != Z ]
}

asterisk_answers() { "$ASTERISK" -rx 'core show uptime' 2>/dev/null | grep -qi 'uptime'; }

# Sleeps, but returns at once when SIGTERM or SIGINT arrives (the trap runs during wait).
pause() {
    sleep "$1" &
    wait $! 2>/dev/null
    kill $! 2>/dev/null
    return 0
}

# PUT to the local Consul agent's HTTP API: path, then an optional JSON body.
consul_put() {
    [ -n "$CONSUL_HTTP_ADDR" ] || return 0
    if [ $# -ge 2 ]; then
        curl -fsS -m 5 -X PUT -H 'Content-Type: application/json' --data "$2" "${CONSUL_HTTP_ADDR%/}/$1" >/dev/null
    else
        curl -fsS -m 5 -X PUT "${CONSUL_HTTP_ADDR%/}/$1" >/dev/null
    fi
}

register() {
    consul_put v1/agent/service/register "$(printf '{"ID":"%s","Name":"%s","Address":"%s","Port":%s,"Tags":["udp","tcp"],"Meta":{"role":"application-server"},"Check":{"CheckID":"%s","Name":"asterisk answers core show uptime","TTL":"%ss","DeregisterCriticalServiceAfter":"%s","Status":"passing"}}' \
        "$VP_SERVICE_ID" "$VP_SERVICE_NAME" "$VP_SERVICE_ADDRESS" "$VP_SIP_PORT" "$CHECK_ID" "$VP_CHECK_TTL_SECONDS" "$VP_DEREGISTER_AFTER")"
}

report() {
    consul_put "v1/agent/check/update/${CHECK_ID}" "$(printf '{"Status":"%s","Output":"%s"}' "$1" "$2")"
}

write_config() {
    mkdir -p "$ASTERISK_ETC/generated" || return 1
    {
        echo "[routing-layer-identify]"
        echo "type=identify"
        echo "endpoint=routing-layer"
        old_ifs=$IFS
        IFS=','
        for network in $VP_ROUTING_NETWORKS; do
            if ! printf '%s' "$network" | grep -Eq '^[0-9A-Fa-f:.]+(/[0-9]{1,3})?$'; then
                log "VP_ROUTING_NETWORKS: '$network' is not an address or CIDR network"
                exit 2
            fi
            echo "match=$network"
        done
        IFS=$old_ifs
    } >"$ASTERISK_ETC/generated/pjsip-identify.conf"
    echo "voicemail => curl,${VP_API_URL}/v1/voicemail/realtime" >"$ASTERISK_ETC/generated/extconfig.conf"
}

# SIGTERM: leave DNS, stop taking calls, let the calls end, leave Consul.
drain() {
    log "stopping: maintenance on, no new calls, waiting up to ${VP_DRAIN_SECONDS}s for calls to end"
    consul_put "v1/agent/service/maintenance/${VP_SERVICE_ID}?enable=true&reason=draining" \
        || log "maintenance request failed; going on"
    if [ -n "$asterisk_pid" ] && alive "$asterisk_pid"; then
        "$ASTERISK" -rx 'core stop gracefully' >/dev/null 2>&1 &
        waited=0
        while alive "$asterisk_pid"; do
            if [ "$waited" -ge "$VP_DRAIN_SECONDS" ]; then
                log "calls still up after ${VP_DRAIN_SECONDS}s: core stop now"
                "$ASTERISK" -rx 'core stop now' >/dev/null 2>&1
                pause 5
                alive "$asterisk_pid" && kill -TERM "$asterisk_pid" 2>/dev/null
                break
            fi
            if [ $((waited % 10)) -eq 0 ]; then
                log "waiting for calls to end: $("$ASTERISK" -rx 'core show channels count' 2>/dev/null | grep -i 'active call' | tr -s ' ')"
            fi
            sleep 1
            waited=$((waited + 1))
        done
        wait "$asterisk_pid" 2>/dev/null
    fi
    consul_put "v1/agent/service/deregister/${VP_SERVICE_ID}" || log "deregistration failed; the TTL check removes the instance"
    log "stopped"
    exit 0
}

trap 'stopping=true' TERM INT

write_config || { log "cannot write ${ASTERISK_ETC}/generated"; exit 2; }
"$ASTERISK" -f "$@" &
asterisk_pid=$!
log "asterisk started (pid ${asterisk_pid}); waiting up to ${VP_START_SECONDS}s for its console"

waited=0
until asterisk_answers; do
    $stopping && drain
    if ! alive "$asterisk_pid"; then
        wait "$asterisk_pid"
        log "asterisk exited during start ($?)"
        exit 1
    fi
    if [ "$waited" -ge "$VP_START_SECONDS" ]; then
        log "asterisk did not answer within ${VP_START_SECONDS}s"
        kill -TERM "$asterisk_pid" 2>/dev/null
        exit 1
    fi
    sleep 1
    waited=$((waited + 1))
done

registered=false
retry=1
while ! $stopping; do
    if ! $registered; then
        if register; then
            registered=true
            retry=1
            [ -n "$CONSUL_HTTP_ADDR" ] && log "registered ${VP_SERVICE_ID} as ${VP_SERVICE_NAME} at ${VP_SERVICE_ADDRESS}:${VP_SIP_PORT} with ${CONSUL_HTTP_ADDR}"
        else
            log "registration with ${CONSUL_HTTP_ADDR} failed; again in ${retry}s"
            pause "$retry"
            retry=$((retry * 2))
            [ "$retry" -le 30 ] || retry=30
            continue
        fi
    fi
    pause "$REPORT_SECONDS"
    $stopping && break
    if ! alive "$asterisk_pid"; then
        wait "$asterisk_pid"
        code=$?
        log "asterisk exited on its own (${code}): critical, deregistering"
        report critical "asterisk exited (${code})" || true
        consul_put "v1/agent/service/deregister/${VP_SERVICE_ID}" || true
        exit 1
    fi
    if asterisk_answers; then
        status=passing output="asterisk answers core show uptime"
    else
        status=critical output="asterisk -rx 'core show uptime' failed"
    fi
    if ! report "$status" "$output"; then
        log "check report failed: registering again"
        registered=false
    fi
done
drain
