/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Declarations shared by the files of oomhook.ko; not an interface for
 * policy modules (see include/oomhook.h for that).
 */
#ifndef _OOMHOOK_INTERNAL_H
#define _OOMHOOK_INTERNAL_H

#include <linux/fs.h>
#include <linux/path.h>
#include <linux/poll.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "oomhook.h"

/* ---- tunables (main.c) ------------------------------------------------- */

extern struct oomhook_knob oomhook_enabled;
extern struct oomhook_knob oomhook_dry_run;
extern struct oomhook_knob oomhook_cooldown_ms;
extern struct oomhook_knob oomhook_budget_ms;
extern struct oomhook_knob oomhook_hold_ms;
extern struct oomhook_knob oomhook_low_mem_pct;
extern struct oomhook_knob oomhook_low_swap_pct;
extern struct oomhook_knob oomhook_low_ms;
extern struct oomhook_knob oomhook_limit_act;
extern struct oomhook_knob oomhook_kernel_kill;

/* ---- input parsing (parse.c); pure functions --------------------------- */

/* PSI accepts windows from 500 ms to 10 s (kernel/sched/psi.c). */
#define OOMHOOK_PSI_WINDOW_MIN_US	500000U
#define OOMHOOK_PSI_WINDOW_MAX_US	10000000U

enum oomhook_psi_kind {
	OOMHOOK_PSI_SOME,
	OOMHOOK_PSI_FULL,
};

/**
 * struct oomhook_psi_spec - a PSI trigger as configured
 * @path: cgroup whose memory.pressure is watched; "/" is system-wide.
 * @kind: some or full stall.
 * @threshold_us: stall time per window that fires the trigger.
 * @window_us: the window.
 */
struct oomhook_psi_spec {
	char path[OOMHOOK_PATH_MAX];
	enum oomhook_psi_kind kind;
	u32 threshold_us;
	u32 window_us;
};

enum oomhook_verb {
	OOMHOOK_VERB_ADD,
	OOMHOOK_VERB_DEL,
	OOMHOOK_VERB_CLEAR,
};

bool oomhook_valid_policy_name(const char *name);
int oomhook_parse_chain(const char *buf,
			char names[OOMHOOK_CHAIN_MAX][OOMHOOK_NAME_MAX]);
int oomhook_parse_psi_spec(const char *buf, struct oomhook_psi_spec *spec);
int oomhook_parse_psi_cmd(const char *buf, enum oomhook_verb *verb,
			  struct oomhook_psi_spec *spec);
int oomhook_parse_path_cmd(const char *buf, enum oomhook_verb *verb,
			   char *path, size_t len);
const char *oomhook_psi_kind_name(enum oomhook_psi_kind kind);

/* ---- decision state machine (sm.c); pure functions --------------------- */

enum oomhook_sm_state {
	OOMHOOK_SM_IDLE,
	OOMHOOK_SM_RUNNING,
	OOMHOOK_SM_HOLDING,
};

/**
 * enum oomhook_verdict - what the state machine tells a trigger to do
 * @OOMHOOK_V_RUN: start a decision (the machine is now RUNNING).
 * @OOMHOOK_V_WAIT: a decision is running, or its kill is under way but has
 *	not landed yet; wait for it (OOM only).
 * @OOMHOOK_V_HOLD: a victim is exiting; pick nobody else (OOM only).
 * @OOMHOOK_V_DEFER: the kernel's killer acted moments ago; leave this OOM
 *	to it too, as its own victim may still be exiting (OOM only).
 * @OOMHOOK_V_FALLBACK_BUSY: a decision overran its budget earlier and is
 *	still running; let the kernel's killer act (OOM only).
 * @OOMHOOK_V_FALLBACK_EXPIRED: the victim did not exit within the hold
 *	time; let the kernel's killer act (OOM only).
 * @OOMHOOK_V_RUN_NO_RELEASE: memory reported released several times in a
 *	row did not stop the OOMs, or the pressure: start a decision in which
 *	releases do not count, so that the chain goes on to a kill (or, at an
 *	OOM, the kernel's killer acts).
 * @OOMHOOK_V_RUN_RELEASE_ONLY: the cooldown holds decisions back, but
 *	memory is still low: start a decision in which only the policies that
 *	release memory without touching a task run (low only).
 * @OOMHOOK_V_RUN_RELEASE_FIRST: within the cooldown after an action, with
 *	a policy in the chain that releases memory without touching a task:
 *	start a decision that runs those policies first, and the rest of the
 *	chain only if they did not free enough (OOM only).
 * @OOMHOOK_V_SUPPRESS_BUSY: a decision or a victim is in flight (PSI only).
 * @OOMHOOK_V_SUPPRESS_COOLDOWN: too soon after the last action (PSI only).
 */
