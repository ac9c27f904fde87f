#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Everything CI runs ("make check"): install what is missing, static checks,
# then the QEMU scenarios on Debian's stock kernel.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
start=$(date +%s)

"$here/deps.sh"
"$here/lint.sh"
"$here/vm/run.sh"

echo "check: all passed in $(( $(date +%s) - start ))s"
