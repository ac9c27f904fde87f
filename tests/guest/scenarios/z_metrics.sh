# SPDX-License-Identifier: GPL-2.0
# z. The Prometheus exporter (tools/oomhook-metrics) on a live oomhook:
#    after a kill, its textfile has every counter of stats and of each
#    policy's stats, the chain, the switches and the last event, written
#    atomically; with oomhook unloaded it holds no metric and the exporter
#    exits 0.  The file is printed between OOMHOOK-METRICS markers for the
#    host, which runs promtool check metrics on it (tests/promtool.sh).
# mem: 256

KERNEL_KILL=default
must "modprobe oomhook policy=tmpfs,memcg" load_core policy=tmpfs,memcg
must "tmpfs,memcg active" wait_policy tmpfs,memcg
modprobe oomhook_freeze
cg_new X
mark X prefer
spawn X hog -c 4
must "the OOM is resolved: X's leaker died" wait_until 120 dead "$LASTPID"
wait_until 10 event_has "victim=/X" "outcome=exited"

D=/tmp/textfile
mkdir -p $D
prom=$D/oomhook.prom
must "the exporter runs" oomhook-metrics $prom
echo "OOMHOOK-METRICS-BEGIN"
cat $prom
echo "OOMHOOK-METRICS-END"

metric() { awk -v m="$1" '$1 == m { print $2 }' $prom; }
check "no temporary file left" eq "$(ls -a $D | grep -c '^\.oomhook')" 0
check "readable by node_exporter (0644)" sh -c "ls -l $prom | grep -q '^-rw-r--r--'"
n=0
while read -r k v; do
	[ "$(metric oomhook_${k}_total)" = "$v" ] || {
		say "stats $k=$v, metric oomhook_${k}_total=$(metric oomhook_${k}_total)"
		n=$((n + 1))
	}
done < $OH/stats
check "every counter of stats, with the value read" eq $n 0
check "every counter has HELP and TYPE counter" eq \
	"$(grep -c '^# TYPE oomhook_.*_total counter$' $prom)" \
	"$(grep -c '^# HELP oomhook_.*_total ' $prom)"
check "one kill" eq "$(metric oomhook_kills_total)" 1
for p in tmpfs freeze; do
	k=$(head -n 1 $OH/policies/$p/stats | cut -d' ' -f1)
	check "$p's counter $k, labelled" sh -c \
		"grep -q '^oomhook_policy_${k}_total{policy=\"$p\"} ' $prom"
done
check "the chain as an info metric" eq \
	"$(metric 'oomhook_chain_info{chain="tmpfs,memcg"}')" 1
check "freeze is registered, not active" eq \
	"$(metric 'oomhook_policy_info{active="0",policy="freeze"}')" 1
check "the switches" eq "$(metric oomhook_enabled)$(metric oomhook_kernel_kill)" 11
check "the last event's number" eq "$(metric oomhook_last_event_seq)" \
	"$(tail -n 1 $OH/events | sed 's/^seq=\([0-9]*\) .*/\1/')"
t=$(metric oomhook_last_event_timestamp_seconds)
check "the last event's time is within the last 10 minutes" sh -c \
	"[ ${t%.*} -le $(date +%s) ] && [ ${t%.*} -gt $(( $(date +%s) - 600 )) ]"
check "labels take no value but policy names" sh -c \
	"! grep -v '^#' $prom | grep '{' | grep -vE '^oomhook_(policy_[a-z_]+_total\{policy=\"(tmpfs|freeze|memcg)\"\}|chain_info\{chain=\"[a-z,]+\"\}|policy_info\{active=\"[01]\",policy=\"[a-z]+\"\}) '"

echo none > $OH/policy
rmmod oomhook_freeze
rmmod oomhook_tmpfs
rmmod oomhook_memcg
must "unload" rmmod oomhook
check "unloaded: the exporter exits 0" oomhook-metrics $prom
check "and the file holds no metric" eq "$(wc -c < $prom)" 0
check "to standard output, nothing either" eq "$(oomhook-metrics - | wc -c)" 0
