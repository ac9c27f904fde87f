/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The freeze policy's thaw and escalation rules, as pure functions of time
 * and measurements, shared with its KUnit suite (kunit/freeze_kunit.c).
 */
#ifndef _OOMHOOK_FREEZE_H
#define _OOMHOOK_FREEZE_H

#include <linux/types.h>

/**
 * struct oomhook_freeze_cfg - the thresholds, in the units the rules use
 * @thaw_pressure_pct: the machine is calm while the share of time some
 *	task stalled on memory stays below this, in percent.
 * @thaw_min_avail: ... and at least this many bytes are available.
 * @thaw_after_ns: calm this long before a cgroup is thawed.
 * @max_frozen_ns: frozen this long while not calm: escalate.
 */
struct oomhook_freeze_cfg {
	unsigned int thaw_pressure_pct;
	u64 thaw_min_avail;
	u64 thaw_after_ns;
	u64 max_frozen_ns;
};

/**
 * struct oomhook_freeze_state - the rules' memory of one frozen cgroup
 * @frozen_ns: when it was frozen.
 * @calm_since_ns: since when the machine has been calm, 0 if it is not.
 * @escalated: it was reported as frozen too long.
 */
struct oomhook_freeze_state {
	u64 frozen_ns;
	u64 calm_since_ns;
	bool escalated;
};

/**
 * enum oomhook_freeze_verdict - what to do with a frozen cgroup now
 * @OOMHOOK_FREEZE_KEEP: leave it frozen.
 * @OOMHOOK_FREEZE_THAW: thaw it: the machine has been calm long enough.
 * @OOMHOOK_FREEZE_ESCALATE: it has been frozen too long under pressure;
 *	given once, then the cgroup stays escalated until it is thawed.
 */
enum oomhook_freeze_verdict {
	OOMHOOK_FREEZE_KEEP,
	OOMHOOK_FREEZE_THAW,
	OOMHOOK_FREEZE_ESCALATE,
};

bool oomhook_freeze_calm(const struct oomhook_freeze_cfg *cfg, u64 stall_us,
			 u64 interval_us, u64 avail);
enum oomhook_freeze_verdict
oomhook_freeze_step(struct oomhook_freeze_state *st,
		    const struct oomhook_freeze_cfg *cfg, u64 now, bool calm);

#endif /* _OOMHOOK_FREEZE_H */
