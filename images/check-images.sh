#!/usr/bin/env bash
# Offline check of the two service images (docs/images.md):
#  1. assemble a stand-in for the base image (images/build-base.sh: jlinked JRE + glibc, docker-save archive);
#  2. build both images with the real pom configuration: the users' command with jib:buildTar and
#     -Djib.from.image=tar://<stand-in> instead of jib:dockerBuild / jib:build;
#  3. check each image config (images/ImageCheck.java): user, ports, entrypoint, labels, app-layer ownership;
#  4. replay images/aot.Dockerfile on each image (the JDK AOT cache, trained with the image's own JVM);
#  5. run both entrypoints as a pod would, with the chart's JVM options and -XX:AOTMode=on: uid/gid 65532,
#     read-only root, tmpfs /tmp, own PID and mount namespaces, one private network namespace (loopback
#     only); wait for readiness, POST /api in strict mode (a durable write through transaction-api over
#     gRPC), read the record back, stop with SIGTERM.
# Needs root for steps 4-5 (chroot, mount, unshare); as non-root it stops after step 3 and says so.
# Bounded: readiness 120 s, shutdown 40 s; usually ~1.5-2.5 min on 2 busy cores.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/java.sh
repo=$PWD
work=$repo/images/target
services=(transaction-api cumsum-api)
fail() { echo "check-images: FAIL $*" >&2; exit 1; }
step() { echo "check-images: $*"; }

[ "$(java_major "$JAVA_HOME")" -ge 25 ] || fail "needs JDK >= 25 (the stand-in base is jlinked from it; the AOT cache needs JEP 514)"
step "base image (stand-in for eclipse-temurin:25-jre)"
images/build-base.sh "$work"

step "jib:buildTar for ${services[*]}"
rm -f cumsum-api/target/jib-image.tar transaction-api/target/jib-image.tar
./mvnw -B -ntp -q -pl cumsum-api,transaction-api -am -DskipTests package jib:buildTar \
  "-Djib.from.image=tar://$work/base.tar" \
  || fail "the Jib build failed (see the Maven output above; 'Main class was not found' on a library module such as proto means it lacks <jib.skip>true</jib.skip>, docs/images.md)"

for svc in "${services[@]}"; do
  tarball=$svc/target/jib-image.tar
  [ -f "$tarball" ] || fail "$tarball was not written"
  rm -rf "${work:?}/$svc" && mkdir -p "$work/$svc/image" "$work/$svc/rootfs"
  tar -xf "$tarball" -C "$work/$svc/image"
  # unpack the layers in manifest order, as a runtime does (Jib writes no whiteouts)
  layers=$(sed -n 's/.*"Layers":\[\([^]]*\)\].*/\1/p' "$work/$svc/image/manifest.json" | tr -d '"' | tr ',' ' ')
  [ -n "$layers" ] || fail "$svc: no layers in manifest.json"
  for layer in $layers; do
    tar --warning=no-unknown-keyword -xzf "$work/$svc/image/$layer" -C "$work/$svc/rootfs"
  done
  "$JAVA_HOME/bin/java" images/ImageCheck.java "$svc" "$work/$svc/image" "$work/$svc/rootfs" "$repo" \
    || fail "$svc: image config check"
done

if [ "$(id -u)" != 0 ]; then
  echo "check-images: SKIPPED running the entrypoints (needs root for chroot/mount/unshare); image configs checked" >&2
  exit 0
fi

pids=()
holder=
# the entrypoint: the child of the unshare process at or under PID $1
entrypoint_of() {
  local pid=$1 child
  while child=$(ps -o pid= --ppid "$pid" | head -n 1 | tr -d ' '); [ -n "$child" ]; do
    [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = unshare ] && { echo "$child"; return; }
    pid=$child
  done
}
cleanup() {
  # unshare ignores SIGTERM while it waits; killing the entrypoint (PID 1 inside) ends the namespace
  for pid in "${pids[@]}"; do
    child=$(entrypoint_of "$pid")
    [ -n "$child" ] && kill -KILL "$child" 2>/dev/null || true
  done
  [ -n "$holder" ] && kill -KILL "$holder" 2>/dev/null || true
}
trap cleanup EXIT
# One network namespace with only loopback: the services use their real ports without clashing with
# anything else on the machine, and nothing leaves the host.
unshare --net sleep 600 &
holder=$!
for _ in $(seq 50); do  # until unshare has switched (else nsenter would join the host's namespace)
  [ "$(readlink /proc/$holder/ns/net 2>/dev/null)" != "$(readlink /proc/self/ns/net)" ] && break
  sleep 0.1
