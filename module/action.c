// SPDX-License-Identifier: GPL-2.0
/*
 * Killing a cgroup, and tracking the victim until it has exited.
 *
 * A kill is two steps.  First, on the spot, SIGKILL to every process of
 * the cgroup and its descendants, in one pass over the task list under RCU:
 * what __cgroup_kill() does, without the cgroup_mutex that a write to
 * cgroup.kill takes.  An allocating task may hold that mutex (systemd
 * creating a cgroup or moving a process), so the kill must not wait for it,
 * above all in the OOM notifier.  The hold starts once this pass is done.
 * Then, from a worker, "1" to the victim's cgroup.kill, which catches a
 * process forked meanwhile, and the victim's cgroup.events is watched.
 *
 * Every kill follows the convention of systemd-oomd and oomd, so that
 * systemd records it as the unit's OOM kill (Result=oom-kill): the
 * victim's user.oomd_ooms xattr is incremented before the kill, and the
 * number of processes killed is added to user.oomd_kill after it.  At a
 * global OOM, where no file may be touched, and at a cgroup's own limit,
 * where the kernel's killer is a few retries away, both are written by the
 * follow-up, right after the kill.
 *
 * The killed tasks are not OOM victims in the kernel's sense
 * (mark_oom_victim() is not exported): they free their memory as they exit,
 * which takes time.  Whether the victim has emptied is one load
 * (cgroup_is_populated()), which the OOM path checks for itself; the watch
 * on cgroup.events (nothing polls) records when, for the events file.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cgroup.h>
#include <linux/fs.h>
#include <linux/kernfs.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/memcontrol.h>
#include <linux/page_counter.h>
#include <linux/rcupdate.h>
#include <linux/sched/signal.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "internal.h"

/**
 * struct oomhook_tracker - the victim in flight
 * @watch: on the victim's cgroup.events; its work reads "populated".
 * @arm_work: writes cgroup.kill and arms @watch, after a kill.
 * @lock: protects the fields below.
 * @cgrp: the victim, pinned; RCU-published for oomhook_track_pending().
 * @gen: the decision that killed the victim.
 * @seq: the decision's event record, 0 until recorded.
 * @kill_ns: when the kill landed.
 * @low: the least memory and swap usage seen since, pages.
 * @exited: the victim's cgroup is no longer populated.
 * @exit_ns: when that was seen.
 * @armed_gen: the decision @watch is armed for.
 * @killed: processes the kill signalled, for user.oomd_kill.
 * @reported: user.oomd_ooms was incremented before the kill.
 * @steered: the kernel's killer makes the kill (steer.c): the follow-up
 *	waits until it has, and writes no cgroup.kill, which would take the
 *	tasks the kernel keeps (oom_score_adj -1000).
 * @path: the victim's path, for the follow-up.
 */
struct oomhook_tracker {
	struct oomhook_watch watch;
	struct work_struct arm_work;
	spinlock_t lock; /* see above */
	struct cgroup __rcu *cgrp;
	u64 gen;
	u64 seq;
	u64 kill_ns;
	unsigned long low;
	bool exited;
	u64 exit_ns;
	u64 armed_gen;
	unsigned int killed;
	bool reported;
	bool steered;
	char path[OOMHOOK_PATH_MAX];
};

/* The oomd convention (see above). */
#define OOMD_OOMS_XATTR	"user.oomd_ooms"
#define OOMD_KILL_XATTR	"user.oomd_kill"

/* Enough for cgroup.events ("populated 1\nfrozen 0\n"). */
#define OOMHOOK_CG_EVENTS_MAX	64

static void tracker_workfn(struct work_struct *work);
static void tracker_arm_workfn(struct work_struct *work);

