# SPDX-License-Identifier: GPL-2.0
#
# bench/report.sh's table of oomhook's own figures, from bench/micro.sh's
# lines ("latency trigger=T cgroups=N round=R us=U", "footprint ...",
# "calm ...").
$1 == "latency" {
	kv($0, a)
	k = a["trigger"] SUBSEP a["cgroups"]
	lat[k, ++n[k]] = a["us"] + 0
	if (!(a["cgroups"] in cs)) { cs[a["cgroups"]] = 1; corder[++nc] = a["cgroups"] }
}
$1 == "footprint" && /total_coresize/ { kv($0, a); total = a["total_coresize"] }
$1 == "footprint" && /module=/ { kv($0, a); mods = mods (mods ? ", " : "") a["module"] " " int(a["coresize"] / 1024) " kB" }
$1 == "calm" {
	kv($0, a)
	calm = sprintf("%d oomhook wake-ups (work queued, trace events) in %d s; the kernel's PSI poller woke %d times, for %d us of memory stall in that time", a["wakeups"], a["seconds"], a["psimon_wakeups"], a["stalled_us"])
}
$1 == "stats" { stats = substr($0, 7); sub(/[ \t\r]+$/, "", stats) }
END {
	print "\n### oomhook's own figures\n"
	printf "Decision latency, from oomhook's events (`latency_us`: the trigger to the end of the kill), median of the rounds, ms:\n\n"
	printf "| trigger |"
	for (i = 1; i <= nc; i++) printf " %s cgroups |", corder[i]
	printf "\n|---|"
	for (i = 1; i <= nc; i++) printf "---|"
	print ""
	split("oom psi", tr, " ")
	for (t = 1; t <= 2; t++) {
		printf "| %s |", tr[t] == "oom" ? "OOM notifier" : "PSI trigger"
		for (i = 1; i <= nc; i++) {
			k = tr[t] SUBSEP corder[i]
			for (r = 1; r <= n[k]; r++) v[r] = lat[k, r]
			printf " %s |", n[k] ? sprintf("%.1f (%d rounds)", median(v, n[k]) / 1000, n[k]) : "-"
		}
		print ""
	}
	printf "\nOver all rounds: %s.\n", stats
	printf "\nFootprint: %d kB of module text and data (%s). Calm, with a PSI trigger armed: %s.\n", total / 1024, mods, calm
}
