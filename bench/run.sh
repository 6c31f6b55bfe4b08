#!/usr/bin/env bash
# Side-by-side HTTP benchmark on one machine: each server pinned to one core, wrk pinned to the other,
# loopback only, bounded in time. Rows: nginx `return 200` (the HTTP ceiling of a core), the two Go
# peers from ../shared/peers, and cumsum-api with delivery off (compute only), async and strict; for
# async/strict transaction-api with its embedded store runs on the server's core too.
# Prints a markdown table (RPS, p50, p99, RSS and their ratios to the seed peer) and, in a full run,
# writes it into docs/benchmarks.md between the bench/run.sh markers.
#
#   bench/run.sh                 full run (~12-14 min)
#   bench/run.sh --smoke         every row for ~2 s, fails when a server answers wrongly (CI form)
#   options: --duration S --warmup S (JVM rows) --persist-warmup S (async/strict) --native-warmup S --connections N --sizes 10,1000
#            --rows nginx,seed-go-fasthttp,go-nethttp,off,async,strict --jvm-opts '...'
#            --api-jar PATH --tx-jar PATH --peers-dir DIR --out FILE --no-write
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
ROWS=nginx,seed-go-fasthttp,go-nethttp,off,async,strict
# The JVM sizes itself as in a pod of the chart (memory limit, javaToolOptions from values.yaml).
. "$ROOT/bench/lib/chart-jvm.sh"
JVM_OPTS="$CHART_JVM_OPTS"
API_JAR=$ROOT/cumsum-api/target/cumsum-api-0.1.0-SNAPSHOT-exec.jar
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
    --smoke) SMOKE=1; DURATION=2; WARMUP=0; PERSIST_WARMUP=0; NATIVE_WARMUP=0; WRITE=0 ;;
    --duration) DURATION=$2; shift ;;
    --warmup) WARMUP=$2; shift ;;
    --persist-warmup) PERSIST_WARMUP=$2; shift ;;
    --native-warmup) NATIVE_WARMUP=$2; shift ;;
    --connections) CONNS=$2; shift ;;
    --sizes) SIZES=$2; shift ;;
    --rows) ROWS=$2; shift ;;
    --jvm-opts) JVM_OPTS=$2; shift ;;
    --api-jar) API_JAR=$2; shift ;;
    --tx-jar) TX_JAR=$2; shift ;;
    --peers-dir) PEERS_DIR=$2; shift ;;
    --out) OUT=$2; shift ;;
    --no-write) WRITE=0 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
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
[ -f "$API_JAR" ] || die "no $API_JAR: run ./mvnw -q install -DskipTests first"
case ",$ROWS," in *,async,*|*,strict,*) [ -f "$TX_JAR" ] || die "no $TX_JAR" ;; esac

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
    sleep 0.2
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

# wrk on the load core; prints "rps p50_ms p99_ms non2xx sockerr wrk_cpu_percent", rps counting only
# 2xx answers (async answers 503 when its buffer is full: those are not throughput)
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
      printf "%.0f %.2f %.2f %d %d %.0f\n", (v["requests"] - v["status"]) / (v["duration_us"] / 1e6), v["p50_us"] / 1000, v["p99_us"] / 1000,
        v["status"], v["connect"] + v["read"] + v["write"] + v["timeout"], 100 * cpu / d }'
}

RESULTS=$WORK/results.tsv   # row size rps p50 p99 rss tx_rss non2xx sockerr core_share wrk_cpu note
PACED=$WORK/paced.tsv       # size target achieved p50 p99 non2xx
: > "$RESULTS"; : > "$PACED"

