# SPDX-License-Identifier: GPL-2.0
#
# One episode's figures from the sampler's lines
#   t_ms avail_kb swapfree_kb some_us full_us beat_ms
# Variables: t0 (the trigger, same clock), limit (the episode's limit, ms
# after t0: later samples are not the contender's), total (MemTotal, kB),
# right (the unit whose death is the right answer), victims (" unit:comm
# ..." of the processes that died), beats (the heartbeat's log: one time
# per line); with check=1 it only answers (exit 0) whether the episode is
# resolved.
#
# Onset: the first sample after the trigger where memory ran short
# (MemAvailable under 10% of MemTotal) or tasks stalled on memory (PSI
# "some" over 10% of the interval).  Resolved: from some sample on,
# MemAvailable stays at 20% or more and "some" under 5%, for 2 s to the end.
$1 >= t0 && (!limit || $1 <= t0 + limit) {
	n++
	t[n] = $1; av[n] = $2; some[n] = $4; full[n] = $5
}
END {
	LOW = 0.10; OK = 0.20; STALL = 0.10; CALM = 0.05; STABLE = 2000
	onset = 0
	for (i = 2; i <= n; i++) {
		dt = (t[i] - t[i - 1]) * 1000
		rate[i] = dt > 0 ? (some[i] - some[i - 1]) / dt : 0
		if (!onset && (av[i] < LOW * total || rate[i] > STALL))
			onset = i
	}
	res = 0
	never = !onset && gone
	if (never)
		onset = 1
	if (onset) {
		for (i = n; i > onset; i--)
			if (av[i] < OK * total || rate[i] >= CALM)
				break
		if (i < n && t[n] - t[i + 1] >= STABLE)
			res = i + 1
	}
	if (check)
		exit res ? 0 : 1
	if (never) {
		printf "onset_ms=- resolve_ms=%s ", res ? 0 : "-"
	} else if (!onset) {
		printf "onset_ms=- resolve_ms=- "
		onset = 1
	} else {
		printf "onset_ms=%d ", t[onset] - t0
		if (res)
			printf "resolve_ms=%d ", t[res] - t[onset]
		else
			printf "resolve_ms=- "
	}
	last = res ? res : n
	printf "some_ms=%d full_ms=%d ", (some[last] - some[onset]) / 1000,
		(full[last] - full[onset]) / 1000
	lo = av[onset]
	for (i = onset; i <= last; i++)
		if (av[i] < lo)
			lo = av[i]
	hi = 0
	for (i = last; i <= n && t[i] - t[last] <= STABLE; i++)
		if (av[i] > hi)
			hi = av[i]
	if (!res)
		for (i = n; i > 0 && t[n] - t[i] <= STABLE; i--)
			if (av[i] > hi)
				hi = av[i]
	printf "freed_mb=%d ", (hi - lo) / 1024
	# The protected service's longest silence between the trigger and the
	# end (its last beat to the end counts: a dead service is silent).
	prev = 0; gap = 0
	while ((getline b < beats) > 0) {
		if (b < t0)
			{ prev = b; continue }
		if (b > t[last])
			break
		if (prev && b - prev > gap)
			gap = b - prev
		prev = b
	}
	if (prev && t[last] - prev > gap)
		gap = t[last] - prev
	printf "gap_ms=%d ", gap
	nv = split(victims, v, " ")
	units = 0; wrong = 0
	for (i = 1; i <= nv; i++) {
		split(v[i], uc, ":")
		u = uc[1]
		sub(/\.(service|scope)$/, "", u)
		if (!(u in seen)) {
			seen[u] = 1
			units++
			who = who (who ? "," : "") u
			if (u != right)
				wrong++
		}
	}
	printf "kills=%d victims=%d wrong=%d overkill=%d who=%s", nv, units,
		wrong, (units > 1), (who ? who : "-")
}
