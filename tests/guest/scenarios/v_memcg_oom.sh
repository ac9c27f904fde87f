# SPDX-License-Identifier: GPL-2.0
# v. OOMs at a cgroup's own memory.max, which the OOM notifier never sees:
#    each kill of the kernel's memcg OOM killer is recorded in events, as
#    trigger=memcg-oom:<the cgroup at its limit> policy=kernel, with the
#    killed task's cgroup as the victim.  Covered: a kill before load (not
#    reported, nor taken for a later one), a child of the root made
#    after load and limited after it was made, a limit deeper down, a
#    watched cgroup removed (and a new one after it), a user's own kills
#    again and again (at most 4 records in 10 s, all counted), and nothing
#    recorded for a global OOM's kill.  While a limited cgroup sits below
#    its limit, oomhook runs no work; unloading while a cgroup is at its
#    limit is clean.
# mem: 256

T=/sys/kernel/tracing
memcg_records() { grep -c 'trigger=memcg-oom:' $OH/events; }
kills_at_least() { [ "$(stat_of memcg_oom_kills)" -ge "$1" ]; }

# ---- a kill before load ------------------------------------------------------
cg_new pre
cg_new pre/x
cg_new pre/y
must "/pre limited to 16 MB" sh -c "echo +memory > $CG/pre/cgroup.subtree_control &&
	echo 16M > $CG/pre/memory.max"
spawn pre/x hog
hog=$LASTPID
must "before load, the kernel kills in /pre/x" wait_until 60 dead "$hog"

must "load oomhook, recording only at limits" load_core policy=memcg limit_act=0
must "memcg active" wait_policy memcg
check "nothing recorded yet" eq "$(stat_of memcg_oom_kills)" 0
# A kill in /pre/y: the one before load is neither reported nor counted.
sleep 1
spawn pre/y hog
hog=$LASTPID
must "after load, the kernel kills in /pre/y" wait_until 60 dead "$hog"
check "recorded at /pre, in /pre/y" wait_until 5 event_has \
	"trigger=memcg-oom:/pre " "victim=/pre/y "
check "not the kill before load" sh -c "! grep -q 'victim=/pre/x ' $OH/events"
check "one kill counted" eq "$(stat_of memcg_oom_kills)" 1

# ---- a child of the root made after load, then limited ---------------------
cg_new lim
cg_new lim/a
must "+memory below /lim" sh -c "echo +memory > $CG/lim/cgroup.subtree_control"
must "/lim limited to 32 MB" sh -c "echo 32M > $CG/lim/memory.max"
spawn lim/a hog
hog=$LASTPID
must "the kernel's memcg OOM killer kills the hog" wait_until 60 dead "$hog"
check "recorded: the limited cgroup, the kernel, the victim's cgroup" \
	wait_until 5 event_has "trigger=memcg-oom:/lim " "policy=kernel" \
	"action=kill" "victim=/lim/a "
say "events: $(grep 'memcg-oom' $OH/events | tr '\n' ';')"
check "counted" ge "$(stat_of memcg_oom_kills)" 2
check "no global OOM" eq "$(stat_of triggers_oom)" 0
check "oomhook killed nothing" eq "$(stat_of kills)" 0

# ---- a limit deeper down, under a child of the root -------------------------
cg_new top
cg_new top/mid
cg_new top/mid/x
must "+memory below /top and /top/mid" sh -c "echo +memory > $CG/top/cgroup.subtree_control &&
	echo +memory > $CG/top/mid/cgroup.subtree_control"
must "/top/mid limited to 24 MB" sh -c "echo 24M > $CG/top/mid/memory.max"
spawn top/mid/x hog
hog=$LASTPID
must "killed at /top/mid's limit" wait_until 60 dead "$hog"
check "recorded at /top/mid" wait_until 5 event_has \
	"trigger=memcg-oom:/top/mid " "policy=kernel" "victim=/top/mid/x "
check "three records" eq "$(memcg_records)" 3

# ---- calm: a limited cgroup below its limit --------------------------------
spawn lim/a hog -s 8 -H -r /run/small.ready
small=$LASTPID
must "a small hog in /lim/a" wait_until 30 ready /run/small.ready
sleep 1
echo > $T/trace
echo 1 > $T/events/workqueue/workqueue_execute_start/enable
sleep 5
echo 0 > $T/events/workqueue/workqueue_execute_start/enable
calm=$(grep -c '\[oomhook\]' $T/trace)
check "no oomhook work in 5 calm seconds" eq "$calm" 0
kill "$small"
wait_until 10 dead "$small"

