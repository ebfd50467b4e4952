#!/usr/bin/env bash
# Agent benchmark: objects/s from the agent's spool to an SCP on 127.0.0.1, compared with `edicom store` of
# the same files to the same SCP in the same run, for small (~2 KB) and CT-sized (512 KiB) objects.
#
#   benchmarks/loopback/agent.sh [--quick]
#
# The spool is filled first while a hold-while input holds delivery (simulated board), so the timed part is
# delivery alone: from releasing the input to the spool being empty. The SCP is `edicom scp --discard`.
# Prints objects/s for both and the ratio agent/store (1 = as fast as a plain SCU).
set -euo pipefail
cd "$(dirname "$0")/../.."
quick=0
[ "${1:-}" = "--quick" ] && quick=1
./build.sh linux-x64 >/dev/null
edicom=$PWD/artifacts/linux-x64/edicom
work=$(mktemp -d -p "${TMPDIR:-/var/tmp}")
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

small=2000; ct=200
[ $quick = 1 ] && { small=300; ct=40; }

"$edicom" scp 0 --discard --aet PACS >"$work/scp.log" 2>&1 &
for _ in $(seq 100); do grep -q "listening on" "$work/scp.log" && break; sleep 0.05; done
port=$(grep -oE "listening on 127\.0\.0\.1:[0-9]+" "$work/scp.log" | cut -d: -f2)

now() { date +%s.%N; }

# bench NAME COUNT SIZE: prints "NAME agent_objs/s store_objs/s ratio"
bench() {
  local name=$1 count=$2 size=$3 dir=$work/$1
  mkdir -p "$dir"
  "$edicom" demo --samples "$dir/objects" --count "$count" --size "$size" >/dev/null

  local start end store agent
  start=$(now)
  "$edicom" store 127.0.0.1 "$port" "$dir/objects" --aec PACS >"$dir/store.log"
  end=$(now)
  store=$(echo "$count / ($end - $start)" | bc -l)

  cat >"$dir/agent.json" <<EOF
{ "incoming": "incoming", "spool": "spool", "quarantine": "quarantine", "settleMs": 0,
  "destinations": [ { "name": "pacs", "host": "127.0.0.1", "port": $port, "calledAe": "PACS" } ],
  "rules": [ "hold-while: exposure-active" ] }
EOF
  mkdir -p "$dir/incoming"
  "$edicom" agent --board sim --config "$dir/agent.json" >"$dir/agent.log" 2>&1 &
  local pid=$!
  for _ in $(seq 100); do grep -q "agent running" "$dir/agent.log" && break; sleep 0.05; done
  "$edicom" input set exposure-active 1 --config "$dir/agent.json" >/dev/null
  # mv may report a moved file as missing when the agent has already taken it: the intake count below is the check.
  mv "$dir"/objects/*.dcm "$dir/incoming/" 2>/dev/null || true
  until "$edicom" agent status --config "$dir/agent.json" | grep -q "intake: $count received"; do sleep 0.1; done

  # The agent logs "pacs: queue drained" when the last object is delivered: wait on its log (tail follows
  # with inotify), not by polling the spool, so that the measurement does not compete for the 2 cores.
  start=$(now)
  "$edicom" input set exposure-active 0 --config "$dir/agent.json" >/dev/null
  grep -m1 -q "pacs: queue drained" <(timeout 600 tail -n +1 -f "$dir/agent.log") || { echo "agent did not drain" >&2; exit 1; }
  end=$(now)
  agent=$(echo "$count / ($end - $start)" | bc -l)
  kill -TERM $pid; wait $pid || true
  printf "%-6s %6d objects  agent %8.0f objects/s   edicom store %8.0f objects/s   agent/store %.2f\n" "$name" "$count" "$agent" "$store" "$(echo "$agent / $store" | bc -l)"
}

echo "agent benchmark on $(nproc) cores, spool under $work"
bench small $small 40     # 1,600 B of pixels: ~2 KB objects
bench ct $ct 724          # 524,176 B of pixels: 512 KiB objects
