// SPDX-License-Identifier: GPL-2.0
/*
 * Victim selection: one pass over the memory cgroups under RCU, the way
 * the kernel's own select_bad_process() passes over tasks.
 *
 * The walk is css_for_each_descendant_pre() over the memory controller's
 * csses, from the event's scope (or the policy's subtree, whichever is
 * deeper).  Everything it reads is a field or a counter the kernel keeps
 * for itself: usage and swap usage (page_counter_read()), memory.min and
 * memory.low with the protected usage of the children (for the effective
 * protection, rank.c), memory.oom.group, whether the cgroup is populated
 * and frozen.  Markers come from the cache in marks.c.  It opens no file,
 * takes no sleeping lock and allocates nothing, so it runs in the OOM
 * notifier as well as in the worker.
 *
 * The unit of a victim is a memory cgroup (see &struct oomhook_candidate):
 * the walk visits only cgroups that have the memory controller, so a cgroup
 * whose children did not enable +memory is a leaf here, and the memory of
 * its whole subtree (charged to it) counts for it.  A cgroup is known to be
 * a leaf only when the walk moves on to a node that is not its child; until
 * then it is held as "pending".  Never candidates, and never entered: the
 * offline (removed) cgroups, the empty ones, the omitted ones and the
 * subtree of a memory.oom.group cgroup, which is one unit.  The root, the
 * cgroups holding PID 1 and the victim still exiting are visited but not
 * eligible.
 *
 * The walk stops at the event's deadline with the best candidate found so
 * far.
 *
 * The scratch state is static: policies call oomhook_select_cgroup() only
 * from ->handle(), and the core runs one ->handle() at a time.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cgroup.h>
#include <linux/kernfs.h>
#include <linux/ktime.h>
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/page_counter.h>
#include <linux/pid.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/string.h>

#include "internal.h"

/*
 * Cgroup levels whose state the walk keeps.  A memory cgroup deeper than
 * this is taken with its whole subtree as one unit at the deepest kept
 * level.
 */
#define OOMHOOK_WALK_DEPTH	32
/* Nodes visited between two looks at the clock. */
#define OOMHOOK_WALK_CLOCK	32

/**
 * struct walk_level - what the walk knows of the cgroup at one level
 * @class: its class (inherited if it has no marker of its own).
 * @usage: memory usage, pages.
 * @emin: effective memory.min, pages.
 * @elow: effective memory.low, pages.
 */
struct walk_level {
	enum oomhook_class class;
	unsigned long usage;
	unsigned long emin;
	unsigned long elow;
};

/**
 * struct oomhook_walk - one selection's state
 * @level: by cgroup level (the root is 0).
 * @slot: three candidate records; @best, @pend and the spare one.
 * @best: the best eligible unit so far, or NULL.
 * @pend: a cgroup that is a unit unless the next node is its child.
 * @leaf: @pend's level, and whether there is one (rank.c's rules).
 * @pid1: PID 1's cgroup.
 * @pending: the victim still exiting, or NULL.
 * @flags: the caller's OOMHOOK_SELECT_* flags.
 * @recursive: memory_recursiveprot is in effect.
 * @cut: the walk stopped at the deadline.
 * @unknown: a cgroup with xattrs was not in the marker cache.
 * @prio: priorities by path, or NULL.
 * @prio_levels: the levels @prio has patterns for, a bit each.
 * @path: scratch for the path of a cgroup at such a level.
 */
struct oomhook_walk {
	struct walk_level level[OOMHOOK_WALK_DEPTH];
	struct oomhook_candidate slot[3];
	struct oomhook_candidate *best;
	struct oomhook_candidate *pend;
	struct oomhook_leaf leaf;
	struct cgroup *pid1;
	struct cgroup *pending;
	unsigned int flags;
	bool recursive;
	bool cut;
	bool unknown;
	const struct oomhook_prio *prio;
	u32 prio_levels;
	char path[OOMHOOK_PATH_MAX];
};

static struct oomhook_walk oomhook_walk;

static u32 prio_levels(const struct oomhook_patterns *p)
{
	u32 levels = 0;
	unsigned int i;

	for (i = 0; i < p->nr; i++) {
		if (p->depth[i] < OOMHOOK_WALK_DEPTH)
			levels |= BIT(p->depth[i]);
	}
	return levels;
}

