// SPDX-License-Identifier: GPL-2.0
/*
 * The low-memory trigger: act when available memory and free swap have
 * both stayed under their thresholds (low_mem_pct of MemTotal, low_swap_pct
 * of the swap space) for low_ms, before anything stalls or runs out.  This
 * is the rule of earlyoom and nohang, without their polling loop.
 *
 * Nothing runs while memory is plentiful.  Global reclaim rings the
 * doorbell (doorbell.c) as memory runs short; a ring reads the counters (a
 * few loads, O(zones)), and once available memory is under twice the
 * threshold it arms the sampler: a delayed work that reads them
 * every OOMHOOK_LOW_PERIOD_MS, for as long as memory stays under that
 * arming level, and stops once it has been above it for
 * OOMHOOK_LOW_DISARM_MS.  The sampler covers the time kswapd sleeps while
 * memory stays low (free pages above the low watermark, little cache left
 * to reclaim).  A ring that sees memory lower than the sampler saw it last
 * has the sampler look at once, rather than at its next period.
 *
 * When the sampler finds memory low for low_ms, or sooner when a fast leak
 * would reach the OOM before low_ms is over (memory deep under the
 * threshold, under half of it; or falling so fast that what is left would
 * be gone within what remains of low_ms and within 200 ms), it starts a
 * decision
 * (trigger "low") through the same state machine as a PSI event: the
 * cooldown, one decision or victim in flight at a time.  Memory that stays
 * low after the cooldown starts another; within the cooldown, it starts a
 * decision of releases only (main.c), so a policy that releases memory
 * without touching a task (tmpfs) keeps releasing, after a kill too.  The
 * first low_ms of each decision start again after each action.
 *
 * A victim that exits leaving memory charged to its cgroup (its files in a
 * tmpfs, shared memory), at least low_mem_pct of MemTotal, while available
 * memory is under the release level (five times low_mem_pct) and swap is
 * low, gets one more look: a decision of releases only, whatever the
 * cooldown, that asks for memory back to that level.  The kill did not
 * bring memory back, because of what the victim left; nothing calls for a
 * second kill, and below the threshold the sampler would act anyway.
 *
 * The total swap space is not exported; it is read from /proc/meminfo,
 * opened at load, by the sampler each time it is armed (the file keeps its
 * buffer, so that read allocates nothing).  The ring uses the value last
 * read.  The arithmetic (oomhook_low_step()) is pure, with time passed in,
 * for KUnit.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/string.h>
#include <linux/swap.h>
#include <linux/workqueue.h>
#include <kunit/visibility.h>

#include "internal.h"

/* The sampler's period while armed. */
#define OOMHOOK_LOW_PERIOD_MS		100
/* Memory above the arming level this long disarms the sampler. */
#define OOMHOOK_LOW_DISARM_MS		1000
/* The sampler is armed under this many times low_mem_pct. */
#define OOMHOOK_LOW_ARM_FACTOR		2
/*
 * A decision of releases only (memory still low in the cooldown after a
 * kill, because a cache holds it) asks for memory back to this many times
 * low_mem_pct: well clear of the arming level, so that the cache that ran
 * the machine low is cut back once, not a sliver at a time.
 */
#define OOMHOOK_LOW_RELEASE_FACTOR	5
/* Under low_mem_pct divided by this, the trigger acts without waiting. */
#define OOMHOOK_LOW_DEEP_DIV		2
/*
 * The rate of fall is taken over at least OOMHOOK_LOW_RATE_MIN_MS (looks
 * prompted by the doorbell can come 10 ms apart), and once the sampler has
 * watched that long, over half to all of OOMHOOK_LOW_RATE_SPAN_MS.
 */
#define OOMHOOK_LOW_RATE_MIN_MS		50
#define OOMHOOK_LOW_RATE_SPAN_MS	1000
/*
 * Memory that would run out within this many of the sampler's periods, at
 * that rate, is acted on without waiting for low_ms.  A slow creep whose
 * rate looks high for a moment (1 MB allocated within 50 ms) is not.
 */
