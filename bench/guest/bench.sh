#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The benchmark inside one guest: start one contender, measure it while the
# machine is calm, then run each scenario RUNS times.  Runs from the data
# disk (/bench, /dev/vdb) as bench.service; results go to /bench/out, which
# the host reads after the guest powers off.  /bench/config sets CONTENDER,
# SCENARIOS, RUNS, EPISODE_S and CALM_S; CLIENT=1 runs client.sh's tests of
# what systemd makes of the contender's kills instead of the scenarios.
set -u
# Run from a copy, so that /bench can be unmounted at the end.
if [ "$0" != /run/bench-driver.sh ]; then
	cp "$0" /run/bench-driver.sh
	exec /bin/bash /run/bench-driver.sh
fi
B=/bench
. $B/config
BIN=$B/bin
OUT=$B/out
RUN=/run/bench
KV=$(uname -r)
mkdir -p "$OUT" "$RUN"
RESULTS=$OUT/results

log() { echo "[guest $(cut -d' ' -f1 /proc/uptime)s] $*"; }
now() { "$BIN/sampler" -n; }
meminfo() { awk -v k="$1:" '$1 == k { print $2 }' /proc/meminfo; }
MEMTOTAL=$(meminfo MemTotal)

# The stock kernel's zram (and its dependencies) and oomhook's modules.
mkdir -p "/lib/modules/$KV"
cp -a "$B/lib/modules/$KV/." "/lib/modules/$KV/"
depmod -a

# ---- contenders ---------------------------------------------------------------
# Each starts from its Debian package's defaults; what differs is said in
# config.txt, with every configuration file the contender reads.
CPIDS=
start_contender() {
	local unit=
	case $CONTENDER in
	kernel)
		echo "the kernel's OOM killer alone: vm.overcommit_memory=$(cat /proc/sys/vm/overcommit_memory), vm.oom_kill_allocating_task=$(cat /proc/sys/vm/oom_kill_allocating_task)"
		;;
	earlyoom)
		unit=earlyoom
		cat /etc/default/earlyoom
		;;
	nohang)
		unit=nohang
		grep -vE '^\s*(#|$)' /etc/nohang/nohang.conf
		;;
	oomd)
		# /etc/default/oomd says: with the unified hierarchy (Debian 12's
		# default) the --cgroup-fs argument must go.
		sed -i 's| --cgroup-fs /sys/fs/cgroup/unified||' /etc/default/oomd
		unit=oomd
		cat /etc/default/oomd /etc/oomd/oomd.json
		;;
	systemd-oomd)
		unit=systemd-oomd
		systemd-analyze cat-config systemd/oomd.conf
		cat /usr/lib/systemd/system/-.slice.d/*oomd* \
			/usr/lib/systemd/system/user@.service.d/*oomd*
		;;
	oomhook)
		# The README's example from boot, minus system.slice's
		# protection (the workloads here are system services).
		cat >/etc/modprobe.d/oomhook.conf <<-EOC
			options oomhook policy=tmpfs,memcg psi=/:some:150000:1000000
			options oomhook_memcg subtree=/
			options oomhook_tmpfs search_dirs=/dev/shm
		EOC
		cat /etc/modprobe.d/oomhook.conf
		modprobe oomhook || log "modprobe oomhook failed"
		# The policy modules load in the background.
		for i in $(seq 1 100); do
			grep -q '^\[tmpfs,memcg\]' /sys/kernel/oomhook/policy && break
			sleep 0.1
		done
		echo "loaded: $(cat /sys/kernel/oomhook/policy) version $(cat /sys/module/oomhook/version)"
		echo "PSI triggers: $(cat /sys/kernel/oomhook/psi_triggers)"
		;;
	esac
	if [ -n "$unit" ]; then
		systemctl start "$unit" || log "$unit did not start"
		sleep 2
		CPIDS=$(cat "/sys/fs/cgroup$(systemctl show -P ControlGroup "$unit")/cgroup.procs")
		echo "$unit: $(systemctl show -p ActiveState,MainPID "$unit" | tr '\n' ' ')"
	fi
}

# CPU ticks, wake-ups (context switches of every thread) and RSS of PIDS.
proc_usage() {
	local p t ticks=0 sw=0 rss=0 v
	for p in $CPIDS; do
		[ -r "/proc/$p/stat" ] || continue
		v=$(awk '{ print $14 + $15 }' "/proc/$p/stat")
		ticks=$((ticks + v))
		for t in /proc/$p/task/*/status; do
			v=$(awk '/^(voluntary|nonvoluntary)_ctxt_switches/ { s += $2 } END { print s + 0 }' "$t")
			sw=$((sw + v))
		done
		v=$(awk '/^VmRSS/ { print $2 }' "/proc/$p/status")
		rss=$((rss + ${v:-0}))
	done
	echo "$ticks $sw $rss"
}

