# SPDX-License-Identifier: GPL-2.0
#
# Put the file TABLE between "<!-- NAME:begin -->" and "<!-- NAME:end -->"
# of a README, in place of what was there (bench/report.sh, bench/micro.sh):
#   awk -v name=NAME -v table=TABLE -f section.awk README.md
$0 == "<!-- " name ":begin -->" {
	print
	while ((getline l < table) > 0) print l
	skip = 1
	next
}
$0 == "<!-- " name ":end -->" { skip = 0 }
!skip
