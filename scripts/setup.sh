#!/usr/bin/env bash
# Installs what borderland needs (Debian packages, only those missing) and
# builds it into build/. Safe to run again: it skips what is already done.
#   BORDERLAND_BUILD_DIR   build folder (default: build)
#   BORDERLAND_CMAKE_ARGS  extra CMake arguments
#   BORDERLAND_TARGETS     build only these targets (default: all)
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  build-essential cmake ninja-build git pkg-config clang-format
  clang libclang-rt-14-dev
  libeigen3-dev libtbb-dev libyaml-cpp-dev libhdf5-dev hdf5-tools librandom123-dev
  libcli11-dev libfmt-dev libgtest-dev libbenchmark-dev
  libopenmpi-dev openmpi-bin
  python3 python3-numpy python3-scipy python3-pandas python3-h5py python3-matplotlib python3-pytest python3-pil
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

BUILD_DIR=${BORDERLAND_BUILD_DIR:-build}
# shellcheck disable=SC2086
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release ${BORDERLAND_CMAKE_ARGS:-} >/dev/null
# shellcheck disable=SC2086
cmake --build "$BUILD_DIR" --parallel "$(nproc)" ${BORDERLAND_TARGETS:+--target $BORDERLAND_TARGETS}
