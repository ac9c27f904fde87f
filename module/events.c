// SPDX-License-Identifier: GPL-2.0
/*
 * The record of recent decisions (/sys/kernel/oomhook/events) and the
 * counters (/sys/kernel/oomhook/stats).
 *
 * Both are fixed-size and allocation-free: they are written from the OOM
 * path, where memory is exhausted and oom_lock is held.  The ring keeps the
 * last OOMHOOK_EVENTS_MAX decisions; a decision's outcome is updated in
 * place when its victim exits, as long as the record is still in the ring.
 */
#include <kunit/visibility.h>
#include <linux/atomic.h>
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/spinlock.h>
#include <linux/sysfs.h>

#include "internal.h"

struct oomhook_ring oomhook_events;

static atomic_long_t oomhook_stats[OOMHOOK_NR_STATS];

static const char * const oomhook_stat_names[OOMHOOK_NR_STATS] = {
	[OOMHOOK_STAT_TRIGGERS_OOM] = "triggers_oom",
	[OOMHOOK_STAT_TRIGGERS_PSI] = "triggers_psi",
	[OOMHOOK_STAT_OOM_HANDLED] = "oom_handled",
	[OOMHOOK_STAT_OOM_HELD] = "oom_held",
	[OOMHOOK_STAT_OOM_PASSTHROUGH] = "oom_passthrough",
	[OOMHOOK_STAT_OOM_DEFERRED] = "oom_deferred",
	[OOMHOOK_STAT_PSI_RUNS] = "psi_runs",
	[OOMHOOK_STAT_PSI_SUPPRESSED_BUSY] = "psi_suppressed_busy",
	[OOMHOOK_STAT_PSI_SUPPRESSED_COOLDOWN] = "psi_suppressed_cooldown",
	[OOMHOOK_STAT_PSI_PASSTHROUGH] = "psi_passthrough",
	[OOMHOOK_STAT_RUNS] = "runs",
	[OOMHOOK_STAT_RUNS_NO_RELEASE] = "runs_no_release",
	[OOMHOOK_STAT_ACTIONS] = "actions",
	[OOMHOOK_STAT_KILLS] = "kills",
	[OOMHOOK_STAT_DRY_RUNS] = "dry_runs",
	[OOMHOOK_STAT_VICTIMS_EXITED] = "victims_exited",
	[OOMHOOK_STAT_FALLBACKS] = "fallbacks",
	[OOMHOOK_STAT_FALLBACK_NONE] = "fallback_none",
	[OOMHOOK_STAT_FALLBACK_ERROR] = "fallback_error",
	[OOMHOOK_STAT_FALLBACK_TIMEOUT] = "fallback_timeout",
	[OOMHOOK_STAT_FALLBACK_BUSY] = "fallback_busy",
	[OOMHOOK_STAT_FALLBACK_HOLD_EXPIRED] = "fallback_hold_expired",
	[OOMHOOK_STAT_FALLBACK_NO_PROGRESS] = "fallback_no_progress",
	[OOMHOOK_STAT_ERRORS] = "errors",
	[OOMHOOK_STAT_POLICIES_DISABLED] = "policies_disabled",
	[OOMHOOK_STAT_TRIGGERS_GONE] = "triggers_gone",
	[OOMHOOK_STAT_OOM_INLINE] = "oom_inline",
	[OOMHOOK_STAT_WALKS_CUT] = "walks_cut",
	[OOMHOOK_STAT_MARKS_REFRESHES] = "marks_refreshes",
	[OOMHOOK_STAT_MARKS_CHANGED] = "marks_changed",
	[OOMHOOK_STAT_KILLS_FOLLOWED_UP] = "kills_followed_up",
	[OOMHOOK_STAT_DOORBELL_RINGS] = "doorbell_rings",
	[OOMHOOK_STAT_HOLDS_EXTENDED] = "holds_extended",
	[OOMHOOK_STAT_TRIGGERS_LOW] = "triggers_low",
	[OOMHOOK_STAT_LOW_RUNS] = "low_runs",
	[OOMHOOK_STAT_LOW_SUPPRESSED_BUSY] = "low_suppressed_busy",
	[OOMHOOK_STAT_LOW_SUPPRESSED_COOLDOWN] = "low_suppressed_cooldown",
	[OOMHOOK_STAT_LOW_PASSTHROUGH] = "low_passthrough",
	[OOMHOOK_STAT_LOW_ARMED] = "low_armed",
	[OOMHOOK_STAT_LOW_SAMPLES] = "low_samples",
	[OOMHOOK_STAT_LOW_RELEASE_ONLY] = "low_release_only",
	[OOMHOOK_STAT_OOM_RELEASE_FIRST] = "oom_release_first",
	[OOMHOOK_STAT_LOW_LEFTOVER] = "low_leftover",
	[OOMHOOK_STAT_MEMCG_OOM_KILLS] = "memcg_oom_kills",
	[OOMHOOK_STAT_MEMCG_OOM_UNRECORDED] = "memcg_oom_unrecorded",
	[OOMHOOK_STAT_TRIGGERS_LIMIT] = "triggers_limit",
	[OOMHOOK_STAT_LIMIT_RUNS] = "limit_runs",
	[OOMHOOK_STAT_LIMIT_SUPPRESSED_BUSY] = "limit_suppressed_busy",
	[OOMHOOK_STAT_LIMIT_SUPPRESSED_COOLDOWN] = "limit_suppressed_cooldown",
	[OOMHOOK_STAT_LIMIT_PASSTHROUGH] = "limit_passthrough",
	[OOMHOOK_STAT_LIMIT_CHECKS] = "limit_checks",
	[OOMHOOK_STAT_KERNEL_OOM_KILLS] = "kernel_oom_kills",
	[OOMHOOK_STAT_OOM_STEERED] = "oom_steered",
	[OOMHOOK_STAT_STEER_HITS] = "steer_hits",
	[OOMHOOK_STAT_STEER_MISSED] = "steer_missed",
	[OOMHOOK_STAT_STEER_GONE] = "steer_gone",
	[OOMHOOK_STAT_STEER_EXPIRED] = "steer_expired",
	[OOMHOOK_STAT_STEER_UNKILLABLE] = "steer_unkillable",
};

