// SPDX-License-Identifier: GPL-2.0
/*
 * Actions on cgroups, and tracking of the victim until it has exited.
 *
 * A kill goes through cgroup.kill, which sends SIGKILL to every task of
 * the cgroup and its descendants at once.  Those tasks are not OOM victims
 * in the kernel's sense (mark_oom_victim() is not exported): they free
 * their memory as they exit, which takes time.  The tracker watches the
 * victim's cgroup.events and reports when "populated" drops to 0, so that
 * the decision state machine stops holding and the event records how long
 * the exit took.  Nothing polls: cgroup.events notifies its pollers.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "internal.h"

/**
 * struct oomhook_tracker - the victim in flight
 * @watch: on the victim's cgroup.events; its work reads "populated".
 * @lock: protects the fields below.
 * @gen: the decision that killed the victim.
 * @seq: the decision's event record, 0 until recorded.
 * @kill_ns: when the kill was written.
 * @exited: the victim's cgroup is no longer populated.
 * @exit_ns: when that was seen.
 * @path: the victim's cgroup; "" when nothing is tracked.
 */
struct oomhook_tracker {
	struct oomhook_watch watch;
	spinlock_t lock; /* see above */
	u64 gen;
	u64 seq;
	u64 kill_ns;
	bool exited;
	u64 exit_ns;
	char path[OOMHOOK_PATH_MAX];
};

/* Enough for cgroup.events ("populated 1\nfrozen 0\n"). */
#define OOMHOOK_CG_EVENTS_MAX	64

static void tracker_workfn(struct work_struct *work);

static struct oomhook_tracker oomhook_tracker = {
	.watch = {
		.lock = __SPIN_LOCK_UNLOCKED(oomhook_tracker.watch.lock),
		.work = __WORK_INITIALIZER(oomhook_tracker.watch.work,
					   tracker_workfn),
	},
	.lock = __SPIN_LOCK_UNLOCKED(oomhook_tracker.lock),
};

static void report_exit(u64 seq, u64 exit_ms)
{
	oomhook_count(OOMHOOK_STAT_VICTIMS_EXITED);
	oomhook_ring_update(&oomhook_events, seq, OOMHOOK_OUT_EXITED, exit_ms,
			    false);
	oomhook_sysfs_notify_events();
	pr_debug("seq=%llu victim exited after %llu ms\n", seq, exit_ms);
}

static void tracker_workfn(struct work_struct *work)
{
	struct oomhook_tracker *t = container_of(work, struct oomhook_tracker,
						 watch.work);
	char buf[OOMHOOK_CG_EVENTS_MAX];
	u64 populated = 1, gen, seq, exit_ms;
	struct file *file;
	int ret;

	file = oomhook_watch_file(&t->watch);
	if (!file)
		return;
	ret = oomhook_cg_read_file(file, buf, sizeof(buf));
	if (ret >= 0)
		ret = oomhook_parse_key(buf, "populated", &populated);
	oomhook_cg_close(file);
	/* A read error means the cgroup is gone, so its tasks are too. */
	if (ret >= 0 && populated)
		return;

	file = oomhook_watch_disarm(&t->watch);
	if (file)
		oomhook_cg_close(file);

	spin_lock(&t->lock);
	if (t->exited) {
		spin_unlock(&t->lock);
		return;
	}
	t->exited = true;
	t->exit_ns = ktime_get_ns();
	gen = t->gen;
	seq = t->seq;
	exit_ms = div_u64(t->exit_ns - t->kill_ns, NSEC_PER_MSEC);
	spin_unlock(&t->lock);

	oomhook_victim_exited(gen);
	if (seq)
		report_exit(seq, exit_ms);
}

/**
 * oomhook_track_stop() - stop tracking the victim in flight, if any
 */
void oomhook_track_stop(void)
{
	struct oomhook_tracker *t = &oomhook_tracker;

	oomhook_watch_stop(&t->watch);
	spin_lock(&t->lock);
	t->path[0] = '\0';
	spin_unlock(&t->lock);
}

/**
 * oomhook_track_victim() - start tracking a victim before killing it
 * @dir: the victim's cgroup directory.
 * @cgpath: its path.
 * @gen: the decision killing it.
 * @now: the kill's time, ns.
 *
 * Return: 0 or a negative errno (the kill may go ahead untracked).
 */
