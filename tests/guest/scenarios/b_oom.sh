# SPDX-License-Identifier: GPL-2.0
# b. Global OOM with cgroups A (prefer, several processes), B (avoid) and
#    C (omit): every process of A dies, B and C survive, the kernel's own
#    killer kills nothing.  b_kernel runs the same workload without oomhook.
# mem: 256

. /tests/scenarios/b_setup.sh

must "modprobe oomhook policy=memcg" load_core policy=memcg
must "memcg active" wait_policy memcg
echo 1 > /sys/kernel/tracing/events/oomhook/enable
pollwait $OH/events 120000 > /tmp/poll.out &
pollpid=$!

b_setup
b_leak
must "the OOM is resolved: the leaker died" wait_until 120 dead "$leaker"
wait_until 10 emptied A

say "events: $(cat $OH/events)"
check "every process of A died" all_dead $a_pids "$leaker"
check "A is empty" emptied A
check "B (avoid) survived" all_alive $b_pids
check "C (omit) survived" all_alive $c_pids
check "B's heartbeat still beats" beating
check "the kernel's OOM killer killed nothing" eq "$(kernel_kills)" 0
check "no 'Killed process' in the kernel log" sh -c '! dmesg | grep -q "Killed process"'
check "the event names memcg and /A" event_has "trigger=oom" "policy=memcg" "action=kill" "victim=/A"
check "the victim's exit was seen" wait_until 10 event_has "victim=/A" "outcome=exited"
check "poll() on events woke up" wait_until 10 grep -q woken /tmp/poll.out
check "one kill counted" eq "$(stat_of kills)" 1
# The oomd convention, written by the follow-up in the OOM path.
check "user.oomd_ooms on /A is 1" wait_until 5 sh -c \
	"[ \"\$(xattr get $CG/A user.oomd_ooms)\" = 1 ]"
check "user.oomd_kill on /A counts its 4 processes" wait_until 5 sh -c \
	"[ \"\$(xattr get $CG/A user.oomd_kill)\" = 4 ]"
check "none on B" sh -c "! xattr get $CG/B user.oomd_ooms"
check "no fallback" eq "$(stat_of fallbacks)" 0
check "the tracepoint saw the action" \
	grep -q 'oomhook_action:.*victim=/A' /sys/kernel/tracing/trace
check "one kernel log line for the action" \
	eq "$(dmesg | grep -c 'oomhook: seq=.*action=kill')" 1
say "kernel log: $(dmesg | grep 'oomhook: seq=')"
kill $pollpid 2>/dev/null
