#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Everything CI runs ("make check"): install what is missing, build the
# debug kernel if it is not cached, static checks against both kernels,
# then the QEMU scenarios on Debian's stock kernel and on the debug kernel
# (KUnit, KASAN, lockdep, kmemleak, fault injection).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
start=$(date +%s)
step() { echo "check: $* ($(( $(date +%s) - start ))s)"; }

"$here/deps.sh"
step "debug kernel"
DEBUG_KDIR=$("$here/debug-kernel/build.sh")
export DEBUG_KDIR
step "lint"
"$here/lint.sh"
step "scenarios on the stock kernel"
"$here/vm/run.sh"
step "scenarios on the debug kernel"
VM_KERNEL=debug "$here/vm/run.sh"

echo "check: all passed in $(( $(date +%s) - start ))s"
