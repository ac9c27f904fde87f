# SPDX-License-Identifier: GPL-2.0
# l. Fuzzing: 10,000 random and edge-case writes to every writable file
#    with an oracle (refused writes change nothing, surely-invalid input is
#    refused, tunables stay in range), then 4 concurrent writers.  The
#    debug kernel takes ~60 ms per oracle round, so it runs 1,500
#    (~290 s with the policies' 17 files).
# mem: 256
# timeout: 600

must "load" load_core policy=memcg
must "memcg active" wait_policy memcg
must "load the tmpfs and freeze policies" sh -c "modprobe oomhook_tmpfs && modprobe oomhook_freeze"
mkdir -p /mnt/fz
mount -t tmpfs -o size=4m tmpfs /mnt/fz
mkdir /mnt/fz/sub
ln -s /mnt/fz/sub /mnt/fz/link
cg_new stress
out=$(fuzz -n ${FUZZ_WRITES:-$(scaled 10000 1500)} -j 4 -s 0x$(date +%s))
rc=$?
echo "$out" | grep -v '^fuzz:' | head -n 20
echo "$out" | grep '^fuzz:' | while read -r line; do say "$line"; done
check "no violation" eq "$rc" 0
check "still answering" sh -c "cat $OH/policy $OH/stats > /dev/null"
check "clean unload" sh -c "echo none > $OH/policy; echo clear > $OH/psi_triggers; rmmod oomhook_fault 2>/dev/null; rmmod oomhook_memcg 2>/dev/null; rmmod oomhook_tmpfs; rmmod oomhook_freeze; rmmod oomhook"
