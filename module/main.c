// SPDX-License-Identifier: GPL-2.0
/*
 * oomhook: answer memory exhaustion with a policy of the administrator's
 * choosing.
 *
 * Events come from two places.  The kernel's global OOM notifier is called
 * by out_of_memory() with oom_lock held, in the context of the task whose
 * allocation failed, before the kernel picks a victim of its own; if the
 * notifier reports freed pages, the kernel kills nothing and the allocation
 * is retried.  PSI triggers (psi.c) fire on sustained memory pressure,
 * system-wide or in one cgroup, before anything runs out.
 *
 * Either way, a decision runs the active chain of policies (registry.c).
 * At a global OOM, a policy flagged OOMHOOK_POLICY_ATOMIC (memcg) is
 * called right in the notifier, the way the kernel's own killer decides:
 * it reads the kernel's counters under RCU and allocates nothing.  Every
 * other policy runs in a worker, never in the caller: the OOM path is the
 * worst place to open files, take cgroup_mutex or allocate.  The worker
 * runs with PF_MEMALLOC, so its allocations use the reserves instead of
 * recursing into reclaim; the OOM path only waits for it, for at most
 * budget_ms.  When the chain frees nothing, fails or overruns the budget,
 * the notifier reports nothing and the kernel's own killer acts: a broken
 * policy can make decisions worse, never hang the machine.
 *
 * At a global OOM the kernel's own killer makes the kill (kernel_kill,
 * steer.c): the chosen cgroup is made a memory.oom.group whose processes
 * score highest, and the notifier reports nothing, so that out_of_memory()
 * kills it with its report, its accounting and its reaper.
 *
 * One decision, or one victim, is in flight at a time (sm.c).  While a
 * killed cgroup's tasks exit, further OOMs are told that memory is on its
 * way instead of choosing a second victim, for hold_ms from the kill or
 * from the last time its usage fell, whichever is later (bounded, sm.c).
 *
 * Every decision is recorded in the events ring (events.c), logged with
 * one line, traced (oomhook_trace.h) and counted.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cgroup.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/oom.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "internal.h"
#include "oomhook_trace.h"

#ifndef OOMHOOK_VERSION
#define OOMHOOK_VERSION "unknown"
#endif

/* Longest psi= module parameter. */
#define OOMHOOK_PSI_PARAM_MAX	2048

struct workqueue_struct *oomhook_wq;

/* Cgroups one decision may hold references on (its scope, its choices). */
#define OOMHOOK_RUN_PINS	8

/**
 * struct oomhook_run - the decision in flight
 * @work: the worker's part: a run of policies that need process context at
 *	a global OOM, or the whole chain for a PSI event.
 * @ev: the event handed to the policies.
 * @res: a policy's result.
 * @rec: the record being built.
 * @chain: the chain the decision runs, referenced.
 * @next: the next policy of @chain to call.
 * @seg_end: at a global OOM, the worker calls the policies before this one.
 * @seg_done: (under oomhook_sm_lock) the worker finished its part.
 * @owner_left: (under oomhook_sm_lock) the OOM notifier stopped waiting
 *	for the worker: the worker finishes the decision.
 * @stop: the chain is done (a kill, or enough released).
 * @inline_only: every policy ran in the OOM notifier.
 * @error: the last policy error.
 * @total: bytes freed and expected so far.
 * @freed: bytes the chain reported released.
 * @kills: kills made through oomhook_kill_cgroup() in this decision.
 * @landed_ns: when the kill landed.
 * @no_release: a decision without releases (OOMHOOK_V_RUN_NO_RELEASE).
 * @release_only: a decision of releases only (OOMHOOK_V_RUN_RELEASE_ONLY),
 *	or the first pass of a decision that releases first: only the
 *	policies flagged %OOMHOOK_POLICY_RELEASES run, and no kill is
 *	committed.
 * @release_first: a decision that releases first (OOMHOOK_V_RUN_RELEASE_FIRST)
 *	whose first pass is not over: if it frees too little, the chain runs
 *	again from the start, without the policies that released.
 * @released_first: that second pass: they are skipped.
 * @pins: cgroups referenced for the decision; dropped when it ends.
 * @nr_pins: how many.
 * @last_gen: (under oomhook_sm_lock) the last decision that finished.
 * @last_pages: its pages freed, for the OOM notifier.
 * @last_in_flight: it killed a victim that may still be exiting.
 * @last_no_release: it was a decision without releases.
 * @last_outcome: its outcome.
 *
 * There is one, reused: the state machine allows one decision at a time,
 * and a decision touches this only before it marks itself finished.
 */
struct oomhook_run {
	struct work_struct work;
	struct oomhook_event ev;
	struct oomhook_result res;
	struct oomhook_record rec;
	struct oomhook_chain *chain;
	int next;
	int seg_end;
	bool seg_done;
	bool owner_left;
	bool stop;
	bool inline_only;
	int error;
	u64 total;
	u64 freed;
	unsigned int kills;
	u64 landed_ns;
	bool no_release;
	bool release_only;
	bool release_first;
	bool released_first;
	struct cgroup *pins[OOMHOOK_RUN_PINS];
	unsigned int nr_pins;

	u64 last_gen;
	unsigned long last_pages;
	bool last_in_flight;
	bool last_no_release;
	enum oomhook_outcome last_outcome;
};

static struct oomhook_run oomhook_run;
/* Protects oomhook_sm and oomhook_run.last_*; taken on the OOM path. */
static DEFINE_SPINLOCK(oomhook_sm_lock);
static struct oomhook_sm oomhook_sm;
static DECLARE_WAIT_QUEUE_HEAD(oomhook_run_wait);

/**
 * oomhook_knob_ns() - a tunable in milliseconds, as nanoseconds
 * @knob: cooldown_ms, budget_ms, hold_ms and the like.
 *
 * Return: its current value, ns.
 */
u64 oomhook_knob_ns(const struct oomhook_knob *knob)
{
	return (u64)oomhook_knob_get(knob) * NSEC_PER_MSEC;
}

/**
 * oomhook_event_expired() - whether a policy must give up on an event
 * @ev: the event being handled.
 *
 * Return: true once the event's budget (budget_ms) is spent.
 */
bool oomhook_event_expired(const struct oomhook_event *ev)
{
	return ktime_get_ns() > ev->deadline_ns;
}
EXPORT_SYMBOL_GPL(oomhook_event_expired);

/* Whether events should be acted upon at all. */
static bool oomhook_armed(void)
{
	return oomhook_knob_get(&oomhook_enabled) && oomhook_chain_armed();
}

