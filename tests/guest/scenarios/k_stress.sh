# SPDX-License-Identifier: GPL-2.0
# k. Stress: for 60 s of guest time, all at once: policy switches through
#    sysfs, sysfs readers, rmmod/modprobe of policy modules (with the fault
#    policy changing modes), PSI episodes in cgroups that come and go, and
#    a stream of global OOMs.  No splat, no hang, counters that add up.
# mem: 256

DURATION=${STRESS_SECONDS:-60}
FP=/sys/module/oomhook_fault/parameters
# PSI events come from per-cgroup triggers only: a system-wide trigger
# would (rightly) kill the OOM stream's leaker before the global OOM
# comes on the slower debug kernel.
must "load" load_core policy=memcg cooldown_ms=0 hold_ms=500 budget_ms=1000
must "memcg active" wait_policy memcg
modprobe oomhook_fault
end=$(( $(now_ms) + DURATION * 1000 ))
running() { [ "$(now_ms)" -lt "$end" ]; }

switcher() {
	n=0
	while running; do
		for c in memcg none fault memcg,fault fault,memcg memcg; do
			echo $c > $OH/policy 2>/dev/null && n=$((n + 1))
		done
	done
	echo "$n" > /tmp/switches
}

reader() {
	n=0
	while running; do
		cat $OH/policy $OH/stats $OH/events $OH/psi_triggers \
		    $OH/enabled $OH/cooldown_ms $OH/policies/*/* \
		    /sys/module/oomhook/parameters/* > /dev/null 2>&1
		n=$((n + 1))
	done
	echo "$n" > /tmp/reads
}

churn() {
	n=0
	modes="kill error claim_kill claim_freed vanished kill sleep"
	while running; do
		rmmod oomhook_fault 2>/dev/null && n=$((n + 1))
		modprobe oomhook_fault 2>/dev/null
		set -- $modes
		shift $((RANDOM % 7))
		echo "$1" > $FP/mode 2>/dev/null
		echo 1200 > $FP/sleep_ms 2>/dev/null
		sleep 0.2
	done
	echo "$n" > /tmp/churns
}

pressure() {
	n=0
	while running; do
		g=P$n
		cg_new $g
		echo 16M > $CG/$g/memory.high
		echo "add /$g:some:100000:500000" > $OH/psi_triggers 2>/dev/null
		spawn $g hog -s 48 -H
		p=$LASTPID
		wait_until 5 dead "$p" || kill -9 "$p" 2>/dev/null
		wait_until 5 sh -c "! grep -q '^populated 1' $CG/$g/cgroup.events"
		rmdir $CG/$g 2>/dev/null
		echo "del /$g:some" > $OH/psi_triggers 2>/dev/null
		n=$((n + 1))
	done
	echo "$n" > /tmp/episodes
}

ooms() {
	n=0
	cg_new L
	mark L prefer
	while running; do
		spawn L hog -c 8
		p=$LASTPID
		wait_until 30 dead "$p" || kill -9 "$p" 2>/dev/null
		n=$((n + 1))
	done
	echo "$n" > /tmp/ooms
}

t0=$(now_ms)
switcher & reader & churn & pressure & ooms &
wait
t1=$(now_ms)
sleep 2
say "ran $(( (t1 - t0) / 1000 )) s: $(cat /tmp/switches) policy switches, $(cat /tmp/reads) reader passes, $(cat /tmp/churns) policy unloads, $(cat /tmp/episodes) PSI episodes, $(cat /tmp/ooms) OOM rounds"
say "stats: $(awk '$2 != 0' $OH/stats | tr '\n' ' ')"
check "ran for the whole duration" ge "$(( (t1 - t0) / 1000 ))" "$DURATION"
check "oomhook answers" sh -c "cat $OH/stats > /dev/null"
# The debug kernel runs each loop 10-50 times slower: fewer events.
check "global OOMs came" ge "$(stat_of triggers_oom)" "$(scaled 10 3)"
check "PSI events came" ge "$(stat_of triggers_psi)" "$(scaled 10 3)"
check "OOM calls add up" eq "$(stat_of triggers_oom)" \
	"$(( $(stat_of oom_handled) + $(stat_of oom_held) + $(stat_of oom_steered) + \
	$(stat_of oom_passthrough) + $(stat_of oom_deferred) + \
	$(stat_of fallbacks) ))"
check "fallbacks add up" eq "$(stat_of fallbacks)" \
	"$(( $(stat_of fallback_none) + $(stat_of fallback_error) + \
	$(stat_of fallback_timeout) + $(stat_of fallback_busy) + \
	$(stat_of fallback_hold_expired) + $(stat_of fallback_no_progress) ))"
check "PSI events add up" eq "$(stat_of triggers_psi)" \
	"$(( $(stat_of psi_runs) + $(stat_of psi_suppressed_busy) + \
	$(stat_of psi_suppressed_cooldown) + $(stat_of psi_passthrough) ))"
# The kernel's own kills (after fallbacks) are records too, made by a
# work item a moment after the kill.
records_add_up() {
	[ "$(( $(stat_of runs) + $(stat_of kernel_oom_kills) + \
	$(stat_of memcg_oom_kills) - $(stat_of memcg_oom_unrecorded) ))" = \
	"$(tail -n 1 $OH/events | sed -n 's/^seq=\([0-9]*\).*/\1/p')" ]
}
check "every decision and kill was recorded once" wait_until 10 records_add_up
check "clean unload after the storm" sh -c \
	"echo none > $OH/policy && rmmod oomhook_fault oomhook_memcg 2>/dev/null; rmmod oomhook_fault 2>/dev/null; rmmod oomhook_memcg 2>/dev/null; rmmod oomhook"
