# SPDX-License-Identifier: GPL-2.0
# q. The tmpfs policy never destroys data outside the opt-in.  In an
#    opted-in directory, at a global OOM with "tmpfs,memcg": a file with a
#    second name outside keeps its data under both names; a file and a
#    directory renamed out of the tree between the walk and the free are
#    left alone where they went; a file mapped read-only, one mapped
#    read-write and one open for writing are skipped and counted.  Only the
#    plain file is freed.  Then, with free_in_use=1, the mapped and written
#    files are freed under their users, who live on.
# mem: 320
# timeout: 600

D=$OH/policies/tmpfs
MB=1048576

must "load oomhook" load_core policy=tmpfs,memcg budget_ms=$(scaled 1000 10000)
must "tmpfs,memcg active" wait_policy tmpfs,memcg
st() { awk -v k="$1" '$1 == k { print $2 }' $D/stats; }
size_of() { stat -c %s "$1" 2>/dev/null || echo gone; }
mkfile() { dd if=/dev/zero of="$1" bs=1M count="$2" 2>/dev/null; }

# ---- the tree ---------------------------------------------------------------
# /tmp/cache holds the files; /tmp/walk, the second entry, holds only empty
# files: reading it is the moment between the walk of /tmp/cache and the
# free, and walking its entries, then truncating the largest file (freed
# first), gives the renames time to land.
mkdir -p /tmp/cache/sub /tmp/walk /tmp/keep /tmp/outside
mkfile /tmp/cache/plain 32
mkfile /tmp/cache/linked 8
ln /tmp/cache/linked /tmp/keep/linked
mkfile /tmp/cache/moved 8
mkfile /tmp/cache/sub/inner 8
mkfile /tmp/cache/written 8
mkfile /tmp/cache/romapped 8
nwalk=$(scaled 20000 4000)
(cd /tmp/walk && seq 1 "$nwalk" | xargs touch)
say "$nwalk empty files in /tmp/walk"

cg_new M
cg_new L
mark M omit
spawn M sh -c 'exec 3>>/tmp/cache/written; exec sleep 100000'
writer=$LASTPID
spawn M mapfile /tmp/cache/rwmapped 8 /run/rw.ready
rwmapper=$LASTPID
spawn M mapfile /tmp/cache/romapped ro /run/ro.ready
romapper=$LASTPID
must "the mappers are ready" wait_until 30 ready /run/rw.ready /run/ro.ready
rss_shmem() { awk '/^RssShmem:/ { print int($2 / 1024) }' "/proc/$1/status"; }
check "the read-write mapper holds its 8 MB" ge "$(rss_shmem "$rwmapper")" 7
check "the read-only mapper holds its 8 MB" ge "$(rss_shmem "$romapper")" 7

check "free_in_use is off by default" eq "$(cat $D/free_in_use)" 0
refuse $D/free_in_use "" "2" "-1" "maybe"
refuse_unprivileged $D free_in_use
# Aim high, so that every candidate is tried.
put $D/min_free_mb 200
put $D/scan_max 65536
must "opt in /tmp/cache" put $D/dirs "add /tmp/cache"
must "opt in /tmp/walk" put $D/dirs "add /tmp/walk"
renameon /tmp/walk /run/renamed /tmp/cache/moved /tmp/outside/moved \
	/tmp/cache/sub /tmp/outside/sub &
must "the renames are armed" wait_until 10 grep -qs armed /run/renamed

# ---- a global OOM -------------------------------------------------------------
avail=$(mem_free_mb)
say "MemAvailable ${avail} MB; the hog wants $((avail + 40)) MB"
spawn L hog -s $((avail + 40)) -H -r /run/hog.ready
hog=$LASTPID
# Freeing what is not opted in would give the hog its memory.
wait_until 180 sh -c "! kill -0 $hog 2>/dev/null || [ -s /run/hog.ready ]"
check "the OOM is resolved: memcg killed the hog" dead "$hog"
kill -9 "$hog" 2>/dev/null
wait_until 10 emptied L
say "events: $(cat $OH/events)"
say "tmpfs stats: $(cat $D/stats | tr '\n' ' ')"
say "renames: $(cat /run/renamed | tr '\n' ' ')"
check "the renames landed during the walk" grep -q renamed /run/renamed
check "tmpfs freed the plain file, alone" \
	event_has "trigger=oom" "policy=tmpfs" "action=freed" "victim=/tmp/cache:1" "bytes=$((32 * MB))"
check "the plain file is gone" test ! -e /tmp/cache/plain
check "hard link: the name outside keeps its data" eq "$(size_of /tmp/keep/linked)" $((8 * MB))
check "hard link: the name inside is kept too" eq "$(size_of /tmp/cache/linked)" $((8 * MB))
check "a file renamed out keeps its data" eq "$(size_of /tmp/outside/moved)" $((8 * MB))
check "a file in a directory renamed out keeps its data" \
	eq "$(size_of /tmp/outside/sub/inner)" $((8 * MB))
check "the file open for writing keeps its data" eq "$(size_of /tmp/cache/written)" $((8 * MB))
check "the read-write mapped file keeps its data" eq "$(size_of /tmp/cache/rwmapped)" $((8 * MB))
check "the read-only mapped file keeps its data" eq "$(size_of /tmp/cache/romapped)" $((8 * MB))
check "the mappers still hold their memory" \
	sh -c "[ $(rss_shmem "$rwmapper") -ge 7 ] && [ $(rss_shmem "$romapper") -ge 7 ]"
check "linked_skipped counts the hard link" ge "$(st linked_skipped)" 1
check "moved_skipped counts the two renames" eq "$(st moved_skipped)" 2
check "in_use_skipped counts the three files in use" ge "$(st in_use_skipped)" 3
check "the writer and the mappers live" all_alive "$writer" "$rwmapper" "$romapper"
check "the kernel's OOM killer killed nothing" eq "$(kernel_kills)" 0

# ---- free_in_use=1: files in use are freed under their users ------------------
# Three releases within hold_ms count as a policy that frees without helping.
sleep 6
check "free_in_use accepts 1" put $D/free_in_use 1
avail=$(mem_free_mb)
spawn L hog -s $((avail + 40)) -H -r /run/hog2.ready
hog=$LASTPID
wait_until 180 sh -c "! kill -0 $hog 2>/dev/null || [ -s /run/hog2.ready ]"
check "the second OOM is resolved: memcg killed the hog" dead "$hog"
kill -9 "$hog" 2>/dev/null
say "events: $(cat $OH/events)"
check "the file open for writing is freed" test ! -e /tmp/cache/written
check "the mapped files are freed" \
	sh -c '! test -e /tmp/cache/rwmapped && ! test -e /tmp/cache/romapped'
check "their memory left the mappers" \
	sh -c "[ $(rss_shmem "$rwmapper") = 0 ] && [ $(rss_shmem "$romapper") = 0 ]"
check "the writer and the mappers live" all_alive "$writer" "$rwmapper" "$romapper"
check "the hard link is still spared" eq "$(size_of /tmp/keep/linked)" $((8 * MB))
check "and what was renamed out" \
	sh -c "[ $(size_of /tmp/outside/moved) = $((8 * MB)) ] && [ $(size_of /tmp/outside/sub/inner) = $((8 * MB)) ]"
kill "$writer" "$rwmapper" "$romapper" 2>/dev/null
