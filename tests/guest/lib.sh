# SPDX-License-Identifier: GPL-2.0
#
# Helpers for guest scenarios (busybox sh).  A scenario is a script sourced
# after this file; it calls check/must and ends; "finish" turns the checks
# into the exit status.

OH=/sys/kernel/oomhook
CG=/sys/fs/cgroup
MODDIR=/lib/modules/$(uname -r)/extra
FAILED=0
LASTPID=

# scaled STOCK DEBUG: a repeat count for this kernel.  The debug kernel
# (KASAN, lockdep, kmemleak) runs 10-50 times slower under TCG, so loops
# that prove a property by repetition run fewer rounds there.
scaled() {
	case $(uname -r) in
	*-oomhook-debug) echo "$2" ;;
	*) echo "$1" ;;
	esac
}

say() { echo "# $*"; }

pass() { echo "ok - $*"; }

bad() {
	echo "not ok - $*"
	FAILED=1
}

# check DESCRIPTION COMMAND...: record whether COMMAND succeeds.
check() {
	local desc=$1
	shift
	if "$@"; then pass "$desc"; else bad "$desc"; fi
}

# must DESCRIPTION COMMAND...: like check, but stop the scenario on failure.
must() {
	local desc=$1
	shift
	if "$@"; then
		pass "$desc"
	else
		bad "$desc"
		finish
	fi
}

finish() {
	if [ "$FAILED" = 0 ]; then exit 0; fi
	say "stats:"; cat $OH/stats 2>/dev/null
	say "events:"; cat $OH/events 2>/dev/null
	exit 1
}

# wait_until SECONDS COMMAND...: poll COMMAND every 0.1 s.
wait_until() {
	local limit=$(($1 * 10)) n=0
	shift
	while ! "$@"; do
		n=$((n + 1))
		[ $n -ge $limit ] && return 1
		sleep 0.1
	done
	return 0
}

now_ms() { awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime; }

# cg_new NAME: create a cgroup below the root.
cg_new() { mkdir -p "$CG/$1"; }

# spawn CGROUP COMMAND...: start COMMAND in CGROUP, killable (oom_score_adj
# 0, unlike the driver); its pid is left in LASTPID.
spawn() {
	local dir=$CG/$1
	shift
	sh -c 'echo 0 > /proc/self/oom_score_adj; echo $$ > "$0/cgroup.procs"; exec "$@"' \
		"$dir" "$@" > /dev/null 2>&1 &
	LASTPID=$!
}

# alive PID: the process exists and is not a zombie.
alive() {
	[ -e "/proc/$1/status" ] && ! grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null
}

dead() { ! alive "$1"; }

all_dead() {
	local p
	for p in "$@"; do alive "$p" && return 1; done
	return 0
}

all_alive() {
	local p
	for p in "$@"; do dead "$p" && return 1; done
	return 0
}

# populated CGROUP: the cgroup has tasks.
populated() { grep -q '^populated 1' "$CG/$1/cgroup.events"; }

emptied() { ! populated "$1"; }

stat_of() { awk -v k="$1" '$1 == k { print $2 }' $OH/stats; }

vmstat_of() { awk -v k="$1" '$1 == k { print $2 }' /proc/vmstat; }

# Number of processes the kernel's own OOM killer killed since boot.
kernel_kills() { vmstat_of oom_kill; }

# "ohmutate=disabled" on the kernel command line loads oomhook inert
# (enabled=0): a mutation run, to see which checks depend on oomhook acting.
# The low-memory trigger is off (low_mem_pct=0) unless the scenario gives a
# low_* parameter or sets LOW=default: the scenarios about global OOMs and
# PSI need memory to run out, or to stall, before oomhook acts.  Likewise
# oomhook kills at a global OOM itself (kernel_kill=0) unless the scenario
# gives kernel_kill= or sets KERNEL_KILL=default: the scenarios written for
# that path check what its SIGKILL does; y_kernel_kill checks the default,
# where the kernel's killer kills oomhook's choice.
load_core() {
	local low=low_mem_pct=0 kk=kernel_kill=0
	case " $* " in *" low_"*) low= ;; esac
	case " $* " in *" kernel_kill="*) kk= ;; esac
	[ "${LOW:-off}" = default ] && low=
	[ "${KERNEL_KILL:-off}" = default ] && kk=
	if grep -q 'ohmutate=disabled' /proc/cmdline; then
		modprobe oomhook "$@" $low $kk enabled=0
	else
		modprobe oomhook "$@" $low $kk
	fi
}

# wait_policy CHAIN: wait until the bracketed chain reads [CHAIN].
wait_policy() { wait_until 15 grep -q "^\[$1\]" $OH/policy; }

