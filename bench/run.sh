#!/usr/bin/env bash
# Side-by-side HTTP benchmark on one machine: each server pinned to one core, wrk pinned to the other,
# loopback only, bounded in time. Rows: nginx `return 200` (the HTTP ceiling of a core), the two Go
# peers from ../shared/peers, and cumsum-api with delivery off (compute only), async and strict; for
# async/strict transaction-api with its embedded store runs on the server's core too. strict-api is
# strict with cumsum-api alone on the server core and transaction-api beside wrk on the load core, so
# the API side's cost of strict is what is measured. After the off and strict-api rows, a freshly
# started cumsum-api gets the same load from its first request (the warm-up curve: req/s in consecutive
# windows, as an autoscaled new pod sees it), from the plain jar and from the extracted jar + AOT cache.
# Prints markdown tables (RPS, p50, p99, RSS and their ratios to the peers; the warm-up curves) and, in a
# full run, writes them into docs/benchmarks.md between the bench/run.sh markers.
#
#   bench/run.sh                 full run (~20 min)
#   bench/run.sh --smoke         every row for ~2 s, curves of 2 x 2 s, fails when a server answers wrongly (CI form)
#   options: --duration S --warmup S (JVM rows) --persist-warmup S (async/strict/strict-api) --native-warmup S
#            --connections N --sizes 10,1000 --rows nginx,seed-go-fasthttp,go-nethttp,off,async,strict,strict-api
#            --curve S (0: none) --curve-window S --curve-forms jar,aot
#            --jvm-opts '...' / --tx-jvm-opts '...' (replace cumsum-api's / transaction-api's chart options)
#            --api-jar [LABEL=]PATH (repeatable: every cumsum-api row runs once per jar, side by side)
#            --tx-jar PATH --peers-dir DIR --out FILE --no-write
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH=$ROOT/bench
DURATION=15
WARMUP=40
# two JVMs sharing one core (async/strict) take ~90 s to reach a steady rate (measured: strict/10
# climbs from ~60/s in the first 10 s to ~2,000/s after 70-80 s)
PERSIST_WARMUP=90
NATIVE_WARMUP=5
CONNS=50
SIZES=10,1000
ROWS=nginx,seed-go-fasthttp,go-nethttp,off,async,strict,strict-api
# warm-up curve of a fresh JVM (off and strict-api rows): CURVE seconds in CURVE_WINDOW-second windows
CURVE=60
CURVE_WINDOW=5
CURVE_FORMS=jar,aot
# The JVM sizes itself as in a pod of the chart (memory limit, javaToolOptions from values.yaml).
. "$ROOT/bench/lib/chart-jvm.sh"
JVM_OPTS="$CHART_JVM_OPTS"
TX_JVM_OPTS="$CHART_TX_JVM_OPTS"
API_JARS=("=$ROOT/cumsum-api/target/cumsum-api-0.1.0-SNAPSHOT-exec.jar")   # LABEL=PATH, LABEL may be empty
API_JARS_SET=0
TX_JAR=$ROOT/transaction-api/target/transaction-api-0.1.0-SNAPSHOT-exec.jar
PEERS_DIR=
OUT=$ROOT/docs/benchmarks.md
WRITE=1
SMOKE=0
SERVER_CPU=0
LOAD_CPU=1
READY_TIMEOUT=120

while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) SMOKE=1; DURATION=2; WARMUP=0; PERSIST_WARMUP=0; NATIVE_WARMUP=0; WRITE=0
      CURVE=4; CURVE_WINDOW=2; CURVE_FORMS=jar ;;
    --duration) DURATION=$2; shift ;;
    --warmup) WARMUP=$2; shift ;;
    --persist-warmup) PERSIST_WARMUP=$2; shift ;;
    --native-warmup) NATIVE_WARMUP=$2; shift ;;
    --connections) CONNS=$2; shift ;;
    --sizes) SIZES=$2; shift ;;
    --rows) ROWS=$2; shift ;;
    --jvm-opts) JVM_OPTS=$2; shift ;;
    --tx-jvm-opts) TX_JVM_OPTS=$2; shift ;;
    --api-jar)
      [ "$API_JARS_SET" = 1 ] || API_JARS=()
      API_JARS_SET=1
      case "$2" in *=*) API_JARS+=("$2") ;; *) API_JARS+=("=$2") ;; esac
      shift ;;
    --curve) CURVE=$2; shift ;;
    --curve-window) CURVE_WINDOW=$2; shift ;;
    --curve-forms) CURVE_FORMS=$2; shift ;;
    --tx-jar) TX_JAR=$2; shift ;;
    --peers-dir) PEERS_DIR=$2; shift ;;
    --out) OUT=$2; shift ;;
    --no-write) WRITE=0 ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
  shift
