#!/usr/bin/env bash
# Creates artifacts/sysroots/bullseye-arm64: the Debian 11 (bullseye) arm64 C library, headers and libgcc,
# downloaded from the Debian archive with a private apt state (the host's apt configuration is not touched).
# Used by Board.props to link edicom and libedicom.so for glibc 2.31 boards, and by the tests to run them
# under qemu-aarch64-static -L <sysroot>.
set -euo pipefail
cd "$(dirname "$0")/../.."
sysroot=$PWD/artifacts/sysroots/bullseye-arm64
[ -f "$sysroot/.complete" ] && exit 0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/lists/partial" "$work/debs"
echo "deb http://deb.debian.org/debian bullseye main" >"$work/sources.list"
o=(-oAPT::Architecture=arm64 -oAPT::Architectures=arm64 -oDir::State::Lists="$work/lists" -oDir::Etc::SourceList="$work/sources.list"
   -oDir::Etc::SourceParts=/dev/null -oDir::Cache="$work" -oDebug::NoLocking=1)
apt-get "${o[@]}" update -qq 2>/dev/null
(cd "$work/debs" && apt-get "${o[@]}" -qq download libc6 libc6-dev libgcc-10-dev libgcc-s1 linux-libc-dev 2>/dev/null)

rm -rf "$sysroot"
mkdir -p "$sysroot"
for deb in "$work"/debs/*.deb; do dpkg -x "$deb" "$sysroot"; done
# The packages hold absolute symlinks (libm.so -> /lib/aarch64-linux-gnu/libm.so.6): make them relative so
# that they resolve inside the sysroot, for the linker and for qemu -L.
(cd "$sysroot" && find . -type l | while read -r link; do
  target=$(readlink "$link")
  case $target in /*) ln -sfn "$(realpath -m --relative-to="$(dirname "$link")" ".$target")" "$link" ;; esac
done)
touch "$sysroot/.complete"
echo "sysroot.sh: $sysroot (glibc $(ls "$sysroot"/lib/aarch64-linux-gnu/libc-*.so | sed 's/.*libc-\(.*\)\.so/\1/'))"
