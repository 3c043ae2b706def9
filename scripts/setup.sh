#!/usr/bin/env bash
# Installs what borderland needs (Debian packages, only those missing) and
# builds it into build/. Safe to run again: it skips what is already done.
#   BORDERLAND_BUILD_DIR   build folder (default: build)
#   BORDERLAND_CMAKE_ARGS  extra CMake arguments
#   BORDERLAND_TARGETS     build only these targets (default: all)
#   BORDERLAND_PYTHON_PTH  where to put borderland.pth, which makes `import borderland` work from any
#                          folder (default: Debian's /usr/lib/python3/dist-packages when root, else
#                          the user's site-packages); 'none' installs nothing
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  build-essential cmake ninja-build git pkg-config clang-format
  libtbb-dev libyaml-cpp-dev libhdf5-dev hdf5-tools librandom123-dev
  libcli11-dev libfmt-dev libgtest-dev libbenchmark-dev
  libopenmpi-dev openmpi-bin
  python3 python3-numpy python3-scipy python3-pandas python3-h5py python3-matplotlib python3-pytest python3-pil
  python3-xarray python3-yaml python3-dev pybind11-dev python3-pybind11 python3-nbclient python3-nbformat python3-ipykernel
  chromium
)

SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The viewer's page (viewer/, served by `borderland view`): npm packages from the committed
# lockfile, then the bundle into viewer/dist; both skipped when up to date. Node.js >= 20.19
# (Vite 7, playwright-core); Debian's nodejs is installed only where there is no node at all.
if ! command -v npm >/dev/null; then
  echo "setup: installing nodejs npm (for the viewer's page)"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi
if node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)'; then
  if [[ ! -f viewer/node_modules/.package-lock.json || viewer/package-lock.json -nt viewer/node_modules/.package-lock.json ]]; then
    (cd viewer && npm ci --no-audit --no-fund --loglevel=error)
  fi
  if [[ ! -f viewer/dist/index.html ]] ||
    [[ -n $(find viewer/src viewer/index.html viewer/vite.config.js viewer/package-lock.json -newer viewer/dist/index.html | head -1) ]]; then
    (cd viewer && npm run --silent build -- --logLevel warn)
  fi
else  # the engine and the analysis work without the viewer; its test says what is missing
  echo "setup: warning: the viewer needs Node.js >= 20.19 (found $(node --version)): viewer/dist not built" >&2
fi

BUILD_DIR=${BORDERLAND_BUILD_DIR:-build}
# shellcheck disable=SC2086
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release ${BORDERLAND_CMAKE_ARGS:-} >/dev/null
# shellcheck disable=SC2086
cmake --build "$BUILD_DIR" --parallel "$(nproc)" ${BORDERLAND_TARGETS:+--target $BORDERLAND_TARGETS}

# The Python package: a .pth file naming python/ (the package) and BUILD_DIR/python (its compiled
# module), so /usr/bin/python3 finds `borderland` from any folder. It points at this checkout.
PTH=${BORDERLAND_PYTHON_PTH:-}
if [[ -z $PTH ]]; then
  if [[ $(id -u) -eq 0 ]]; then PTH=/usr/lib/python3/dist-packages/borderland.pth
  else PTH="$(/usr/bin/python3 -m site --user-site)/borderland.pth"; fi
fi
if [[ $PTH != none ]]; then
  mkdir -p "$(dirname "$PTH")"
  printf '%s\n%s\n' "$PWD/python" "$(cd "$BUILD_DIR" && pwd)/python" >"$PTH"
  echo "setup: $PTH -> $PWD/python (import borderland)"
fi
