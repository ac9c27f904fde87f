# SPDX-License-Identifier: GPL-2.0
# demo. What "make demo" shows: oomhook with the memcg policy resolving a
#    global OOM by killing the preferred cgroup, and what it recorded.
# mem: 256

. /tests/scenarios/b_setup.sh

say "modprobe oomhook policy=memcg"
must "oomhook loaded" load_core policy=memcg
must "memcg active" wait_policy memcg
say "cat /sys/kernel/oomhook/policy -> $(cat $OH/policy)"
say ""
say "workload: A (user.oomd_prefer) 3 hogs + a leak, B (user.oomd_avoid)"
say "          the largest hog + a heartbeat, C (user.oomd_omit) a middle one; no swap"
b_setup
b_leak
must "the OOM is resolved" wait_until 120 dead "$leaker"
wait_until 10 event_has "outcome=exited"
say ""
say "kernel log:"
dmesg | grep 'oomhook: seq=' | sed 's/^/#   /'
say "/sys/kernel/oomhook/events:"
sed 's/^/#   /' $OH/events
say "/sys/kernel/oomhook/stats (non-zero):"
awk '$2 != 0 { print "#   " $0 }' $OH/stats
say ""
n=0; for p in $a_pids; do alive $p && n=$((n + 1)); done
say "A: $n of 3 processes alive (and the leaker: $(alive $leaker && echo alive || echo dead))"
say "B: $(all_alive $b_pids && echo alive || echo dead), heartbeat $(beating && echo still beating || echo stopped)"
say "C: $(all_alive $c_pids && echo alive || echo dead)"
say "processes the kernel's own OOM killer killed: $(kernel_kills)"
check "A killed as a whole, B and C untouched, kernel killed nothing" \
	sh -c "[ $n = 0 ] && [ $(kernel_kills) = 0 ]"
