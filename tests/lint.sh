#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Static checks; any report fails:
#   - make W=1 (extra compiler warnings) and C=1 (sparse), against the
#     stock headers and, where set, BACKPORTS_DIR's 6.12 headers
#     (tests/backports-kernel.sh) and DEBUG_KDIR, the debug kernel (KUnit)
#   - debian/changelog's version is dkms.conf's
#   - checkpatch.pl --strict and kernel-doc on every kernel source file
set -euo pipefail
. "$(dirname "$0")/common.sh"

# lint_build KDIR NAME: W=1 and sparse against one kernel tree.
lint_build() {
	local kdir=$1 name=$2 b
	b=$(mktemp -d)
	stage_source "$b" tests
	echo "lint: W=1 C=1 build against $name"
	if ! make -C "$kdir" M="$b" W=1 C=1 OOMHOOK_TESTS=y modules \
		>"$b/build.log" 2>&1; then
		cat "$b/build.log"
		echo "lint: build against $name failed"
		exit 1
	fi
	if grep -E 'warning:|error:' "$b/build.log"; then
		echo "lint: W=1/sparse reported the above ($name)"
		exit 1
	fi
	rm -rf "$b"
}

KVER=${KVER:-$(stock_kver)}
lint_build "${KDIR:-/lib/modules/$KVER/build}" "$KVER"
# Older kernels are refused with a message (Kbuild reads VERSION and
# PATCHLEVEL from the kernel's Makefile; here they are overridden).
b=$(mktemp -d)
stage_source "$b"
out=$(make -C "${KDIR:-/lib/modules/$KVER/build}" M="$b" VERSION=5 PATCHLEVEL=15 \
	modules 2>&1 || true)
if echo "$out" | grep -q 'oomhook needs Linux 6.1 or later; these headers are 5.15'; then
	echo "lint: 5.15 headers are refused with a message"
else
	echo "lint: 5.15 headers were not refused with the expected message"
	exit 1
fi
rm -rf "$b"
# The second kernel line (tests/backports-kernel.sh), where given.
if [ -n "${BACKPORTS_DIR:-}" ]; then
	lint_build "$BACKPORTS_DIR/build" "$(cat "$BACKPORTS_DIR/kver")"
fi
# The KUnit suites build only where CONFIG_KUNIT is: the debug kernel.
if [ -n "${DEBUG_KDIR:-}" ]; then
	lint_build "$DEBUG_KDIR" "the debug kernel"
fi

scripts=$(kernel_scripts)
# Kernel code only: the userspace helpers are not kernel style.
files=$(cd "$top" && git ls-files --cached --others --exclude-standard -- \
	'*.c' '*.h' 2>/dev/null | grep -vE '^(tests|bench)/helpers/' || true)
[ -n "$files" ] || files=$(cd "$top" && find include module policies kunit \
	tests/modules -name '*.[ch]' 2>/dev/null)

echo "lint: checkpatch --strict"
out=$(cd "$top" && "$scripts/checkpatch.pl" --no-tree --strict --quiet --show-types -f $files || true)
if [ -n "$out" ]; then
	echo "$out"
	echo "lint: checkpatch reported the above"
	exit 1
fi

echo "lint: kernel-doc"
out=$(cd "$top" && "$scripts/kernel-doc" -none -v $files 2>&1 | grep -E 'warning|error' || true)
if [ -n "$out" ]; then
	echo "$out"
	echo "lint: kernel-doc reported the above"
	exit 1
fi
missing=
for sym in $(cd "$top" && grep -ho 'EXPORT_SYMBOL\(_GPL\)\?([a-z_0-9]*)' $files | sed 's/.*(\(.*\))/\1/'); do
	(cd "$top" && grep -q "^ \* $sym() - " $files) || missing="$missing $sym"
done
if [ -n "$missing" ]; then
	echo "lint: exported without kernel-doc:$missing"
	exit 1
fi
ver=$(make -s --no-print-directory -C "$top" version)
deb_ver=$(cd "$top" && dpkg-parsechangelog -S Version)
if [ "$deb_ver" != "$ver" ]; then
	echo "lint: debian/changelog is at $deb_ver, dkms.conf at $ver"
	exit 1
fi
echo "lint: clean"
