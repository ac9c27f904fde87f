# SPDX-License-Identifier: GPL-2.0
# Shared workload of b_oom, b_kernel, d_dryrun and demo: A (prefer) holds
# three hogs and grows a leak, B (avoid) holds the largest hog and a
# heartbeat, C (omit) a middle one.  Sizes follow MemAvailable (on the
# stock 256 MB guest, about 3 x 12, 90 and 25 MB), so the workload fits
# kernels with more overhead (KASAN's shadow) as well.

b_setup() {
	local avail i
	avail=$(mem_free_mb)
	a_mb=$((avail * 7 / 100))
	b_mb=$((avail * 52 / 100))
	c_mb=$((avail * 15 / 100))
	say "MemAvailable before the workload: $avail MB; A 3 x $a_mb, B $b_mb, C $c_mb MB"
	for g in A B C; do cg_new $g; done
	mark A prefer
	mark B avoid
	mark C omit
	a_pids=
	for i in 1 2 3; do
		spawn A hog -s $a_mb -H -r /tmp/a$i.ready
		a_pids="$a_pids $LASTPID"
	done
	spawn B hog -s $b_mb -H -r /tmp/b.ready
	b_pids=$LASTPID
	spawn B heartbeat -i 100 -o /tmp/heartbeat
	b_pids="$b_pids $LASTPID"
	spawn C hog -s $c_mb -H -r /tmp/c.ready
	c_pids=$LASTPID
	must "the workload is up" wait_until 60 ready /tmp/a1.ready /tmp/a2.ready \
		/tmp/a3.ready /tmp/b.ready /tmp/c.ready
	say "MemAvailable with the workload: $(mem_free_mb) MB"
}

b_leak() {
	spawn A hog -c 4
	leaker=$LASTPID
	say "leaker $leaker started in A"
}

# The heartbeat wrote within the last 2 s.
beating() {
	last=$(awk '{ print $4 }' /tmp/heartbeat)
	now=$(awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime)
	# heartbeat uses CLOCK_MONOTONIC, uptime CLOCK_BOOTTIME: equal here.
	[ $((now - last)) -lt 2000 ]
}

# Name the cgroup of every process the kernel's killer killed.
kernel_victims() {
	dmesg | sed -n 's/.*Killed process \([0-9]*\) (\([^)]*\)).*/\1 \2/p' |
	while read -r pid comm; do
		where=?
		for g in A B C; do
			case " $(eval echo \$$(echo $g | tr ABC abc)_pids) " in
			*" $pid "*) where=/$g ;;
			esac
		done
		[ "$pid" = "$leaker" ] && where="/A (the leaker)"
		echo "pid $pid ($comm) in $where"
	done
}