done
[ "$(readlink /proc/$holder/ns/net 2>/dev/null)" != "$(readlink /proc/self/ns/net)" ] || fail "no private network namespace"
in_net() { nsenter --net=/proc/$holder/ns/net "$@"; }
in_net ip link set lo up

# in_image ROOTFS MODE VAR=value... -- CMD...: CMD chrooted into ROOTFS as 65532:65532 with only the
# given environment, in fresh mount + PID namespaces and the private network, with /proc and the usual
# device nodes. MODE ro: the root bind-mounted read-only with a tmpfs on /tmp, as a pod runs it
# (readOnlyRootFilesystem + the chart's emptyDir); MODE rw: the image's own /tmp, writable, as a
# `docker build` RUN step sees it.
in_image() (
  root=$1 mode=$2 vars=(); shift 2
  while [ "$1" != -- ]; do vars+=("$1"); shift; done
  shift
  exec nsenter --net=/proc/$holder/ns/net unshare --mount --pid --fork --kill-child=TERM --propagation private \
    /bin/sh -ec '
      root=$1; mode=$2; shift 2
      mount --bind "$root" "$root"
      if [ "$mode" = ro ]; then
        mount -o remount,bind,ro "$root"
        mount -t tmpfs -o mode=1777,size=512m tmpfs "$root/tmp"
      fi
      mount -t proc proc "$root/proc"
      mount -t tmpfs -o mode=755,size=64k tmpfs "$root/dev"
      for d in null zero full random urandom; do touch "$root/dev/$d"; mount --bind "/dev/$d" "$root/dev/$d"; done
      exec "$@"' sh "$root" "$mode" env -i "${vars[@]}" chroot --userspec=65532:65532 "$root" "$@"
)

