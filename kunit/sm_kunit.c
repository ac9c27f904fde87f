// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the decision state machine (module/sm.c), with time injected.
 * One victim or decision in flight, the bounded hold (from the moment the
 * kill landed, not when it was committed, extended while the victim frees
 * memory, up to a span), fallbacks and their
 * deferral, the cooldown, and the limit on releases that do not help.
 */
#include <kunit/test.h>
#include <linux/time64.h>

#include "internal.h"

#define MS(x)		((u64)(x) * NSEC_PER_MSEC)
#define HOLD		MS(3000)
#define COOLDOWN	MS(10000)
#define T0		MS(1000000)

/* Commit to a kill and deliver it at @now. */
static bool commit_land(struct oomhook_sm *sm, u64 now)
{
	if (!oomhook_sm_commit(sm))
		return false;
	oomhook_sm_landed(sm, now, HOLD);
	return true;
}

/* An OOM at @now, with no releasing policy in the chain. */
static enum oomhook_verdict oom_at(struct oomhook_sm *sm, u64 now)
{
	return oomhook_sm_oom(sm, now, COOLDOWN, HOLD, false);
}

/* A kill of a decision started at T0 by an OOM or a PSI event, in flight. */
static void victim_in_flight(struct oomhook_sm *sm, bool psi)
{
	oomhook_sm_init(sm);
	if (psi)
		oomhook_sm_psi(sm, T0, 0, HOLD, false);
	else
		oom_at(sm, T0);
	commit_land(sm, T0);
	oomhook_sm_done(sm, T0 + 1, true, true, false, HOLD);
}

static void sm_idle_runs(struct kunit *test)
{
	struct oomhook_sm sm;

	oomhook_sm_init(&sm);
	KUNIT_EXPECT_EQ(test, oom_at(&sm, T0), OOMHOOK_V_RUN);
	KUNIT_EXPECT_EQ(test, sm.state, OOMHOOK_SM_RUNNING);
	KUNIT_EXPECT_EQ(test, sm.gen, 1);
	/* A second OOM waits for the decision in flight. */
	KUNIT_EXPECT_EQ(test, oom_at(&sm, T0 + MS(1)),
			OOMHOOK_V_WAIT);
	oomhook_sm_done(&sm, T0 + MS(5), false, false, false, HOLD);
	KUNIT_EXPECT_EQ(test, sm.state, OOMHOOK_SM_IDLE);
	KUNIT_EXPECT_EQ(test, oom_at(&sm, T0 + MS(6)),
			OOMHOOK_V_RUN);
	KUNIT_EXPECT_EQ(test, sm.gen, 2);
}

static void sm_kill_holds_then_exit(struct kunit *test)
{
	struct oomhook_sm sm;

	oomhook_sm_init(&sm);
	oom_at(&sm, T0);
	KUNIT_EXPECT_TRUE(test, oomhook_sm_commit(&sm));
	/* Committed, not landed yet: an OOM waits for the kill. */
	KUNIT_EXPECT_EQ(test, oom_at(&sm, T0 + MS(10)),
			OOMHOOK_V_WAIT);
	oomhook_sm_landed(&sm, T0 + MS(10), HOLD);
	/* Landed, still running: OOMs hold. */
	KUNIT_EXPECT_EQ(test, oom_at(&sm, T0 + MS(11)),
			OOMHOOK_V_HOLD);
	oomhook_sm_done(&sm, T0 + MS(12), true, true, false, HOLD);
	KUNIT_EXPECT_EQ(test, sm.state, OOMHOOK_SM_HOLDING);
	KUNIT_EXPECT_EQ(test, oom_at(&sm, T0 + MS(2000)),
			OOMHOOK_V_HOLD);
	/* PSI stays quiet while the victim exits. */
	KUNIT_EXPECT_EQ(test, oomhook_sm_psi(&sm, T0 + MS(2000), 0, HOLD, false),
			OOMHOOK_V_SUPPRESS_BUSY);
	/* An exit reported for an older decision changes nothing. */
	oomhook_sm_exited(&sm, sm.gen - 1);
	KUNIT_EXPECT_EQ(test, sm.state, OOMHOOK_SM_HOLDING);
	oomhook_sm_exited(&sm, sm.gen);
	KUNIT_EXPECT_EQ(test, sm.state, OOMHOOK_SM_IDLE);
	KUNIT_EXPECT_EQ(test, oom_at(&sm, T0 + MS(2001)),
			OOMHOOK_V_RUN);
}

