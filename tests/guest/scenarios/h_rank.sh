# SPDX-License-Identifier: GPL-2.0
# h. memcg's choice on the real kernel.  Continuous pressure (a cgroup
#    squeezed by memory.high) fires a system-wide PSI trigger about once a
#    second; in dry-run mode with no cooldown each firing records the
#    victim memcg would pick, so the ranking can be changed step by step:
#    usage, effective memory.low protection, prefer, inherited avoid, omit,
#    subtree,
#    memory.oom.group units, and PID 1's cgroup (never, however large).
# mem: 320

must "load: dry run, no cooldown, trigger on /" load_core policy=memcg \
	dry_run=1 cooldown_ms=0 "psi=/:some:50000:500000"
must "memcg active" wait_policy memcg

# PID 1 moves to its own cgroup, as under systemd, with a big hog beside it.
cg_new init.scope
echo 1 > $CG/init.scope/cgroup.procs
spawn init.scope hog -s 40 -H -r /tmp/i.ready
for g in P P/x P/y P/z P/w P/g Q Q/q; do cg_new $g; done
echo "+memory" > $CG/P/cgroup.subtree_control
echo "+memory" > $CG/Q/cgroup.subtree_control
echo 1 > $CG/P/g/memory.oom.group
echo "+memory" > $CG/P/g/cgroup.subtree_control
cg_new P/g/g1
cg_new P/g/g2
spawn P/x hog -s 10 -H -r /tmp/x.ready
spawn P/y hog -s 30 -H -r /tmp/y.ready
spawn P/z hog -s 20 -H -r /tmp/z.ready
spawn P/g/g1 hog -s 4 -H -r /tmp/g1.ready
spawn P/g/g2 hog -s 4 -H -r /tmp/g2.ready
spawn Q/q hog -s 3 -H -r /tmp/q.ready
must "workload up" wait_until 60 ready /tmp/i.ready /tmp/x.ready /tmp/y.ready \
	/tmp/z.ready /tmp/g1.ready /tmp/g2.ready /tmp/q.ready
# Squeeze P just above its usage; a slow allocator in P/w keeps it stalled.
usage=$(cat $CG/P/memory.current)
echo $((usage + 2 * 1024 * 1024)) > $CG/P/memory.high
spawn P/w hog -c 1
say "P holds $((usage / 1048576)) MB, memory.high set just above"

last_seq() { tail -n 1 $OH/events | sed -n 's/^seq=\([0-9]*\).*/\1/p'; }
newer() { [ "${last:-0}" -gt "$1" ] 2>/dev/null || { last=$(last_seq); [ "${last:-0}" -gt "$1" ]; }; }

# expect DESCRIPTION VICTIM: a decision made after this point picks VICTIM.
expect() {
	s0=$(last_seq)
	last=
	if ! wait_until 30 newer $((${s0:-0} + 1)); then
		bad "$1: no new decision within 30 s"
		return
	fi
	v=$(tail -n 1 $OH/events | sed -n 's/.* victim=\([^ ]*\) .*/\1/p')
	check "$1: $2" eq "$v" "$2"
}

expect "largest usage wins; PID 1's bigger cgroup is skipped" /P/y
# Protection is effective protection: y keeps what P grants it.
echo 32M > $CG/P/memory.low
echo 1G > $CG/P/y/memory.low
expect "memory.low protects y, within P's grant" /P/z
mark P/x prefer
expect "prefer beats usage" /P/x
xattr rm $CG/P/x user.oomd_prefer
mark P avoid
expect "avoid on P is inherited by its subtree; Q/q is unmarked" /Q/q
mark Q omit
expect "omit excludes Q; among P's avoided, z" /P/z
echo /P/y > $OH/policies/memcg/subtree
expect "subtree restricts to /P/y, protected or not" /P/y
echo /P/g > $OH/policies/memcg/subtree
expect "an oom.group cgroup is one unit" /P/g
xattr rm $CG/Q user.oomd_omit
xattr set $CG/Q trusted.oomd_omit 1
echo /Q > $OH/policies/memcg/subtree
expect "trusted.oomd_omit works too" -
echo /init.scope > $OH/policies/memcg/subtree
expect "PID 1's cgroup is never chosen" -
check "nothing was killed (dry run)" eq "$(stat_of kills)" 0
check "no OOM" eq "$(kernel_kills)" 0
say "decisions made: $(stat_of dry_runs) dry runs, $(stat_of psi_runs) PSI runs"