/* Only the run in flight may act; policies get no other event. */
static bool is_current_run(const struct oomhook_event *ev)
{
	return !WARN_ON_ONCE(ev != &oomhook_run.ev);
}

/**
 * oomhook_run_pin() - hold a cgroup until the decision ends
 * @ev: the event being handled.
 * @cgrp: the cgroup.
 *
 * Any context.  Only the caller of ->handle() touches the pins, and calls
 * are serialized.
 *
 * Return: 0, or -ENOSPC when the decision holds %OOMHOOK_RUN_PINS already.
 */
int oomhook_run_pin(const struct oomhook_event *ev, struct cgroup *cgrp)
{
	struct oomhook_run *run = &oomhook_run;

	if (!is_current_run(ev))
		return -EINVAL;
	if (run->nr_pins == OOMHOOK_RUN_PINS)
		return -ENOSPC;
	cgroup_get(cgrp);
	run->pins[run->nr_pins++] = cgrp;
	return 0;
}

/* Drop the decision's references; cgroup_put() is safe in any context. */
static void run_unpin(struct oomhook_run *run)
{
	while (run->nr_pins)
		cgroup_put(run->pins[--run->nr_pins]);
}

/*
 * Called with oomhook_sm_lock held, right after the machine said RUN,
 * RUN_NO_RELEASE, RUN_RELEASE_ONLY or RUN_RELEASE_FIRST (@verdict).  @scope is pinned for the
 * decision.
 */
static void run_start_locked(enum oomhook_source source, const char *trigger,
			     const char *scope, struct cgroup *scope_cgrp,
			     u64 start_ns, enum oomhook_verdict verdict)
{
	struct oomhook_run *run = &oomhook_run;

	lockdep_assert_held(&oomhook_sm_lock);
	run->no_release = verdict == OOMHOOK_V_RUN_NO_RELEASE;
	run->release_first = verdict == OOMHOOK_V_RUN_RELEASE_FIRST;
	run->release_only = verdict == OOMHOOK_V_RUN_RELEASE_ONLY ||
			    run->release_first;
	run->released_first = false;
	run->ev.source = source;
	strscpy(run->ev.scope, scope, sizeof(run->ev.scope));
	run->ev.scope_cgrp = scope_cgrp;
	run->ev.wanted = PAGE_SIZE;
	run->ev.start_ns = start_ns;
	run->ev.deadline_ns = start_ns + oomhook_knob_ns(&oomhook_budget_ms);
	run->ev.dry_run = oomhook_knob_get(&oomhook_dry_run);
	run->ev.atomic = false;
	memset(&run->rec, 0, sizeof(run->rec));
	strscpy(run->rec.trigger, trigger, sizeof(run->rec.trigger));
	run->rec.time_ns = start_ns;
	run->chain = NULL;
	run->next = 0;
	run->seg_end = 0;
	run->seg_done = false;
	run->owner_left = false;
	run->stop = false;
	run->inline_only = true;
	run->error = 0;
	run->total = 0;
	run->freed = 0;
	run->kills = 0;
	run->landed_ns = 0;
	run->nr_pins = 0;
	oomhook_run_pin(&run->ev, scope_cgrp);
	oomhook_count(OOMHOOK_STAT_RUNS);
	if (run->no_release)
		oomhook_count(OOMHOOK_STAT_RUNS_NO_RELEASE);
	if (run->release_first)
		oomhook_count(OOMHOOK_STAT_OOM_RELEASE_FIRST);
}

/**
 * oomhook_run_commit() - the decision is about to kill
 * @ev: the event being handled.
 *
 * Return: false if the OOM path gave up on the decision: it must not act.
 */
bool oomhook_run_commit(const struct oomhook_event *ev)
{
	bool ok;

	if (!is_current_run(ev))
		return false;
	/* A policy flagged OOMHOOK_POLICY_RELEASES kills nothing. */
	if (oomhook_run.release_only)
		return false;
	spin_lock(&oomhook_sm_lock);
	ok = oomhook_sm_commit(&oomhook_sm);
	spin_unlock(&oomhook_sm_lock);
	return ok;
}

/**
 * oomhook_run_landed() - the committed kill was delivered
 * @ev: the event being handled.
 *
 * The victim's tasks have SIGKILL pending: its hold starts now.
 */
void oomhook_run_landed(const struct oomhook_event *ev)
{
	u64 now = ktime_get_ns();

	if (!is_current_run(ev))
		return;
	spin_lock(&oomhook_sm_lock);
	oomhook_run.kills++;
	oomhook_run.landed_ns = now;
	oomhook_sm_landed(&oomhook_sm, now, oomhook_knob_ns(&oomhook_hold_ms));
	spin_unlock(&oomhook_sm_lock);
}

/**
 * oomhook_run_uncommit() - the committed kill found nobody to kill
 * @ev: the event being handled.
 */
void oomhook_run_uncommit(const struct oomhook_event *ev)
{
	if (!is_current_run(ev))
		return;
	spin_lock(&oomhook_sm_lock);
	oomhook_sm_uncommit(&oomhook_sm);
	spin_unlock(&oomhook_sm_lock);
}

u64 oomhook_run_gen(const struct oomhook_event *ev)
{
	u64 gen;

	spin_lock(&oomhook_sm_lock);
	gen = oomhook_sm.gen;
	spin_unlock(&oomhook_sm_lock);
	return gen;
}

/*
 * The victim of decision @gen exited, leaving @left pages charged to its
 * cgroup (files, shared memory): the low trigger looks whether what they
 * hold is worth releasing.  Any context.
 */
void oomhook_victim_exited(u64 gen, unsigned long left)
{
	spin_lock(&oomhook_sm_lock);
	oomhook_sm_exited(&oomhook_sm, gen);
	spin_unlock(&oomhook_sm_lock);
	oomhook_low_leftover(left);
}

/*
 * The kernel's killer, steered to decision @gen's victim, killed elsewhere
 * (steer.c): its own victim is on its way out now, and further OOMs are
 * left to it for hold_ms, as after a fallback.
 */
void oomhook_victim_missed(u64 gen)
{
	spin_lock(&oomhook_sm_lock);
	if (oomhook_sm.gen == gen) {
		oomhook_sm_exited(&oomhook_sm, gen);
		oomhook_sm_fallback(&oomhook_sm, ktime_get_ns(),
				    oomhook_knob_ns(&oomhook_hold_ms));
	}
	spin_unlock(&oomhook_sm_lock);
}