static const char * const oomhook_action_names[] = {
	[OOMHOOK_ACT_NONE] = "none",
	[OOMHOOK_ACT_KILL] = "kill",
	[OOMHOOK_ACT_DRY_RUN] = "dry-run",
	[OOMHOOK_ACT_FREED] = "freed",
	[OOMHOOK_ACT_HOLD] = "hold",
};

static const char * const oomhook_outcome_names[] = {
	[OOMHOOK_OUT_NONE] = "none",
	[OOMHOOK_OUT_PENDING] = "pending",
	[OOMHOOK_OUT_EXITED] = "exited",
	[OOMHOOK_OUT_HOLD_EXPIRED] = "hold-expired",
	[OOMHOOK_OUT_DRY_RUN] = "dry-run",
	[OOMHOOK_OUT_FREED] = "freed",
	[OOMHOOK_OUT_ERROR] = "error",
	[OOMHOOK_OUT_TIMEOUT] = "timeout",
	[OOMHOOK_OUT_MISSED] = "missed",
};

void oomhook_count(enum oomhook_stat stat)
{
	atomic_long_inc(&oomhook_stats[stat]);
}

/**
 * oomhook_counters_show() - format counters as a stats file
 * @buf: the sysfs page.
 * @names: the counters' names.
 * @vals: their values.
 * @nr: how many.
 *
 * One "name value" line per counter, the format of every oomhook stats file.
 *
 * Return: bytes written.
 */
ssize_t oomhook_counters_show(char *buf, const char * const *names,
			      atomic_long_t *vals, unsigned int nr)
{
	ssize_t len = 0;
	unsigned int i;

	for (i = 0; i < nr; i++)
		len += sysfs_emit_at(buf, len, "%s %ld\n", names[i],
				     atomic_long_read(&vals[i]));
	return len;
}
EXPORT_SYMBOL_GPL(oomhook_counters_show);

ssize_t oomhook_stats_show(char *buf)
{
	return oomhook_counters_show(buf, oomhook_stat_names, oomhook_stats,
				     OOMHOOK_NR_STATS);
}

const char *oomhook_action_name(enum oomhook_action action)
{
	if (action >= ARRAY_SIZE(oomhook_action_names))
		return "unknown";
	return oomhook_action_names[action];
}
EXPORT_SYMBOL_IF_KUNIT(oomhook_action_name);

const char *oomhook_outcome_name(enum oomhook_outcome outcome)
{
	if (outcome >= ARRAY_SIZE(oomhook_outcome_names))
		return "unknown";
	return oomhook_outcome_names[outcome];
}
EXPORT_SYMBOL_IF_KUNIT(oomhook_outcome_name);

void oomhook_ring_init(struct oomhook_ring *ring)
{
	memset(ring->rec, 0, sizeof(ring->rec));
	spin_lock_init(&ring->lock);
	ring->next_seq = 1;
}
EXPORT_SYMBOL_IF_KUNIT(oomhook_ring_init);

