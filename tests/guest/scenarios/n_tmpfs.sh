# SPDX-License-Identifier: GPL-2.0
# n. The tmpfs policy.  Configuration: non-tmpfs directories, missing
#    paths, files and symlinks are refused with clear errors.  Phase 1: a
#    global OOM with cache files in an opted-in directory (and in a
#    directory opted in by xattr) is resolved by freeing them: nobody is
#    killed, the kernel's killer does not run, and a mapped file (in use),
#    a file outside, a symlink pointing out, a nested mount and an unmarked
#    directory are left alone (q_tmpfs_safe frees a mapped file with
#    free_in_use=1).  Phase 2:
#    "tmpfs,memcg" with lru order, truncate-only mode and scan_max 2 frees
#    the older file, then the newer, then memcg kills.  Releases first:
#    "memcg,tmpfs", within the cooldown after memcg's kill, frees the files
#    at the next OOM rather than killing another cgroup.
# mem: 320
# timeout: 600

D=$OH/policies/tmpfs

# Truncating 72 MB takes ~60 ms on the stock kernel under TCG and more than
# the default 1 s budget on the debug kernel (KASAN poisons every page).
must "load oomhook" load_core policy=tmpfs budget_ms=$(scaled 1000 10000)
must "tmpfs active (autoloaded by alias)" wait_policy tmpfs
must "policy files present" test -f $D/dirs -a -f $D/stats

# ---- the tree ---------------------------------------------------------------
mkdir -p /tmp/cache/sub /tmp/outside /tmp/shm/plain /tmp/shm/marked \
	/tmp/cache/nested /mnt/ram
mount -t tmpfs -o size=32m tmpfs /tmp/cache/nested
mount -t ramfs ramfs /mnt/ram
for i in 1 2 3 4; do
	dd if=/dev/zero of=/tmp/cache/f$i bs=1M count=12 2>/dev/null
done
dd if=/dev/zero of=/tmp/cache/sub/f5 bs=1M count=12 2>/dev/null
dd if=/dev/zero of=/tmp/outside/keep bs=1M count=4 2>/dev/null
dd if=/dev/zero of=/tmp/cache/nested/keep bs=1M count=4 2>/dev/null
dd if=/dev/zero of=/tmp/shm/plain/keep bs=1M count=4 2>/dev/null
dd if=/dev/zero of=/tmp/shm/marked/f6 bs=1M count=4 2>/dev/null
ln -s /tmp/outside/keep /tmp/cache/link
echo hello > /tmp/regular
must "mark /tmp/shm/marked" xattr set /tmp/shm/marked trusted.oomhook_tmpfs 1
cg_new M
cg_new L
mark M omit
spawn M mapfile /tmp/cache/mapped 8 /run/mapped.ready
mapper=$LASTPID
must "the mapped file is written" wait_until 30 ready /run/mapped.ready
rss_shmem() { awk '/^RssShmem:/ { print int($2 / 1024) }' /proc/$mapper/status; }
check "the mapper holds 8 MB of the file" ge "$(rss_shmem)" 7

# ---- configuration ----------------------------------------------------------
check "sysfs (not tmpfs) refused" fails_with $D/dirs "add /sys/kernel" "cross-device"
check "ramfs (not tmpfs) refused" fails_with $D/dirs "add /mnt/ram" "cross-device"
check "a missing directory refused" fails_with $D/dirs "add /tmp/nope" "No such file"
check "a regular file refused" fails_with $D/dirs "add /tmp/regular" "Not a directory"
check "a symlink refused" fails_with $D/dirs "add /tmp/cache/link" "Not a directory"
check "a relative path refused" fails_with $D/dirs "add tmp/cache" "Invalid argument"
check "an unknown verb refused" fails_with $D/dirs "insert /tmp/cache" "Invalid argument"
check "deleting what is not there refused" fails_with $D/dirs "del /tmp/cache" "No such file"
check "the kernel log names the filesystem" sh -c 'dmesg | grep -q "refused /mnt/ram: it is on ramfs, not tmpfs"'
accept $D/dirs "add /tmp/cache/" "add /tmp/cache"
check "a duplicate refused" fails_with $D/dirs "add /tmp/cache" "File exists"
check "search /tmp/shm accepted" put $D/dirs "search /tmp/shm"
check "dirs lists both" eq "$(cat $D/dirs | tr '\n' ';')" "add /tmp/cache;search /tmp/shm;"
refuse $D/order "" "biggest" "lru lru" "LARGEST"
refuse $D/mode "" "remove" "truncate,delete"
refuse $D/scan_max "" "0" "65537" "-1" "1e3"
refuse $D/min_free_mb "" "-1" "65537" "x"
accept $D/order " lru " "largest [lru]"
accept $D/order largest "[largest] lru"
accept $D/min_free_mb 200 200
refuse_unprivileged $D dirs order mode scan_max min_free_mb
check "defaults: delete mode, scan_max 4096" \
	sh -c "[ \"\$(cat $D/mode)\" = '[delete] truncate' ] && [ \$(cat $D/scan_max) = 4096 ]"