# measure one server: warm-up per payload (excluded), then the measured run
measure() { # name url warmup_first warmup_next pid [tx_pid]
  local name=$1 url=$2 w=$3 wnext=$4 pid=$5 txpid=${6:-} size r c0 c1 p0 p1 share rss txrss first=1
  local why
  if ! why=$(check_answers "$name" "$url"); then
    [ "$SMOKE" = 0 ] || die "$name $why"
    log "$name $why: row not measured"
    for size in ${SIZES//,/ }; do
      printf '%s\t%s\t0\t\t\t\t\t0\t0\t\t\tdid not answer correctly: %s\n' "$name" "$size" "${why//|/\\|}" >> "$RESULTS"
    done
    return 0
  fi
  for size in ${SIZES//,/ }; do
    [ $first = 1 ] || w=$wnext
    first=0
    if [ "$w" -gt 0 ]; then log "$name/$size: warm-up ${w}s"; run_wrk "$url" "$size" "$w" >/dev/null; fi
    c0=$(core_ticks); p0=$(proc_ticks $pid $txpid)
    r=$(run_wrk "$url" "$size" "$DURATION")
    c1=$(core_ticks); p1=$(proc_ticks $pid $txpid)
    share=$(awk -v p=$((p1 - p0)) -v c=$((c1 - c0)) 'BEGIN { printf "%.0f", (c > 0 ? 100 * p / c : 0) }')
    rss=$(rss_mib "$pid"); txrss=-; [ -z "$txpid" ] || txrss=$(rss_mib "$txpid")
    set -- $r
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n' "$name" "$size" "$1" "$2" "$3" "$rss" "$txrss" "$4" "$5" "$share" "$6" >> "$RESULTS"
    log "$name/$size: $1 req/s, p50 $2 ms, p99 $3 ms, RSS $rss MiB, non-2xx $4, socket errors $5, server core share $share%, wrk CPU $6%"
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
      printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$size" "$target" "$1" "$2" "$3" "$4" >> "$PACED"
      log "off/$size paced at $target req/s: $1 req/s, p50 $2 ms, p99 $3 ms"
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

START_EPOCH=$(date -u +%FT%TZ)
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
TX_PID=
for row in ${ROWS//,/ }; do
  free_port port
  case "$row" in
    nginx)
      start_nginx "$port"; pid=$!
      wait_ready "http://127.0.0.1:$port/" "$pid" nginx
      measure nginx "http://127.0.0.1:$port/" "$NATIVE_WARMUP" "$NATIVE_WARMUP" "$pid"
      stop "$pid" ;;
    seed-go-fasthttp|go-nethttp)
      path=/api; [ "$row" = seed-go-fasthttp ] && path=/api/
      taskset -c "$SERVER_CPU" "$PEERS_DIR/$row" "127.0.0.1:$port" > "$WORK/$row.log" 2>&1 &
      pid=$!; PIDS+=($pid)
      until ss -Htln "sport = :$port" | grep -q .; do kill -0 "$pid" || die "$row exited"; sleep 0.1; done
      measure "$row" "http://127.0.0.1:$port$path" "$NATIVE_WARMUP" "$NATIVE_WARMUP" "$pid"
      stop "$pid" ;;
    off|async|strict)
      free_port grpc
      if [ "$row" != off ]; then
        # a fresh transaction-api and store for each of the async and strict rows, on the server core
        # beside cumsum-api: a shared one would still be storing async's drained backlog when strict
        # starts (even after a 2 s smoke row of 1,000-element records)
        free_port TX_GRPC; free_port txm
        mkdir -p "$WORK/txdata-$row"
        # shellcheck disable=SC2086
        taskset -c "$SERVER_CPU" "$JAVA" $JVM_OPTS -jar "$TX_JAR" --spring.grpc.server.port="$TX_GRPC" \
          --server.port="$txm" --transaction.embedded.data-dir="$WORK/txdata-$row" > "$WORK/transaction-api.log" 2>&1 &
        TX_PID=$!; PIDS+=($TX_PID)
        wait_ready "http://127.0.0.1:$txm/actuator/health/readiness" "$TX_PID" transaction-api
        log "transaction-api ready"
      fi
      [ "$row" = off ] || grpc=$TX_GRPC
      free_port mport
      # shellcheck disable=SC2046,SC2086
      taskset -c "$SERVER_CPU" "$JAVA" $JVM_OPTS -jar "$API_JAR" $(api_args "$row" "$port" "$mport" "$grpc") \
        > "$WORK/$row.log" 2>&1 &
      pid=$!; PIDS+=($pid)
      wait_ready "http://127.0.0.1:$mport/actuator/health/readiness" "$pid" "$row"
      txp=; [ "$row" = off ] || txp=$TX_PID
      warm=$WARMUP; [ "$row" = off ] || warm=$PERSIST_WARMUP
      measure "$row" "http://127.0.0.1:$port/api" "$warm" "$(( (warm + 2) / 3 ))" "$pid" $txp
      stop "$pid"
      if [ -n "$TX_PID" ]; then stop "$TX_PID"; TX_PID=; fi ;;
    *) die "unknown row $row" ;;
  esac