/* The victim of decision @gen was seen freeing memory at @now. */
void oomhook_victim_progress(u64 gen, u64 now)
{
	bool extended;

	spin_lock(&oomhook_sm_lock);
	extended = oomhook_sm_progress(&oomhook_sm, gen, now,
				       oomhook_knob_ns(&oomhook_hold_ms));
	spin_unlock(&oomhook_sm_lock);
	if (extended)
		oomhook_count(OOMHOOK_STAT_HOLDS_EXTENDED);
}

/*
 * A kill counts only if this policy made it through oomhook_kill_cgroup():
 * a policy claiming one it did not make would have the OOM path wait for a
 * victim that does not exist.
 */
static unsigned int run_kills(struct oomhook_run *run)
{
	unsigned int kills;

	spin_lock(&oomhook_sm_lock);
	kills = run->kills;
	spin_unlock(&oomhook_sm_lock);
	return kills;
}

/*
 * A policy that acted within its deadline ends its fault streak, unless it
 * keeps releasing memory that does not help: after OOMHOOK_RELEASE_STREAK_MAX
 * releases within hold_ms the state machine starts a decision without
 * releases, and that counts as the releasing policy's fault.
 */
static void run_note_release(struct oomhook_run *run,
			     struct oomhook_policy *policy)
{
	u64 now = ktime_get_ns();

	if (run->res.action != OOMHOOK_ACT_FREED ||
	    run->ev.source != OOMHOOK_SRC_OOM) {
		oomhook_policy_ok(policy);
		return;
	}
	if (policy->releases &&
	    now - policy->last_release_ns < oomhook_knob_ns(&oomhook_hold_ms))
		policy->releases++;
	else
		policy->releases = 1;
	policy->last_release_ns = now;
	if (policy->releases >= OOMHOOK_RELEASE_STREAK_MAX)
		oomhook_policy_fault(policy, -EPROTO);
	else
		oomhook_policy_ok(policy);
}

/*
 * A policy whose releases within hold_ms did not stop the OOMs, or one
 * that released in the first pass of this decision.
 */
static bool run_skips(const struct oomhook_run *run,
		      const struct oomhook_policy *policy)
{
	if (run->released_first && (policy->flags & OOMHOOK_POLICY_RELEASES))
		return true;
	return run->no_release && policy->releases &&
	       ktime_get_ns() - policy->last_release_ns <
			oomhook_knob_ns(&oomhook_hold_ms);
}

/*
 * Call policy @i of the chain and account for what it did; sets run->stop
 * when the chain is done.  In a decision without releases (run->no_release),
 * the policies that released lately are skipped and a release by any other
 * does not end the chain or count as freed: only a kill does.
 *
 * A policy is at fault when it fails, claims what it did not do, or itself
 * runs longer than budget_ms.  A kill it made through oomhook_kill_cgroup()
 * counts even so.  Time spent before it was called (a walk cut
 * at the deadline, a queue that was slow to run the worker) is the
 * environment's, not the policy's: the chain stops without a fault.
 */
static void run_policy(struct oomhook_run *run, int i)
{
	struct oomhook_policy *policy = run->chain->policy[i];
	struct oomhook_record *rec = &run->rec;
	unsigned int kills = run_kills(run);
	bool landed;
	u64 called;
	int ret;

	if (oomhook_event_expired(&run->ev)) {
		run->error = -ETIMEDOUT;
		run->stop = true;
		return;
	}
	if (run_skips(run, policy))
		return;
	if (run->release_only && !(policy->flags & OOMHOOK_POLICY_RELEASES))
		return;
	memset(&run->res, 0, sizeof(run->res));
	called = ktime_get_ns();
	ret = policy->handle(&run->ev, &run->res);
	landed = run_kills(run) != kills;
	if (!ret && run->res.action == OOMHOOK_ACT_KILL && !landed)
		ret = -EPROTO;
	if (!ret && run->res.action == OOMHOOK_ACT_FREED && !run->res.freed)
		ret = -EPROTO;
	if (ktime_get_ns() - called > oomhook_knob_ns(&oomhook_budget_ms))
		ret = ret ?: -ETIMEDOUT;
	else if (ret == -ETIMEDOUT)
		/* Abandoned or out of time through no fault of its own. */
		run->stop = true;
	if (ret) {
		run->error = ret;
		oomhook_count(OOMHOOK_STAT_ERRORS);
		if (!run->stop)
			oomhook_policy_fault(policy, ret);
		pr_warn_ratelimited("policy %s failed: %d\n", policy->name,
				    ret);
		if (!landed)
			return;
	}
	/*
	 * A kill made through the core stands, whatever the policy says of
	 * it: it ends the chain, and the OOM path waits for its victim.
	 */
	if (landed)
		run->res.action = OOMHOOK_ACT_KILL;
	if (!ret)
		run_note_release(run, policy);
	if (run->res.action == OOMHOOK_ACT_HOLD) {
		if (run->ev.source != OOMHOOK_SRC_OOM)
			run->stop = true;
		return;
	}
	if (run->res.action == OOMHOOK_ACT_NONE)
		return;
	if (run->no_release && run->res.action == OOMHOOK_ACT_FREED)
		return;

	/* The record shows the last policy that acted. */
	strscpy(rec->policy, policy->name, sizeof(rec->policy));
	strscpy(rec->victim, run->res.victim, sizeof(rec->victim));
	rec->action = run->res.action;
	run->freed += run->res.freed;
	run->total += run->res.freed + run->res.expected;
	rec->bytes = run->total;
	/* One victim in flight at a time. */
	if (run->res.action == OOMHOOK_ACT_KILL ||
	    run->total >= run->ev.wanted)
		run->stop = true;
}

static enum oomhook_outcome run_outcome(const struct oomhook_record *rec,
					int error)
{
	switch (rec->action) {
	case OOMHOOK_ACT_KILL:
		return OOMHOOK_OUT_PENDING;
	case OOMHOOK_ACT_DRY_RUN:
		return OOMHOOK_OUT_DRY_RUN;
	case OOMHOOK_ACT_FREED:
		return OOMHOOK_OUT_FREED;
	case OOMHOOK_ACT_NONE:
	default:
		if (error == -ETIMEDOUT)
			return OOMHOOK_OUT_TIMEOUT;
		return error ? OOMHOOK_OUT_ERROR : OOMHOOK_OUT_NONE;
	}
}