# ---- phase 1: a global OOM, resolved by freeing files -------------------------
shmem_mb() { awk '/^Shmem:/ { print int($2 / 1024) }' /proc/meminfo; }
shmem_before=$(shmem_mb)
avail=$(mem_free_mb)
say "MemAvailable ${avail} MB, Shmem ${shmem_before} MB; hog wants $((avail + 40)) MB"
spawn L hog -s $((avail + 40)) -H -r /run/hog.ready
hog=$LASTPID
must "the hog got its memory" wait_until 120 ready /run/hog.ready
say "events: $(cat $OH/events)"
say "tmpfs stats: $(cat $D/stats | tr '\n' ' ')"
check "nobody was killed: the hog lives" alive "$hog"
check "the mapper lives" alive "$mapper"
check "the kernel's OOM killer killed nothing" eq "$(kernel_kills)" 0
check "no fallback to the kernel" eq "$(stat_of fallbacks)" 0
check "an event: tmpfs freed files in both directories" \
	event_has "trigger=oom" "policy=tmpfs" "action=freed" "/tmp/cache:5" "/tmp/shm:1"
check "the cache files are gone" sh -c '! ls /tmp/cache/f* /tmp/cache/sub/f5 2>/dev/null'
check "the marked directory's file is gone" test ! -e /tmp/shm/marked/f6
check "the mapped file is in use: left to the mapper" ge "$(rss_shmem)" 7
check "and counted" ge "$(awk '$1 == "in_use_skipped" { print $2 }' $D/stats)" 1
check "Shmem dropped by at least 60 MB" ge "$((shmem_before - $(shmem_mb)))" 60
check "files_freed counts 6" eq "$(awk '$1 == "files_freed" { print $2 }' $D/stats)" 6
check "bytes_freed counts 64 MB" eq "$(awk '$1 == "bytes_freed" { print $2 }' $D/stats)" $((64 * 1048576))
check "outside the directory: untouched" eq "$(stat -c %s /tmp/outside/keep)" 4194304
check "the symlink: untouched" test -L /tmp/cache/link
check "the nested mount: untouched" eq "$(stat -c %s /tmp/cache/nested/keep)" 4194304
check "the unmarked directory: untouched" eq "$(stat -c %s /tmp/shm/plain/keep)" 4194304
kill "$hog"
wait_until 10 dead "$hog"

# ---- phase 2: tmpfs,memcg; lru, truncate only, bounded scan ------------------
# hold_ms (default 5 s) must pass: three releases within it count as a
# policy that frees without helping.
sleep 6
mkdir /tmp/p2
dd if=/dev/zero of=/tmp/p2/old bs=1M count=4 2>/dev/null
sleep 2
dd if=/dev/zero of=/tmp/p2/new bs=1M count=8 2>/dev/null
check "reconfigure: /tmp/p2 first" sh -c "echo clear > $D/dirs && echo 'add /tmp/p2' > $D/dirs && echo 'add /tmp/cache' > $D/dirs"
put $D/order lru
put $D/mode truncate
put $D/min_free_mb 0
put $D/scan_max 2
st() { awk -v k="$1" '$1 == k { print $2 }' $D/stats; }
ev0=$(st events) sc0=$(st entries_scanned) lim0=$(st scan_limited) ds0=$(st dirs_scanned)
must "switch to tmpfs,memcg" sh -c "echo tmpfs,memcg > $OH/policy"
must "tmpfs,memcg active" wait_policy tmpfs,memcg
spawn L hog
leaker=$LASTPID
must "the OOM is resolved: the leaker died" wait_until 120 dead "$leaker"
wait_until 10 emptied L
say "events: $(cat $OH/events)"
say "tmpfs stats: $(cat $D/stats | tr '\n' ' ')"
check "first the older (smaller) file" \
	sh -c "cat $OH/events | grep 'policy=tmpfs' | tail -n 2 | head -n 1 | grep -q 'bytes=4194304'"
check "then the newer one" \
	sh -c "cat $OH/events | grep 'policy=tmpfs' | tail -n 1 | grep -q 'bytes=8388608'"
check "then memcg killed /L" event_has "policy=memcg" "action=kill" "victim=/L"
check "truncate mode: both files remain, empty" \
	sh -c '[ "$(stat -c %s /tmp/p2/old)" = 0 ] && [ "$(stat -c %s /tmp/p2/new)" = 0 ]'
check "the kernel's OOM killer killed nothing" eq "$(kernel_kills)" 0
check "the mapper (omit) lives" alive "$mapper"
ev=$(($(st events) - ev0))
check "tmpfs ran three times" eq "$ev" 3
check "each event scanned exactly scan_max entries" eq "$(($(st entries_scanned) - sc0))" $((ev * 2))
check "each event hit the bound" eq "$(($(st scan_limited) - lim0))" "$ev"
check "the bound kept the walk out of /tmp/cache" eq "$(($(st dirs_scanned) - ds0))" "$ev"

