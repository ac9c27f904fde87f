#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The second kernel line oomhook is tested on: Debian's 6.12 from
# bookworm-backports.  Downloads the image, headers and kbuild packages
# (through the mirror this machine's apt already uses) and unpacks them
# under $(cache_dir)/kernel-<version>/, without installing anything on this
# machine; prints that directory (and nothing else on standard output),
# which holds:
#
#   kver          the kernel release
#   vmlinuz       the image to boot
#   modules/      its /lib/modules/<release> (zram and friends)
#   build         the headers' build directory, for make -C
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"
value_script

log() { echo "[backports-kernel $(date +%T)] $*"; }
list=/etc/apt/sources.list.d/oomhook-backports.sources
if [ -z "$(apt_uri bookworm-backports)" ]; then
	mirror=$(apt_uri bookworm)
	[ -n "$mirror" ] || { log "no bookworm suite in apt's sources"; exit 1; }
	log "adding bookworm-backports from $mirror (not preferred: priority 100)"
	SUDO=
	[ "$(id -u)" -eq 0 ] || SUDO=sudo
	printf 'Types: deb\nURIs: %s\nSuites: bookworm-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
		"$mirror" | $SUDO tee "$list" >/dev/null
	$SUDO apt-get update -q
fi

# linux-image-amd64 from backports names the current image package.
img=$(apt-cache show -o APT::Default-Release=bookworm-backports linux-image-amd64 |
	awk '/^Version: .*bpo/ { v = 1 } v && /^Depends:/ { print $2; exit }')
[ -n "$img" ] || { log "no linux-image-amd64 in bookworm-backports"; exit 1; }
kver=${img#linux-image-}
pkgver=$(apt-cache show "$img" | awk '/^Version:/ { print $2; exit }')
dir=$(cache_dir)/kernel-$kver-$pkgver
if [ -e "$dir/.complete" ]; then
	print_value "$dir"
	exit 0
fi

start=$(date +%s)
rm -rf "$dir"
mkdir -p "$dir/debs" "$dir/root"
base=${kver%-amd64}
log "downloading $img and its headers"
(cd "$dir/debs" && apt-get download -q "$img" "linux-headers-$kver" \
	"linux-headers-$base-common" "linux-kbuild-$base" 2>&1 |
	grep -v '^W: Download is performed unsandboxed') || true
for f in "$dir"/debs/*.deb; do
	dpkg-deb -x "$f" "$dir/root"
done
rm -rf "$dir/debs"
# The headers' Makefile includes the common headers by absolute path.
sed -i "s|^include /usr/src/|include $dir/root/usr/src/|" \
	"$dir/root/usr/src/linux-headers-$kver/Makefile"
echo "$kver" >"$dir/kver"
ln -s "root/boot/vmlinuz-$kver" "$dir/vmlinuz"
ln -s "root/lib/modules/$kver" "$dir/modules"
ln -s "root/usr/src/linux-headers-$kver" "$dir/build"
for f in vmlinuz modules/modules.order build/Makefile build/scripts/mod/modpost; do
	[ -e "$dir/$f" ] || { log "incomplete: $f missing"; exit 1; }
done
touch "$dir/.complete"
log "ready in $(( $(date +%s) - start ))s: $kver"
print_value "$dir"
