# SPDX-License-Identifier: GPL-2.0
#
# bench/report.sh's tables: medians over the runs of each scenario for each
# contender, from the "calm" and "episode" lines of bench/guest/bench.sh.
function secs(ms) { return ms >= INF ? "never" : sprintf("%.1f", ms / 1000) }
function addc(c) { if (!(c in cseen)) { cseen[c] = 1; corder[++nc] = c } }
$1 == "calm" {
	kv($0, a)
	addc(a["contender"])
	calm[a["contender"]] = $0
}
$1 == "episode" {
	kv($0, a)
	c = a["contender"]; s = a["scenario"]
	addc(c)
	if (!(s in sseen)) { sseen[s] = 1; sorder[++ns] = s }
	k = s SUBSEP c
	n = ++runs[k]
	res[k, n] = a["resolve_ms"] == "-" ? INF : a["resolve_ms"] + 0
	gap[k, n] = a["gap_ms"] + 0
	some[k, n] = a["some_ms"] + 0
	full[k, n] = a["full_ms"] + 0
	freed[k, n] = a["freed_mb"] + 0
	if (a["resolve_ms"] != "-")
		ok[k]++
	right[k] += a["victims"] - a["wrong"]
	wrong[k] += a["wrong"]
	over[k] += a["overkill"]
	if (a["limit"] ~ /^observer/)
		stalled[s] = stalled[s] (stalled[s] ? "; " : "") c " run " a["run"] \
			(a["limit"] == "observer:killed" ? " (the unit was still running: its death is not counted)" : "")
	if (a["who"] != "-") {
		nw = split(a["who"], w, ",")
		for (i = 1; i <= nw; i++) {
			if (!((k, w[i]) in died))
				dorder[k] = dorder[k] (dorder[k] ? "," : "") w[i]
			died[k, w[i]]++
		}
	}
}
END {
	for (i = 1; i <= ns; i++) {
		s = sorder[i]
		printf "\n### %s\n\n", s
		print "| contender | resolved | onset → resolution (s) | longest heartbeat gap (s) | PSI some / full (s) | victims: right / wrong / over-kill | freed (MB) | who died (episodes) |"
		print "|---|---|---|---|---|---|---|---|"
		best_res = INF; best_gap = INF
		for (j = 1; j <= nc; j++) {
			c = corder[j]; k = s SUBSEP c
			if (!runs[k])
				continue
			n = runs[k]
			for (r = 1; r <= n; r++) {
				v1[r] = res[k, r]; v2[r] = gap[k, r]; v3[r] = some[k, r]
				v4[r] = full[k, r]; v5[r] = freed[k, r]
			}
			mres[c] = median(v1, n); mgap[c] = median(v2, n)
			if (mres[c] < best_res) { best_res = mres[c]; best_res_c = c }
			if (mgap[c] < best_gap) { best_gap = mgap[c]; best_gap_c = c }
			who = ""
			nw = split(dorder[k], w, ",")
			for (i2 = 1; i2 <= nw; i2++)
				who = who (who ? ", " : "") w[i2] " ×" died[k, w[i2]]
			printf "| %s | %d/%d | %s | %s | %s / %s | %d / %d / %d | %d | %s |\n",
				c, ok[k], n, secs(mres[c]), secs(mgap[c]),
				secs(median(v3, n)), secs(median(v4, n)),
				right[k], wrong[k], over[k], median(v5, n),
				who ? who : "-"
		}
		if (stalled[s])
			printf "\nThe driver stalled past the limit, so the observer ended the episode: %s.\n",
				stalled[s]
		k = s SUBSEP "oomhook"
		if (runs[k]) {
			# Behind: by more than the table shows (0.1 s).
			if (best_res_c != "oomhook" && secs(best_res) != secs(mres["oomhook"]))
				printf "\noomhook behind on resolution time: %s %s s, oomhook %s s.\n",
					best_res_c, secs(best_res), secs(mres["oomhook"])
			if (best_gap_c != "oomhook" && secs(best_gap) != secs(mgap["oomhook"]))
				printf "\noomhook behind on the heartbeat gap: %s %s s, oomhook %s s.\n",
					best_gap_c, secs(best_gap), secs(mgap["oomhook"])
		}
	}
	print "\n### The contender itself, calm"
	print "\n| contender | CPU time (ms per s) | wake-ups per s | resident memory (kB) | measured on |"
	print "|---|---|---|---|---|"
	for (j = 1; j <= nc; j++) {
		c = corder[j]
		if (!(c in calm))
			continue
		kv(calm[c], a)
		if (a["what"] == "none") {
			printf "| %s | - | - | - | nothing of its own runs |\n", c
			continue
		}
		sec = a["seconds"] > 0 ? a["seconds"] : 1
		printf "| %s | %.2f | %.2f | %d | %s |\n", c, a["cpu_ms"] / sec,
			a["wakeups"] / sec, a["rss_kb"],
			(a["what"] == "processes" ? "its processes" : "module text and data; queued work and trace events")
	}
}
