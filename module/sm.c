// SPDX-License-Identifier: GPL-2.0
/*
 * The decision state machine: at most one decision, or one victim, in
 * flight at a time.
 *
 *   IDLE --trigger--> RUNNING --done, victim killed--> HOLDING --exit--> IDLE
 *                        \--done, nothing in flight-----------------> IDLE
 *
 * While a victim is exiting (HOLDING, or RUNNING after the kill landed), an
 * OOM is answered with "memory is on its way" instead of a second victim:
 * over-killing is the classic failure of OOM daemons.  The hold is bounded
 * by hold_ms, counted from the moment the kill landed (its tasks have
 * SIGKILL pending), not from when it was decided: a kill that is slow to
 * land must not eat its own hold.  A victim that keeps freeing memory is
 * still on its way out, however long a big one takes to unmap: each time
 * its usage falls the hold runs hold_ms from then, as the kernel's killer
 * waits for its own victim while the OOM reaper makes progress; but never
 * beyond OOMHOOK_HOLD_SPAN_MAX times hold_ms after the kill landed.  When
 * the hold runs out the kernel's own killer acts, at the next OOM: a PSI
 * event suppressed meanwhile (in the cooldown) does not cancel that.  And
 * until the victim is gone, or that span is over, every OOM goes to the
 * kernel and no PSI event starts a decision (sm_stuck()).
 *
 * An OOM that finds a decision running waits for it (bounded by budget_ms,
 * in main.c).  If the wait times out before the action was committed, the
 * decision is abandoned: it may finish, but it will not act, and later
 * OOMs fall back to the kernel at once instead of waiting on it again.
 *
 * Whenever the kernel's killer is left to act (a fallback), OOMs keep going
 * to it for hold_ms: the kernel knows its own victim is exiting and waits
 * for it, while this notifier, called before that check, would pick a
 * second victim.
 *
 * A decision that released memory without a kill (e.g. by deleting files)
 * is trusted OOMHOOK_RELEASE_STREAK_MAX times in a row; if OOMs keep coming
 * within hold time of each release, the next decision runs without
 * releases (OOMHOOK_V_RUN_NO_RELEASE): the policies that released are
 * skipped and only a kill counts, so the rest of the chain acts, or else the
 * kernel's killer.  A policy reporting memory it did not free cannot keep
 * the allocator retrying forever.
 *
 * An OOM within the cooldown after an action, with a policy in the chain
 * that releases memory without touching a task, runs those policies first
 * (OOMHOOK_V_RUN_RELEASE_FIRST), then the rest of the chain if they freed
 * too little: a writer killed by the last decision may have left its files
 * holding the memory, and a bystander must not die for them.  The
 * release, as any, counts towards the streak above.
 *
 * PSI events never wait: they are suppressed while anything is in flight
 * and during the cooldown after an action, so that one pressure episode
 * yields one action.  Memory that stays low through the cooldown is the
 * exception: it may start a decision in which only releases are allowed
 * (OOMHOOK_V_RUN_RELEASE_ONLY), since deleting opted-in cache hurts no
 * task; such a decision does not start the cooldown again, so that a kill,
 * if one is needed, comes when the cooldown after the last one is over.
 *
 * Time is an argument everywhere so that KUnit can drive the machine with
 * injected time; callers serialize access with their own lock.
 */
#include <kunit/visibility.h>

#include "internal.h"

void oomhook_sm_init(struct oomhook_sm *sm)
{
	*sm = (struct oomhook_sm){ .state = OOMHOOK_SM_IDLE };
}
EXPORT_SYMBOL_IF_KUNIT(oomhook_sm_init);

static void sm_start(struct oomhook_sm *sm)
{
	sm->state = OOMHOOK_SM_RUNNING;
	sm->gen++;
	sm->abandoned = false;
	sm->committed = false;
	sm->landed = false;
	sm->exited = false;
	sm->span_until_ns = 0;
	sm->hold_until_ns = 0;
}