done

die() { echo "bench: $*" >&2; exit 1; }
log() { echo "bench: $*" >&2; }

# ---------- tools ----------
. "$(dirname "$0")/../scripts/lib/java.sh"   # the project's one way to find a JDK >= 21
JAVA=$JAVA_HOME/bin/java
for t in wrk nginx curl taskset "$JAVA"; do command -v "$t" >/dev/null || die "missing $t (apt-get install -y wrk nginx curl util-linux)"; done
[ "$(nproc --all)" -ge 2 ] || die "needs 2 cores (server on $SERVER_CPU, wrk on $LOAD_CPU)"
for v in "${API_JARS[@]}"; do [ -f "${v#*=}" ] || die "no ${v#*=}: run ./mvnw -q install -DskipTests first"; done
case ",$ROWS," in *,async,*|*,strict,*|*,strict-api,*) [ -f "$TX_JAR" ] || die "no $TX_JAR" ;; esac
. "$BENCH/lib/aot.sh"
case ",$CURVE_FORMS," in *,aot,*) aot_supported || { log "this JVM cannot write an AOT cache: curves of the plain jar only"; CURVE_FORMS=jar; } ;; esac
[ "$CURVE" = 0 ] || [ $((CURVE % CURVE_WINDOW)) = 0 ] || die "--curve must be a multiple of --curve-window"

WORK=$(mktemp -d /tmp/cumsum-bench.XXXXXX)
PIDS=()
cleanup() {
  local p
  for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]:-}"; do [ -n "$p" ] && wait "$p" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ -z "$PEERS_DIR" ]; then
  PEERS_DIR=$WORK/peers
  case ",$ROWS," in
    *,seed-go-fasthttp,*|*,go-nethttp,*)
      [ -x "$ROOT/../shared/peers/build.sh" ] || die "no ../shared/peers/build.sh beside the project"
      "$ROOT/../shared/peers/build.sh" "$PEERS_DIR" >/dev/null ;;
  esac
fi

# ---------- helpers ----------
# below the kernel's ephemeral range (outgoing connections and port-0 listeners take those)
USED_PORTS=" "
free_port() { # VAR: sets VAR to a free port
  local p lo
  lo=$(awk '{ print $1 }' /proc/sys/net/ipv4/ip_local_port_range)
  while :; do
    p=$((10000 + RANDOM % (lo - 10000)))
    case "$USED_PORTS" in *" $p "*) continue ;; esac
    ss -Htan "sport = :$p" | grep -q . && continue
    USED_PORTS="$USED_PORTS$p "; printf -v "$1" %s "$p"; return
  done
}

# VmRSS of a process and its children, in MiB
rss_mib() {
  local total=0 p kb
  for p in "$1" $(pgrep -P "$1" || true); do
    kb=$(awk '/^VmRSS:/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0)
    total=$((total + ${kb:-0}))
  done
  awk -v k="$total" 'BEGIN { printf "%.0f", k / 1024 }'
}

# CPU ticks used by processes (and their threads' children) and by core SERVER_CPU, to tell how much
# of the server core our servers had: anything else there is other load on the machine.
proc_ticks() {
  local total=0 p
  for p in "$@" $(for q in "$@"; do pgrep -P "$q" || true; done); do
    total=$((total + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0)))
  done
  echo "$total"
}
core_ticks() { awk -v c="cpu$SERVER_CPU" '$1 == c { print $2+$3+$4+$5+$6+$7+$8+$9 }' /proc/stat; }

wait_ready() { # url pid name
  local deadline=$((SECONDS + READY_TIMEOUT))
  until curl -sf -o /dev/null "$1"; do
    kill -0 "$2" 2>/dev/null || { tail -n 30 "$WORK/$3.log" >&2 || true; die "$3 exited before it was ready"; }
    [ $SECONDS -lt $deadline ] || { tail -n 30 "$WORK/$3.log" >&2 || true; die "$3 not ready within ${READY_TIMEOUT}s"; }
    sleep 0.05
  done
}

body_file() { # size -> file with {"arr":[1..n],"mode":"man"}
  local f=$WORK/body-$1.json
  [ -f "$f" ] || awk -v n="$1" 'BEGIN { printf "{\"arr\":["; for (i = 1; i <= n; i++) printf "%s%d", (i > 1 ? "," : ""), i; printf "],\"mode\":\"man\"}" }' > "$f"
  echo "$f"
}

