#!/usr/bin/env bash
# Loopback benchmark: edicom -> edicom against DCMTK storescu/echoscu -> storescp, in one invocation on
# 127.0.0.1, and the raw loopback TCP rate for reference. For each row it prints objects/s, MB/s, CPU
# seconds and peak RSS of each side, and the ratio ours/DCMTK (throughput; >1 is faster).
#
#   benchmarks/loopback/run.sh [--quick]
#
# Both sides discard what they receive (storescp --ignore, edicom scp --discard), use a 128 KiB maximum
# PDU, and DCMTK gets TCP_NODELAY=1 (without it Nagle stalls it 40 ms per message). Needs dcmtk and GNU
# time (apt packages dcmtk, time) and builds edicom with ./build.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
quick=0
[ "${1:-}" = "--quick" ] && quick=1

for tool in storescp storescu echoscu; do command -v $tool >/dev/null || { echo "needs dcmtk (apt-get install dcmtk)" >&2; exit 1; }; done
[ -x /usr/bin/time ] || { echo "needs GNU time (apt-get install time)" >&2; exit 1; }
./build.sh linux-x64 >/dev/null
edicom=$PWD/artifacts/linux-x64/edicom
work=$(mktemp -d)
trap 'rm -rf "$work"; kill $(jobs -p) 2>/dev/null || true' EXIT
export TCP_NODELAY=1

echoes=20000; small=1000; ct=200; big=20
[ $quick = 1 ] && { echoes=2000; small=200; ct=40; big=4; }

echo "generating objects in $work ..."
"$edicom" demo --samples "$work/small" --count $small --size 40 >/dev/null   # 1,600 B pixels, ~2 KB objects
"$edicom" demo --samples "$work/ct" --count $ct --size 724 >/dev/null        # 524,176 B pixels: 512 KiB
"$edicom" demo --samples "$work/big" --count $big --size 4580 >/dev/null     # 20,976,400 B pixels: 20 MiB

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# run_side NAME SERVER_CMD CLIENT_CMD: times both processes; prints "wall client_cpu client_rss server_cpu server_rss"
run_pair() {
  local server_cmd=$1 client_cmd=$2
  /usr/bin/time -f "%U %S %M" -o "$work/server.time" bash -c "exec $server_cmd" >"$work/server.log" 2>&1 &
  local server=$!
  for _ in $(seq 100); do
    if grep -q "listening on" "$work/server.log" 2>/dev/null || ss -ltn 2>/dev/null | grep -q ":$port "; then break; fi
    sleep 0.05
  done
  sleep 0.2
  local start end
  start=$(date +%s.%N)
  /usr/bin/time -f "%U %S %M" -o "$work/client.time" bash -c "exec $client_cmd" >"$work/client.log" 2>&1 || { echo "client failed:"; tail -5 "$work/client.log"; }
  end=$(date +%s.%N)
  # The server is a child of time(1): signal the real server, then time(1) exits and writes its figures.
  pkill -TERM -P $server 2>/dev/null || true
  wait $server 2>/dev/null || true
  read -r cu cs crss < <(tail -n 1 "$work/client.time")
  read -r su ss srss < <(tail -n 1 "$work/server.time")
  echo "$(echo "$end - $start" | bc -l) $(echo "$cu + $cs" | bc -l) $crss $(echo "$su + $ss" | bc -l) $srss"
}

printf "%-34s %-7s %10s %9s %8s %8s %8s %8s %7s\n" row side objects/s MB/s cliCPU cliRSS srvCPU srvRSS ratio
row() {
  local name=$1 count=$2 bytes=$3 ours=$4 theirs=$5
  read -r w1 c1 r1 s1 q1 <<<"$ours"
  read -r w2 c2 r2 s2 q2 <<<"$theirs"
  local ops1 ops2 mbs1 mbs2
  ops1=$(echo "$count / $w1" | bc -l); ops2=$(echo "$count / $w2" | bc -l)
  mbs1=$(echo "$bytes / $w1 / 1000000" | bc -l); mbs2=$(echo "$bytes / $w2 / 1000000" | bc -l)
  printf "%-34s %-7s %10.1f %9.1f %7.2fs %6dMB %7.2fs %6dMB %7.2f\n" "$name" edicom "$ops1" "$mbs1" "$c1" $((r1/1024)) "$s1" $((q1/1024)) "$(echo "$ops1 / $ops2" | bc -l)"
  printf "%-34s %-7s %10.1f %9.1f %7.2fs %6dMB %7.2fs %6dMB\n" "" DCMTK "$ops2" "$mbs2" "$c2" $((r2/1024)) "$s2" $((q2/1024))
}

dir_bytes() { du -sb "$1" | cut -f1; }

# 1. C-ECHO on one association
port=$(free_port)
ours=$(run_pair "$edicom scp $port --discard" "$edicom echo 127.0.0.1 $port --repeat $echoes")
port=$(free_port)
theirs=$(run_pair "storescp --ignore $port" "echoscu --repeat $echoes 127.0.0.1 $port")
row "C-ECHO x$echoes" $echoes 0 "$ours" "$theirs"

store_row() {
  local name=$1 folder=$2 count=$3
  local bytes; bytes=$(dir_bytes "$folder")
  port=$(free_port)
  ours=$(run_pair "$edicom scp $port --discard --max-pdu 131072" "$edicom store 127.0.0.1 $port $folder --max-pdu 131072")
  port=$(free_port)
  theirs=$(run_pair "storescp --ignore --max-pdu 131072 $port" "storescu --max-pdu 131072 +sd 127.0.0.1 $port $folder")
  row "$name" "$count" "$bytes" "$ours" "$theirs"
}

store_row "C-STORE ~2 KB x$small" "$work/small" $small

# The same small objects with edicom's asynchronous-operations window (16 C-STOREs in flight, PS3.7 D.3.3.3).
# DCMTK's storescu/storescp do not negotiate a window, so its side is the synchronous run again.
bytes=$(dir_bytes "$work/small")
port=$(free_port)
ours=$(run_pair "$edicom scp $port --discard --max-ops 16" "$edicom store 127.0.0.1 $port $work/small --max-ops 16")
port=$(free_port)
theirs=$(run_pair "storescp --ignore $port" "storescu +sd 127.0.0.1 $port $work/small")
row "C-STORE ~2 KB x$small, 16 in flight" "$small" "$bytes" "$ours" "$theirs"
store_row "C-STORE 512 KiB x$ct (128 KiB PDU)" "$work/ct" $ct
store_row "C-STORE 20 MiB x$big" "$work/big" $big

# Raw loopback TCP: one connection, 1 GiB (quick: 256 MiB) through the kernel, as the ceiling for bulk rows.
raw_bytes=$((1024 * 1024 * 1024)); [ $quick = 1 ] && raw_bytes=$((256 * 1024 * 1024))
raw=$(python3 - "$raw_bytes" <<'PY'
import socket, sys, threading, time
total = int(sys.argv[1]); chunk = b"\0" * (1 << 20)
srv = socket.socket(); srv.bind(("127.0.0.1", 0)); srv.listen(1); port = srv.getsockname()[1]
def sink():
    c, _ = srv.accept(); got = 0
    while True:
        b = c.recv(1 << 20)
        if not b: break
        got += len(b)
t = threading.Thread(target=sink); t.start()
s = socket.create_connection(("127.0.0.1", port)); start = time.time(); sent = 0
while sent < total:
    s.sendall(chunk); sent += len(chunk)
s.close(); t.join(); print("%.1f" % (total / (time.time() - start) / 1e6))
PY
)
echo "raw loopback TCP (python sockets, 1 MiB writes): $raw MB/s"
