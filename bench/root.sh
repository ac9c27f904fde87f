#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The benchmark guests' root: Debian 12 (debootstrap, minbase) with systemd
# and every contender's Debian package, as an ext4 image that the guests
# boot with snapshot=on (never changed).  The contenders' services are
# installed disabled; bench.service (bench/guest) starts the one a run is
# about.  Built once and cached under $(cache_dir)/bench-root-<key>.img,
# keyed by the mirror and this script; prints the image's path, and only
# that, on standard output (everything else goes to standard error).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../tests/common.sh"
if [ "$(id -u)" -ne 0 ]; then
	exec sudo OOMHOOK_CACHE="$(cache_dir)" OOMHOOK_ROOTS="${OOMHOOK_ROOTS:-}" \
		"$0" "$@"
fi
value_script

PKGS=(systemd systemd-sysv systemd-oomd dbus earlyoom nohang oomd kmod
	procps)
SERVICES=(earlyoom nohang nohang-desktop oomd systemd-oomd)
IMG_MB=1536

key=$(bookworm_key "${PKGS[@]}" "$(sha256sum <"$0")" \
	"$(cat "$here"/guest/*.service | sha256sum)")
img=$(roots_dir)/bench-root-$key.img
if [ -e "$img" ]; then
	print_value "$img"
	exit 0
fi

start=$(date +%s)
root=$(roots_dir)/bench-root-$key
echo "[bench-root $(date +%T)] debootstrap bookworm + ${PKGS[*]}"
bookworm_root "$root" "$root.log" "${PKGS[@]}"
for s in "${SERVICES[@]}"; do
	chroot "$root" systemctl disable "$s" >>"$root.log" 2>&1 || true
done
# A quiet console: no login prompt, no units that wait for a network.
chroot "$root" systemctl mask serial-getty@ttyS0.service getty@tty1.service \
	systemd-networkd-wait-online.service apt-daily.timer \
	apt-daily-upgrade.timer man-db.timer e2scrub_all.timer \
	fstrim.timer >>"$root.log" 2>&1 || true
rm -f "$root/usr/sbin/policy-rc.d"
echo bench >"$root/etc/hostname"
printf '/dev/vda / ext4 defaults 0 1\n' >"$root/etc/fstab"
cp "$here"/guest/*.service "$root/etc/systemd/system/"
chroot "$root" systemctl enable bench.service >>"$root.log" 2>&1
mkdir -p "$root/bench"
rm -f "$img.tmp"
mkfs.ext4 -q -L benchroot -d "$root" "$img.tmp" "${IMG_MB}M"
mv "$img.tmp" "$img"
rm -rf "$root"
echo "[bench-root $(date +%T)] ready in $(( $(date +%s) - start ))s: $img"
print_value "$img"
