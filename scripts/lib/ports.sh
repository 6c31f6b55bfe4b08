# Sourced by the scripts that start servers: refuse a port that is already taken, and check that what
# answers on a port is the process the script started (the listening socket's pid, from `ss -ltnp`),
# so that a run never passes on someone else's server. Needs `ss` (Debian package iproute2).

# port_in_use PORT: true if anything listens on PORT (any address).
port_in_use() {
  if command -v ss >/dev/null 2>&1; then
    [ -n "$(ss -Hltn "sport = :$1" 2>/dev/null)" ]
  else
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
  fi
}

# require_free_ports WHO PORT:WHAT...: exits with a clear message naming every taken port and its owner.
require_free_ports() {
  local who="$1" spec port what taken=0
  shift
  for spec in "$@"; do
    port="${spec%%:*}"
    what="${spec#*:}"
    if port_in_use "$port"; then
      echo "$who: port $port ($what) is already in use$(port_owner_text "$port"); stop that process or choose another port" >&2
      taken=1
    fi
  done
  [ "$taken" = 0 ] || exit 1
}

port_owner_text() {
  command -v ss >/dev/null 2>&1 || return 0
  local users
  users="$(ss -Hltnp "sport = :$1" 2>/dev/null | sed -n 's/.*users:((\(.*\)))$/\1/p' | head -n 1)"
  [ -z "$users" ] || echo " by $users"
}

# listener_pids PORT: pids of the processes listening on PORT.
listener_pids() {
  ss -Hltnp "sport = :$1" 2>/dev/null | grep -o 'pid=[0-9]*' | cut -d= -f2 | sort -u
}

# is_same_or_child PID ANCESTOR: true if PID is ANCESTOR or one of its descendants.
is_same_or_child() {
  local pid="$1"
  while [ -n "$pid" ] && [ "$pid" -gt 1 ] 2>/dev/null; do
    [ "$pid" = "$2" ] && return 0
    pid="$(awk '{print $4}' "/proc/$pid/stat" 2>/dev/null)"
  done
  return 1
}

# require_owner WHO PORT PID WHAT: exits unless the process listening on PORT is PID (or its child).
require_owner() {
  local who="$1" port="$2" pid="$3" what="$4" p
  if ! command -v ss >/dev/null 2>&1; then
    echo "$who: cannot check who listens on port $port: ss missing (Debian: apt-get install -y iproute2)" >&2
    exit 1
  fi
  for p in $(listener_pids "$port"); do
    if is_same_or_child "$p" "$pid"; then
      return 0
    fi
  done
  echo "$who: port $port answers, but not from the $what this script started (pid $pid)$(port_owner_text "$port")" >&2
  exit 1
}