# oomhook has no thread: count what it queues on its workqueue, its own
# trace events and the wake-ups of the kernel's PSI poller.
TR=/sys/kernel/tracing
trace_start() {
	[ -e $TR/trace ] || mount -t tracefs none $TR
	echo 0 >$TR/tracing_on
	echo >$TR/trace
	echo 'workqueue == "oomhook"' >$TR/events/workqueue/workqueue_queue_work/filter
	echo 1 >$TR/events/workqueue/workqueue_queue_work/enable
	echo 'comm == "psimon"' >$TR/events/sched/sched_wakeup/filter
	echo 1 >$TR/events/sched/sched_wakeup/enable
	echo 1 >$TR/events/oomhook/enable
	echo 1 >$TR/tracing_on
}
trace_stop() {
	echo 0 >$TR/tracing_on
	grep -cv '^#' $TR/trace
	echo 0 >$TR/events/enable
}

calm() {
	local a b ticks sw rss hz=$(getconf CLK_TCK) size=0 m
	log "calm: measuring $CONTENDER for ${CALM_S}s"
	if [ "$CONTENDER" = oomhook ]; then
		trace_start
		sleep "$CALM_S"
		sw=$(trace_stop)
		for m in /sys/module/oomhook*/coresize; do
			[ -r "$m" ] && size=$((size + $(cat "$m")))
		done
		echo "calm contender=$CONTENDER cpu_ms=0 wakeups=$sw seconds=$CALM_S rss_kb=$((size / 1024)) what=module_text_and_data"
	elif [ -n "$CPIDS" ]; then
		a=$(proc_usage)
		sleep "$CALM_S"
		b=$(proc_usage)
		set -- $a $b
		ticks=$(($4 - $1)) sw=$(($5 - $2)) rss=$6
		echo "calm contender=$CONTENDER cpu_ms=$((ticks * 1000 / hz)) wakeups=$sw seconds=$CALM_S rss_kb=$rss what=processes"
	else
		echo "calm contender=$CONTENDER cpu_ms=0 wakeups=0 seconds=0 rss_kb=0 what=none"
	fi >>"$RESULTS"
	tail -n 1 "$RESULTS"
}

# ---- workloads -------------------------------------------------------------------
unit() { # NAME COMMAND...: a system service, as a real workload would be
	local name=$1
	shift
	systemd-run --quiet --collect --unit="$name" -p MemoryAccounting=yes "$@"
}
ZRAM=
swap_on() {
	modprobe zram
	echo "$1" >/sys/block/zram0/disksize
	mkswap /dev/zram0 >/dev/null
	swapon /dev/zram0
	ZRAM=1
}
swap_off() {
	[ -n "$ZRAM" ] || return 0
	swapoff /dev/zram0 2>/dev/null
	echo 1 >/sys/block/zram0/reset
	ZRAM=
}
avail_mb() { echo $(($(meminfo MemAvailable) / 1024)); }

# Each scenario has setup_S (calm), trigger_S (the misbehaviour), RIGHT (the
# unit whose death is the right answer; it is killed after each episode),
# cleanup_S, and may have teardown_S after its last run.
setup_fast_leak() { RIGHT=bench-batch WATCH_DIR=; }
trigger_fast_leak() { unit bench-batch "$BIN/hog" -c 4; }
cleanup_fast_leak() { :; }

