// SPDX-License-Identifier: GPL-2.0
/*
 * Victim ranking, as pure functions over candidate records.
 *
 * Order: class first (prefer, then unmarked, then avoid; omitted cgroups
 * are never candidates), then usage beyond protection, largest first.  A
 * cgroup whose usage is within its memory.min/memory.low protection scores
 * zero: the administrator promised it that memory.  Ties go to the larger
 * raw usage, then to the path in byte order, so that the same hierarchy
 * always gives the same victim.
 */
#include <linux/string.h>

#include "internal.h"

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
