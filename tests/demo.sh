#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# "make demo": boot Debian's stock kernel in QEMU, load oomhook with the
# memcg policy, provoke a global OOM, print the decision and the events;
# then the same workload without oomhook, for contrast.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
"$here/deps.sh"
"$here/vm/run.sh" demo b_kernel