static struct oomhook_tracker oomhook_tracker = {
	.watch = {
		.lock = __SPIN_LOCK_UNLOCKED(oomhook_tracker.watch.lock),
		.work = __WORK_INITIALIZER(oomhook_tracker.watch.work,
					   tracker_workfn),
	},
	.arm_work = __WORK_INITIALIZER(oomhook_tracker.arm_work,
				       tracker_arm_workfn),
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

/* Memory and swap charged to @cgrp, pages; 0 without the controller. */
static unsigned long tracker_usage(struct cgroup *cgrp)
{
	struct cgroup_subsys_state *css;
	struct mem_cgroup *memcg;
	unsigned long pages = 0;

	rcu_read_lock();
	css = rcu_dereference(cgrp->subsys[memory_cgrp_id]);
	if (css) {
		memcg = mem_cgroup_from_css(css);
		pages = page_counter_read(&memcg->memory) +
			page_counter_read(&memcg->swap);
	}
	rcu_read_unlock();
	return pages;
}

/*
 * The victim of decision @gen emptied: tell the state machine and the
 * record.  Any context.
 */
static void tracker_exited(struct oomhook_tracker *t, u64 gen)
{
	struct cgroup *cgrp;
	unsigned long left;
	u64 seq, exit_ms;

	spin_lock(&t->lock);
	cgrp = rcu_dereference_protected(t->cgrp, lockdep_is_held(&t->lock));
	if (t->gen != gen || t->exited || !cgrp) {
		spin_unlock(&t->lock);
		return;
	}
	t->exited = true;
	t->exit_ns = ktime_get_ns();
	seq = t->seq;
	exit_ms = div_u64(t->exit_ns - t->kill_ns, NSEC_PER_MSEC);
	/* What its tasks did not take with them: files, shared memory. */
	left = tracker_usage(cgrp);
	spin_unlock(&t->lock);

	oomhook_steer_exited();
	oomhook_victim_exited(gen, left);
	if (seq)
		report_exit(seq, exit_ms);
}

static void tracker_workfn(struct work_struct *work)
{
	struct oomhook_tracker *t = container_of(work, struct oomhook_tracker,
						 watch.work);
	char buf[OOMHOOK_CG_EVENTS_MAX];
	u64 populated = 1;
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
	/* The watch is for the victim it was armed for, maybe not the last. */
	tracker_exited(t, READ_ONCE(t->armed_gen));
}

/*
 * After a kill: catch what forked meanwhile through cgroup.kill, and watch
 * cgroup.events.  May block on cgroup_mutex; nothing waits for it.
 */
static void tracker_arm_workfn(struct work_struct *work)
{
	struct oomhook_tracker *t = container_of(work, struct oomhook_tracker,
						 arm_work);
	unsigned int noreclaim = memalloc_noreclaim_save();
	char path[OOMHOOK_PATH_MAX];
	unsigned int killed;
	struct path dir;
	struct file *file;
	bool reported, steered;
	u64 gen;

	oomhook_watch_stop(&t->watch);
	spin_lock(&t->lock);
	gen = t->gen;
	strscpy(path, t->path, sizeof(path));
	killed = t->killed;
	reported = t->reported;
	steered = t->steered;
	WRITE_ONCE(t->armed_gen, gen);
	spin_unlock(&t->lock);
	if (!path[0] || oomhook_cg_lookup(path, &dir))
		goto out;

	if (!reported)
		oomhook_cg_xattr_add(&dir, OOMD_OOMS_XATTR, 1);
	if (!steered && !oomhook_cg_write(&dir, "cgroup.kill", "1"))
		oomhook_count(OOMHOOK_STAT_KILLS_FOLLOWED_UP);
	oomhook_cg_xattr_add(&dir, OOMD_KILL_XATTR, killed);
	file = oomhook_cg_open(&dir, "cgroup.events", O_RDONLY);
	path_put(&dir);
	if (IS_ERR(file) || oomhook_watch_arm(&t->watch, file))
		pr_warn_ratelimited("cannot track the exit of %s\n", path);
	else
		/* The victim may already be gone: look once. */
		queue_work(oomhook_wq, &t->watch.work);
out:
	memalloc_noreclaim_restore(noreclaim);
}

/* Drop the tracked victim; the caller holds t->lock. */
static struct cgroup *tracker_forget(struct oomhook_tracker *t)
{
	struct cgroup *old = rcu_dereference_protected(t->cgrp,
						lockdep_is_held(&t->lock));