# One response body per row: [1,2,3] -> [1,3,6], and the real payload answers 200 with its last
# cumulative sum n(n+1)/2. nginx only has to answer 200. Retries for up to 15 s: a gRPC channel that
# first tried while transaction-api was still starting is in reconnect backoff.
check_answers() { # name url; on failure prints why on stdout and returns 1
  local name=$1 url=$2 deadline=$((SECONDS + 30)) out code size
  while :; do
    out=$(curl -s -o "$WORK/check.out" -w '%{http_code}' -H 'Content-Type: application/json' \
      -d '{"arr":[1,2,3],"mode":"man"}' "$url" || true)
    if [ "$out" = 200 ] && { [ "$name" = nginx ] || grep -q '\[1,3,6\]' "$WORK/check.out"; }; then break; fi
    [ $SECONDS -lt $deadline ] || { echo "answered $out $(head -c 300 "$WORK/check.out") to [1,2,3]; expected 200 with [1,3,6]"; return 1; }
    sleep 0.5
  done
  for size in ${SIZES//,/ }; do
    code=$(curl -s -o "$WORK/check.out" -w '%{http_code}' -H 'Content-Type: application/json' \
      --data-binary @"$(body_file "$size")" "$url" || true)
    [ "$code" = 200 ] || { echo "answered $code $(head -c 300 "$WORK/check.out") to the $size-element payload"; return 1; }
    [ "$name" = nginx ] || grep -q "[,[]$((size * (size + 1) / 2))\]" "$WORK/check.out" \
      || { echo "wrong cumulative sum for the $size-element payload: $(head -c 300 "$WORK/check.out")"; return 1; }
  done
  log "$name answers correctly" >&2
}

# wrk on the load core; prints "rps p50_ms p99_ms non2xx sockerr wrk_cpu_percent requests", rps counting
# only 2xx answers (async answers 503 when its buffer is full: those are not throughput), requests all
# answers
# (wrk's own CPU share of its run: well below 100% while the server is saturated means the server is
# the limit; 100% means the load generator was, or other load on core 1 starved it)
run_wrk() { # url size seconds [rate]
  local out cpu
  out=$(BENCH_BODY_FILE=$(body_file "$2") BENCH_RATE=${4:-} BENCH_THREADS=1 \
    taskset -c "$LOAD_CPU" wrk -t1 -c"$CONNS" -d"$3"s --timeout 5s -s "$BENCH/post.lua" "$1" 2>&1; times) \
    || die "wrk failed: $out"
  # `times` prints the shell's then its children's user/system time, e.g. "0m1.234s 0m0.567s"
  cpu=$(echo "$out" | awk '/^[0-9]+m[0-9.]+s [0-9]+m[0-9.]+s$/ { line = $0 } END {
      split(line, t, " "); s = 0
      for (i = 1; i <= 2; i++) { split(t[i], ms, "m"); sub(/s/, "", ms[2]); s += ms[1] * 60 + ms[2] }
      print s }')
  echo "$out" | awk -v cpu="$cpu" -v d="$3" '/^BENCH_RESULT/ {
      for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
      printf "%.0f %.2f %.2f %d %d %.0f %d\n", (v["requests"] - v["status"]) / (v["duration_us"] / 1e6), v["p50_us"] / 1000, v["p99_us"] / 1000,
        v["status"], v["connect"] + v["read"] + v["write"] + v["timeout"], 100 * cpu / d, v["requests"] }'
}

RESULTS=$WORK/results.tsv   # row variant size rps p50 p99 rss tx_rss non2xx sockerr core_share wrk_cpu cpu_us tx_cpu_us note
PACED=$WORK/paced.tsv       # variant size target achieved p50 p99 non2xx
CURVES=$WORK/curves.tsv     # row variant form ready_ms steady rates(space-separated) non2xx
: > "$RESULTS"; : > "$PACED"; : > "$CURVES"
CLK_TCK=$(getconf CLK_TCK)