enum oomhook_verdict {
	OOMHOOK_V_RUN,
	OOMHOOK_V_WAIT,
	OOMHOOK_V_HOLD,
	OOMHOOK_V_DEFER,
	OOMHOOK_V_FALLBACK_BUSY,
	OOMHOOK_V_FALLBACK_EXPIRED,
	OOMHOOK_V_RUN_NO_RELEASE,
	OOMHOOK_V_RUN_RELEASE_ONLY,
	OOMHOOK_V_RUN_RELEASE_FIRST,
	OOMHOOK_V_SUPPRESS_BUSY,
	OOMHOOK_V_SUPPRESS_COOLDOWN,
};

/**
 * struct oomhook_sm - one decision or one victim in flight at a time
 * @state: see &enum oomhook_sm_state.
 * @gen: number of the current (or last) decision.
 * @abandoned: RUNNING: the OOM path stopped waiting for this decision.
 * @committed: RUNNING: the decision started its action (a kill).
 * @landed: the kill of decision @gen has been delivered (its tasks have
 *	SIGKILL pending): the hold runs from then.
 * @exited: the victim of decision @gen has exited.
 * @span_until_ns: landed: the end of the victim's span, beyond which no
 *	hold lasts and a victim still there counts as stuck for good.
 * @hold_until_ns: landed or HOLDING: when the hold ends.
 * @acted: @last_action_ns is valid.
 * @last_action_ns: when the last action was taken (for the cooldown).
 * @defer_until_ns: OOMs go to the kernel until then (after a fallback).
 * @releases: decisions in a row, each within hold time of the previous,
 *	that released memory without a kill.
 * @last_release_ns: when the last of them finished.
 *
 * All times are passed in, so that the machine can be tested with time
 * injected.  The caller serializes access.
 */
struct oomhook_sm {
	enum oomhook_sm_state state;
	u64 gen;
	bool abandoned;
	bool committed;
	bool landed;
	bool exited;
	u64 span_until_ns;
	u64 hold_until_ns;
	bool acted;
	u64 last_action_ns;
	u64 defer_until_ns;
	unsigned int releases;
	u64 last_release_ns;
};

/*
 * Releases in a row after which an OOM goes to the kernel's killer: a policy
 * that keeps reporting freed memory that does not help must not keep the
 * allocator retrying forever.
 */
#define OOMHOOK_RELEASE_STREAK_MAX	3

/*
 * A victim that keeps freeing memory is held for at most this many times
 * hold_ms after its kill landed (30 s at the default): long enough for a
 * victim of gigabytes to unmap under a slow kernel, short enough that one
 * freeing a page now and then cannot keep the kernel's killer away.
 */
#define OOMHOOK_HOLD_SPAN_MAX		10

void oomhook_sm_init(struct oomhook_sm *sm);
enum oomhook_verdict oomhook_sm_oom(struct oomhook_sm *sm, u64 now,
				    u64 cooldown_ns, u64 hold_ns,
				    bool release_first);
enum oomhook_verdict oomhook_sm_psi(struct oomhook_sm *sm, u64 now,
				    u64 cooldown_ns, u64 hold_ns,
				    bool release_only);
enum oomhook_verdict oomhook_sm_release(struct oomhook_sm *sm, u64 now);
bool oomhook_sm_commit(struct oomhook_sm *sm);
void oomhook_sm_landed(struct oomhook_sm *sm, u64 now, u64 hold_ns);
bool oomhook_sm_progress(struct oomhook_sm *sm, u64 gen, u64 now,
			 u64 hold_ns);