# ---- dry run: the plan is recorded, nothing is freed ------------------------
dd if=/dev/zero of=/tmp/p2/dry bs=1M count=4 2>/dev/null
kills0=$(kernel_kills)
check "dry run, tmpfs alone" sh -c "echo 1 > $OH/dry_run && echo tmpfs > $OH/policy"
spawn L hog
leaker=$LASTPID
check "the kernel's killer ends the OOM" wait_until 120 dead "$leaker"
check "the plan is recorded" event_has "policy=tmpfs" "action=dry-run" "victim=/tmp/p2:1"
check "the file is untouched" eq "$(stat -c %s /tmp/p2/dry)" 4194304
check "the kernel's killer acted" ge "$(($(kernel_kills) - kills0))" 1
put $OH/dry_run 0

# ---- releases first within the cooldown ---------------------------------------
# memcg alone kills a leak at the OOM; then, with "memcg,tmpfs" and within
# the cooldown, an OOM in another cgroup that needs memory only the cache
# can give back runs tmpfs first: the files go, and memcg, first in the
# chain, kills nobody for memory they hold (u_low saw the service killed
# 46 ms after a writer whose files held the memory).
sleep 6		# past the kernel's kill of the dry run (hold_ms)
mkdir /tmp/p3
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
	dd if=/dev/zero of=/tmp/p3/f$i bs=1M count=8 2>/dev/null
done
check "reconfigure: /tmp/p3, delete, 64 MB an event" \
	sh -c "echo clear > $D/dirs && echo 'add /tmp/p3' > $D/dirs &&
	echo delete > $D/mode && echo 4096 > $D/scan_max &&
	echo 64 > $D/min_free_mb"
must "cooldown_ms 60000" put $OH/cooldown_ms 60000
must "memcg alone" put $OH/policy memcg
must "memcg active" wait_policy memcg
kills0=$(stat_of kills) kk0=$(kernel_kills) rf0=$(stat_of oom_release_first)
spawn L hog
leaker=$LASTPID
must "memcg kills the leak" wait_until 120 dead "$leaker"
wait_until 10 emptied L
check "one kill" eq "$(stat_of kills)" $((kills0 + 1))
must "memcg,tmpfs" put $OH/policy memcg,tmpfs
must "memcg,tmpfs active" wait_policy memcg,tmpfs
cg_new N
avail=$(mem_free_mb)
say "MemAvailable ${avail} MB; /tmp/p3 holds $(du -sm /tmp/p3 | cut -f1) MB; N wants $((avail + 16)) MB"
spawn N hog -s $((avail + 16)) -H -r /run/n.ready
needy=$LASTPID
check "N gets its memory" wait_until 120 ready /run/n.ready
say "events: $(tail -n 3 $OH/events | tr '\n' ';')"
check "N lives" alive "$needy"
check "tmpfs freed the files at the OOM" \
	event_has "trigger=oom" "policy=tmpfs" "action=freed" "/tmp/p3:"
check "releases first, within the cooldown" \
	ge "$(stat_of oom_release_first)" $((rf0 + 1))
check "no other kill" eq "$(stat_of kills)" $((kills0 + 1))
check "nor by the kernel's killer" eq "$(kernel_kills)" "$kk0"
kill "$needy"
wait_until 10 dead "$needy"
put $OH/cooldown_ms 10000

# ---- unload ---------------------------------------------------------------------
check "opt in a mount's root" put $D/dirs "add /tmp/cache/nested"
check "it can still be unmounted: oomhook pins no mount" umount /tmp/cache/nested
check "oomhook_tmpfs is pinned while active" sh -c '! rmmod oomhook_tmpfs 2>/dev/null'
check "deselect and unload" sh -c "echo none > $OH/policy && rmmod oomhook_tmpfs"
check "the policy directory went with it" test ! -e $D
check "load with parameters" insmod $MODDIR/oomhook_tmpfs.ko dirs=/tmp/p2,/tmp/cache \
	search_dirs=/tmp/shm order=lru mode=truncate scan_max=10 min_free_mb=5
check "parameters applied" eq "$(cat $D/dirs | tr '\n' ';')" \
	"add /tmp/p2;add /tmp/cache;search /tmp/shm;"
check "a bad dirs= refuses the load" sh -c "rmmod oomhook_tmpfs && ! insmod $MODDIR/oomhook_tmpfs.ko dirs=/tmp/p2,/sys 2>/dev/null"
check "a bad order= refuses the load" sh -c "! insmod $MODDIR/oomhook_tmpfs.ko order=size 2>/dev/null"
check "nothing left loaded" sh -c '! grep -q "^oomhook_tmpfs " /proc/modules'
