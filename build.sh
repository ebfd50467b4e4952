#!/usr/bin/env bash
# Publishes the edicom CLI with NativeAOT into artifacts/<rid>/edicom (default rid: linux-x64).
# Fails when the publish reports any warning: every trim/AOT warning (IL2xxx/IL3xxx) is a defect.
set -euo pipefail
cd "$(dirname "$0")"
rid=${1:-linux-x64}

# NativeAOT links with the platform C toolchain (clang or gcc); a fresh Debian machine may lack both.
if ! command -v clang >/dev/null 2>&1 && ! command -v gcc >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null && apt-get install -y -qq clang zlib1g-dev >/dev/null
fi

out="artifacts/$rid"
staging=$(mktemp -d)
log=$(mktemp)
trap 'rm -rf "$staging" "$log"' EXIT
mkdir -p "$out"

if ! dotnet publish src/Embedded.Dicom.Cli -c Release -r "$rid" -o "$staging" -p:TrimmerSingleWarn=false --nologo >"$log" 2>&1; then
  cat "$log"
  echo "build.sh: publish failed" >&2
  exit 1
fi

if grep -E ": warning [A-Z]+[0-9]+" "$log" >&2; then
  echo "build.sh: the publish reported warnings (listed above); AOT/trim warnings are errors here" >&2
  exit 1
fi

cp "$staging/edicom" "$out/edicom"
echo "build.sh: $out/edicom ($(stat -c %s "$out/edicom") bytes), no warnings"
