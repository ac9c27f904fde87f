#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# oomhook's own micro-measurements ("make bench-micro", and the last step
# of "make bench"): the tests' bench_latency scenario in one QEMU guest
# (stock kernel), oomhook's global-OOM decisions beside the kernel's own at
# 10 to 10,000 cgroups; its "# bench" lines kept in RESULTS_DIR/micro, the
# table in RESULTS_DIR/micro.md.  With --readme, the table also goes
# between the micro markers of bench/README.md and the lines into
# bench/results/micro.
#
#   bench/micro.sh [RESULTS_DIR] [--readme]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
. "$top/tests/common.sh"
res=
readme=
for a in "$@"; do
	case $a in
	--readme) readme=1 ;;
	*) res=$a ;;
	esac
done
if [ -z "$res" ]; then
	res=$top/.bench/micro-$(date +%Y%m%d-%H%M%S)
	readme=1
fi
mkdir -p "$res"
out=$res/micro.log
begin=$(date +%s)
if ! OOMHOOK_WORK="$res/work/vm" "$top/tests/vm/run.sh" bench_latency >"$out" 2>&1; then
	tail -n 40 "$out"
	exit 1
fi
sed -n 's/^ *# bench //p' "$out" >"$res/micro"
{
	printf 'Setup: kernel %s, 1024 MB, 2 CPUs, QEMU TCG on %s host CPU(s); ' \
		"$(stock_kver)" "$(nproc)"
	printf 'oomhook %s (%s); %s s; date %s.\n\n' \
		"$(make -s --no-print-directory -C "$top" version)" \
		"$(git -C "$top" describe --always --dirty 2>/dev/null || echo unknown)" \
		"$(( $(date +%s) - begin ))" "$(date -u +%F)"
	awk -f "$here/lib.awk" -f "$here/micro.awk" "$res/micro"
} >"$res/micro.md"
if [ -n "$readme" ]; then
	awk -v name=micro -v table="$res/micro.md" -f "$here/section.awk" \
		"$here/README.md" >"$here/README.md.new"
	mv "$here/README.md.new" "$here/README.md"
	mkdir -p "$here/results"
	cp "$res/micro" "$here/results/micro"
	echo "bench/README.md and bench/results/micro updated from $res"
fi
cat "$res/micro.md"
