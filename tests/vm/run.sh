#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run oomhook's scenarios in QEMU guests, one fresh boot per scenario.
#
#   tests/vm/run.sh [scenario ...]        (default: every scenario in order)
#
# Environment:
#   KVER        kernel release to test (default: the newest 6.1 with an
#               image in /boot and headers in /lib/modules/<release>/build)
#   KERNEL      kernel image to boot (default: /boot/vmlinuz-$KVER)
#   KDIR        headers or build tree to build against
#               (default: /lib/modules/$KVER/build)
#   MODSRC      modules tree of $KERNEL, for zram and friends
#               (default: /lib/modules/$KVER)
#   VM_KERNEL   stock (default: Debian 12's 6.1), backports (Debian's 6.12
#               from bookworm-backports, tests/backports-kernel.sh) or debug
#               (see tests/debug-kernel)
#   PKG_MODULES a directory of oomhook modules built elsewhere (by the
#               Debian package: tests/package/test.sh) to load instead of
#               the ones built here; they go where DKMS puts them
#   VM_ACCEL    tcg (default) or kvm
#   VM_TCG_THREAD  single or multi: one host thread for all of a guest's
#               vCPUs, or one each (default: single on VM_KERNEL=backports,
#               multi elsewhere; see below)
#   VM_JOBS     guests booted side by side (default 1; make check uses 2,
#               one per core); a scenario with an "# alone:" line runs with
#               no other guest beside it
#   VM_TIMEOUT  seconds per guest (default 300; a scenario's "# timeout:"
#               line may raise it)
#   VM_APPEND   extra kernel command line
#   OOMHOOK_WORK  scratch directory (default: <repo>/.vm)
#
# Nothing is ever loaded on this machine: modules are built here and loaded
# inside the guests only.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
guest=$top/tests/guest
. "$top/tests/common.sh"

# VM_KERNEL=debug: oomhook's debug kernel (tests/debug-kernel), built and
# cached on first use; KASAN, lockdep, kmemleak, KUnit, fault injection.
VM_KERNEL=${VM_KERNEL:-stock}
if [ "$VM_KERNEL" = debug ]; then
	dk=$(value_of "the debug kernel" "$top/tests/debug-kernel/build.sh")
	KVER=$(cat "$dk/include/config/kernel.release")
	KERNEL=$dk/arch/x86/boot/bzImage
	KDIR=$dk
	MODSRC=$dk
	VM_APPEND="acpi=off panic_on_warn=1 ${VM_APPEND:-}"
	ORDER=$guest/scenarios/ORDER.debug
elif [ "$VM_KERNEL" = backports ]; then
	bk=$(value_of "the 6.12 kernel" "$top/tests/backports-kernel.sh")
	KVER=$(cat "$bk/kver")
	KERNEL=$bk/vmlinuz
	KDIR=$bk/build
	MODSRC=$bk/modules
	ORDER=$guest/scenarios/ORDER
else
	ORDER=$guest/scenarios/ORDER
fi
KVER=${KVER:-$(stock_kver)}
[ -n "$KVER" ] || { echo "no kernel with image and headers found" >&2; exit 1; }
KERNEL=${KERNEL:-/boot/vmlinuz-$KVER}
KDIR=${KDIR:-/lib/modules/$KVER/build}
MODSRC=${MODSRC:-/lib/modules/$KVER}
VM_ACCEL=${VM_ACCEL:-tcg}
# 6.12 guests with a host thread per vCPU oopsed now and then: "Oops:
# int3" in enqueue_timer at 1.2 s of boot, and in __kmalloc_noprof when the
# first memory cgroup turned a static key on, each time at a 2-byte jump
# that already read as patched: the int3 of a finished text_poke_bp() ran.
# With one host thread for both vCPUs, the vCPUs take turns.
VM_TCG_THREAD=${VM_TCG_THREAD:-$([ "$VM_KERNEL" = backports ] && echo single || echo multi)}
case $VM_TCG_THREAD in
single | multi) ;;
*) echo "VM_TCG_THREAD=$VM_TCG_THREAD: single or multi" >&2; exit 1 ;;
esac
VM_JOBS=${VM_JOBS:-1}
case $VM_JOBS in
[1-9] | [1-9][0-9]) ;;
*) echo "VM_JOBS=$VM_JOBS: a number of guests, 1 or more" >&2; exit 1 ;;
esac
VM_TIMEOUT=${VM_TIMEOUT:-300}
VM_APPEND=${VM_APPEND:-}
WORK=${OOMHOOK_WORK:-$top/.vm}/$KVER
mkdir -p "$WORK"

