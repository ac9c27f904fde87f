// SPDX-License-Identifier: GPL-2.0
/*
 * freeze: pause a workload instead of killing it, push its memory out,
 * thaw it when pressure is gone, escalate when that does not help.
 *
 * On a PSI memory-pressure event the policy chooses a cgroup exactly as
 * memcg would (oomhook_select_cgroup(): prefer/avoid/omit markers, usage
 * beyond protection, never the root, PID 1's cgroups or omit), passing over
 * cgroups already frozen.  It writes cgroup.freeze, then asks
 * memory.reclaim for the cgroup's usage in steps while half the event's
 * budget lasts; the bytes memory.current dropped by are reported as freed.
 * With swap or zswap the frozen tasks' anonymous memory moves out; without,
 * only their page cache can.  If less than min_reclaim_mb came free, the
 * cgroup is thawed at once and the policy reports nothing, so the chain
 * moves on ("freeze,memcg" kills what freezing could not save).  When there
 * is nothing more to freeze but some cgroup is frozen and not escalated, it
 * answers OOMHOOK_ACT_HOLD: the chain stops there, and the frozen cgroups
 * get their time.
 *
 * A global OOM is never answered by freezing: reclaim, swap included, has
 * already failed by then, and a frozen task frees nothing.  The policy
 * reports nothing at once and the chain (or the kernel's killer) acts.
 *
 * While anything is frozen a check runs every FREEZE_CHECK_MS:
 * - the machine is calm when the share of time some task stalled on memory
 *   (the root cgroup's memory.pressure, i.e. the whole machine) stayed
 *   below thaw_pressure_pct over the last check and at least
 *   thaw_min_free_mb is available; calm for thaw_after_ms thaws the cgroup
 *   frozen first, then the calm period starts again (one cgroup at a time);
 * - a cgroup frozen for more than max_frozen_ms while the machine is not
 *   calm is escalated: logged, counted, shown in "frozen", and from then on
 *   the policy reports nothing on events, so the next policy in the chain
 *   acts (memcg kills the frozen cgroup like any other);
 * - a cgroup that emptied (killed) or went away is forgotten;
 * - if the policy is no longer in the active chain (deselected, or dropped
 *   after faults), everything it froze is thawed.
 * Unloading thaws everything too.  An administrator can thaw by writing to
 * "thaw".
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <kunit/visibility.h>
#include <linux/capability.h>
#include <linux/completion.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/sizes.h>
#include <linux/string.h>
#include <linux/swap.h>
#include <linux/sysfs.h>
#include <linux/workqueue.h>

#include "oomhook.h"
#include "freeze.h"

/* Most cgroups frozen at once. */
#define FREEZE_MAX		16
/* Period of the thaw/escalation check while anything is frozen. */
#define FREEZE_CHECK_MS		500
/*
 * memory.reclaim is asked for this much at a time: one step takes ~2.5 s on
 * the debug kernel under TCG, so a step begun at half the budget ends well
 * before the deadline.
 */
#define FREEZE_RECLAIM_STEP	SZ_8M
/* Enough for the root cgroup's memory.pressure. */
#define FREEZE_PRESSURE_MAX	256
/* Enough for a u64 in decimal, a suffix and a NUL. */
#define FREEZE_NUM_MAX		24
#define FREEZE_PCT_MAX		100
#define FREEZE_MS_MAX		86400000
#define FREEZE_MB_MAX		65536

static struct oomhook_knob freeze_thaw_pressure_pct =
	OOMHOOK_KNOB_INIT(thaw_pressure_pct, 10, 0, FREEZE_PCT_MAX, false);
static struct oomhook_knob freeze_thaw_after_ms =
	OOMHOOK_KNOB_INIT(thaw_after_ms, 10000, FREEZE_CHECK_MS, FREEZE_MS_MAX,
			  false);
static struct oomhook_knob freeze_thaw_min_free_mb =
	OOMHOOK_KNOB_INIT(thaw_min_free_mb, 64, 0, FREEZE_MB_MAX, false);
static struct oomhook_knob freeze_max_frozen_ms =
	OOMHOOK_KNOB_INIT(max_frozen_ms, 60000, FREEZE_CHECK_MS, FREEZE_MS_MAX,
			  false);
