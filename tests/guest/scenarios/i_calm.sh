# SPDX-License-Identifier: GPL-2.0
# i. Event-driven: with triggers armed (two PSI triggers and the low-memory
#    trigger) and a policy active, oomhook runs no
#    work and starts no timer while the machine is calm (checked with the
#    kernel's workqueue and timer tracepoints, against a positive control).
#    Cooldown: after an action, PSI events are suppressed for cooldown_ms,
#    so one pressure episode yields one action.
# mem: 256

T=/sys/kernel/tracing
trace_on() {
	echo > $T/trace
	for e in workqueue/workqueue_execute_start timer/timer_start \
		 timer/hrtimer_start; do
		echo 1 > $T/events/$e/enable
	done
}
trace_off() {
	for e in workqueue/workqueue_execute_start timer/timer_start \
		 timer/hrtimer_start; do
		echo 0 > $T/events/$e/enable
	done
}

# The second hog must be seen alive within the cooldown, after the first
# one's cgroup emptied: that takes seconds on the debug kernel.
cooldown=$(scaled 4000 10000)
# The low-memory trigger is on too, with its defaults.
LOW=default
must "load with two triggers, cooldown $cooldown ms" load_core policy=memcg \
	cooldown_ms=$cooldown "psi=/:some:150000:1000000"
check "the low trigger is on" test "$(cat $OH/low_mem_pct)" -gt 0
must "memcg active" wait_policy memcg
cg_new S
must "per-cgroup trigger on /S" sh -c "echo 'add /S:some:100000:1000000' > $OH/psi_triggers"
sleep 1

trace_on
sleep 5
trace_off
calm=$(grep -c '\[oomhook\]' $T/trace)
say "oomhook work items and timers in 5 calm seconds: $calm (of $(grep -c . $T/trace) trace lines)"
check "nothing of oomhook ran while calm" eq "$calm" 0

# Positive control: pressure makes oomhook's trigger work show up.
echo 24M > $CG/S/memory.high
trace_on
spawn S hog -s 64 -H
first=$LASTPID
t0=$(now_ms)
must "the first squeezed hog is killed" wait_until 60 dead "$first"
t1=$(now_ms)
trace_off
busy=$(grep -c 'trigger_workfn \[oomhook\]' $T/trace)
say "trigger work items under pressure: $busy"
check "the tracing would have seen oomhook's work" ge "$busy" 1

# The same episode continues: a second hog in S right away.
wait_until 10 sh -c "! grep -q '^populated 1' $CG/S/cgroup.events"
spawn S hog -s 64 -H
second=$LASTPID
sleep 2
check "within the cooldown the second hog lives" alive "$second"
say "the second hog was checked $(( $(now_ms) - t1 )) ms after the first kill was seen"
check "PSI events were suppressed by the cooldown" ge "$(stat_of psi_suppressed_cooldown)" 1
must "after the cooldown it is killed" wait_until 30 dead "$second"
t2=$(now_ms)
say "kills seen at +$((t1 - t0)) ms and +$((t2 - t0)) ms"
# The events' times are the triggers' (monotonic, ns resolution): the
# second fired at least cooldown_ms after the first action, itself after
# the first trigger.
kill_ms() {
	grep 'action=kill' $OH/events | sed -n "${1}s/.* time=\([0-9]*\)\.\([0-9]\{3\}\).*/\1\2/p"
}
say "kill events at $(kill_ms 1) ms and $(kill_ms 2) ms"
check "the two actions are at least cooldown_ms apart" ge "$(( $(kill_ms 2) - $(kill_ms 1) ))" "$cooldown"
check "two kills in all" eq "$(stat_of kills)" 2
check "no OOM" eq "$(kernel_kills)" 0