static void sm_exit_before_done(struct kunit *test)
{
	struct oomhook_sm sm;

	oomhook_sm_init(&sm);
	oom_at(&sm, T0);
	commit_land(&sm, T0 + MS(1));
	/* The victim was gone before the decision finished recording. */
	oomhook_sm_exited(&sm, sm.gen);
	oomhook_sm_done(&sm, T0 + MS(2), true, true, false, HOLD);
	KUNIT_EXPECT_EQ(test, sm.state, OOMHOOK_SM_IDLE);
}

static void sm_hold_expires(struct kunit *test)
{
	struct oomhook_sm sm;

	oomhook_sm_init(&sm);
	oom_at(&sm, T0);
	commit_land(&sm, T0);
	oomhook_sm_done(&sm, T0 + MS(1), true, true, false, HOLD);
	KUNIT_EXPECT_EQ(test, oom_at(&sm, T0 + HOLD - 1),
			OOMHOOK_V_HOLD);
	KUNIT_EXPECT_EQ(test, oom_at(&sm, T0 + HOLD),
			OOMHOOK_V_FALLBACK_EXPIRED);
	KUNIT_EXPECT_EQ(test, sm.state, OOMHOOK_SM_IDLE);
	/* The caller falls back: OOMs go to the kernel for hold time. */
	oomhook_sm_fallback(&sm, T0 + HOLD, HOLD);
	KUNIT_EXPECT_EQ(test, oom_at(&sm, T0 + HOLD + MS(1)),
			OOMHOOK_V_DEFER);
	KUNIT_EXPECT_EQ(test, oom_at(&sm, T0 + 2 * HOLD - 1),
			OOMHOOK_V_DEFER);
	/* The victim is still there: the kernel's killer deals with it. */
	KUNIT_EXPECT_EQ(test, oom_at(&sm, T0 + 2 * HOLD),
			OOMHOOK_V_FALLBACK_EXPIRED);
	oomhook_sm_fallback(&sm, T0 + 2 * HOLD, HOLD);
	/* Once it is gone, decisions resume. */
	oomhook_sm_exited(&sm, sm.gen);
	KUNIT_EXPECT_EQ(test, oom_at(&sm, T0 + 3 * HOLD),
			OOMHOOK_V_RUN);
}

/* A victim stuck for good is passed over once its span is over. */
static void sm_stuck_span(struct kunit *test)
{
	u64 span = T0 + OOMHOOK_HOLD_SPAN_MAX * HOLD;
	struct oomhook_sm sm;

	victim_in_flight(&sm, false);
	KUNIT_EXPECT_EQ(test, oom_at(&sm, T0 + HOLD),
			OOMHOOK_V_FALLBACK_EXPIRED);
	KUNIT_EXPECT_EQ(test, oom_at(&sm, span - 1),
			OOMHOOK_V_FALLBACK_EXPIRED);
	KUNIT_EXPECT_EQ(test, oom_at(&sm, span), OOMHOOK_V_RUN);
}

static void sm_hold_expires_while_running(struct kunit *test)
{
	struct oomhook_sm sm;

	oomhook_sm_init(&sm);
	oom_at(&sm, T0);
	commit_land(&sm, T0);
	KUNIT_EXPECT_EQ(test, oom_at(&sm, T0 + HOLD),
			OOMHOOK_V_FALLBACK_EXPIRED);
	/* Finishing after the hold ran out leaves nothing to hold for. */
	oomhook_sm_done(&sm, T0 + HOLD + 1, true, true, false, HOLD);
	KUNIT_EXPECT_EQ(test, sm.state, OOMHOOK_SM_IDLE);
}

