#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The benchmark's smoke test ("make bench-smoke", part of "make check"): one
# scenario, one run, the kernel alone and oomhook, through the whole
# pipeline (root image, guests, results, table, plot); then checks that
# each step produced what the full benchmark relies on.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
res=${1:-$top/.bench/smoke}
rm -rf "$res"
BENCH_CONTENDERS="kernel oomhook" BENCH_SCENARIOS=fast_leak BENCH_RUNS=1 \
	BENCH_MICRO=0 BENCH_CALM_S=3 BENCH_PLOT=fast_leak "$here/run.sh" "$res"

fail=0
ok() { echo "ok - $*"; }
bad() { echo "not ok - $*"; fail=1; }
check() {
	local d=$1
	shift
	if "$@" >/dev/null 2>&1; then ok "$d"; else bad "$d"; fi
}
line() { grep "^episode contender=$1 scenario=fast_leak run=1 " "$res/results"; }
field() { line "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }

check "the kernel's episode is recorded" line kernel
check "oomhook's episode is recorded" line oomhook
check "both calm windows are recorded" test "$(grep -c '^calm ' "$res/results")" = 2
check "memory ran short (an onset)" test "$(field oomhook onset_ms)" != -
check "oomhook resolved it" test "$(field oomhook resolve_ms)" != -
check "by killing the leak, and only the leak" \
	test "$(field oomhook who)" = bench-batch -a "$(field oomhook wrong)" = 0
check "memory came back (>= 200 MB)" test "$(field oomhook freed_mb)" -ge 200
check "oomhook was loaded with the documented chain" \
	grep -q '^loaded: \[tmpfs,memcg\] version' "$res/oomhook/config.txt"
# The kernel would kill this leak too: the kill must be oomhook's.
check "oomhook made the kill (its stats)" grep -q '^kills [1-9]' "$res/oomhook/oomhook-stats"
check "the kernel's killer killed nothing in oomhook's guest" \
	sh -c "! grep -q 'Out of memory: Killed process' '$res/oomhook/dmesg'"
# The oomd convention on the victim: systemd, reading user.oomd_ooms when
# the unit's cgroup empties, takes the kill for an OOM kill.
journal=$res/oomhook/journal
grep 'bench-batch' "$journal" | sed 's/^/# journal: /' | head -n 8
check "systemd saw oomhook's kill as an OOM killer's (user.oomd_ooms)" \
	grep -q 'bench-batch.service: systemd-oomd killed' "$journal"
check "the unit failed with result oom-kill" \
	grep -q "bench-batch.service: Failed with result 'oom-kill'" "$journal"
check "oomhook did not wake while calm" grep -q '^calm contender=oomhook cpu_ms=0 wakeups=0 ' "$res/results"
check "the table has both rows" sh -c "grep -q '^| kernel | [01]/1 ' '$res/report.md' && grep -q '^| oomhook | 1/1 ' '$res/report.md'"
check "the plot was drawn" test -s "$res/plot.png"
grep '^episode' "$res/results"

# The real client: what systemd makes of oomhook's kills at a global OOM
# (the kernel's killer makes it) and on PSI (bench/guest/client.sh).
BENCH_CONTENDERS=oomhook BENCH_CLIENT=1 "$here/run.sh" "$res/client" || true
client=$res/client/oomhook/client
grep '^#' "$client" 2>/dev/null | sed 's/^/# client: /'
check "systemd's client tests ran" test -s "$client"
while read -r line; do
	case $line in
	"ok - "*) ok "systemd: ${line#ok - }" ;;
	"not ok - "*) bad "systemd: ${line#not ok - }" ;;
	esac
done < <(cat "$client" 2>/dev/null)
check "all 10 client tests ran and passed" test "$(grep -c '^ok - ' "$client")" = 10
[ $fail = 0 ] && echo "bench smoke: passed" || { echo "bench smoke: FAILED"; exit 1; }