# measure one server: warm-up per payload (excluded), then the measured run. CPU: the server's own
# (pid) and transaction-api's (tx_pid) CPU time per answer; "core share" counts the processes that run
# on the server core (SHARE_TX=1: transaction-api is there too)
measure() { # name variant url warmup_first warmup_next pid [tx_pid]
  local name=$1 variant=$2 url=$3 w=$4 wnext=$5 pid=$6 txpid=${7:-} size r c0 c1 p0 p1 t0 t1 share rss txrss first=1
  local why cpu_us tx_us oncore
  if ! why=$(check_answers "$name" "$url"); then
    [ "$SMOKE" = 0 ] || die "$name $why"
    log "$name $why: row not measured"
    for size in ${SIZES//,/ }; do
      printf '%s\t%s\t%s\t0\t\t\t\t\t0\t0\t\t\t\t\tdid not answer correctly: %s\n' "$name" "$variant" "$size" "${why//|/\\|}" >> "$RESULTS"
    done
    return 0
  fi
  for size in ${SIZES//,/ }; do
    [ $first = 1 ] || w=$wnext
    first=0
    if [ "$w" -gt 0 ]; then log "$name${variant:+ [$variant]}/$size: warm-up ${w}s"; run_wrk "$url" "$size" "$w" >/dev/null; fi
    c0=$(core_ticks); p0=$(proc_ticks "$pid"); t0=0; [ -z "$txpid" ] || t0=$(proc_ticks "$txpid")
    r=$(run_wrk "$url" "$size" "$DURATION")
    c1=$(core_ticks); p1=$(proc_ticks "$pid"); t1=0; [ -z "$txpid" ] || t1=$(proc_ticks "$txpid")
    oncore=$((p1 - p0)); [ "${SHARE_TX:-0}" = 0 ] || oncore=$((oncore + t1 - t0))
    share=$(awk -v p="$oncore" -v c=$((c1 - c0)) 'BEGIN { printf "%.0f", (c > 0 ? 100 * p / c : 0) }')
    rss=$(rss_mib "$pid"); txrss=-; [ -z "$txpid" ] || txrss=$(rss_mib "$txpid")
    set -- $r
    cpu_us=$(awk -v t=$((p1 - p0)) -v hz="$CLK_TCK" -v n="$7" 'BEGIN { printf "%.0f", (n > 0 ? t * 1e6 / hz / n : 0) }')
    tx_us=-; [ -z "$txpid" ] || tx_us=$(awk -v t=$((t1 - t0)) -v hz="$CLK_TCK" -v n="$7" 'BEGIN { printf "%.0f", (n > 0 ? t * 1e6 / hz / n : 0) }')
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n' "$name" "$variant" "$size" "$1" "$2" "$3" "$rss" "$txrss" "$4" "$5" "$share" "$6" "$cpu_us" "$tx_us" >> "$RESULTS"
    log "$name${variant:+ [$variant]}/$size: $1 req/s, p50 $2 ms, p99 $3 ms, RSS $rss MiB, non-2xx $4, socket errors $5, server core share $share%, wrk CPU $6%, CPU/answer $cpu_us us (transaction-api $tx_us us)"
    if [ "$SMOKE" = 1 ] && [ "$4" -gt $(( $1 * DURATION / 100 )) ]; then die "$name/$size: more than 1% non-2xx answers ($4)"; fi
    # a smoke run must see answers; a full run records a row that completes nothing (e.g. async with
    # its buffer full) as 0 and goes on, so the table still shows every row
    if [ "$1" -eq 0 ]; then
      [ "$SMOKE" = 1 ] && die "$name/$size: no request completed"
      log "$name/$size: no request completed (recorded as 0)"
    fi
    # p99 at 80% of this row's maximum rate (compute path only)
    if [ "$name" = off ]; then
      local target=$(( $1 * 8 / 10 )) pr
      pr=$(run_wrk "$url" "$size" "$DURATION" "$target")
      set -- $pr
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$variant" "$size" "$target" "$1" "$2" "$3" "$4" >> "$PACED"
      log "off${variant:+ [$variant]}/$size paced at $target req/s: $1 req/s, p50 $2 ms, p99 $3 ms"
    fi
  done
}

# SIGTERM, then SIGKILL after 30 s: a row must not wait on a server still storing a backlog
stop() {
  kill "$1" 2>/dev/null || true
  for _ in $(seq 1 300); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

start_nginx() { # port -> pid
  mkdir -p "$WORK/nginx"
  cat > "$WORK/nginx/nginx.conf" <<EOF
worker_processes 1;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 10000000;
  client_body_temp_path $WORK/nginx/body;
  proxy_temp_path $WORK/nginx/proxy;
  fastcgi_temp_path $WORK/nginx/fastcgi;
  uwsgi_temp_path $WORK/nginx/uwsgi;
  scgi_temp_path $WORK/nginx/scgi;
  server { listen 127.0.0.1:$1; location / { return 200; } }
}
EOF
  taskset -c "$SERVER_CPU" nginx -p "$WORK/nginx" -e "$WORK/nginx/error.log" -c "$WORK/nginx/nginx.conf" \
    -g 'daemon off;' > "$WORK/nginx.log" 2>&1 &
  PIDS+=($!)
}

api_args() { # mode port mport grpc_port
  echo "--server.port=$2 --management.server.port=$3 --cumsum.delivery.mode=$1 --spring.grpc.client.channel.transactions.target=static://127.0.0.1:$4"
}

# the command prefix that starts cumsum-api in a form: the plain jar, or extracted + AOT cache (trained
# once per jar and run, as the images are: bench/lib/aot.sh)
declare -A AOT_CMD=()
ensure_aot() { # jar: trains its cache once (in this shell, so the command is remembered)
  [ -z "${AOT_CMD[$1]:-}" ] || return 0
  local d tp tm
  d=$(mktemp -d "$WORK/aot.XXXXXX"); free_port tp; free_port tm
  log "training an AOT cache for $1"
  # shellcheck disable=SC2046
  AOT_CMD[$1]=$(aot_prepare "$1" "$d" "$SERVER_CPU" $(api_args off "$tp" "$tm" 1)) || die "AOT cache for $1"
}
api_command() { # form jar -> command prefix
  case "$1" in
    jar) echo "$JAVA $JVM_OPTS -jar $2" ;;
    aot) echo "${AOT_CMD[$2]:?ensure_aot first}" ;;
    *) die "unknown curve form $1" ;;
  esac
}

