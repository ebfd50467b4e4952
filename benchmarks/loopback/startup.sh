#!/usr/bin/env bash
# Start -> first C-ECHO answered, for the x64 CLI (README, "Measured"): `edicom echo` against DCMTK `echoscu`
# in the same hyperfine run, both to one running `edicom scp` on 127.0.0.1, with the floors that bound what
# any program can reach on this machine: /bin/true (exec alone) and an empty NativeAOT program published
# with the same settings as edicom (size profile, invariant globalization). Prints each median in ms and the
# ratio echoscu / edicom (>1: edicom answers sooner).
#
#   benchmarks/loopback/startup.sh [RUNS]     (default 20 runs each, after 5 warm-up runs)
#
# Needs hyperfine and dcmtk (apt packages) and the artifacts of ./build.sh linux-x64.
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-20}
for tool in hyperfine echoscu; do command -v $tool >/dev/null || { echo "needs $tool (apt-get install hyperfine dcmtk)" >&2; exit 1; }; done
edicom=$PWD/artifacts/linux-x64/edicom
[ -x "$edicom" ] || { echo "run ./build.sh linux-x64 first" >&2; exit 1; }
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
export TCP_NODELAY=1

# The empty program: what the NativeAOT runtime costs before any code of ours runs.
mkdir "$work/empty"
cat >"$work/empty/empty.csproj" <<'EOF'
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <PublishAot>true</PublishAot>
    <InvariantGlobalization>true</InvariantGlobalization>
    <OptimizationPreference>Size</OptimizationPreference>
    <StackTraceSupport>false</StackTraceSupport>
    <StripSymbols>true</StripSymbols>
  </PropertyGroup>
</Project>
EOF
echo 'return 0;' >"$work/empty/Program.cs"
dotnet publish "$work/empty" -c Release -r linux-x64 -o "$work/empty/out" --nologo >"$work/publish.log" 2>&1 \
  || { cat "$work/publish.log"; exit 1; }

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
"$edicom" scp "$port" --bind 127.0.0.1 --discard >"$work/scp.log" 2>&1 &
for _ in $(seq 100); do ss -ltn 2>/dev/null | grep -q "127.0.0.1:$port " && break; sleep 0.05; done

hyperfine -N --warmup 5 --runs "$runs" --export-json "$work/runs.json" \
  "$edicom echo 127.0.0.1 $port" \
  "echoscu 127.0.0.1 $port" \
  "$edicom --version" \
  "$work/empty/out/empty" \
  "/bin/true" >/dev/null

python3 - "$work/runs.json" <<'EOF'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
median = [r["median"] * 1000 for r in results]
names = ["edicom echo (start -> C-ECHO answered)", "echoscu (DCMTK)", "edicom --version (start, no network)",
         "empty NativeAOT program (floor)", "/bin/true (exec floor)"]
for name, value in zip(names, median):
    print(f"{name:42} median {value:6.1f} ms")
print(f"{'ratio echoscu / edicom echo':42} {median[1] / median[0]:6.2f}")
EOF