static struct oomhook_record *ring_slot(struct oomhook_ring *ring, u64 seq)
{
	return &ring->rec[do_div(seq, OOMHOOK_EVENTS_MAX)];
}

/* The oldest sequence number still in the ring. */
static u64 ring_first(const struct oomhook_ring *ring)
{
	if (ring->next_seq <= OOMHOOK_EVENTS_MAX)
		return 1;
	return ring->next_seq - OOMHOOK_EVENTS_MAX;
}

/**
 * oomhook_ring_add() - record a decision
 * @ring: the ring.
 * @r: the record; its seq is assigned here.
 *
 * Safe in any context but NMI: no allocation, a spinlock.
 *
 * Return: the record's sequence number.
 */
u64 oomhook_ring_add(struct oomhook_ring *ring, const struct oomhook_record *r)
{
	struct oomhook_record *slot;
	unsigned long flags;
	u64 seq;

	spin_lock_irqsave(&ring->lock, flags);
	seq = ring->next_seq++;
	slot = ring_slot(ring, seq);
	*slot = *r;
	slot->seq = seq;
	spin_unlock_irqrestore(&ring->lock, flags);
	return seq;
}
EXPORT_SYMBOL_IF_KUNIT(oomhook_ring_add);

/**
 * oomhook_ring_update() - update a decision's outcome
 * @ring: the ring.
 * @seq: the record.
 * @outcome: the new outcome.
 * @exit_ms: for OOMHOOK_OUT_EXITED, how long the victim took.
 * @fallback: the kernel's killer was left to act after all.
 *
 * Return: false if the record has left the ring.
 */
bool oomhook_ring_update(struct oomhook_ring *ring, u64 seq,
			 enum oomhook_outcome outcome, u64 exit_ms,
			 bool fallback)
{
	struct oomhook_record *slot;
	unsigned long flags;
	bool found = false;

	spin_lock_irqsave(&ring->lock, flags);
	if (seq && seq >= ring_first(ring) && seq < ring->next_seq) {
		slot = ring_slot(ring, seq);
		slot->outcome = outcome;
		slot->exit_ms = exit_ms;
		slot->fallback |= fallback;
		found = true;
	}
	spin_unlock_irqrestore(&ring->lock, flags);
	return found;
}
EXPORT_SYMBOL_IF_KUNIT(oomhook_ring_update);

static const char *or_dash(const char *s)
{
	return s[0] ? s : "-";
}

/**
 * oomhook_ring_format() - format one record as a line
 * @r: the record.
 * @buf: output, may be NULL when @size is 0.
 * @size: size of @buf.
 *
 * Return: the length of the full line, as snprintf().
 */
int oomhook_ring_format(const struct oomhook_record *r, char *buf,
			size_t size)
{
	u64 sec = r->time_ns;
	u32 ns = do_div(sec, NSEC_PER_SEC);

	return snprintf(buf, size,
			"seq=%llu time=%llu.%06u trigger=%s policy=%s action=%s victim=%s bytes=%llu latency_us=%llu outcome=%s exit_ms=%llu fallback=%d error=%d\n",
			r->seq, sec, ns / (u32)NSEC_PER_USEC, r->trigger,
			or_dash(r->policy), oomhook_action_name(r->action),
			or_dash(r->victim), r->bytes, r->latency_us,
			oomhook_outcome_name(r->outcome), r->exit_ms,
			r->fallback, r->error);
}
EXPORT_SYMBOL_IF_KUNIT(oomhook_ring_format);

/**
 * oomhook_ring_show() - format the ring, oldest first
 * @ring: the ring.
 * @buf: output.
 * @size: size of @buf; the oldest records are left out if they do not fit.
 *
 * Return: bytes written.
 */
ssize_t oomhook_ring_show(struct oomhook_ring *ring, char *buf, size_t size)
{
	unsigned long flags;
	size_t total = 0;
	u64 seq, first, start;

	spin_lock_irqsave(&ring->lock, flags);
	first = ring_first(ring);
	start = ring->next_seq;
	for (seq = ring->next_seq - 1; seq >= first && seq > 0; seq--) {
		size_t len = oomhook_ring_format(ring_slot(ring, seq), NULL, 0);

		if (total + len >= size)
			break;
		total += len;
		start = seq;
	}
	total = 0;
	for (seq = start; seq < ring->next_seq; seq++)
		total += oomhook_ring_format(ring_slot(ring, seq), buf + total,
					     size - total);
	spin_unlock_irqrestore(&ring->lock, flags);
	return total;
}
EXPORT_SYMBOL_IF_KUNIT(oomhook_ring_show);