# the warm-up curve: a fresh cumsum-api on the server core, load (first payload size) from the moment
# it is ready, req/s in consecutive CURVE_WINDOW-second windows (each a wrk run: the gaps between
# windows, a few ms for wrk to start and connect, are not counted)
curve() { # row variant form jar grpc_port steady_rps
  local row=$1 variant=$2 form=$3 jar=$4 grpc=$5 steady=$6 cmd port mport pid t0 ready_ms rates="" bad=0 ok=0 r size
  size=${SIZES%%,*}
  [ "$form" != aot ] || ensure_aot "$jar"
  cmd=$(api_command "$form" "$jar")
  free_port port; free_port mport
  local mode=$row; [ "$row" = strict-api ] && mode=strict
  t0=$(date +%s%N)
  # shellcheck disable=SC2046,SC2086
  taskset -c "$SERVER_CPU" $cmd $(api_args "$mode" "$port" "$mport" "$grpc") > "$WORK/curve-$row.log" 2>&1 &
  pid=$!; PIDS+=("$pid")
  wait_ready "http://127.0.0.1:$mport/actuator/health/readiness" "$pid" "curve-$row"
  ready_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  for _ in $(seq 1 $((CURVE / CURVE_WINDOW))); do
    r=$(run_wrk "http://127.0.0.1:$port/api" "$size" "$CURVE_WINDOW")
    set -- $r
    rates="$rates${rates:+ }$1"; bad=$((bad + $4)); ok=$((ok + $1))
  done
  stop "$pid"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$row" "$variant" "$form" "$ready_ms" "$steady" "$rates" "$bad" >> "$CURVES"
  log "curve $row${variant:+ [$variant]} ($form): ready after $ready_ms ms, req/s per ${CURVE_WINDOW}s window: $rates (steady $steady), non-2xx $bad"
  [ "$SMOKE" = 0 ] || [ "$bad" = 0 ] || die "curve $row ($form): $bad non-2xx answers"
  [ "$SMOKE" = 0 ] || [ "$ok" -gt 0 ] || die "curve $row ($form): no answer at all"
}

# the steady rate of a measured row at the first payload size (its latest measurement when --rows
# repeats a row; the targets use the latest too)
steady_of() { # row variant
  awk -F'\t' -v r="$1" -v v="$2" -v s="${SIZES%%,*}" '$1 == r && $2 == v && $3 == s { x = $4 } END { print x + 0 }' "$RESULTS"
}

