#!/usr/bin/env bash
# JMH microbenchmarks of the cum-sum kernels and the JSON path; prints JMH's table.
#   bench/jmh/run.sh                 # all, ~5 minutes
#   bench/jmh/run.sh -f 1 -wi 1 -i 1 -r 1 -w 1   # quick look (JMH options pass through)
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib/java.sh
./mvnw -B -q -ntp -pl bench/jmh -am package -DskipTests
cd bench/jmh
exec "$JAVA_HOME/bin/java" -cp "target/classes:$(cat target/classpath.txt)" org.openjdk.jmh.Main "$@"
