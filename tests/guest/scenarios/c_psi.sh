# SPDX-License-Identifier: GPL-2.0
# c. Per-cgroup PSI: a cgroup squeezed by memory.high builds pressure and
#    oomhook kills it before any OOM; the delay from the trigger to the kill
#    is recorded.  Then the dying-trigger trap: removing the victim's cgroup
#    wakes the trigger with EPOLLERR, which must disarm it, not kill.
# mem: 256

must "modprobe oomhook policy=memcg" load_core policy=memcg
must "memcg active" wait_policy memcg

cg_new D
cg_new E
echo 32M > $CG/D/memory.high
spawn E hog -s 8 -H -r /tmp/e.ready
bystander=$LASTPID
must "bystander E is up" wait_until 30 ready /tmp/e.ready
must "a PSI trigger on /D is armed" \
	sh -c "echo 'add /D:some:100000:1000000' > $OH/psi_triggers"
say "psi_triggers: $(cat $OH/psi_triggers)"
check "the kernel created the trigger (psimon runs)" \
	sh -c 'ps | grep -q "[p]simon"'

t0=$(now_ms)
spawn D hog -s 96 -H
squeezed=$LASTPID
say "hog $squeezed in D allocates 96 MB against memory.high=32M"
must "oomhook killed the squeezed cgroup" wait_until 90 dead "$squeezed"
t1=$(now_ms)

say "events: $(cat $OH/events)"
say "from the hog's start to its death: $((t1 - t0)) ms"
lat=$(sed -n 's/.*trigger=psi:\/D:some.*latency_us=\([0-9]*\).*/\1/p' $OH/events | head -n 1)
say "from the PSI trigger to the kill: ${lat:-?} us"
check "the event: psi trigger, memcg, kill, /D" \
	event_has "trigger=psi:/D:some" "policy=memcg" "action=kill" "victim=/D"
check "the trigger-to-kill latency is recorded" test -n "$lat"
check "no OOM happened: the kernel killed nothing" eq "$(kernel_kills)" 0
check "D never hit an OOM" eq "$(awk '$1 == "oom" { print $2 }' $CG/D/memory.events)" 0
check "the trigger fired" sh -c "grep -q 'fired=[1-9]' $OH/psi_triggers"
check "one PSI decision ran" ge "$(stat_of psi_runs)" 1
check "the bystander in E is alive" alive "$bystander"
# The oomd convention, for systemd's Result=oom-kill: ooms before, kill after.
check "user.oomd_ooms on /D is 1" eq "$(xattr get $CG/D user.oomd_ooms)" 1
check "user.oomd_kill on /D counts the process" wait_until 5 sh -c \
	"[ \"\$(xattr get $CG/D user.oomd_kill)\" = 1 ]"
check "none on the bystander's cgroup" sh -c "! xattr get $CG/E user.oomd_ooms"

# The trap: rmdir of the victim's cgroup wakes the trigger with EPOLLERR.
wait_until 10 sh -c "! grep -q '^populated 1' $CG/D/cgroup.events"
kills=$(stat_of kills)
runs=$(stat_of psi_runs)
must "rmdir of the victim's cgroup" rmdir $CG/D
check "the trigger is reported gone" \
	wait_until 10 grep -q '^/D:some:100000:1000000 state=gone' $OH/psi_triggers
check "counted as gone" eq "$(stat_of triggers_gone)" 1
sleep 2
check "nothing else was killed" eq "$(stat_of kills)" "$kills"
check "the removal did not start a decision" eq "$(stat_of psi_runs)" "$runs"
check "the bystander in E is still alive" alive "$bystander"
# A cgroup made again under the same path takes a new trigger: the gone
# one gives way (it blocked the add with EEXIST before).
must "mkdir /D again" mkdir $CG/D
check "a new trigger on the new /D is accepted" sh -c \
	"echo 'add /D:some:100000:1000000' > $OH/psi_triggers"
check "and it is armed, the gone one gone from the list" test \
	"$(grep -c '^/D:some:100000:1000000 state=armed' $OH/psi_triggers)/$(wc -l < $OH/psi_triggers)" = 1/1
must "rmdir of /D again" rmdir $CG/D
check "its trigger is gone too" \
	wait_until 10 grep -q '^/D:some:100000:1000000 state=gone' $OH/psi_triggers
check "a gone trigger can be deleted" sh -c "echo 'del /D:some' > $OH/psi_triggers"
check "the list is empty" test -z "$(cat $OH/psi_triggers)"

# enabled=0: events are counted, nothing is done.
echo 0 > $OH/enabled
echo 0 > $OH/cooldown_ms
cg_new F
echo 24M > $CG/F/memory.high
echo 'add /F:some:100000:1000000' > $OH/psi_triggers
spawn F hog -s 64 -H
quiet=$LASTPID
passing() { [ "$(stat_of psi_passthrough)" -ge 1 ]; }
check "disabled: the trigger fires and is only counted" wait_until 20 passing
check "disabled: the squeezed hog lives" alive "$quiet"
echo 1 > $OH/enabled
check "enabled again: it is killed" wait_until 30 dead "$quiet"
