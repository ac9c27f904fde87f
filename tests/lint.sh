#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Static checks; any report fails:
#   - make W=1 (extra compiler warnings)
#   - make C=1 (sparse)
#   - checkpatch.pl --strict on every kernel source file
set -euo pipefail
. "$(dirname "$0")/common.sh"

KVER=${KVER:-$(headers_kver)}
KDIR=${KDIR:-/lib/modules/$KVER/build}
b=$(mktemp -d)
trap 'rm -rf "$b"' EXIT
cp -r "$top/Kbuild" "$top/VERSION" "$top/include" "$top/module" \
      "$top/policies" "$b/"
[ -d "$top/kunit" ] && cp -r "$top/kunit" "$b/"

echo "lint: W=1 C=1 build against $KVER"
make -C "$KDIR" M="$b" W=1 C=1 modules >"$b/build.log" 2>&1 || {
	cat "$b/build.log"
	echo "lint: build failed"
	exit 1
}
if grep -E 'warning:|error:' "$b/build.log"; then
	echo "lint: W=1/sparse reported the above"
	exit 1
fi

echo "lint: checkpatch --strict"
files=$(cd "$top" && git ls-files -- '*.c' '*.h' | grep -v '^tests/' || true)
[ -n "$files" ] || files=$(cd "$top" && find include module policies kunit -name '*.[ch]' 2>/dev/null)
out=$(cd "$top" && checkpatch --no-tree --strict --quiet --show-types -f $files || true)
if [ -n "$out" ]; then
	echo "$out"
	echo "lint: checkpatch reported the above"
	exit 1
fi
echo "lint: clean"