# zram_swap SIZE: zram swap of SIZE (e.g. 256M), on.
zram_swap() {
	modprobe zram 2>/dev/null
	echo "$1" > /sys/block/zram0/disksize &&
		mkswap /dev/zram0 > /dev/null && swapon /dev/zram0
}

# sparse_disk: /mnt/sparse, a sparse 1 GB file on ext2 on a loop device
# (/tmp/disk, 64 MB): its holes read into real, reclaimable page cache,
# which they would not from a tmpfs.  The modules are built in on the
# debug kernel.
sparse_disk() {
	local m
	for m in loop crc32c_generic ext4; do modprobe $m 2>/dev/null; done
	truncate -s 64M /tmp/disk &&
		losetup /dev/loop0 /tmp/disk &&
		mke2fs -q /dev/loop0 > /dev/null 2>&1 && mkdir -p /mnt &&
		mount -t ext2 /dev/loop0 /mnt && truncate -s 1G /mnt/sparse
}

# xattr marker helpers for priorities (systemd's ManagedOOMPreference).
mark() { xattr set "$CG/$1" "user.oomd_$2" 1; }

# mem_free_mb: MemAvailable in MB.
mem_free_mb() { awk '/^MemAvailable:/ { print int($2 / 1024) }' /proc/meminfo; }

# ready FILE...: every hog wrote its ready file.
ready() {
	local f
	for f in "$@"; do [ -s "$f" ] || return 1; done
	return 0
}

# event_has PATTERN: some line of the events file matches all words.
event_has() {
	local line w
	line=$(cat $OH/events)
	for w in "$@"; do
		line=$(echo "$line" | grep -F -- "$w") || return 1
	done
	[ -n "$line" ]
}

# eq A B: numeric equality, with a message on failure.
eq() {
	[ "$1" = "$2" ] && return 0
	say "expected $2, got $1"
	return 1
}

ge() {
	[ "$1" -ge "$2" ] 2>/dev/null && return 0
	say "expected >= $2, got $1"
	return 1
}

lt() {
	[ "$1" -lt "$2" ] 2>/dev/null && return 0
	say "expected < $2, got $1"
	return 1
}

# rmmod_quiet MODULE: rmmod without its message (for wait_until: a module
# in use answers EAGAIN until its last reference goes).
rmmod_quiet() { rmmod "$1" 2>/dev/null; }

# ---- writes to sysfs files -------------------------------------------------

# put FILE VALUE: write VALUE (and a newline) in one write(2).
put() { printf '%s\n' "$2" > "$1" 2>/dev/null; }

# refuse FILE VALUE...: each write fails and FILE reads the same after.
refuse() {
	f=$1
	shift
	before=$(cat "$f")
	for v in "$@"; do
		if put "$f" "$v"; then
			bad "$(basename "$f") accepted '$v'"
			continue
		fi
		after=$(cat "$f")
		[ "$after" = "$before" ] || bad "$(basename "$f") changed after '$v'"
	done
	pass "$(basename "$f") refuses $# bad value(s) and stays '$(echo "$before" | head -n 1)'"
}

# accept FILE VALUE EXPECTED: the write works and reads back.
accept() {
	check "$(basename "$1") accepts '$2'" sh -c "printf '%s\n' '$2' > $1 && [ \"\$(cat $1)\" = '$3' ]"
}

# refuse_unprivileged DIR FILE...: writes to each DIR/FILE by uid 65534 and
# by root without CAP_SYS_ADMIN fail and leave it as it was.
refuse_unprivileged() {
	local dir=$1 f before
	shift
	for f in "$@"; do
		before=$(cat "$dir/$f" 2>/dev/null)
		runas -u 65534 sh -c "printf '0\n' > $dir/$f" 2>/dev/null &&
			bad "uid 65534 could write $f"
		runas -n sh -c "printf 'clear\n' > $dir/$f" 2>/dev/null &&
			bad "root without CAP_SYS_ADMIN could write $f"
		[ "$(cat "$dir/$f" 2>/dev/null)" = "$before" ] ||
			bad "$f changed by an unprivileged write"
	done
	pass "unprivileged writes refused on $# files in $dir"
}

# write_error FILE VALUE: write VALUE in one write(2); print the error
# message the kernel's errno gives, nothing if the write succeeded.
write_error() {
	printf '%s\n' "$2" | dd of="$1" conv=notrunc 2>&1 >/dev/null |
		sed -n 's/^dd: .*: //p' | head -n 1
}

# fails_with FILE VALUE TEXT: the write fails with TEXT (e.g. "No such
# file or directory") and FILE reads the same after.
fails_with() {
	local before err
	before=$(cat "$1")
	err=$(write_error "$1" "$2")
	case $err in
	*"$3"*) ;;
	*) say "'$2' > $(basename "$1"): got '$err', expected '$3'"; return 1 ;;
	esac
	[ "$(cat "$1")" = "$before" ]
}
