# SPDX-License-Identifier: GPL-2.0
# y. kernel_kill, the default: at a global OOM oomhook chooses and the
#    kernel's own killer kills.  On b_oom's workload, where the kernel
#    alone kills B's big hog (b_kernel), it kills A (prefer) whole: its
#    report names /A, oom_kill rises in A's memory.events and in
#    /proc/vmstat, the reaper frees a process of A that cannot exit (it
#    sleeps in the test module's block file), and the decision is one
#    record, memcg's.  Then the steer is refused or overruled: a chosen
#    cgroup whose processes are all at oom_score_adj -1000 is not killed,
#    and when the kernel's killer picks someone else (a bigger process at
#    oom_score_adj 1000), the chosen cgroup's oom.group and score_adj are
#    restored and the miss is counted.  Last, SysRq-f, for which the
#    kernel kills whatever a notifier says: one kill, oomhook's choice.
# mem: 256

. /tests/scenarios/b_setup.sh

KERNEL_KILL=default
must "modprobe oomhook policy=memcg" load_core policy=memcg
must "memcg active" wait_policy memcg
check "kernel_kill is on by default" eq "$(cat $OH/kernel_kill)" 1
must "modprobe oomhook_fault (for its block file)" modprobe oomhook_fault
BLOCK=/sys/kernel/debug/oomhook_fault/block

oom_kills_of() { awk '$1 == "oom_kill" { print $2 }' "$CG/$1/memory.events"; }
adj_of() { cat "/proc/$1/oom_score_adj"; }
reports() { dmesg | grep 'oom-kill:'; }

b_setup
spawn A hog -s 8 -H -r /tmp/stuck.ready -b $BLOCK
stuck=$LASTPID
must "A's stuck process is up" wait_until 30 ready /tmp/stuck.ready
check "A's oom.group is 0 before" eq "$(cat $CG/A/memory.oom.group)" 0
b_leak
must "the OOM is resolved: the leaker died" wait_until 120 dead "$leaker"
say "events: $(cat $OH/events)"
say "stats: $(grep -E '^(oom_|steer_|kills|fallbacks|kernel_oom)' $OH/stats | tr '\n' ' ')"
say "the kernel's reports: $(reports | tr '\n' ';')"
check "the kernel's OOM report names /A" wait_until 10 sh -c \
	"dmesg | grep -q 'oom-kill:.*task_memcg=/A,'"
check "one report, and none for anything else" eq "$(reports | wc -l)" 1
check "the kernel killed A as a group" sh -c \
	"dmesg | grep -q 'Tasks in /A are going to be killed due to memory.oom.group set'"
# 6.12 counts the first victim twice: it kills it, then the group with it.
check "oom_kill in A's memory.events counts its 5 processes" ge "$(oom_kills_of A)" 5
check "oom_kill in /proc/vmstat" ge "$(kernel_kills)" 5
check "the reaper freed the process that cannot exit" wait_until 15 sh -c \
	"dmesg | grep -q 'oom_reaper: reaped process $stuck '"
echo 0 > $BLOCK
check "A is empty" wait_until 20 emptied A
check "every process of A died" all_dead $a_pids "$leaker" "$stuck"
check "B (avoid) survived" all_alive $b_pids
check "C (omit) survived" all_alive $c_pids
check "B's oom_kill is 0" eq "$(oom_kills_of B)" 0
check "the event names memcg and /A" event_has "trigger=oom" "policy=memcg" \
	"action=kill" "victim=/A"
check "the victim's exit was seen" wait_until 10 event_has "victim=/A" \
	"outcome=exited"
check "the kill is not recorded again as the kernel's own" \
	sh -c "! grep -q 'policy=kernel' $OH/events"
check "the kernel followed the steer once" eq "$(stat_of steer_hits)" 1
check "the notifier left the kill to the kernel" ge "$(stat_of oom_steered)" 1
check "no fallback" eq "$(stat_of fallbacks)" 0
check "A's oom.group is restored once A is empty" wait_until 5 sh -c \
	"[ \"\$(cat $CG/A/memory.oom.group)\" = 0 ]"
check "user.oomd_ooms on /A is 1" wait_until 5 sh -c \
	"[ \"\$(xattr get $CG/A user.oomd_ooms)\" = 1 ]"
check "user.oomd_kill on /A counts its 5 processes" wait_until 5 sh -c \
	"[ \"\$(xattr get $CG/A user.oomd_kill)\" = 5 ]"
kill $b_pids $c_pids
wait_until 20 emptied B
wait_until 20 emptied C

