#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# promtool check metrics on what the exporter (tools/oomhook-metrics) wrote
# in a guest: the z_metrics scenario prints it between OOMHOOK-METRICS
# markers in its log.  And promtool check rules on the README's sample
# alert (its one yaml block).  promtool comes from Debian's prometheus package,
# extracted once into the cache rather than installed (which would start a
# Prometheus server here).
#
#   tests/promtool.sh LOG
set -euo pipefail
. "$(dirname "$0")/common.sh"

log=$1
ver=$(apt-cache policy prometheus | sed -n 's/^  Candidate: //p')
[ -n "$ver" ] && [ "$ver" != "(none)" ] || { echo "promtool: no prometheus package in apt's lists"; exit 1; }
dir=$(cache_dir)/promtool-$ver
if [ ! -x "$dir/usr/bin/promtool" ]; then
	rm -rf "$dir.tmp"
	mkdir -p "$dir.tmp"
	(cd "$dir.tmp" && apt-get download -q "prometheus=$ver" >/dev/null &&
		dpkg-deb -x prometheus_*.deb . && rm -f prometheus_*.deb)
	rm -rf "$dir"
	mv "$dir.tmp" "$dir"
fi

metrics=$(mktemp)
trap 'rm -f "$metrics"' EXIT
tr -d '\r' <"$log" | sed -n '/^OOMHOOK-METRICS-BEGIN$/,/^OOMHOOK-METRICS-END$/p' |
	sed '1d;$d' >"$metrics"
n=$(grep -cv '^#' "$metrics" || true)
if [ "$n" -lt 10 ]; then
	echo "not ok - promtool: the guest's metrics ($n samples) are missing from $log"
	exit 1
fi
if "$dir/usr/bin/promtool" check metrics <"$metrics"; then
	echo "ok - promtool check metrics: the exporter's $n samples pass"
else
	echo "not ok - promtool check metrics failed on:"
	cat "$metrics"
	exit 1
fi

rules=$(mktemp --suffix=.yml)
trap 'rm -f "$metrics" "$rules"' EXIT
sed -n '/^```yaml$/,/^```$/p' "$top/README.md" | sed '1d;$d' >"$rules"
if [ -s "$rules" ] && "$dir/usr/bin/promtool" check rules "$rules"; then
	echo "ok - promtool check rules: the README's sample alert"
else
	echo "not ok - promtool check rules on the README's sample alert"
	exit 1
fi