static void sm_abandon(struct kunit *test)
{
	struct oomhook_sm sm;

	oomhook_sm_init(&sm);
	oom_at(&sm, T0);
	KUNIT_EXPECT_TRUE(test, oomhook_sm_abandon(&sm));
	/* Later OOMs do not wait on it again. */
	KUNIT_EXPECT_EQ(test, oom_at(&sm, T0 + MS(1)),
			OOMHOOK_V_FALLBACK_BUSY);
	/* And it may not act. */
	KUNIT_EXPECT_FALSE(test, oomhook_sm_commit(&sm));
	oomhook_sm_done(&sm, T0 + MS(3), false, false, false, HOLD);
	KUNIT_EXPECT_EQ(test, sm.state, OOMHOOK_SM_IDLE);
}

static void sm_abandon_after_commit(struct kunit *test)
{
	struct oomhook_sm sm;

	oomhook_sm_init(&sm);
	oom_at(&sm, T0);
	commit_land(&sm, T0);
	/* Too late to abandon: the kill is on its way, the caller holds. */
	KUNIT_EXPECT_FALSE(test, oomhook_sm_abandon(&sm));
	KUNIT_EXPECT_EQ(test, oom_at(&sm, T0 + MS(1)),
			OOMHOOK_V_HOLD);
}

/* The hold runs from the kill's landing, however late it lands. */
static void sm_hold_starts_when_landed(struct kunit *test)
{
	struct oomhook_sm sm;
	u64 land = T0 + MS(2500);

	oomhook_sm_init(&sm);
	oom_at(&sm, T0);
	KUNIT_EXPECT_TRUE(test, oomhook_sm_commit(&sm));
	/* Later than a hold from the commit would have lasted: still waiting. */
	KUNIT_EXPECT_EQ(test, oom_at(&sm, T0 + HOLD + MS(1)),
			OOMHOOK_V_WAIT);
	oomhook_sm_landed(&sm, land, HOLD);
	oomhook_sm_done(&sm, land + MS(1), true, true, false, HOLD);
	KUNIT_EXPECT_EQ(test, sm.state, OOMHOOK_SM_HOLDING);
	KUNIT_EXPECT_EQ(test, oom_at(&sm, land + HOLD - 1),
			OOMHOOK_V_HOLD);
	KUNIT_EXPECT_EQ(test, oom_at(&sm, land + HOLD),
			OOMHOOK_V_FALLBACK_EXPIRED);
}

/* Landing without a commit (an abandoned decision) holds for nothing. */
static void sm_land_needs_commit(struct kunit *test)
{
	struct oomhook_sm sm;

	oomhook_sm_init(&sm);
	oom_at(&sm, T0);
	oomhook_sm_landed(&sm, T0, HOLD);
	KUNIT_EXPECT_FALSE(test, sm.landed);
	KUNIT_EXPECT_EQ(test, oom_at(&sm, T0 + 1), OOMHOOK_V_WAIT);
}

static void sm_uncommit(struct kunit *test)
{
	struct oomhook_sm sm;

	oomhook_sm_init(&sm);
	oom_at(&sm, T0);
	commit_land(&sm, T0);
	/* The kill write failed: nothing to hold for. */
	oomhook_sm_uncommit(&sm);
	KUNIT_EXPECT_EQ(test, oom_at(&sm, T0 + MS(1)),
			OOMHOOK_V_WAIT);
	oomhook_sm_done(&sm, T0 + MS(2), false, false, false, HOLD);
	KUNIT_EXPECT_EQ(test, sm.state, OOMHOOK_SM_IDLE);
}

/*
 * Low memory in the cooldown: a decision of releases only, which does not
 * start the cooldown again; nothing while a victim is in flight.
 */