# one cumsum-api row (off, async, strict, strict-api) for one jar
api_row() { # row variant jar
  local row=$1 variant=$2 jar=$3 port grpc mport pid txp='' warm mode=$1 tx_cpu=$SERVER_CPU form
  free_port port; free_port grpc
  SHARE_TX=0
  if [ "$row" != off ]; then
    # a fresh transaction-api and store for each persisting row: a shared one would still be storing
    # async's drained backlog when strict starts (even after a 2 s smoke row of 1,000-element records).
    # async/strict: on the server core beside cumsum-api (the whole system on one core);
    # strict-api: on the load core beside wrk, so the server core is cumsum-api's alone
    local txm
    free_port TX_GRPC; free_port txm
    mkdir -p "$WORK/txdata-$row-$variant"
    if [ "$row" = strict-api ]; then tx_cpu=$LOAD_CPU; mode=strict; else SHARE_TX=1; fi
    # shellcheck disable=SC2086
    taskset -c "$tx_cpu" "$JAVA" $TX_JVM_OPTS -jar "$TX_JAR" --spring.grpc.server.port="$TX_GRPC" \
      --server.port="$txm" --history.embedded.data-dir="$WORK/txdata-$row-$variant" > "$WORK/transaction-api.log" 2>&1 &
    TX_PID=$!; PIDS+=("$TX_PID")
    wait_ready "http://127.0.0.1:$txm/actuator/health/readiness" "$TX_PID" transaction-api
    log "transaction-api ready (core $tx_cpu)"
    grpc=$TX_GRPC; txp=$TX_PID
  fi
  free_port mport
  # shellcheck disable=SC2046,SC2086
  taskset -c "$SERVER_CPU" "$JAVA" $JVM_OPTS -jar "$jar" $(api_args "$mode" "$port" "$mport" "$grpc") \
    > "$WORK/$row.log" 2>&1 &
  pid=$!; PIDS+=("$pid")
  wait_ready "http://127.0.0.1:$mport/actuator/health/readiness" "$pid" "$row"
  warm=$WARMUP; [ "$row" = off ] || warm=$PERSIST_WARMUP
  measure "$row" "$variant" "http://127.0.0.1:$port/api" "$warm" "$(( (warm + 2) / 3 ))" "$pid" $txp
  stop "$pid"
  # the warm-up curves: compute only, and strict against the warm transaction-api of this row (a new
  # pod joins a running system)
  if [ "$CURVE" -gt 0 ] && { [ "$row" = off ] || [ "$row" = strict-api ]; }; then
    for form in ${CURVE_FORMS//,/ }; do curve "$row" "$variant" "$form" "$jar" "$grpc" "$(steady_of "$row" "$variant")"; done
  fi
  if [ -n "$TX_PID" ]; then stop "$TX_PID"; TX_PID=; fi
  SHARE_TX=0
}

START_EPOCH=$(date -u +%FT%TZ)
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
TX_PID=
for row in ${ROWS//,/ }; do
  case "$row" in
    nginx)
      free_port port
      start_nginx "$port"; pid=$!
      wait_ready "http://127.0.0.1:$port/" "$pid" nginx
      measure nginx "" "http://127.0.0.1:$port/" "$NATIVE_WARMUP" "$NATIVE_WARMUP" "$pid"
      stop "$pid" ;;
    seed-go-fasthttp|go-nethttp)
      free_port port
      path=/api; [ "$row" = seed-go-fasthttp ] && path=/api/
      taskset -c "$SERVER_CPU" "$PEERS_DIR/$row" "127.0.0.1:$port" > "$WORK/$row.log" 2>&1 &
      pid=$!; PIDS+=("$pid")
      until ss -Htln "sport = :$port" | grep -q .; do kill -0 "$pid" || die "$row exited"; sleep 0.1; done
      measure "$row" "" "http://127.0.0.1:$port$path" "$NATIVE_WARMUP" "$NATIVE_WARMUP" "$pid"
      stop "$pid" ;;
    off|async|strict|strict-api)
      for v in "${API_JARS[@]}"; do api_row "$row" "${v%%=*}" "${v#*=}"; done ;;
    *) die "unknown row $row" ;;
  esac