static void run_count(const struct oomhook_record *rec)
{
	switch (rec->action) {
	case OOMHOOK_ACT_KILL:
		oomhook_count(OOMHOOK_STAT_KILLS);
		oomhook_count(OOMHOOK_STAT_ACTIONS);
		break;
	case OOMHOOK_ACT_FREED:
		oomhook_count(OOMHOOK_STAT_ACTIONS);
		break;
	case OOMHOOK_ACT_DRY_RUN:
		oomhook_count(OOMHOOK_STAT_DRY_RUNS);
		break;
	default:
		break;
	}
}

/*
 * The decision is over: record it, tell the state machine, drop what it
 * held.  Called by whoever owns it at the end (the OOM notifier, or the
 * worker), once; allocation-free.
 */
static void run_finish(struct oomhook_run *run)
{
	struct oomhook_record *rec = &run->rec;
	unsigned long pages;
	bool in_flight;
	u64 now, gen, seq;

	now = ktime_get_ns();
	rec->outcome = run_outcome(rec, run->error);
	rec->error = run->error;
	in_flight = rec->action == OOMHOOK_ACT_KILL;
	rec->latency_us = div_u64((in_flight ? run->landed_ns : now) -
				  run->ev.start_ns, NSEC_PER_USEC);
	pages = in_flight ? 0 : DIV_ROUND_UP(run->freed, PAGE_SIZE);
	rec->fallback = run->ev.source == OOMHOOK_SRC_OOM && !in_flight &&
			!pages;
	run_count(rec);
	if (run->ev.source == OOMHOOK_SRC_OOM && run->inline_only)
		oomhook_count(OOMHOOK_STAT_OOM_INLINE);

	spin_lock(&oomhook_sm_lock);
	gen = oomhook_sm.gen;
	spin_unlock(&oomhook_sm_lock);

	seq = oomhook_ring_add(&oomhook_events, rec);
	if (in_flight)
		oomhook_track_set_seq(gen, seq);
	oomhook_sysfs_notify_events();
	trace_oomhook_action(seq, rec->trigger, rec->policy,
			     oomhook_action_name(rec->action), rec->victim,
			     rec->bytes, rec->latency_us,
			     oomhook_outcome_name(rec->outcome));
	if (rec->action != OOMHOOK_ACT_NONE)
		pr_info("seq=%llu trigger=%s policy=%s action=%s victim=%s bytes=%llu latency_us=%llu\n",
			seq, rec->trigger, rec->policy,
			oomhook_action_name(rec->action), rec->victim,
			rec->bytes, rec->latency_us);

	oomhook_chain_put(run->chain);
	run->chain = NULL;
	run_unpin(run);
	/* Markers may have changed while it ran: for the next decision. */
	oomhook_marks_kick();

	spin_lock(&oomhook_sm_lock);
	run->last_gen = gen;
	run->last_pages = pages;
	run->last_in_flight = in_flight;
	run->last_no_release = run->no_release;
	run->last_outcome = rec->outcome;
	/* Releases within the cooldown do not start it again. */
	oomhook_sm_done(&oomhook_sm, now,
			rec->action != OOMHOOK_ACT_NONE && !run->release_only,
			in_flight, pages != 0, oomhook_knob_ns(&oomhook_hold_ms));
	spin_unlock(&oomhook_sm_lock);
	wake_up_all(&oomhook_run_wait);
}

/*
 * The worker.  For a PSI event it runs the whole chain and finishes the
 * decision.  At a global OOM it runs its part of the chain for the waiting
 * notifier, and finishes the decision only if the notifier stopped waiting.
 */
static void oomhook_run_workfn(struct work_struct *work)
{
	struct oomhook_run *run = container_of(work, struct oomhook_run, work);
	unsigned int noreclaim;
	bool finish;

	noreclaim = memalloc_noreclaim_save();
	if (run->ev.source != OOMHOOK_SRC_OOM) {
		/* Nobody waits: the cache can be brought up to date first. */
		oomhook_marks_refresh();
		run->chain = oomhook_chain_get();
		for (; run->chain && run->next < run->chain->nr && !run->stop;
		     run->next++)
			run_policy(run, run->next);
		memalloc_noreclaim_restore(noreclaim);
		run_finish(run);
		return;
	}

	for (; run->next < run->seg_end && !run->stop; run->next++)
		run_policy(run, run->next);
	memalloc_noreclaim_restore(noreclaim);

	spin_lock(&oomhook_sm_lock);
	run->seg_done = true;
	finish = run->owner_left;
	spin_unlock(&oomhook_sm_lock);
	if (finish)
		run_finish(run);
	else
		wake_up_all(&oomhook_run_wait);
}

static bool run_finished(u64 gen)
{
	bool done;

	spin_lock(&oomhook_sm_lock);
	done = oomhook_run.last_gen >= gen;
	spin_unlock(&oomhook_sm_lock);
	return done;
}

static bool run_seg_done(struct oomhook_run *run)
{
	bool done;

	spin_lock(&oomhook_sm_lock);
	done = run->seg_done;
	spin_unlock(&oomhook_sm_lock);
	return done;
}

static void oom_fallback(enum oomhook_stat why, const char *reason)
{
	spin_lock(&oomhook_sm_lock);
	oomhook_sm_fallback(&oomhook_sm, ktime_get_ns(),
			    oomhook_knob_ns(&oomhook_hold_ms));
	spin_unlock(&oomhook_sm_lock);
	oomhook_count(why);
	oomhook_count(OOMHOOK_STAT_FALLBACKS);
	trace_oomhook_fallback(reason);
	pr_info_ratelimited("leaving this OOM to the kernel's killer: %s\n",
			    reason);
}

/*
 * A victim is on its way out: report it, unless the kernel's killer has yet
 * to kill it (steer.c), which it does once the notifier reports nothing.
 */
static unsigned long oom_in_flight(unsigned long pages)
{
	if (oomhook_steer_update()) {
		oomhook_count(OOMHOOK_STAT_OOM_STEERED);
		return 0;
	}
	oomhook_count(OOMHOOK_STAT_OOM_HANDLED);
	return max(pages, 1UL);
}

/* What a finished decision means to the OOM notifier; counts it. */
static unsigned long oom_report(unsigned long pages, bool in_flight,
				bool no_release, enum oomhook_outcome outcome)
{
	if (in_flight || pages)
		return oom_in_flight(pages);
	if (outcome == OOMHOOK_OUT_ERROR)
		oom_fallback(OOMHOOK_STAT_FALLBACK_ERROR, "the policies failed");
	else if (outcome == OOMHOOK_OUT_TIMEOUT)
		oom_fallback(OOMHOOK_STAT_FALLBACK_TIMEOUT,
			     "the policies ran out of time");
	else if (no_release)
		oom_fallback(OOMHOOK_STAT_FALLBACK_NO_PROGRESS,
			     "memory reported released did not help");
	else
		oom_fallback(OOMHOOK_STAT_FALLBACK_NONE,
			     "the policies freed nothing");
	return 0;
}