setup_slow_leak() {
	RIGHT=bench-batch WATCH_DIR=
	swap_on 256M
}
# 1 MB every 20 ms, all of it kept hot: it thrashes once past memory.
trigger_slow_leak() { unit bench-batch "$BIN/hog" -c 1 -i 20 -W; }
cleanup_slow_leak() { swap_off; }

setup_file_thrash() {
	RIGHT=bench-batch WATCH_DIR=
	mkdir -p /data
	mount -o ro /dev/vdc /data
}
# A job whose anonymous memory leaves ~40 MB for the page cache, and which
# then streams a 384 MB file from the virtio disk, again and again.
trigger_file_thrash() {
	local hold=$(($(avail_mb) - 40))
	unit bench-batch /bin/sh -c "$BIN/hog -s $hold -H &
		exec $BIN/filer read /data/file"
}
cleanup_file_thrash() { umount /data; }

setup_tmpfs_fill() {
	RIGHT=bench-batch WATCH_DIR=/dev/shm/cache
	# Room to fill memory: /dev/shm is half of it by default.
	mount -o remount,size=95% /dev/shm
	mkdir -p /dev/shm/cache
	# oomhook's documented opt-in; nothing else reads it.
	"$BIN/xattr" set /dev/shm/cache trusted.oomhook_tmpfs 1
}
# A cache that fills /dev/shm with 4 MB files and never stops trying.
trigger_tmpfs_fill() { unit bench-batch "$BIN/filer" fill /dev/shm/cache; }
cleanup_tmpfs_fill() {
	rm -rf /dev/shm/cache
	mount -o remount,size=50% /dev/shm
}

TENANTS=100
BAD_TENANT=57
# The tenants live from the first run to the last (those killed are
# started again).
setup_tenants() {
	local i
	RIGHT=bench-tenant-$BAD_TENANT WATCH_DIR=
	for i in $(seq 1 $TENANTS); do
		[ "$i" = $BAD_TENANT ] && continue
		[ -d "/sys/fs/cgroup/system.slice/bench-tenant-$i.service" ] && continue
		unit "bench-tenant-$i" "$BIN/hog" -s 1 -H
	done
}
trigger_tenants() { unit "bench-tenant-$BAD_TENANT" "$BIN/hog" -c 2 -i 5; }
cleanup_tenants() { :; }
teardown_tenants() { systemctl stop 'bench-tenant-*'; }

# ---- one episode ------------------------------------------------------------------
# Processes outside the driver and the kernel: "pid unit", one grep.
census() {
	grep -H '' /proc/[0-9]*/cgroup 2>/dev/null | awk -F: '{
		cg = $NF
		if (cg == "/" || cg ~ /^\/system\.slice\/bench\.service/)
			next
		split($1, p, "/")
		n = split(cg, c, "/")
		print p[3], c[n]
	}'
}

# 1 when the misbehaving unit has no process left (its cgroup is gone or
# empty), else 0.
right_gone() {
	local procs=/sys/fs/cgroup/system.slice/$RIGHT.service/cgroup.procs

	# cgroup files have no size: read it.
	if [ -n "$(cat "$procs" 2>/dev/null)" ]; then
		echo 0
	else
		echo 1
	fi
}

