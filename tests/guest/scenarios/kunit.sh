# SPDX-License-Identifier: GPL-2.0
# kunit. Load oomhook and its KUnit suites (debug kernel only: the stock
#    kernel has no CONFIG_KUNIT) and print every suite's KTAP results from
#    debugfs; the host fails the run on any "not ok".
# mem: 256

must "this kernel has KUnit" test -d /sys/kernel/debug/kunit
must "load oomhook" load_core
must "load the suites (they run at load)" insmod $MODDIR/oomhook_kunit.ko
must "load the tmpfs policy and its suite" sh -c \
	"insmod $MODDIR/oomhook_tmpfs.ko && insmod $MODDIR/oomhook_tmpfs_kunit.ko"
must "load the freeze policy and its suite" sh -c \
	"insmod $MODDIR/oomhook_freeze.ko && insmod $MODDIR/oomhook_freeze_kunit.ko"
n=0
for r in /sys/kernel/debug/kunit/oomhook_*/results; do
	suite=$(basename "$(dirname "$r")")
	n=$((n + 1))
	echo "KTAP-BEGIN $suite"
	cat "$r"
	echo "KTAP-END $suite"
	if grep -q 'not ok' "$r"; then
		bad "suite $suite"
	else
		pass "suite $suite: $(grep -c '^ *ok ' "$r") ok lines"
	fi
done
check "all eleven suites ran" eq "$n" 11
check "unload the suites" rmmod oomhook_kunit oomhook_tmpfs_kunit oomhook_tmpfs oomhook_freeze_kunit oomhook_freeze
check "the registry is back to none" eq "$(cat $OH/policy)" "[none]"
check "unload oomhook" rmmod oomhook
