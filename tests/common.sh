# SPDX-License-Identifier: GPL-2.0
# Shared by the host-side test scripts.

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# Where expensive artefacts are kept between runs, keyed by their inputs.
cache_dir() {
	local d=${OOMHOOK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/oomhook}
	mkdir -p "$d"
	echo "$d"
}

# The newest kernel release with headers installed.
headers_kver() {
	ls -d /lib/modules/*/build 2>/dev/null | cut -d/ -f4 | sort -V | tail -n 1
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
