#!/usr/bin/env bash
# The main job: the store-and-forward agent on the simulated board pushing to a local SCP.
# Builds edicom with NativeAOT, starts `edicom scp` on 127.0.0.1, starts `edicom agent --board sim`, drops
# generated objects into its incoming folder and watches them arrive, then holds delivery with a simulated
# status input (exposure-active), drops more, shows them waiting in the spool, releases the input and
# watches them arrive. Everything lives under artifacts/demo.
set -euo pipefail
cd "$(dirname "$0")"
./build.sh linux-x64
edicom=$PWD/artifacts/linux-x64/edicom
work=$PWD/artifacts/demo
rm -rf "$work"
mkdir -p "$work/received" "$work/incoming"

pids=()
cleanup() { for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

"$edicom" scp 0 --out "$work/received" --aet PACS >"$work/scp.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do grep -q "listening on" "$work/scp.log" && break; sleep 0.1; done
port=$(grep -oE "listening on 127\.0\.0\.1:[0-9]+" "$work/scp.log" | cut -d: -f2)
echo "== edicom scp (the PACS) listening on 127.0.0.1:$port"

cat >"$work/agent.json" <<EOF
{
  "aeTitle": "MODALITY",
  "incoming": "incoming",
  "spool": "spool",
  "quarantine": "quarantine",
  "settleMs": 0,
  "destinations": [ { "name": "pacs", "host": "127.0.0.1", "port": $port, "calledAe": "PACS" } ],
  "rules": [ "hold-while: exposure-active", "pause-on: service-mode" ]
}
EOF
"$edicom" agent --board sim --config "$work/agent.json" >"$work/agent.log" 2>&1 &
agent=$!
pids+=($agent)
for _ in $(seq 100); do grep -q "agent running" "$work/agent.log" && break; sleep 0.1; done
echo "== edicom agent running on the sim board ($work/agent.json)"

received() { find "$work/received" -name '*.dcm' | wc -l; }
wait_for() { for _ in $(seq 200); do [ "$(received)" -ge "$1" ] && return 0; sleep 0.05; done; return 1; }

"$edicom" demo --samples "$work/incoming" --count 10 >/dev/null
wait_for 10
echo "== dropped 10 objects into incoming/: $(received) received by the PACS"

"$edicom" input set exposure-active 1 --config "$work/agent.json"
"$edicom" demo --samples "$work/batch2" --count 10 >/dev/null
for f in "$work"/batch2/*.dcm; do mv "$f" "$work/incoming/study2-$(basename "$f")"; done
sleep 1
echo "== exposure-active = 1 (hold-while): dropped 10 more; the PACS has $(received); the agent says:"
"$edicom" agent status --config "$work/agent.json" | sed 's/^/   /'

"$edicom" input set exposure-active 0 --config "$work/agent.json"
wait_for 20
echo "== exposure-active = 0: $(received) received by the PACS"
"$edicom" agent status --config "$work/agent.json" | sed 's/^/   /'

kill -TERM "$agent"
wait "$agent" || true
echo "== agent log:"
sed 's/^/   /' "$work/agent.log"
[ "$(received)" -eq 20 ]
echo "main job: 20 objects went through the agent's spool to the PACS ($work/received)"
