#!/usr/bin/env bash
# Publishes with NativeAOT, for each runtime identifier, the edicom CLI and the C library:
#   artifacts/<rid>/edicom, artifacts/<rid>/libedicom.so   (+ .dbg symbol files beside them)
#   artifacts/include/edicom.h, artifacts/lib/pkgconfig/edicom.pc, artifacts/share/edicom/boards/<board>/board.json
#   ./build.sh               every target: linux-x64, linux-arm64, linux-arm64-bullseye
#   ./build.sh linux-x64     one target (likewise linux-arm64, linux-arm64-bullseye)
# linux-arm64 is cross-compiled on this x64 host with the settings of boards/linux-arm64-generic/Board.props
# (-p:Board=...; glibc >= 2.34 boards); linux-arm64-bullseye links against a Debian 11 sysroot made by
# boards/linux-arm64-bullseye/sysroot.sh (glibc 2.31 boards). The Debian cross toolchain is installed first
# when missing.
# edicom ships with the size profile of NativeAOT.props (-p:AotSizeProfile=true: no stack trace data, size
# optimisation; measured there); edicom.dbg is kept next to it to symbolise edicom!<BaseAddress>+0x... frames.
# Fails when a publish reports any warning: every trim/AOT warning (IL2xxx/IL3xxx) is a defect.
set -euo pipefail
cd "$(dirname "$0")"

case $# in
  0) rids=(linux-x64 linux-arm64 linux-arm64-bullseye) ;;
  1) rids=("$1") ;;
  *) echo "usage: ./build.sh [linux-x64|linux-arm64|linux-arm64-bullseye]" >&2; exit 2 ;;
esac

# Which board props (boards/<name>/Board.props) each target is published with; none for the host.
board_for() {
  case $1 in
    linux-x64) echo "" ;;
    linux-arm64) echo "linux-arm64-generic" ;;
    linux-arm64-bullseye) echo "linux-arm64-bullseye" ;;
    *) echo "build.sh: unsupported target '$1' (linux-x64, linux-arm64 or linux-arm64-bullseye)" >&2; return 1 ;;
  esac
}

# The runtime identifier of a target.
rid_of() { case $1 in linux-arm64*) echo linux-arm64 ;; *) echo "$1" ;; esac; }
for rid in "${rids[@]}"; do board_for "$rid" >/dev/null; done

# --- Toolchain from Debian, installed only when something is missing (dpkg -s), with one apt-get update. ---
need=()
for rid in "${rids[@]}"; do
  case $rid in
    linux-x64)
      # NativeAOT links with the platform C toolchain (clang or gcc); a fresh Debian machine may lack both.
      if ! command -v clang >/dev/null 2>&1 && ! command -v gcc >/dev/null 2>&1; then need+=(clang); fi ;;
    linux-arm64*)
      # clang drives the cross link (--target=aarch64-linux-gnu), lld links, llvm provides llvm-objcopy;
      # gcc-aarch64-linux-gnu brings libgcc/crtbeginS.o, libc6-dev-arm64-cross the sysroot
      # /usr/aarch64-linux-gnu; qemu-user-static runs the result in tests.
      for pkg in clang lld llvm binutils-aarch64-linux-gnu gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user-static; do
        dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
      done ;;
  esac
done
if [ ${#need[@]} -gt 0 ]; then
  mapfile -t need < <(printf '%s\n' "${need[@]}" | sort -u)
  echo "build.sh: installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq "${need[@]}" >/dev/null
fi

staging=$(mktemp -d)
log=$(mktemp)
trap 'rm -rf "$staging" "$log"' EXIT

# publish RID PROJECT EXTRA_PROPERTY...: NativeAOT publish into $staging/<rid>/<project>; any warning fails.
publish_project() {
  local rid=$1 project=$2 board
  shift 2
  board=$(board_for "$rid")
  local args=("$project" -c Release -r "$(rid_of "$rid")" -o "$staging/$rid/$(basename "$project")" -p:TrimmerSingleWarn=false --nologo "$@")
  if [ -n "$board" ]; then args+=("-p:Board=$board"); fi

  if ! dotnet publish "${args[@]}" >"$log" 2>&1; then
    cat "$log"
    echo "build.sh: publish of $project for $rid failed" >&2
    exit 1
  fi

  if grep -E ": warning [A-Z]+[0-9]+" "$log" >&2; then
    echo "build.sh: the $rid publish of $project reported warnings (listed above); AOT/trim warnings are errors here" >&2
    exit 1
  fi
}

# Replace by rename, not by writing over the file: an edicom still running from the old one (a server left
# by run.sh, a test) would make cp fail with "Text file busy".
install_file() {
  cp "$1" "$2.new"
  mv -f "$2.new" "$2"
}

publish() {
  local rid=$1 out="artifacts/$1"
  mkdir -p "$out"
  publish_project "$rid" src/Embedded.Dicom.Cli -p:AotSizeProfile=true
  for file in edicom edicom.dbg; do
    install_file "$staging/$rid/Embedded.Dicom.Cli/$file" "$out/$file"
  done

  # The size profile for the library too (NativeAOT.props): -315,264 B on linux-x64 (3,319,744 -> 3,004,480,
  # measured 2026-11-26). The C ABI reports errors by code and message, never by stack trace; a crash inside
  # the library is symbolised from libedicom.so.dbg, kept beside it.
  publish_project "$rid" src/Embedded.Dicom.Native -p:AotSizeProfile=true
  for file in libedicom.so libedicom.so.dbg; do
    install_file "$staging/$rid/Embedded.Dicom.Native/$file" "$out/$file"
  done
  echo "build.sh: $out/edicom ($(stat -c %s "$out/edicom") bytes), $out/libedicom.so ($(stat -c %s "$out/libedicom.so") bytes), no warnings"
}

# The header and the pkg-config file are the same for every RID (the .pc selects the RID with a variable).
mkdir -p artifacts/include artifacts/lib/pkgconfig
install_file src/Embedded.Dicom.Native/include/edicom.h artifacts/include/edicom.h
version=$(sed -n 's|.*<VersionPrefix>\(.*\)</VersionPrefix>.*|\1|p' Directory.Build.props)
sed "s|@VERSION@|$version|" src/Embedded.Dicom.Native/edicom.pc.in > artifacts/lib/pkgconfig/edicom.pc

# Board profiles, where `edicom agent --board NAME` looks for them next to the binary (<bin>/../share/edicom/boards).
for board in boards/*/board.json; do
  name=$(basename "$(dirname "$board")")
  mkdir -p "artifacts/share/edicom/boards/$name"
  install_file "$board" "artifacts/share/edicom/boards/$name/board.json"
done

for rid in "${rids[@]}"; do
  if [ "$rid" = linux-arm64-bullseye ]; then boards/linux-arm64-bullseye/sysroot.sh; fi
  publish "$rid"
done
