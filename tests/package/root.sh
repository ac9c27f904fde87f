#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A clean Debian 12 root (debootstrap, minbase) with DKMS and the headers of
# kernel KVER, as a distro user would have before installing oomhook-dkms.
# Built once and cached under $(cache_dir)/root-bookworm-<key>, keyed by
# the mirror, KVER and this script; prints its directory, and only that, on
# standard output.
#
#   tests/package/root.sh KVER
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../common.sh"
# debootstrap, mount and chroot need root; keep this user's cache.
if [ "$(id -u)" -ne 0 ]; then
	exec sudo OOMHOOK_CACHE="$(cache_dir)" OOMHOOK_ROOTS="${OOMHOOK_ROOTS:-}" \
		KVER="${KVER:-}" "$0" "$@"
fi
value_script

kver=$1
key=$(bookworm_key "$kver" "$(sha256sum <"$0")")
root=$(roots_dir)/root-bookworm-$key
if [ -e "$root/.complete" ]; then
	print_value "$root"
	exit 0
fi

start=$(date +%s)
echo "[root $(date +%T)] debootstrap bookworm, dkms, linux-headers-$kver"
bookworm_root "$root" "$root.log" dkms "linux-headers-$kver"
touch "$root/.complete"
echo "[root $(date +%T)] ready in $(( $(date +%s) - start ))s: $root"
print_value "$root"
