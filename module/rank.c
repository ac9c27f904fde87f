// SPDX-License-Identifier: GPL-2.0
/*
 * Victim ranking, as pure functions over candidate records.
 *
 * Eligible: populated, not the root, not PID 1's cgroup or an ancestor of
 * it, not already killed and exiting, not omitted.  Order: class first
 * (prefer, then unmarked, then avoid), then usage beyond protection,
 * largest first.  A cgroup whose usage is within its effective
 * memory.min/memory.low protection scores zero: the administrator promised
 * it that memory.  Ties go to the larger raw usage, then to the lower
 * cgroup id (the older cgroup), so that the same hierarchy always gives the
 * same victim.
 *
 * Protection is the kernel's effective protection, not the configured one:
 * a cgroup is protected only as far as its ancestors grant, so a user who
 * owns a delegated subtree cannot write "max" into a leaf's memory.min and
 * make their hog rank last.  oomhook_effective_protection() is the rule
 * mm/memcontrol.c applies during reclaim (effective_protection()), computed
 * here top-down during the walk from the counters the kernel keeps.
 */
#include <kunit/visibility.h>
#include <linux/math.h>
#include <linux/minmax.h>
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
	return a->id < b->id;
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
 * oomhook_unit_classify() - what a memory cgroup met by the walk is
 * @n: what the walk knows of it.
 *
 * The rules of the unit of a victim: the walk goes only through cgroups
 * that have the memory controller, so a cgroup whose children did not
 * enable it is a leaf of the walk, one unit with its whole subtree.
 *
 * Return: %OOMHOOK_UNIT_SKIP for a cgroup that is removed, empty or
 * omitted (nothing below it is looked at either); %OOMHOOK_UNIT_WHOLE for
 * one that is a unit with everything below it (memory.oom.group, or the
 * deepest level the walk keeps); %OOMHOOK_UNIT_LEAF for one that is a unit
 * if it turns out to have no child in the walk.
 */
enum oomhook_unit oomhook_unit_classify(const struct oomhook_unit_node *n)
{
	if (!n->online || !n->populated || n->omit)
		return OOMHOOK_UNIT_SKIP;
	if ((n->oom_group && !n->root) || n->deepest)
		return OOMHOOK_UNIT_WHOLE;
	return OOMHOOK_UNIT_LEAF;
}
EXPORT_SYMBOL_IF_KUNIT(oomhook_unit_classify);

/**
 * oomhook_leaf_visit() - settle the pending cgroup when the walk moves on
 * @l: the pending cgroup, if any.
 * @level: the level of the next cgroup the walk met that is online and
 *	populated (empty and removed ones do not count: a cgroup whose
 *	children are all empty is still a leaf).
 *
 * The walk is in pre-order, so the next such cgroup is a child of the
 * pending one exactly when it is deeper.  @l is empty afterwards.
 *
 * Return: true if the pending cgroup is a unit (it had no such child).
 */
bool oomhook_leaf_visit(struct oomhook_leaf *l, int level)
{
	bool unit = l->pending && level <= l->level;

	l->pending = false;
	return unit;
}
EXPORT_SYMBOL_IF_KUNIT(oomhook_leaf_visit);

/**
 * oomhook_effective_protection() - protection a cgroup actually enjoys
 * @usage: the cgroup's usage, pages.
 * @parent_usage: its parent's usage, pages.
 * @setting: its memory.min (or memory.low), pages.
 * @parent_effective: the parent's effective protection, pages; for a child
 *	of the root, pass %OOMHOOK_PROT_UNBOUNDED.
 * @siblings_protected: the sum over the parent's children of
 *	min(usage, setting), as the kernel keeps it (children_min_usage or
 *	children_low_usage of the parent's counter).
 * @recursive: the hierarchy is mounted with memory_recursiveprot.
 *
 * The children of the root get what they configure.  Below, a cgroup gets
 * min(usage, setting), scaled down in proportion when the siblings together
 * claim more than the parent has, and with memory_recursiveprot a share of
 * what the parent has left unclaimed, in proportion to its unprotected
 * usage.  Never more than the parent's own effective protection.
 *
 * Return: the effective protection, pages.
 */
unsigned long oomhook_effective_protection(unsigned long usage,
					   unsigned long parent_usage,
					   unsigned long setting,
					   unsigned long parent_effective,
					   unsigned long siblings_protected,
					   bool recursive)
{
	unsigned long protected, ep, unclaimed;

	if (parent_effective == OOMHOOK_PROT_UNBOUNDED)
		return setting;
	protected = min(usage, setting);
	if (siblings_protected > parent_effective)
		return mult_frac(protected, parent_effective,
				 siblings_protected);
	ep = protected;
	if (recursive && parent_effective > siblings_protected &&
	    parent_usage > siblings_protected && usage > protected) {
		unclaimed = mult_frac(parent_effective - siblings_protected,
				      usage - protected,
				      parent_usage - siblings_protected);
		ep += unclaimed;
	}
	return min(ep, parent_effective);
}
EXPORT_SYMBOL_IF_KUNIT(oomhook_effective_protection);

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
