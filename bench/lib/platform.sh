# Starting our platform's processes for the load scripts in bench/ (sourced, not run): Redis, the business-logic
# API, a router and an edge proxy, each a process of its own on loopback, as the AppHost runs them but without the
# dashboard and with logging at Warning. Every process started is added to the caller's `started` array (stopped
# by PID on exit) and logs to $OUT/<name>.log.
# Requires: OUT and `started` (see stop_started_on_exit); ports below may be overridden from the environment.

REDIS_PORT=${REDIS_PORT:-6391}
API_PORT=${API_PORT:-5391}
BENCH_DOMAIN=${BENCH_DOMAIN:-bench.test}
# Fixed for benchmarks only: the router's nonce HMAC key (any replica must share it; 32 bytes, base64).
BENCH_NONCE_SECRET=YmVuY2gtbm9uY2Utc2VjcmV0LW5vdC1mb3ItcHJvZHVjdGlvbg==
API_URL="http://127.0.0.1:$API_PORT"

# Starts a command in the background with its output in $OUT/<name>.log; its PID in LAST_PID.
start_logged() { # $1 name, $@ command
  local name=$1; shift
  "$@" > "$OUT/$name.log" 2>&1 &
  LAST_PID=$!
  started+=("$LAST_PID")
}

# Fails when a started process has already exited.
require_running() { # $1 name, $2 pid
  kill -0 "$2" 2>/dev/null || { echo "$1 did not start: see $OUT/$1.log" >&2; exit 1; }
}

# Starts one of our services from its build output, logging at Warning, settings from the environment
# (VAR=value arguments). The build folder is its content root so its appsettings.json applies (run from the
# repository root, ASP.NET Core would look for appsettings.json there and silently use the defaults).
start_service() { # $1 name, $2 project, $@ settings
  local name=$1 bin="$PWD/$2/bin/Release/net10.0" dll="$2.dll"; shift 2
  start_logged "$name" env ASPNETCORE_CONTENTROOT="$bin" Logging__LogLevel__Default=Warning "$@" dotnet "$bin/$dll"
}

build_platform() {
  dotnet build -c Release VoipPlatform.Proxy -v q -nologo >/dev/null
  dotnet build -c Release VoipPlatform.Router -v q -nologo >/dev/null
  dotnet build -c Release VoipPlatform.AppLayer -v q -nologo >/dev/null
}

start_redis() {
  start_logged redis redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no
  REDIS_PID=$LAST_PID
}

start_api() {
  start_service api VoipPlatform.AppLayer ConnectionStrings__redis="127.0.0.1:$REDIS_PORT" ASPNETCORE_URLS="$API_URL"
  API_PID=$LAST_PID
  wait_http "$API_URL/v1/status" 60
}

# Creates the benchmark domain, and the users named in a file (one user name per line) with password pw-<user>,
# through the API in one curl process (keep-alive), so the HA1s are made the way the product makes them.
seed_users() { # $1 file of user names
  curl -fsS -o /dev/null -H 'Content-Type: application/json' -d "{\"name\":\"$BENCH_DOMAIN\"}" "$API_URL/v1/domains/"
  awk -v url="$API_URL/v1/domains/$BENCH_DOMAIN/users/" '
    NR > 1 { print "next" }
    { print "url = \"" url "\""; print "header = \"Content-Type: application/json\""
      print "data = \"{\\\"user\\\":\\\"" $1 "\\\",\\\"password\\\":\\\"pw-" $1 "\\\",\\\"voicemailEnabled\\\":false}\""
      print "output = \"/dev/null\""; print "write-out = \"%{http_code}\\n\"" }' "$1" > "$OUT/seed-users.curl"
  curl -fsS -K "$OUT/seed-users.curl" | sort | uniq -c | tee "$OUT/seed-users.status"
  if grep -qv ' 201$' "$OUT/seed-users.status"; then echo "seeding users failed: see $OUT/seed-users.status" >&2; exit 1; fi
}

# A router on SIP port $1. ROUTER_ENV adds settings (e.g. Router__TrustedSources__0=127.0.0.0/8).
start_router() { # $1 SIP port
  # shellcheck disable=SC2086
  start_service router VoipPlatform.Router Sip__Port="$1" ConnectionStrings__redis="127.0.0.1:$REDIS_PORT" \
    services__applayer__http__0="$API_URL" Sip__Digest__NonceSecret="$BENCH_NONCE_SECRET" ASPNETCORE_URLS=http://127.0.0.1:0 \
    ${ROUTER_ENV:-}
  ROUTER_PID=$LAST_PID
}

