// SPDX-License-Identifier: GPL-2.0
/*
 * At a global OOM, the kernel's killer executes oomhook's choice
 * (kernel_kill, on by default).
 *
 * A kill through SIGKILL is an ordinary signal to every observer: the
 * kernel prints no OOM report, counts no oom_kill (memory.events,
 * /proc/vmstat), and neither reaps the victim's memory nor lets it at the
 * reserves (mark_oom_victim() and the OOM reaper are not exported).  So at
 * a global OOM, oomhook chooses and the kernel kills:
 *
 * - the chosen cgroup's memory.oom.group is set, so that the kernel's
 *   killer takes the whole cgroup once it picks any of its tasks
 *   (mem_cgroup_get_oom_group());
 * - up to OOMHOOK_STEER_MAX of its processes get oom_score_adj 1000, which
 *   puts them above every task of a lower score_adj: oom_badness() adds
 *   score_adj * totalpages / 1000 to a task's pages;
 * - the OOM notifier then reports nothing, and out_of_memory() goes on to
 *   pick, report, kill and reap as it always does.
 *
 * The alternatives, weighed: accounting a SIGKILL by hand cannot work
 * (memcg_memory_event() needs cgroup_file_notify(), not exported, and the
 * report and the reaper are static to mm/oom_kill.c); and a kill through
 * sysrq or memory.max would not choose the cgroup.  Both writes are plain
 * fields of public structures (memcontrol.h, sched/signal.h), written
 * without allocation or sleeping lock, so they are safe under oom_lock.
 *
 * Whether the kernel followed is checked, not assumed: the steered tasks
 * are OOM victims (tsk_is_oom_victim()) once it did.  A check work item
 * looks every OOMHOOK_STEER_CHECK_MS while a steer is pending, and the OOM
 * notifier looks too.  The steer ends in one of:
 *
 * - hit: the kernel killed the cgroup.  oom.group is restored once the
 *   cgroup has emptied (the exit tracker);
 * - missed: the kernel's killer killed elsewhere (the system's oom_kill
 *   count rose, and OOMHOOK_STEER_SETTLE_MS later none of the steered
 *   tasks is a victim): someone else's
 *   task had a score as high (oom_score_adj 1000 and more memory), or
 *   vm.oom_kill_allocating_task is set.  Everything is restored;
 * - gone: the cgroup emptied before the kernel picked it;
 * - expired: the kernel killed nobody within hold_ms (an OOM victim of its
 *   own was still exiting, or the allocations were GFP_NOFS, for which it
 *   kills nothing).  Everything is restored.
 *
 * A score_adj is restored only if it still reads 1000: a value the task's
 * owner wrote since is theirs.  Tasks at oom_score_adj -1000 stay
 * unkillable, as the kernel promises: they are not steered, the kernel's
 * group kill skips them, and a cgroup with nothing else is not killed.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cgroup.h>
#include <linux/ktime.h>
#include <linux/memcontrol.h>
#include <linux/oom.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/spinlock.h>
#include <linux/vmstat.h>
#include <linux/workqueue.h>

#include <kunit/visibility.h>

#include "internal.h"

/* Processes steered per kill; the kernel needs to pick only one. */
#define OOMHOOK_STEER_MAX	16
/* How often a pending steer is checked. */
#define OOMHOOK_STEER_CHECK_MS	10

/**
 * enum oomhook_steer_state - where a steer is
 * @STEER_IDLE: none.
 * @STEER_PENDING: applied; the kernel's killer has not acted on it yet.
 * @STEER_HIT: the kernel killed the cgroup; oom.group is set until it
 *	empties.
 */
enum oomhook_steer_state {
	STEER_IDLE,
	STEER_PENDING,
	STEER_HIT,
};

/**
 * struct oomhook_steer - the steer in place
 * @lock: protects everything below.
 * @check: looks at a pending steer until it ends.
 * @state: see &enum oomhook_steer_state.
 * @gen: the decision that steered.
 * @start_ns: when.
 * @kills: the system's oom_kill count then.
 * @rise_ns: when that count was first seen to have risen with no steered
 *	task a victim, 0 if not.
 * @memcg: the chosen cgroup's memcg, pinned.
 * @old_group: its memory.oom.group before.
 * @nr: processes in @task.
 * @task: the steered processes, pinned.
 * @old_adj: their oom_score_adj before.
 * @hit_id: the cgroup id of the last steer the kernel followed.
 * @hit_ns: when that was seen.
 */
