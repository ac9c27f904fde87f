# SPDX-License-Identifier: GPL-2.0
# Benchmark (not in ORDER; bench/micro.sh runs it): how long oomhook's
# decisions take with 10, 100 and 1,000 populated cgroups, in the OOM
# notifier and in the PSI path, from its own events (latency_us: the
# trigger to the end of the action); its memory footprint; its wake-ups
# while the machine is calm, with a PSI trigger armed.  The budget is 5 s
# instead of 1 s, so that slow decisions (1,000 cgroups under TCG) are
# measured rather than cut short and handed to the kernel.
# mem: 1024
# timeout: 1500

ROUNDS=${BENCH_ROUNDS:-3}
modprobe zram 2>/dev/null
must "zram swap, 256 MB" sh -c 'echo 256M > /sys/block/zram0/disksize &&
	mkswap /dev/zram0 > /dev/null && swapon /dev/zram0'
must "load oomhook" load_core policy=memcg budget_ms=5000
must "memcg active" wait_policy memcg
cg_new lat
echo "+memory" > $CG/lat/cgroup.subtree_control

# The latency of the newest event of TRIGGER that killed VICTIM, and
# whether there is one after event number SEQ.
last_latency() {
	grep -E "trigger=$1[: ]" $OH/events | grep "action=kill victim=$2 " | tail -n 1 |
		sed -n 's/.*latency_us=\([0-9]*\).*/\1/p'
}
last_seq() { tail -n 1 $OH/events | sed -n 's/^seq=\([0-9]*\).*/\1/p'; }
killed_after() {
	grep -E "trigger=$1[: ]" $OH/events | grep "action=kill victim=$2 " |
		awk -v s="$3" -F'[= ]' '$2 > s { found = 1 } END { exit !found }'
}

n=0
for want in 10 100 1000; do
	while [ $n -lt $want ]; do
		n=$((n + 1))
		cg_new lat/t$n
		spawn lat/t$n sleep 100000
	done
	must "$want tenants populated" wait_until 60 populated lat/t$want
	say "bench cgroups=$want MemAvailable_kb=$(awk '/^MemAvailable/ { print $2 }' /proc/meminfo)"
	for r in $(seq 1 $ROUNDS); do
		seq0=$(last_seq)
		cg_new lat/leak
		spawn lat/leak hog -c 4
		leaker=$LASTPID
		must "OOM round $r with $want tenants: the leak dies" wait_until 120 dead "$leaker"
		check "memcg killed /lat/leak" wait_until 10 killed_after oom /lat/leak "${seq0:-0}"
		say "bench latency trigger=oom cgroups=$want round=$r us=$(last_latency oom /lat/leak)"
		rmdir $CG/lat/leak 2>/dev/null
	done
	put $OH/psi_triggers "add /lat:some:100000:1000000"
	for r in $(seq 1 $ROUNDS); do
		seq0=$(last_seq)
		cg_new lat/thrash
		echo 16M > $CG/lat/thrash/memory.high
		spawn lat/thrash hog -s 48 -T
		thrasher=$LASTPID
		must "PSI round $r with $want tenants: the thrasher dies" wait_until 120 dead "$thrasher"
		check "memcg killed /lat/thrash" wait_until 10 killed_after psi /lat/thrash "${seq0:-0}"
		say "bench latency trigger=psi cgroups=$want round=$r us=$(last_latency psi /lat/thrash)"
		wait_until 10 emptied lat/thrash
		rmdir $CG/lat/thrash 2>/dev/null
		# The default cooldown (10 s) before the next round.
		sleep 10
	done
	put $OH/psi_triggers clear
done
check "no decision fell back to the kernel" eq "$(kernel_kills)" 0
check "one victim per episode: no tenant was killed" sh -c "! grep -q 'victim=/lat/t[0-9]' $OH/events"
say "bench stats $(grep -E '^(fallbacks|fallback_timeout|kills) ' $OH/stats | tr '\n' ' ')"
for i in $(seq 1 $n); do echo 1 > $CG/lat/t$i/cgroup.kill; done
# Calm: let reclaim and writeback settle first.
sleep 10

# Calm, with a trigger armed: what oomhook queues, traces, or wakes.
put $OH/psi_triggers "add /:some:150000:1000000"
TR=/sys/kernel/tracing
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
