# SPDX-License-Identifier: GPL-2.0
# Benchmark (not in ORDER; bench/micro.sh runs it): how long a global-OOM
# decision takes, oomhook's and the kernel's own, side by side in this one
# guest, with 10, 100 and 1,000 populated cgroups, and with 10,000 cgroups
# of which 1,000 are populated.  Both are timed the same way, from the
# tracer: from the entry of out_of_memory() (a kprobe) to the SIGKILL of
# the victim (signal:signal_generate), in the task that holds oom_lock.
# The kernel's rounds run with oomhook loaded but disabled (enabled=0: its
# notifier only counts), among the same tasks; it also records the
# kernel's oom:mark_victim, and when oom_kill_process() is entered, its
# choice made, before its report and its kill.  Then the PSI path's latency (oomhook's own
# latency_us), oomhook's memory footprint, and its wake-ups while the
# machine is calm with a PSI trigger armed.  Everything runs with the
# default budget_ms: a decision that ran out of time is counted.
# mem: 1024
# timeout: 2400

ROUNDS=${BENCH_ROUNDS:-3}
TR=/sys/kernel/tracing
must "zram swap, 256 MB" zram_swap 256M
must "load oomhook" load_core policy=memcg
must "memcg active" wait_policy memcg
cg_new lat
echo "+memory" > $CG/lat/cgroup.subtree_control

# The tracer: one clock for every CPU, the OOM's start, the SIGKILLs, the
# kernel's victims.  A quiet console, so that no printk to the serial port
# lands inside a measured interval (the kernel's or oomhook's).
dmesg -n 1
echo mono > $TR/trace_clock
echo 'p:oomh_start out_of_memory' >> $TR/kprobe_events
must "a kprobe on out_of_memory()" test -d $TR/events/kprobes/oomh_start
echo 1 > $TR/events/kprobes/oomh_start/enable
# The kernel's choice made: oom_kill_process() is entered once
# select_bad_process() is done, before the report and the kill.  Static;
# where the compiler inlined it, there is no such figure.
echo 'p:oomh_choice oom_kill_process' >> $TR/kprobe_events 2>/dev/null
if [ -d $TR/events/kprobes/oomh_choice ]; then
	echo 1 > $TR/events/kprobes/oomh_choice/enable
else
	say "no kprobe on oom_kill_process(): the kernel's choice is not timed apart"
fi
echo 'sig == 9' > $TR/events/signal/signal_generate/filter
echo 1 > $TR/events/signal/signal_generate/enable
echo 1 > $TR/events/oom/mark_victim/enable

# decision_us PID: from the trace of one round, the microseconds from the
# last entry of out_of_memory() before the first SIGKILL sent to PID, to
# that SIGKILL, and to the entry of oom_kill_process() in between (the
# kernel's choice); "-" for what is not there.
decision_us() {
	awk -v pid="$1" '
		function ts(   i) {
			for (i = 1; i <= NF; i++)
				if ($i ~ /^[0-9]+\.[0-9]+:$/)
					return substr($i, 1, length($i) - 1) * 1000000
		}
		/ oomh_start: / && !done { start = ts(); choice = 0 }
		/ oomh_choice: / && !done && start { choice = ts() }
		/ signal_generate: / && $0 ~ (" pid=" pid " ") && !done {
			done = 1
			kill = ts()
		}
		END {
			if (!done || !start) { print "- -"; exit }
			printf "%d %s\n", kill - start,
				choice ? sprintf("%d", choice - start) : "-"
		}' $TR/trace
}
# mark_victim PID: the kernel marked PID as its OOM victim in this round.
marked() { grep -Eq " mark_victim: pid=$1( |\$)" $TR/trace; }
last_latency() {
	grep -E "trigger=$1[: ]" $OH/events | grep "action=kill victim=$2 " | tail -n 1 |
		sed -n 's/.*latency_us=\([0-9]*\).*/\1/p'
}
last_seq() { tail -n 1 $OH/events | sed -n 's/^seq=\([0-9]*\).*/\1/p'; }
killed_after() {
	grep -E "trigger=$1[: ]" $OH/events | grep "action=kill victim=$2 " |
		awk -v s="$3" -F'[= ]' '$2 > s { found = 1 } END { exit !found }'
}

# oom_round WHO SIZE R: a leak in /lat/leak until it dies; WHO (oomhook
# or kernel) must be the one that killed it.
oom_round() {
	local who=$1 size=$2 r=$3 seq0 k0 us
	seq0=$(last_seq)
	k0=$(kernel_kills)
	echo 0 > $TR/tracing_on
	echo > $TR/trace
	echo 1 > $TR/tracing_on
	cg_new lat/leak
	spawn lat/leak hog -c 4
	leaker=$LASTPID
	must "$who, $size, round $r: the leak dies" wait_until 120 dead "$leaker"
	echo 0 > $TR/tracing_on
	set -- $(decision_us "$leaker")
	us=$1
	if [ "$who" = oomhook ]; then
		check "$size, round $r: memcg killed /lat/leak" \
			wait_until 10 killed_after oom /lat/leak "${seq0:-0}"
		check "$size, round $r: the kernel's killer did not" \
			eq "$(kernel_kills)" "$k0"
		say "bench oom who=oomhook cgroups=$size round=$r us=$us latency_us=$(last_latency oom /lat/leak)"
	else
		check "$size, round $r: the kernel chose the leak" marked "$leaker"
		say "bench oom who=kernel cgroups=$size round=$r us=$us choice_us=$2"
	fi
	check "$size, round $r: a decision was timed" test "$us" != -
	wait_until 10 emptied lat/leak
	rmdir $CG/lat/leak 2>/dev/null
	sleep 2
}