#define OOMHOOK_LOW_HORIZON_LOOKS	2
/* Least time between two rings that read the counters. */
#define OOMHOOK_LOW_RING_GAP_MS		10
/* Enough for all of /proc/meminfo. */
#define OOMHOOK_MEMINFO_MAX		4096
#define PCT				100
/* Pages to MB, for the kernel log. */
#define MB(pages)			((pages) >> (20 - PAGE_SHIFT))
/* Room for the reason in the kernel log's line. */
#define OOMHOOK_LOW_WHY_MAX		48

/* ---- the rule; pure functions ------------------------------------------ */

/* Whether @part is under @pct percent of @whole. */
static bool under_pct(unsigned long part, unsigned long whole,
		      unsigned int pct)
{
	return (u64)part * PCT < (u64)whole * pct;
}

/**
 * oomhook_low_level() - how low memory is, by the rule
 * @cfg: the thresholds.
 * @s: the counters.
 *
 * Under the threshold means available memory under low_mem_pct and free
 * swap under low_swap_pct (without swap, or with low_swap_pct at 100,
 * memory alone decides); deep, the same with available memory under half
 * of low_mem_pct; near, available memory under twice low_mem_pct, where
 * the sampler watches.
 *
 * Return: the level; %OOMHOOK_LOW_CALM when the trigger is off.
 */
enum oomhook_low_level oomhook_low_level(const struct oomhook_low_cfg *cfg,
					 const struct oomhook_low_sample *s)
{
	unsigned int pct = cfg->mem_pct;
	bool swap_low;

	if (!pct)
		return OOMHOOK_LOW_CALM;
	if (!under_pct(s->avail, s->total,
		       min_t(unsigned int, PCT, pct * OOMHOOK_LOW_ARM_FACTOR)))
		return OOMHOOK_LOW_CALM;
	swap_low = !s->swap_total || cfg->swap_pct >= PCT ||
		   under_pct(s->swap_free, s->swap_total, cfg->swap_pct);
	if (!swap_low || !under_pct(s->avail, s->total, pct))
		return OOMHOOK_LOW_NEAR;
	/* Twice the memory against the threshold: under half of it. */
	if (under_pct(s->avail * OOMHOOK_LOW_DEEP_DIV, s->total, pct))
		return OOMHOOK_LOW_DEEP;
	return OOMHOOK_LOW_UNDER;
}
EXPORT_SYMBOL_IF_KUNIT(oomhook_low_level);

/**
 * oomhook_parse_meminfo() - find "Key:   value kB" in /proc/meminfo's text
 * @text: the text, NUL-terminated.
 * @key: the key, e.g. "SwapTotal".
 * @kb: receives the value.
 *
 * Return: 0, -ENOENT if @key is absent, -EINVAL for a malformed value.
 */
int oomhook_parse_meminfo(const char *text, const char *key, u64 *kb)
{
	size_t klen = strlen(key);
	const char *line;

	for (line = text; line && *line; line = strchr(line, '\n')) {
		if (*line == '\n')
			line++;
		if (strncmp(line, key, klen) || line[klen] != ':')
			continue;
		return sscanf(skip_spaces(line + klen + 1), "%llu kB", kb) == 1 ?
		       0 : -EINVAL;
	}
	return -ENOENT;
}
EXPORT_SYMBOL_IF_KUNIT(oomhook_parse_meminfo);

/**
 * oomhook_low_wanted() - what would bring memory back to a level
 * @cfg: the thresholds.
 * @s: the counters.
 * @factor: the level, in times low_mem_pct (at most all of memory).
 *
 * Return: bytes, at least a page.
 */
u64 oomhook_low_wanted(const struct oomhook_low_cfg *cfg,
		       const struct oomhook_low_sample *s, unsigned int factor)
{
	unsigned int pct = min_t(unsigned int, PCT, cfg->mem_pct * factor);
	u64 level = div_u64((u64)s->total * pct, PCT);

	return max_t(u64, level > s->avail ? level - s->avail : 0, 1) <<
	       PAGE_SHIFT;
}
EXPORT_SYMBOL_IF_KUNIT(oomhook_low_wanted);

