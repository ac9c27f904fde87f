#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Everything CI runs ("make check"): install what is missing, build the
# debug kernel if it is not cached, fetch the 6.12 kernel line, static
# checks against all three kernels, install oomhook three ways (DKMS, make
# dkms-install, the Debian package) in a clean Debian 12 root, then the
# QEMU scenarios: on Debian's stock 6.1 (and the package's own modules), the
# benchmark's smoke test, on 6.12 from bookworm-backports, and on the debug
# kernel (KUnit, KASAN, lockdep, kmemleak, fault injection).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"
start=$(date +%s)
step() { echo "check: $* ($(( $(date +%s) - start ))s)"; }

"$here/deps.sh"
# The cheap cached artefacts, the Debian roots of the benchmark and of the
# package test (about a minute each), are built from an empty directory in
# every run, so that a step that works only with a warm cache fails here and
# not on a user's first run.  The expensive ones (the kernels) are rebuilt
# whenever their key changes; OOMHOOK_CACHE=$(mktemp -d) make check builds
# everything from nothing.
OOMHOOK_ROOTS=$(mktemp -d "$(cache_dir)/roots.XXXXXX")
export OOMHOOK_ROOTS
trap 'rm -rf "$OOMHOOK_ROOTS" 2>/dev/null || sudo rm -rf "$OOMHOOK_ROOTS"' EXIT
step "the benchmark's root image, from an empty directory"
img=$(value_of "bench/root.sh" "$top/bench/root.sh")
echo "ok - bench/root.sh printed one line, an existing file: $img"
step "debug kernel"
DEBUG_KDIR=$(value_of "tests/debug-kernel/build.sh" "$here/debug-kernel/build.sh")
step "the 6.12 kernel line"
BACKPORTS_DIR=$(value_of "tests/backports-kernel.sh" "$here/backports-kernel.sh")
export DEBUG_KDIR BACKPORTS_DIR
step "lint"
"$here/lint.sh"
step "install: DKMS and the Debian package in a clean Debian 12 root (built from an empty directory)"
pkg=$(cache_dir)/package-modules
"$here/package/test.sh" "$pkg"
# Two guests side by side, one per core: the scenarios spend much of their
# time waiting on pressure, timeouts and boots (tests/vm/run.sh, VM_JOBS).
VM_JOBS=${VM_JOBS:-2}
export VM_JOBS
step "scenarios on the stock kernel"
"$here/vm/run.sh"
step "promtool check metrics on the exporter's output in the stock guest"
"$here/promtool.sh" "${OOMHOOK_WORK:-$top/.vm}/$(stock_kver)/z_metrics.log"
step "the package's modules on the stock kernel"
PKG_MODULES=$pkg "$here/vm/run.sh" p_boot
step "benchmark smoke: one scenario, the kernel and oomhook, in the Debian guest"
"$top/bench/smoke.sh"
step "scenarios on 6.12 (bookworm-backports)"
VM_KERNEL=backports "$here/vm/run.sh"
step "scenarios on the debug kernel"
VM_KERNEL=debug "$here/vm/run.sh"

echo "check: all passed in $(( $(date +%s) - start ))s"
