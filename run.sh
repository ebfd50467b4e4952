#!/usr/bin/env bash
# The main job: builds edicom with NativeAOT, starts it as a Storage SCP on loopback, writes generated
# sample objects and sends them to it with edicom store, then stops the SCP and shows what arrived.
# (Replaced by the device agent on the simulated board once that lands.)
set -euo pipefail
cd "$(dirname "$0")"
./build.sh linux-x64
edicom=artifacts/linux-x64/edicom
work=artifacts/demo
rm -rf "$work"
mkdir -p "$work/received"

"$edicom" scp 0 --out "$work/received" --aet DEMO-SCP >"$work/scp.log" 2>&1 &
scp=$!
trap 'kill -TERM $scp 2>/dev/null || true' EXIT
for _ in $(seq 50); do
  grep -q "listening on" "$work/scp.log" && break
  sleep 0.1
done
port=$(grep -oE "listening on 127\.0\.0\.1:[0-9]+" "$work/scp.log" | cut -d: -f2)
echo "edicom scp listening on 127.0.0.1:$port"

"$edicom" demo --samples "$work/samples" --count 20
"$edicom" echo 127.0.0.1 "$port" --aec DEMO-SCP
"$edicom" store 127.0.0.1 "$port" "$work/samples" --aec DEMO-SCP

kill -TERM $scp
wait $scp || true
trap - EXIT
received=$(find "$work/received" -name '*.dcm' | wc -l)
echo "main job: $received objects received in $work/received"
[ "$received" -eq 20 ]
