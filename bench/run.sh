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
#            --rate N (the measured run of every row offers N req/s, paced, instead of the maximum: to compare
#            rows' CPU per answer at one rate; the off row's 80% run is skipped)
#   curve forms: jar, aot, and variants of aot: aot@N (a cache trained with N requests instead of
#   TRAINING_REQUESTS), aot+eager (-XX:+AOTCompileEagerly when serving), aot+strict (strict-api row only:
#   trained in strict mode against the row's transaction-api, which the images cannot do: they train
#   with delivery off), combined e.g. aot@100000+strict+eager; and +jitcore on any form (jar+jitcore): the
#   JIT compiler threads moved to the load core right after the start, as if the pod had a second core for
#   its JIT (the JVM still sizes itself for one)
#   every run logs user/system CPU and voluntary/involuntary context switches per answer of each JVM row,
#   and for each curve window the CPU seconds of the JIT compiler threads, GC/VM threads and the rest
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
RATE=

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
    --rate) RATE=$2; shift ;;
    -h|--help) sed -n '2,28p' "$0"; exit 0 ;;
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
. "$BENCH/lib/proc.sh"
case ",$CURVE_FORMS," in *,aot*) aot_supported || { log "this JVM cannot write an AOT cache: curves of the plain jar only"; CURVE_FORMS=jar; } ;; esac
[ "$CURVE" = 0 ] || [ $((CURVE % CURVE_WINDOW)) = 0 ] || die "--curve must be a multiple of --curve-window"
# a paced run's req/s are not the rows' maxima: never written into the table
[ -z "$RATE" ] || [ "$WRITE" = 0 ] || { log "--rate: the table is not written (--no-write)"; WRITE=0; }

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

# CPU ticks of core SERVER_CPU (proc_ticks: bench/lib/proc.sh), to tell how much of the server core our
# servers had: anything else there is other load on the machine.
core_ticks() { awk -v c="cpu$SERVER_CPU" '$1 == c { print $2+$3+$4+$5+$6+$7+$8+$9 }' /proc/stat; }