/*
 * The class @css inherits: its parent's, unless a pattern of @w->prio
 * matches it (avoid over prefer).  Its own marker still comes first.
 */
static enum oomhook_class walk_inherit(struct oomhook_walk *w,
				       struct cgroup_subsys_state *css,
				       int lvl, enum oomhook_class parent)
{
	int len;

	if (!w->prio || !(w->prio_levels & BIT(lvl)))
		return parent;
	len = kernfs_path(css->cgroup->kn, w->path, sizeof(w->path));
	if (len < 0 || len >= sizeof(w->path))
		return parent;
	if (oomhook_patterns_match(&w->prio->avoid, lvl, w->path))
		return OOMHOOK_CLASS_AVOID;
	if (oomhook_patterns_match(&w->prio->prefer, lvl, w->path))
		return OOMHOOK_CLASS_PREFER;
	return parent;
}

/**
 * oomhook_root_memcg_css() - the root memory cgroup's css
 *
 * Return: the css, or NULL without the memory controller.
 * root_mem_cgroup is not exported; the root cgroup's css for the memory
 * controller is the same object, and it is never freed.
 */
struct cgroup_subsys_state *oomhook_root_memcg_css(void)
{
	if (mem_cgroup_disabled())
		return NULL;
	return rcu_dereference_check(cgrp_dfl_root.cgrp.subsys[memory_cgrp_id],
				     true);
}

/* A candidate record that is neither best nor pending. */
static struct oomhook_candidate *walk_spare(struct oomhook_walk *w)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(w->slot); i++) {
		if (&w->slot[i] != w->best && &w->slot[i] != w->pend)
			return &w->slot[i];
	}
	return NULL;
}

static void walk_offer(struct oomhook_walk *w, struct oomhook_candidate *c)
{
	if (!oomhook_candidate_eligible(c))
		return;
	if (c->frozen && (w->flags & OOMHOOK_SELECT_UNFROZEN))
		return;
	if (!w->best || oomhook_candidate_better(c, w->best))
		w->best = c;
}

/* The walk moved on to a cgroup at @level: settle the pending one. */
static void walk_settle(struct oomhook_walk *w, int level)
{
	struct oomhook_candidate *c = w->pend;

	w->pend = NULL;
	if (oomhook_leaf_visit(&w->leaf, level))
		walk_offer(w, c);
}

/*
 * Fill in what the walk knows of the memory cgroup @css at @lvl, from its
 * parent's level.  Called under RCU.
 */
static void walk_measure(struct oomhook_walk *w,
			 struct cgroup_subsys_state *css, int lvl)
{
	struct mem_cgroup *memcg = mem_cgroup_from_css(css);
	struct walk_level *l = &w->level[lvl];
	struct walk_level *p = lvl ? &w->level[lvl - 1] : NULL;
	unsigned long min, low, sib_min, sib_low;
	struct mem_cgroup *parent;

	l->usage = page_counter_read(&memcg->memory);
	l->class = oomhook_marks_lookup(css->cgroup,
					walk_inherit(w, css, lvl, p ? p->class :
						     OOMHOOK_CLASS_NORMAL),
					&w->unknown);
	if (!p) {
		/* The root: everything it has is the machine's. */
		l->emin = OOMHOOK_PROT_UNBOUNDED;
		l->elow = OOMHOOK_PROT_UNBOUNDED;
		return;
	}
	parent = mem_cgroup_from_css(css->parent);
	min = READ_ONCE(memcg->memory.min);
	low = READ_ONCE(memcg->memory.low);
	sib_min = atomic_long_read(&parent->memory.children_min_usage);
	sib_low = atomic_long_read(&parent->memory.children_low_usage);
	l->emin = oomhook_effective_protection(l->usage, p->usage, min, p->emin,
					       sib_min, w->recursive);
	l->elow = oomhook_effective_protection(l->usage, p->usage, low, p->elow,
					       sib_low, w->recursive);
}