/**
 * oomhook_low_leftover_acts() - whether what a victim left is worth a release
 * @cfg: the thresholds.
 * @s: the counters.
 * @left: pages still charged to the victim's cgroup after it exited.
 *
 * Return: true when the trigger is on, @left is at least low_mem_pct of
 * memory, available memory is under the release level and swap is low as
 * the rule has it.
 */
bool oomhook_low_leftover_acts(const struct oomhook_low_cfg *cfg,
			       const struct oomhook_low_sample *s,
			       unsigned long left)
{
	unsigned int pct = cfg->mem_pct;

	if (!pct || under_pct(left, s->total, pct))
		return false;
	if (!under_pct(s->avail, s->total,
		       min_t(unsigned int, PCT,
			     pct * OOMHOOK_LOW_RELEASE_FACTOR)))
		return false;
	return !s->swap_total || cfg->swap_pct >= PCT ||
	       under_pct(s->swap_free, s->swap_total, cfg->swap_pct);
}
EXPORT_SYMBOL_IF_KUNIT(oomhook_low_leftover_acts);

/**
 * oomhook_low_step() - one look at the counters by the sampler
 * @st: the sampler's state.
 * @cfg: the thresholds and the duration.
 * @s: the counters.
 * @now: the time.
 * @next_ns: set to when to look again (from @now), unless the sampler
 *	stops.
 *
 * Return: %OOMHOOK_LOW_FIRE when memory has been under the threshold for
 * the duration (the next action needs as long again), or sooner: at once
 * when it is deep under it, or when at the rate it fell lately it would run
 * out before the duration is over and within two periods of the sampler (a
 * fast leak would reach the OOM first); %OOMHOOK_LOW_WATCH to look again; %OOMHOOK_LOW_IDLE when
 * the sampler may stop.
 */