static struct oomhook_knob freeze_min_reclaim_mb =
	OOMHOOK_KNOB_INIT(min_reclaim_mb, 1, 0, FREEZE_MB_MAX, false);

module_param_cb(thaw_pressure_pct, &oomhook_knob_param_ops,
		&freeze_thaw_pressure_pct, 0444);
MODULE_PARM_DESC(thaw_pressure_pct, "Calm: memory stalls below this share of time, percent. Default 10.");
module_param_cb(thaw_after_ms, &oomhook_knob_param_ops, &freeze_thaw_after_ms,
		0444);
MODULE_PARM_DESC(thaw_after_ms, "Calm this long before a thaw, ms. Default 10000.");
module_param_cb(thaw_min_free_mb, &oomhook_knob_param_ops,
		&freeze_thaw_min_free_mb, 0444);
MODULE_PARM_DESC(thaw_min_free_mb, "Calm: at least this much memory available, MB. Default 64.");
module_param_cb(max_frozen_ms, &oomhook_knob_param_ops, &freeze_max_frozen_ms,
		0444);
MODULE_PARM_DESC(max_frozen_ms, "Frozen this long under pressure: escalate, ms. Default 60000.");
module_param_cb(min_reclaim_mb, &oomhook_knob_param_ops,
		&freeze_min_reclaim_mb, 0444);
MODULE_PARM_DESC(min_reclaim_mb, "Reclaiming less than this is too little: thaw and escalate, MB. Default 1.");

/**
 * struct freeze_entry - a cgroup this policy froze
 * @path: the cgroup.
 * @st: its thaw/escalation state.
 * @reclaimed: bytes memory.current dropped by after the freeze.
 */
struct freeze_entry {
	char path[OOMHOOK_PATH_MAX];
	struct oomhook_freeze_state st;
	u64 reclaimed;
};

/*
 * The frozen cgroups, oldest first.  freeze_lock serializes everything that
 * acts (the handler, the check, thaws) and is held across cgroup file I/O;
 * changes to the table also take freeze_view_lock, which is all the
 * "frozen" file takes: a sysfs read holds kernfs locks that cgroup file
 * I/O under freeze_lock takes too.
 */
static DEFINE_MUTEX(freeze_lock);
static DEFINE_SPINLOCK(freeze_view_lock);
static struct freeze_entry freeze_table[FREEZE_MAX];
static unsigned int freeze_nr;
static u64 freeze_last_stall_us;
static u64 freeze_last_check_ns;

enum freeze_stat {
	FREEZE_STAT_FREEZES,
	FREEZE_STAT_BYTES_RECLAIMED,
	FREEZE_STAT_TOO_LITTLE,
	FREEZE_STAT_ESCALATIONS,
	FREEZE_STAT_THAWS_CALM,
	FREEZE_STAT_THAWS_ADMIN,
	FREEZE_STAT_THAWS_DESELECTED,
	FREEZE_STAT_THAWS_UNLOAD,
	FREEZE_STAT_EMPTIED,
	FREEZE_STAT_OOM_PASSED,
	FREEZE_NR_STATS,
};

static const char * const freeze_stat_names[FREEZE_NR_STATS] = {
	[FREEZE_STAT_FREEZES] = "freezes",
	[FREEZE_STAT_BYTES_RECLAIMED] = "bytes_reclaimed",
	[FREEZE_STAT_TOO_LITTLE] = "too_little",
	[FREEZE_STAT_ESCALATIONS] = "escalations",
	[FREEZE_STAT_THAWS_CALM] = "thaws_calm",
	[FREEZE_STAT_THAWS_ADMIN] = "thaws_admin",
	[FREEZE_STAT_THAWS_DESELECTED] = "thaws_deselected",
	[FREEZE_STAT_THAWS_UNLOAD] = "thaws_unload",
	[FREEZE_STAT_EMPTIED] = "emptied",
	[FREEZE_STAT_OOM_PASSED] = "oom_passed",
};

static atomic_long_t freeze_stats[FREEZE_NR_STATS];

static void freeze_count(enum freeze_stat stat, long n)
{
	atomic_long_add(n, &freeze_stats[stat]);
}

static void freeze_check_workfn(struct work_struct *work);
static DECLARE_DELAYED_WORK(freeze_check_work, freeze_check_workfn);
static struct oomhook_policy freeze_policy;