/* The last finished decision, as oom_report() takes it. */
static unsigned long oom_report_last(void)
{
	struct oomhook_run *run = &oomhook_run;
	enum oomhook_outcome outcome;
	unsigned long pages;
	bool in_flight, no_release;

	spin_lock(&oomhook_sm_lock);
	pages = run->last_pages;
	in_flight = run->last_in_flight;
	no_release = run->last_no_release;
	outcome = run->last_outcome;
	spin_unlock(&oomhook_sm_lock);
	return oom_report(pages, in_flight, no_release, outcome);
}

/*
 * Wait for the worker's part of the decision until @deadline.  Return: true
 * if it is done; otherwise the OOM path leaves the decision to the worker,
 * and *@pages is what to report: 0 (fall back) if the decision had not
 * committed to a kill, 1 if it had (its victim is on its way out).
 */
static bool oom_wait_worker(struct oomhook_run *run, u64 deadline,
			    unsigned long *pages)
{
	u64 now = ktime_get_ns();
	unsigned long left = 1;
	bool done, abandoned = false;

	if (deadline > now)
		left = max(nsecs_to_jiffies(deadline - now), 1UL);
	wait_event_timeout(oomhook_run_wait, run_seg_done(run), left);
	spin_lock(&oomhook_sm_lock);
	done = run->seg_done;
	if (!done) {
		run->owner_left = true;
		abandoned = oomhook_sm_abandon(&oomhook_sm);
	}
	spin_unlock(&oomhook_sm_lock);
	if (done)
		return true;
	if (abandoned) {
		oom_fallback(OOMHOOK_STAT_FALLBACK_TIMEOUT,
			     "the decision overran budget_ms");
		*pages = 0;
	} else {
		*pages = oom_in_flight(1);
	}
	return false;
}

/*
 * Drive the decision this OOM started: policies flagged atomic are called
 * right here, the way the kernel's own killer decides; each run of other
 * policies goes to the worker, and the notifier waits for it, up to the
 * deadline.  A decision that releases first walks the chain twice: its
 * releasing policies alone, then, if they freed too little, the others.
 * Returns the pages to report.
 */
static unsigned long oom_drive(struct oomhook_run *run, u64 deadline)
{
	struct oomhook_chain *chain;
	unsigned long pages;
	int end;

	run->chain = oomhook_chain_get();
	chain = run->chain;
again:
	while (chain && run->next < chain->nr && !run->stop) {
		if (chain->policy[run->next]->flags & OOMHOOK_POLICY_ATOMIC) {
			run->ev.atomic = true;
			run_policy(run, run->next++);
			continue;
		}
		for (end = run->next; end < chain->nr &&
		     !(chain->policy[end]->flags & OOMHOOK_POLICY_ATOMIC); end++)
			;
		run->ev.atomic = false;
		run->inline_only = false;
		run->seg_end = end;
		spin_lock(&oomhook_sm_lock);
		run->seg_done = false;
		spin_unlock(&oomhook_sm_lock);
		queue_work(oomhook_wq, &run->work);
		if (!oom_wait_worker(run, deadline, &pages))
			return pages;
	}
	if (run->release_first && !run->stop) {
		/* The worker is done with the first pass: nobody reads these. */
		run->release_first = false;
		run->release_only = false;
		run->released_first = true;
		run->next = 0;
		goto again;
	}
	run->ev.atomic = false;
	run_finish(run);
	return oom_report_last();
}

/*
 * Wait for decision @gen, started by a PSI event, until @deadline and turn
 * its result into pages to report.  Counts the outcome.
 */
static unsigned long oom_wait(u64 gen, u64 deadline, u64 now)
{
	unsigned long left = 1;
	bool abandoned;

	if (deadline > now)
		left = max(nsecs_to_jiffies(deadline - now), 1UL);
	wait_event_timeout(oomhook_run_wait, run_finished(gen), left);

	spin_lock(&oomhook_sm_lock);
	if (oomhook_run.last_gen >= gen) {
		spin_unlock(&oomhook_sm_lock);
		return oom_report_last();
	}
	abandoned = oomhook_sm_abandon(&oomhook_sm);
	spin_unlock(&oomhook_sm_lock);
	if (abandoned) {
		oom_fallback(OOMHOOK_STAT_FALLBACK_TIMEOUT,
			     "the decision overran budget_ms");
		return 0;
	}
	/* The kill was already committed: its victim is on its way out. */
	return oom_in_flight(1);
}

/*
 * The global OOM notifier.  Called with oom_lock held, from an allocation
 * that failed: no allocation, no sleeping lock, bounded by budget_ms.
 */
static int oomhook_oom_notify(struct notifier_block *nb, unsigned long unused,
			      void *arg)
{
	unsigned long *freed = arg;
	enum oomhook_verdict verdict;
	u64 now = ktime_get_ns();
	u64 deadline = now + oomhook_knob_ns(&oomhook_budget_ms);
	unsigned long pages = 0;
	bool release_first;
	u64 gen;

	oomhook_count(OOMHOOK_STAT_TRIGGERS_OOM);
	trace_oomhook_trigger("oom");

	/*
	 * A dying allocator is the kernel's business: out_of_memory() lets it
	 * use the reserves and reaps it (task_will_free_mem()), killing
	 * nobody else.
	 */
	if (!oomhook_armed() || fatal_signal_pending(current) ||
	    (current->flags & PF_EXITING)) {
		oomhook_count(OOMHOOK_STAT_OOM_PASSTHROUGH);
		return NOTIFY_OK;
	}

	/*
	 * A victim that emptied ends its hold now, not when its work runs;
	 * one still freeing memory gets more time.
	 */
	oomhook_track_update(now);
	release_first = oomhook_chain_releases();
	spin_lock(&oomhook_sm_lock);
	verdict = oomhook_sm_oom(&oomhook_sm, now,
				 oomhook_knob_ns(&oomhook_cooldown_ms),
				 oomhook_knob_ns(&oomhook_hold_ms), release_first);
	if (verdict == OOMHOOK_V_RUN || verdict == OOMHOOK_V_RUN_NO_RELEASE ||
	    verdict == OOMHOOK_V_RUN_RELEASE_FIRST)
		run_start_locked(OOMHOOK_SRC_OOM, "oom", "/",
				 &cgrp_dfl_root.cgrp, now, verdict);
	gen = oomhook_sm.gen;
	spin_unlock(&oomhook_sm_lock);

	switch (verdict) {
	case OOMHOOK_V_RUN:
	case OOMHOOK_V_RUN_NO_RELEASE:
	case OOMHOOK_V_RUN_RELEASE_FIRST:
		pages = oom_drive(&oomhook_run, deadline);
		break;
	case OOMHOOK_V_WAIT:
		pages = oom_wait(gen, deadline, now);
		break;
	case OOMHOOK_V_HOLD:
		if (oomhook_steer_update()) {
			/* The kernel's killer is yet to kill the victim. */
			oomhook_count(OOMHOOK_STAT_OOM_STEERED);
			break;
		}
		oomhook_count(OOMHOOK_STAT_OOM_HELD);
		pages = 1;
		break;
	case OOMHOOK_V_DEFER:
		oomhook_count(OOMHOOK_STAT_OOM_DEFERRED);
		break;
	case OOMHOOK_V_FALLBACK_EXPIRED:
		oomhook_track_expired(true);
		oom_fallback(OOMHOOK_STAT_FALLBACK_HOLD_EXPIRED,
			     "the victim did not exit within hold_ms");
		break;
	case OOMHOOK_V_FALLBACK_BUSY:
	default:
		oom_fallback(OOMHOOK_STAT_FALLBACK_BUSY,
			     "an earlier decision is still running");
		break;
	}
	*freed += pages;
	return NOTIFY_OK;
}

