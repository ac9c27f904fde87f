# SPDX-License-Identifier: GPL-2.0
# a. Policy selection: policy=memcg at load, the bracketed read, switching
#    to none and back, autoload by name, pinning; the private cgroup2 view
#    leaves the hierarchy's mount options alone.
# mem: 256

opts_before=$(awk '$3 == "cgroup2" { print $4 }' /proc/mounts)
t0=$(now_ms)
must "modprobe oomhook policy=memcg" load_core policy=memcg
t1=$(now_ms)
must "the chain becomes [memcg] (autoloaded after init)" wait_policy memcg
t2=$(now_ms)
say "modprobe took $((t1 - t0)) ms, [memcg] after $((t2 - t0)) ms"
check "no wait for a module still in init (that would take 30 s)" \
	sh -c "[ $((t2 - t0)) -lt 5000 ]"
check "oomhook_memcg was loaded by the autoload" grep -q '^oomhook_memcg ' /proc/modules
opts_after=$(awk '$3 == "cgroup2" { print $4 }' /proc/mounts)
say "cgroup2 options: before '$opts_before', after '$opts_after'"
check "cgroup2 options unchanged (nsdelegate, memory_recursiveprot)" \
	eq "$opts_after" "$opts_before"
check "cgroup2 still has memory_recursiveprot" \
	sh -c "echo '$opts_after' | grep -q memory_recursiveprot"

say "policy reads: $(cat $OH/policy)"
check "policy read is exactly '[memcg]'" eq "$(cat $OH/policy)" "[memcg]"
check "module parameter shows the same" \
	eq "$(cat /sys/module/oomhook/parameters/policy)" "[memcg]"
check "rmmod of the active policy is refused" sh -c '! rmmod oomhook_memcg 2>/dev/null'
check "the active policy is still active" eq "$(cat $OH/policy)" "[memcg]"
check "rmmod of the core is refused while a policy is loaded" \
	sh -c '! rmmod oomhook 2>/dev/null'

check "switch to none" sh -c "echo none > $OH/policy"
say "policy reads: $(cat $OH/policy)"
check "policy read is '[none] memcg'" eq "$(cat $OH/policy)" "[none] memcg"
check "switch back to memcg" sh -c "echo memcg > $OH/policy"
check "policy read is '[memcg]' again" eq "$(cat $OH/policy)" "[memcg]"

check "deselect, then the policy module unloads" \
	sh -c "echo none > $OH/policy && rmmod oomhook_memcg"
check "unloaded policy is gone from the list" eq "$(cat $OH/policy)" "[none]"
check "its sysfs directory is gone" test ! -e $OH/policies/memcg
check "selecting memcg by name autoloads it" sh -c "echo memcg > $OH/policy"
check "oomhook_memcg is loaded again" grep -q '^oomhook_memcg ' /proc/modules
check "and active" eq "$(cat $OH/policy)" "[memcg]"
check "its tunables are back" eq "$(cat $OH/policies/memcg/subtree)" "/"
check "an unknown policy is refused with ENOENT" \
	sh -c "! echo nosuch > $OH/policy 2>/dev/null"
check "and the chain is unchanged" eq "$(cat $OH/policy)" "[memcg]"

check "tracepoints are registered" test -d /sys/kernel/tracing/events/oomhook/oomhook_action
check "modinfo shows the alias" sh -c "modinfo -F alias oomhook_memcg | grep -qx oomhook-policy-memcg"