# ---- refused: the chosen cgroup holds only unkillable processes ---------
# Past the cooldown, a fresh decision.
echo 0 > $OH/cooldown_ms
cg_new D
cg_new E
mark D prefer
spawn D hog -s 16 -H -r /tmp/d.ready
d_pid=$LASTPID
must "D is up" wait_until 30 ready /tmp/d.ready
echo -1000 > /proc/$d_pid/oom_score_adj
r0=$(reports | wc -l)
k0=$(kernel_kills)
spawn E hog -c 4
e_pid=$LASTPID
must "the OOM is resolved: E's leaker died" wait_until 120 dead "$e_pid"
say "events: $(tail -n 2 $OH/events | tr '\n' ';')"
check "D's unkillable process lives" alive $d_pid
check "the steer was refused" eq "$(stat_of steer_unkillable)" 1
check "D's oom.group was not touched" eq "$(cat $CG/D/memory.oom.group)" 0
check "its score_adj is still -1000" eq "$(adj_of $d_pid)" -1000
check "the kernel's killer chose for itself: its report names /E" sh -c \
	"dmesg | grep 'oom-kill:' | tail -n +$((r0 + 1)) | grep -q 'task_memcg=/E,'"
check "and it is recorded as the kernel's" wait_until 5 event_has \
	"trigger=oom" "policy=kernel" "victim=/E"
check "D's oom_kill is 0" eq "$(oom_kills_of D)" 0
kill $d_pid
wait_until 10 emptied D
# Past the hold after that fallback, when OOMs are left to the kernel.
sleep $(( $(cat $OH/hold_ms) / 1000 + 1 ))

# ---- missed: the kernel's killer picks a bigger process at 1000 ---------
# G's leaker runs at oom_score_adj 1000 too: with more memory than F's
# process, it outscores it, and the kernel kills it instead.
cg_new F
cg_new G
mark F prefer
mark G omit
spawn F hog -s 8 -H -r /tmp/f.ready
f_pid=$LASTPID
must "F is up" wait_until 30 ready /tmp/f.ready
m0=$(stat_of steer_missed)
missed() { [ "$(stat_of steer_missed)" = $((m0 + 1)) ]; }
restored() { [ "$(adj_of $f_pid)" = 0 ]; }
spawn G sh -c 'echo 1000 > /proc/self/oom_score_adj; exec hog -c 4'
g_leak=$LASTPID
must "the OOM is resolved: G's leaker died" wait_until 120 dead "$g_leak"
say "events: $(tail -n 2 $OH/events | tr '\n' ';')"
say "stats: $(grep -E '^(oom_|steer_)' $OH/stats | tr '\n' ' ')"
check "F lives" alive $f_pid
check "the kernel's report names /G" sh -c \
	"dmesg | grep 'oom-kill:' | tail -n 1 | grep -q 'task_memcg=/G,'"
check "the miss is counted" wait_until 5 missed
check "F's score_adj is restored" wait_until 5 restored
check "F's oom.group is restored" eq "$(cat $CG/F/memory.oom.group)" 0
check "the decision is marked missed" event_has "victim=/F" "outcome=missed"
check "F's oom_kill is 0" eq "$(oom_kills_of F)" 0

kill $f_pid

# ---- SysRq-f: the kernel ignores a notifier's freed pages for it, so a
# kill of oomhook's own would come on top of the kernel's; steered, the
# kernel's one kill is oomhook's choice.
sleep $(( $(cat $OH/hold_ms) / 1000 + 1 ))
cg_new H
cg_new I
mark H prefer
mark I omit
spawn H hog -s 8 -H -r /tmp/h.ready
h_pid=$LASTPID
spawn I hog -s 60 -H -r /tmp/i.ready
i_pid=$LASTPID
must "H and I are up" wait_until 30 ready /tmp/h.ready /tmp/i.ready
r0=$(reports | wc -l)
echo f > /proc/sysrq-trigger
check "SysRq-f killed H" wait_until 20 dead $h_pid
check "and only H: I, the biggest, lives" alive $i_pid
check "one OOM report, naming /H" sh -c \
	"[ \"\$(dmesg | grep 'oom-kill:' | tail -n +$((r0 + 1)) | grep -c 'task_memcg=/H,')\" = 1 ] &&
	 [ \"\$(dmesg | grep -c 'oom-kill:')\" = $((r0 + 1)) ]"
check "the decision is memcg's" wait_until 5 event_has "trigger=oom" \
	"policy=memcg" "victim=/H"
kill $i_pid

# Unload leaves nothing behind.
rmmod_quiet oomhook_fault
check "unload" sh -c "echo none > $OH/policy && rmmod oomhook_memcg && rmmod oomhook"
check "no warning in the kernel log" sh -c "! dmesg | grep -q -E 'WARNING|BUG:'"
