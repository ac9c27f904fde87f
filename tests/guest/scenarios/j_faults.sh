# SPDX-License-Identifier: GPL-2.0
# j. OOM-path safety against a misbehaving policy (tests/modules/fault.c):
#    an error, a claimed kill that was not made, a vanished victim, freed
#    memory that was not freed, a decision overrunning budget_ms, a real
#    kill whose victim cannot exit, and one whose victim exits slowly but
#    steadily (held while it frees memory).  Every time the kernel's killer
#    takes over within bounds, each fallback is counted by reason, and no
#    second victim is chosen while one is in flight.
# mem: 256
# timeout: 480

FP=/sys/module/oomhook_fault/parameters
must "load: policy=fault, budget 300 ms, hold 800 ms" load_core policy=fault \
	budget_ms=300 hold_ms=800
must "fault active (autoloaded)" wait_policy fault
check "the registry refuses a duplicate (-EEXIST), a missing ->handle and a bad name (-EINVAL)" \
	sh -c "dmesg | grep -q 'registry checks: duplicate=-17 no_handle=-22 bad_name=-22'"
check "and lists only the real one" eq "$(cat $OH/policy)" "[fault]"
cg_new L
cg_new V
mark V prefer

# fault MODE: select the fault policy afresh (no fault streak) in MODE.
fault() {
	echo "$1" > $FP/mode
	echo fault > $OH/policy
}

# oom_round: a leak in L until something kills it; fails the scenario if
# that takes more than 60 s.  It starts after the previous round's defer
# window (hold_ms), so that oomhook, not the deferral, meets the OOM.
oom_round() {
	sleep 1
	spawn L hog -c 4
	p=$LASTPID
	t0=$(now_ms)
	must "OOM resolved ($(cat $FP/mode))" wait_until 60 dead "$p"
	say "resolved in $(( $(now_ms) - t0 )) ms"
}

for mode in error claim_kill vanished; do
	fault $mode
	k0=$(kernel_kills)
	f0=$(stat_of fallback_error)
	oom_round
	check "$mode: the kernel's killer acted" ge "$(kernel_kills)" $((k0 + 1))
	check "$mode: counted as fallback_error" ge "$(stat_of fallback_error)" $((f0 + 1))
done
check "error: recorded with -EIO" event_has "policy=-" "outcome=error" "fallback=1" "error=-5"
check "claim_kill: refused with -EPROTO" event_has "outcome=error" "error=-71"
check "vanished: refused with -ENOENT" event_has "outcome=error" "error=-2"

fault claim_freed
k0=$(kernel_kills)
oom_round
check "claim_freed: the kernel's killer acted" ge "$(kernel_kills)" $((k0 + 1))
check "claim_freed: counted as fallback_no_progress" ge "$(stat_of fallback_no_progress)" 1
say "claims trusted before falling back: $(stat_of oom_handled)"

fault sleep
echo 1500 > $FP/sleep_ms
spawn V hog -s 8 -H -r /tmp/v.ready
v=$LASTPID
must "would-be victim in V is up" wait_until 30 ready /tmp/v.ready
k0=$(kernel_kills)
oom_round
check "sleep: the kernel's killer acted" ge "$(kernel_kills)" $((k0 + 1))
check "sleep: counted as fallback_timeout" ge "$(stat_of fallback_timeout)" 1
wait_until 10 event_has "outcome=timeout"
check "sleep: the abandoned decision recorded a timeout" event_has "outcome=timeout" "error=-110"
check "sleep: the abandoned decision did not kill V" alive "$v"
check "sleep: nothing killed by oomhook" eq "$(stat_of kills)" 0

# A real kill whose victim cannot exit: V's second task sleeps in D state.
# hold_ms goes up to 4 s for this round, so that the leaker's next OOMs
# surely come while the kill is held, however slow the kernel (the debug
# kernel under TCG can take more than 800 ms to refill 8 MB).
echo 4000 > $OH/hold_ms
fault kill
cat /sys/kernel/debug/oomhook_fault/block > /dev/null &
stuck=$!
echo $stuck > $CG/V/cgroup.procs
sleep 0.5
check "the stuck task is in D state" grep -q '^State:.*D' /proc/$stuck/status
k0=$(kernel_kills)
oom_round
check "V's hog was killed by oomhook" dead "$v"
check "exactly one oomhook kill (no second victim while V exits)" eq "$(stat_of kills)" 1
check "OOMs were held while V was exiting" ge "$(stat_of oom_held)" 1
check "after hold_ms the kernel's killer acted" ge "$(stat_of fallback_hold_expired)" 1
check "the kernel killed the leaker" ge "$(kernel_kills)" $((k0 + 1))
say "OOMs deferred to the kernel while its victim exited: $(stat_of oom_deferred)"
check "the event says hold-expired" event_has "victim=/V" "outcome=hold-expired" "fallback=1"
echo 0 > /sys/kernel/debug/oomhook_fault/block
check "once released, V empties" wait_until 10 sh -c "! grep -q '^populated 1' $CG/V/cgroup.events"
check "and its late exit is recorded" wait_until 10 event_has "victim=/V" "outcome=exited"
echo 800 > $OH/hold_ms
sleep 4

