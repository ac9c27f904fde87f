#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The benchmark's table and plot from one run's results (bench/run.sh).
#
#   bench/report.sh RESULTS_DIR [--readme] [RERUN_DIR ...]
#
# Writes RESULTS_DIR/report.md and RESULTS_DIR/plot.png; with --readme it
# also puts the table between the markers of bench/README.md, the plot in
# bench/plot.png, and the raw figures and each contender's configuration in
# bench/results/.  A RERUN_DIR holds a later run of some scenarios (every
# contender, BENCH_SCENARIOS=...): its tables replace those scenarios'
# whole, so that each table still compares contenders within one run.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
res=$1
shift
readme=
reruns=()
for a in "$@"; do
	case $a in
	--readme) readme=1 ;;
	*) reruns+=("$a") ;;
	esac
done
PLOT_SCENARIO=${BENCH_PLOT:-slow_leak}

scenarios() {
	grep '^episode ' "$1" | grep -o ' scenario=[^ ]*' | cut -d= -f2 | sort -u | paste -sd ' '
}

# The figures: the run's, with each rerun's scenarios in place of its own.
cp "$res/results" "$res/results.report"
cp "$res/setup" "$res/setup.report"
plotdir=$res
for d in ${reruns[@]+"${reruns[@]}"}; do
	s=$(scenarios "$d/results")
	awk -v rerun="$d/results" -f "$here/lib.awk" -f "$here/merge.awk" \
		"$res/results.report" >"$res/results.tmp"
	mv "$res/results.tmp" "$res/results.report"
	# A scenario rerun again: the older rerun's line goes with its figures.
	awk -v s="$s" 'index($0, "rerun " s ": ") != 1' "$res/setup.report" \
		>"$res/setup.tmp"
	mv "$res/setup.tmp" "$res/setup.report"
	echo "rerun $s: $(paste -sd ';' "$d/setup" | sed 's/;/; /g')" >>"$res/setup.report"
	case " $s " in *" $PLOT_SCENARIO "*) plotdir=$d ;; esac
done

table() {
	echo "Setup: $(grep -v '^rerun ' "$res/setup.report" | paste -sd ';' | sed 's/;/; /g')."
	echo
	awk '$1 == "rerun" {
		s = $2
		sub(/:$/, "", s)
		$1 = $2 = ""
		sub(/^ +/, "")
		printf "The %s table is from a later run of that scenario alone, every contender again: %s.\n\n", s, $0
	}' "$res/setup.report"
	awk -f "$here/lib.awk" -f "$here/table.awk" "$res/results.report"
}
table >"$res/report.md"

# The plot: one scenario's first run, every contender, time from trigger.
plotdata=$res/plot
rm -rf "$plotdata" "$res/plot.png"
mkdir -p "$plotdata"
series=()
for d in "$plotdir"/*/; do
	c=$(basename "$d")
	f=$d/$PLOT_SCENARIO.1.samples
	[ -f "$f" ] || continue
	# t0: the trigger, one second after the sampler started.
	awk 'NR == 1 { t0 = $1 + 1000 }
	     NR > 1 && $1 > pt {
		dt = ($1 - pt) * 1000
		printf "%.2f %.1f %.1f %.2f\n", ($1 - t0) / 1000, $2 / 1024,
			100 * ($4 - ps) / dt, ($6 > 0 ? ($1 - $6) / 1000 : 0)
	     }
	     { pt = $1; ps = $4 }' "$f" >"$plotdata/$c.dat"
	series+=("$c")
done
if [ ${#series[@]} -gt 0 ] && command -v gnuplot >/dev/null; then
	{
		echo "set terminal pngcairo noenhanced size 1000,900 font ',10'"
		echo "set output '$res/plot.png'"
		echo "set multiplot layout 3,1 title 'oomhook bench: $PLOT_SCENARIO, run 1 (time from the trigger)'"
		echo "set key outside right; set grid; set xrange [-1:*]"
		for panel in "2:MemAvailable (MB)" "3:PSI memory some (% of time)" \
			"4:heartbeat: seconds since the last beat"; do
			col=${panel%%:*}
			echo "set ylabel '${panel#*:}'"
			[ "$col" = 4 ] && echo "set xlabel 'seconds'"
			printf 'plot '
			sep=
			for c in "${series[@]}"; do
				printf "%s'%s' using 1:%s with lines lw 2 title '%s'" \
					"$sep" "$plotdata/$c.dat" "$col" "$c"
				sep=", "
			done
			echo
		done
		echo "unset multiplot"
	} >"$plotdata/plot.gp"
	gnuplot "$plotdata/plot.gp"
fi

if [ -n "$readme" ]; then
	awk -v name=results -v table="$res/report.md" -f "$here/section.awk" \
		"$here/README.md" >"$here/README.md.new"
	mv "$here/README.md.new" "$here/README.md"
	[ -f "$res/plot.png" ] && cp "$res/plot.png" "$here/plot.png"
	# The raw figures behind the table, and what each contender ran with.
	# (bench/results/micro is bench/micro.sh's, from its own run.)
	rm -f "$here/results/setup" "$here/results/results" "$here"/results/*.config
	mkdir -p "$here/results"
	cp "$res/setup.report" "$here/results/setup"
	cp "$res/results.report" "$here/results/results"
	for d in "$res"/*/; do
		[ -f "$d/config.txt" ] && cp "$d/config.txt" "$here/results/$(basename "$d").config"
	done
	echo "bench/README.md, bench/plot.png and bench/results/ updated from $res ${reruns[*]+${reruns[*]}}"
fi
cat "$res/report.md"