if [ $# -eq 0 ]; then
	set -- $(grep -v '^#' "$ORDER")
fi

log() { printf '[vm %s] %s\n' "$(date +%T)" "$*"; }

# ---- build the modules and the helpers ------------------------------------
build_modules() {
	local b=$WORK/build
	rm -rf "$b"
	stage_source "$b" tests
	make -s -C "$KDIR" M="$b" OOMHOOK_TESTS=y modules >"$WORK/build.log" 2>&1 || {
		cat "$WORK/build.log"
		return 1
	}
}

log "kernel $KVER ($KERNEL), accel $VM_ACCEL (TCG thread=$VM_TCG_THREAD)"
build_modules
make -s -C "$top/tests/helpers"

# ---- the initramfs ----------------------------------------------------------
stage=$WORK/initramfs
rm -rf "$stage"
mkdir -p "$stage"/{bin,sbin,etc,proc,sys,dev,tmp,run,tests/bin} \
	 "$stage/lib/modules/$KVER/extra"
cp /bin/busybox "$stage/bin/busybox"
for app in $(/bin/busybox --list); do
	[ -e "$stage/bin/$app" ] || ln -s busybox "$stage/bin/$app"
done
for app in modprobe insmod rmmod lsmod modinfo depmod reboot poweroff; do
	ln -sf ../bin/busybox "$stage/sbin/$app"
done
printf 'root:x:0:0:root:/:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n' \
	>"$stage/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$stage/etc/group"
cp "$guest/init" "$stage/init"
cp "$guest/lib.sh" "$stage/tests/"
cp -r "$guest/scenarios" "$stage/tests/"
make -s --no-print-directory -C "$top" version >"$stage/tests/VERSION"
for h in $(make -s -C "$top/tests/helpers" list); do
	cp "$top/tests/helpers/$h" "$stage/tests/bin/"
done
# What the package ships for userspace, tested as it is.
cp "$top/tools/oomhook-metrics" "$stage/tests/bin/"
if [ -n "${PKG_MODULES:-}" ]; then
	mkdir -p "$stage/lib/modules/$KVER/updates/dkms"
	cp "$PKG_MODULES"/*.ko* "$stage/lib/modules/$KVER/updates/dkms/"
	cp "$WORK"/build/oomhook_fault.ko "$stage/lib/modules/$KVER/extra/"
else
	cp "$WORK"/build/*.ko "$stage/lib/modules/$KVER/extra/"
fi
# Modules of the distro kernel the scenarios use (zram, for swap; loop and
# ext4, for page cache that reclaim can drop), with what they depend on
# (zsmalloc, jbd2, mbcache; on 6.12 also the compressors).
copy_modules "$MODSRC" "$stage/lib/modules/$KVER" zram loop ext4 crc32c_generic
for f in modules.builtin modules.builtin.modinfo modules.order; do
	[ -e "$MODSRC/$f" ] && cp "$MODSRC/$f" "$stage/lib/modules/$KVER/"
done
depmod -b "$stage" "$KVER" 2>/dev/null
# busybox modprobe handles only uncompressed modules.
find "$stage/lib/modules" -name '*.ko.xz' -exec xz -d {} + 2>/dev/null || true
find "$stage/lib/modules" -name '*.ko.zst' -exec zstd -q -d --rm {} + 2>/dev/null || true
depmod -b "$stage" "$KVER" 2>/dev/null
initrd=$WORK/initramfs.cpio.gz
(cd "$stage" && find . | cpio -o -H newc --quiet | gzip -1) >"$initrd"

# ---- boot one guest per scenario -------------------------------------------
# header S KEY: the value of scenario S's "# KEY: value" line, if any.
header() {
	sed -n "s/^# $2: *//p" "$guest/scenarios/$1.sh" | head -n 1
}

mem_of() {
	local m
	m=$(header "$1" mem)
	echo "${m%% *}" | grep -x '[0-9][0-9]*' || echo 256
}

# A scenario's "# timeout: S" line raises the time its guest may take
# (never lowers VM_TIMEOUT).
timeout_of() {
	local t
	t=$(header "$1" timeout)
	t=${t%% *}
	case $t in
	'' | *[!0-9]*) echo "$VM_TIMEOUT" ;;
	*) if [ "$t" -gt "$VM_TIMEOUT" ]; then echo "$t"; else echo "$VM_TIMEOUT"; fi ;;
	esac
}