static void sm_psi_release_only(struct kunit *test)
{
	struct oomhook_sm sm;

	oomhook_sm_init(&sm);
	KUNIT_EXPECT_EQ(test, oomhook_sm_psi(&sm, T0, COOLDOWN, HOLD, true),
			OOMHOOK_V_RUN);
	oomhook_sm_commit(&sm);
	oomhook_sm_landed(&sm, T0 + MS(1), HOLD);
	oomhook_sm_done(&sm, T0 + MS(1), true, true, false, HOLD);
	/* The victim is exiting: nothing, releases neither. */
	KUNIT_EXPECT_EQ(test, oomhook_sm_psi(&sm, T0 + MS(2), COOLDOWN, HOLD, true),
			OOMHOOK_V_SUPPRESS_BUSY);
	oomhook_sm_exited(&sm, sm.gen);
	/* Gone, memory still low: releases only, within the cooldown. */
	KUNIT_EXPECT_EQ(test, oomhook_sm_psi(&sm, T0 + MS(3), COOLDOWN, HOLD, false),
			OOMHOOK_V_SUPPRESS_COOLDOWN);
	KUNIT_EXPECT_EQ(test, oomhook_sm_psi(&sm, T0 + MS(3), COOLDOWN, HOLD, true),
			OOMHOOK_V_RUN_RELEASE_ONLY);
	KUNIT_EXPECT_EQ(test, oomhook_sm_psi(&sm, T0 + MS(4), COOLDOWN, HOLD, true),
			OOMHOOK_V_SUPPRESS_BUSY);
	/* Its release does not restart the cooldown (main.c: acted false). */
	oomhook_sm_done(&sm, T0 + MS(5), false, false, true, HOLD);
	KUNIT_EXPECT_EQ(test, oomhook_sm_psi(&sm, T0 + MS(1) + COOLDOWN - 1,
					     COOLDOWN, HOLD, true),
			OOMHOOK_V_RUN_RELEASE_ONLY);
	oomhook_sm_done(&sm, T0 + MS(1) + COOLDOWN - 1, false, false, true,
			HOLD);
	KUNIT_EXPECT_EQ(test, oomhook_sm_psi(&sm, T0 + MS(1) + COOLDOWN,
					     COOLDOWN, HOLD, true),
			OOMHOOK_V_RUN);
}

static void sm_psi_cooldown(struct kunit *test)
{
	struct oomhook_sm sm;

	oomhook_sm_init(&sm);
	KUNIT_EXPECT_EQ(test, oomhook_sm_psi(&sm, T0, COOLDOWN, HOLD, false), OOMHOOK_V_RUN);
	KUNIT_EXPECT_EQ(test, oomhook_sm_psi(&sm, T0 + 1, COOLDOWN, HOLD, false),
			OOMHOOK_V_SUPPRESS_BUSY);
	/* Nothing done: no cooldown. */
	oomhook_sm_done(&sm, T0 + MS(1), false, false, false, HOLD);
	KUNIT_EXPECT_EQ(test, oomhook_sm_psi(&sm, T0 + MS(2), COOLDOWN, HOLD, false),
			OOMHOOK_V_RUN);
	/* An action (a dry run counts) starts it. */
	oomhook_sm_done(&sm, T0 + MS(3), true, false, false, HOLD);
	KUNIT_EXPECT_EQ(test, oomhook_sm_psi(&sm, T0 + MS(3) + COOLDOWN - 1,
					     COOLDOWN, HOLD, false),
			OOMHOOK_V_SUPPRESS_COOLDOWN);
	KUNIT_EXPECT_EQ(test, oomhook_sm_psi(&sm, T0 + MS(3) + COOLDOWN,
					     COOLDOWN, HOLD, false),
			OOMHOOK_V_RUN);
	/* A global OOM ignores the cooldown. */
	oomhook_sm_done(&sm, T0 + MS(20000), true, false, false, HOLD);
	KUNIT_EXPECT_EQ(test, oom_at(&sm, T0 + MS(20001)),
			OOMHOOK_V_RUN);
}

static void sm_psi_after_fallback(struct kunit *test)
{
	struct oomhook_sm sm;

	oomhook_sm_init(&sm);
	oomhook_sm_fallback(&sm, T0, HOLD);
	/* The kernel's victim is exiting; and its kill starts the cooldown. */
	KUNIT_EXPECT_EQ(test, oomhook_sm_psi(&sm, T0 + 1, 0, HOLD, false),
			OOMHOOK_V_SUPPRESS_BUSY);
	KUNIT_EXPECT_EQ(test, oomhook_sm_psi(&sm, T0 + HOLD, COOLDOWN, HOLD, false),
			OOMHOOK_V_SUPPRESS_COOLDOWN);
	KUNIT_EXPECT_EQ(test, oomhook_sm_psi(&sm, T0 + COOLDOWN, COOLDOWN, HOLD, false),
			OOMHOOK_V_RUN);
}