int oomhook_track_victim(const struct path *dir, const char *cgpath, u64 gen,
			 u64 now)
{
	struct oomhook_tracker *t = &oomhook_tracker;
	struct file *file;
	int ret;

	/* The previous victim, if still there, ran out of hold time. */
	oomhook_track_expired(false);
	oomhook_track_stop();

	file = oomhook_cg_open(dir, "cgroup.events", O_RDONLY);
	if (IS_ERR(file))
		return PTR_ERR(file);

	spin_lock(&t->lock);
	t->gen = gen;
	t->seq = 0;
	t->kill_ns = now;
	t->exited = false;
	strscpy(t->path, cgpath, sizeof(t->path));
	spin_unlock(&t->lock);

	ret = oomhook_watch_arm(&t->watch, file);
	if (ret)
		return ret;
	/* The victim may already be gone: look once. */
	queue_work(oomhook_wq, &t->watch.work);
	return 0;
}

/**
 * oomhook_track_pending() - whether a cgroup is being killed already
 * @path: a cgroup.
 *
 * A cgroup killed and not yet empty (or a descendant of it) is no
 * candidate: killing it again frees nothing more.
 *
 * Return: true if @path is at or below the victim in flight.
 */
bool oomhook_track_pending(const char *path)
{
	struct oomhook_tracker *t = &oomhook_tracker;
	bool pending;

	spin_lock(&t->lock);
	pending = t->path[0] && !t->exited &&
		  oomhook_path_within(path, t->path);
	spin_unlock(&t->lock);
	return pending;
}

/**
 * oomhook_track_set_seq() - attach the decision's event record
 * @gen: the decision.
 * @seq: its record.
 */
void oomhook_track_set_seq(u64 gen, u64 seq)
{
	struct oomhook_tracker *t = &oomhook_tracker;
	bool exited = false;
	u64 exit_ms = 0;

	spin_lock(&t->lock);
	if (t->gen == gen && !t->seq) {
		t->seq = seq;
		exited = t->exited;
		exit_ms = div_u64(t->exit_ns - t->kill_ns, NSEC_PER_MSEC);
	}
	spin_unlock(&t->lock);
	if (exited)
		report_exit(seq, exit_ms);
}

/**
 * oomhook_track_expired() - the victim's hold ran out
 * @fallback: the kernel's OOM killer is left to act because of it.
 *
 * Marks its event; tracking continues, so a late exit is still recorded.
 * Safe on the OOM path: no allocation, no sleeping.
 */
void oomhook_track_expired(bool fallback)
{
	struct oomhook_tracker *t = &oomhook_tracker;
	u64 seq = 0;

	spin_lock(&t->lock);
	if (!t->exited)
		seq = t->seq;
	spin_unlock(&t->lock);
	if (seq)
		oomhook_ring_update(&oomhook_events, seq,
				    OOMHOOK_OUT_HOLD_EXPIRED, 0, fallback);
}

/**
 * oomhook_kill_cgroup() - kill every task of a cgroup
 * @ev: the event being handled.
 * @victim: the cgroup, as chosen by oomhook_select_cgroup().
 * @res: filled in with the action.
 *
 * In dry-run mode records what would have been done and changes nothing.
 * Otherwise writes "1" to the victim's cgroup.kill, unless the event was
 * abandoned by the OOM path (its budget ran out) meanwhile, and starts
 * tracking the victim's exit.  Only callable from a policy's ->handle().
 *
 * Return: 0, -ENOENT if the cgroup is gone, -ETIMEDOUT if the event was
 * abandoned, or another negative errno.
 */
int oomhook_kill_cgroup(const struct oomhook_event *ev,
			const struct oomhook_candidate *victim,
			struct oomhook_result *res)
{
	struct path dir;
	int ret;

	ret = oomhook_cg_lookup(victim->path, &dir);
	if (ret)
		return ret;
	strscpy(res->victim, victim->path, sizeof(res->victim));
	if (ev->dry_run) {
		res->action = OOMHOOK_ACT_DRY_RUN;
		goto out;
	}

	if (oomhook_track_victim(&dir, victim->path, oomhook_run_gen(ev),
				 ktime_get_ns()))
		pr_warn_ratelimited("cannot track the exit of %s\n",
				    victim->path);
	if (!oomhook_run_commit(ev)) {
		oomhook_track_stop();
		ret = -ETIMEDOUT;
		goto out;
	}
	ret = oomhook_cg_write(&dir, "cgroup.kill", "1");
	oomhook_run_settle(ev, !ret);
	if (ret) {
		oomhook_track_stop();
		goto out;
	}
	res->action = OOMHOOK_ACT_KILL;
	res->expected = victim->usage;
out:
	path_put(&dir);
	return ret;
}
EXPORT_SYMBOL_GPL(oomhook_kill_cgroup);