/* The levels above @css (not kept by the walk itself), root first. */
static void walk_ancestors(struct oomhook_walk *w,
			   struct cgroup_subsys_state *css)
{
	struct cgroup_subsys_state *chain[OOMHOOK_WALK_DEPTH];
	int n = 0, lvl;

	for (css = css->parent; css && n < OOMHOOK_WALK_DEPTH; css = css->parent)
		chain[n++] = css;
	for (lvl = 0; n; lvl++)
		walk_measure(w, chain[--n], lvl);
}

static void walk_fill(struct oomhook_walk *w, struct oomhook_candidate *c,
		      struct cgroup_subsys_state *css, int lvl)
{
	struct mem_cgroup *memcg = mem_cgroup_from_css(css);
	struct cgroup *cgrp = css->cgroup;
	const struct walk_level *l = &w->level[lvl];

	c->path[0] = '\0';
	c->cgrp = cgrp;
	c->id = cgroup_id(cgrp);
	c->class = l->class;
	c->usage = ((u64)l->usage +
		    page_counter_read(&memcg->swap)) << PAGE_SHIFT;
	c->protection = (u64)max(l->emin, l->elow) << PAGE_SHIFT;
	if (c->protection > c->usage)
		c->protection = c->usage;
	c->oom_group = READ_ONCE(memcg->oom_group);
	c->root = !cgroup_parent(cgrp);
	c->holds_pid1 = w->pid1 && cgroup_is_descendant(w->pid1, cgrp);
	c->populated = true;
	c->pending = w->pending && cgroup_is_descendant(cgrp, w->pending);
	c->frozen = READ_ONCE(cgrp->freezer.freeze) ||
		    READ_ONCE(cgrp->freezer.e_freeze);
}

static bool walk_expired(const struct oomhook_event *ev, unsigned int n)
{
	return !(n % OOMHOOK_WALK_CLOCK) && oomhook_event_expired(ev);
}

/* One pass from @start.  Called under RCU. */
static void walk(struct oomhook_walk *w, const struct oomhook_event *ev,
		 struct cgroup_subsys_state *start)
{
	struct oomhook_unit_node node = { .online = true, .populated = true };
	struct cgroup_subsys_state *pos;
	struct cgroup *skip = NULL;
	struct oomhook_candidate *c;
	unsigned int n = 0;
	int lvl;

	w->best = NULL;
	w->pend = NULL;
	w->leaf.pending = false;
	w->cut = false;
	walk_ancestors(w, start);

	css_for_each_descendant_pre(pos, start) {
		struct cgroup *cgrp = pos->cgroup;

		if (skip) {
			if (cgroup_is_descendant(cgrp, skip))
				continue;
			skip = NULL;
		}
		if (walk_expired(ev, ++n)) {
			/* Unsure whether it is a leaf: not a candidate. */
			w->pend = NULL;
			w->cut = true;
			return;
		}
		/* Removed or empty: no unit, and no child that counts. */
		if ((pos != start && !(pos->flags & CSS_ONLINE)) ||
		    !cgroup_is_populated(cgrp)) {
			skip = cgrp;
			continue;
		}
		lvl = min_t(int, cgrp->level, OOMHOOK_WALK_DEPTH - 1);
		walk_settle(w, lvl);

		walk_measure(w, pos, lvl);
		c = walk_spare(w);
		walk_fill(w, c, pos, lvl);
		node.omit = c->class == OOMHOOK_CLASS_OMIT;
		node.oom_group = c->oom_group;
		node.root = c->root;
		node.deepest = lvl == OOMHOOK_WALK_DEPTH - 1;
		switch (oomhook_unit_classify(&node)) {
		case OOMHOOK_UNIT_SKIP:
			skip = cgrp;
			break;
		case OOMHOOK_UNIT_WHOLE:
			walk_offer(w, c);
			skip = cgrp;
			break;
		case OOMHOOK_UNIT_LEAF:
			w->pend = c;
			w->leaf.pending = true;
			w->leaf.level = lvl;
			break;
		}
	}
	/* Nothing came after the pending cgroup: it is a unit. */
	walk_settle(w, 0);
}

