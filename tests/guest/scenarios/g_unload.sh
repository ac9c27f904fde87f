# SPDX-License-Identifier: GPL-2.0
# g. rmmod of the active policy and of the core, idle and while PSI
#    triggers are armed: refused while in use, clean when done, and no
#    leaked trigger (the kernel stops its psimon thread when the last
#    trigger's file is released) or wait entry (pressure after unload).
# mem: 256

psimons() { ps | grep -c '[p]simon'; }

cg_new G
check "no psimon before" eq "$(psimons)" 0

# Idle: load and unload a few times.
for i in 1 2 3; do
	load_core policy=memcg && wait_policy memcg &&
		echo none > $OH/policy && rmmod oomhook_memcg && rmmod oomhook ||
		bad "idle load/unload cycle $i"
done
check "idle cycles leave nothing loaded" sh -c '! grep -q "^oomhook" /proc/modules'

# Armed.
must "load with a system-wide trigger" load_core policy=memcg "psi=/:some:150000:1000000"
must "memcg active" wait_policy memcg
must "add a per-cgroup trigger" sh -c "echo 'add /G:full:100000:1000000' > $OH/psi_triggers"
check "psimon threads run for the triggers" ge "$(psimons)" 1
check "rmmod of the active policy is refused" sh -c '! rmmod oomhook_memcg 2>/dev/null'
check "rmmod of the core is refused while the policy is loaded" \
	sh -c '! rmmod oomhook 2>/dev/null'
check "the chain is intact" eq "$(cat $OH/policy)" "[memcg]"
check "deselect" sh -c "echo none > $OH/policy"
check "core refcount: 1 (the policy module)" \
	eq "$(awk '$1 == "oomhook" { print $3 }' /proc/modules)" 1
check "rmmod of the deselected policy" rmmod oomhook_memcg
check "core refcount: 0" eq "$(awk '$1 == "oomhook" { print $3 }' /proc/modules)" 0
check "rmmod of the core with two triggers armed" rmmod oomhook
check "sysfs directory gone" test ! -e $OH
check "the triggers were released (no psimon left)" wait_until 5 sh -c '[ "$(ps | grep -c "[p]simon")" = 0 ]'

# Pressure on the formerly watched cgroup must not reach freed code.
echo 16M > $CG/G/memory.high
spawn G hog -s 48 -H -r /tmp/g.ready
squeezed=$LASTPID
sleep 3
check "pressure after unload: nobody acted, the hog lives" alive "$squeezed"
say "G's memory pressure: $(head -n 1 $CG/G/memory.pressure)"
kill -9 "$squeezed"

# Reload: a clean slate.
must "reload" load_core
check "no triggers after reload" test -z "$(cat $OH/psi_triggers)"
check "counters start at zero" eq "$(stat_of runs)" 0
check "no policy active" eq "$(cat $OH/policy)" "[none]"
check "final unload" rmmod oomhook
