#!/usr/bin/env bash
# Assembles, offline, a stand-in for eclipse-temurin:25-jre as a `docker save` archive that Jib accepts
# as a base (`-Djib.from.image=tar://...`): a jlinked JRE at /opt/java/openjdk (the Temurin path), the
# glibc files it links against, /etc/passwd, /etc/hosts, a world-writable /tmp, and the Temurin image's
# PATH/JAVA_HOME so Jib's `java ...` entrypoint resolves the same way.
# Usage: images/build-base.sh OUT_DIR   (writes OUT_DIR/base.tar; reuses it when the JDK is unchanged)
set -euo pipefail
out=${1:?usage: build-base.sh OUT_DIR}
: "${JAVA_HOME:?JAVA_HOME must point at a JDK >= 21 with jlink}"
mkdir -p "$out"
out=$(cd "$out" && pwd)

# Modules of the two Spring Boot services (jdeps on their runtime classpaths, rounded up: Spring uses
# java.beans from java.desktop, Tomcat (transaction-api) and Jetty (cumsum-api) java.naming/java.management,
# Netty jdk.unsupported, JFR for profiling).
modules=java.base,java.compiler,java.desktop,java.instrument,java.logging,java.management,java.naming,java.net.http,java.rmi,java.scripting,java.security.jgss,java.security.sasl,java.sql,java.transaction.xa,java.xml,jdk.crypto.ec,jdk.jfr,jdk.management,jdk.naming.dns,jdk.net,jdk.unsupported,jdk.zipfs

stamp="$("$JAVA_HOME/bin/java" -version 2>&1 | tr '\n' ' ') $modules $(sha256sum "$0" | cut -c1-16)"
if [ -f "$out/base.tar" ] && [ "$(cat "$out/base.stamp" 2>/dev/null)" = "$stamp" ]; then
  echo "base image: reusing $out/base.tar"
  exit 0
fi

work=$(mktemp -d "$out/base-work.XXXXXX")
trap 'rm -rf "$work"' EXIT
root=$work/rootfs
jre=$root/opt/java/openjdk
mkdir -p "$root/opt/java"
"$JAVA_HOME/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages --output "$jre"

# Shared libraries: everything the launcher, libjvm and the JRE's own libraries load, except the
# AWT/X11 (xawt, jawt), sound and splash-screen ones a headless server never loads (the real base has those too).
# (LD_LIBRARY_PATH: the JRE's libraries find each other, e.g. libjvm, through their own RUNPATH/launcher.)
sos() { find "$jre" -name '*.so' ! -name 'libawt_xawt.so' ! -name 'libjsound.so' ! -name 'libsplashscreen.so' ! -name 'libjawt.so' -print0; }
export LD_LIBRARY_PATH=$jre/lib:$jre/lib/server
libs=$(sos | xargs -0 ldd "$jre/bin/java" 2>/dev/null | awk '/=> \// {print $3} /^\s*\/lib64\// {print $1}' | sort -u)
missing=$(sos | xargs -0 ldd 2>/dev/null | grep 'not found' || true)
unset LD_LIBRARY_PATH
[ -z "$missing" ] || { echo "build-base: unresolved libraries: $missing" >&2; exit 1; }
for f in $libs /lib64/ld-linux-x86-64.so.2; do
  case $f in "$jre"*) continue ;; esac
  mkdir -p "$root$(dirname "$f")"
  cp -L "$f" "$root$f"
done

mkdir -p "$root/etc" "$root/tmp" "$root/proc" "$root/dev" "$root/root"
chmod 1777 "$root/tmp"
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$root/etc/passwd"
printf 'root:x:0:\n' >"$root/etc/group"
printf '127.0.0.1 localhost\n::1 localhost\n' >"$root/etc/hosts"

layer=$work/layer.tar
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -C "$root" -cf "$layer" .
diff_id=$(sha256sum "$layer" | cut -d' ' -f1)
path=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
cat >"$work/config.json" <<EOF
{"architecture":"amd64","os":"linux","created":"1970-01-01T00:00:00Z",
 "config":{"Env":["PATH=$path","JAVA_HOME=/opt/java/openjdk","LANG=en_US.UTF-8","LC_ALL=en_US.UTF-8"]},
 "rootfs":{"type":"layers","diff_ids":["sha256:$diff_id"]},
 "history":[{"created":"1970-01-01T00:00:00Z","created_by":"images/build-base.sh: jlink + glibc"}]}
EOF
config_id=$(sha256sum "$work/config.json" | cut -d' ' -f1)
mkdir -p "$work/img/$diff_id"
mv "$layer" "$work/img/$diff_id/layer.tar"
mv "$work/config.json" "$work/img/$config_id.json"
printf '[{"Config":"%s.json","RepoTags":["local/temurin-jre-standin:25"],"Layers":["%s/layer.tar"]}]\n' \
  "$config_id" "$diff_id" >"$work/img/manifest.json"
# member names without a leading "./": Jib refuses to unpack "./" (treated as outside the destination)
(cd "$work/img" && tar --owner=0 --group=0 --numeric-owner -cf "$out/base.tar.part" manifest.json "$config_id.json" "$diff_id")
mv "$out/base.tar.part" "$out/base.tar"
printf '%s' "$stamp" >"$out/base.stamp"
echo "base image: $out/base.tar ($(du -h "$out/base.tar" | cut -f1), $(wc -w <<<"$libs") host libraries)"