done
[ -z "$TX_PID" ] || stop "$TX_PID"
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# ---------- report ----------
report() {
  local cpu kernel jdk nginxv
  cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
  kernel=$(uname -r)
  jdk=$("$JAVA" -version 2>&1 | head -n1)
  nginxv=$(nginx -v 2>&1 | sed 's/.*: //')
  echo "Run: $START_EPOCH, $(nproc --all) cores ($cpu), kernel $kernel, $jdk, $nginxv, $(wrk --version 2>&1 | head -n1 | cut -d' ' -f1-2)."
  echo "Parameters: ${DURATION}s measured per row, warm-up ${WARMUP}s (JVM, first payload; a third of it for the next; ${PERSIST_WARMUP}s for async/strict) / ${NATIVE_WARMUP}s (native), $CONNS connections, wrk -t1 on core $LOAD_CPU, servers on core $SERVER_CPU, JVM options \`$JVM_OPTS\`."
  echo "Load average (1/5/15 min) before: $LOAD_BEFORE, after: $LOAD_AFTER. \"core share\" = CPU time of the row's server processes / busy+idle time of core $SERVER_CPU during the measured run (below ~95% under full load means something else ran on the server core, or the server was not the bottleneck); \"wrk CPU\" = wrk's own CPU time / run time on core $LOAD_CPU (near 100% means the load generator, not the server, was the limit)."
  echo
  echo "| server | payload | RPS (2xx/s) | × seed | × go-nethttp | × nginx | p50 ms | × seed | p99 ms | × seed | RSS MiB | × seed | transaction-api RSS MiB | non-2xx | socket errors | server core share | wrk CPU |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  awk -F'\t' '
    function ratio(a, b) { return (b > 0 && a != "") ? sprintf("%.2f", a / b) : "n/a" }
    { name[NR] = $1; size[NR] = $2; rps[NR] = $3; p50[NR] = $4; p99[NR] = $5; rss[NR] = $6; tx[NR] = $7; bad[NR] = $8; sock[NR] = $9; share[NR] = $10; wcpu[NR] = $11; note[NR] = $12
      if ($1 == "seed-go-fasthttp") { srps[$2] = $3; sp50[$2] = $4; sp99[$2] = $5; srss[$2] = $6 }
      if ($1 == "go-nethttp") grps[$2] = $3
      if ($1 == "nginx") nrps[$2] = $3 }
    END { for (i = 1; i <= NR; i++) {
      label = name[i]
      if (label == "off") label = "cumsum-api compute only (off)"; else if (label == "async" || label == "strict") label = "cumsum-api " label " (+ transaction-api)"
      if (note[i] != "") { printf "| %s | %s | %s ||||||||||||||\n", label, size[i], note[i]; continue }
      printf "| %s | %s | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %d | %d | %s%% | %s%% |\n", label, size[i], rps[i],
        ratio(rps[i], srps[size[i]]), ratio(rps[i], grps[size[i]]), ratio(rps[i], nrps[size[i]]),
        p50[i], ratio(p50[i], sp50[size[i]]), p99[i], ratio(p99[i], sp99[size[i]]), rss[i], ratio(rss[i], srss[size[i]]),
        tx[i], bad[i], sock[i], share[i], wcpu[i] } }' "$RESULTS"
  if [ -s "$PACED" ]; then
    echo
    echo "Compute path at 80% of its maximum rate (wrk paced, same connections):"
    echo
    echo "| payload | offered req/s | achieved req/s | p50 ms | p99 ms | non-2xx |"
    echo "|---:|---:|---:|---:|---:|---:|"
    awk -F'\t' '{ printf "| %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6 }' "$PACED"
  fi
  echo
  echo "Targets (from this run):"
  echo
  awk -F'\t' -v paced="$PACED" '
    function verdict(ok) { return ok ? "met" : "**missed**" }
    FILENAME == paced { pp99[$1] = $5; next }
    $12 != "" { printf "- %s, %s elements: **not measured**, %s\n", $1, $2, $12; next }
    { rps[$1, $2] = $3; sizes[$2] = 1; if ($1 ~ /^(off|async|strict)$/) { if ($6 > apirss) apirss = $6; if ($7 != "-" && $7 > txrss) txrss = $7 } }
    END {
      for (s in sizes) {
        if (rps["off", s] && rps["go-nethttp", s]) { r = rps["off", s] / rps["go-nethttp", s]
          printf "- compute path >= 1.0x go-nethttp, %s elements: %.2fx, %s\n", s, r, verdict(r >= 1.0) }
        if (rps["strict", s] && rps["off", s]) { r = rps["strict", s] / rps["off", s]
          printf "- strict >= 0.5x compute-only, %s elements: %.2fx, %s\n", s, r, verdict(r >= 0.5) }
        if (rps["async", s] && rps["off", s]) { r = rps["async", s] / rps["off", s]
          printf "- async >= 0.8x compute-only, %s elements: %.2fx, %s\n", s, r, verdict(r >= 0.8) }
        if (s in pp99) printf "- p99 <= 5 ms at 80%% of the maximum rate, compute path, %s elements: %s ms, %s\n", s, pp99[s], verdict(pp99[s] <= 5)
      }
      if (apirss) printf "- RSS <= 200 MiB under load, cumsum-api: max %d MiB, %s\n", apirss, verdict(apirss <= 200)
      if (txrss) printf "- RSS <= 200 MiB under load, transaction-api: max %d MiB, %s\n", txrss, verdict(txrss <= 200)
    }' "$PACED" "$RESULTS" | sort
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