/* ---- the rules: pure functions, tested by kunit/freeze_kunit.c ---------- */

/**
 * oomhook_freeze_calm() - whether the machine is calm
 * @cfg: the thresholds.
 * @stall_us: time some task stalled on memory during the interval.
 * @interval_us: the interval; 0 means nothing is known yet (not calm).
 * @avail: bytes available now.
 *
 * Return: true if stalls took less than cfg->thaw_pressure_pct of the
 * interval and at least cfg->thaw_min_avail bytes are available.
 */
bool oomhook_freeze_calm(const struct oomhook_freeze_cfg *cfg, u64 stall_us,
			 u64 interval_us, u64 avail)
{
	if (!interval_us || avail < cfg->thaw_min_avail)
		return false;
	return stall_us * FREEZE_PCT_MAX <
	       (u64)cfg->thaw_pressure_pct * interval_us;
}
EXPORT_SYMBOL_IF_KUNIT(oomhook_freeze_calm);

/**
 * oomhook_freeze_step() - advance one frozen cgroup's state
 * @st: its state.
 * @cfg: the thresholds.
 * @now: the time, ns.
 * @calm: what oomhook_freeze_calm() said for the last interval.
 *
 * Calm restarts nothing: it accumulates from its first calm check until
 * cfg->thaw_after_ns, and any check that is not calm starts it over.
 *
 * Return: what to do; %OOMHOOK_FREEZE_ESCALATE at most once per state.
 */
enum oomhook_freeze_verdict
oomhook_freeze_step(struct oomhook_freeze_state *st,
		    const struct oomhook_freeze_cfg *cfg, u64 now, bool calm)
{
	if (calm) {
		if (!st->calm_since_ns)
			st->calm_since_ns = now;
		if (now - st->calm_since_ns >= cfg->thaw_after_ns)
			return OOMHOOK_FREEZE_THAW;
		return OOMHOOK_FREEZE_KEEP;
	}
	st->calm_since_ns = 0;
	if (!st->escalated && now - st->frozen_ns >= cfg->max_frozen_ns) {
		st->escalated = true;
		return OOMHOOK_FREEZE_ESCALATE;
	}
	return OOMHOOK_FREEZE_KEEP;
}
EXPORT_SYMBOL_IF_KUNIT(oomhook_freeze_step);

/* ---- the table ----------------------------------------------------------- */

static void freeze_cfg(struct oomhook_freeze_cfg *cfg)
{
	cfg->thaw_pressure_pct = oomhook_knob_get(&freeze_thaw_pressure_pct);
	cfg->thaw_min_avail = (u64)oomhook_knob_get(&freeze_thaw_min_free_mb) *
			      SZ_1M;
	cfg->thaw_after_ns = (u64)oomhook_knob_get(&freeze_thaw_after_ms) *
			     NSEC_PER_MSEC;
	cfg->max_frozen_ns = (u64)oomhook_knob_get(&freeze_max_frozen_ms) *
			     NSEC_PER_MSEC;
}

static int freeze_find(const char *path)
{
	unsigned int i;

	for (i = 0; i < freeze_nr; i++) {
		if (!strcmp(freeze_table[i].path, path))
			return i;
	}
	return -1;
}

static void freeze_forget(unsigned int i)
{
	lockdep_assert_held(&freeze_lock);
	spin_lock(&freeze_view_lock);
	memmove(&freeze_table[i], &freeze_table[i + 1],
		(freeze_nr - i - 1) * sizeof(freeze_table[0]));
	freeze_nr--;
	spin_unlock(&freeze_view_lock);
}

/* Thaw entry @i and forget it; a cgroup that is gone counts as thawed. */
static void freeze_thaw(unsigned int i, enum freeze_stat why)
{
	struct freeze_entry *e = &freeze_table[i];
	int ret;

	lockdep_assert_held(&freeze_lock);
	ret = oomhook_cgroup_write(e->path, "cgroup.freeze", "0");
	if (ret && ret != -ENOENT)
		pr_warn("cannot thaw %s: %d\n", e->path, ret);
	else
		pr_info("thawed %s after %llu ms (%s)\n", e->path,
			div_u64(ktime_get_ns() - e->st.frozen_ns, NSEC_PER_MSEC),
			freeze_stat_names[why]);
	freeze_count(why, 1);
	freeze_forget(i);
}

