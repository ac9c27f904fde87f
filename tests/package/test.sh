#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install oomhook the three ways a distro user would, in a clean Debian 12
# root (tests/package/root.sh) that has DKMS and the stock kernel's
# headers, and check each leaves nothing behind when removed:
#
#   1. plain DKMS: dkms add <sources>, build, install, remove;
#   2. make dkms-install / make dkms-remove from the tree;
#   3. the oomhook-dkms package (make deb): apt install, apt purge.
#
# The modules the package built are copied to OUTDIR for the VM test that
# loads them (tests/vm/run.sh with PKG_MODULES).  Nothing is loaded here:
# the root is a chroot, and this machine's /lib/modules is not touched.
#
#   tests/package/test.sh OUTDIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../common.sh"
# debootstrap, mount and chroot need root; keep this user's cache.
if [ "$(id -u)" -ne 0 ]; then
	exec sudo OOMHOOK_CACHE="$(cache_dir)" OOMHOOK_ROOTS="${OOMHOOK_ROOTS:-}" \
		KVER="${KVER:-}" "$0" "$@"
fi

out=$(mkdir -p "$1" && cd "$1" && pwd)
kver=${KVER:-$(stock_kver)}
ver=$(make -s --no-print-directory -C "$top" version)
modules=(oomhook oomhook_memcg oomhook_tmpfs oomhook_freeze)
policies=(memcg tmpfs freeze)

fails=0
ok() { echo "ok - $*"; }
check() {
	local what=$1
	shift
	if "$@"; then ok "$what"; else echo "not ok - $what"; fails=$((fails + 1)); fi
}