static struct notifier_block oomhook_oom_nb = {
	.notifier_call = oomhook_oom_notify,
};

/*
 * What each source of pressure events counts: its events, those that
 * started a decision, and those that did not, by reason.
 */
struct pressure_stats {
	enum oomhook_stat triggers, runs, busy, cooldown, passthrough;
};

static const struct pressure_stats psi_stats = {
	OOMHOOK_STAT_TRIGGERS_PSI, OOMHOOK_STAT_PSI_RUNS,
	OOMHOOK_STAT_PSI_SUPPRESSED_BUSY, OOMHOOK_STAT_PSI_SUPPRESSED_COOLDOWN,
	OOMHOOK_STAT_PSI_PASSTHROUGH,
};

static const struct pressure_stats low_stats = {
	OOMHOOK_STAT_TRIGGERS_LOW, OOMHOOK_STAT_LOW_RUNS,
	OOMHOOK_STAT_LOW_SUPPRESSED_BUSY, OOMHOOK_STAT_LOW_SUPPRESSED_COOLDOWN,
	OOMHOOK_STAT_LOW_PASSTHROUGH,
};

static const struct pressure_stats limit_stats = {
	OOMHOOK_STAT_TRIGGERS_LIMIT, OOMHOOK_STAT_LIMIT_RUNS,
	OOMHOOK_STAT_LIMIT_SUPPRESSED_BUSY,
	OOMHOOK_STAT_LIMIT_SUPPRESSED_COOLDOWN, OOMHOOK_STAT_LIMIT_PASSTHROUGH,
};

/*
 * A pressure event (PSI, low memory, a cgroup at its limit): nobody waits
 * for it.  It starts a decision in the worker unless one or a victim is in
 * flight, or the last action was less than cooldown_ms ago (not at a
 * limit).  Within the cooldown, low memory still starts a decision of
 * releases only when the chain has a policy that releases memory without
 * touching a task (tmpfs): memory that stays low after a kill, because a
 * cache holds it, is a reason to keep releasing, and such a decision asks
 * for @wanted_release, more than @wanted.  Low memory and limits that come
 * back right after releases in a row start a decision without them.  With
 * @leftover (memory short after a victim exited, because of what it left
 * behind), only a decision of releases may start, whatever the cooldown.
 */
static bool pressure_fired(enum oomhook_source source,
			   const struct pressure_stats *st, const char *trigger,
			   const char *path, struct cgroup *cgrp, u64 fired_ns,
			   u64 wanted, u64 wanted_release, bool leftover)
{
	enum oomhook_verdict verdict;
	bool release_only, started;

	oomhook_count(st->triggers);
	trace_oomhook_trigger(trigger);
	if (!oomhook_armed()) {
		oomhook_count(st->passthrough);
		return false;
	}

	release_only = (source == OOMHOOK_SRC_LOW ||
			source == OOMHOOK_SRC_LIMIT) && oomhook_chain_releases();
	oomhook_track_update(ktime_get_ns());
	spin_lock(&oomhook_sm_lock);
	/*
	 * No cooldown at a cgroup's limit: the kernel's memcg OOM killer is
	 * a few retries away, and suppressing the decision would only leave
	 * the kill to it.
	 */
	if (!leftover)
		verdict = oomhook_sm_psi(&oomhook_sm, ktime_get_ns(),
					 source == OOMHOOK_SRC_LIMIT ? 0 :
					 oomhook_knob_ns(&oomhook_cooldown_ms),
					 oomhook_knob_ns(&oomhook_hold_ms),
					 release_only);
	else if (release_only)
		verdict = oomhook_sm_release(&oomhook_sm, ktime_get_ns());
	else
		verdict = OOMHOOK_V_SUPPRESS_BUSY;
	started = verdict == OOMHOOK_V_RUN ||
		  verdict == OOMHOOK_V_RUN_NO_RELEASE ||
		  verdict == OOMHOOK_V_RUN_RELEASE_ONLY;
	if (started) {
		run_start_locked(source, trigger, path, cgrp, fired_ns, verdict);
		oomhook_run.ev.wanted =
			max_t(u64, verdict == OOMHOOK_V_RUN_RELEASE_ONLY ?
				   wanted_release : wanted, PAGE_SIZE);
		queue_work(oomhook_wq, &oomhook_run.work);
	}
	spin_unlock(&oomhook_sm_lock);

	if (started)
		oomhook_count(st->runs);
	if (started && leftover)
		oomhook_count(OOMHOOK_STAT_LOW_LEFTOVER);
	if (verdict == OOMHOOK_V_RUN_RELEASE_ONLY)
		oomhook_count(OOMHOOK_STAT_LOW_RELEASE_ONLY);
	else if (verdict == OOMHOOK_V_SUPPRESS_COOLDOWN)
		oomhook_count(st->cooldown);
	else if (!started)
		oomhook_count(st->busy);
	return started;
}

