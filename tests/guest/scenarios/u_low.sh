# SPDX-License-Identifier: GPL-2.0
# u. Low memory, acted on before anything runs out: the low trigger, on by
#    default.  The guest gets page cache that reclaim can drop (a sparse
#    file on an ext2 file system on a loop device: the cache is real, its
#    holes cost nothing), as a real machine has; with no cache at all,
#    memory would run down to the low watermark, about 1%, before anything
#    reclaims and rings the doorbell.
#    fast: a bare "modprobe oomhook policy=memcg", a fast leak beside an
#        avoided service: the leak's cgroup dies, on trigger=low, once; the
#        service lives; no global OOM happens at all (oom_kill and
#        triggers_oom unchanged).
#    creep: a leak that creeps to about 3.5% available (under the
#        threshold, not under half of it, and slowly) and holds, with
#        low_ms=2000: kswapd goes idle, the armed sampler watches, and the
#        kill comes low_ms after memory went under, not before, and not
#        much later.
#    cache: memory full of page cache (the file read past the guest's size,
#        beside a hog holding a third of it): free memory runs short and
#        reclaim rings the doorbell, but available memory stays high, and
#        nothing is armed or acted on.
#    release: a writer fills an opted-in tmpfs directory until memory is
#        low; memcg (first in "memcg,tmpfs") kills it, the files keep the
#        memory, and within the cooldown the low trigger runs tmpfs alone:
#        the files go, nothing else dies.
#    leftover: the writer with a hog beside it in its cgroup: the kill
#        brings memory back to between the threshold and the release
#        level, the files still hold the rest; the victim left them
#        charged to its cgroup, and a decision of releases only frees them
#        to the release level.
#    unload: rmmod while that reading rings the doorbell: clean.
# mem: 320
# timeout: 900

must "a sparse 1 GB file on ext2 on a loop device" sparse_disk
# cache MB [SKIP_MB]: MB of page cache, read from the sparse file (from
# SKIP_MB on: a part not read before is new cache).  Its holes read as
# zeroes and cost no disk; the pages are ordinary, reclaimable file cache.
cache() { dd if=/mnt/sparse of=/dev/null bs=1M count="$1" skip="${2:-0}" 2>/dev/null; }
low_kills() { grep 'trigger=low' $OH/events | grep -c 'action=kill victim=/leak '; }
avail_over() { [ "$(mem_free_mb)" -ge "$1" ]; }
meminfo() { awk '/^(MemFree|MemAvailable|Buffers|Cached):/ { printf "%s %d MB ", $1, $2 / 1024 }' /proc/meminfo; }
total_mb=$(awk '/^MemTotal:/ { print int($2 / 1024) }' /proc/meminfo)
# spawn_writer: in cgroup leak, 4 MB files into /tmp/rc until it is full,
# then it waits; its pid in $writer.
spawn_writer() {
	spawn leak sh -c 'i=0
		while dd if=/dev/zero of=/tmp/rc/f$i bs=1M count=4 2>/dev/null; do
			i=$((i + 1))
		done
		sleep 600'
	writer=$LASTPID
}

# ---- fast ---------------------------------------------------------------
LOW=default
must "modprobe oomhook policy=memcg (the low trigger's defaults)" \
	load_core policy=memcg
must "memcg active" wait_policy memcg
say "low_mem_pct=$(cat $OH/low_mem_pct) low_swap_pct=$(cat $OH/low_swap_pct) low_ms=$(cat $OH/low_ms)"
check "on by default" test "$(cat $OH/low_mem_pct)" -gt 0
cg_new svc
cg_new leak
mark svc avoid
spawn svc hog -s 24 -H -r /run/svc.ready
service=$LASTPID
must "the avoided service is up" wait_until 30 ready /run/svc.ready
cache 96
say "fast: $(meminfo)of $total_mb MB"
k0=$(kernel_kills)
spawn leak hog -c 4 -i 10
leaker=$LASTPID
must "fast: the leak dies" wait_until 120 dead "$leaker"
check "fast: killed on trigger=low" event_has "trigger=low" "action=kill" "victim=/leak"
check "fast: one kill" eq "$(stat_of kills)" 1
check "fast: the service lives" alive "$service"
check "fast: no global OOM (oom_kill)" eq "$(kernel_kills)" "$k0"
check "fast: no global OOM (triggers_oom)" eq "$(stat_of triggers_oom)" 0
say "fast: $(grep 'trigger=low' $OH/events | head -n 1)"
say "fast: $(grep -E '^(triggers_|low_)' $OH/stats | tr '\n' ' ')"
wait_until 10 emptied leak