struct oomhook_steer {
	spinlock_t lock; /* see above */
	struct delayed_work check;
	enum oomhook_steer_state state;
	u64 gen;
	u64 start_ns;
	unsigned long kills;
	u64 rise_ns;
	struct mem_cgroup *memcg;
	bool old_group;
	unsigned int nr;
	struct task_struct *task[OOMHOOK_STEER_MAX];
	short old_adj[OOMHOOK_STEER_MAX];
	u64 hit_id;
	u64 hit_ns;
};

static void steer_checkfn(struct work_struct *work);

static struct oomhook_steer oomhook_steer_state = {
	.lock = __SPIN_LOCK_UNLOCKED(oomhook_steer_state.lock),
	.check = __DELAYED_WORK_INITIALIZER(oomhook_steer_state.check,
					    steer_checkfn, 0),
};

/* The system's OOM kills so far, /proc/vmstat oom_kill.  Any context. */
static unsigned long steer_kill_count(void)
{
	unsigned long sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += per_cpu(vm_event_states, cpu).event[OOM_KILL];
	return sum;
}

/*
 * Undo the score_adj writes and drop the tasks; the caller holds s->lock.
 * With @victims_too false, the kernel's victims keep theirs: they are dying,
 * maybe being killed as this runs, and the kernel's log shows each as
 * steered.
 */
static void steer_restore_tasks(struct oomhook_steer *s, bool victims_too)
{
	struct task_struct *p;
	unsigned int i;

	for (i = 0; i < s->nr; i++) {
		p = s->task[i];
		if (victims_too || !tsk_is_oom_victim(p))
			cmpxchg(&p->signal->oom_score_adj, OOM_SCORE_ADJ_MAX,
				s->old_adj[i]);
		put_task_struct(p);
		s->task[i] = NULL;
	}
	s->nr = 0;
}

/* Undo the oom.group write and unpin; the caller holds s->lock. */
static void steer_restore_group(struct oomhook_steer *s)
{
	if (!s->memcg)
		return;
	WRITE_ONCE(s->memcg->oom_group, s->old_group);
	css_put(&s->memcg->css);
	s->memcg = NULL;
}

/* End the steer, restoring everything; the caller holds s->lock. */
static void steer_end(struct oomhook_steer *s)
{
	steer_restore_tasks(s, true);
	steer_restore_group(s);
	s->state = STEER_IDLE;
}

/*
 * Whether the kernel's killer has taken one of the steered tasks; the
 * caller holds s->lock.
 */
static bool steer_taken(struct oomhook_steer *s)
{
	unsigned int i;

	for (i = 0; i < s->nr; i++)
		if (tsk_is_oom_victim(s->task[i]))
			return true;
	return false;
}

/**
 * oomhook_steer_verdict() - how a pending steer stands
 * @taken: a steered process is an OOM victim of the kernel's.
 * @rose: the system's oom_kill count has risen since the steer.
 * @rise_age: how long ago that was first seen, ns.
 * @populated: the chosen cgroup still has a process.
 * @age: how long ago the steer was made, ns.
 * @hold: hold_ms, ns.
 *
 * A kill elsewhere counts as a miss only OOMHOOK_STEER_SETTLE_MS after it
 * was seen: the kernel counts a kill before it marks its victim.  A pure
 * function (kunit/steer_kunit.c).
 *
 * Return: how the steer ended, %STEER_END_NONE if it has not.
 */
enum oomhook_steer_end
oomhook_steer_verdict(bool taken, bool rose, u64 rise_age, bool populated,
		      u64 age, u64 hold)
{
	if (taken)
		return STEER_END_HIT;
	if (rose)
		return rise_age < OOMHOOK_STEER_SETTLE_MS * NSEC_PER_MSEC ?
		       STEER_END_NONE : STEER_END_MISSED;
	if (!populated)
		return STEER_END_GONE;
	if (age > hold)
		return STEER_END_EXPIRED;
	return STEER_END_NONE;
}
EXPORT_SYMBOL_IF_KUNIT(oomhook_steer_verdict);

/* Look at a pending steer; the caller holds s->lock. */
static enum oomhook_steer_end steer_resolve(struct oomhook_steer *s, u64 now)
{
	enum oomhook_steer_end end;
	bool rose;