void oomhook_sm_uncommit(struct oomhook_sm *sm);
bool oomhook_sm_abandon(struct oomhook_sm *sm);
void oomhook_sm_done(struct oomhook_sm *sm, u64 now, bool acted,
		     bool in_flight, bool released, u64 hold_ns);
void oomhook_sm_fallback(struct oomhook_sm *sm, u64 now, u64 hold_ns);
void oomhook_sm_exited(struct oomhook_sm *sm, u64 gen);

/* ---- candidate ranking (rank.c); pure functions ------------------------ */

/* The effective protection of the root's children's parent: no bound. */
#define OOMHOOK_PROT_UNBOUNDED	ULONG_MAX

/**
 * struct oomhook_unit_node - what the walk knows of a memory cgroup
 * @online: not removed.
 * @populated: it or a descendant has tasks.
 * @omit: its class is omit (its own marker or an ancestor's).
 * @oom_group: memory.oom.group is set.
 * @root: the root cgroup.
 * @deepest: at the deepest level the walk keeps.
 */
struct oomhook_unit_node {
	bool online;
	bool populated;
	bool omit;
	bool oom_group;
	bool root;
	bool deepest;
};

enum oomhook_unit {
	OOMHOOK_UNIT_SKIP,
	OOMHOOK_UNIT_WHOLE,
	OOMHOOK_UNIT_LEAF,
};

/**
 * struct oomhook_leaf - a cgroup that is a unit unless the walk goes below
 * @pending: there is one.
 * @level: its level.
 */
struct oomhook_leaf {
	bool pending;
	int level;
};

enum oomhook_unit oomhook_unit_classify(const struct oomhook_unit_node *n);
bool oomhook_leaf_visit(struct oomhook_leaf *l, int level);
unsigned long oomhook_effective_protection(unsigned long usage,
					   unsigned long parent_usage,
					   unsigned long setting,
					   unsigned long parent_effective,
					   unsigned long siblings_protected,
					   bool recursive);
bool oomhook_candidate_eligible(const struct oomhook_candidate *c);
u64 oomhook_candidate_score(const struct oomhook_candidate *c);
bool oomhook_candidate_better(const struct oomhook_candidate *a,
			      const struct oomhook_candidate *b);
void oomhook_rank_offer(struct oomhook_candidate *best, bool *have_best,
			const struct oomhook_candidate *c);
bool oomhook_path_within(const char *path, const char *ancestor);

/* ---- the marker cache (marks.c) ---------------------------------------- */

/* The markers, as bits: BIT(OOMHOOK_MARKER_OMIT) and so on. */
enum oomhook_marker {
	OOMHOOK_MARKER_OMIT,
	OOMHOOK_MARKER_AVOID,
	OOMHOOK_MARKER_PREFER,
};

bool oomhook_marker_class(unsigned int user, unsigned int trusted,
			  bool root_owned, enum oomhook_class *class);
u8 oomhook_mark_state(bool marked, enum oomhook_class class);
enum oomhook_class oomhook_mark_apply(u8 state, enum oomhook_class inherited);
enum oomhook_class oomhook_marks_lookup(struct cgroup *cgrp,
					enum oomhook_class inherited,
					bool *unknown);
void oomhook_marks_refresh(void);
void oomhook_marks_kick(void);
int oomhook_marks_init(void);
void oomhook_marks_exit(void);

/* ---- selection (select.c) ---------------------------------------------- */

struct cgroup_subsys_state *oomhook_root_memcg_css(void);

/* ---- the reclaim doorbell (doorbell.c) --------------------------------- */

int oomhook_doorbell_init(void);
void oomhook_doorbell_exit(void);

/* ---- the low-memory trigger (low.c) ------------------------------------ */

/**
 * struct oomhook_low_cfg - the rule, from the low_* tunables
 * @mem_pct: available memory under this percentage of MemTotal; 0: off.
 * @swap_pct: and free swap under this percentage of the swap space; 100:
 *	memory alone decides.
 * @duration_ns: both for this long.
 */
