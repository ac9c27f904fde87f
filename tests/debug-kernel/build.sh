#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build (once) oomhook's debug kernel from Debian's linux-source-6.1 with
# config.fragment, and print its build directory.  The build is cached
# under $(cache_dir)/debug-kernel-<source version>-<fragment hash>; it is
# rebuilt only when that key changes or the cached build is incomplete.
# Progress goes to stderr; the directory alone to stdout.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../common.sh"
value_script

ver=$(dpkg-query -W -f='${Version}' linux-source-6.1)
hash=$(sha256sum "$here/config.fragment" | cut -c1-12)
out=$(cache_dir)/debug-kernel-$ver-$hash
if [ -e "$out/.complete" ]; then
	print_value "$out"
	exit 0
fi

log() { echo "[debug-kernel $(date +%T)] $*"; }
start=$(date +%s)
src=$(cache_dir)/linux-source-$ver
if [ ! -e "$src/.complete" ]; then
	log "extracting linux-source $ver"
	rm -rf "$src"
	mkdir -p "$src"
	tar -xf "$(ls /usr/src/linux-source-6.1.tar.* | head -n 1)" -C "$src" \
		--strip-components=1
	touch "$src/.complete"
fi

rm -rf "$out"
mkdir -p "$out"
log "configuring in $out"
make -s -C "$src" O="$out" tinyconfig
"$src/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" \
	"$here/config.fragment" >/dev/null
make -s -C "$src" O="$out" olddefconfig

# merge_config.sh drops what it does not know: check every line made it.
missing=0
while read -r line; do
	case "$line" in
	CONFIG_*=*) grep -qxF "$line" "$out/.config" || { log "missing: $line"; missing=1; } ;;
	"# CONFIG_"*" is not set") opt=${line#\# }; opt=${opt%% *}
		grep -q "^$opt=" "$out/.config" && { log "still set: $opt"; missing=1; } ;;
	esac
done <"$here/config.fragment"
[ $missing = 0 ] || { log "config.fragment did not apply"; exit 1; }

log "building bzImage and modules (-j$(nproc))"
make -s -C "$src" O="$out" -j"$(nproc)" bzImage modules 2>"$out/build.err" || {
	tail -n 50 "$out/build.err"
	exit 1
}
touch "$out/.complete"
log "built in $(( $(date +%s) - start ))s: $(cat "$out/include/config/kernel.release")"
print_value "$out"