	RCU_INIT_POINTER(t->cgrp, NULL);
	t->path[0] = '\0';
	return old;
}

/**
 * oomhook_track_stop() - stop tracking the victim in flight, if any
 *
 * Process context.
 */
void oomhook_track_stop(void)
{
	struct oomhook_tracker *t = &oomhook_tracker;
	struct cgroup *old;

	oomhook_steer_stop();
	cancel_work_sync(&t->arm_work);
	oomhook_watch_stop(&t->watch);
	spin_lock(&t->lock);
	old = tracker_forget(t);
	spin_unlock(&t->lock);
	if (old)
		cgroup_put(old);
}

/**
 * oomhook_track_victim() - a kill landed: track its victim
 * @cgrp: the victim.
 * @gen: the decision that killed it.
 * @now: when the kill landed, ns.
 * @killed: processes the kill signalled.
 * @reported: user.oomd_ooms was incremented before the kill; if not, the
 *	follow-up does it.
 * @steered: the kernel's killer is to make the kill; the follow-up waits
 *	for oomhook_track_follow_up().
 *
 * Any context (the OOM notifier too): takes a reference and a spinlock and
 * queues the follow-up work.
 */
void oomhook_track_victim(struct cgroup *cgrp, u64 gen, u64 now,
			  unsigned int killed, bool reported, bool steered)
{
	struct oomhook_tracker *t = &oomhook_tracker;
	struct cgroup *old;

	/* The previous victim, if still there, ran out of hold time. */
	oomhook_track_expired(false);
	cgroup_get(cgrp);
	spin_lock(&t->lock);
	old = tracker_forget(t);
	t->gen = gen;
	t->seq = 0;
	t->kill_ns = now;
	t->low = tracker_usage(cgrp);
	t->exited = false;
	t->killed = killed;
	t->reported = reported;
	t->steered = steered;
	kernfs_path(cgrp->kn, t->path, sizeof(t->path));
	rcu_assign_pointer(t->cgrp, cgrp);
	spin_unlock(&t->lock);
	/* Freed after a grace period: oomhook_track_pending() users are safe. */
	if (old)
		cgroup_put(old);
	if (!steered)
		queue_work(oomhook_wq, &t->arm_work);
}

/**
 * oomhook_track_follow_up() - the kernel's killer made decision @gen's kill
 * @gen: the decision that steered it.
 *
 * Starts the follow-up (xattrs, the watch on cgroup.events).  Any context.
 */
void oomhook_track_follow_up(u64 gen)
{
	struct oomhook_tracker *t = &oomhook_tracker;
	bool mine;

	spin_lock(&t->lock);
	mine = t->gen == gen && rcu_access_pointer(t->cgrp);
	spin_unlock(&t->lock);
	if (mine)
		queue_work(oomhook_wq, &t->arm_work);
}

/**
 * oomhook_track_missed() - the kernel's killer killed elsewhere
 * @gen: the decision that steered it.
 *
 * Its victim is not on its way out: forget it, leave further OOMs to the
 * kernel's own victim for hold_ms, and mark its event.  Process context.
 */
void oomhook_track_missed(u64 gen)
{
	struct oomhook_tracker *t = &oomhook_tracker;
	struct cgroup *old = NULL;
	u64 seq = 0;

	spin_lock(&t->lock);
	if (t->gen == gen && !t->exited) {
		seq = t->seq;
		/* Its record is final: no later hold-expired. */
		t->seq = 0;
		old = tracker_forget(t);
	}
	spin_unlock(&t->lock);
	if (!old)
		return;
	cgroup_put(old);
	oomhook_victim_missed(gen);
	if (seq) {
		oomhook_ring_update(&oomhook_events, seq, OOMHOOK_OUT_MISSED, 0,
				    true);
		oomhook_sysfs_notify_events();
	}
}

/**
 * oomhook_track_update() - look at the victim in flight
 * @now: current time, ns.
 *
 * Whether it emptied: it looks for itself (one load) rather than waiting
 * for the watch's work to run, since the OOM path calls this before it
 * holds for a victim.  And whether its usage fell below the least seen so
 * far: a victim still freeing memory is still on its way out, and its hold
 * is extended (oomhook_sm_progress()).  Any context.
 */
void oomhook_track_update(u64 now)
{
	struct oomhook_tracker *t = &oomhook_tracker;
	bool gone = false, fell = false;
	struct cgroup *cgrp;
	unsigned long usage;
	u64 gen;

	spin_lock(&t->lock);
	cgrp = rcu_dereference_protected(t->cgrp, lockdep_is_held(&t->lock));
	if (cgrp && !t->exited) {
		if (!cgroup_is_populated(cgrp)) {
			gone = true;
		} else {
			usage = tracker_usage(cgrp);
			fell = usage < t->low;
			if (fell)
				t->low = usage;
		}
	}
	gen = t->gen;
	spin_unlock(&t->lock);
	if (gone)
		tracker_exited(t, gen);
	else if (fell)
		oomhook_victim_progress(gen, now);
}

/**
 * oomhook_track_pending() - the victim still exiting
 *
 * Return: the victim in flight, valid under the caller's rcu_read_lock(),
 * or NULL.  A cgroup killed and not yet empty (or a descendant of it) is no
 * candidate: killing it again frees nothing more.
 */
struct cgroup *oomhook_track_pending(void)
{
	struct oomhook_tracker *t = &oomhook_tracker;
	struct cgroup *cgrp;

