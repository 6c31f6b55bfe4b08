# shellcheck shell=bash
# Sourced by the bench scripts: a JDK AOT cache (JEP 483/514/515, JDK 25) for an executable jar, made
# the way the images make theirs (images/aot.Dockerfile): the jar extracted with Spring Boot's tools jar
# mode, a training run with -XX:AOTCacheOutput that sends TRAINING_REQUESTS (read from the Dockerfile)
# through the service's own endpoints and exits, then starts with -XX:AOTCache.
# Needs JAVA and JVM_OPTS set by the caller.

# true when this JVM can write an AOT cache
aot_supported() { "$JAVA" -XX:+PrintFlagsFinal -version 2>/dev/null | grep -q AOTCacheOutput; }

# aot_prepare JAR DIR CPU ARGS...: extracts JAR into DIR/app, trains DIR/app.aot on core CPU with the
# application arguments ARGS (which must make the run self-contained: free ports, cumsum-api with
# delivery off), and prints the command prefix that starts the extracted jar with the cache
aot_prepare() {
  local jar=$1 d=$2 cpu=$3 app training root
  shift 3
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  mkdir -p "$d"
  "$JAVA" -Djarmode=tools -jar "$jar" extract --destination "$d/app" >/dev/null
  app=$(ls "$d"/app/*.jar)
  # a jar built with Spring AOT (process-aot) starts from its generated code, as the images do
  # (Jib's jvmFlags); a jar without it (an older build, for a comparison) starts as before
  local spring_aot=
  if unzip -l "$jar" | grep '__ApplicationContextInitializer.class' >/dev/null; then spring_aot=-Dspring.aot.enabled=true; fi
  # AOT_TRAINING_REQUESTS: another number, to compare (bench/run.sh's aot@N curve forms)
  training=${AOT_TRAINING_REQUESTS:-$(sed -n 's/^ENV TRAINING_REQUESTS=//p' "$root/images/aot.Dockerfile")}
  [ -n "$training" ] || { echo "aot: no TRAINING_REQUESTS in images/aot.Dockerfile" >&2; return 1; }
  # shellcheck disable=SC2086
  (cd "$d" && taskset -c "$cpu" "$JAVA" $JVM_OPTS $spring_aot -XX:AOTCacheOutput="$d/app.aot" -jar "$app" \
    "$@" --training.requests="$training" > "$d/training.log" 2>&1) \
    || { grep -v '\[aot\]' "$d/training.log" | grep -E -m 20 'ERROR|Exception|Training run' >&2
         tail -n 5 "$d/training.log" >&2; echo "aot: training run of $jar failed" >&2; return 1; }
  [ -s "$d/app.aot" ] || { echo "aot: no cache written for $jar" >&2; return 1; }
  echo "$JAVA $JVM_OPTS $spring_aot -XX:AOTCache=$d/app.aot -jar $app"
}