/*
 * The victim of the last decision outlived its hold and is still there,
 * within its span.  OOMs go to the kernel's killer meanwhile, and PSI
 * events start no decision: a decision of ours would pass over the dying
 * tasks and kill a second cgroup, where the kernel ranks them with the rest
 * by its own badness, and only marks and reaps them if they come first.
 * Past the span the victim counts as stuck for good, and decisions resume
 * without it.
 */
static bool sm_stuck(const struct oomhook_sm *sm, u64 now)
{
	return sm->landed && !sm->exited && now < sm->span_until_ns;
}

/* A victim is in flight and its hold has not run out. */
static bool sm_holding(const struct oomhook_sm *sm, u64 now)
{
	return !sm->exited && now < sm->hold_until_ns;
}

/*
 * A decision or a victim is in flight, or the kernel's killer acted moments
 * ago: no pressure event starts a decision.  A victim whose hold ran out
 * stays HOLDING until the next OOM (which goes to the kernel's killer), and
 * stuck until it is gone.
 */
static bool sm_busy(const struct oomhook_sm *sm, u64 now)
{
	bool holding = sm->state == OOMHOOK_SM_HOLDING && sm_holding(sm, now);

	return sm->state == OOMHOOK_SM_RUNNING || holding ||
	       sm_stuck(sm, now) || now < sm->defer_until_ns;
}

/**
 * oomhook_sm_oom() - a global OOM happened
 * @sm: the machine.
 * @now: current time, ns.
 * @cooldown_ns: how long after an action releases come first.
 * @hold_ns: how long an action may take to show its effect.
 * @release_first: the chain has a policy that releases memory without
 *	touching a task.
 *
 * An OOM within @cooldown_ns of the last action, with @release_first,
 * starts a decision that runs the releasing policies first: the last kill
 * did not bring memory back, and what holds it may be what they free (the
 * files of a writer just killed), so no task dies for it while they can.
 *
 * Return: OOMHOOK_V_RUN, _RUN_NO_RELEASE or _RUN_RELEASE_FIRST (a decision
 * starts), _WAIT, _HOLD, _DEFER, _FALLBACK_BUSY or _FALLBACK_EXPIRED.
 */
enum oomhook_verdict oomhook_sm_oom(struct oomhook_sm *sm, u64 now,
				    u64 cooldown_ns, u64 hold_ns,
				    bool release_first)
{
	switch (sm->state) {
	case OOMHOOK_SM_RUNNING:
		if (sm->landed)
			return sm_holding(sm, now) ? OOMHOOK_V_HOLD :
						     OOMHOOK_V_FALLBACK_EXPIRED;
		if (sm->committed)
			return OOMHOOK_V_WAIT;
		return sm->abandoned ? OOMHOOK_V_FALLBACK_BUSY : OOMHOOK_V_WAIT;
	case OOMHOOK_SM_HOLDING:
		if (sm_holding(sm, now))
			return OOMHOOK_V_HOLD;
		sm->state = OOMHOOK_SM_IDLE;
		return OOMHOOK_V_FALLBACK_EXPIRED;
	case OOMHOOK_SM_IDLE:
	default:
		if (now < sm->defer_until_ns)
			return OOMHOOK_V_DEFER;
		if (sm_stuck(sm, now))
			return OOMHOOK_V_FALLBACK_EXPIRED;
		if (sm->releases >= OOMHOOK_RELEASE_STREAK_MAX &&
		    now - sm->last_release_ns < hold_ns) {
			sm->releases = 0;
			sm_start(sm);
			return OOMHOOK_V_RUN_NO_RELEASE;
		}
		sm_start(sm);
		if (release_first && sm->acted &&
		    now - sm->last_action_ns < cooldown_ns)
			return OOMHOOK_V_RUN_RELEASE_FIRST;
		return OOMHOOK_V_RUN;
	}
}
EXPORT_SYMBOL_IF_KUNIT(oomhook_sm_oom);

