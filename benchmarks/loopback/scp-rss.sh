#!/usr/bin/env bash
# Resident memory of an SCP receiving 20 MiB objects (README, "Measured"): `edicom scp --out DIR` against DCMTK
# `storescp -od DIR` in the same run, each receiving the same 5 x 20 MiB objects from `edicom store` on
# 127.0.0.1. Per run and server: RSS when idle (VmRSS after start), peak while receiving (VmHWM right after
# the last object), and the lifetime peak ru_maxrss reported by GNU time after a clean stop (SIGTERM), in KiB.
#
#   benchmarks/loopback/scp-rss.sh [RUNS]     (default 3)
#
# Needs dcmtk and GNU time (apt packages dcmtk, time) and the artifacts of ./build.sh linux-x64.
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-3}
command -v storescp >/dev/null || { echo "needs dcmtk (apt-get install dcmtk)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "needs GNU time (apt-get install time)" >&2; exit 1; }
edicom=$PWD/artifacts/linux-x64/edicom
[ -x "$edicom" ] || { echo "run ./build.sh linux-x64 first" >&2; exit 1; }
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
export TCP_NODELAY=1
"$edicom" demo --samples "$work/big" --count 5 --size 4580 >/dev/null # 20,976,400 B of pixels each

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
kib() { awk -v k="$1" '$1 == k":" {print $2}' "/proc/$2/status"; }

# measure NAME PROGRAM ARGS...: starts the server under GNU time (PORT in ARGS is replaced), sends, stops it.
measure() {
  local name=$1; shift
  local port out server pid idle peak
  port=$(free_port)
  out="$work/out-$name"
  rm -rf "$out"; mkdir "$out"
  local args=("${@//PORT/$port}")
  args=("${args[@]//OUT/$out}")
  /usr/bin/time -f "%M" -o "$work/time" "${args[@]}" >"$work/server.log" 2>&1 &
  server=$!
  for _ in $(seq 100); do ss -ltn 2>/dev/null | grep -q ":$port " && break; sleep 0.05; done
  sleep 0.3
  pid=$(pgrep -P "$server")
  idle=$(kib VmRSS "$pid")
  "$edicom" store 127.0.0.1 "$port" "$work/big" >"$work/client.log" 2>&1 || { cat "$work/client.log"; exit 1; }
  sleep 0.3
  peak=$(kib VmHWM "$pid")
  kill -TERM "$pid"
  wait "$server" || true
  printf '%-9s idle %6s KiB   peak while receiving %6s KiB   lifetime peak %6s KiB   files %s\n' \
    "$name" "$idle" "$peak" "$(tail -n 1 "$work/time")" "$(find "$out" -type f | wc -l)"
}

for run in $(seq "$runs"); do
  echo "run $run"
  measure edicom "$edicom" scp PORT --bind 127.0.0.1 --out OUT
  measure storescp storescp -od OUT PORT
done
