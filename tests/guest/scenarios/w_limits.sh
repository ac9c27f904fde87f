# SPDX-License-Identifier: GPL-2.0
# w. Acting inside a cgroup's own memory.max (limit_act).  The race: /race
#    is limited to 64 MB; /race/big (marked avoid) holds 48 MB, /race/leak
#    grows until something dies.  By badness the kernel's memcg OOM killer
#    kills big (checked once with oomhook switched off); oomhook, at the
#    limit with nothing left to reclaim, kills leak, inside /race only (a
#    cgroup outside it marked prefer is left alone).  Ten runs with 16 MB of
#    zram swap under /race's memory.swap.max, ten without (memory.swap.max
#    0), ten without and with /race's guard band (limit_guard): how often
#    leak is the only victim.  The emptyDir case: a cgroup
#    limited to 64 MB writes 96 MB of files into an opted-in tmpfs
#    directory; switched off, the kernel kills the writer; with
#    "tmpfs,memcg" and /pod's guard band (limit_guard: memory.high a
#    sixteenth below memory.max), the files are freed, the writer
#    finishes, and a file of the same directory charged to another cgroup
#    stays.  limit_guard's bad input, and memory.high put back.  A cgroup at its
#    limit with page cache to reclaim is looked at and left alone, and
#    unloading then is clean.  limit_guard= at load, and put back at
#    unload.
# mem: 320
# timeout: 900

RUNS=10

must "zram swap, 128 MB" zram_swap 128M
must "load oomhook (the default cooldown does not hold back a limit)" load_core policy=memcg
must "memcg active" wait_policy memcg

cg_new by
mark by prefer
spawn by hog -s 8 -H -r /run/by.ready
by=$LASTPID
must "a bystander outside the limit, marked prefer" wait_until 30 ready /run/by.ready
cg_new race
must "/race: +memory below it, 64 MB" sh -c "echo +memory > $CG/race/cgroup.subtree_control &&
	echo 64M > $CG/race/memory.max"
cg_new race/big
cg_new race/leak
mark race/big avoid

# race SWAP_MAX: one run; prints who died first and only: "leak" or
# "big", or "both" (at once, or the other within a second), or "none".
race() {
	local big leak who
	echo "$1" > $CG/race/memory.swap.max
	rm -f /run/big.ready
	spawn race/big hog -s 48 -H -r /run/big.ready
	big=$LASTPID
	wait_until 30 ready /run/big.ready || { echo none; return; }
	spawn race/leak hog
	leak=$LASTPID
	wait_until 60 sh -c "! kill -0 $leak 2>/dev/null || ! kill -0 $big 2>/dev/null"
	if dead "$leak" && dead "$big"; then who=both
	elif dead "$leak"; then who=leak
	elif dead "$big"; then who=big
	else who=none
	fi
	# The leak goes on once big is gone: stop it before it is killed too.
	[ $who = big ] && kill -9 "$leak" 2>/dev/null
	sleep 1
	[ $who = leak ] && dead "$big" && who=both
	kill -9 "$big" "$leak" 2>/dev/null
	wait_until 10 emptied race/big
	wait_until 10 emptied race/leak
	echo $who
}

# ---- switched off: the kernel's choice -----------------------------------
put $OH/enabled 0
who=$(race 16M)
say "switched off, with swap: $who died"
check "switched off, the kernel's memcg OOM killer kills big" eq "$who" big
put $OH/enabled 1

# ---- the race: with swap, without, and without with the guard band ------
G=$OH/limit_guard
for mode in swap noswap guard; do
	swap=16M
	[ $mode = swap ] || swap=0
	[ $mode = guard ] && must "/race's guard band" put $G "add /race"
	won=0 tally=
	r0=$(stat_of limit_runs)
	for i in $(seq $RUNS); do
		who=$(race $swap)
		tally="$tally $who"
		[ "$who" = leak ] && won=$((won + 1))
	done
	say "$mode (memory.swap.max $swap): leak the only victim in $won of $RUNS:$tally"
	say "limit decisions: $(( $(stat_of limit_runs) - r0 ))"
	[ $mode = noswap ] || check "$mode: leak the only victim in 9 of $RUNS or more" ge "$won" 9
done
must "no guard band" put $G clear
say "events: $(grep 'trigger=limit:' $OH/events | head -3 | tr '\n' ';')"
check "decisions at the limit, scoped to it" event_has "trigger=limit:/race " \
	"policy=memcg" "action=kill" "victim=/race/leak "
check "no decision chose outside /race" sh -c \
	"! grep 'trigger=limit:' $OH/events | grep -v -q 'victim=/race/'"
check "the bystander marked prefer, outside the limit, is alive" alive "$by"
kill "$by"

# ---- the emptyDir case ---------------------------------------------------------
# A pod's memory-backed volume: /tmp/ed, opted in; /pod limited to 64 MB,
# without swap, writes 8 files of 12 MB into it.  /tmp/ed/other (8 MB) is
# charged to /other.
mkdir -p /tmp/ed
cg_new pod
cg_new other
must "/pod limited to 64 MB, no swap" sh -c "echo 64M > $CG/pod/memory.max &&
	echo 0 > $CG/pod/memory.swap.max"