psi_round() {
	local size=$1 r=$2 seq0
	seq0=$(last_seq)
	cg_new lat/thrash
	echo 16M > $CG/lat/thrash/memory.high
	spawn lat/thrash hog -s 48 -T
	thrasher=$LASTPID
	must "PSI, $size, round $r: the thrasher dies" wait_until 120 dead "$thrasher"
	check "PSI, $size, round $r: memcg killed /lat/thrash" \
		wait_until 10 killed_after psi /lat/thrash "${seq0:-0}"
	say "bench psi who=oomhook cgroups=$size round=$r latency_us=$(last_latency psi /lat/thrash)"
	wait_until 10 emptied lat/thrash
	rmdir $CG/lat/thrash 2>/dev/null
	# The default cooldown (10 s) before the next round.
	sleep 10
}

n=0
for want in 10 100 1000 10000; do
	if [ $want -le 1000 ]; then
		must "$want populated cgroups" tenants $CG/lat $((n + 1)) $want
		n=$want
		size=$want
	else
		# WANT cgroups under /lat in all: the N populated ones, then
		# /lat/empty and the rest, empty, below it.
		cg_new lat/empty
		must "$((want - n)) more cgroups, empty" \
			tenants $CG/lat/empty 1 $((want - n - 1)) -e
		size="$want/$n"
	fi
	say "bench cgroups=$size MemAvailable_kb=$(awk '/^MemAvailable/ { print $2 }' /proc/meminfo)"
	for r in $(seq 1 $ROUNDS); do
		oom_round oomhook "$size" "$r"
	done
	echo 0 > $OH/enabled
	for r in $(seq 1 $ROUNDS); do
		oom_round kernel "$size" "$r"
	done
	echo 1 > $OH/enabled
	put $OH/psi_triggers "add /lat:some:100000:1000000"
	for r in $(seq 1 $ROUNDS); do
		psi_round "$size" "$r"
	done
	put $OH/psi_triggers clear
done
check "one victim per episode: no tenant was killed" \
	sh -c "! grep -q 'victim=/lat/t[0-9]' $OH/events"
check "no decision ran out of budget_ms" eq "$(stat_of fallback_timeout)" 0
say "bench stats $(grep -E '^(fallbacks|fallback_timeout|fallback_hold_expired|walks_cut|kills) ' $OH/stats | tr '\n' ' ')"
echo 0 > $TR/events/kprobes/oomh_start/enable
echo '-:oomh_start' >> $TR/kprobe_events
if [ -d $TR/events/kprobes/oomh_choice ]; then
	echo 0 > $TR/events/kprobes/oomh_choice/enable
	echo '-:oomh_choice' >> $TR/kprobe_events
fi
echo 0 > $TR/events/signal/signal_generate/enable
echo 0 > $TR/events/signal/signal_generate/filter
echo 0 > $TR/events/oom/mark_victim/enable
echo 1 > $CG/lat/cgroup.kill
# Calm: let reclaim and writeback settle first.
sleep 10

# Calm, with a trigger armed: what oomhook queues, traces, or wakes.
put $OH/psi_triggers "add /:some:150000:1000000"
echo 0 > $TR/tracing_on
echo > $TR/trace
echo 'workqueue == "oomhook"' > $TR/events/workqueue/workqueue_queue_work/filter
echo 1 > $TR/events/workqueue/workqueue_queue_work/enable
echo 'comm == "psimon"' > $TR/events/sched/sched_wakeup/filter
echo 1 > $TR/events/sched/sched_wakeup/enable
echo 1 > $TR/events/oomhook/enable
psi_some() { sed -n 's/^some .*total=\([0-9]*\)/\1/p' /proc/pressure/memory; }
some0=$(psi_some)
echo 1 > $TR/tracing_on
sleep 10
echo 0 > $TR/tracing_on
stalled=$(($(psi_some) - some0))
wq=$(grep -c 'workqueue_queue_work' $TR/trace)
own=$(grep -c ' oomhook_' $TR/trace)
psimon=$(grep -c 'sched_wakeup' $TR/trace)
say "bench calm seconds=10 wakeups=$((wq + own)) work=$wq trace_events=$own psimon_wakeups=$psimon stalled_us=$stalled"
check "no work queued and no event in 10 calm seconds" eq "$((wq + own))" 0
# The kernel's PSI poller (psimon) for the armed trigger is the kernel's
# own thread: recorded, not oomhook's.  On 6.1 it was seen to wake once a
# second with no stall at all.
size=0
for m in /sys/module/oomhook*/coresize; do
	size=$((size + $(cat $m)))
	say "bench footprint module=$(basename "$(dirname "$m")") coresize=$(cat $m)"
done
say "bench footprint total_coresize=$size"
