# SPDX-License-Identifier: GPL-2.0
#
# bench/report.sh's merge of a later run of some scenarios (file "rerun")
# into a run's results: the rerun's episode lines replace those scenarios'
# episodes whole, where the first replaced episode was.
BEGIN {
	while ((getline l < rerun) > 0) {
		if (l !~ /^episode /)
			continue
		kv(l, a)
		drop[a["scenario"]] = 1
		lines[++nl] = l
	}
}
function put(    i) {
	for (i = 1; !done && i <= nl; i++)
		print lines[i]
	done = 1
}
$1 == "episode" { kv($0, a) }
$1 == "episode" && (a["scenario"] in drop) { put(); next }
{ print }
END { put() }