static void freeze_thaw_all(enum freeze_stat why)
{
	mutex_lock(&freeze_lock);
	while (freeze_nr)
		freeze_thaw(0, why);
	mutex_unlock(&freeze_lock);
}

/* ---- the action ------------------------------------------------------------ */

/*
 * Ask memory.reclaim for @want bytes, FREEZE_RECLAIM_STEP at a time, while
 * half the event's budget remains and steps still reclaim something.
 * Returns how far memory.current dropped.
 */
static u64 freeze_reclaim(const struct oomhook_event *ev, const char *path,
			  u64 want)
{
	u64 budget = ev->deadline_ns - ev->start_ns;
	u64 before, now_usage, last;
	char num[FREEZE_NUM_MAX];

	if (oomhook_cgroup_read_u64(path, "memory.current", &before))
		return 0;
	last = before;
	while (want) {
		u64 step = min_t(u64, want, FREEZE_RECLAIM_STEP);

		if ((ktime_get_ns() - ev->start_ns) * 2 > budget)
			break;
		snprintf(num, sizeof(num), "%llu", step);
		oomhook_cgroup_write(path, "memory.reclaim", num);
		if (oomhook_cgroup_read_u64(path, "memory.current", &now_usage))
			break;
		if (now_usage >= last)
			break;
		want -= min(want, last - now_usage);
		last = now_usage;
	}
	return before > last ? before - last : 0;
}

static int freeze_handle(const struct oomhook_event *ev,
			 struct oomhook_result *res)
{
	static struct oomhook_candidate victim;
	struct freeze_entry *e;
	u64 reclaimed;
	unsigned int i;
	int ret;

	if (ev->source == OOMHOOK_SRC_OOM) {
		freeze_count(FREEZE_STAT_OOM_PASSED, 1);
		return 0;
	}

	mutex_lock(&freeze_lock);
	/* Something stayed frozen too long: let the next policy act. */
	for (i = 0; i < freeze_nr; i++) {
		if (freeze_table[i].st.escalated) {
			ret = 0;
			goto out;
		}
	}
	ret = 0;
	if (freeze_nr < FREEZE_MAX)
		ret = oomhook_select_cgroup(ev, NULL, OOMHOOK_SELECT_UNFROZEN,
					    &victim);
	if (freeze_nr >= FREEZE_MAX || ret == -ENOENT) {
		/* Nothing more to freeze: give the frozen ones their time. */
		ret = 0;
		if (freeze_nr)
			res->action = OOMHOOK_ACT_HOLD;
		goto out;
	}
	if (ret)
		goto out;
	strscpy(res->victim, victim.path, sizeof(res->victim));
	if (ev->dry_run) {
		res->action = OOMHOOK_ACT_DRY_RUN;
		res->expected = victim.usage;
		goto out;
	}

	ret = oomhook_cgroup_write(victim.path, "cgroup.freeze", "1");
	if (ret)
		goto out;
	spin_lock(&freeze_view_lock);
	e = &freeze_table[freeze_nr++];
	memset(e, 0, sizeof(*e));
	strscpy(e->path, victim.path, sizeof(e->path));
	e->st.frozen_ns = ktime_get_ns();
	spin_unlock(&freeze_view_lock);
	freeze_count(FREEZE_STAT_FREEZES, 1);

	reclaimed = freeze_reclaim(ev, victim.path, victim.usage);
	spin_lock(&freeze_view_lock);
	e->reclaimed = reclaimed;
	spin_unlock(&freeze_view_lock);
	freeze_count(FREEZE_STAT_BYTES_RECLAIMED, reclaimed);
	if (!reclaimed ||
	    reclaimed < (u64)oomhook_knob_get(&freeze_min_reclaim_mb) * SZ_1M) {
		pr_info("froze %s but reclaimed only %llu bytes: thawed, escalating\n",
			victim.path, reclaimed);
		freeze_count(FREEZE_STAT_TOO_LITTLE, 1);
		freeze_thaw(freeze_nr - 1, FREEZE_STAT_ESCALATIONS);
		res->victim[0] = '\0';
		goto out;
	}
	pr_info("froze %s, reclaimed %llu bytes\n", victim.path, reclaimed);
	res->action = OOMHOOK_ACT_FREED;
	res->freed = reclaimed;
	schedule_delayed_work(&freeze_check_work,
			      msecs_to_jiffies(FREEZE_CHECK_MS));
out:
	mutex_unlock(&freeze_lock);
	return ret;
}

