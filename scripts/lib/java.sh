# Sourced by the scripts: exports JAVA_HOME pointing at a JDK >= 21 (the build targets 21).
# Order: $JAVA_HOME if new enough, then any JDK under /usr/lib/jvm, newest first.
java_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }
pick_java() {
  local candidate
  for candidate in "${JAVA_HOME:-}" $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do
    candidate="${candidate%/}"
    [ -n "$candidate" ] && [ -x "$candidate/bin/javac" ] || continue
    if [ "$(java_major "$candidate")" -ge 21 ] 2>/dev/null; then
      export JAVA_HOME="$candidate"
      return 0
    fi
  done
  echo "No JDK >= 21 found (checked \$JAVA_HOME and /usr/lib/jvm). Install one, e.g. Temurin 25, and set JAVA_HOME." >&2
  return 1
}
pick_java