struct oomhook_low_cfg {
	unsigned int mem_pct;
	unsigned int swap_pct;
	u64 duration_ns;
};

/**
 * struct oomhook_low_sample - the counters, in pages
 * @avail: available memory (si_mem_available()).
 * @total: MemTotal.
 * @swap_free: free swap.
 * @swap_total: the swap space; 0 without swap.
 */
struct oomhook_low_sample {
	unsigned long avail;
	unsigned long total;
	unsigned long swap_free;
	unsigned long swap_total;
};

/**
 * enum oomhook_low_level - how low memory is (oomhook_low_level())
 * @OOMHOOK_LOW_CALM: above twice the threshold, or the trigger is off.
 * @OOMHOOK_LOW_NEAR: under twice the threshold: the sampler watches.
 * @OOMHOOK_LOW_UNDER: under the threshold, memory and swap.
 * @OOMHOOK_LOW_DEEP: and memory under half of it: act at once.
 */
enum oomhook_low_level {
	OOMHOOK_LOW_CALM,
	OOMHOOK_LOW_NEAR,
	OOMHOOK_LOW_UNDER,
	OOMHOOK_LOW_DEEP,
};

/* Why the low trigger acted (enum oomhook_low_step's FIRE). */
enum oomhook_low_why {
	OOMHOOK_LOW_WHY_NONE,
	OOMHOOK_LOW_WHY_DURATION,
	OOMHOOK_LOW_WHY_DEEP,
	OOMHOOK_LOW_WHY_FALLING,
};

/**
 * struct oomhook_low - the sampler's state
 * @level: the level at the last look.
 * @why: why the last FIRE was.
 * @below: memory has been low since @below_since_ns.
 * @below_since_ns: see @below; after an action, the time of the action.
 * @above: memory has been above the arming level since @above_since_ns.
 * @above_since_ns: see @above.
 * @have_prev: the anchors below are set.
 * @anchor_avail: available memory at the look the rate of fall is taken
 *	from, in pages.
 * @anchor_ns: when.
 * @mid_avail: available memory at the look that becomes the anchor next.
 * @mid_ns: when.
 */
struct oomhook_low {
	enum oomhook_low_level level;
	enum oomhook_low_why why;
	bool below;
	u64 below_since_ns;
	bool above;
	u64 above_since_ns;
	bool have_prev;
	unsigned long anchor_avail;
	u64 anchor_ns;
	unsigned long mid_avail;
	u64 mid_ns;
};

enum oomhook_low_step {
	OOMHOOK_LOW_IDLE,
	OOMHOOK_LOW_WATCH,
	OOMHOOK_LOW_FIRE,
};

int oomhook_parse_meminfo(const char *text, const char *key, u64 *kb);
enum oomhook_low_level oomhook_low_level(const struct oomhook_low_cfg *cfg,
					 const struct oomhook_low_sample *s);
u64 oomhook_low_wanted(const struct oomhook_low_cfg *cfg,
		       const struct oomhook_low_sample *s, unsigned int factor);
enum oomhook_low_step oomhook_low_step(struct oomhook_low *st,
				       const struct oomhook_low_cfg *cfg,
				       const struct oomhook_low_sample *s,
				       u64 now, u64 *next_ns);
void oomhook_low_rung(void);
void oomhook_low_init(void);
bool oomhook_low_leftover_acts(const struct oomhook_low_cfg *cfg,
			       const struct oomhook_low_sample *s,
			       unsigned long left);
void oomhook_low_leftover(unsigned long left);
void oomhook_low_exit(void);
bool oomhook_low_fired(u64 fired_ns, u64 wanted, u64 wanted_release);
bool oomhook_low_release(u64 fired_ns, u64 wanted);
bool oomhook_limit_fired(const char *trigger, const char *path,
			 struct cgroup *cgrp, u64 fired_ns, u64 wanted);

/* ---- events ring and counters (events.c) ------------------------------- */

#define OOMHOOK_EVENTS_MAX	32
#define OOMHOOK_TRIGGER_MAX	(OOMHOOK_PATH_MAX + 16)