# ---- a watched cgroup removed, a new one after it -------------------------
wait_until 10 emptied lim
must "remove /lim" rmdir "$CG/lim/a" "$CG/lim"
cg_new lim2
cg_new lim2/b
must "/lim2 limited" sh -c "echo +memory > $CG/lim2/cgroup.subtree_control &&
	echo 32M > $CG/lim2/memory.max"
spawn lim2/b hog
hog=$LASTPID
must "killed at /lim2's limit" wait_until 60 dead "$hog"
check "recorded at /lim2" wait_until 5 event_has "trigger=memcg-oom:/lim2 " \
	"victim=/lim2/b "

# ---- a user's own kills, again and again ------------------------------------
# uid 1000 owns /U/w, below a limit, and gets its task killed 7 times in a
# row: at most 4 records in each 10 s, the rest counted; a kill in a cgroup
# owned by root right after is recorded all the same.
cg_new U
cg_new U/w
must "/U limited, /U/w owned by uid 1000" sh -c "echo +memory > $CG/U/cgroup.subtree_control &&
	echo 8M > $CG/U/memory.max && chown -R 1000 $CG/U/w"
k0=$(stat_of memcg_oom_kills) u0=$(stat_of memcg_oom_unrecorded)
t0=$(now_ms)
for i in 1 2 3 4 5 6 7; do
	spawn U/w hog
	hog=$LASTPID
	wait_until 30 dead "$hog" || break
	wait_until 10 emptied U/w
done
wait_until 5 kills_at_least $((k0 + 7))
t1=$(now_ms)
# Each 10 s begun may record 4 (how long 7 kills take depends on the kernel).
allowed=$((4 * ((t1 - t0) / 10000 + 1)))
user=$(grep -c 'trigger=memcg-oom:/U policy=kernel action=kill victim=/U/w ' $OH/events)
unrec=$(( $(stat_of memcg_oom_unrecorded) - u0 ))
say "uid 1000's 7 kills in $((t1 - t0)) ms: $user recorded, $unrec not"
check "all 7 counted" eq "$(( $(stat_of memcg_oom_kills) - k0 ))" 7
check "at most 4 recorded each 10 s" ge "$allowed" "$user"
check "the rest counted as unrecorded" eq "$((user + unrec))" 7
spawn lim2/b hog
hog=$LASTPID
must "a root-owned cgroup's hog killed right after" wait_until 60 dead "$hog"
check "recorded all the same" wait_until 5 sh -c \
	"[ \$(grep -c 'trigger=memcg-oom:/lim2 ' $OH/events) -ge 2 ]"

# ---- a global OOM's kill: the kernel's after a fallback, not a memcg OOM's --
n0=$(memcg_records) kk0=$(kernel_kills) g0=$(stat_of kernel_oom_kills)
must "dry run: the kernel's killer acts" put $OH/dry_run 1
cg_new G
spawn G hog
hog=$LASTPID
must "the kernel's global killer kills it" wait_until 120 dead "$hog"
check "the kernel killed" ge "$(kernel_kills)" $((kk0 + 1))
sleep 1
check "no memcg-oom record for it" eq "$(memcg_records)" "$n0"
say "events: $(grep 'victim=/G ' $OH/events | tr '\n' ';')"
check "recorded as the kernel's kill at a global OOM" event_has \
	"trigger=oom " "policy=kernel" "action=kill" "victim=/G "
check "counted" eq "$(stat_of kernel_oom_kills)" $((g0 + 1))
put $OH/dry_run 0

# ---- unload while a cgroup is at its limit ----------------------------------
# Page cache read into a cgroup limited to 16 MB: it reclaims at its limit
# all along, and memory.events wakes the watch each time.
must "a sparse file on ext2 on a loop device" sparse_disk
cg_new R
must "/R limited to 16 MB" sh -c "echo 16M > $CG/R/memory.max"
spawn R sh -c 'while :; do cat /mnt/sparse > /dev/null; done'
reader=$LASTPID
sleep 2
say "R: $(tr '\n' ' ' < $CG/R/memory.events)"
check "/R is at its limit" test "$(awk '$1 == "max" { print $2 }' $CG/R/memory.events)" -gt 0
# The positive control of the calm check: the tracing sees the watch's work.
echo > $T/trace
echo 1 > $T/events/workqueue/workqueue_execute_start/enable
sleep 2
echo 0 > $T/events/workqueue/workqueue_execute_start/enable
busy=$(grep -c 'limits_child_workfn \[oomhook\]' $T/trace)
say "the watch's work items in 2 s at the limit: $busy"
check "the tracing would have seen the watch's work" ge "$busy" 1
check "unload while it is" sh -c "echo none > $OH/policy && rmmod oomhook_memcg && rmmod oomhook"
kill "$reader"
check "no warning in the kernel log" sh -c "! dmesg | grep -q -E 'WARNING|BUG:'"
