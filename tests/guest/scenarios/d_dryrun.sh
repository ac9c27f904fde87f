# SPDX-License-Identifier: GPL-2.0
# d. dry_run=1: oomhook kills nothing, and the event says what it would
#    have killed.  The kernel's own killer resolves the OOM instead.
# mem: 256

. /tests/scenarios/b_setup.sh

must "modprobe oomhook policy=memcg dry_run=1" load_core policy=memcg dry_run=1
must "memcg active" wait_policy memcg
check "dry_run reads 1" eq "$(cat $OH/dry_run)" 1

b_setup
b_leak
kernel_acted() { [ "$(kernel_kills)" -ge 1 ]; }
must "the kernel's killer resolved the OOM" wait_until 120 kernel_acted
sleep 1
say "events: $(cat $OH/events)"
say "the kernel killed: $(kernel_victims | tr '\n' ';')"
check "the event says dry-run, memcg would have killed /A" \
	event_has "trigger=oom" "policy=memcg" "action=dry-run" "victim=/A" "fallback=1"
check "oomhook killed nothing" eq "$(stat_of kills)" 0
check "dry runs were counted" ge "$(stat_of dry_runs)" 1
some_alive() {
	for p in "$@"; do alive "$p" && return 0; done
	return 1
}
check "A's cgroup was not killed as a whole" some_alive $a_pids
# The kernel may have picked B's hog rather than the leaker, which then
# leaks on: end it, so that no OOM runs between the counter reads below.
kill -9 "$leaker" 2>/dev/null
must "the leaker is gone" wait_until 60 dead "$leaker"
sleep 1
say "stats: dry_runs $(stat_of dry_runs), fallback_none $(stat_of fallback_none)"
check "each dry run fell back to the kernel" eq "$(stat_of fallback_none)" "$(stat_of dry_runs)"
check "one log line per dry run" \
	eq "$(dmesg | grep -c 'oomhook: seq=.*action=dry-run')" "$(stat_of dry_runs)"