# "user_ticks system_ticks voluntary_switches involuntary_switches" of a process: CPU from /proc/PID/stat
# (all threads, ended ones too), context switches summed over its live threads (/proc/PID/status has
# the main thread's only)
proc_detail() { # pid
  local u s
  read -r u s < <(sed 's/.*) //' "/proc/$1/stat" | awk '{ print $12, $13 }')
  cat "/proc/$1"/task/*/status 2>/dev/null | awk -v u="$u" -v s="$s" '
    /^voluntary_ctxt_switches/ { v += $2 } /^nonvoluntary_ctxt_switches/ { n += $2 } END { print u, s, v, n }'
}
# per-answer figures between two proc_detail samples: user and system CPU us, voluntary and involuntary
# context switches
detail_per_answer() { # "before" "after" answers
  awk -v a="$1" -v b="$2" -v n="$3" -v hz="$CLK_TCK" 'BEGIN { split(a, x, " "); split(b, y, " "); if (n < 1) n = 1
    printf "user %.0f us + system %.0f us, context switches %.2f voluntary + %.2f involuntary", (y[1] - x[1]) * 1e6 / hz / n,
      (y[2] - x[2]) * 1e6 / hz / n, (y[3] - x[3]) / n, (y[4] - x[4]) / n }'
}
# CPU us per answer by thread name, on one line (bench/lib/proc.sh)
threads_per_answer() { # before_file after_file answers
  thread_cpu_per_answer "$@" | head -n 10 | awk -F'\t' '{ print $2 " " $3 }' | paste -sd ';' | sed 's/;/; /g'
}
# CPU ticks of a JVM's threads by kind, "c1 c2 gc_vm other": the JIT compiler threads, GC and VM
# threads, the rest (serving: carriers, Jetty, gRPC/Netty, ...); each thread's ticks are the latest seen
# (kept in $WORK/threads-PID), so a thread that ended keeps its share
thread_kinds() { # pid
  local f=$WORK/threads-$1
  touch "$f"
  # a task's stat: "tid (name) state ..."; the name may hold spaces, utime and stime are fields 14 and 15
  { cat "$f"; thread_ticks "$1"; } \
    | awk -F'\t' '{ t[$1] = $2; n[$1] = $3 } END { for (i in t) print i "\t" t[i] "\t" n[i] }' > "$f.new"
  mv "$f.new" "$f"
  awk -F'\t' '{ if ($3 ~ /^C1 CompilerThre/) c1 += $2; else if ($3 ~ /CompilerThre/) c2 += $2
      else if ($3 ~ /^(VM Thread|GC Thread|VM Periodic|G1 |Service Thread)/) g += $2; else o += $2 }
    END { print c1 + 0, c2 + 0, g + 0, o + 0 }' "$f"
}

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
  [ -f "$f" ] || payload_json "$1" > "$f"
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
    local d0 d1 td0 td1
    d0=$(proc_detail "$pid"); [ -z "$txpid" ] || td0=$(proc_detail "$txpid")
    thread_ticks "$pid" > "$WORK/threads-before"
    c0=$(core_ticks); p0=$(proc_ticks "$pid"); t0=0; [ -z "$txpid" ] || t0=$(proc_ticks "$txpid")
    r=$(run_wrk "$url" "$size" "$DURATION" "$RATE")
    c1=$(core_ticks); p1=$(proc_ticks "$pid"); t1=0; [ -z "$txpid" ] || t1=$(proc_ticks "$txpid")
    d1=$(proc_detail "$pid"); [ -z "$txpid" ] || td1=$(proc_detail "$txpid")
    thread_ticks "$pid" > "$WORK/threads-after"
    oncore=$((p1 - p0)); [ "${SHARE_TX:-0}" = 0 ] || oncore=$((oncore + t1 - t0))
    share=$(awk -v p="$oncore" -v c=$((c1 - c0)) 'BEGIN { printf "%.0f", (c > 0 ? 100 * p / c : 0) }')
    rss=$(rss_mib "$pid"); txrss=-; [ -z "$txpid" ] || txrss=$(rss_mib "$txpid")
    set -- $r
    cpu_us=$(awk -v t=$((p1 - p0)) -v hz="$CLK_TCK" -v n="$7" 'BEGIN { printf "%.0f", (n > 0 ? t * 1e6 / hz / n : 0) }')
    tx_us=-; [ -z "$txpid" ] || tx_us=$(awk -v t=$((t1 - t0)) -v hz="$CLK_TCK" -v n="$7" 'BEGIN { printf "%.0f", (n > 0 ? t * 1e6 / hz / n : 0) }')
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n' "$name" "$variant" "$size" "$1" "$2" "$3" "$rss" "$txrss" "$4" "$5" "$share" "$6" "$cpu_us" "$tx_us" >> "$RESULTS"
    log "$name${variant:+ [$variant]}/$size: $1 req/s${RATE:+ (offered $RATE)}, p50 $2 ms, p99 $3 ms, RSS $rss MiB, non-2xx $4, socket errors $5, server core share $share%, wrk CPU $6%, CPU/answer $cpu_us us (transaction-api $tx_us us)"
    if [ "$name" != nginx ]; then
      log "$name${variant:+ [$variant]}/$size per answer: $(detail_per_answer "$d0" "$d1" "$7")${txpid:+; transaction-api $(detail_per_answer "$td0" "$td1" "$7")}"
      log "$name${variant:+ [$variant]}/$size CPU us per answer by thread: $(threads_per_answer "$WORK/threads-before" "$WORK/threads-after" "$7")"
    fi
    if [ "$SMOKE" = 1 ] && [ "$4" -gt $(( $1 * DURATION / 100 )) ]; then die "$name/$size: more than 1% non-2xx answers ($4)"; fi
    # a smoke run must see answers; a full run records a row that completes nothing (e.g. async with
    # its buffer full) as 0 and goes on, so the table still shows every row
    if [ "$1" -eq 0 ]; then
      [ "$SMOKE" = 1 ] && die "$name/$size: no request completed"
      log "$name/$size: no request completed (recorded as 0)"
    fi
    # p99 at 80% of this row's maximum rate (compute path only)
    if [ "$name" = off ] && [ -z "$RATE" ]; then
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
ensure_aot() { # jar form [grpc port]: trains the form's cache once (in this shell, so the command is remembered)
  local key n mode=off grpc=1
  key=$(aot_key "$1" "$2"); n=$(form_training "$2")
  [ -z "${AOT_CMD[$key]:-}" ] || return 0
  case "$2" in *+strict*) mode=strict; grpc=${3:?aot+strict needs a transaction-api} ;; esac
  local d tp tm
  d=$(mktemp -d "$WORK/aot.XXXXXX"); free_port tp; free_port tm
  log "training an AOT cache for $1${n:+ with $n requests}, delivery $mode"
  # shellcheck disable=SC2046
  AOT_CMD[$key]=$(AOT_TRAINING_REQUESTS=$n aot_prepare "$1" "$d" "$SERVER_CPU" $(api_args "$mode" "$tp" "$tm" "$grpc")) || die "AOT cache for $1"
}
# the training requests of an aot form (aot@N: N, else empty: TRAINING_REQUESTS)
form_training() { local f=${1%%+*}; case "$f" in *@*) echo "${f#*@}" ;; esac; }
# one cache per jar, number of training requests and training mode
aot_key() { # jar form
  local m=off; case "$2" in *+strict*) m=strict ;; esac
  echo "$1@$(form_training "$2")@$m"
}
api_command() { # form jar -> command prefix
  case "$1" in
    jar) echo "$JAVA $JVM_OPTS -jar $2" ;;
    aot*) local c
      c=${AOT_CMD[$(aot_key "$2" "$1")]:?ensure_aot first}
      # aot+eager: compile the methods the cache has profiles for as soon as their classes are initialised
      case "$1" in *+eager*) c="${c/ -XX:AOTCache=/ -XX:+UnlockExperimentalVMOptions -XX:+AOTCompileEagerly -XX:AOTCache=}" ;; esac
      echo "$c" ;;
    *) die "unknown curve form $1" ;;
  esac
}

# the warm-up curve: a fresh cumsum-api on the server core, load (first payload size) from the moment
# it is ready, req/s in consecutive CURVE_WINDOW-second windows (each a wrk run: the gaps between
# windows, a few ms for wrk to start and connect, are not counted)
curve() { # row variant form jar grpc_port steady_rps
  local row=$1 variant=$2 form=$3 jar=$4 grpc=$5 steady=$6 cmd port mport pid t0 ready_ms rates="" bad=0 ok=0 r size
  size=${SIZES%%,*}
  case "$form" in *+strict*) [ "$row" = strict-api ] || { log "curve $row ($form): a strict-trained cache is for the strict-api row only, skipped"; return 0; } ;; esac
  local base=${form//+jitcore/}
  case "$base" in aot*) ensure_aot "$jar" "$base" "$grpc" ;; esac
  cmd=$(api_command "$base" "$jar")
  free_port port; free_port mport
  local mode=$row; [ "$row" = strict-api ] && mode=strict
  t0=$(date +%s%N)
  # shellcheck disable=SC2046,SC2086
  taskset -c "$SERVER_CPU" $cmd $(api_args "$mode" "$port" "$mport" "$grpc") > "$WORK/curve-$row.log" 2>&1 &
  pid=$!; PIDS+=("$pid")
  case "$form" in *+jitcore*) jit_to_load_core "$pid" ;; esac
  wait_ready "http://127.0.0.1:$mport/actuator/health/readiness" "$pid" "curve-$row"
  ready_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  # CPU seconds by thread kind: up to ready, then per window
  local k0 k1 cpu_log
  rm -f "$WORK/threads-$pid"; k0=$(thread_kinds "$pid")
  cpu_log="start to ready $(echo "$k0" | awk -v hz="$CLK_TCK" '{ printf "%.2f/%.2f/%.2f/%.2f", $1 / hz, $2 / hz, $3 / hz, $4 / hz }')"
  for _ in $(seq 1 $((CURVE / CURVE_WINDOW))); do
    r=$(run_wrk "http://127.0.0.1:$port/api" "$size" "$CURVE_WINDOW")
    k1=$(thread_kinds "$pid")
    cpu_log="$cpu_log · $(awk -v a="$k0" -v b="$k1" -v hz="$CLK_TCK" 'BEGIN { split(a, x, " "); split(b, y, " ")
      printf "%.2f/%.2f/%.2f/%.2f", (y[1] - x[1]) / hz, (y[2] - x[2]) / hz, (y[3] - x[3]) / hz, (y[4] - x[4]) / hz }')"
    k0=$k1
    set -- $r
    rates="$rates${rates:+ }$1"; bad=$((bad + $4)); ok=$((ok + $1))
  done
  log "curve $row${variant:+ [$variant]} ($form): CPU s of C1/C2/GC+VM/other threads: $cpu_log"
  stop "$pid"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$row" "$variant" "$form" "$ready_ms" "$steady" "$rates" "$bad" >> "$CURVES"
  log "curve $row${variant:+ [$variant]} ($form): ready after $ready_ms ms, req/s per ${CURVE_WINDOW}s window: $rates (steady $steady), non-2xx $bad"
  [ "$SMOKE" = 0 ] || [ "$bad" = 0 ] || die "curve $row ($form): $bad non-2xx answers"
  [ "$SMOKE" = 0 ] || [ "$ok" -gt 0 ] || die "curve $row ($form): no answer at all"
}

# +jitcore: the compiler threads (C1, C2; made at JVM start) onto the load core, as soon as they exist
jit_to_load_core() { # pid
  local t moved=0
  for _ in $(seq 1 250); do
    moved=0
    for t in /proc/"$1"/task/*; do
      grep -q CompilerThre "$t/comm" 2>/dev/null && taskset -p -c "$LOAD_CPU" "${t##*/}" >/dev/null && moved=$((moved + 1))
    done
    [ "$moved" -lt 2 ] || break
    sleep 0.02
  done
  log "moved $moved JIT compiler threads of $1 to core $LOAD_CPU"
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
  if [ -n "$RATE" ]; then echo "Targets: not judged (a paced run: every row was offered $RATE req/s)"; return; fi
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
