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
step "debug kernel"
DEBUG_KDIR=$("$here/debug-kernel/build.sh")
step "the 6.12 kernel line"
BACKPORTS_DIR=$("$here/backports-kernel.sh")
export DEBUG_KDIR BACKPORTS_DIR
step "lint"
"$here/lint.sh"
step "install: DKMS and the Debian package in a clean Debian 12 root"
pkg=$(cache_dir)/package-modules
"$here/package/test.sh" "$pkg"
step "scenarios on the stock kernel"
"$here/vm/run.sh"
step "the package's modules on the stock kernel"
PKG_MODULES=$pkg "$here/vm/run.sh" p_boot
step "benchmark smoke: one scenario, the kernel and oomhook, in the Debian guest"
"$top/bench/smoke.sh"
step "scenarios on 6.12 (bookworm-backports)"
VM_KERNEL=backports "$here/vm/run.sh"
step "scenarios on the debug kernel"
VM_KERNEL=debug "$here/vm/run.sh"

echo "check: all passed in $(( $(date +%s) - start ))s"
