#!/bin/sh
# make bench: iolab and fio side by side on the same workloads, alternated
# A B A B ... in one run; prints medians and ratios and rewrites BENCHMARKS.md.
# Knobs: BENCH_ROUNDS (default 3), BENCH_SECONDS (default 5), BENCH_DIR
# (scratch directory on a real filesystem for O_DIRECT, default /var/tmp).
set -eu
cd "$(dirname "$0")/.."
command -v fio >/dev/null || { echo "bench: fio is not installed (scripts/deps.sh installs it)" >&2; exit 1; }
# figures of the built-in settings, never of this machine's or user's
# iolab.conf (a [record] dir or a finer sample_interval costs the runs)
export IOLAB_SYSTEM_SETTINGS=/nonexistent/iolab-bench/iolab.conf
export XDG_CONFIG_HOME=/nonexistent/iolab-bench
python3 bench/bench.py "$@"
sh bench/fio_client.sh
