# SPDX-License-Identifier: GPL-2.0
#
# Shared by bench/report.sh's awk programs (awk -f lib.awk -f PROGRAM).
BEGIN { INF = 1e15 }
function kv(line, a,    i, n, f, p) {
	delete a
	n = split(line, f, " ")
	for (i = 2; i <= n; i++) {
		p = index(f[i], "=")
		if (p)
			a[substr(f[i], 1, p - 1)] = substr(f[i], p + 1)
	}
}
# The median of the n values in v[1..n]; INF stands for "never".
function median(v, n,    i, j, t) {
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && v[j - 1] > v[j]; j--) {
			t = v[j]; v[j] = v[j - 1]; v[j - 1] = t
		}
	return n ? v[int((n + 1) / 2)] : INF
}