/**
 * enum oomhook_outcome - how a decision ended
 * @OOMHOOK_OUT_NONE: no policy found anything to do.
 * @OOMHOOK_OUT_PENDING: a victim was killed; its exit is not seen yet.
 * @OOMHOOK_OUT_EXITED: the victim's cgroup has no task left.
 * @OOMHOOK_OUT_HOLD_EXPIRED: the victim did not exit within hold_ms.
 * @OOMHOOK_OUT_DRY_RUN: dry-run mode: nothing was changed.
 * @OOMHOOK_OUT_FREED: memory was released without a kill.
 * @OOMHOOK_OUT_ERROR: every policy that ran failed.
 * @OOMHOOK_OUT_TIMEOUT: the decision overran its budget.
 * @OOMHOOK_OUT_MISSED: the kernel's killer, steered to the victim, killed
 *	elsewhere.
 */
enum oomhook_outcome {
	OOMHOOK_OUT_NONE,
	OOMHOOK_OUT_PENDING,
	OOMHOOK_OUT_EXITED,
	OOMHOOK_OUT_HOLD_EXPIRED,
	OOMHOOK_OUT_DRY_RUN,
	OOMHOOK_OUT_FREED,
	OOMHOOK_OUT_ERROR,
	OOMHOOK_OUT_TIMEOUT,
	OOMHOOK_OUT_MISSED,
};

/**
 * struct oomhook_record - one decision, as shown in the events file
 * @seq: sequence number, from 1.
 * @time_ns: ktime_get_ns() when the trigger fired.
 * @trigger: "oom", "low" or "psi:<path>:<kind>".
 * @policy: the policy that acted, "" when none did.
 * @action: what it did.
 * @victim: cgroup acted upon, "" when none.
 * @bytes: bytes freed or expected to be freed.
 * @latency_us: from the trigger to the end of the action.
 * @outcome: see &enum oomhook_outcome.
 * @exit_ms: OOMHOOK_OUT_EXITED: from the action to the victim's exit.
 * @fallback: the kernel's OOM killer was left to act.
 * @error: the last policy error, 0 if none.
 */
struct oomhook_record {
	u64 seq;
	u64 time_ns;
	char trigger[OOMHOOK_TRIGGER_MAX];
	char policy[OOMHOOK_NAME_MAX];
	enum oomhook_action action;
	char victim[OOMHOOK_PATH_MAX];
	u64 bytes;
	u64 latency_us;
	enum oomhook_outcome outcome;
	u64 exit_ms;
	bool fallback;
	int error;
};

/**
 * struct oomhook_ring - the most recent decisions
 * @lock: protects everything below.
 * @next_seq: sequence number of the next record.
 * @rec: records; slot (seq % OOMHOOK_EVENTS_MAX).
 */
struct oomhook_ring {
	spinlock_t lock; /* see above */
	u64 next_seq;
	struct oomhook_record rec[OOMHOOK_EVENTS_MAX];
};

void oomhook_ring_init(struct oomhook_ring *ring);
u64 oomhook_ring_add(struct oomhook_ring *ring, const struct oomhook_record *r);
bool oomhook_ring_update(struct oomhook_ring *ring, u64 seq,
			 enum oomhook_outcome outcome, u64 exit_ms,
			 bool fallback);
int oomhook_ring_format(const struct oomhook_record *r, char *buf,
			size_t size);
ssize_t oomhook_ring_show(struct oomhook_ring *ring, char *buf, size_t size);
const char *oomhook_action_name(enum oomhook_action action);
const char *oomhook_outcome_name(enum oomhook_outcome outcome);

extern struct oomhook_ring oomhook_events;

/*
 * Counters.  Each OOM notifier call ends in exactly one of oom_handled,
 * oom_held, oom_steered, oom_passthrough, oom_deferred or one of the
 * fallback_* counters; each PSI
 * event in exactly one of psi_runs, psi_suppressed_* or psi_passthrough.
 */
