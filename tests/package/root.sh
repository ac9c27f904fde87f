#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A clean Debian 12 root (debootstrap, minbase) with DKMS and the headers of
# kernel KVER, as a distro user would have before installing oomhook-dkms.
# Built once and cached under $(cache_dir)/root-bookworm-<key>, keyed by
# the mirror, KVER and this script; prints its directory.
#
#   tests/package/root.sh KVER
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../common.sh"
# debootstrap, mount and chroot need root; keep this user's cache.
if [ "$(id -u)" -ne 0 ]; then
	exec sudo OOMHOOK_CACHE="$(cache_dir)" KVER="${KVER:-}" "$0" "$@"
fi

kver=$1
mirror=$(apt_uri bookworm)
security=$(apt_uri bookworm-security)
[ -n "$mirror" ] || { echo "root: no bookworm suite in this machine's apt sources" >&2; exit 1; }
key=$(printf '%s\n' "$mirror" "$security" "$kver" | cat - "$0" | sha256sum | cut -c1-12)
root=$(cache_dir)/root-bookworm-$key
if [ -e "$root/.complete" ]; then
	echo "$root"
	exit 0
fi

log() { echo "[root $(date +%T)] $*" >&2; }
start=$(date +%s)
rm -rf "$root"
log "debootstrap bookworm from $mirror"
debootstrap --variant=minbase bookworm "$root" "$mirror" >"$root.log" 2>&1 || {
	tail -n 30 "$root.log" >&2
	exit 1
}
{
	echo "deb $mirror bookworm main"
	echo "deb $mirror bookworm-updates main"
	[ -z "$security" ] || echo "deb $security bookworm-security main"
} >"$root/etc/apt/sources.list"
# Services never start inside the root.
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod +x "$root/usr/sbin/policy-rc.d"

mount -t proc proc "$root/proc"
trap 'umount "$root/proc"' EXIT
log "installing dkms and linux-headers-$kver"
chroot "$root" sh -c "apt-get update -q && DEBIAN_FRONTEND=noninteractive \
	apt-get install -y -q --no-install-recommends dkms linux-headers-$kver" \
	>>"$root.log" 2>&1 || {
	tail -n 30 "$root.log" >&2
	exit 1
}
chroot "$root" apt-get clean
touch "$root/.complete"
log "ready in $(( $(date +%s) - start ))s: $root"
echo "$root"