	if (s->state != STEER_PENDING)
		return STEER_END_NONE;
	rose = steer_kill_count() != s->kills;
	if (rose && !s->rise_ns)
		s->rise_ns = now;
	end = oomhook_steer_verdict(steer_taken(s), rose, now - s->rise_ns,
				    cgroup_is_populated(s->memcg->css.cgroup),
				    now - s->start_ns,
				    oomhook_knob_ns(&oomhook_hold_ms));
	switch (end) {
	case STEER_END_HIT:
		/* One that left the cgroup meanwhile is not killed. */
		steer_restore_tasks(s, false);
		s->state = STEER_HIT;
		s->hit_id = cgroup_id(s->memcg->css.cgroup);
		s->hit_ns = now;
		break;
	case STEER_END_NONE:
		break;
	default:
		steer_end(s);
		break;
	}
	return end;
}

/* Count and pass on how a steer of decision @gen ended. */
static void steer_ended(enum oomhook_steer_end end, u64 gen)
{
	switch (end) {
	case STEER_END_HIT:
		oomhook_count(OOMHOOK_STAT_STEER_HITS);
		oomhook_track_follow_up(gen);
		break;
	case STEER_END_MISSED:
		oomhook_count(OOMHOOK_STAT_STEER_MISSED);
		oomhook_track_missed(gen);
		pr_info_ratelimited("the kernel's OOM killer chose another victim than oomhook's\n");
		break;
	case STEER_END_GONE:
		oomhook_count(OOMHOOK_STAT_STEER_GONE);
		break;
	case STEER_END_EXPIRED:
		oomhook_count(OOMHOOK_STAT_STEER_EXPIRED);
		break;
	default:
		break;
	}
}

/**
 * oomhook_steer_update() - see whether the kernel acted on the steer
 *
 * Context: any, the OOM notifier too: a spinlock and loads.
 * Return: true while a steer waits for the kernel's killer, which the OOM
 * notifier must then leave to act (report nothing).
 */
bool oomhook_steer_update(void)
{
	struct oomhook_steer *s = &oomhook_steer_state;
	enum oomhook_steer_end end;
	bool waiting;
	u64 gen;

	spin_lock(&s->lock);
	end = steer_resolve(s, ktime_get_ns());
	waiting = s->state == STEER_PENDING;
	gen = s->gen;
	spin_unlock(&s->lock);
	steer_ended(end, gen);
	return waiting;
}

static void steer_checkfn(struct work_struct *work)
{
	if (oomhook_steer_update())
		queue_delayed_work(oomhook_wq, &oomhook_steer_state.check,
				   msecs_to_jiffies(OOMHOOK_STEER_CHECK_MS));
}

/*
 * Raise the score_adj of @cgrp's processes; under RCU and s->lock.  Returns
 * how many the kernel's group kill will take, 0 if none was steered;
 * *@unkillable counts those at -1000.
 */
static unsigned int steer_tasks(struct oomhook_steer *s, struct cgroup *cgrp,
				unsigned int *unkillable)
{
	struct task_struct *p;
	unsigned int n = 0;
	short adj;

	for_each_process(p) {
		if (p->flags & (PF_KTHREAD | PF_EXITING) || !p->mm)
			continue;
		if (!cgroup_is_descendant(task_dfl_cgroup(p), cgrp))
			continue;
		adj = READ_ONCE(p->signal->oom_score_adj);
		if (adj == OOM_SCORE_ADJ_MIN) {
			(*unkillable)++;
			continue;
		}
		n++;
		if (tsk_is_oom_victim(p) || s->nr == OOMHOOK_STEER_MAX)
			continue;
		get_task_struct(p);
		s->task[s->nr] = p;
		s->old_adj[s->nr++] = adj;
		WRITE_ONCE(p->signal->oom_score_adj, OOM_SCORE_ADJ_MAX);
	}
	return s->nr ? n : 0;
}