enum oomhook_stat {
	OOMHOOK_STAT_TRIGGERS_OOM,
	OOMHOOK_STAT_TRIGGERS_PSI,
	OOMHOOK_STAT_OOM_HANDLED,
	OOMHOOK_STAT_OOM_HELD,
	OOMHOOK_STAT_OOM_PASSTHROUGH,
	OOMHOOK_STAT_OOM_DEFERRED,
	OOMHOOK_STAT_PSI_RUNS,
	OOMHOOK_STAT_PSI_SUPPRESSED_BUSY,
	OOMHOOK_STAT_PSI_SUPPRESSED_COOLDOWN,
	OOMHOOK_STAT_PSI_PASSTHROUGH,
	OOMHOOK_STAT_RUNS,
	OOMHOOK_STAT_RUNS_NO_RELEASE,
	OOMHOOK_STAT_ACTIONS,
	OOMHOOK_STAT_KILLS,
	OOMHOOK_STAT_DRY_RUNS,
	OOMHOOK_STAT_VICTIMS_EXITED,
	OOMHOOK_STAT_FALLBACKS,
	OOMHOOK_STAT_FALLBACK_NONE,
	OOMHOOK_STAT_FALLBACK_ERROR,
	OOMHOOK_STAT_FALLBACK_TIMEOUT,
	OOMHOOK_STAT_FALLBACK_BUSY,
	OOMHOOK_STAT_FALLBACK_HOLD_EXPIRED,
	OOMHOOK_STAT_FALLBACK_NO_PROGRESS,
	OOMHOOK_STAT_ERRORS,
	OOMHOOK_STAT_POLICIES_DISABLED,
	OOMHOOK_STAT_TRIGGERS_GONE,
	OOMHOOK_STAT_OOM_INLINE,
	OOMHOOK_STAT_WALKS_CUT,
	OOMHOOK_STAT_MARKS_REFRESHES,
	OOMHOOK_STAT_MARKS_CHANGED,
	OOMHOOK_STAT_KILLS_FOLLOWED_UP,
	OOMHOOK_STAT_DOORBELL_RINGS,
	OOMHOOK_STAT_HOLDS_EXTENDED,
	OOMHOOK_STAT_TRIGGERS_LOW,
	OOMHOOK_STAT_LOW_RUNS,
	OOMHOOK_STAT_LOW_SUPPRESSED_BUSY,
	OOMHOOK_STAT_LOW_SUPPRESSED_COOLDOWN,
	OOMHOOK_STAT_LOW_PASSTHROUGH,
	OOMHOOK_STAT_LOW_ARMED,
	OOMHOOK_STAT_LOW_SAMPLES,
	OOMHOOK_STAT_LOW_RELEASE_ONLY,
	OOMHOOK_STAT_OOM_RELEASE_FIRST,
	OOMHOOK_STAT_LOW_LEFTOVER,
	OOMHOOK_STAT_MEMCG_OOM_KILLS,
	OOMHOOK_STAT_MEMCG_OOM_UNRECORDED,
	OOMHOOK_STAT_TRIGGERS_LIMIT,
	OOMHOOK_STAT_LIMIT_RUNS,
	OOMHOOK_STAT_LIMIT_SUPPRESSED_BUSY,
	OOMHOOK_STAT_LIMIT_SUPPRESSED_COOLDOWN,
	OOMHOOK_STAT_LIMIT_PASSTHROUGH,
	OOMHOOK_STAT_LIMIT_CHECKS,
	OOMHOOK_STAT_KERNEL_OOM_KILLS,
	OOMHOOK_STAT_OOM_STEERED,
	OOMHOOK_STAT_STEER_HITS,
	OOMHOOK_STAT_STEER_MISSED,
	OOMHOOK_STAT_STEER_GONE,
	OOMHOOK_STAT_STEER_EXPIRED,
	OOMHOOK_STAT_STEER_UNKILLABLE,
	OOMHOOK_NR_STATS,
};

void oomhook_count(enum oomhook_stat stat);
ssize_t oomhook_stats_show(char *buf);

/* ---- the private cgroup2 view (cgfs.c) --------------------------------- */