/* ---- the check ------------------------------------------------------------- */

/* "some avg10=... total=N" of the root's memory.pressure: N, in us. */
static int freeze_stall_us(u64 *total)
{
	char buf[FREEZE_PRESSURE_MAX];
	char *p;
	int ret;

	ret = oomhook_cgroup_read("/", "memory.pressure", buf, sizeof(buf));
	if (ret < 0)
		return ret;
	if (strncmp(buf, "some ", strlen("some ")))
		return -EINVAL;
	p = strnstr(buf, "total=", strchrnul(buf, '\n') - buf);
	if (!p)
		return -EINVAL;
	p += strlen("total=");
	*strchrnul(p, '\n') = '\0';
	return kstrtou64(p, 10, total);
}

static bool freeze_populated(const char *path)
{
	char buf[FREEZE_PRESSURE_MAX];

	if (oomhook_cgroup_read(path, "cgroup.events", buf, sizeof(buf)) < 0)
		return false;
	return !strstr(buf, "populated 0");
}

static void freeze_check_workfn(struct work_struct *work)
{
	enum oomhook_freeze_verdict verdict;
	struct oomhook_freeze_cfg cfg;
	u64 now = ktime_get_ns(), stall = 0, interval = 0;
	bool calm;
	unsigned int i;

	mutex_lock(&freeze_lock);
	if (!freeze_nr)
		goto out;
	if (!oomhook_policy_active(&freeze_policy)) {
		while (freeze_nr)
			freeze_thaw(0, FREEZE_STAT_THAWS_DESELECTED);
		goto out;
	}

	freeze_cfg(&cfg);
	if (!freeze_stall_us(&stall)) {
		if (freeze_last_check_ns && stall >= freeze_last_stall_us)
			interval = div_u64(now - freeze_last_check_ns,
					   NSEC_PER_USEC);
		calm = oomhook_freeze_calm(&cfg, stall - freeze_last_stall_us,
					   interval,
					   (u64)si_mem_available() << PAGE_SHIFT);
		freeze_last_stall_us = stall;
		freeze_last_check_ns = now;
	} else {
		calm = false;
	}

	for (i = 0; i < freeze_nr; ) {
		struct freeze_entry *e = &freeze_table[i];

		if (!freeze_populated(e->path)) {
			pr_info("%s emptied while frozen\n", e->path);
			freeze_count(FREEZE_STAT_EMPTIED, 1);
			freeze_forget(i);
			continue;
		}
		spin_lock(&freeze_view_lock);
		verdict = oomhook_freeze_step(&e->st, &cfg, now, calm);
		spin_unlock(&freeze_view_lock);
		switch (verdict) {
		case OOMHOOK_FREEZE_THAW:
			freeze_thaw(i, FREEZE_STAT_THAWS_CALM);
			/* One at a time: the others wait for a new calm period. */
			spin_lock(&freeze_view_lock);
			for (i = 0; i < freeze_nr; i++)
				freeze_table[i].st.calm_since_ns = now;
			spin_unlock(&freeze_view_lock);
			goto out;
		case OOMHOOK_FREEZE_ESCALATE:
			pr_warn("%s frozen for %llu ms under pressure: escalating\n",
				e->path,
				div_u64(now - e->st.frozen_ns, NSEC_PER_MSEC));
			freeze_count(FREEZE_STAT_ESCALATIONS, 1);
			break;
		default:
			break;
		}
		i++;
	}
out:
	if (freeze_nr)
		schedule_delayed_work(&freeze_check_work,
				      msecs_to_jiffies(FREEZE_CHECK_MS));
	else
		freeze_last_check_ns = 0;
	mutex_unlock(&freeze_lock);
}

/* ---- sysfs ----------------------------------------------------------------- */

