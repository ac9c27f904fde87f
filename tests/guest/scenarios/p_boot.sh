# SPDX-License-Identifier: GPL-2.0
# p. Boot-time configuration is runtime configuration.  The README's
#    example machine ("tmpfs,memcg" with system.slice protected) is set up
#    the way a distro user does it: /etc/modprobe.d/oomhook.conf, then a
#    plain "modprobe oomhook".  Every other tunable is set there too, to a
#    value that is not its default (the low-memory trigger off: the
#    exhaustion below is about releases at a global OOM), and must read
#    back from sysfs; every
#    writable file under /sys/kernel/oomhook must have a module parameter.
#    Then one memory exhaustion: tmpfs frees the opted-in cache, and when
#    that is not enough memcg kills the batch job, never system.slice (not
#    the kernel's killer: the leak outruns tmpfs's releases).
#    With the Debian package's modules (PKG_MODULES), they are the ones
#    loaded: from updates/dkms, at the package's version.
# mem: 256

mkdir -p /dev/shm /etc/modprobe.d
mount -t tmpfs tmpfs /dev/shm
mkdir -p /dev/shm/cache /dev/shm/scratch
must "mark /dev/shm/cache for tmpfs" xattr set /dev/shm/cache trusted.oomhook_tmpfs 1
cat > /etc/modprobe.d/oomhook.conf <<'CONF'
# The README's example, then every other tunable off its default.
options oomhook policy=tmpfs,memcg psi=/:some:150000:1000000
options oomhook_memcg subtree=/
options oomhook_tmpfs search_dirs=/dev/shm
options oomhook enabled=1 dry_run=0 cooldown_ms=5000 budget_ms=2000 hold_ms=4000
options oomhook low_mem_pct=0 low_swap_pct=20 low_ms=500 limit_act=0 kernel_kill=0
options oomhook_tmpfs dirs=/dev/shm/scratch order=lru mode=truncate scan_max=100 min_free_mb=8 free_in_use=1
options oomhook_freeze thaw_pressure_pct=5 thaw_after_ms=2000 thaw_min_free_mb=32 max_frozen_ms=30000 min_reclaim_mb=2
CONF

if [ -n "$(ls /lib/modules/$(uname -r)/updates/dkms/ 2>/dev/null)" ]; then
	check "oomhook resolves to the package's module" \
		grep -q '^updates/dkms/oomhook.ko' /lib/modules/$(uname -r)/modules.dep
	pkg=yes
fi
must "modprobe oomhook (options from /etc/modprobe.d)" modprobe oomhook
must "the chain tmpfs,memcg is active" wait_policy tmpfs,memcg
modprobe oomhook_freeze
[ -z "${pkg:-}" ] || check "the package's version is loaded" \
	eq "$(cat /sys/module/oomhook/version)" "$(cat /tests/VERSION)"

T=$OH/policies/tmpfs
F=$OH/policies/freeze
reads() {
	local got
	got=$(cat "$1" | tr '\n' ';')
	[ "$got" = "$2" ] && return 0
	say "$1 reads '$got', expected '$2'"
	return 1
}
check "policy" reads $OH/policy "[tmpfs,memcg] freeze;"
check "psi_triggers" sh -c "grep -q '^/:some:150000:1000000 ' $OH/psi_triggers"
for kv in enabled=1 dry_run=0 cooldown_ms=5000 budget_ms=2000 hold_ms=4000 \
	  low_mem_pct=0 low_swap_pct=20 low_ms=500 limit_act=0 kernel_kill=0; do
	check "${kv%=*} reads ${kv#*=}" reads $OH/${kv%=*} "${kv#*=};"
done
check "memcg subtree" reads $OH/policies/memcg/subtree "/;"
check "tmpfs dirs" reads $T/dirs "add /dev/shm/scratch;search /dev/shm;"
check "tmpfs order" reads $T/order "largest [lru];"
check "tmpfs mode" reads $T/mode "delete [truncate];"
for kv in scan_max=100 min_free_mb=8 free_in_use=1; do
	check "tmpfs ${kv%=*} reads ${kv#*=}" reads $T/${kv%=*} "${kv#*=};"
done
for kv in thaw_pressure_pct=5 thaw_after_ms=2000 thaw_min_free_mb=32 \
	  max_frozen_ms=30000 min_reclaim_mb=2; do
	check "freeze ${kv%=*} reads ${kv#*=}" reads $F/${kv%=*} "${kv#*=};"
done

# Every writable file is a tunable with a module parameter of its name
# (psi_triggers is "psi", tmpfs's dirs are "dirs" and "search_dirs"), except
# freeze's "thaw", which is an action.
param_of() {
	local p
	case $1 in
	$OH/psi_triggers) echo /sys/module/oomhook/parameters/psi ;;
	$OH/policies/*/*) p=${1#$OH/policies/}
		echo "/sys/module/oomhook_${p%%/*}/parameters/${p#*/}" ;;
	*) echo "/sys/module/oomhook/parameters/${1#$OH/}" ;;
	esac
}
n=0
missing=
for f in $(find $OH -type f -perm -200); do
	[ "$f" = $F/thaw ] && continue
	n=$((n + 1))
	[ -e "$(param_of "$f")" ] || missing="$missing $f"
done
check "tmpfs's search_dirs is a parameter too" \
	test -e /sys/module/oomhook_tmpfs/parameters/search_dirs
check "all $n writable files have a module parameter" eq "${missing:-none}" none

# ---- the example machine at work ------------------------------------------
cg_new system.slice
cg_new batch.slice
must "protect system.slice (systemd's ManagedOOMPreference=omit)" \
	xattr set $CG/system.slice user.oomd_omit 1
spawn system.slice heartbeat -i 100 -o /tmp/heartbeat
service=$LASTPID
spawn system.slice hog -s 24 -H -r /tmp/service.ready
must "the service is up" wait_until 30 ready /tmp/service.ready
for i in 1 2 3; do
	dd if=/dev/zero of=/dev/shm/cache/c$i bs=1M count=8 2>/dev/null
done
spawn batch.slice hog
leaker=$LASTPID
must "the leak is resolved: the batch job died" wait_until 120 dead "$leaker"
say "events: $(cat $OH/events)"
# min_free_mb=8: one 8 MB file per event.  The leak outruns three such
# releases within hold_ms; the next decision skips tmpfs and counts only a
# kill, so memcg acts, not the kernel's killer.
check "first tmpfs freed the cache, 8 MB per event" \
	eq "$(grep -c 'policy=tmpfs action=freed .* bytes=8388608 ' $OH/events)" 3
check "then memcg killed the batch job" event_has "policy=memcg" "action=kill" "victim=/batch.slice"
check "a decision without releases made that kill" eq "$(stat_of runs_no_release)" 1
check "no fallback to the kernel" eq "$(stat_of fallbacks)" 0
check "the cache files were truncated (mode=truncate)" \
	eq "$(cat /dev/shm/cache/c1 /dev/shm/cache/c2 /dev/shm/cache/c3 | wc -c)" 0
check "system.slice lives" alive "$service"
check "the kernel's killer killed nothing" eq "$(kernel_kills)" 0