enum oomhook_low_step oomhook_low_step(struct oomhook_low *st,
				       const struct oomhook_low_cfg *cfg,
				       const struct oomhook_low_sample *s,
				       u64 now, u64 *next_ns)
{
	u64 period = (u64)OOMHOOK_LOW_PERIOD_MS * NSEC_PER_MSEC;
	u64 rate_min = (u64)OOMHOOK_LOW_RATE_MIN_MS * NSEC_PER_MSEC;
	u64 half_span = (u64)OOMHOOK_LOW_RATE_SPAN_MS * NSEC_PER_MSEC / 2;
	enum oomhook_low_level level = oomhook_low_level(cfg, s);
	u64 low_for, span, drop = 0, dt = 0;
	bool falling;

	*next_ns = period;
	if (!cfg->mem_pct) {
		memset(st, 0, sizeof(*st));
		return OOMHOOK_LOW_IDLE;
	}
	st->level = level;
	/*
	 * The rate of fall since the anchor, a look between half of
	 * OOMHOOK_LOW_RATE_SPAN_MS and all of it ago (or since the sampler
	 * was armed, or memory last rose): long enough that one jump of
	 * available memory (a huge page collapsed, a burst of allocations)
	 * is not taken for a leak, short enough to follow one.
	 */
	if (!st->have_prev || s->avail > st->anchor_avail) {
		st->have_prev = true;
		st->anchor_avail = s->avail;
		st->anchor_ns = now;
		st->mid_avail = s->avail;
		st->mid_ns = now;
	}
	span = now - st->anchor_ns;
	falling = span >= rate_min && s->avail < st->anchor_avail;
	if (falling) {
		drop = st->anchor_avail - s->avail;
		dt = span;
	}
	if (now - st->mid_ns >= half_span) {
		st->anchor_avail = st->mid_avail;
		st->anchor_ns = st->mid_ns;
		st->mid_avail = s->avail;
		st->mid_ns = now;
	}
	if (level >= OOMHOOK_LOW_UNDER) {
		st->above = false;
		if (!st->below) {
			st->below = true;
			st->below_since_ns = now;
		}
		low_for = now - st->below_since_ns;
		/*
		 * Falling: at the rate it fell lately, what is left runs out
		 * before low_ms is over and before two more looks (avail /
		 * rate < that): waiting would only leave it to the OOM.
		 */
		if (low_for < cfg->duration_ns && falling &&
		    (u64)s->avail * dt <
		    drop * min(cfg->duration_ns - low_for,
			       (u64)OOMHOOK_LOW_HORIZON_LOOKS * period))
			st->why = OOMHOOK_LOW_WHY_FALLING;
		else if (level == OOMHOOK_LOW_DEEP)
			st->why = OOMHOOK_LOW_WHY_DEEP;
		else if (low_for >= cfg->duration_ns)
			st->why = OOMHOOK_LOW_WHY_DURATION;
		else
			st->why = OOMHOOK_LOW_WHY_NONE;
		if (st->why != OOMHOOK_LOW_WHY_NONE) {
			st->below_since_ns = now;
			return OOMHOOK_LOW_FIRE;
		}
		*next_ns = min(period, cfg->duration_ns - low_for);
		/* No rate yet: look again as soon as there is one. */
		if (!falling && span < rate_min)
			*next_ns = min(*next_ns, rate_min - span);
		return OOMHOOK_LOW_WATCH;
	}
	st->below = false;
	if (level == OOMHOOK_LOW_NEAR) {
		st->above = false;
		return OOMHOOK_LOW_WATCH;
	}
	if (!st->above) {
		st->above = true;
		st->above_since_ns = now;
	}
	if (now - st->above_since_ns >= (u64)OOMHOOK_LOW_DISARM_MS * NSEC_PER_MSEC) {
		st->above = false;
		return OOMHOOK_LOW_IDLE;
	}
	return OOMHOOK_LOW_WATCH;
}
EXPORT_SYMBOL_IF_KUNIT(oomhook_low_step);

/* ---- the sampler ------------------------------------------------------- */

static const char * const oomhook_low_why[] = {
	[OOMHOOK_LOW_WHY_NONE] = "",
	[OOMHOOK_LOW_WHY_DURATION] = "for low_ms",
	[OOMHOOK_LOW_WHY_DEEP] = "under half the threshold",
	[OOMHOOK_LOW_WHY_FALLING] = "falling too fast to wait for low_ms",
};

static struct oomhook_low oomhook_low_state;	/* the sampler's own */
static struct delayed_work oomhook_low_work;
static struct work_struct oomhook_low_left_work;
/* Pages the last victim left charged, for oomhook_low_left_work. */
static atomic_long_t oomhook_low_left = ATOMIC_LONG_INIT(0);
static struct file *oomhook_meminfo;
static char oomhook_meminfo_buf[OOMHOOK_MEMINFO_MAX];
static atomic_long_t oomhook_swap_total = ATOMIC_LONG_INIT(0);
/* The sampler: not armed, armed by the doorbell, running. */
enum {
	SAMPLER_OFF,
	SAMPLER_ARMED,
	SAMPLER_RUNNING,
};

static atomic_t oomhook_low_armed = ATOMIC_INIT(SAMPLER_OFF);
static atomic64_t oomhook_low_rung_ns = ATOMIC64_INIT(0);
/* Set once the module goes: nothing arms the sampler again. */
static bool oomhook_low_stopping;
/* The level the sampler saw last; a ring that sees it lower prompts it. */
static int oomhook_low_seen = OOMHOOK_LOW_CALM;

static void low_cfg(struct oomhook_low_cfg *cfg)
{
	cfg->mem_pct = oomhook_knob_get(&oomhook_low_mem_pct);
	cfg->swap_pct = oomhook_knob_get(&oomhook_low_swap_pct);
	cfg->duration_ns = (u64)oomhook_knob_get(&oomhook_low_ms) *
			   NSEC_PER_MSEC;
}

