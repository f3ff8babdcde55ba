#!/usr/bin/env bash
# Installs everything the project needs on Debian 12, from Debian's packages and the
# Rust crate registry only. Idempotent: a second run changes nothing.
#
# Corrosion is not packaged for Debian 12. Debian 13 ships it (CMake files only), so we
# add a Debian 13 source pinned at priority 100: nothing else is ever taken from it
# unless asked for by name with `-t trixie`.
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then
  SUDO=sudo
else
  SUDO=
fi

packages=(
  cmake ninja-build ccache pkg-config g++ clang clang-format libclang-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libpng-dev zlib1g-dev libtomlplusplus-dev nlohmann-json3-dev libcli11-dev
  libcpp-httplib-dev
  netpbm imagemagick valgrind
)

trixie_pin=/etc/apt/preferences.d/imgkit-trixie-pin

# Adds Debian 13 as a source, from the machine's own Debian entry with the suite
# swapped (deb822 `debian.sources`, or a one-line `sources.list`).
add_trixie_source() {
  local deb822=/etc/apt/sources.list.d/debian.sources
  local oneline=/etc/apt/sources.list
  if [ -f /etc/apt/sources.list.d/imgkit-trixie.sources ] ||
    [ -f /etc/apt/sources.list.d/imgkit-trixie.list ]; then
    return 0
  fi
  if [ -f "$deb822" ]; then
    awk 'BEGIN { RS = ""; ORS = "\n" } NR == 1' "$deb822" |
      sed -E 's/^Suites:.*/Suites: trixie/' |
      $SUDO tee /etc/apt/sources.list.d/imgkit-trixie.sources >/dev/null
  elif [ -f "$oneline" ] && grep -qE '^deb ' "$oneline"; then
    grep -m1 -E '^deb ' "$oneline" | awk '{ print $1, $2, "trixie main" }' |
      $SUDO tee /etc/apt/sources.list.d/imgkit-trixie.list >/dev/null
  else
    echo "install-deps: no Debian apt source found to derive a Debian 13 source from" >&2
    exit 1
  fi
  printf 'Package: *\nPin: release n=trixie\nPin-Priority: 100\n' |
    $SUDO tee "$trixie_pin" >/dev/null
}

need_apt=0
for p in "${packages[@]}" corrosion; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need_apt=1
done

if [ "$need_apt" -eq 1 ]; then
  add_trixie_source
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q --no-install-recommends "${packages[@]}"
  $SUDO apt-get install -y -q --no-install-recommends -t trixie corrosion
fi

export PATH="$HOME/.cargo/bin:$PATH"
# Rust: the toolchain is rustup's; clippy and rustfmt are what the lint script runs.
if command -v rustup >/dev/null 2>&1; then
  rustup component add clippy rustfmt >/dev/null 2>&1 || true
fi
cd "$(dirname "$0")/.."
# Fetch every crate now, so the build itself never reaches a registry.
cargo fetch --locked -q

# Corrosion generates the cxx bridge glue with cxxbridge-cmd at exactly the cxx version
# in Cargo.lock; installed once here, it is found on ~/.cargo/bin instead of being
# rebuilt inside every fresh build directory.
cxx_version=$(awk '/^name = "cxx"$/ { getline; gsub(/[^0-9.]/, "", $0); print; exit }' Cargo.lock)
if ! cxxbridge --version 2>/dev/null | grep -qx "cxxbridge $cxx_version"; then
  cargo install --quiet --locked cxxbridge-cmd --version "$cxx_version"
fi
echo "install-deps: done"