static void sm_psi_hold_expiry(struct kunit *test)
{
	struct oomhook_sm sm;

	victim_in_flight(&sm, true);
	KUNIT_EXPECT_EQ(test, oomhook_sm_psi(&sm, T0 + HOLD - 1, 0, HOLD, false),
			OOMHOOK_V_SUPPRESS_BUSY);
	/* Past the hold, still there: no second decision over it. */
	KUNIT_EXPECT_EQ(test, oomhook_sm_psi(&sm, T0 + HOLD, 0, HOLD, false),
			OOMHOOK_V_SUPPRESS_BUSY);
	oomhook_sm_exited(&sm, sm.gen);
	KUNIT_EXPECT_EQ(test, oomhook_sm_psi(&sm, T0 + HOLD + 1, 0, HOLD, false),
			OOMHOOK_V_RUN);
}

/* A victim stuck for good stops blocking PSI decisions at its span. */
static void sm_psi_stuck_span(struct kunit *test)
{
	u64 span = T0 + OOMHOOK_HOLD_SPAN_MAX * HOLD;
	struct oomhook_sm sm;

	victim_in_flight(&sm, true);
	KUNIT_EXPECT_EQ(test, oomhook_sm_psi(&sm, span - 1, 0, HOLD, false),
			OOMHOOK_V_SUPPRESS_BUSY);
	KUNIT_EXPECT_EQ(test, oomhook_sm_psi(&sm, span, 0, HOLD, false), OOMHOOK_V_RUN);
}

/* A victim that keeps freeing memory is held from its last progress. */
static void sm_progress_extends_hold(struct kunit *test)
{
	struct oomhook_sm sm;
	u64 gen;

	oomhook_sm_init(&sm);
	oom_at(&sm, T0);
	commit_land(&sm, T0);
	gen = sm.gen;
	/* Progress while still running counts too. */
	KUNIT_EXPECT_TRUE(test, oomhook_sm_progress(&sm, gen, T0 + MS(500),
						    HOLD));
	oomhook_sm_done(&sm, T0 + MS(600), true, true, false, HOLD);
	KUNIT_EXPECT_TRUE(test, oomhook_sm_progress(&sm, gen, T0 + HOLD - 1,
						    HOLD));
	/* Past the hold from the kill, within the hold from the progress. */
	KUNIT_EXPECT_EQ(test, oom_at(&sm, T0 + 2 * HOLD - 2),
			OOMHOOK_V_HOLD);
	KUNIT_EXPECT_EQ(test, oomhook_sm_psi(&sm, T0 + 2 * HOLD - 2, 0, HOLD, false),
			OOMHOOK_V_SUPPRESS_BUSY);
	/* No progress for a whole hold: the kernel's killer acts. */
	KUNIT_EXPECT_EQ(test, oom_at(&sm, T0 + 2 * HOLD - 1),
			OOMHOOK_V_FALLBACK_EXPIRED);
	KUNIT_EXPECT_EQ(test, sm.state, OOMHOOK_SM_IDLE);
	/* And progress after that is too late. */
	KUNIT_EXPECT_FALSE(test, oomhook_sm_progress(&sm, gen, T0 + 2 * HOLD,
						     HOLD));
}

/* However steady the progress, the hold ends OOMHOOK_HOLD_SPAN_MAX holds in. */
static void sm_progress_span(struct kunit *test)
{
	u64 span = T0 + OOMHOOK_HOLD_SPAN_MAX * HOLD;
	struct oomhook_sm sm;
	u64 t;

	victim_in_flight(&sm, false);
	for (t = T0 + MS(100); t < span; t += MS(100)) {
		oomhook_sm_progress(&sm, sm.gen, t, HOLD);
		KUNIT_EXPECT_EQ(test, oom_at(&sm, t),
				OOMHOOK_V_HOLD);
	}
	KUNIT_EXPECT_FALSE(test, oomhook_sm_progress(&sm, sm.gen, span, HOLD));
	KUNIT_EXPECT_EQ(test, oom_at(&sm, span),
			OOMHOOK_V_FALLBACK_EXPIRED);
}

