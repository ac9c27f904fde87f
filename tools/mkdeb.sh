#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the oomhook-dkms Debian package from this tree ("make deb").
#
#   tools/mkdeb.sh [OUTDIR]       (default: the tree's parent directory)
#
# Needs debhelper and dh-dkms.  The package is built from a copy of the
# tree's files (tracked and new, as git sees them), so build output never
# lands in the tree.  Prints the path of the .deb, and only that, on
# standard output.
set -euo pipefail
# Everything but the path goes to standard error.
exec 3>&1 1>&2
top=$(cd "$(dirname "$0")/.." && pwd)
out=$(mkdir -p "${1:-$top/..}" && cd "${1:-$top/..}" && pwd)
ver=$(make -s --no-print-directory -C "$top" version)
deb_ver=$(cd "$top" && dpkg-parsechangelog -S Version)
if [ "$deb_ver" != "$ver" ]; then
	echo "mkdeb: debian/changelog is at $deb_ver, dkms.conf at $ver" >&2
	exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
src=$work/oomhook-$ver
mkdir -p "$src"
if git -C "$top" rev-parse --git-dir >/dev/null 2>&1; then
	(cd "$top" && git ls-files -z --cached --others --exclude-standard |
		xargs -0 -I{} find {} -maxdepth 0 -type f -print0 2>/dev/null |
		cpio -0 -pdm --quiet "$src")
else
	(cd "$top" && find . -path ./.vm -prune -o -print0 | cpio -0 -pdm --quiet "$src")
fi
(cd "$src" && dpkg-buildpackage -b -us -uc >"$work/build.log" 2>&1) || {
	cat "$work/build.log"
	exit 1
}
deb=oomhook-dkms_${ver}_all.deb
mv "$work/$deb" "$out/"
echo "$out/$deb" >&3