# ---- creep --------------------------------------------------------------
# Most of the way at once, to about 8% available; then a slow creep of
# 1 MB every 500 ms to about 4% (under the threshold, not under half of
# it, and too slow to run out soon), which holds.  (Aimed at 3.5%, one run
# on 6.12 went to 2.2%, under half, as the kernel reclaimed the last
# cache.)  The duration is timed from the moment available memory is seen
# under the threshold.
put $OH/low_ms 2000
cache 96 96
sleep 12	# past the cooldown of the last kill
k0=$(stat_of triggers_oom)
avail=$(mem_free_mb)
bulk=$((avail - total_mb * 8 / 100))
say "creep: $(meminfo); $bulk MB at once"
kills0=$(stat_of kills)
lk0=$(low_kills)
spawn leak hog -s "$bulk" -c 4 -H -r /run/bulk.ready
bulker=$LASTPID
must "creep: the bulk is up" wait_until 120 ready /run/bulk.ready
creep=$(( $(mem_free_mb) - total_mb * 40 / 1000 ))
say "creep: bulk up, $(meminfo); then $creep MB slowly"
spawn leak hog -s "$creep" -c 1 -i 500 -H
leaker=$LASTPID
say "creep: the creep started at $(cut -d' ' -f1 /proc/uptime) s"
threshold_mb=$((total_mb * 5 / 100))
# The trigger's own test: MemAvailable * 100 < MemTotal * low_mem_pct.
under() {
	awk '/^MemTotal:/ { t = $2 } /^MemAvailable:/ { a = $2 }
	     END { exit !(a * 100 < t * 5) }' /proc/meminfo
}
if ! wait_until 60 under; then
	say "creep: never seen under; at $(cut -d' ' -f1 /proc/uptime) s: $(tail -n 1 $OH/events)"
	dmesg | grep 'oomhook: low memory' | sed 's/^/# /'
	bad "creep: under the threshold"
	finish
fi
t0=$(now_ms)
say "creep: under, $(meminfo); doorbell rings $(stat_of doorbell_rings), low_armed $(stat_of low_armed)"
must "creep: the leak dies" wait_until 60 all_dead "$leaker" "$bulker"
t1=$(now_ms)
say "creep: killed $((t1 - t0)) ms after available memory went under ${threshold_mb} MB; low_armed $(stat_of low_armed), low_samples $(stat_of low_samples)"
check "creep: killed on trigger=low" eq "$(low_kills)" $((lk0 + 1))
# Or, if the kernel's reclaim of the last cache took available memory under
# half the threshold meanwhile (seen on 6.12: 12 MB, then 5 MB of 269), at
# once for that, as the log must then show with its own figures.
creep_reason() {
	dmesg | grep 'oomhook: low memory' | tail -n 1 | awk '
		/for low_ms/ { ok = 1 }
		/under half the threshold/ {
			for (i = 1; i <= NF; i++)
				if ($i == "of" && $(i + 2) == "MB" && $(i + 3) == "available,")
					ok = $(i - 1) * 200 < $(i + 1) * 5
		}
		END { exit !ok }'
}
check "creep: for low_ms (or under half the threshold), as the log says" creep_reason
dmesg | grep 'oomhook: low memory' | sed 's/^/# /'
check "creep: one more kill" eq "$(stat_of kills)" $((kills0 + 1))
# This shell looks every 100 ms, the sampler too.
check "creep: not before low_ms" ge "$((t1 - t0))" 1800
check "creep: and within 3 s of it" lt "$((t1 - t0))" 5000
check "creep: no global OOM" eq "$(stat_of triggers_oom)" "$k0"
say "creep: $(grep -E '^(triggers_|oom_|low_)' $OH/stats | tr '\n' ' ')"
check "creep: the service lives" alive "$service"
wait_until 10 emptied leak

# ---- cache --------------------------------------------------------------
put $OH/low_ms 250
sleep 12
spawn leak hog -s $((total_mb / 3)) -H -r /run/third.ready
holder=$LASTPID
must "cache: a third of memory held" wait_until 60 ready /run/third.ready
echo 3 > /proc/sys/vm/drop_caches
rings0=$(stat_of doorbell_rings)
armed0=$(stat_of low_armed)
low0=$(stat_of triggers_low)
cache 1024
say "cache: MemAvailable $(mem_free_mb) MB after reading 1 GB; doorbell rings $(( $(stat_of doorbell_rings) - rings0 ))"
check "cache: reclaim rang the doorbell" ge "$(stat_of doorbell_rings)" $((rings0 + 1))
check "cache: nothing armed" eq "$(stat_of low_armed)" "$armed0"
check "cache: no low event" eq "$(stat_of triggers_low)" "$low0"
check "cache: the holder lives" alive "$holder"

