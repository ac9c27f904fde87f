# SPDX-License-Identifier: GPL-2.0
# f. Bad input to every writable attribute and module parameter: an error,
#    the state unchanged, no splat.  Writes by a non-root user, and by root
#    without CAP_SYS_ADMIN, are refused.
# mem: 256

long=$(printf '%0600d' 0)
huge=$(printf '%05000d' 0)

# ---- module parameters: each bad load fails and leaves nothing loaded ----
for p in "policy=bad!" "policy=memcg,memcg" "policy=a,b,c,d,e" "policy=none,memcg" \
	 "policy=" "enabled=2" "enabled=yesno" "dry_run=-1" "cooldown_ms=-1" \
	 "cooldown_ms=3600001" "budget_ms=0" "budget_ms=10001" "hold_ms=99" \
	 "hold_ms=0x10" "psi=/:bogus:1:1000000" "psi=/:some:0:1000000" \
	 "psi=/:some:100:499999" "psi=relative:some:1:1000000" \
	 "psi=/nonexistent:some:100000:1000000" "cgroup_mount=/tmp" \
	 "cgroup_mount=/nonexistent" "kernel_kill=2" "kernel_kill=-1"; do
	if insmod $MODDIR/oomhook.ko "$p" 2>/dev/null; then
		bad "insmod oomhook $p was accepted"
		rmmod oomhook
	fi
done
check "no bad parameter left oomhook loaded" sh -c '! grep -q "^oomhook " /proc/modules'
pass "21 bad module parameters refused"

must "load with valid parameters" load_core policy=memcg cooldown_ms=500 \
	budget_ms=2000 hold_ms=1000 "psi=/:some:150000:1000000"
must "memcg active" wait_policy memcg
check "parameters applied" sh -c "[ \$(cat $OH/cooldown_ms) = 500 ] && [ \$(cat $OH/budget_ms) = 2000 ] && [ \$(cat $OH/hold_ms) = 1000 ]"
check "the psi= trigger is armed" grep -q '^/:some:150000:1000000 state=armed' $OH/psi_triggers
check "oomhook_memcg refuses subtree=/nonexistent" \
	sh -c "echo none > $OH/policy; rmmod oomhook_memcg; ! insmod $MODDIR/oomhook_memcg.ko subtree=/nonexistent 2>/dev/null"
check "oomhook_memcg refuses subtree=relative" \
	sh -c "! insmod $MODDIR/oomhook_memcg.ko subtree=relative 2>/dev/null"
check "oomhook_memcg loads with subtree=/" \
	sh -c "insmod $MODDIR/oomhook_memcg.ko subtree=/ && echo memcg > $OH/policy"

# ---- sysfs -----------------------------------------------------------------
refuse $OH/policy "" " " "bad!" "memcg,memcg" "a,b,c,d,e" "none,memcg" "MEMCG" \
	",memcg" "memcg," "nosuch" "$long" "memcg x"
refuse $OH/enabled "" "2" "-1" "yes please" "1x" "0x1" "truee" "$long"
refuse $OH/dry_run "" "2" "-1" "on off" "$long"
refuse $OH/kernel_kill "" "2" "-1" "yes please" "$long"
refuse $OH/cooldown_ms "" "-1" "abc" "3600001" "99999999999999999999" "1.5" \
	"0x10" "+5" "5 5" "$long"
refuse $OH/budget_ms "" "0" "9" "10001" "-5" "$long"
refuse $OH/hold_ms "" "99" "60001" "4294967296" "$long"
echo "add /:full:100000:1000000" > $OH/psi_triggers
refuse $OH/psi_triggers "" "add" "add /" "add /:some" "add /:bogus:1:1000000" \
	"add /:some:0:1000000" "add /:some:2000000:1000000" "add /:some:100:499999" \
	"add /:some:100:10000001" "add relative:some:1:1000000" \
	"add /../x:some:1:1000000" "add /a//b:some:1:1000000" \
	"add /nonexistent:some:100000:1000000" "add /:some:150000:1000000" \
	"add /:full:100000:1000000" "add /:some:-1:1000000" \
	"del /nonexistent:some" "del /:bogus" "remove /:some" "clearx" "$long"
refuse $OH/policies/memcg/subtree "" "relative" "/nonexistent" "/a/../b" \
	"/a//b" "/with space" "/." "$long"
read_only() { ! put "$1" 1; }
for f in stats events; do
	check "$f is read-only" read_only $OH/$f
done

# NUL bytes and oversized writes.
check "a NUL byte inside a write is refused" sh -c "! printf '1\0\n' > $OH/enabled 2>/dev/null"
check "a write larger than a page is refused" sh -c "! printf '%s' '$huge' > $OH/policy 2>/dev/null"
check "state unchanged after NUL and oversized writes" \
	sh -c "[ \$(cat $OH/enabled) = 1 ] && [ \"\$(cat $OH/policy)\" = '[memcg]' ]"

# Valid writes still work.
accept $OH/cooldown_ms 0 0
accept $OH/cooldown_ms " 42 " 42
accept $OH/enabled off 0
accept $OH/enabled 1 1
accept $OH/dry_run 0 0
accept $OH/budget_ms 10 10
accept $OH/hold_ms 60000 60000
cg_new sub
accept $OH/policies/memcg/subtree /sub/ /sub
accept $OH/policies/memcg/subtree / /

# ---- privilege ---------------------------------------------------------------
refuse_unprivileged $OH policy enabled dry_run cooldown_ms budget_ms hold_ms \
	psi_triggers policies/memcg/subtree kernel_kill
check "non-root can still read stats" runas -u 65534 cat $OH/stats > /dev/null
say "psi_triggers: $(cat $OH/psi_triggers | tr '\n' ';')"
check "two triggers remain armed" eq "$(grep -c 'state=armed' $OH/psi_triggers)" 2
