# SPDX-License-Identifier: GPL-2.0
#
# bench/micro.sh's table of the decision times, from bench_latency's lines:
#   "oom who=oomhook cgroups=S round=R us=U latency_us=L"
#   "oom who=kernel cgroups=S round=R us=U choice_us=C"
#   "psi who=oomhook cgroups=S round=R latency_us=L"
#   "footprint ...", "calm ...", "stats ..."
# S is N (N populated cgroups) or T/N (T cgroups, N of them populated).
function size_name(s,    p) {
	p = index(s, "/")
	return p ? sprintf("%s (%s populated)", substr(s, 1, p - 1), substr(s, p + 1)) : s
}
# The median of the rounds of key k in ms, and how many rounds had a figure.
function cell(tab, cnt, k,    r, v, m) {
	m = 0
	for (r = 1; r <= cnt[k]; r++)
		if (tab[k, r] != "-" && tab[k, r] != "")
			v[++m] = tab[k, r] + 0
	if (!m)
		return "-"
	med[k] = median(v, m) / 1000
	return sprintf("%.2f (%d/%d)", med[k], m, cnt[k])
}
function ratio(a, b, ka, kb) {
	return a != "-" && b != "-" && med[kb] > 0 ? sprintf("%.2f", med[ka] / med[kb]) : "-"
}
$1 == "oom" || $1 == "psi" {
	kv($0, a)
	k = $1 SUBSEP a["who"] SUBSEP a["cgroups"]
	val[k, ++n[k]] = $1 == "oom" ? a["us"] : a["latency_us"]
	if ($1 == "oom" && a["who"] == "kernel") {
		kc = "choice" SUBSEP a["cgroups"]
		val[kc, ++n[kc]] = a["choice_us"]
	}
	if (!(a["cgroups"] in seen)) { seen[a["cgroups"]] = 1; order[++ns] = a["cgroups"] }
}
$1 == "footprint" && /total_coresize/ { kv($0, a); total = a["total_coresize"] }
$1 == "footprint" && /module=/ { kv($0, a); mods = mods (mods ? ", " : "") a["module"] " " int(a["coresize"] / 1024) " kB" }
$1 == "calm" {
	kv($0, a)
	calm = sprintf("%d oomhook wake-ups (work queued, trace events) in %d s; the kernel's PSI poller woke %d times, for %d us of memory stall in that time", a["wakeups"], a["seconds"], a["psimon_wakeups"], a["stalled_us"])
}
$1 == "stats" { stats = substr($0, 7); sub(/[ \t\r]+$/, "", stats) }
END {
	print "A global OOM's decision, from the entry of `out_of_memory()` to the SIGKILL of the victim, in ms: median of the rounds (rounds with a figure / rounds). The kernel's killer chose among the same tasks in the same guest, with oomhook loaded and disabled; \"to its choice\" stops at the entry of `oom_kill_process()`, before its report and its kill. The PSI trigger's figure is oomhook's own `latency_us` (the trigger to the kill).\n"
	print "| cgroups | oomhook | the kernel's killer | oomhook / kernel | the kernel, to its choice | oomhook / the kernel's choice | oomhook, PSI trigger |"
	print "|---|---|---|---|---|---|---|"
	for (i = 1; i <= ns; i++) {
		s = order[i]
		ko = "oom" SUBSEP "oomhook" SUBSEP s
		kk = "oom" SUBSEP "kernel" SUBSEP s
		kp = "psi" SUBSEP "oomhook" SUBSEP s
		kc = "choice" SUBSEP s
		co = cell(val, n, ko)
		ck = cell(val, n, kk)
		cc = cell(val, n, kc)
		printf "| %s | %s | %s | %s | %s | %s | %s |\n", size_name(s), co, ck,
			ratio(co, ck, ko, kk), cc, ratio(co, cc, ko, kc), cell(val, n, kp)
	}
	printf "\nOver all rounds (oomhook's stats): %s.\n", stats
	printf "\nFootprint: %d kB of module text and data (%s). Calm, with a PSI trigger armed: %s.\n", total / 1024, mods, calm
}
