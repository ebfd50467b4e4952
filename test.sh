#!/usr/bin/env bash
# Runs every test of the repository, installing what the tests need first, and ends with one line
# "N passed, N failed" summed over every test run. Exits non-zero when a test failed, the build failed,
# or no test ran. This is the README's test command; .ci/run calls it.
set -uo pipefail
cd "$(dirname "$0")"

# --- What the tests need from Debian (a fresh machine has only the .NET SDK). ---
need=()
command -v dcmdump >/dev/null 2>&1 || need+=(dcmtk)
command -v cmake >/dev/null 2>&1 || need+=(cmake)
command -v pkg-config >/dev/null 2>&1 || need+=(pkgconf)
command -v gcc >/dev/null 2>&1 || need+=(gcc)
/usr/bin/python3 -c 'import pydicom' >/dev/null 2>&1 || need+=(python3-pydicom)
[ -x /usr/sbin/Orthanc ] || need+=(orthanc) # a loopback peer of the interop tests, started by them on free ports
if [ ${#need[@]} -gt 0 ]; then
  echo "test.sh: installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # The orthanc package's postinst starts its service (as root in CI). The tests start their own Orthanc, so deny
  # every service start during the install with a policy-rc.d (invoke-rc.d and deb-systemd-invoke honour it);
  # only when none exists (Debian images for containers ship one), and removed again afterwards.
  policy_rc_d=
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    trap '[ -n "$policy_rc_d" ] && rm -f "$policy_rc_d"' EXIT # also when interrupted during the install
    printf '#!/bin/sh\n# test.sh: no service starts while it installs packages\nexit 101\n' 2>/dev/null >/usr/sbin/policy-rc.d &&
      chmod 755 /usr/sbin/policy-rc.d && policy_rc_d=/usr/sbin/policy-rc.d
  fi
  apt-get update -qq >/dev/null && apt-get install -y -qq "${need[@]}" >/dev/null
  installed=$?
  [ -n "$policy_rc_d" ] && rm -f "$policy_rc_d"
  if [ "$installed" -ne 0 ]; then
    echo "test.sh: could not install ${need[*]}" >&2
    echo "0 passed, 1 failed"
    exit 1
  fi
  if pgrep -x Orthanc >/dev/null 2>&1; then
    echo "test.sh: warning: an Orthanc service is running after the install (pgrep -a Orthanc); the tests use their own on free ports" >&2
  fi
fi

# DCMTK defaults to Nagle; interop tests give it TCP_NODELAY.
export TCP_NODELAY=1

# The AOT and C-ABI tests run the published artifacts: build.sh publishes edicom and libedicom.so for
# linux-x64 and linux-arm64 (installing the arm64 cross toolchain and qemu-user-static when missing).
if ! ./build.sh; then
  echo "test.sh: ./build.sh failed" >&2
  echo "0 passed, 1 failed"
  exit 1
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT

dotnet test Embedded.sln -c Release --nologo 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# Sum "Passed!/Failed!  - Failed: F, Passed: P, ..." over every test assembly.
read -r passed failed < <(awk '
  /^(Passed|Failed)! +- Failed: +[0-9]+, Passed: +[0-9]+/ {
    gsub(",", ""); f += $4; p += $6
  }
  END { print p + 0, f + 0 }' "$log")

if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1 # the build or a test host failed without reporting a test
fi
echo "$passed passed, $failed failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