/**
 * oomhook_psi_fired() - a PSI trigger fired
 * @trigger: its name, "psi:<path>:<kind>".
 * @path: its cgroup's path, the event's scope.
 * @cgrp: its cgroup.
 * @fired_ns: when it fired.
 */
void oomhook_psi_fired(const char *trigger, const char *path,
		       struct cgroup *cgrp, u64 fired_ns)
{
	(void)pressure_fired(OOMHOOK_SRC_PSI, &psi_stats, trigger, path, cgrp,
		       fired_ns, PAGE_SIZE, PAGE_SIZE, false);
}

/**
 * oomhook_low_fired() - memory has been low for low_ms (low.c)
 * @fired_ns: when the sampler found it so.
 * @wanted: bytes that would bring memory back above the arming level.
 * @wanted_release: bytes asked of a decision of releases only: what would
 *	bring memory well clear of the arming level (low.c).
 *
 * Process context (the sampler).
 *
 * Return: true if a decision started.
 */
bool oomhook_low_fired(u64 fired_ns, u64 wanted, u64 wanted_release)
{
	return pressure_fired(OOMHOOK_SRC_LOW, &low_stats, "low", "/",
		       &cgrp_dfl_root.cgrp, fired_ns, wanted, wanted_release,
		       false);
}

/**
 * oomhook_low_release() - memory a victim left behind is short (low.c)
 * @fired_ns: when the trigger found it so.
 * @wanted: bytes that would bring memory well clear of the arming level.
 *
 * Process context.  Starts a decision of releases only, or nothing.
 *
 * Return: true if a decision started.
 */
bool oomhook_low_release(u64 fired_ns, u64 wanted)
{
	return pressure_fired(OOMHOOK_SRC_LOW, &low_stats, "low", "/",
			      &cgrp_dfl_root.cgrp, fired_ns, wanted, wanted,
			      true);
}

/**
 * oomhook_limit_fired() - a cgroup is at its memory.max for good (limits.c)
 * @trigger: "limit:<path>".
 * @path: the cgroup's path, the event's scope.
 * @cgrp: the cgroup.
 * @fired_ns: when the charge met the limit.
 * @wanted: bytes that would bring its usage clear of the limit.
 *
 * Process context.  Whatever the cooldown; not while a decision or a
 * victim is in flight.
 *
 * Return: true if a decision started.
 */
bool oomhook_limit_fired(const char *trigger, const char *path,
			 struct cgroup *cgrp, u64 fired_ns, u64 wanted)
{
	return pressure_fired(OOMHOOK_SRC_LIMIT, &limit_stats, trigger, path,
			      cgrp, fired_ns, wanted, wanted, false);
}

/* ---- module parameters ------------------------------------------------- */

/**
 * oomhook_knob_param_set() - &kernel_param_ops.set for a &struct oomhook_knob
 * @val: the parameter's value.
 * @kp: the parameter; its argument is the knob.
 *
 * Return: 0, or -EINVAL/-ERANGE (the module does not load).
 */
int oomhook_knob_param_set(const char *val, const struct kernel_param *kp)
{
	return oomhook_knob_store(kp->arg, val);
}
EXPORT_SYMBOL_GPL(oomhook_knob_param_set);

/**
 * oomhook_knob_param_get() - &kernel_param_ops.get for a &struct oomhook_knob
 * @buf: output.
 * @kp: the parameter; its argument is the knob.
 *
 * Return: bytes written.
 */
int oomhook_knob_param_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%u\n", oomhook_knob_get(kp->arg));
}
EXPORT_SYMBOL_GPL(oomhook_knob_param_get);

module_param_cb(enabled, &oomhook_knob_param_ops, &oomhook_enabled, 0444);
MODULE_PARM_DESC(enabled, "Act on events (1) or only count them (0). Default 1.");
module_param_cb(dry_run, &oomhook_knob_param_ops, &oomhook_dry_run, 0444);
MODULE_PARM_DESC(dry_run, "Decide and record, but change nothing. Default 0.");
module_param_cb(cooldown_ms, &oomhook_knob_param_ops, &oomhook_cooldown_ms, 0444);
MODULE_PARM_DESC(cooldown_ms, "Ignore PSI events for this long after an action, ms. Default 10000.");
module_param_cb(budget_ms, &oomhook_knob_param_ops, &oomhook_budget_ms, 0444);
MODULE_PARM_DESC(budget_ms, "Time a decision may take; the OOM path waits at most this long, ms. Default 1000.");
module_param_cb(hold_ms, &oomhook_knob_param_ops, &oomhook_hold_ms, 0444);
MODULE_PARM_DESC(hold_ms, "Time a killed cgroup may take to exit before the kernel's killer acts, ms. Default 3000.");
module_param_cb(low_mem_pct, &oomhook_knob_param_ops, &oomhook_low_mem_pct, 0444);
MODULE_PARM_DESC(low_mem_pct, "Act when available memory is under this percentage of MemTotal (and free swap under low_swap_pct) for low_ms; 0: never. Default 5.");
module_param_cb(low_swap_pct, &oomhook_knob_param_ops, &oomhook_low_swap_pct, 0444);
MODULE_PARM_DESC(low_swap_pct, "... and free swap under this percentage of the swap space; 100: memory alone decides. Default 10.");
module_param_cb(low_ms, &oomhook_knob_param_ops, &oomhook_low_ms, 0444);
MODULE_PARM_DESC(low_ms, "... for this long, ms. Default 250.");
module_param_cb(limit_act, &oomhook_knob_param_ops, &oomhook_limit_act, 0444);
MODULE_PARM_DESC(limit_act, "Act inside a cgroup at its own memory.max (1), or only record the kernel's kills there (0). Default 1.");
module_param_cb(kernel_kill, &oomhook_knob_param_ops, &oomhook_kernel_kill, 0444);
MODULE_PARM_DESC(kernel_kill, "At a global OOM, have the kernel's OOM killer kill the chosen cgroup, with its report, accounting and reaper (1), or kill it with SIGKILL (0). Default 1.");

static char oomhook_boot_chain[OOMHOOK_CHAIN_MAX][OOMHOOK_NAME_MAX];
static int oomhook_boot_nr;

static int policy_param_set(const char *val, const struct kernel_param *kp)
{
	char names[OOMHOOK_CHAIN_MAX][OOMHOOK_NAME_MAX];
	int nr = oomhook_parse_chain(val, names);

	if (nr < 0)
		return nr;
	memcpy(oomhook_boot_chain, names, sizeof(names));
	oomhook_boot_nr = nr;
	return 0;
}