# Splats fail a run.  The kernel's own reports of an OOM ("invoked
# oom-killer") and of a failed allocation ("page allocation failure", which
# the fault-injection scenario provokes) carry one stack trace each: those
# are expected, any other is not.
splats() {
	local logf=$1 traces reports
	grep -E 'BUG:|WARNING:|Oops|INFO: task .* blocked|general protection|UBSAN|KASAN|kmemleak: [1-9]|OOMHOOK-KMEMLEAK: [1-9]|Kernel panic' "$logf" || true
	# KUnit results (KTAP) printed between KTAP-BEGIN and KTAP-END.
	sed -n '/^KTAP-BEGIN/,/^KTAP-END/p' "$logf" | grep -E '^\s*not ok' || true
	traces=$(grep -c 'Call Trace' "$logf" || true)
	reports=$(grep -cE 'invoked oom-killer|page allocation failure: order' "$logf" || true)
	if [ "$traces" -gt "$reports" ]; then
		echo "$((traces - reports)) stack trace(s) outside OOM reports"
	fi
}

accel_args=(-accel "tcg,thread=$VM_TCG_THREAD")
[ "$VM_ACCEL" = kvm ] && accel_args=(-accel kvm -cpu host)

# A scenario's "# alone:" line (its reason follows) keeps other guests off
# the machine while it runs: it measures time against a target.
alone() {
	[ -n "$(header "$1" alone)" ]
}

# boot S: run scenario S in a fresh guest; its verdict goes to $WORK/S.rc
# (0 passed), what CI should see to $WORK/S.report.
boot() {
	local s=$1 logf=$WORK/$1.log rep=$WORK/$1.report t0 tmo qrc took sp
	t0=$(date +%s)
	tmo=$(timeout_of "$s")
	set +e
	timeout --foreground "$tmo" qemu-system-x86_64 "${accel_args[@]}" \
		-smp 2 -m "$(mem_of "$s")" -nographic -no-reboot \
		-kernel "$KERNEL" -initrd "$initrd" \
		-append "console=ttyS0 quiet panic=-1 log_buf_len=1M ohtest=$s $VM_APPEND" \
		</dev/null >"$logf" 2>&1
	qrc=$?
	set -e
	took=$(( $(date +%s) - t0 ))
	sp=$(splats "$logf")
	if grep -q "OOMHOOK-RESULT: $s PASS" "$logf" && [ -z "$sp" ]; then
		{
			log "PASS $s (${took}s)"
			sed -n '/OOMHOOK-BEGIN/,/OOMHOOK-DMESG-BEGIN/p' "$logf" |
				grep -E '^(# |ok )' | sed 's/^/    /' || true
		} >"$rep"
		echo 0 >"$WORK/$s.rc"
	else
		{
			[ $qrc = 124 ] && log "scenario $s timed out after ${tmo}s"
			[ -n "$sp" ] && { log "kernel splat in $s:"; echo "$sp" | head -n 20; }
			log "FAIL $s (${took}s); guest log ($logf):"
			tr -d '\r' <"$logf" | tail -n 150
		} >"$rep"
		echo 1 >"$WORK/$s.rc"
	fi
}

# VM_JOBS guests at a time; each is reported as it ends.
declare -A running=()
failed=()
reap() {
	local pid s
	while :; do
		for pid in "${!running[@]}"; do
			s=${running[$pid]}
			if [ -e "$WORK/$s.rc" ] || ! kill -0 "$pid" 2>/dev/null; then
				wait "$pid" || true
				unset "running[$pid]"
				cat "$WORK/$s.report" 2>/dev/null || log "FAIL $s: no report"
				[ "$(cat "$WORK/$s.rc" 2>/dev/null)" = 0 ] || failed+=("$s")
				return
			fi
		done
		sleep 1
	done
}
# drain N: reap until at most N guests run.
drain() {
	while [ ${#running[@]} -gt "$1" ]; do reap; done
}
for s in "$@"; do
	[ -f "$guest/scenarios/$s.sh" ] || { log "no scenario $s"; failed+=("$s"); continue; }
	rm -f "$WORK/$s.rc" "$WORK/$s.report"
	if alone "$s"; then drain 0; fi
	drain $((VM_JOBS - 1))
	log "scenario $s: booting ($(mem_of "$s") MB)"
	boot "$s" &
	running[$!]=$s
	if alone "$s"; then drain 0; fi
done
drain 0

# CI shows the end of the output: repeat what failed, briefly, last.
if [ ${#failed[@]} -ne 0 ]; then
	for s in "${failed[@]}"; do
		[ -f "$WORK/$s.log" ] || continue
		log "$s on $KVER, its failed checks (full log above):"
		tr -d '\r' <"$WORK/$s.log" | grep -B 2 -E '^not ok|OOMHOOK-RESULT' |
			grep -vE '^(--|ok )' | tail -n 12 | sed 's/^/    /'
		sp=$(splats "$WORK/$s.log")
		[ -z "$sp" ] || echo "$sp" | head -n 5 | sed 's/^/    splat: /'
	done
	log "FAILED: ${failed[*]}"
	exit 1
fi
log "all $# scenario(s) passed on $KVER"
