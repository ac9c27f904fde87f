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
mkdir -p "$b/tests" && cp -r "$top/tests/modules" "$b/tests/"
[ -d "$top/kunit" ] && cp -r "$top/kunit" "$b/"

echo "lint: W=1 C=1 build against $KVER"
make -C "$KDIR" M="$b" W=1 C=1 OOMHOOK_TESTS=y modules >"$b/build.log" 2>&1 || {
	cat "$b/build.log"
	echo "lint: build failed"
	exit 1
}
if grep -E 'warning:|error:' "$b/build.log"; then
	echo "lint: W=1/sparse reported the above"
	exit 1
fi

scripts=$(kernel_scripts)
files=$(cd "$top" && git ls-files -- '*.c' '*.h' 2>/dev/null | grep -v '^tests/' || true)
[ -n "$files" ] || files=$(cd "$top" && find include module policies kunit -name '*.[ch]' 2>/dev/null)

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
for sym in $(cd "$top" && grep -ho 'EXPORT_SYMBOL[_A-Z]*([a-z_0-9]*)' $files | sed 's/.*(\(.*\))/\1/'); do
	(cd "$top" && grep -q "^ \* $sym() - " $files) || missing="$missing $sym"
done
if [ -n "$missing" ]; then
	echo "lint: exported without kernel-doc:$missing"
	exit 1
fi
echo "lint: clean"