episode() {
	local s=$1 r=$2 t0 tend sp pid unitname st victims= v all line gone
	log "$s run $r: setup"
	"setup_$s"
	systemctl start bench-svc
	sync
	echo 3 >/proc/sys/vm/drop_caches
	sleep 3
	census >"$RUN/census"
	# The observer also enforces the limit, 5 s after the driver should
	# have, should the driver be stalled.
	rm -f "$RUN/samples.limit"
	"$BIN/sampler" -b "$RUN/beat" -l $(((1 + EPISODE_S + 5) * 1000)) \
		-k "/sys/fs/cgroup/system.slice/$RIGHT.service/cgroup.kill" \
		${WATCH_DIR:+-d "$WATCH_DIR"} "$RUN/samples" &
	sp=$!
	sleep 1
	t0=$(now)
	log "$s run $r: trigger (MemAvailable $(avail_mb) MB)"
	"trigger_$s"
	# The trigger's own processes, once started.
	census >>"$RUN/census"
	sleep 0.5
	census >>"$RUN/census"
	sort -u -n "$RUN/census" -o "$RUN/census"
	# Stop when memory has stayed available for 2 s after it ran short, or
	# after EPISODE_S.
	tend=$((t0 + EPISODE_S * 1000))
	while [ "$(now)" -lt "$tend" ]; do
		sleep 0.5
		awk -v check=1 -v t0="$t0" -v limit=$((EPISODE_S * 1000)) -v total="$MEMTOTAL" \
			-v gone="$(right_gone)" -f "$B/episode.awk" "$RUN/samples" && break
	done
	sleep 1
	kill "$sp"
	wait "$sp" 2>/dev/null
	# Dead: gone, or a zombie (the file job's hog is a child of its reader,
	# which never reaps it).
	while read -r pid unitname; do
		st=$(sed -n 's/^State:\s*\(.\).*/\1/p' "/proc/$pid/status" 2>/dev/null)
		case $st in "" | Z | X) victims="$victims $unitname:$pid" ;; esac
	done <"$RUN/census"
	# A unit the observer had to kill at the limit was not the contender's
	# victim.
	if [ "$(cat "$RUN/samples.limit" 2>/dev/null)" = killed ]; then
		all=$victims
		victims=
		for v in $all; do
			case $v in "$RIGHT.service:"*) ;; *) victims="$victims $v" ;; esac
		done
		log "$s run $r: $RIGHT was still running at the limit: the observer's kill is not counted"
	fi
	log "$s run $r: victims:${victims:- none}"
	# Stop the misbehaviour at once (no IPC), then tidy up.
	[ ! -e "/sys/fs/cgroup/system.slice/$RIGHT.service/cgroup.kill" ] ||
		echo 1 >"/sys/fs/cgroup/system.slice/$RIGHT.service/cgroup.kill"
	"cleanup_$s"
	systemctl stop "$RIGHT" bench-svc 2>/dev/null
	systemctl reset-failed 2>/dev/null
	cp "$RUN/samples" "$OUT/$s.$r.samples"
	awk -v t0="$t0" '$1 >= t0 - 1000' "$RUN/beats.log" >"$OUT/$s.$r.beats"
	case " $victims" in *" $RIGHT.service:"*) gone=1 ;; *) gone=0 ;; esac
	line=$(awk -v t0="$t0" -v limit=$((EPISODE_S * 1000)) -v total="$MEMTOTAL" -v right="$RIGHT" \
		-v victims="$victims" -v gone="$gone" -v beats="$OUT/$s.$r.beats" \
		-f "$B/episode.awk" "$OUT/$s.$r.samples")
	if [ -e "$RUN/samples.limit" ]; then
		log "$s run $r: the driver was stalled past the limit; the observer ended the episode"
		line="$line limit=observer:$(cat "$RUN/samples.limit")"
	fi
	echo "episode contender=$CONTENDER scenario=$s run=$r $line" >>"$RESULTS"
	sync
	log "$s run $r: $line"
	# The next run starts calm: the contender back (had it been killed),
	# memory back.
	[ -n "$CPIDS" ] && for unitname in earlyoom nohang oomd systemd-oomd; do
		[ "$CONTENDER" = "$unitname" ] && systemctl start "$unitname"
	done
	sleep 2
}

start_contender >"$OUT/config.txt" 2>&1
if [ "${CLIENT:-0}" = 1 ]; then
	log "contender $CONTENDER: what systemd makes of its kills"
	. "$B/client.sh"
	client_tests >"$OUT/client" 2>&1
	cat "$OUT/client"
else
	log "contender $CONTENDER, scenarios: $SCENARIOS, $RUNS run(s) each, ${EPISODE_S}s at most"
	calm
	for s in $SCENARIOS; do
		for r in $(seq 1 "$RUNS"); do
			episode "$s" "$r"
		done
		! declare -F "teardown_$s" >/dev/null || "teardown_$s"
	done
fi
[ "$CONTENDER" = oomhook ] && cat /sys/kernel/oomhook/stats >"$OUT/oomhook-stats"
dmesg >"$OUT/dmesg"
journalctl -b --no-pager >"$OUT/journal" 2>&1
log "done"
echo done >"$OUT/complete"
cd /
sync
umount /bench || log "could not unmount /bench"
