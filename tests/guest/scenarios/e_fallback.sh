# SPDX-License-Identifier: GPL-2.0
# e. Twenty consecutive global OOMs (five on the debug kernel, where each
#    takes ~11 s) with no eligible victim (everything is omitted): the
#    kernel's killer takes over each time, each fallback is counted, each
#    of its kills is recorded in events as policy=kernel, and the guest
#    never hangs.
# mem: 256

must "modprobe oomhook policy=memcg" load_core policy=memcg
must "memcg active" wait_policy memcg
cg_new O
mark O omit

n=$(scaled 20 5)
t0=$(now_ms)
i=1
while [ $i -le $n ]; do
	spawn O hog -c 8
	p=$LASTPID
	if ! wait_until 60 dead "$p"; then
		bad "OOM $i was not resolved within 60 s"
		finish
	fi
	i=$((i + 1))
done
t1=$(now_ms)
say "$n OOMs resolved in $((t1 - t0)) ms"
say "stats: $(tr '\n' ' ' < $OH/stats)"
say "last event: $(tail -n 1 $OH/events)"
check "the kernel's killer acted $n times" eq "$(kernel_kills)" $n
check "oomhook killed nothing" eq "$(stat_of kills)" 0
check "decisions found no victim and fell back" ge "$(stat_of fallback_none)" 1
check "every OOM went to the kernel (fallback or deferred to its victim)" \
	ge "$(( $(stat_of fallbacks) + $(stat_of oom_deferred) ))" $n
check "fallbacks add up" eq "$(stat_of fallbacks)" \
	"$(( $(stat_of fallback_none) + $(stat_of fallback_error) + \
	$(stat_of fallback_timeout) + $(stat_of fallback_busy) + \
	$(stat_of fallback_hold_expired) + $(stat_of fallback_no_progress) ))"
check "every OOM call is accounted for" eq "$(stat_of triggers_oom)" \
	"$(( $(stat_of oom_handled) + $(stat_of oom_held) + $(stat_of oom_steered) + \
	$(stat_of oom_passthrough) + $(stat_of oom_deferred) + \
	$(stat_of fallbacks) ))"
check "the events say: no victim, fallback" event_has "trigger=oom" \
	"action=none" "outcome=none" "fallback=1"
recorded() { [ "$(stat_of kernel_oom_kills)" -ge "$1" ]; }
check "each of the kernel's kills recorded, as the kernel's" wait_until 10 recorded $n
check "... naming its victim" event_has "trigger=oom " "policy=kernel" \
	"action=kill" "victim=/O " "fallback=1"
check "as often as it killed" eq "$(stat_of kernel_oom_kills)" "$(kernel_kills)"
