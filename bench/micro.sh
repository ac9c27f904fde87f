#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# oomhook's own micro-measurements: the tests' bench_latency scenario in a
# QEMU guest (stock kernel), its "# bench" lines kept in RESULTS_DIR/micro.
#
#   bench/micro.sh RESULTS_DIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
res=$1
mkdir -p "$res"
out=$res/micro.log
if ! OOMHOOK_WORK="$res/work/vm" "$top/tests/vm/run.sh" bench_latency >"$out" 2>&1; then
	tail -n 40 "$out"
	exit 1
fi
sed -n 's/^ *# bench //p' "$out" >"$res/micro"
cat "$res/micro"
