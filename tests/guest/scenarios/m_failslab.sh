# SPDX-License-Identifier: GPL-2.0
# m. Allocation failures (debug kernel): for each operation, every slab or
#    page allocation it makes fails in turn (N = 1, 2, ... through
#    /proc/thread-self/fail-nth), until one run reaches no N-th point.  Each
#    failure must give a clean error with the state unchanged, or a success
#    with a consistent state; kmemleak then finds nothing (scanned by init).
#    Operations: loading oomhook (with a PSI trigger), arming a trigger,
#    switching the chain, writing a tunable and memcg's subtree, loading a
#    policy module, opting in a tmpfs directory, asking freeze to thaw.  Event recording allocates nothing (a static ring), and
#    decisions run in kernel workers, outside a task's fail-nth.
#    A module load sweeps only the points from parameter parsing on (the
#    module's sysfs and its init): before that, the kernel registers the
#    module's trace events, whose code WARNs on -ENOMEM by design
#    (event_define_fields), and that is not oomhook's to test.
# mem: 256
# timeout: 720

DBG=/sys/kernel/debug
must "fault injection is available" test -e $DBG/failslab/ignore-gfp-wait
# Let sleeping and order-0 allocations fail too, and stay quiet about it.
for a in failslab fail_page_alloc; do
	echo N > $DBG/$a/ignore-gfp-wait
	echo 0 > $DBG/$a/verbose
done
echo 0 > $DBG/fail_page_alloc/min-order
echo N > $DBG/fail_page_alloc/ignore-gfp-highmem

# sweep NAME CHECK UNDO -- OP ARGS: run "failnth N OP ARGS" for N = FROM,
# FROM + 1, ... (FROM defaults to 1).  After each injected failure, CHECK
# (a command) must succeed whatever the call's result; UNDO runs after a
# call that succeeded.
sweep() {
	local name=$1 check_cmd=$2 undo=$3 i=${FROM:-1} out fails=0 ok=0
	shift 4
	while [ $i -le 3000 ]; do
		out=$(failnth $i "$@")
		case "$out" in
		"injected=0 ret=0")
			eval "$undo"
			break ;;
		"injected=0 "*)
			bad "$name: failed without an injected fault: $out"
			return ;;
		"injected=1 ret=0")
			ok=$((ok + 1))
			eval "$check_cmd" || bad "$name: inconsistent after a fault at $i that it survived"
			eval "$undo" ;;
		"injected=1 ret=-"*)
			fails=$((fails + 1))
			eval "$check_cmd" || bad "$name: state changed after a refused call at $i" ;;
		*)
			bad "$name: $out"
			return ;;
		esac
		i=$((i + 1))
	done
	pass "$name: $((i - ${FROM:-1})) fault points, $fails clean errors, $ok absorbed"
}

# first_own_point MODULE BAD_PARAM: the first point after the kernel's own
# load work, counted on a load that BAD_PARAM makes fail in parse_args.
first_own_point() {
	local out n
	out=$(failnth count load "$1" "$2")
	n=${out#points=}
	case "$out" in
	"points="*" ret=-22") echo $(( ${n%% *} + 1 )) ;;
	*) echo "bad count: $out" >&2; echo 0 ;;
	esac
}

ko=$MODDIR/oomhook.ko
not_loaded() { ! grep -q '^oomhook ' /proc/modules; }
loaded_sane() { grep -q '^oomhook ' /proc/modules && [ "$(cat $OH/policy)" = "[none]" ]; }
unload() { rmmod oomhook 2>/dev/null; true; }
FROM=$(first_own_point $ko cooldown_ms=bogus)
must "the kernel's own work for oomhook's load is counted" ge "$FROM" 2
say "oomhook's load: the kernel's own work takes $((FROM - 1)) points"
sweep "load oomhook" 'not_loaded || loaded_sane' unload -- \
	load $ko "psi=/:some:150000:1000000 cooldown_ms=500"
FROM=1
check "nothing left loaded" not_loaded
check "no psimon left behind" sh -c '! ps | grep -q "[p]simon"'

must "load oomhook" load_core
cg_new G
list() { cat $OH/psi_triggers; }
empty_or_armed() { [ -z "$(list)" ] || list | grep -q '^/G:some:100000:1000000 state=armed'; }
sweep "arm a trigger" empty_or_armed \
	'echo "del /G:some" > $OH/psi_triggers' -- \
	write $OH/psi_triggers "add /G:some:100000:1000000"
check "no trigger left" test -z "$(list)"

must "load memcg" modprobe oomhook_memcg
none_or_memcg() { grep -qE '^\[(none|memcg)\]' $OH/policy; }
sweep "switch the chain" none_or_memcg 'echo none > $OH/policy' -- \
	write $OH/policy "memcg"
check "chain back to none" eq "$(cat $OH/policy)" "[none] memcg"

sweep "write a tunable" 'grep -qE "^(10000|500)$" $OH/cooldown_ms' \
	'echo 10000 > $OH/cooldown_ms' -- write $OH/cooldown_ms 500
sweep "write memcg's subtree" 'grep -qE "^/(G)?$" $OH/policies/memcg/subtree' \
	'echo / > $OH/policies/memcg/subtree' -- \
	write $OH/policies/memcg/subtree /G

must "unload memcg" rmmod oomhook_memcg
memcg_gone_or_sane() {
	! grep -q '^oomhook_memcg ' /proc/modules || [ -e $OH/policies/memcg/subtree ]
}
FROM=$(first_own_point $MODDIR/oomhook_memcg.ko subtree=relative)
must "the kernel's own work for memcg's load is counted" ge "$FROM" 2
say "memcg's load: the kernel's own work takes $((FROM - 1)) points"
sweep "load a policy module" memcg_gone_or_sane 'rmmod oomhook_memcg' -- \
	load $MODDIR/oomhook_memcg.ko
FROM=1
check "the registry lists no memcg" eq "$(cat $OH/policy)" "[none]"

# The tmpfs policy's directory list: the store allocates an entry and
# resolves the path (the kernel's lookup allocates too).
must "load tmpfs" modprobe oomhook_tmpfs
T=$OH/policies/tmpfs
mkdir -p /tmp/fs
dirs_sane() { [ -z "$(cat $T/dirs)" ] || [ "$(cat $T/dirs)" = "add /tmp/fs" ]; }
sweep "opt in a tmpfs directory" dirs_sane 'echo clear > $T/dirs' -- \
	write $T/dirs "add /tmp/fs"
check "no directory left" test -z "$(cat $T/dirs)"
must "unload tmpfs" rmmod oomhook_tmpfs

# The freeze policy's thaw request (its work runs in a worker, outside the
# writer's fail-nth).
must "load freeze" modprobe oomhook_freeze
Z=$OH/policies/freeze
sweep "ask freeze to thaw all" 'test -z "$(cat $Z/frozen)"' true -- \
	write $Z/thaw all
must "unload freeze" rmmod oomhook_freeze
check "unload" rmmod oomhook