/* Progress of an older decision's victim, or of no kill, changes nothing. */
static void sm_progress_other(struct kunit *test)
{
	struct oomhook_sm sm;

	oomhook_sm_init(&sm);
	KUNIT_EXPECT_FALSE(test, oomhook_sm_progress(&sm, 0, T0, HOLD));
	oom_at(&sm, T0);
	/* Running, nothing landed yet. */
	KUNIT_EXPECT_FALSE(test, oomhook_sm_progress(&sm, sm.gen, T0, HOLD));
	commit_land(&sm, T0);
	oomhook_sm_done(&sm, T0 + 1, true, true, false, HOLD);
	KUNIT_EXPECT_FALSE(test, oomhook_sm_progress(&sm, sm.gen - 1,
						     T0 + HOLD - 1, HOLD));
	KUNIT_EXPECT_EQ(test, oom_at(&sm, T0 + HOLD),
			OOMHOOK_V_FALLBACK_EXPIRED);
}

/*
 * A PSI event in the cooldown after the hold ran out leaves the victim to
 * the kernel's killer: the next OOM falls back, it does not start a second
 * decision that would pass over the victim still exiting.
 */
static void sm_psi_keeps_hold_expiry(struct kunit *test)
{
	struct oomhook_sm sm;

	victim_in_flight(&sm, true);
	KUNIT_EXPECT_NE(test, oomhook_sm_psi(&sm, T0 + HOLD, COOLDOWN, HOLD, false),
			OOMHOOK_V_RUN);
	KUNIT_EXPECT_EQ(test, sm.state, OOMHOOK_SM_HOLDING);
	KUNIT_EXPECT_EQ(test, oom_at(&sm, T0 + HOLD + 1),
			OOMHOOK_V_FALLBACK_EXPIRED);
}

static void sm_releases_that_do_not_help(struct kunit *test)
{
	struct oomhook_sm sm;
	u64 t = T0;
	int i;

	oomhook_sm_init(&sm);
	for (i = 0; i < OOMHOOK_RELEASE_STREAK_MAX; i++) {
		KUNIT_EXPECT_EQ(test, oom_at(&sm, t), OOMHOOK_V_RUN);
		oomhook_sm_done(&sm, t + MS(1), true, false, true, HOLD);
		t += MS(10);
	}
	KUNIT_EXPECT_EQ(test, oom_at(&sm, t),
			OOMHOOK_V_RUN_NO_RELEASE);
	/* That decision runs: later OOMs wait for it. */
	KUNIT_EXPECT_EQ(test, oom_at(&sm, t + 1), OOMHOOK_V_WAIT);
	/* It released nothing (releases did not count): the streak starts over. */
	oomhook_sm_done(&sm, t + 2, false, false, false, HOLD);
	KUNIT_EXPECT_EQ(test, oom_at(&sm, t + 3), OOMHOOK_V_RUN);
}

/*
 * Pressure events @step apart, each ending in a release, with no cooldown:
 * every one starts an ordinary decision, never one without releases.
 */
static void pressure_without_streak(struct kunit *test, bool release_only,
				    u64 step)
{
	struct oomhook_sm sm;
	u64 t = T0;
	int i;

	oomhook_sm_init(&sm);
	for (i = 0; i < 2 * OOMHOOK_RELEASE_STREAK_MAX; i++) {
		KUNIT_EXPECT_EQ(test, oomhook_sm_psi(&sm, t, 0, HOLD,
						     release_only),
				OOMHOOK_V_RUN);
		oomhook_sm_done(&sm, t, true, false, true, HOLD);
		t += step;
	}
}

/*
 * Low memory that comes back as fast as the cache is freed (a writer that
 * refills it): releases only in the cooldown, and once it is over, a
 * decision without releases, so that the writer is killed.
 */