	RCU_LOCKDEP_WARN(!rcu_read_lock_held(), "needs rcu_read_lock()");
	cgrp = rcu_dereference(t->cgrp);
	if (!cgrp || READ_ONCE(t->exited) || !cgroup_is_populated(cgrp))
		return NULL;
	return cgrp;
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

/*
 * SIGKILL to every user process in @cgrp's subtree, as __cgroup_kill() does
 * for cgroup.kill; returns how many were signalled.  Called under RCU: the
 * task list and each task's css_set are RCU-protected, and send_sig() takes
 * only the task's sighand spinlock.
 */
static unsigned int kill_pass(struct cgroup *cgrp)
{
	struct task_struct *p;
	unsigned int n = 0;

	RCU_LOCKDEP_WARN(!rcu_read_lock_held(), "needs rcu_read_lock()");
	for_each_process(p) {
		if (p->flags & PF_KTHREAD)
			continue;
		if (!cgroup_is_descendant(task_dfl_cgroup(p), cgrp))
			continue;
		if (!send_sig(SIGKILL, p, 1))
			n++;
	}
	return n;
}

/**
 * oomhook_kill_cgroup() - kill every task of a cgroup
 * @ev: the event being handled.
 * @victim: the cgroup, as chosen by oomhook_select_cgroup().
 * @res: filled in with the action.
 *
 * In dry-run mode records what would have been done and changes nothing.
 * Otherwise, unless the event was abandoned by the OOM path meanwhile,
 * sends SIGKILL to every process of the victim and its descendants, at
 * once and without a sleeping lock, then leaves cgroup.kill (for anything
 * forked meanwhile) and the tracking of the exit to a worker.  At a global
 * OOM with kernel_kill set, steers the kernel's own OOM killer to the
 * victim instead (steer.c), and the kernel kills it once the notifier
 * returns.  Safe in the OOM notifier.  Only callable from a policy's
 * ->handle().
 *
 * Return: 0 (@res->action is %OOMHOOK_ACT_NONE if the victim had no task
 * left to kill, or only tasks at oom_score_adj -1000 for the kernel's
 * killer), -ENOENT if @victim is not a selected cgroup, -ETIMEDOUT if
 * the event was abandoned.
 */
int oomhook_kill_cgroup(const struct oomhook_event *ev,
			const struct oomhook_candidate *victim,
			struct oomhook_result *res)
{
	unsigned int killed;
	struct path dir;
	bool reported;
	u64 now;
	int ret;

	if (!victim->cgrp)
		return -ENOENT;
	strscpy(res->victim, victim->path, sizeof(res->victim));
	if (ev->dry_run) {
		res->action = OOMHOOK_ACT_DRY_RUN;
		res->expected = victim->usage;
		return 0;
	}
	if (!oomhook_run_commit(ev))
		return -ETIMEDOUT;

	if (ev->source == OOMHOOK_SRC_OOM &&
	    oomhook_knob_get(&oomhook_kernel_kill)) {
		ret = oomhook_steer(victim->cgrp, oomhook_run_gen(ev), &killed);
		if (!ret) {
			now = ktime_get_ns();
			oomhook_run_landed(ev);
			oomhook_track_victim(victim->cgrp, oomhook_run_gen(ev),
					     now, killed, false, true);
			res->action = OOMHOOK_ACT_KILL;
			res->expected = victim->usage;
			return 0;
		}
		if (ret == -EPERM || ret == -ESRCH) {
			/* Only unkillable tasks left, or none: no kill. */
			if (ret == -EPERM)
				oomhook_count(OOMHOOK_STAT_STEER_UNKILLABLE);
			oomhook_run_uncommit(ev);
			res->victim[0] = '\0';
			return 0;
		}
		/* No memcg of its own, or a steer in the way: kill it here. */
	}

	/*
	 * Where the kernel's killer is not a moment away (PSI, low), as
	 * systemd-oomd does: first.
	 */
	reported = (ev->source == OOMHOOK_SRC_PSI ||
		    ev->source == OOMHOOK_SRC_LOW) && !ev->atomic &&
		   !oomhook_cg_lookup(victim->path, &dir);
	if (reported) {
		reported = !oomhook_cg_xattr_add(&dir, OOMD_OOMS_XATTR, 1);
		path_put(&dir);
	}
	rcu_read_lock();
	killed = kill_pass(victim->cgrp);
	rcu_read_unlock();
	if (!killed) {
		/* It emptied on its own since the walk. */
		oomhook_run_uncommit(ev);
		res->victim[0] = '\0';
		return 0;
	}
	now = ktime_get_ns();
	oomhook_run_landed(ev);
	oomhook_track_victim(victim->cgrp, oomhook_run_gen(ev), now, killed,
			     reported, false);
	res->action = OOMHOOK_ACT_KILL;
	res->expected = victim->usage;
	return 0;
}
EXPORT_SYMBOL_GPL(oomhook_kill_cgroup);
