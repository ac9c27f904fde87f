# SPDX-License-Identifier: GPL-2.0
# x. Priorities by cgroup path (policies/memcg/prefer and avoid), on a
#    kubepods-like tree as kubelet's systemd driver makes it, without a
#    marker anywhere: a BestEffort pod, a Burstable pod and a Guaranteed
#    pod (directly under kubepods.slice, the biggest, with the leak).
#    Three global OOMs kill them in the order BestEffort, Burstable,
#    Guaranteed; switched off (no patterns), the Guaranteed pod, the
#    biggest, goes first.  Bad lists are refused and change nothing.
# mem: 320

M=$OH/policies/memcg
K=kubepods.slice
BE=$K/kubepods-besteffort.slice/kubepods-besteffort-poda.slice
BU=$K/kubepods-burstable.slice/kubepods-burstable-podb.slice
GU=$K/kubepods-podg.slice

must "load oomhook" load_core policy=memcg
must "memcg active" wait_policy memcg

# ---- bad input ----------------------------------------------------------------
accept $M/prefer "/$K/kubepods-besteffort.slice" "/$K/kubepods-besteffort.slice"
refuse $M/prefer "" " " "relative" "/" "/a//b" "/a/../b" "/a b" "/a,,/b" \
	"/1,/2,/3,/4,/5,/6,/7,/8,/9" "$(printf '/%0600d' 0)"
refuse_unprivileged $M prefer avoid
accept $M/avoid "/$K/kubepods-pod*.slice" "/$K/kubepods-pod*.slice"
accept $M/avoid none none
accept $M/prefer none none

# pods: the three pods, each a container holding 32 MB (the Guaranteed
# one 40 MB, and a leak beside it).
# cg_mem PATH: PATH, with the memory controller enabled down to it.
cg_mem() {
	local p= c
	for c in $(echo "$1" | tr / ' '); do
		[ -z "$p" ] || echo +memory > "$CG$p/cgroup.subtree_control"
		p=$p/$c
		mkdir -p "$CG$p"
	done
}
pods() {
	local d
	for d in $BE $BU $GU; do
		cg_mem $d/cri-containerd-c.scope
	done
	rm -f /run/p*.ready
	spawn $BE/cri-containerd-c.scope hog -s 32 -H -r /run/pbe.ready
	be=$LASTPID
	spawn $BU/cri-containerd-c.scope hog -s 32 -H -r /run/pbu.ready
	bu=$LASTPID
	spawn $GU/cri-containerd-c.scope hog -s 40 -H -r /run/pgu.ready
	gu=$LASTPID
	must "the pods are up" wait_until 60 ready /run/pbe.ready /run/pbu.ready /run/pgu.ready
	spawn $GU/cri-containerd-c.scope hog -c 4
	leak=$LASTPID
}

# ---- switched off: by usage, the Guaranteed pod first ---------------------
pods
must "the first OOM is answered" wait_until 120 sh -c "! kill -0 $be 2>/dev/null ||
	! kill -0 $bu 2>/dev/null || ! kill -0 $gu 2>/dev/null"
check "without patterns, the biggest (Guaranteed) pod goes first" \
	sh -c "! kill -0 $gu 2>/dev/null && kill -0 $be && kill -0 $bu"
kill -9 $be $bu $gu $leak 2>/dev/null
for d in $BE $BU $GU; do wait_until 10 emptied $d/cri-containerd-c.scope; done

# ---- BestEffort first, Guaranteed last ------------------------------------------
must "prefer BestEffort" put $M/prefer "/$K/kubepods-besteffort.slice"
must "avoid Guaranteed" put $M/avoid "/$K/kubepods-pod*.slice"
k0=$(stat_of kills)
pods
three_kills() { [ "$(stat_of kills)" -ge $((k0 + 3)) ]; }
must "three OOMs answered" wait_until 120 three_kills
order=$(grep 'action=kill' $OH/events | tail -n 3 |
	sed -n 's/.*victim=\/kubepods.slice\/\([^/ ]*\).*/\1/p' | tr '\n' ' ')
say "kill order: $order"
check "BestEffort, then Burstable, then Guaranteed" eq "$order" \
	"kubepods-besteffort.slice kubepods-burstable.slice kubepods-podg.slice "
check "the kernel's killer killed nothing" eq "$(kernel_kills)" 0
kill -9 $be $bu $gu $leak 2>/dev/null
check "unload" sh -c "echo none > $OH/policy && rmmod oomhook_memcg && rmmod oomhook"
