# SPDX-License-Identifier: GPL-2.0
# b_kernel. The workload of b_oom without oomhook: what the kernel's own
#    killer does with it, for comparison.
# mem: 256

. /tests/scenarios/b_setup.sh

b_setup
b_leak
kernel_acted() { [ "$(kernel_kills)" -ge 1 ]; }
must "the kernel resolves the OOM" wait_until 120 kernel_acted
sleep 1
say "the kernel's killer, alone, killed: $(kernel_victims | tr '\n' ';')"
a_left=0
for p in $a_pids; do alive $p && a_left=$((a_left + 1)); done
say "A (prefer) processes still alive: $a_left of 3 (plus leaker alive: $(alive $leaker && echo yes || echo no))"
say "B (avoid) alive: $(all_alive $b_pids && echo yes || echo no); C (omit) alive: $(all_alive $c_pids && echo yes || echo no)"
check "the kernel killed at least one process" ge "$(kernel_kills)" 1