static int policy_param_get(char *buf, const struct kernel_param *kp)
{
	return oomhook_policy_show(buf);
}

static const struct kernel_param_ops oomhook_policy_ops = {
	.set = policy_param_set,
	.get = policy_param_get,
};

module_param_cb(policy, &oomhook_policy_ops, NULL, 0444);
MODULE_PARM_DESC(policy, "Policy chain to activate once loaded, e.g. \"memcg\" or \"tmpfs,memcg\"; policy modules are loaded as needed. Default none.");

static char oomhook_psi_param[OOMHOOK_PSI_PARAM_MAX];

/* Parse each comma-separated PSI spec in @list; arm it too if @arm. */
static int apply_psi_param(const char *list, bool arm)
{
	struct oomhook_psi_spec *spec;
	char *tmp, *cur, *item;
	int ret = 0;

	tmp = kstrdup(list, GFP_KERNEL);
	spec = kmalloc(sizeof(*spec), GFP_KERNEL);
	if (!tmp || !spec) {
		ret = -ENOMEM;
		goto out;
	}
	cur = strim(tmp);
	while (!ret && (item = strsep(&cur, ",")) != NULL) {
		ret = oomhook_parse_psi_spec(item, spec);
		if (ret) {
			pr_err("bad PSI trigger \"%s\": %d\n", item, ret);
			break;
		}
		if (arm) {
			ret = oomhook_psi_add(spec);
			if (ret)
				pr_err("cannot arm PSI trigger \"%s\": %d\n",
				       item, ret);
		}
	}
out:
	kfree(spec);
	kfree(tmp);
	return ret;
}

static int psi_param_set(const char *val, const struct kernel_param *kp)
{
	int ret;

	if (strlen(val) >= sizeof(oomhook_psi_param))
		return -E2BIG;
	if (!*skip_spaces(val)) {
		oomhook_psi_param[0] = '\0';
		return 0;
	}
	ret = apply_psi_param(val, false);
	if (ret)
		return ret;
	strscpy(oomhook_psi_param, val, sizeof(oomhook_psi_param));
	return 0;
}

static int psi_param_get(char *buf, const struct kernel_param *kp)
{
	return oomhook_psi_show(buf);
}

static const struct kernel_param_ops oomhook_psi_ops = {
	.set = psi_param_set,
	.get = psi_param_get,
};

module_param_cb(psi, &oomhook_psi_ops, NULL, 0444);
MODULE_PARM_DESC(psi, "PSI triggers to arm at load, comma-separated \"path:some|full:threshold_us:window_us\", e.g. \"/:some:150000:1000000\". Default none.");

static char *cgroup_mount = "/sys/fs/cgroup";
module_param(cgroup_mount, charp, 0444);
MODULE_PARM_DESC(cgroup_mount, "Where the cgroup2 hierarchy is mounted. Default /sys/fs/cgroup.");

/*
 * Activating the boot-time chain may load policy modules; those need our
 * symbols, which resolve only once oomhook_init() has returned (a module
 * whose dependency is still initializing waits, then fails).  So it runs
 * from a work item rather than from init.
 */
static void oomhook_autoload_workfn(struct work_struct *work)
{
	int ret = oomhook_chain_set(oomhook_boot_chain, oomhook_boot_nr, true);

	if (ret)
		pr_err("cannot activate the policy chain given at load: %d\n",
		       ret);
}

static DECLARE_WORK(oomhook_autoload_work, oomhook_autoload_workfn);

static int __init oomhook_init(void)
{
	int ret;

	oomhook_ring_init(&oomhook_events);
	oomhook_sm_init(&oomhook_sm);
	INIT_WORK(&oomhook_run.work, oomhook_run_workfn);

	ret = oomhook_cgfs_init(cgroup_mount);
	if (ret)
		return ret;

	/*
	 * WQ_MEM_RECLAIM: a rescuer thread guarantees progress when no new
	 * worker can be created for lack of memory.
	 */
	oomhook_wq = alloc_workqueue("oomhook",
				     WQ_MEM_RECLAIM | WQ_HIGHPRI | WQ_UNBOUND, 0);
	if (!oomhook_wq) {
		ret = -ENOMEM;
		goto err_cgfs;
	}
	ret = oomhook_sysfs_init();
	if (ret)
		goto err_wq;
	ret = oomhook_marks_init();
	if (ret)
		goto err_sysfs;
	oomhook_low_init();
	ret = oomhook_doorbell_init();
	if (ret)
		goto err_low;
	oomhook_marks_kick();
	if (oomhook_psi_param[0]) {
		ret = apply_psi_param(oomhook_psi_param, true);
		if (ret)
			goto err_psi;
	}
	ret = register_oom_notifier(&oomhook_oom_nb);
	if (ret)
		goto err_psi;
	oomhook_limits_init();

	if (oomhook_boot_nr)
		queue_work(system_unbound_wq, &oomhook_autoload_work);
	pr_info("version %s loaded\n", OOMHOOK_VERSION);
	return 0;

err_psi:
	oomhook_sysfs_stop();
	oomhook_psi_clear();
	oomhook_doorbell_exit();
	oomhook_low_exit();
	flush_workqueue(oomhook_wq);
	oomhook_marks_exit();
	oomhook_sysfs_exit();
	goto err_wq;
err_low:
	oomhook_low_exit();
	oomhook_marks_exit();
err_sysfs:
	oomhook_sysfs_stop();
	oomhook_sysfs_exit();
err_wq:
	destroy_workqueue(oomhook_wq);
err_cgfs:
	oomhook_cgfs_exit();
	return ret;
}

static void __exit oomhook_exit(void)
{
	cancel_work_sync(&oomhook_autoload_work);
	unregister_oom_notifier(&oomhook_oom_nb);
	oomhook_sysfs_stop();
	oomhook_psi_clear();
	oomhook_doorbell_exit();
	oomhook_low_exit();
	oomhook_limits_exit();
	flush_workqueue(oomhook_wq);
	oomhook_track_stop();
	oomhook_marks_exit();
	destroy_workqueue(oomhook_wq);
	oomhook_sysfs_exit();
	oomhook_registry_exit();
	oomhook_cgfs_exit();
	pr_info("unloaded\n");
}

module_init(oomhook_init);
module_exit(oomhook_exit);

MODULE_DESCRIPTION("oomhook: pluggable policies for memory exhaustion (global OOM and PSI pressure)");
MODULE_AUTHOR("The oomhook developers");
MODULE_LICENSE("GPL");
MODULE_VERSION(OOMHOOK_VERSION);