int oomhook_cgfs_init(const char *mountpoint);
void oomhook_cgfs_exit(void);
struct vfsmount *oomhook_cg_mnt(void);
int oomhook_cg_lookup(const char *cgpath, struct path *dir);
int oomhook_cg_dir(struct cgroup *cgrp, char *buf, size_t size,
		   struct path *dir);
bool oomhook_cg_root_owned(const struct path *dir);
int oomhook_cg_xattr_add(const struct path *dir, const char *name, u64 n);
struct file *oomhook_cg_open(const struct path *dir, const char *name,
			     int flags);
void oomhook_cg_close(struct file *file);
int oomhook_cg_read(const struct path *dir, const char *name, char *buf,
		    size_t size);
int oomhook_cg_read_file(struct file *file, char *buf, size_t size);
/* Enough for any single-value cgroup file ("max\n", a u64 in decimal). */
#define OOMHOOK_VALUE_MAX	32
int oomhook_cg_write(const struct path *dir, const char *name,
		     const char *val);
int oomhook_cg_read_u64(const struct path *dir, const char *name, u64 *val);
int oomhook_cg_read_key(const struct path *dir, const char *name,
			const char *key, u64 *val);
int oomhook_parse_key(const char *text, const char *key, u64 *val);

/* ---- watches: woken by kernfs poll notifications (watch.c) ------------- */

/**
 * struct oomhook_watch - an open file whose poll notifications queue work
 * @lock: protects @file and @armed.
 * @file: the watched file, while armed.
 * @whead: the poll queue @wait is on.
 * @wait: our entry on @whead.
 * @pt: used once, to find @whead.
 * @work: queued by each wake-up.
 * @armed: @wait is on @whead.
 * @woken_ns: when the last wake-up came.
 */
struct oomhook_watch {
	spinlock_t lock; /* see above */
	struct file *file;
	wait_queue_head_t *whead;
	wait_queue_entry_t wait;
	poll_table pt;
	struct work_struct work;
	bool armed;
	u64 woken_ns;
};

void oomhook_watch_init(struct oomhook_watch *w, work_func_t fn);
int oomhook_watch_arm(struct oomhook_watch *w, struct file *file);
struct file *oomhook_watch_file(struct oomhook_watch *w);
struct file *oomhook_watch_disarm(struct oomhook_watch *w);
void oomhook_watch_stop(struct oomhook_watch *w);

/* ---- memcg-limit OOMs, recorded (limits.c) ----------------------------- */

/**
 * struct oomhook_limit_stat - a memory cgroup at its limit, as read
 * @usage: its memory usage, bytes.
 * @max: its memory.max, bytes.
 * @anon: anonymous memory (memory.stat), bytes.
 * @file: page cache, shared memory and tmpfs included (memory.stat), bytes.
 * @shmem: shared memory and tmpfs (memory.stat), bytes.
 * @swap_room: swap it may still use: the least room under memory.swap.max
 *	of it and its ancestors, and at most the free swap, bytes.
 */
struct oomhook_limit_stat {
	u64 usage;
	u64 max;
	u64 anon;
	u64 file;
	u64 shmem;
	u64 swap_room;
};

u64 oomhook_limit_band(u64 max);
bool oomhook_limit_pinned(u64 usage, u64 max);
u64 oomhook_limit_reclaimable(const struct oomhook_limit_stat *s);
bool oomhook_limit_exhausted(const struct oomhook_limit_stat *s, u64 *wanted);
int oomhook_limits_guard_cmd(const char *buf);
ssize_t oomhook_limits_guard_show(char *buf);
void oomhook_limits_init(void);
void oomhook_limits_exit(void);

/* ---- policy registry and the active chain (registry.c) ----------------- */

/**
 * struct oomhook_chain - the active policies, in order
 * @rcu: frees the chain after readers are done.
 * @ref: one for being active, one per decision using it.
 * @nr: number of policies.
 * @policy: the policies; each holds a reference on its module.
 */
struct oomhook_chain {
	struct rcu_head rcu;
	refcount_t ref;
	int nr;
	struct oomhook_policy *policy[OOMHOOK_CHAIN_MAX];
};

