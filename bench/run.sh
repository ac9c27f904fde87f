#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# oomhook's benchmark ("make bench"): every contender, one QEMU guest each,
# the same guest for all (Debian 12 with systemd, Debian's stock 6.1
# kernel, 512 MB, 2 CPUs, TCG), every scenario RUNS times; then the table
# and the plot (bench/report.sh).
#
#   bench/run.sh [RESULTS_DIR]
#
# Environment:
#   BENCH_CONTENDERS  default: kernel earlyoom nohang oomd systemd-oomd oomhook
#   BENCH_SCENARIOS   default: fast_leak slow_leak file_thrash tmpfs_fill tenants
#   BENCH_RUNS        runs of each scenario (default 3)
#   BENCH_EPISODE_S   an episode's limit in seconds (default 35)
#   BENCH_CALM_S      the calm window for CPU and wake-ups (default 10)
#   BENCH_MEM         guest memory in MB (default 512)
#   BENCH_MICRO       0: skip oomhook's decision times beside the kernel's
#                     (bench/micro.sh, also "make bench-micro")
#   BENCH_REPORT      "readme" (default with no RESULTS_DIR): write the
#                     table into bench/README.md and the plot into bench/
#   BENCH_CLIENT      1: no scenarios; what real systemd makes of each
#                     contender's kills (bench/guest/client.sh; smoke.sh)
#
# Nothing is loaded on this machine: oomhook is built here and loaded only
# inside the guests.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
. "$top/tests/common.sh"