spawn other dd if=/dev/zero of=/tmp/ed/other bs=1M count=8
wait_until 10 dead $LASTPID
writer() {
	rm -f /run/pod.done /tmp/ed/f*
	spawn pod sh -c 'for i in 1 2 3 4 5 6 7 8; do
		dd if=/dev/zero of=/tmp/ed/f$i bs=1M count=12 2>/dev/null || exit 1
	done; echo done > /run/pod.done'
	WRITER=$LASTPID
	wait_until 60 dead "$WRITER"
}
k0=$(kernel_kills)
put $OH/enabled 0
writer
say "switched off: $(tr '\n' ' ' < $CG/pod/memory.events)"
check "switched off, the kernel kills in /pod" ge "$(kernel_kills)" $((k0 + 1))
check "... and the writer does not finish" test ! -e /run/pod.done
wait_until 10 emptied pod
put $OH/enabled 1

must "the tmpfs policy" modprobe oomhook_tmpfs
must "/tmp/ed opted in" put $OH/policies/tmpfs/dirs "add /tmp/ed"
must "tmpfs,memcg" put $OH/policy tmpfs,memcg

# The guard band: memory.high a sixteenth below memory.max, 60 of 64 MB.
check "a missing cgroup refused" fails_with $G "add /nope" "No such file"
check "a cgroup without memory.max refused" fails_with $G "add /other" "Invalid argument"
check "a malformed path refused" fails_with $G "add pod" "Invalid argument"
check "an unknown verb refused" fails_with $G "set /pod" "Invalid argument"
check "deleting what is not listed refused" fails_with $G "del /pod" "No such file"
refuse_unprivileged $OH limit_guard
check "/other's memory.high untouched" eq "$(cat $CG/other/memory.high)" max
accept $G "add /pod" "/pod high=62914560"
check "/pod's memory.high set" eq "$(cat $CG/pod/memory.high)" 62914560
check "listed twice refused" fails_with $G "add /pod/" "File exists"
accept $G "del /pod" ""
check "/pod's memory.high back to max" eq "$(cat $CG/pod/memory.high)" max
accept $G "add /pod" "/pod high=62914560"

k0=$(kernel_kills) kills0=$(stat_of kills)
writer
say "tmpfs,memcg: $(tr '\n' ' ' < $CG/pod/memory.events)"
say "events: $(grep 'trigger=limit:/pod ' $OH/events | tr '\n' ';')"
check "the writer finished" test -e /run/pod.done
check "nobody was killed" eq "$(kernel_kills) $(stat_of kills)" "$k0 $kills0"
check "tmpfs freed files at /pod's limit" event_has "trigger=limit:/pod " \
	"policy=tmpfs" "action=freed"
check "the file charged to /other stays" test -s /tmp/ed/other
check "counted as charged elsewhere" ge \
	"$(awk '$1 == "elsewhere_skipped" { print $2 }' $OH/policies/tmpfs/stats)" 1
rm -f /tmp/ed/*
accept $G clear ""
check "/pod's memory.high back to max after clear" eq "$(cat $CG/pod/memory.high)" max

# ---- at the limit with page cache: looked at, left alone; unload ------------
must "a sparse file on ext2 on a loop device" sparse_disk
cg_new R
must "/R limited to 16 MB" sh -c "echo 16M > $CG/R/memory.max"
c0=$(stat_of limit_checks) r0=$(stat_of limit_runs)
spawn R sh -c 'while :; do cat /mnt/sparse > /dev/null; done'
reader=$LASTPID
sleep 3
say "R: $(tr '\n' ' ' < $CG/R/memory.events); checks $(( $(stat_of limit_checks) - c0 ))"
check "/R was looked at, at its limit" ge "$(stat_of limit_checks)" $((c0 + 1))
check "... and left alone: page cache to reclaim" eq "$(stat_of limit_runs)" "$r0"
check "the reader lives" alive "$reader"
check "unload while it is at its limit" sh -c "echo none > $OH/policy &&
	rmmod oomhook_tmpfs oomhook_memcg && rmmod oomhook"
kill "$reader"

# ---- limit_guard= at load ---------------------------------------------------
must "/pod limited again" sh -c "echo 64M > $CG/pod/memory.max"
must "load with limit_guard=/pod,/nope" load_core limit_guard=/pod,/nope
check "/pod's band set at load" eq "$(cat $OH/limit_guard)" "/pod high=62914560"
check "/pod's memory.high" eq "$(cat $CG/pod/memory.high)" 62914560
check "the missing one named in the kernel log" sh -c \
	"dmesg | grep -q 'no guard band for /nope: -2'"
check "unload" rmmod oomhook
check "/pod's memory.high put back at unload" eq "$(cat $CG/pod/memory.high)" max
check "a malformed limit_guard= refused at load" sh -c \
	"! modprobe oomhook limit_guard=pod 2>/dev/null && ! test -d $OH"
check "no warning in the kernel log" sh -c "! dmesg | grep -q -E 'WARNING|BUG:'"