/* Any context: loads only. */
static void low_sample(struct oomhook_low_sample *s)
{
	long avail = si_mem_available();
	long swap_free = get_nr_swap_pages();

	s->total = totalram_pages();
	s->avail = avail > 0 ? avail : 0;
	s->swap_free = swap_free > 0 ? swap_free : 0;
	s->swap_total = atomic_long_read(&oomhook_swap_total);
	/* Swap added since the last read counts until the next one. */
	if (s->swap_free > s->swap_total)
		s->swap_total = s->swap_free;
}

/* Process context: SwapTotal from /proc/meminfo, in pages. */
static void low_read_swap_total(void)
{
	loff_t pos = 0;
	ssize_t n;
	u64 kb;

	if (!oomhook_meminfo)
		return;
	n = kernel_read(oomhook_meminfo, oomhook_meminfo_buf,
			sizeof(oomhook_meminfo_buf) - 1, &pos);
	if (n <= 0)
		return;
	oomhook_meminfo_buf[n] = '\0';
	if (!oomhook_parse_meminfo(oomhook_meminfo_buf, "SwapTotal", &kb))
		atomic_long_set(&oomhook_swap_total,
				kb >> (PAGE_SHIFT - 10));
}

/* The kernel log's line for a decision the trigger started. */
static void low_say(const struct oomhook_low_sample *s, const char *why)
{
	pr_info("low memory: %lu of %lu MB available, %lu of %lu MB swap free: %s\n",
		MB(s->avail), MB(s->total), MB(s->swap_free),
		MB(s->swap_total), why);
}

static void oomhook_low_workfn(struct work_struct *work)
{
	struct oomhook_low_sample s;
	struct oomhook_low_cfg cfg;
	enum oomhook_low_step step;
	unsigned int noreclaim;
	u64 next, now;

	oomhook_count(OOMHOOK_STAT_LOW_SAMPLES);
	low_cfg(&cfg);
	if (atomic_cmpxchg(&oomhook_low_armed, SAMPLER_ARMED, SAMPLER_RUNNING) ==
	    SAMPLER_ARMED) {
		/* Armed just now: the swap space may have changed. */
		noreclaim = memalloc_noreclaim_save();
		low_read_swap_total();
		memalloc_noreclaim_restore(noreclaim);
	}
	low_sample(&s);
	now = ktime_get_ns();
	step = oomhook_low_step(&oomhook_low_state, &cfg, &s, now, &next);
	WRITE_ONCE(oomhook_low_seen, oomhook_low_state.level);
	if (step == OOMHOOK_LOW_FIRE &&
	    oomhook_low_fired(now,
			      oomhook_low_wanted(&cfg, &s,
						 OOMHOOK_LOW_ARM_FACTOR),
			      oomhook_low_wanted(&cfg, &s,
						 OOMHOOK_LOW_RELEASE_FACTOR)))
		low_say(&s, oomhook_low_why[oomhook_low_state.why]);
	if (step == OOMHOOK_LOW_IDLE || READ_ONCE(oomhook_low_stopping)) {
		memset(&oomhook_low_state, 0, sizeof(oomhook_low_state));
		WRITE_ONCE(oomhook_low_seen, OOMHOOK_LOW_CALM);
		atomic_set(&oomhook_low_armed, SAMPLER_OFF);
		return;
	}
	queue_delayed_work(oomhook_wq, &oomhook_low_work,
			   max(nsecs_to_jiffies(next), 1UL));
}

static void oomhook_low_left_workfn(struct work_struct *work)
{
	unsigned long left = atomic_long_xchg(&oomhook_low_left, 0);
	char why[OOMHOOK_LOW_WHY_MAX];
	struct oomhook_low_sample s;
	struct oomhook_low_cfg cfg;

	if (READ_ONCE(oomhook_low_stopping) || !oomhook_chain_releases())
		return;
	low_cfg(&cfg);
	low_sample(&s);
	if (!oomhook_low_leftover_acts(&cfg, &s, left))
		return;
	if (oomhook_low_release(ktime_get_ns(),
				oomhook_low_wanted(&cfg, &s,
						   OOMHOOK_LOW_RELEASE_FACTOR))) {
		snprintf(why, sizeof(why), "the victim left %lu MB", MB(left));
		low_say(&s, why);
	}
}