# Replays images/aot.Dockerfile on an unpacked image, as `docker build` would (images/build-images.sh):
# the training stage's ENV and exec-form RUN as the image user with a writable /tmp, then the final
# stage's COPY --from=training and ENV. Anything else in the Dockerfile stops the check: the replay
# must not silently differ from what Docker does.
replay_aot() {
  local svc=$1 root=$work/$1/rootfs dockerfile=images/aot.Dockerfile stage=0 line keyword rest
  local train_env=() final_env=() run=() copy=()
  while IFS= read -r line || [ -n "$line" ]; do
    [[ $line =~ ^[[:space:]]*(#|$) ]] && continue
    keyword=${line%% *}; rest=${line#* }
    case $keyword in
      ARG) ;;
      FROM) stage=$((stage + 1)) ;;
      ENV) [[ $rest =~ ^[A-Z_]+=[^[:space:]]+$ ]] || fail "$dockerfile: ENV must be one KEY=value without spaces: $line"
           if [ $stage = 1 ]; then train_env+=("$rest"); else final_env+=("$rest"); fi ;;
      RUN) [ $stage = 1 ] && [[ $rest == \[*\] ]] || fail "$dockerfile: only an exec-form RUN in the training stage: $line"
           mapfile -t run < <(grep -o '"[^"]*"' <<<"$rest" | sed 's/^"//; s/"$//') ;;
      COPY) [ $stage = 2 ] && [[ $rest =~ ^--from=training\ ([^ ]+)\ ([^ ]+)$ ]] || fail "$dockerfile: unexpected COPY: $line"
            copy=("${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}") ;;
      *) fail "$dockerfile: the offline replay does not know $keyword" ;;
    esac
  done <"$dockerfile"
  [ ${#run[@]} -gt 0 ] && [ ${#copy[@]} = 2 ] || fail "$dockerfile: no RUN or no COPY --from=training"
  local env=(); mapfile -t env <"$work/$svc/image/env.list"
  in_image "$root" rw HOME=/ "${env[@]}" "${train_env[@]}" -- "${run[@]}" >"$work/$svc-training.log" 2>&1 \
    || { tail -n 30 "$work/$svc-training.log" >&2; fail "$svc: the AOT training run failed"; }
  [ -s "$root${copy[0]}" ] || fail "$svc: the training run wrote no ${copy[0]}"
  # COPY keeps the file's mode and makes root its owner
  install -D -m "$(stat -c %a "$root${copy[0]}")" -o 0 -g 0 "$root${copy[0]}" "$root${copy[1]}"
  # the training stage's files are not in the final image
  find "$root/tmp" -mindepth 1 -delete
  printf '%s\n' "${final_env[@]}" >>"$work/$svc/image/env.list"
  step "$svc: AOT cache $(du -m "$root${copy[1]}" | cut -f1) MiB at ${copy[1]} (${final_env[*]})"
}

step "JDK AOT cache: replaying images/aot.Dockerfile on both images (chroot, uid 65532)"
for svc in "${services[@]}"; do replay_aot "$svc"; done

# start SERVICE ENV... -- ARGS...: the image's Env and entrypoint, the pod's env, then ARGS.
start() {
  local svc=$1; shift
  local root=$work/$svc/rootfs env=() args=()
  mapfile -t env <"$work/$svc/image/env.list"
  mapfile -t args <"$work/$svc/image/entrypoint.args"
  while [ "$1" != -- ]; do env+=("$1"); shift; done
  shift
  in_image "$root" ro HOME=/ HOSTNAME="$svc-0" "${env[@]}" -- "${args[@]}" "$@" >"$work/$svc.log" 2>&1 &
  pids+=($!)
}

ready() { in_net curl -fsS -m 2 -o /dev/null "http://127.0.0.1:$1/actuator/health/readiness" 2>/dev/null; }
logs() { for svc in "${services[@]}"; do echo "--- $svc.log (tail)" >&2; tail -n 40 "$work/$svc.log" >&2 || true; done; }

step "running both entrypoints (chroot, uid 65532, read-only root, private network namespace)"
# The chart's JVM options (memory limit as MaxRAM + javaToolOptions), plus AOTMode=on: a JVM that cannot
# use the image's AOT cache exits instead of quietly starting slowly.
. bench/lib/chart-jvm.sh
common=(POD_NAMESPACE=check-images LOGGING_STRUCTURED_FORMAT_CONSOLE=ecs MANAGEMENT_TRACING_SAMPLING_PROBABILITY=0
  "JAVA_TOOL_OPTIONS=$CHART_JVM_OPTS -XX:AOTMode=on")
# no SPRING_MONGODB_URI: the embedded store, with its files on the writable /tmp
start transaction-api POD_NAME=transaction-api-0 HISTORY_STORE_RETENTION=7d "${common[@]}" \
  -- --history.embedded.data-dir=/tmp/data
start cumsum-api POD_NAME=cumsum-api-0 CUMSUM_DELIVERY_MODE=strict TRANSACTION_API_TARGET=static://localhost:9090 \
  CUMSUM_HISTORY_TOKEN=check-images-token "${common[@]}" --

started=$(date +%s%N)
deadline=$((SECONDS + 120))
for port in 9091 8081; do
  until ready "$port"; do
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null || { logs; fail "a container exited before it was ready"; }; done
    [ $SECONDS -lt $deadline ] || { logs; fail "not ready on :$port/actuator/health/readiness within 120 s"; }
    sleep 0.1
  done
  step ":$port ready $(( ($(date +%s%N) - started) / 1000000 )) ms after both were started (together, on 2 cores)"
done

body=$(in_net curl -sS -m 10 -w '\n%{http_code}' -H 'Content-Type: application/json' -d '{"arr":[1,2,3]}' \
  http://127.0.0.1:8080/api) || { logs; fail "POST /api did not answer"; }
code=${body##*$'\n'}; body=${body%$'\n'*}
[ "$code" = 200 ] || { logs; fail "POST /api returned $code: $body"; }
[[ $body == *'"data":[1,3,6]'* ]] || fail "POST /api answered $body, expected data [1,3,6]"
id=$(sed -n 's/.*"request_id":"\([^"]*\)".*/\1/p' <<<"$body")
[ -n "$id" ] || fail "no request_id in $body"
record=$(in_net curl -fsS -m 10 -H 'Authorization: Bearer check-images-token' "http://127.0.0.1:8080/api/transactions/$id") || { logs; fail "GET /api/transactions/$id"; }
[[ $record == *"$id"* && $record == *'[1,3,6]'* ]] || fail "stored record does not match: $record"
step "POST /api -> [1,3,6] (strict: stored by transaction-api, read back as $id)"

# graceful stop, as the kubelet does: SIGTERM to the entrypoint (PID 1 of its namespace)
# ($pid runs unshare, which waits for its child: the entrypoint, PID 1 inside)
for pid in "${pids[@]}"; do
  child=$(entrypoint_of "$pid")
  [ -n "$child" ] || fail "no entrypoint process under unshare $pid"
  kill -TERM "$child"
done
for i in "${!pids[@]}"; do
  pid=${pids[$i]}
  for _ in $(seq 40); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
  kill -0 "$pid" 2>/dev/null && { logs; fail "${services[$i]} still running 40 s after SIGTERM"; }
  wait "$pid" || true
done
pids=()
for svc in "${services[@]}"; do
  grep -qi 'graceful shutdown\|Stopping\|shutdown' "$work/$svc.log" || echo "check-images: WARN no shutdown log line from $svc" >&2
done
step "OK: both images built from the pom configuration, configs checked, entrypoints served and stopped"