/**
 * oomhook_sm_psi() - a PSI trigger fired
 * @sm: the machine.
 * @now: current time, ns.
 * @cooldown_ns: minimum time between an action and the next PSI decision.
 * @hold_ns: how long a release may take to show its effect.
 * @release_only: low memory, with a policy in the chain that releases
 *	memory without touching a task: within the cooldown, start a
 *	decision that may only release memory rather than suppress the event.
 *
 * Such an event that comes back within @hold_ns of the last of
 * OOMHOOK_RELEASE_STREAK_MAX releases in a row, once the cooldown is over,
 * starts a decision without releases, as an OOM does: a writer that fills
 * the cache again as fast as it is freed is stopped, not fed.  PSI events
 * do not: a release that a PSI episode ended (a freeze) may be followed by
 * another episode that its thaw started.
 *
 * Return: OOMHOOK_V_RUN, _RUN_NO_RELEASE, _RUN_RELEASE_ONLY, _SUPPRESS_BUSY
 * or _SUPPRESS_COOLDOWN.
 */
enum oomhook_verdict oomhook_sm_psi(struct oomhook_sm *sm, u64 now,
				    u64 cooldown_ns, u64 hold_ns,
				    bool release_only)
{
	if (sm_busy(sm, now))
		return OOMHOOK_V_SUPPRESS_BUSY;
	if (sm->acted && now - sm->last_action_ns < cooldown_ns) {
		if (!release_only)
			return OOMHOOK_V_SUPPRESS_COOLDOWN;
		sm_start(sm);
		return OOMHOOK_V_RUN_RELEASE_ONLY;
	}
	if (release_only && sm->releases >= OOMHOOK_RELEASE_STREAK_MAX &&
	    now - sm->last_release_ns < hold_ns) {
		sm->releases = 0;
		sm_start(sm);
		return OOMHOOK_V_RUN_NO_RELEASE;
	}
	sm_start(sm);
	return OOMHOOK_V_RUN;
}
EXPORT_SYMBOL_IF_KUNIT(oomhook_sm_psi);

/**
 * oomhook_sm_release() - a victim left memory behind that is still short
 * @sm: the machine.
 * @now: current time, ns.
 *
 * Whatever the cooldown, only releases may follow: nothing calls for a
 * kill, memory is short because of what the last victim left (its files).
 *
 * Return: OOMHOOK_V_RUN_RELEASE_ONLY, or _SUPPRESS_BUSY.
 */
enum oomhook_verdict oomhook_sm_release(struct oomhook_sm *sm, u64 now)
{
	if (sm_busy(sm, now))
		return OOMHOOK_V_SUPPRESS_BUSY;
	sm_start(sm);
	return OOMHOOK_V_RUN_RELEASE_ONLY;
}
EXPORT_SYMBOL_IF_KUNIT(oomhook_sm_release);

/**
 * oomhook_sm_commit() - the running decision is about to act
 * @sm: the machine.
 *
 * From now on the decision cannot be abandoned: an OOM that comes before
 * the kill lands waits for it.
 *
 * Return: false if the decision was abandoned and must not act.
 */