static void sm_low_releases_that_do_not_help(struct kunit *test)
{
	struct oomhook_sm sm;
	u64 t = T0 + MS(1);
	int i;

	oomhook_sm_init(&sm);
	KUNIT_EXPECT_EQ(test, oomhook_sm_psi(&sm, T0, COOLDOWN, HOLD, true),
			OOMHOOK_V_RUN);
	oomhook_sm_done(&sm, T0 + MS(1), true, false, true, HOLD);
	/* Past the streak, the cooldown holds the kill back: releases only. */
	for (i = 1; t + MS(1000) < T0 + MS(1) + COOLDOWN; i++) {
		t += MS(1000);
		KUNIT_EXPECT_EQ(test, oomhook_sm_psi(&sm, t, COOLDOWN, HOLD, true),
				OOMHOOK_V_RUN_RELEASE_ONLY);
		oomhook_sm_done(&sm, t, false, false, true, HOLD);
	}
	KUNIT_EXPECT_GT(test, i, OOMHOOK_RELEASE_STREAK_MAX);
	/* Over: the releases did not help, and the next decision kills. */
	t = T0 + MS(1) + COOLDOWN;
	KUNIT_EXPECT_EQ(test, oomhook_sm_psi(&sm, t, COOLDOWN, HOLD, true),
			OOMHOOK_V_RUN_NO_RELEASE);
	commit_land(&sm, t);
	oomhook_sm_done(&sm, t + 1, true, true, false, HOLD);
	KUNIT_EXPECT_EQ(test, sm.releases, 0);
	oomhook_sm_exited(&sm, sm.gen);
	/* The writer gone, its cache is freed at once. */
	KUNIT_EXPECT_EQ(test, oomhook_sm_psi(&sm, t + 2, COOLDOWN, HOLD, true),
			OOMHOOK_V_RUN_RELEASE_ONLY);
	oomhook_sm_done(&sm, t + 3, false, false, true, HOLD);
	/* Releases further apart than the hold are a streak of one. */
	pressure_without_streak(test, true, HOLD);
	/* PSI events (no releases only) never make a streak (o_freeze). */
	pressure_without_streak(test, false, MS(10));
}

/*
 * A writer killed at T0 left its files holding the memory: an OOM within
 * the cooldown runs the releasing policies first, one after it does not,
 * and neither does one with no such policy in the chain.  The streak of
 * releases that do not help still comes first.
 */
static void sm_oom_release_first(struct kunit *test)
{
	struct oomhook_sm sm;
	u64 t = T0 + 2;
	int i;

	victim_in_flight(&sm, false);
	oomhook_sm_exited(&sm, sm.gen);
	KUNIT_EXPECT_EQ(test, oom_at(&sm, t), OOMHOOK_V_RUN);
	oomhook_sm_done(&sm, t, false, false, false, HOLD);
	for (i = 0; i < OOMHOOK_RELEASE_STREAK_MAX; i++, t += MS(1)) {
		KUNIT_EXPECT_EQ(test, oomhook_sm_oom(&sm, t, COOLDOWN, HOLD,
						     true),
				OOMHOOK_V_RUN_RELEASE_FIRST);
		KUNIT_EXPECT_EQ(test, oomhook_sm_oom(&sm, t, COOLDOWN, HOLD,
						     true),
				OOMHOOK_V_WAIT);
		/* A release alone does not start the cooldown again. */
		oomhook_sm_done(&sm, t, false, false, true, HOLD);
	}
	KUNIT_EXPECT_EQ(test, oomhook_sm_oom(&sm, t, COOLDOWN, HOLD, true),
			OOMHOOK_V_RUN_NO_RELEASE);
	oomhook_sm_done(&sm, t, false, false, false, HOLD);
	/* The cooldown after the kill at T0 + 1 is over. */
	KUNIT_EXPECT_EQ(test, oomhook_sm_oom(&sm, T0 + 1 + COOLDOWN, COOLDOWN,
					     HOLD, true),
			OOMHOOK_V_RUN);
	oomhook_sm_done(&sm, T0 + 1 + COOLDOWN, false, false, false, HOLD);
	/* The kernel's kill is an action too (past its deferral). */
	oomhook_sm_fallback(&sm, T0 + 2 * COOLDOWN, HOLD);
	KUNIT_EXPECT_EQ(test, oomhook_sm_oom(&sm, T0 + 2 * COOLDOWN + HOLD,
					     COOLDOWN, HOLD, true),
			OOMHOOK_V_RUN_RELEASE_FIRST);
}

/*
 * What a victim left behind is released only: while it is in flight
 * nothing starts, and after, whatever the cooldown, a decision of releases
 * only, never one that may kill.
 */
