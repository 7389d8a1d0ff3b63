#!/bin/sh
# Install the Debian packages iolab needs to build, test and compare itself
# with fio. Only packages that are missing are installed. Needs root (or sudo).
#   scripts/deps.sh               install what building and testing need
#   scripts/deps.sh PKG...        install those instead (make fuzz: clang; make
#                                 screenshots: a PIL and a font to render PNGs)
#   scripts/deps.sh --check-build name what building lacks and exit 1, or
#                                 exit 0; installs nothing (plain `make`)
set -eu

# what the compiler and linker need; the rest is for the tests
BUILD_PKGS="build-essential pkg-config libncurses-dev libaio-dev liburing-dev \
libblkid-dev libxxhash-dev libmd-dev libiniparser-dev"
# libfuse3-dev fuse3: the slow-disk lab's FUSE server (tests/lab/)
PKGS="$BUILD_PKGS libcmocka-dev tmux fio procps python3 strace libfuse3-dev fuse3"
check_only=0
if [ "${1:-}" = "--check-build" ]; then
	check_only=1
	PKGS=$BUILD_PKGS
elif [ $# -gt 0 ]; then
	PKGS="$*"
fi

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
		missing="$missing $p"
	fi
done

[ -z "$missing" ] && exit 0
if [ $check_only = 1 ]; then
	echo "iolab needs these Debian packages to build:$missing" >&2
	echo "run 'make deps' as root to install them ('make run' and 'make test' do it themselves)" >&2
	exit 1
fi

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