# A victim that frees its memory one task a second, for twice hold_ms: it
# is on its way out all along, so its hold runs from the last time its
# usage fell.  Neither a second victim nor the kernel's killer until it is
# empty; then the next OOM is decided afresh.
FD=/sys/kernel/debug/oomhook_fault
echo 2000 > $OH/hold_ms
echo 1 > $FD/block
wait_until 10 emptied V
slow=""
for i in 1 2 3 4; do
	rm -f /tmp/slow.$i
	spawn V hog -s 16 -H -r /tmp/slow.$i -b $FD/block
	slow="$slow $LASTPID"
	must "slow task $i is up" wait_until 30 ready /tmp/slow.$i
done
sleep 0.5
check "V's four tasks are in D state" eq "$(grep -l '^State:.*D' \
	$(for p in $slow; do echo /proc/$p/status; done) | wc -l)" 4
fault kill
# From a timer started by the kill: no shell could run before memory is back.
echo "4 1000" > $FD/step
k0=$(kernel_kills)
kills0=$(stat_of kills)
f0=$(stat_of fallbacks)
x0=$(stat_of holds_extended)
sleep 1
spawn L hog -c 4
p=$LASTPID
kills_above() { [ "$(stat_of kills)" -gt "$1" ]; }
must "oomhook killed V" wait_until 60 kills_above "$kills0"
check "V empties" wait_until 20 emptied V
must "then the leak is killed" wait_until 60 dead "$p"
say "holds extended: $(( $(stat_of holds_extended) - x0 )), OOMs held: $(stat_of oom_held)"
check "slow exit: the kernel's killer killed nothing" eq "$(kernel_kills)" "$k0"
check "slow exit: no fallback" eq "$(stat_of fallbacks)" "$f0"
# V took twice hold_ms to empty, and the leak's OOMs kept coming on the
# stock kernels: there the hold must have been extended.  On the debug
# kernel one OOM takes seconds, so none may come while V empties (it then
# needs no extension); the checks above hold either way.
if [ "$(scaled stock debug)" = stock ]; then
	check "slow exit: the hold was extended as V freed memory" \
		ge "$(stat_of holds_extended)" $((x0 + 1))
fi
check "slow exit: two oomhook kills, V and then the leak" \
	eq "$(stat_of kills)" $((kills0 + 2))
check "slow exit: the second kill was the leak" event_has "victim=/L" "action=kill"
echo 800 > $OH/hold_ms
sleep 4

# Repeated faults: the third in a row drops the policy from the chain.
wait_until 10 sh -c "! grep -q '^populated 1' $CG/V/cgroup.events"
fault error
for i in 1 2 3; do
	oom_round
done
check "after 3 faults in a row the policy is dropped" wait_until 10 \
	grep -q '^\[none\] fault' $OH/policy
check "with a logged reason" sh -c \
	"dmesg | grep -q 'policy fault disabled after 3 consecutive faults (last error -5)'"
check "and counted" eq "$(stat_of policies_disabled)" 1
k0=$(kernel_kills)
oom_round
check "then OOMs go straight to the kernel" ge "$(kernel_kills)" $((k0 + 1))
check "selecting it again gives it a fresh start" sh -c "echo fault > $OH/policy"
check "and it is active" eq "$(cat $OH/policy)" "[fault]"

say "stats: $(awk '$2 != 0' $OH/stats | tr '\n' ' ')"
check "OOM calls add up" eq "$(stat_of triggers_oom)" \
	"$(( $(stat_of oom_handled) + $(stat_of oom_held) + $(stat_of oom_steered) + \
	$(stat_of oom_passthrough) + $(stat_of oom_deferred) + \
	$(stat_of fallbacks) ))"
check "fallbacks add up" eq "$(stat_of fallbacks)" \
	"$(( $(stat_of fallback_none) + $(stat_of fallback_error) + \
	$(stat_of fallback_timeout) + $(stat_of fallback_busy) + \
	$(stat_of fallback_hold_expired) + $(stat_of fallback_no_progress) ))"