/**
 * oomhook_steer() - have the kernel's OOM killer kill a cgroup
 * @cgrp: the chosen cgroup, with a memory controller of its own.
 * @gen: the decision.
 * @killable: set to the number of processes the kernel's kill will take.
 *
 * Sets @cgrp's memory.oom.group and the oom_score_adj of its processes to
 * 1000; the caller then reports nothing to out_of_memory().  For the OOM
 * notifier: no allocation, no sleeping.
 *
 * Return: 0 if steered; -EPERM if every process left is unkillable
 * (oom_score_adj -1000); -ESRCH if there is no process to steer; -ENOENT
 * if @cgrp has no memcg of its own (the memory controller is not enabled
 * there, so oom.group would take more than @cgrp); -EBUSY if a steer is
 * still pending.  A steer the kernel followed ends here if its cgroup has
 * not emptied (only unkillable tasks left): its oom.group is restored.
 */
int oomhook_steer(struct cgroup *cgrp, u64 gen, unsigned int *killable)
{
	struct oomhook_steer *s = &oomhook_steer_state;
	struct cgroup_subsys_state *css;
	struct mem_cgroup *memcg = NULL;
	unsigned int unkillable = 0;
	u64 now = ktime_get_ns();
	int ret = 0;

	spin_lock(&s->lock);
	if (s->state == STEER_PENDING) {
		spin_unlock(&s->lock);
		return -EBUSY;
	}
	steer_end(s);
	rcu_read_lock();
	css = rcu_dereference(cgrp->subsys[memory_cgrp_id]);
	if (!css || css->cgroup != cgrp || !css_tryget_online(css)) {
		ret = -ENOENT;
		goto out;
	}
	memcg = mem_cgroup_from_css(css);
	s->kills = steer_kill_count();
	s->rise_ns = 0;
	*killable = steer_tasks(s, cgrp, &unkillable);
	if (!*killable) {
		css_put(css);
		ret = unkillable ? -EPERM : -ESRCH;
		goto out;
	}
	s->memcg = memcg;
	s->old_group = READ_ONCE(memcg->oom_group);
	WRITE_ONCE(memcg->oom_group, true);
	s->state = STEER_PENDING;
	s->gen = gen;
	s->start_ns = now;
out:
	rcu_read_unlock();
	spin_unlock(&s->lock);
	if (!ret)
		queue_delayed_work(oomhook_wq, &s->check,
				   msecs_to_jiffies(OOMHOOK_STEER_CHECK_MS));
	return ret;
}

/**
 * oomhook_steer_claim() - whether the kernel's kill in @victim was steered
 * @victim: a cgroup where the kernel's killer killed at a global OOM.
 *
 * Such a kill is oomhook's decision, already in the events file.  It is
 * seen within moments of the kill (a memory.events notification): maybe
 * before the kernel has marked its victims, so a kill inside the cgroup of
 * a pending steer is the kernel following it; maybe after the victim has
 * emptied, so a steer the kernel followed is claimable for hold_ms.
 *
 * Return: true if @victim is in the steered cgroup.
 */
bool oomhook_steer_claim(struct cgroup *victim)
{
	struct oomhook_steer *s = &oomhook_steer_state;
	u64 hold = oomhook_knob_ns(&oomhook_hold_ms);
	struct cgroup *pos;
	u64 id, since;

	oomhook_steer_update();
	spin_lock(&s->lock);
	if (s->state != STEER_IDLE) {
		id = cgroup_id(s->memcg->css.cgroup);
		since = ktime_get_ns();
	} else {
		id = s->hit_id;
		since = s->hit_ns;
	}
	spin_unlock(&s->lock);
	if (!id || ktime_get_ns() - since > hold)
		return false;
	for (pos = victim; pos; pos = cgroup_parent(pos))
		if (cgroup_id(pos) == id)
			return true;
	return false;
}

/**
 * oomhook_steer_exited() - the victim emptied: restore its oom.group
 *
 * Any context.
 */
void oomhook_steer_exited(void)
{
	struct oomhook_steer *s = &oomhook_steer_state;
	enum oomhook_steer_end end;
	u64 gen;

	spin_lock(&s->lock);
	end = steer_resolve(s, ktime_get_ns());
	gen = s->gen;
	if (s->state == STEER_HIT)
		steer_end(s);
	spin_unlock(&s->lock);
	steer_ended(end, gen);
}

/**
 * oomhook_steer_stop() - restore whatever is steered, at unload
 *
 * Process context.
 */
void oomhook_steer_stop(void)
{
	struct oomhook_steer *s = &oomhook_steer_state;

	cancel_delayed_work_sync(&s->check);
	spin_lock(&s->lock);
	steer_end(s);
	spin_unlock(&s->lock);
}
