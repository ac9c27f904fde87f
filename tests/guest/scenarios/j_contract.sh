# SPDX-License-Identifier: GPL-2.0
# j_contract. A kill made through the core stands, whatever the policy
#    says of it.  In the chain fault,memcg, the test module's kill_error
#    kills V, where the leak runs, then returns -EIO: the chain ends there,
#    memcg kills no second cgroup, the kernel's killer does not act, and
#    the error is the policy's fault, counted.
# mem: 256

FP=/sys/module/oomhook_fault/parameters
must "load: policy=fault,memcg" load_core policy=fault,memcg
must "fault,memcg active" wait_policy fault,memcg
echo kill_error > $FP/mode
cg_new V
cg_new W
mark V prefer
spawn W hog -s 24 -H -r /tmp/w.ready
w_pid=$LASTPID
must "W is up" wait_until 30 ready /tmp/w.ready
k0=$(kernel_kills)
spawn V hog -c 4
leak=$LASTPID
must "the OOM is resolved: V's leak died" wait_until 60 dead "$leak"
sleep 2
say "events: $(cat $OH/events)"
say "stats: $(awk '$2 != 0' $OH/stats | tr '\n' ' ')"
check "W, the next candidate, lives" alive $w_pid
check "one kill" eq "$(stat_of kills)" 1
check "recorded as fault's kill of /V, with its error" event_has \
	"policy=fault" "action=kill" "victim=/V" "error=-5"
check "no fallback" eq "$(stat_of fallbacks)" 0
check "the kernel's killer killed nothing" eq "$(kernel_kills)" "$k0"
check "the error was counted" ge "$(stat_of errors)" 1
kill $w_pid
check "unload" sh -c "echo none > $OH/policy && rmmod oomhook_fault oomhook_memcg && rmmod oomhook"
