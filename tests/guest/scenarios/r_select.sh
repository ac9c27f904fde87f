# SPDX-License-Identifier: GPL-2.0
# r. What a delegated user cannot steer, and what the cache cannot miss.
#    Four global OOMs with policy=memcg, each a leak next to a smaller
#    bystander; each time the leak must die and the bystander live:
#    A1: the leak in x/y, where x did not enable +memory for its children
#        (x is one unit, its memory is y's);
#    A3: the leak in u/h with memory.min=max under u, which grants nothing
#        (the kernel gives h no protection; neither may the ranking);
#    A2: the leak in a cgroup owned by uid 1000 that set user.oomd_omit on
#        itself (a user.* marker counts only on a root-owned cgroup);
#    fresh: a cgroup cached as "prefer", turned "omit" by root just before
#        the OOM, is not killed: the cache learns of the change as it is
#        made (fsnotify), not at the next refresh.
#    Each decision is made in the OOM notifier (oom_inline).
# mem: 320

must "load oomhook" load_core policy=memcg
must "memcg active" wait_policy memcg

# round NAME LEAKCG BYSTANDERCG: a bystander holding 24 MB in BYSTANDERCG,
# then a leak in LEAKCG, until oomhook kills something.
round() {
	local name=$1 leak=$2 by=$3 k0 kills0
	spawn "$by" hog -s 24 -H -r "/run/$name.by"
	bystander=$LASTPID
	must "$name: the bystander is up" wait_until 30 ready "/run/$name.by"
	k0=$(kernel_kills)
	kills0=$(stat_of kills)
	spawn "$leak" hog -c 4
	leaker=$LASTPID
	must "$name: the OOM is resolved" wait_until 120 dead "$leaker"
	check "$name: the bystander in /$by lives" alive "$bystander"
	check "$name: oomhook killed the leak's unit" \
		event_has "trigger=oom" "policy=memcg" "action=kill" "victim=/${leak%%/*}"
	check "$name: one kill by oomhook" eq "$(stat_of kills)" $((kills0 + 1))
	check "$name: none by the kernel" eq "$(kernel_kills)" "$k0"
	kill "$bystander"
	wait_until 10 dead "$bystander"
	# hold_ms and the victim's exit, before the next round.
	wait_until 10 emptied "${leak%%/*}"
	sleep 4
}

# ---- A1: a cgroup whose children lack the memory controller ---------------
cg_new x
cg_new x/y
cg_new b1
check "x did not enable +memory for y" sh -c "! grep -q memory $CG/x/cgroup.subtree_control"
check "so y has no memory.current" test ! -e $CG/x/y/memory.current
round A1 x/y b1

# ---- A3: memory.min=max under a parent that grants nothing --------------
cg_new u
echo "+memory" > $CG/u/cgroup.subtree_control
cg_new u/h
cg_new b3
echo max > $CG/u/h/memory.min
check "u/h asks for all of it" eq "$(cat $CG/u/h/memory.min)" max
check "u grants nothing" eq "$(cat $CG/u/memory.min)" 0
round A3 u/h b3

# ---- A2: a user's own omit ---------------------------------------------------
cg_new w
cg_new b2
chown -R 1000:1000 $CG/w
must "uid 1000 marks its own cgroup omit" runas -u 1000 xattr set $CG/w user.oomd_omit 1
check "the marker is there" eq "$(xattr get $CG/w user.oomd_omit)" 1
round A2 w b2
check "the user's marker is still there (read, never trusted)" \
	eq "$(xattr get $CG/w user.oomd_omit)" 1

# ---- fresh: omit set after the cache read "prefer" ------------------------
cg_new n
cg_new leak
spawn n hog -s 24 -H -r /run/n.ready
service=$LASTPID
must "the service in n is up" wait_until 30 ready /run/n.ready
mark n prefer
# Reclaim rings the doorbell, and the doorbell refreshes the cache.
r0=$(stat_of marks_refreshes)
sleep 1.1
echo 2 > /proc/sys/vm/drop_caches
check "the cache was refreshed with n as prefer" \
	wait_until 10 sh -c "[ \$(awk '\$1 == \"marks_refreshes\" { print \$2 }' $OH/stats) -gt $r0 ]"
r1=$(stat_of marks_refreshes)
c1=$(stat_of marks_changed)
xattr rm $CG/n user.oomd_prefer
mark n omit
check "fresh: the cache learnt of the change as it was made (fsnotify)" \
	ge "$(stat_of marks_changed)" $((c1 + 1))
check "fresh: no refresh did it" eq "$(stat_of marks_refreshes)" "$r1"
kills0=$(stat_of kills)
spawn leak hog -c 4
leaker=$LASTPID
must "fresh: the OOM is resolved" wait_until 120 dead "$leaker"
check "fresh: n, omitted since the refresh, lives" alive "$service"
check "fresh: the leak died instead" event_has "policy=memcg" "action=kill" "victim=/leak"
check "fresh: one kill" eq "$(stat_of kills)" $((kills0 + 1))

check "every decision was made in the OOM notifier" eq "$(stat_of oom_inline)" "$(stat_of runs)"
check "no policy error" eq "$(stat_of errors)" 0
say "stats: $(awk '$2 != 0' $OH/stats | tr '\n' ' ')"
