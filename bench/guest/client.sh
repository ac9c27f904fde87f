# SPDX-License-Identifier: GPL-2.0
# Sourced by bench.sh when BENCH_CLIENT=1 (bench/smoke.sh): what real
# systemd makes of oomhook's kills, one unit killed at a global OOM and one
# on PSI.  Each must end with Result=oom-kill; the global one with oom_kill
# in its own memory.events (the kernel's killer made oomhook's kill), read
# by the unit's ExecStopPost= while its cgroup is still there.  Prints TAP
# lines; the host checks them.

client_check() { # DESCRIPTION COMMAND...
	local d=$1
	shift
	if "$@" >/dev/null 2>&1; then echo "ok - $d"; else echo "not ok - $d"; fi
}

# client_unit NAME COMMAND: a unit file, as a real service has, whose
# ExecStopPost= keeps its memory.events.
client_unit() {
	cat >"/run/systemd/system/$1.service" <<-EOF
		[Service]
		ExecStart=$2
		ExecStopPost=/bin/sh -c 'cat /sys/fs/cgroup/system.slice/$1.service/memory.events > /run/$1.events'
	EOF
}

client_wait_failed() { # UNIT SECONDS
	local n=0
	while [ "$(systemctl show -P ActiveState "$1")" != failed ]; do
		n=$((n + 1))
		[ $n -ge $(($2 * 10)) ] && return 1
		sleep 0.1
	done
}

# What systemd, the unit's memory.events and oomhook say of UNIT.
client_report() {
	echo "# $1: $(systemctl show -p Result,ExecMainStatus "$1" | tr '\n' ' ')"
	echo "# $1's memory.events: $(tr '\n' ' ' </run/$1.events 2>/dev/null)"
	echo "# oomhook: $(grep "victim=/system.slice/$1.service" /sys/kernel/oomhook/events)"
}

# client_run UNIT COMMAND: start it and wait for its end; report it.
client_run() {
	client_unit "$1" "$2"
	systemctl daemon-reload
	systemctl start "$1"
	client_check "$1 was killed" client_wait_failed "$1" 120
	client_report "$1"
}

client_oom_kills() { awk '$1 == "oom_kill" { print $2 }' "/run/$1.events" 2>/dev/null; }

client_tests() {
	local OH=/sys/kernel/oomhook u
	local psi
	# Only the trigger under test: no low-memory trigger, and no PSI
	# trigger until its test.
	echo 0 >$OH/low_mem_pct
	psi=$(cut -d' ' -f1 $OH/psi_triggers)
	echo clear >$OH/psi_triggers
	echo "# kernel_kill=$(cat $OH/kernel_kill) psi trigger: $psi"

	# A global OOM.
	u=client-oom
	client_run $u "$BIN/hog -c 4"
	client_check "$u: oomhook chose it at the global OOM" \
		grep -q "trigger=oom policy=memcg action=kill victim=/system.slice/$u.service" $OH/events
	client_check "$u: the kernel's killer killed it (its report)" sh -c \
		"dmesg | grep -q 'oom-kill:.*task_memcg=/system.slice/$u.service,'"
	client_check "$u: oom_kill in its memory.events" \
		test "$(client_oom_kills $u)" -ge 1
	client_check "$u: Result=oom-kill" \
		test "$(systemctl show -P Result $u)" = oom-kill
	client_check "$u: systemd saw the kernel's OOM kill" \
		sh -c "journalctl -b -u $u | grep -q 'killed by the OOM killer'"
	systemctl reset-failed $u

	# PSI: a leak that thrashes on swap until memory stalls 15% of a
	# second (the README's trigger).
	echo "add $psi" >$OH/psi_triggers
	modprobe zram
	echo 256M >/sys/block/zram0/disksize
	mkswap /dev/zram0 >/dev/null
	swapon /dev/zram0
	sleep 2
	u=client-psi
	client_run $u "$BIN/hog -c 1 -i 20 -W"
	client_check "$u: oomhook killed it on PSI" \
		grep -q "trigger=psi:/:some policy=memcg action=kill victim=/system.slice/$u.service" $OH/events
	client_check "$u: Result=oom-kill" \
		test "$(systemctl show -P Result $u)" = oom-kill
	client_check "$u: systemd took it for an OOM killer's kill (user.oomd_ooms)" \
		sh -c "journalctl -b -u $u | grep -q 'systemd-oomd killed'"
	systemctl reset-failed $u
	swapoff /dev/zram0
}
