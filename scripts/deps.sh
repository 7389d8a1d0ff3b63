#!/bin/sh
# Install the Debian packages iolab needs to build, test and compare itself
# with fio. Only packages that are missing are installed. Needs root (or sudo).
set -eu

PKGS="build-essential pkg-config libncurses-dev libaio-dev liburing-dev \
libcmocka-dev libblkid-dev libxxhash-dev libmd-dev tmux fio \
procps python3"
# `scripts/deps.sh PKG...` installs those instead (make fuzz: clang; make
# screenshots: a PIL and a font to render PNGs)
[ $# -gt 0 ] && PKGS="$*"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
		missing="$missing $p"
	fi
done

[ -z "$missing" ] && exit 0

echo "deps: installing:$missing"
SUDO=""
if [ "$(id -u)" != 0 ]; then
	if command -v sudo >/dev/null 2>&1; then SUDO=sudo
	else echo "deps: need root to install:$missing" >&2; exit 1; fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq || echo "deps: apt-get update failed; trying the cached lists" >&2
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