# An edge proxy on SIP port $1 forwarding to the router at $2. EDGE_ENV adds settings.
start_edge() { # $1 SIP port, $2 router's SIP port
  # shellcheck disable=SC2086
  start_service edge VoipPlatform.Proxy Sip__Port="$1" Proxy__Routers__0="127.0.0.1:$2" ASPNETCORE_URLS=http://127.0.0.1:0 \
    ${EDGE_ENV:-}
  EDGE_PID=$LAST_PID
}

# Our whole path: Redis, the API with the users of $1 seeded, a router on SIP port $3 (ROUTER_ENV adds settings)
# and an edge on SIP port $2 in front of it; fails unless router and edge are up.
start_platform() { # $1 file of user names, $2 edge SIP port, $3 router SIP port
  start_redis; start_api
  seed_users "$1"
  start_router "$3"
  start_edge "$2" "$3"
  sleep 5
  require_running router "$ROUTER_PID"; require_running edge "$EDGE_PID"
}

stop_platform() {
  kill "$EDGE_PID" "$ROUTER_PID" "$API_PID" "$REDIS_PID"
  wait "$EDGE_PID" "$ROUTER_PID" "$API_PID" "$REDIS_PID" 2>/dev/null || true
}

# The reference chain: a Kamailio edge (proxy.cfg) on port $1 in front of a Kamailio registrar core (registrar.cfg)
# on port $2; PIDs in KAMAILIO_EDGE_PID and KAMAILIO_CORE_PID.
start_kamailio_chain() { # $1 edge port, $2 core port
  start_kamailio kamailio-core registrar.cfg "127.0.0.1:$2" -; KAMAILIO_CORE_PID=$LAST_PID
  start_kamailio kamailio-edge proxy.cfg "127.0.0.1:$1" "127.0.0.1:$2"; KAMAILIO_EDGE_PID=$LAST_PID
  sleep 3
  require_running kamailio-core "$KAMAILIO_CORE_PID"; require_running kamailio-edge "$KAMAILIO_EDGE_PID"
}

stop_kamailio_chain() {
  kill "$KAMAILIO_EDGE_PID" "$KAMAILIO_CORE_PID"; wait "$KAMAILIO_EDGE_PID" "$KAMAILIO_CORE_PID" 2>/dev/null || true
}

# Starts Kamailio with a config of bench/kamailio, @LISTEN@ / @NEXT_HOP@ / @CHILDREN@ replaced; PID in LAST_PID.
start_kamailio() { # $1 name, $2 config, $3 listen host:port, $4 next hop host:port (or -), $@ extra kamailio arguments
  local name=$1 config=$2 listen=$3 next=$4; shift 4
  sed -e "s/@LISTEN@/$listen/" -e "s/@NEXT_HOP@/$next/" -e "s/@CHILDREN@/${KAMAILIO_CHILDREN:-1}/" \
    "bench/kamailio/$config" > "$OUT/$name.cfg"
  # 2 GiB of shared memory: at a few thousand calls/s the transactions lingering in their wait timers exhaust 256 MB.
  start_logged "$name" kamailio -f "$OUT/$name.cfg" -DD -E -x tlsf -X tlsf -m 2048 -M 16 -Y "$OUT" "$@"
}

# SIPp arguments of bench/sipp/uac-register.xml, whose injection file lines are user;password;contact: the digest
# user and password come from the line (SIPp 3.6 cannot nest [field0] inside [authentication], but parses -au/-ap
# as templates).
REGISTER_ARGS=(-sf bench/sipp/uac-register.xml -i 127.0.0.1 -key domain "$BENCH_DOMAIN" -au '[field0]' -ap '[field1]')

# Registers user $1 (password pw-$1) with Contact $2 (host:port) at the registrar $3 (host:port), with SIPp's
# digest, from UDP port REGISTER_PORT; fails unless the registration succeeds.
register_contact() { # $1 user, $2 contact host:port, $3 registrar host:port
  printf 'SEQUENTIAL\n%s;pw-%s;%s\n' "$1" "$1" "$2" > "$OUT/register-$1.csv"
  timeout -k 5 30 sipp "$3" "${REGISTER_ARGS[@]}" -p "${REGISTER_PORT:-5398}" -inf "$OUT/register-$1.csv" -m 1 -nostdin \
    > "$OUT/register-$1.log" 2>&1 || { echo "registering $1 at $3 failed: see $OUT/register-$1.log" >&2; exit 1; }
}