# ---- release ------------------------------------------------------------
# A writer fills an opted-in tmpfs directory (its pages are charged to its
# cgroup) until memory is low: memcg, first in the chain, kills it (on
# trigger=low, or at the global OOM when the writer is faster than low_ms;
# seen once).  The files hold the memory after it is gone, and the
# cooldown (10 s) holds decisions back; the low trigger still runs the
# chain's releasing policy (tmpfs) alone, so the files go within low_ms or
# so, long before the cooldown is over, and nothing else is killed.  (The
# cooldown is not raised for this: the knob applies to the creep's kill
# too, and the writer would then run within that cooldown.)
kill "$holder"
wait_until 10 emptied leak
echo 3 > /proc/sys/vm/drop_caches
mkdir -p /tmp/rc
must "release: a tmpfs of 90% of memory" \
	mount -t tmpfs -o size=$((total_mb * 9 / 10))m tmpfs /tmp/rc
must "release: policy memcg,tmpfs" put $OH/policy memcg,tmpfs
must "release: both active" wait_policy memcg,tmpfs
must "release: /tmp/rc opted in" put $OH/policies/tmpfs/dirs "add /tmp/rc"
# One file at least per event, so that what a decision asks for decides.
must "release: min_free_mb 4" put $OH/policies/tmpfs/min_free_mb 4
sleep 12	# past the cooldown of the creep's kill
kills0=$(stat_of kills)
ro0=$(stat_of low_release_only)
spawn_writer
must "release: the writer dies" wait_until 60 all_dead "$writer"
t0=$(now_ms)
say "release: the writer died, $(meminfo); /tmp/rc holds $(du -sm /tmp/rc | cut -f1) MB"
must "release: cache files freed on trigger=low" \
	wait_until 20 event_has "trigger=low" "policy=tmpfs" "action=freed"
t1=$(now_ms)
say "release: freed $((t1 - t0)) ms after the kill; $(meminfo); /tmp/rc holds $(du -sm /tmp/rc | cut -f1) MB"
check "release: within the cooldown, by a decision of releases only" \
	ge "$(stat_of low_release_only)" $((ro0 + 1))
check "release: well within the 10 s cooldown" lt "$((t1 - t0))" 5000
check "release: no other kill" eq "$(stat_of kills)" $((kills0 + 1))
check "release: the service lives" alive "$service"
check "release: memory over the threshold again" \
	ge "$(mem_free_mb)" $((total_mb * 5 / 100))
# A decision of releases only asks for memory back to 25% (five times
# low_mem_pct), and the files are whole: allow for what the kernel takes
# back meanwhile.
check "release: back to the release level" \
	wait_until 5 avail_over $((total_mb * 22 / 100))
say "release: $(meminfo); /tmp/rc holds $(du -sm /tmp/rc | cut -f1) MB; $(grep 'policy=tmpfs' $OH/events | tail -n 1)"
say "release: $(grep -E '^(triggers_|low_|kills)' $OH/stats | tr '\n' ' ')"

# ---- leftover -----------------------------------------------------------
# The writer again, beside a hog of 6% of memory in its cgroup.  memcg
# kills both: the hog's memory comes back and the files' does not, so
# memory ends over the threshold (5%) and well under the release level
# (25%; 23% was seen with a hog of 15%), where the sampler does not act.  The victim left the files charged to its
# cgroup: a decision of releases only brings memory back to that level.
kill "$writer" 2>/dev/null
rm -f /tmp/rc/*
sleep 12	# past the cooldown of the release phase's kill
kills0=$(stat_of kills) left0=$(stat_of low_leftover)
freed0=$(grep -c 'trigger=low policy=tmpfs action=freed' $OH/events)
spawn leak hog -s $((total_mb * 6 / 100)) -H -r /run/leftover.ready
hog=$LASTPID
must "leftover: the hog is up" wait_until 30 ready /run/leftover.ready
spawn_writer
must "leftover: the writer and the hog die" wait_until 60 all_dead "$writer" "$hog"
say "leftover: killed, $(meminfo); /tmp/rc holds $(du -sm /tmp/rc | cut -f1) MB"
check "leftover: one kill" eq "$(stat_of kills)" $((kills0 + 1))
check "leftover: files freed on trigger=low" wait_until 10 sh -c \
	"[ \$(grep -c 'trigger=low policy=tmpfs action=freed' $OH/events) -gt $freed0 ]"
check "leftover: for what the victim left" ge "$(stat_of low_leftover)" $((left0 + 1))
check "leftover: back to the release level" \
	wait_until 5 avail_over $((total_mb * 22 / 100))
check "leftover: the service lives" alive "$service"
say "leftover: $(meminfo); /tmp/rc holds $(du -sm /tmp/rc | cut -f1) MB; $(grep 'policy=tmpfs' $OH/events | tail -n 1)"

# ---- unload -------------------------------------------------------------
cache 1024 &
reader=$!
sleep 1
check "unload while the doorbell rings" \
	sh -c "echo none > $OH/policy && rmmod oomhook_memcg oomhook_tmpfs &&
	rmmod oomhook"
wait "$reader"
check "no warning in the kernel log" sh -c "! dmesg | grep -q -E 'WARNING|BUG:'"
