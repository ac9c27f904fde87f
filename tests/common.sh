# SPDX-License-Identifier: GPL-2.0
# Shared by the host-side test scripts.

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# Where expensive artefacts are kept between runs, keyed by their inputs.
# OOMHOOK_CACHE=$(mktemp -d) make check runs everything from an empty cache.
cache_dir() {
	local d=${OOMHOOK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/oomhook}
	mkdir -p "$d"
	echo "$d"
}

# Where the Debian roots are kept (the benchmark's image, the package
# test's root): the cache, unless OOMHOOK_ROOTS names another directory.
# make check points it at an empty one, so that these cheap artefacts (about
# a minute each) are built from nothing in every run.
roots_dir() {
	local d=${OOMHOOK_ROOTS:-$(cache_dir)}
	mkdir -p "$d"
	echo "$d"
}

# A script whose standard output is a value that callers take with $(...)
# (a path) calls value_script first: from then on whatever it and the tools
# it runs print goes to standard error, and print_value alone writes to
# standard output.  mkfs.ext4 -d, for one, prints "Creating regular file"
# on standard output despite -q.
value_script() { exec 3>&1 1>&2; }
print_value() { printf '%s\n' "$1" >&3; }

# value_of WHAT COMMAND...: run a value script and print its value.  Its
# standard output must be exactly one line naming an existing file or
# directory; anything else fails, showing what it printed.
value_of() {
	local what=$1 out
	shift
	out=$("$@") || { echo "$what: failed" >&2; return 1; }
	case $out in
	*$'\n'* | "") ;;
	*) if [ -e "$out" ]; then
		printf '%s\n' "$out"
		return 0
	fi ;;
	esac
	echo "$what: standard output is not one line naming an existing path:" >&2
	printf '%s\n' "$out" | head -n 5 | sed 's/^/  | /' >&2
	return 1
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

# bookworm_root DIR LOG PACKAGE...: a clean Debian 12 root (debootstrap,
# minbase) in DIR with PACKAGEs installed and no service started; output
# goes to LOG.  Needs root.
bookworm_root() {
	local root=$1 rlog=$2 mirror security
	shift 2
	mirror=$(apt_uri bookworm)
	security=$(apt_uri bookworm-security)
	[ -n "$mirror" ] || { echo "no bookworm suite in this machine's apt sources" >&2; return 1; }
	rm -rf "$root"
	debootstrap --variant=minbase bookworm "$root" "$mirror" >"$rlog" 2>&1 || {
		tail -n 30 "$rlog" >&2
		return 1
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
	chroot "$root" sh -c "apt-get update -q && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -q --no-install-recommends $*" >>"$rlog" 2>&1 || {
		umount "$root/proc"
		tail -n 30 "$rlog" >&2
		return 1
	}
	umount "$root/proc"
	chroot "$root" apt-get clean
}

# The inputs of bookworm_root, for cache keys.
bookworm_key() {
	printf '%s\n' "$(apt_uri bookworm)" "$(apt_uri bookworm-security)" "$@" |
		cat - "${BASH_SOURCE[0]}" | sha256sum | cut -c1-12
}

# copy_modules SRC DEST NAME...: the kernel modules NAME from the modules
# tree SRC (/lib/modules/<kver>) into DEST/kernel/, with the modules they
# depend on.
copy_modules() {
	local src=$1 dest=$2 f n
	shift 2
	for n in "$@"; do
		f=$(find "$src/kernel" -name "$n.ko*" 2>/dev/null | head -n 1)
		[ -n "$f" ] || continue
		[ -e "$dest/kernel/$(basename "$f")" ] && continue
		mkdir -p "$dest/kernel"
		cp "$f" "$dest/kernel/"
		# shellcheck disable=SC2046
		copy_modules "$src" "$dest" $(modinfo -F depends "$f" | tr ',' ' ')
	done
}