/* The memory css to start from: the deeper of @a and @b, or NULL. */
static struct cgroup *walk_bound(struct cgroup *a, struct cgroup *b)
{
	if (!a)
		return b;
	if (!b)
		return a;
	if (cgroup_is_descendant(a, b))
		return a;
	if (cgroup_is_descendant(b, a))
		return b;
	return NULL;
}

/**
 * oomhook_select_cgroup() - choose the memory cgroup to act upon
 * @ev: the event being handled; its scope bounds the search.
 * @subtree: the policy's own bound, or NULL for the whole hierarchy.
 * @flags: %OOMHOOK_SELECT_UNFROZEN to pass over frozen cgroups, or 0.
 * @victim: receives the best candidate.  The core holds a reference on
 *	@victim->cgrp until the event ends.
 *
 * oomhook_select_cgroup_prio() without priorities by path.
 *
 * Return: as oomhook_select_cgroup_prio().
 */
int oomhook_select_cgroup(const struct oomhook_event *ev,
			  struct cgroup *subtree, unsigned int flags,
			  struct oomhook_candidate *victim)
{
	return oomhook_select_cgroup_prio(ev, subtree, NULL, flags, victim);
}
EXPORT_SYMBOL_GPL(oomhook_select_cgroup);

/**
 * oomhook_select_cgroup_prio() - choose the memory cgroup to act upon
 * @ev: the event being handled; its scope bounds the search.
 * @subtree: the policy's own bound, or NULL for the whole hierarchy.
 * @prio: priorities by cgroup path, besides the markers, or NULL.  Read
 *	during the call only; the caller keeps it alive (RCU).
 * @flags: %OOMHOOK_SELECT_UNFROZEN to pass over frozen cgroups, or 0.
 * @victim: receives the best candidate.  The core holds a reference on
 *	@victim->cgrp until the event ends.
 *
 * Ranks candidates by class (user.oomd_prefer, unmarked, user.oomd_avoid,
 * from the markers, or from @prio for the subtrees its patterns match),
 * then by usage beyond effective protection (see rank.c).  Only callable
 * from a policy's ->handle(); safe in the OOM notifier (no sleeping, no
 * allocation, no file I/O).  At the event's deadline the walk stops and the
 * best candidate found so far is chosen.
 *
 * Return: 0, -ENOENT when there is no eligible cgroup (or the scope and
 * @subtree do not overlap), -ENOSPC when the event holds too many
 * selections already, or another negative errno.
 */
int oomhook_select_cgroup_prio(const struct oomhook_event *ev,
			       struct cgroup *subtree,
			       const struct oomhook_prio *prio,
			       unsigned int flags,
			       struct oomhook_candidate *victim)
{
	struct oomhook_walk *w = &oomhook_walk;
	struct cgroup_subsys_state *start;
	struct task_struct *init;
	struct cgroup *bound;
	int ret = -ENOENT;

	rcu_read_lock();
	bound = walk_bound(ev->scope_cgrp, subtree);
	if (!bound)
		goto out;
	start = rcu_dereference(bound->subsys[memory_cgrp_id]);
	if (!start || mem_cgroup_disabled())
		goto out;

	w->flags = flags;
	w->unknown = false;
	w->prio = prio;
	w->prio_levels = prio ? prio_levels(&prio->prefer) |
				prio_levels(&prio->avoid) : 0;
	w->recursive = cgrp_dfl_root.flags & CGRP_ROOT_MEMORY_RECURSIVE_PROT;
	init = pid_task(find_pid_ns(1, &init_pid_ns), PIDTYPE_PID);
	w->pid1 = init ? task_dfl_cgroup(init) : NULL;
	w->pending = oomhook_track_pending();

	walk(w, ev, start);
	if (w->cut)
		oomhook_count(OOMHOOK_STAT_WALKS_CUT);
	if (w->unknown)
		oomhook_marks_kick();
	if (!w->best)
		goto out;
	ret = oomhook_run_pin(ev, w->best->cgrp);
	if (ret)
		goto out;
	*victim = *w->best;
	kernfs_path(victim->cgrp->kn, victim->path, sizeof(victim->path));
out:
	w->prio = NULL;
	rcu_read_unlock();
	return ret;
}
EXPORT_SYMBOL_GPL(oomhook_select_cgroup_prio);
