# SPDX-License-Identifier: GPL-2.0
# Shared by the host-side test scripts.

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# Where expensive artefacts are kept between runs, keyed by their inputs.
cache_dir() {
	local d=${OOMHOOK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/oomhook}
	mkdir -p "$d"
	echo "$d"
}

# checkpatch.pl and kernel-doc from Debian's linux-source package,
# extracted once per package version; prints the directory.
kernel_scripts() {
	local ver dir tarball
	ver=$(dpkg-query -W -f='${Version}' linux-source-6.1)
	dir=$(cache_dir)/kernel-scripts-$ver
	tarball=$(ls /usr/src/linux-source-6.1.tar.* | head -n 1)
	if [ ! -x "$dir/scripts/kernel-doc" ]; then
		rm -rf "$dir.tmp"
		mkdir -p "$dir.tmp"
		tar -xf "$tarball" -C "$dir.tmp" --strip-components=1 \
			linux-source-6.1/scripts/checkpatch.pl \
			linux-source-6.1/scripts/spelling.txt \
			linux-source-6.1/scripts/const_structs.checkpatch \
			linux-source-6.1/scripts/kernel-doc
		rm -rf "$dir"
		mv "$dir.tmp" "$dir"
	fi
	echo "$dir/scripts"
}

# The module sources (make stage: what DKMS and the Debian package ship),
# copied into DEST; with "tests", the test-only modules as well.
stage_source() {
	local dest=$1
	make -s -C "$top" stage DEST="$dest" >/dev/null
	if [ "${2:-}" = tests ]; then
		mkdir -p "$dest/tests"
		cp -r "$top/tests/modules" "$dest/tests/"
	fi
}

# The archive URI this machine's apt already uses for Debian suite SUITE
# (bookworm, bookworm-security, ...): oomhook never names a mirror itself.
apt_uri() {
	apt-cache policy | awk -v s="$1/main" '$2 ~ /^https?:/ && $3 == s { print $2; exit }'
}

# The kernel release of Debian 12's stock kernel: the newest 6.1 with an
# image in /boot and headers.
stock_kver() {
	local d v
	for d in /lib/modules/6.1.*/build; do
		v=$(basename "$(dirname "$d")")
		[ -e "/boot/vmlinuz-$v" ] && echo "$v"
	done | sort -V | tail -n 1
}

# The tree as a fresh clone would have it, with this checkout's changes:
# the files git tracks or would add, copied into DEST.
copy_tree() {
	mkdir -p "$1"
	(cd "$top" && git ls-files -z --cached --others --exclude-standard |
		xargs -0 -I{} find {} -maxdepth 0 -type f -print0 2>/dev/null |
		cpio -0 -pdm --quiet "$1")
}