done
[ -z "$TX_PID" ] || stop "$TX_PID"
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# ---------- report ----------
report() {
  local cpu kernel jdk nginxv jars=""
  cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
  kernel=$(uname -r)
  jdk=$("$JAVA" -version 2>&1 | head -n1)
  nginxv=$(nginx -v 2>&1 | sed 's/.*: //')
  for v in "${API_JARS[@]}"; do [ -z "${v%%=*}" ] || jars="$jars${jars:+, }[${v%%=*}] = $(basename "${v#*=}")"; done
  echo "Run: $START_EPOCH, $(nproc --all) cores ($cpu), kernel $kernel, $jdk, $nginxv, $(wrk --version 2>&1 | head -n1 | cut -d' ' -f1-2)."
  echo "Parameters: ${DURATION}s measured per row, warm-up ${WARMUP}s (JVM, first payload; a third of it for the next; ${PERSIST_WARMUP}s for async/strict/strict-api) / ${NATIVE_WARMUP}s (native), $CONNS connections, wrk -t1 on core $LOAD_CPU, servers on core $SERVER_CPU (strict-api: transaction-api on core $LOAD_CPU), JVM options: cumsum-api \`$JVM_OPTS\`, transaction-api \`$TX_JVM_OPTS\`${jars:+; cumsum-api jars: $jars}."
  echo "Load average (1/5/15 min) before: $LOAD_BEFORE, after: $LOAD_AFTER. \"core share\" = CPU time of the processes on core $SERVER_CPU (cumsum-api; async/strict: + transaction-api) / busy+idle time of core $SERVER_CPU during the measured run (below ~95% under full load means something else ran on the server core, or the server was not the bottleneck); \"wrk CPU\" = wrk's own CPU time / run time on core $LOAD_CPU (near 100% means the load generator, not the server, was the limit); \"CPU µs/answer\" = the server's own CPU time per answer (cumsum-api's alone for its rows)."
  echo
  echo "| server | payload | RPS (2xx/s) | × seed | × go-nethttp | × nginx | p50 ms | × seed | p99 ms | × seed | RSS MiB | × seed | transaction-api RSS MiB | non-2xx | socket errors | server core share | wrk CPU | CPU µs/answer | transaction-api CPU µs/answer |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  awk -F'\t' '
    function ratio(a, b) { return (b > 0 && a != "") ? sprintf("%.2f", a / b) : "n/a" }
    { n = NR; name[n] = $1; var[n] = $2; size[n] = $3; rps[n] = $4; p50[n] = $5; p99[n] = $6; rss[n] = $7; tx[n] = $8; bad[n] = $9; sock[n] = $10
      share[n] = $11; wcpu[n] = $12; cus[n] = $13; tus[n] = $14; note[n] = $15
      if ($1 == "seed-go-fasthttp") { srps[$3] = $4; sp50[$3] = $5; sp99[$3] = $6; srss[$3] = $7 }
      if ($1 == "go-nethttp") grps[$3] = $4
      if ($1 == "nginx") nrps[$3] = $4 }
    END { for (i = 1; i <= n; i++) {
      label = name[i]
      if (label == "off") label = "cumsum-api compute only (off)"
      else if (label == "async" || label == "strict") label = "cumsum-api " label " (+ transaction-api, same core)"
      else if (label == "strict-api") label = "cumsum-api strict, API core alone (strict-api; transaction-api on the wrk core)"
      if (var[i] != "") label = label " [" var[i] "]"
      if (note[i] != "") { printf "| %s | %s | %s ||||||||||||||||\n", label, size[i], note[i]; continue }
      printf "| %s | %s | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %d | %d | %s%% | %s%% | %s | %s |\n", label, size[i], rps[i],
        ratio(rps[i], srps[size[i]]), ratio(rps[i], grps[size[i]]), ratio(rps[i], nrps[size[i]]),
        p50[i], ratio(p50[i], sp50[size[i]]), p99[i], ratio(p99[i], sp99[size[i]]), rss[i], ratio(rss[i], srss[size[i]]),
        tx[i], bad[i], sock[i], share[i], wcpu[i], cus[i], tus[i] } }' "$RESULTS"
  if [ -s "$PACED" ]; then
    echo
    echo "Compute path at 80% of its maximum rate (wrk paced, same connections):"
    echo
    echo "| jar | payload | offered req/s | achieved req/s | p50 ms | p99 ms | non-2xx |"
    echo "|---|---:|---:|---:|---:|---:|---:|"
    awk -F'\t' '{ printf "| %s | %s | %s | %s | %s | %s | %s |\n", ($1 == "" ? "-" : $1), $2, $3, $4, $5, $6, $7 }' "$PACED"
  fi
  if [ -s "$CURVES" ]; then
    echo
    echo "Warm-up of a freshly started cumsum-api (core $SERVER_CPU; strict-api: against the row's warm transaction-api on core $LOAD_CPU): ${SIZES%%,*}-element payload, $CONNS connections from the moment readiness answers 200, req/s in consecutive ${CURVE_WINDOW} s windows; \"steady\" is the row above; \"80% at\" is the end of the first window at >= 80% of it, counted from ready. jar = \`java -jar\`; aot = extracted jar + JDK AOT cache trained as the images are (bench/lib/aot.sh)."
    echo
    echo "| row | jar | form | ready s | req/s per ${CURVE_WINDOW} s window | steady req/s | 80% at | non-2xx |"
    echo "|---|---|---|---:|---|---:|---:|---:|"
    awk -F'\t' -v w="$CURVE_WINDOW" '{
      k = split($6, r, " "); at = "not reached"; list = ""
      for (i = 1; i <= k; i++) { list = list (i > 1 ? " · " : "") r[i]; if (at == "not reached" && $5 > 0 && r[i] >= 0.8 * $5) at = (i * w) " s" }
      printf "| %s | %s | %s | %.2f | %s | %s | %s | %s |\n", $1, ($2 == "" ? "-" : $2), $3, $4 / 1000, list, $5, at, $7 }' "$CURVES"
  fi
  echo
  echo "Targets (from this run):"
  echo
  awk -F'\t' -v paced="$PACED" -v curves="$CURVES" -v w="$CURVE_WINDOW" '
    function verdict(ok) { return ok ? "met" : "**missed**" }
    function tag(v) { return v == "" ? "" : " [" v "]" }
    FILENAME == paced { pp99[$1, $2] = $6; pv[$1] = 1; next }
    FILENAME == curves { k = split($6, r, " "); at = 0
      for (i = 1; i <= k; i++) if (!at && $5 > 0 && r[i] >= 0.8 * $5) at = i * w
      printf "- new pod >= 80%% of its steady rate within 15 s of ready, %s%s, %s: %s, %s\n", $1, tag($2), $3, (at ? "after " at " s" : "not within " k * w " s"), verdict(at && at <= 15)
      printf "- cumsum-api ready <= 1.5 s on one core, %s%s, %s: %.2f s, %s\n", $1, tag($2), $3, $4 / 1000, verdict($4 <= 1500)
      next }
    $15 != "" { printf "- %s%s, %s elements: **not measured**, %s\n", $1, tag($2), $3, $15; next }
    { rps[$1, $2, $3] = $4; cus[$1, $2, $3] = $13; sizes[$3] = 1; vars[$2] = 1
      if ($1 ~ /^(off|async|strict|strict-api)$/) { if ($7 > apirss[$2]) apirss[$2] = $7; if ($8 != "-" && $8 > txrss) txrss = $8 } }
    END {
      for (v in vars) for (s in sizes) {
        g = rps["go-nethttp", "", s]; o = rps["off", v, s]
        goal = (s + 0 >= 1000) ? 1.4 : 0.7
        if (o && g) printf "- compute path >= %.1fx go-nethttp%s, %s elements: %.2fx, %s (per CPU us of each server: %s)\n", goal, tag(v), s, o / g, verdict(o / g >= goal), \
          (cus["off", v, s] > 0 && cus["go-nethttp", "", s] > 0) ? sprintf("%.2fx", cus["go-nethttp", "", s] / cus["off", v, s]) : "-"
        if (rps["strict", v, s] && o) { q = rps["strict", v, s] / o
          printf "- strict >= 0.5x compute-only%s, %s elements: %.2fx, %s\n", tag(v), s, q, verdict(q >= 0.5) }
        if (rps["strict-api", v, s] && o) { q = rps["strict-api", v, s] / o
          c = (cus["strict-api", v, s] > 0 && cus["off", v, s] > 0) ? cus["off", v, s] / cus["strict-api", v, s] : 0
          printf "- strict, API side (strict-api) >= 0.6x compute-only%s, %s elements: %.2fx by req/s, %.2fx by cumsum-api CPU us per answer, %s\n", tag(v), s, q, c, verdict(q >= 0.6 || c >= 0.6) }
        if (rps["async", v, s] && o) { q = rps["async", v, s] / o
          printf "- async >= 0.8x compute-only%s, %s elements: %.2fx, %s\n", tag(v), s, q, verdict(q >= 0.8) }
        if ((v, s) in pp99) printf "- p99 <= 5 ms at 80%% of the maximum rate, compute path%s, %s elements: %s ms, %s\n", tag(v), s, pp99[v, s], verdict(pp99[v, s] <= 5)
      }
      for (v in apirss) printf "- RSS <= 256 MiB under load, cumsum-api%s: max %d MiB, %s\n", tag(v), apirss[v], verdict(apirss[v] <= 256)
      if (txrss) printf "- RSS <= 256 MiB under load, transaction-api: max %d MiB, %s\n", txrss, verdict(txrss <= 256)
    }' "$PACED" "$CURVES" "$RESULTS" | sort
}

TABLE=$WORK/table.md
report > "$TABLE"
cat "$TABLE"

if [ "$WRITE" = 1 ]; then
  begin='<!-- BEGIN bench/run.sh -->'; end='<!-- END bench/run.sh -->'
  mkdir -p "$(dirname "$OUT")"
  [ -f "$OUT" ] && grep -qF "$begin" "$OUT" || printf '\n%s\n%s\n' "$begin" "$end" >> "$OUT"
  awk -v b="$begin" -v e="$end" -v t="$TABLE" '
    $0 == b { print; while ((getline l < t) > 0) print l; skip = 1; next }
    $0 == e { skip = 0 }
    !skip' "$OUT" > "$WORK/out.md"
  cat "$WORK/out.md" > "$OUT"
  log "wrote the table into $OUT"
fi