CONTENDERS=${BENCH_CONTENDERS:-kernel earlyoom nohang oomd systemd-oomd oomhook}
SCENARIOS=${BENCH_SCENARIOS:-fast_leak slow_leak file_thrash tmpfs_fill tenants}
RUNS=${BENCH_RUNS:-3}
EPISODE_S=${BENCH_EPISODE_S:-35}
CALM_S=${BENCH_CALM_S:-10}
MEM=${BENCH_MEM:-512}
DATA_MB=384
if [ $# -ge 1 ]; then
	res=$1
	REPORT=${BENCH_REPORT:-}
else
	res=$top/.bench/$(date +%Y%m%d-%H%M%S)
	REPORT=${BENCH_REPORT:-readme}
fi
mkdir -p "$res"
res=$(cd "$res" && pwd)
work=$res/work
mkdir -p "$work"
log() { printf '[bench %s] %s\n' "$(date +%T)" "$*"; }
begin=$(date +%s)

"$top/tests/deps.sh"
KVER=$(stock_kver)
KERNEL=/boot/vmlinuz-$KVER
MODSRC=/lib/modules/$KVER
log "kernel $KVER; contenders: $CONTENDERS; scenarios: $SCENARIOS; $RUNS run(s)"

# ---- what every guest shares --------------------------------------------------
rootimg=$(value_of "the benchmark root" "$here/root.sh")

# A file for the page cache to thrash on: random, so that it is read from
# the disk, not from holes.
fileimg=$(cache_dir)/bench-file-$DATA_MB.img
if [ ! -e "$fileimg" ]; then
	log "making the ${DATA_MB} MB file's disk"
	mkdir -p "$work/file"
	head -c "${DATA_MB}M" /dev/urandom >"$work/file/file"
	mkfs.ext4 -q -d "$work/file" "$fileimg.tmp" "$((DATA_MB + 64))M"
	rm -rf "$work/file"
	mv "$fileimg.tmp" "$fileimg"
fi

# The modules, the helpers, the driver.
log "building oomhook against $KVER"
rm -rf "$work/build"
stage_source "$work/build"
make -s -C "$MODSRC/build" M="$work/build" modules >"$work/build.log" 2>&1 || {
	cat "$work/build.log"
	exit 1
}
make -s -C "$top/tests/helpers" hog heartbeat xattr
for h in sampler filer; do
	gcc -O2 -Wall -Wextra -Werror -static -o "$work/$h" "$here/helpers/$h.c"
done

data=$work/data
rm -rf "$data"
mkdir -p "$data/bin" "$data/lib/modules/$KVER/updates"
cp "$here/guest/bench.sh" "$here/guest/episode.awk" "$here/guest/client.sh" "$data/"
cp "$top/tests/helpers/hog" "$top/tests/helpers/heartbeat" \
	"$top/tests/helpers/xattr" "$work/sampler" "$work/filer" "$data/bin/"
cp "$work"/build/*.ko "$data/lib/modules/$KVER/updates/"
copy_modules "$MODSRC" "$data/lib/modules/$KVER" zram
for f in modules.builtin modules.builtin.modinfo modules.order; do
	cp "$MODSRC/$f" "$data/lib/modules/$KVER/"
done

# The initramfs: mount the root disk, hand over to systemd.
ird=$work/initramfs
rm -rf "$ird"
mkdir -p "$ird"/{bin,dev,proc,sys,newroot,lib/modules/"$KVER"}
cp /bin/busybox "$ird/bin/"
for app in sh mount umount switch_root modprobe mkdir sleep cat echo; do
	ln -s busybox "$ird/bin/$app"
done
copy_modules "$MODSRC" "$ird/lib/modules/$KVER" virtio_pci virtio_blk ext4 crc32c_generic
cp "$MODSRC"/modules.builtin* "$MODSRC/modules.order" "$ird/lib/modules/$KVER/"
find "$ird/lib/modules" -name '*.ko.xz' -exec xz -d {} +
depmod -b "$ird" "$KVER"
cat >"$ird/init" <<'EOF'
#!/bin/sh
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
for m in virtio_pci crc32c_generic virtio_blk ext4; do modprobe $m; done
n=0
while [ ! -b /dev/vda ] && [ $n -lt 50 ]; do sleep 0.1; n=$((n + 1)); done
mount -t ext4 /dev/vda /newroot || { echo "bench: no root disk"; exec sh; }
umount /proc /sys
mount --move /dev /newroot/dev 2>/dev/null || umount /dev
exec switch_root /newroot /sbin/init
EOF
chmod +x "$ird/init"
initrd=$work/initramfs.cpio.gz
(cd "$ird" && find . | cpio -o -H newc --quiet | gzip -1) >"$initrd"

# ---- one guest per contender ------------------------------------------------------
# A guest's own limit: boot, the calm window, every episode at its limit,
# and the set-up between them.
limit=$((120 + CALM_S + $(echo $SCENARIOS | wc -w) * RUNS * (EPISODE_S + 40)))
failed=()
for c in $CONTENDERS; do
	d=$res/$c
	rm -rf "$d"
	mkdir -p "$d"
	img=$work/data-$c.img
	cat >"$data/config" <<-EOF
		CONTENDER=$c
		SCENARIOS="$SCENARIOS"
		RUNS=$RUNS
		EPISODE_S=$EPISODE_S
		CALM_S=$CALM_S
		CLIENT=${BENCH_CLIENT:-0}
	EOF
	rm -f "$img"
	mkfs.ext4 -q -d "$data" "$img" 256M
	log "$c: booting (limit ${limit}s)"
	start=$(date +%s)
	set +e
	timeout --foreground "$limit" qemu-system-x86_64 -accel tcg -smp 2 \
		-m "$MEM" -nographic -no-reboot -kernel "$KERNEL" -initrd "$initrd" \
		-drive "file=$rootimg,if=virtio,format=raw,snapshot=on" \
		-drive "file=$img,if=virtio,format=raw" \
		-drive "file=$fileimg,if=virtio,format=raw,snapshot=on" \
		-append "console=ttyS0 quiet panic=-1 systemd.show_status=0" \
		</dev/null 2>&1 | tee "$d/console.log" | grep --line-buffered '^\[guest'
	set -e
	e2fsck -fy "$img" >/dev/null 2>&1 || true
	debugfs -R "rdump /out $d" "$img" >/dev/null 2>&1
	[ -d "$d/out" ] && mv "$d"/out/* "$d/" && rmdir "$d/out"
	if [ -e "$d/complete" ]; then
		log "$c: done in $(( $(date +%s) - start ))s"
	else
		# What it finished still counts; the table shows fewer runs.
		log "$c: the guest did not finish (console: $d/console.log)"
		grep -a -m 3 -E 'Kernel panic|BUG:' "$d/console.log" || true
		tail -n 15 "$d/console.log"
		failed+=("$c")
	fi
	rm -f "$img"
done

{
	echo "kernel $KVER, ${MEM} MB, 2 CPUs, QEMU TCG on $(nproc) host CPU(s)"
	echo "runs $RUNS, episode limit ${EPISODE_S}s, calm window ${CALM_S}s"
	echo "oomhook $(make -s --no-print-directory -C "$top" version) ($(git -C "$top" describe --always --dirty 2>/dev/null || echo unknown))"
	echo "date $(date -u +%F)"
} >"$res/setup"
cat "$res"/*/results >"$res/results" 2>/dev/null || true
log "all guests done in $(( $(date +%s) - begin ))s: $res"
if [ "${BENCH_CLIENT:-0}" = 1 ]; then
	[ ${#failed[@]} -eq 0 ] || { log "FAILED: ${failed[*]}"; exit 1; }
	exit 0
fi
if [ "${BENCH_MICRO:-1}" = 1 ]; then
	log "oomhook's own figures (tests/guest/scenarios/bench_latency.sh)"
	"$here/micro.sh" "$res" ${REPORT:+--readme} || failed+=(micro)
fi
"$here/report.sh" "$res" ${REPORT:+--readme}
[ ${#failed[@]} -eq 0 ] || { log "FAILED: ${failed[*]}"; exit 1; }
