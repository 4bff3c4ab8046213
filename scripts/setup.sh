#!/usr/bin/env bash
# Installs from Debian whatever aimcsim needs to build, test and plot. Idempotent:
# prints nothing and installs nothing when everything is already present.
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libsystemc-dev libeigen3-dev libyaml-cpp-dev
  nlohmann-json3-dev libcli11-dev libfmt-dev
  libgtest-dev googletest
  clang libclang-rt-14-dev  # scripts/fuzz.sh: libFuzzer harnesses (tests/fuzz)
  time
  python3-matplotlib  # scripts/study-report.py (with /usr/bin/python3)
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "setup: installing ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