static ssize_t frozen_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	u64 now = ktime_get_ns();
	ssize_t len = 0;
	unsigned int i;

	spin_lock(&freeze_view_lock);
	for (i = 0; i < freeze_nr; i++) {
		const struct freeze_entry *e = &freeze_table[i];

		len += sysfs_emit_at(buf, len,
				     "%s frozen_ms=%llu reclaimed=%llu state=%s\n",
				     e->path,
				     div_u64(now - e->st.frozen_ns, NSEC_PER_MSEC),
				     e->reclaimed,
				     e->st.escalated ? "escalated" : "frozen");
	}
	spin_unlock(&freeze_view_lock);
	return len;
}

static struct kobj_attribute frozen_attr = __ATTR_RO(frozen);

/**
 * struct freeze_thaw_request - a thaw asked for through sysfs
 * @work: runs it.
 * @done: the writer waits on it.
 * @path: the cgroup, or "" for all.
 * @ret: 0 or -ENOENT.
 */
struct freeze_thaw_request {
	struct work_struct work;
	struct completion done;
	char path[OOMHOOK_PATH_MAX];
	int ret;
};

static void freeze_thaw_workfn(struct work_struct *work)
{
	struct freeze_thaw_request *req =
		container_of(work, struct freeze_thaw_request, work);
	int i;

	if (!req->path[0]) {
		freeze_thaw_all(FREEZE_STAT_THAWS_ADMIN);
	} else {
		mutex_lock(&freeze_lock);
		i = freeze_find(req->path);
		if (i >= 0)
			freeze_thaw(i, FREEZE_STAT_THAWS_ADMIN);
		else
			req->ret = -ENOENT;
		mutex_unlock(&freeze_lock);
	}
	complete(&req->done);
}

/*
 * "PATH" thaws that cgroup, "all" every cgroup this policy froze.  The
 * thaw runs in a worker: this store holds its kernfs file's mutex, which
 * writing a cgroup file would take again, in the opposite order to the
 * check and the handler (the core arms PSI triggers the same way).
 */
static ssize_t thaw_store(struct kobject *kobj, struct kobj_attribute *attr,
			  const char *buf, size_t count)
{
	struct freeze_thaw_request *req;
	int ret;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (strnlen(buf, count) != count)
		return -EINVAL;
	req = kzalloc(sizeof(*req), GFP_KERNEL);
	if (!req)
		return -ENOMEM;
	if (!sysfs_streq(buf, "all")) {
		ret = oomhook_parse_cgroup_path(buf, req->path,
						sizeof(req->path));
		if (ret)
			goto out;
	}
	INIT_WORK(&req->work, freeze_thaw_workfn);
	init_completion(&req->done);
	queue_work(system_unbound_wq, &req->work);
	wait_for_completion(&req->done);
	ret = req->ret;
out:
	kfree(req);
	return ret ?: count;
}

static struct kobj_attribute thaw_attr = __ATTR_WO(thaw);

static ssize_t stats_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	return oomhook_counters_show(buf, freeze_stat_names, freeze_stats,
				     FREEZE_NR_STATS);
}

static struct kobj_attribute stats_attr = __ATTR_RO(stats);

static struct attribute *freeze_attrs[] = {
	&freeze_thaw_pressure_pct.attr.attr,
	&freeze_thaw_after_ms.attr.attr,
	&freeze_thaw_min_free_mb.attr.attr,
	&freeze_max_frozen_ms.attr.attr,
	&freeze_min_reclaim_mb.attr.attr,
	&frozen_attr.attr,
	&thaw_attr.attr,
	&stats_attr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(freeze);

static struct oomhook_policy freeze_policy = {
	.name = "freeze",
	.owner = THIS_MODULE,
	.handle = freeze_handle,
	.groups = freeze_groups,
};

static int __init freeze_init(void)
{
	return oomhook_register_policy(&freeze_policy);
}
module_init(freeze_init);

/* The core no longer calls ->handle(): stop the check, thaw what is left. */
static void __exit freeze_exit(void)
{
	oomhook_unregister_policy(&freeze_policy);
	cancel_delayed_work_sync(&freeze_check_work);
	freeze_thaw_all(FREEZE_STAT_THAWS_UNLOAD);
}
module_exit(freeze_exit);

MODULE_ALIAS_OOMHOOK_POLICY("freeze");
MODULE_DESCRIPTION("oomhook policy: freeze a memory cgroup and reclaim its memory, thaw or escalate later");
MODULE_AUTHOR("The oomhook developers");
MODULE_LICENSE("GPL");
MODULE_VERSION(OOMHOOK_VERSION);