/**
 * oomhook_low_leftover() - a victim exited, leaving memory charged
 * @left: pages still charged to its cgroup (memory and swap).
 *
 * Any context: queues a look, at most.
 */
void oomhook_low_leftover(unsigned long left)
{
	if (!left || READ_ONCE(oomhook_low_stopping) ||
	    !oomhook_knob_get(&oomhook_low_mem_pct))
		return;
	atomic_long_set(&oomhook_low_left, left);
	queue_work(oomhook_wq, &oomhook_low_left_work);
}

/**
 * oomhook_low_rung() - global reclaim is running: look at the counters
 *
 * Called by the doorbell, in reclaim context, on any CPU: loads, one
 * cmpxchg, and at most a work item queued; no lock, no allocation.
 */
void oomhook_low_rung(void)
{
	enum oomhook_low_level level;
	struct oomhook_low_sample s;
	struct oomhook_low_cfg cfg;
	s64 now = ktime_get_ns();
	s64 last = atomic64_read(&oomhook_low_rung_ns);

	if (READ_ONCE(oomhook_low_stopping) ||
	    !oomhook_knob_get(&oomhook_low_mem_pct))
		return;
	if (last && now - last < (s64)OOMHOOK_LOW_RING_GAP_MS * NSEC_PER_MSEC)
		return;
	if (atomic64_cmpxchg(&oomhook_low_rung_ns, last, now) != last)
		return;
	low_cfg(&cfg);
	low_sample(&s);
	level = oomhook_low_level(&cfg, &s);
	if (atomic_read(&oomhook_low_armed) != SAMPLER_OFF) {
		/* Lower than the sampler saw: it looks now. */
		if (level > READ_ONCE(oomhook_low_seen))
			mod_delayed_work(oomhook_wq, &oomhook_low_work, 0);
		return;
	}
	if (level >= OOMHOOK_LOW_NEAR &&
	    atomic_cmpxchg(&oomhook_low_armed, SAMPLER_OFF, SAMPLER_ARMED) ==
	    SAMPLER_OFF) {
		oomhook_count(OOMHOOK_STAT_LOW_ARMED);
		queue_delayed_work(oomhook_wq, &oomhook_low_work, 0);
	}
}

/**
 * oomhook_low_init() - open /proc/meminfo for the swap space
 *
 * Without it (no /proc), the trigger treats the machine as having no swap
 * beyond what is free, and says so.
 */
void oomhook_low_init(void)
{
	struct file *f;

	/*
	 * Not deferrable: an idle CPU would hold a deferrable timer back, and
	 * a machine that sits at low memory is often idle (seen: 5.7 s
	 * late).  The sampler runs only while memory is low.
	 */
	INIT_DELAYED_WORK(&oomhook_low_work, oomhook_low_workfn);
	INIT_WORK(&oomhook_low_left_work, oomhook_low_left_workfn);
	f = filp_open("/proc/meminfo", O_RDONLY, 0);
	if (IS_ERR(f)) {
		pr_warn("cannot open /proc/meminfo (%ld): the low trigger counts only free swap\n",
			PTR_ERR(f));
		return;
	}
	oomhook_meminfo = f;
	low_read_swap_total();
}

/**
 * oomhook_low_exit() - stop the sampler; call after the doorbell is gone
 */
void oomhook_low_exit(void)
{
	WRITE_ONCE(oomhook_low_stopping, true);
	cancel_delayed_work_sync(&oomhook_low_work);
	/* The tracker may queue it again: the work then sees the flag. */
	cancel_work_sync(&oomhook_low_left_work);
	if (oomhook_meminfo)
		fput(oomhook_meminfo);
	oomhook_meminfo = NULL;
}