base=$(value_of "the package root" "$here/root.sh" "$kver")
work=$(mktemp -d)
root=$work/root
cleanup() {
	umount "$root/proc" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT
cp -a "$base" "$root"
mount -t proc proc "$root/proc"
in_root() { chroot "$root" "$@"; }
upd=/lib/modules/$kver/updates/dkms

# What an install must show: every module under updates/dkms, and modinfo
# with description, license, version, documented parameters and aliases.
check_installed() {
	local how=$1 m f parm desc alias
	for m in "${modules[@]}"; do
		f=$(ls "$root$upd/$m.ko"* 2>/dev/null | head -n 1)
		check "$how: $m.ko under $upd" test -n "$f"
		[ -n "$f" ] || continue
		desc=$(in_root modinfo -F description "${f#"$root"}")
		check "$how: $m has a description ($desc)" test -n "$desc"
		check "$how: $m is GPL" test "$(in_root modinfo -F license "${f#"$root"}")" = GPL
		check "$how: $m is version $ver" \
			test "$(in_root modinfo -F version "${f#"$root"}")" = "$ver"
		# modinfo prints "name:description (type)"; a parameter without
		# a description shows nothing between the colon and the type.
		parm=$(in_root modinfo -F parm "${f#"$root"}")
		check "$how: $m's parameters are all described ($(echo "$parm" | grep -c .))" \
			sh -c '! echo "$1" | grep -qE "^[a-z_]+:( *\(|$)"' - "$parm"
	done
	for p in "${policies[@]}"; do
		f=$(ls "$root$upd/oomhook_$p.ko"* 2>/dev/null | head -n 1)
		[ -n "$f" ] || continue
		alias=$(in_root modinfo -F alias "${f#"$root"}")
		check "$how: oomhook_$p has the alias oomhook-policy-$p" \
			test "$alias" = "oomhook-policy-$p"
	done
}

# What a removal must leave: no sources, no DKMS state, no modules, and
# modules.dep without oomhook.
check_gone() {
	local how=$1
	check "$how: no /usr/src/oomhook-*" sh -c "! ls -d $root/usr/src/oomhook-* 2>/dev/null"
	check "$how: no DKMS state" test ! -e "$root/var/lib/dkms/oomhook"
	check "$how: no module under /lib/modules" \
		sh -c "! find $root/lib/modules -name 'oomhook*' | grep -q ."
	check "$how: modules.dep names no oomhook" \
		sh -c "! grep -qs oomhook $root/lib/modules/$kver/modules.dep"
}

echo "# 1. plain DKMS against linux-headers-$kver"
mkdir -p "$root/tmp/src"
stage_source "$root/tmp/src/oomhook-$ver"
check "dkms add" in_root dkms add "/tmp/src/oomhook-$ver" >/dev/null
check "dkms build" in_root dkms build "oomhook/$ver" -k "$kver" >/dev/null
check "dkms install" in_root dkms install "oomhook/$ver" -k "$kver" >/dev/null
echo "# $(in_root dkms status oomhook)"
check_installed dkms
check "dkms remove" in_root dkms remove "oomhook/$ver" --all >/dev/null
rm -rf "$root/usr/src/oomhook-$ver"
check_gone dkms

echo "# 2. make dkms-install / dkms-remove"
rm -rf "$root/tmp/src"
copy_tree "$root/tmp/src/oomhook"
check "make dkms-install" in_root make -s -C /tmp/src/oomhook dkms-install KVER="$kver" >/dev/null
check_installed "make dkms-install"
check "make dkms-remove" in_root make -s -C /tmp/src/oomhook dkms-remove >/dev/null 2>&1
check_gone "make dkms-remove"

echo "# 3. the oomhook-dkms package"
deb=$(value_of "the package" "$top/tools/mkdeb.sh" "$work")
cp "$deb" "$root/tmp/"
debname=$(basename "$deb")
check "apt install ./$debname builds for $kver" \
	in_root sh -c "cd /tmp && DEBIAN_FRONTEND=noninteractive apt-get install -y -q ./$debname >/tmp/install.log 2>&1" ||
	tail -n 30 "$root/tmp/install.log"
check_installed package
for f in etc/modprobe.d/oomhook.conf etc/modules-load.d/oomhook.conf; do
	check "the package ships /$f, all commented out" \
		sh -c "test -f $root/$f && ! grep -qv -e '^#' -e '^\$' $root/$f"
done
check "the package ships the exporter, /usr/sbin/oomhook-metrics" \
	test -x "$root/usr/sbin/oomhook-metrics"
for u in oomhook-metrics.service oomhook-metrics.timer; do
	check "the package ships /lib/systemd/system/$u" \
		test -f "$root/lib/systemd/system/$u"
done
check "the timer is enabled (timers.target wants it)" \
	test -L "$root/etc/systemd/system/timers.target.wants/oomhook-metrics.timer"
# No oomhook here (a chroot): the exporter writes a file without metrics.
mkdir -p "$root/var/lib/prometheus/node-exporter"
check "without oomhook the exporter exits 0" \
	in_root /usr/sbin/oomhook-metrics /var/lib/prometheus/node-exporter/oomhook.prom
check "... and its file holds no metric" \
	test -f "$root/var/lib/prometheus/node-exporter/oomhook.prom" -a \
	! -s "$root/var/lib/prometheus/node-exporter/oomhook.prom"
rm -rf "${out:?}"/*.ko
for m in "${modules[@]}"; do
	cp "$root$upd/$m.ko"* "$out/" 2>/dev/null || true
done
# An upgrade: the same tree at the next version replaces the old build.
next=${ver%.*}.$(( ${ver##*.} + 1 ))
up=$work/upgrade
copy_tree "$up"
sed -i "s/^PACKAGE_VERSION=.*/PACKAGE_VERSION=\"$next\"/" "$up/dkms.conf"
{
	printf 'oomhook (%s) bookworm; urgency=medium\n\n  * Upgrade test.\n\n' "$next"
	printf ' -- oomhook tests <oomhook@example.org>  %s\n\n' "$(date -R)"
	cat "$top/debian/changelog"
} >"$up/debian/changelog"
updeb=$(value_of "the upgraded package" "$up/tools/mkdeb.sh" "$work")
cp "$updeb" "$root/tmp/"
check "upgrade: apt install ./$(basename "$updeb")" \
	in_root sh -c "cd /tmp && DEBIAN_FRONTEND=noninteractive apt-get install -y -q ./$(basename "$updeb") >/tmp/upgrade.log 2>&1" ||
	tail -n 30 "$root/tmp/upgrade.log"
check "upgrade: DKMS holds $next alone" \
	sh -c "[ \"\$(ls $root/var/lib/dkms/oomhook/ | grep -v kernel- | tr '\n' ' ')\" = '$next ' ]"
check "upgrade: the old sources are gone" test ! -e "$root/usr/src/oomhook-$ver"
f=$(ls "$root$upd/oomhook.ko"* 2>/dev/null | head -n 1)
check "upgrade: the installed oomhook.ko is $next" \
	test "$(in_root modinfo -F version "${f#"$root"}" 2>/dev/null)" = "$next"
check "apt purge oomhook-dkms" \
	in_root sh -c "DEBIAN_FRONTEND=noninteractive apt-get purge -y -q oomhook-dkms >/tmp/purge.log 2>&1"
check_gone package
check "purge removed the configuration files" \
	sh -c "! ls $root/etc/modprobe.d/oomhook.conf $root/etc/modules-load.d/oomhook.conf 2>/dev/null"
check "purge removed the exporter, its units and its file" sh -c \
	"! ls $root/usr/sbin/oomhook-metrics $root/lib/systemd/system/oomhook-metrics.* \
	$root/etc/systemd/system/timers.target.wants/oomhook-metrics.timer \
	$root/var/lib/prometheus/node-exporter/oomhook.prom 2>/dev/null"
if [ -e /proc/modules ]; then
	check "nothing was loaded on this machine" sh -c '! grep -q "^oomhook" /proc/modules'
else
	ok "nothing was loaded on this machine (its kernel has no module support)"
fi

if [ $fails -ne 0 ]; then
	echo "package: $fails check(s) failed"
	exit 1
fi
echo "package: all passed; the package's modules are in $out"