bool oomhook_sm_commit(struct oomhook_sm *sm)
{
	if (sm->state != OOMHOOK_SM_RUNNING || sm->abandoned)
		return false;
	sm->committed = true;
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(oomhook_sm_commit);

/**
 * oomhook_sm_landed() - the committed kill was delivered
 * @sm: the machine.
 * @now: current time, ns: the hold starts here.
 * @hold_ns: how long a victim may take to exit.
 */
void oomhook_sm_landed(struct oomhook_sm *sm, u64 now, u64 hold_ns)
{
	if (sm->state != OOMHOOK_SM_RUNNING || !sm->committed)
		return;
	sm->landed = true;
	sm->span_until_ns = now + OOMHOOK_HOLD_SPAN_MAX * hold_ns;
	sm->hold_until_ns = max(sm->hold_until_ns, now + hold_ns);
}
EXPORT_SYMBOL_IF_KUNIT(oomhook_sm_landed);

/**
 * oomhook_sm_progress() - the victim of decision @gen freed memory
 * @sm: the machine.
 * @gen: the decision that killed it.
 * @now: current time, ns: when its usage was seen to fall.
 * @hold_ns: how long a victim may go without freeing anything.
 *
 * The hold runs @hold_ns from @now, up to OOMHOOK_HOLD_SPAN_MAX times
 * @hold_ns after the kill landed.
 *
 * Return: true if the hold was extended.
 */
bool oomhook_sm_progress(struct oomhook_sm *sm, u64 gen, u64 now,
			 u64 hold_ns)
{
	u64 until;

	if (gen != sm->gen || !sm->landed || sm->exited ||
	    sm->state == OOMHOOK_SM_IDLE)
		return false;
	until = min(now + hold_ns, sm->span_until_ns);
	if (until <= sm->hold_until_ns)
		return false;
	sm->hold_until_ns = until;
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(oomhook_sm_progress);

/**
 * oomhook_sm_uncommit() - the committed action failed
 * @sm: the machine.
 *
 * No victim is in flight after all: the OOM path must not hold for one.
 */
void oomhook_sm_uncommit(struct oomhook_sm *sm)
{
	if (sm->state != OOMHOOK_SM_RUNNING)
		return;
	sm->committed = false;
	sm->landed = false;
	sm->hold_until_ns = 0;
}
EXPORT_SYMBOL_IF_KUNIT(oomhook_sm_uncommit);

/**
 * oomhook_sm_abandon() - the OOM path stopped waiting for the decision
 * @sm: the machine.
 *
 * Return: true if the decision will not act (the caller falls back), false
 * if it already committed to an action (the caller holds).
 */
bool oomhook_sm_abandon(struct oomhook_sm *sm)
{
	if (sm->state != OOMHOOK_SM_RUNNING)
		return false;
	if (sm->committed)
		return false;
	sm->abandoned = true;
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(oomhook_sm_abandon);

/**
 * oomhook_sm_done() - the running decision finished
 * @sm: the machine.
 * @now: current time, ns.
 * @acted: an action was taken (starts the cooldown).
 * @in_flight: a victim was killed and may still be exiting.
 * @released: memory was reported released without a kill.
 * @hold_ns: how long an action may take to show its effect.
 */
void oomhook_sm_done(struct oomhook_sm *sm, u64 now, bool acted,
		     bool in_flight, bool released, u64 hold_ns)
{
	if (acted) {
		sm->acted = true;
		sm->last_action_ns = now;
	}
	if (released) {
		if (sm->releases && now - sm->last_release_ns < hold_ns)
			sm->releases++;
		else
			sm->releases = 1;
		sm->last_release_ns = now;
	} else if (in_flight) {
		sm->releases = 0;
	}
	if (in_flight && sm->landed && sm_holding(sm, now))
		sm->state = OOMHOOK_SM_HOLDING;
	else
		sm->state = OOMHOOK_SM_IDLE;
}
EXPORT_SYMBOL_IF_KUNIT(oomhook_sm_done);

/**
 * oomhook_sm_fallback() - an OOM was left to the kernel's killer
 * @sm: the machine.
 * @now: current time, ns.
 * @hold_ns: how long the kernel's victim may take to exit.
 *
 * The kernel's kill is an action: it starts the PSI cooldown too.
 */
void oomhook_sm_fallback(struct oomhook_sm *sm, u64 now, u64 hold_ns)
{
	sm->defer_until_ns = now + hold_ns;
	sm->acted = true;
	sm->last_action_ns = now;
}
EXPORT_SYMBOL_IF_KUNIT(oomhook_sm_fallback);

/**
 * oomhook_sm_exited() - the victim of decision @gen exited
 * @sm: the machine.
 * @gen: the decision that killed it.
 */
void oomhook_sm_exited(struct oomhook_sm *sm, u64 gen)
{
	if (gen != sm->gen)
		return;
	sm->exited = true;
	if (sm->state == OOMHOOK_SM_HOLDING)
		sm->state = OOMHOOK_SM_IDLE;
}
EXPORT_SYMBOL_IF_KUNIT(oomhook_sm_exited);
