// SPDX-License-Identifier: GPL-2.0
/*
 * Victim ranking, as pure functions over candidate records.
 *
 * Eligible: populated, not the root, not PID 1's cgroup or an ancestor of
 * it, not already killed and exiting, not omitted.  Order: class first
 * (prefer, then unmarked, then avoid), then usage beyond protection,
 * largest first.  A
 * cgroup whose usage is within its memory.min/memory.low protection scores
 * zero: the administrator promised it that memory.  Ties go to the larger
 * raw usage, then to the path in byte order, so that the same hierarchy
 * always gives the same victim.
 */
#include <kunit/visibility.h>
#include <linux/string.h>

#include "internal.h"

/**
 * oomhook_candidate_eligible() - whether a cgroup may be chosen at all
 * @c: the candidate.
 *
 * Return: true if @c is populated and none of root, PID 1's, pending or
 * omitted.
 */
bool oomhook_candidate_eligible(const struct oomhook_candidate *c)
{
	return c->populated && !c->root && !c->holds_pid1 && !c->pending &&
	       c->class != OOMHOOK_CLASS_OMIT;
}
EXPORT_SYMBOL_IF_KUNIT(oomhook_candidate_eligible);

/**
 * oomhook_candidate_score() - usage beyond protection
 * @c: the candidate.
 *
 * Return: bytes of @c's usage not covered by its protection.
 */
u64 oomhook_candidate_score(const struct oomhook_candidate *c)
{
	return c->usage > c->protection ? c->usage - c->protection : 0;
}
EXPORT_SYMBOL_IF_KUNIT(oomhook_candidate_score);

/**
 * oomhook_candidate_better() - whether @a should be chosen before @b
 * @a: a candidate.
 * @b: another candidate.
 *
 * Return: true if @a ranks strictly before @b.
 */
bool oomhook_candidate_better(const struct oomhook_candidate *a,
			      const struct oomhook_candidate *b)
{
	u64 sa, sb;

	if (a->class != b->class)
		return a->class < b->class;
	sa = oomhook_candidate_score(a);
	sb = oomhook_candidate_score(b);
	if (sa != sb)
		return sa > sb;
	if (a->usage != b->usage)
		return a->usage > b->usage;
	return strcmp(a->path, b->path) < 0;
}
EXPORT_SYMBOL_IF_KUNIT(oomhook_candidate_better);

/**
 * oomhook_rank_offer() - keep @c if it is eligible and beats @best
 * @best: the best candidate so far.
 * @have_best: whether @best holds one; set when @c is kept.
 * @c: a candidate.
 *
 * The walk streams candidates through this, so the result does not depend
 * on the order they come in.
 */
void oomhook_rank_offer(struct oomhook_candidate *best, bool *have_best,
			const struct oomhook_candidate *c)
{
	if (!oomhook_candidate_eligible(c))
		return;
	if (!*have_best || oomhook_candidate_better(c, best)) {
		*best = *c;
		*have_best = true;
	}
}
EXPORT_SYMBOL_IF_KUNIT(oomhook_rank_offer);

/**
 * oomhook_path_within() - whether cgroup @path is @ancestor or below it
 * @path: a normalized cgroup path.
 * @ancestor: another one; "/" contains every path.
 *
 * Return: true if @path equals @ancestor or is a descendant of it.
 */
bool oomhook_path_within(const char *path, const char *ancestor)
{
	size_t len = strlen(ancestor);

	if (len == 1 && ancestor[0] == '/')
		return path[0] == '/';
	return !strncmp(path, ancestor, len) &&
	       (path[len] == '\0' || path[len] == '/');
}
EXPORT_SYMBOL_IF_KUNIT(oomhook_path_within);