static void sm_release_after_exit(struct kunit *test)
{
	struct oomhook_sm sm;

	victim_in_flight(&sm, true);
	KUNIT_EXPECT_EQ(test, oomhook_sm_release(&sm, T0 + 2),
			OOMHOOK_V_SUPPRESS_BUSY);
	oomhook_sm_exited(&sm, sm.gen);
	KUNIT_EXPECT_EQ(test, oomhook_sm_release(&sm, T0 + 2),
			OOMHOOK_V_RUN_RELEASE_ONLY);
	KUNIT_EXPECT_EQ(test, oomhook_sm_release(&sm, T0 + 3),
			OOMHOOK_V_SUPPRESS_BUSY);
	oomhook_sm_done(&sm, T0 + 4, false, false, true, HOLD);
	KUNIT_EXPECT_EQ(test, oomhook_sm_release(&sm, T0 + 2 * COOLDOWN),
			OOMHOOK_V_RUN_RELEASE_ONLY);
	oomhook_sm_done(&sm, T0 + 2 * COOLDOWN, false, false, false, HOLD);
	/* Nor after the kernel's kill, while its victim may be exiting. */
	oomhook_sm_fallback(&sm, T0 + 3 * COOLDOWN, HOLD);
	KUNIT_EXPECT_EQ(test, oomhook_sm_release(&sm, T0 + 3 * COOLDOWN + 1),
			OOMHOOK_V_SUPPRESS_BUSY);
}

static void sm_releases_spread_out(struct kunit *test)
{
	struct oomhook_sm sm;
	u64 t = T0;
	int i;

	oomhook_sm_init(&sm);
	for (i = 0; i < 2 * OOMHOOK_RELEASE_STREAK_MAX; i++) {
		KUNIT_EXPECT_EQ(test, oom_at(&sm, t), OOMHOOK_V_RUN);
		oomhook_sm_done(&sm, t, true, false, true, HOLD);
		t += HOLD;
	}
	/* And a kill resets a streak. */
	oom_at(&sm, t);
	oomhook_sm_done(&sm, t, true, false, true, HOLD);
	oom_at(&sm, t + 1);
	oomhook_sm_done(&sm, t + 2, true, false, true, HOLD);
	oom_at(&sm, t + 3);
	commit_land(&sm, t + 3);
	oomhook_sm_done(&sm, t + 4, true, true, false, HOLD);
	oomhook_sm_exited(&sm, sm.gen);
	KUNIT_EXPECT_EQ(test, sm.releases, 0);
	KUNIT_EXPECT_EQ(test, oom_at(&sm, t + 5), OOMHOOK_V_RUN);
}

static struct kunit_case oomhook_sm_cases[] = {
	KUNIT_CASE(sm_idle_runs),
	KUNIT_CASE(sm_kill_holds_then_exit),
	KUNIT_CASE(sm_exit_before_done),
	KUNIT_CASE(sm_hold_expires),
	KUNIT_CASE(sm_stuck_span),
	KUNIT_CASE(sm_hold_expires_while_running),
	KUNIT_CASE(sm_abandon),
	KUNIT_CASE(sm_abandon_after_commit),
	KUNIT_CASE(sm_hold_starts_when_landed),
	KUNIT_CASE(sm_land_needs_commit),
	KUNIT_CASE(sm_uncommit),
	KUNIT_CASE(sm_psi_cooldown),
	KUNIT_CASE(sm_psi_release_only),
	KUNIT_CASE(sm_psi_after_fallback),
	KUNIT_CASE(sm_psi_hold_expiry),
	KUNIT_CASE(sm_psi_stuck_span),
	KUNIT_CASE(sm_psi_keeps_hold_expiry),
	KUNIT_CASE(sm_progress_extends_hold),
	KUNIT_CASE(sm_progress_span),
	KUNIT_CASE(sm_progress_other),
	KUNIT_CASE(sm_releases_that_do_not_help),
	KUNIT_CASE(sm_low_releases_that_do_not_help),
	KUNIT_CASE(sm_oom_release_first),
	KUNIT_CASE(sm_release_after_exit),
	KUNIT_CASE(sm_releases_spread_out),
	{}
};

static struct kunit_suite oomhook_sm_suite = {
	.name = "oomhook_sm",
	.test_cases = oomhook_sm_cases,
};

kunit_test_suites(&oomhook_sm_suite);