bool oomhook_chain_armed(void);
bool oomhook_chain_releases(void);
struct oomhook_chain *oomhook_chain_get(void);
void oomhook_chain_put(struct oomhook_chain *chain);
int oomhook_chain_set(char names[OOMHOOK_CHAIN_MAX][OOMHOOK_NAME_MAX], int nr,
		      bool autoload);
ssize_t oomhook_policy_show(char *buf);
void oomhook_registry_exit(void);

/* Consecutive faults after which a policy is dropped from the chain. */
#define OOMHOOK_POLICY_FAULTS_MAX	3

void oomhook_policy_fault(struct oomhook_policy *policy, int error);
void oomhook_policy_ok(struct oomhook_policy *policy);

/* ---- PSI triggers (psi.c) ---------------------------------------------- */

int oomhook_psi_add(const struct oomhook_psi_spec *spec);
int oomhook_psi_del(const struct oomhook_psi_spec *spec);
void oomhook_psi_clear(void);
ssize_t oomhook_psi_show(char *buf);
void oomhook_psi_fired(const char *trigger, const char *path,
		       struct cgroup *cgrp, u64 fired_ns);

/* ---- decisions (main.c) and actions (action.c) ------------------------- */

extern struct workqueue_struct *oomhook_wq;

u64 oomhook_knob_ns(const struct oomhook_knob *knob);

bool oomhook_run_commit(const struct oomhook_event *ev);
void oomhook_run_landed(const struct oomhook_event *ev);
void oomhook_run_uncommit(const struct oomhook_event *ev);
int oomhook_run_pin(const struct oomhook_event *ev, struct cgroup *cgrp);
u64 oomhook_run_gen(const struct oomhook_event *ev);
void oomhook_victim_exited(u64 gen, unsigned long left);
void oomhook_victim_progress(u64 gen, u64 now);
void oomhook_victim_missed(u64 gen);
void oomhook_track_victim(struct cgroup *cgrp, u64 gen, u64 now,
			  unsigned int killed, bool reported, bool steered);
void oomhook_track_follow_up(u64 gen);
void oomhook_track_missed(u64 gen);
void oomhook_track_set_seq(u64 gen, u64 seq);
void oomhook_track_expired(bool fallback);
void oomhook_track_update(u64 now);
void oomhook_track_stop(void);
struct cgroup *oomhook_track_pending(void);

/* ---- the kernel's killer executes the choice (steer.c) ----------------- */

/**
 * enum oomhook_steer_end - how a pending steer ended, if it did
 * @STEER_END_NONE: still pending, or no steer.
 * @STEER_END_HIT: the kernel killed the cgroup.
 * @STEER_END_MISSED: the kernel killed elsewhere.
 * @STEER_END_GONE: the cgroup emptied first.
 * @STEER_END_EXPIRED: the kernel killed nobody within hold_ms.
 */
enum oomhook_steer_end {
	STEER_END_NONE,
	STEER_END_HIT,
	STEER_END_MISSED,
	STEER_END_GONE,
	STEER_END_EXPIRED,
};

/* Time the kernel may take from counting a kill to marking its victim. */
#define OOMHOOK_STEER_SETTLE_MS	100

enum oomhook_steer_end oomhook_steer_verdict(bool taken, bool rose,
					     u64 rise_age, bool populated,
					     u64 age, u64 hold);

int oomhook_steer(struct cgroup *cgrp, u64 gen, unsigned int *killable);
bool oomhook_steer_update(void);
bool oomhook_steer_claim(struct cgroup *victim);
void oomhook_steer_exited(void);
void oomhook_steer_stop(void);

/* ---- sysfs (sysfs.c) --------------------------------------------------- */

int oomhook_sysfs_init(void);
void oomhook_sysfs_stop(void);
void oomhook_sysfs_exit(void);
void oomhook_sysfs_notify_events(void);
int oomhook_sysfs_add_policy(struct oomhook_policy *policy);
void oomhook_sysfs_del_policy(struct oomhook_policy *policy);

#endif /* _OOMHOOK_INTERNAL_H */
