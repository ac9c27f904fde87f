// SPDX-License-Identifier: GPL-2.0
/*
 * OOMs at a cgroup's own memory.max, which the OOM notifier never sees
 * (out_of_memory() calls it for global OOMs only): each kill the kernel's
 * memcg OOM killer makes is recorded in the events file, as
 * "trigger=memcg-oom:<the cgroup at its limit> policy=kernel action=kill
 * victim=<the killed task's cgroup>".
 *
 * Nothing polls.  memcg_memory_event() raises a memory cgroup's counters
 * (memory.events) and those of every ancestor below the root, and notifies
 * each one's memory.events file; so a watch (watch.c) on the memory.events
 * of each child of the root sees every memcg OOM below it.  A wake-up reads
 * that child's hierarchical oom_kill counter (one load) and goes no further
 * unless it rose: the hot counters (max, high) of a cgroup that sits at its
 * limit cost a work item and a load each, at most one per ~12 ms (kernfs
 * rate-limits the notification).  When it rose, the work walks the child's
 * subtree for the memory cgroups whose own oom_kill rose (the victims),
 * and for each, up to the child, for the nearest whose own oom counter rose
 * (the cgroup that hit its limit).  A kill with no such cgroup was a global
 * OOM's (the kernel counts its victims there too): the kernel's killer
 * acted after a fallback, or alone, and the kill is recorded as
 * "trigger=oom policy=kernel action=kill victim=<cgroup>", so that every
 * OOM kill on the machine is in the events file.  (oomhook's own kills,
 * through cgroup.kill, raise no oom_kill.)  A task of the root cgroup
 * itself is under no child of the root: its kill is not seen.
 *
 * New children of the root are found through an fsnotify mark on the root
 * cgroup's directory (mkdir and rmdir there), and the watches follow.  The
 * counts last seen are kept for the memory cgroups that had an OOM, keyed
 * by cgroup id: 16 bytes each, until unload.  When a child is first
 * watched its subtree's counts are taken as they are: OOMs before that
 * (before load) are not reported, nor taken for later ones.
 *
 * Any user can get their own tasks killed at a limit as often as they
 * like (systemd delegates user@UID.service, memory.max included): kills in
 * a cgroup not owned by root are recorded at most LIMITS_USER_BURST times
 * per LIMITS_USER_INTERVAL, so that they cannot push oomhook's own
 * decisions out of the events file's ring.  They are counted all the same
 * (memcg_oom_kills, memcg_oom_unrecorded).
 *
 * Acting inside the limit (limit_act, on by default): a wake-up whose
 * child's hierarchical max or high count rose looks, under RCU, for the
 * memory cgroups in its subtree whose usage is within a band of a
 * sixteenth of their memory.max; for those (they are at their limit: a
 * healthy cgroup with page cache sits there too), it reads memory.stat
 * and counts what reclaim could still free: page cache that is not shared
 * memory, and anonymous and shared memory as far as swap has room, under
 * the cgroup's and its ancestors' memory.swap.max.  When that is less than
 * the band, the charging task's reclaim is failing and the kernel's memcg
 * OOM killer is a few retries away: a decision starts, as for a pressure
 * trigger but whatever the cooldown (holding back would only leave the
 * kill to the kernel), with "limit:<cgroup>" as its trigger and that
 * cgroup as its scope, so that nothing outside it is chosen.  It asks for
 * the bytes that bring usage one band below the limit.
 * Whether it wins the race depends on the time the charging task's
 * retries take: with swap, they swap; without, they can be over within a
 * millisecond (README, "Containers").
 *
 * A guard band (limit_guard, opt-in, per cgroup): with no swap, the
 * charging task's retries can be over within a millisecond, before a
 * decision that frees files (tmpfs) is done.  For each cgroup an
 * administrator lists, oomhook sets memory.high a band below memory.max:
 * a task that goes past it is throttled (reclaim, then up to 2 s of sleep
 * on each return to user space) and its charges raise "high", which wakes
 * the watch; so the decision is taken during the throttling, before the
 * hard limit is reached.  Page cache is then reclaimed from the band's
 * lower edge on.  What memory.high was is put back when the cgroup is
 * taken off the list and at unload, unless somebody changed it meanwhile;
 * a memory.max changed later is not followed (take it off, add it again).
 *
 * Not covered: the memory_localevents mount option (the counters then move
 * only in the cgroup itself: no child of the root sees them), and children
 * of the root that got the memory controller after they were made (+memory
 * enabled in the root's subtree_control later): they are watched from the
 * next mkdir or rmdir at the root on.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cgroup.h>
#include <linux/completion.h>
#include <linux/fsnotify_backend.h>
#include <linux/kernfs.h>
#include <linux/list.h>
#include <linux/memcontrol.h>
#include <linux/mount.h>
#include <linux/mutex.h>
#include <linux/page_counter.h>
#include <linux/ratelimit.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/stat.h>
#include <linux/swap.h>
#include <linux/xarray.h>

#include <kunit/visibility.h>

#include "internal.h"

/* Victims one pass of the walk collects; the walk repeats until done. */
#define LIMITS_BATCH	8
/* Records of kills in cgroups not owned by root, per interval. */
#define LIMITS_USER_BURST	4
#define LIMITS_USER_INTERVAL	(10 * HZ)
/* A limited cgroup is at its limit within a sixteenth of memory.max. */
#define LIMITS_BAND_SHIFT	4
/* Cgroups at their limit one wake-up reads memory.stat of, at most. */
#define LIMITS_PINNED_MAX	4
/* Cgroups with a guard band, at most. */
#define LIMITS_GUARD_MAX	16
/* memory.stat is about 1.5 KB on 6.1, 2 KB on 6.12. */
#define LIMITS_STAT_MAX		SZ_4K

/**
 * struct limits_child - a child of the root, watched
 * @node: in limits_children.
 * @watch: on its memory.events.
 * @cgrp: the child, pinned.
 * @kills: its hierarchical oom_kill counter, as last seen.
 * @limits: its hierarchical max and high counters, summed, as last seen.
 * @seen: the rescan that last found it.
 */
struct limits_child {
	struct list_head node;
	struct oomhook_watch watch;
	struct cgroup *cgrp;
	long kills;
	long limits;
	unsigned long seen;
};

/**
 * struct limits_seen - a memory cgroup's own counters, as last seen
 * @oom: memory_events_local[MEMCG_OOM].
 * @kills: memory_events_local[MEMCG_OOM_KILL].
 */
struct limits_seen {
	long oom;
	long kills;
};

static LIST_HEAD(limits_children);
/* Protects limits_children and limits_gen. */
static DEFINE_MUTEX(limits_mutex);
static unsigned long limits_gen;
/* Serializes the walks; protects limits_counts' values. */
static DEFINE_MUTEX(limits_walk_mutex);
static DEFINE_XARRAY(limits_counts);
static struct ratelimit_state limits_user_rs;
/* The walk's path buffer; under limits_walk_mutex. */
static char limits_path[PATH_MAX];
/* Under limits_walk_mutex, too. */
static char limits_stat_buf[LIMITS_STAT_MAX];
static char limits_trigger[OOMHOOK_TRIGGER_MAX];
static struct fsnotify_group *limits_group;
static struct fsnotify_mark *limits_root_mark;
static bool limits_stopping;

static void limits_rescan_workfn(struct work_struct *work);
static DECLARE_WORK(limits_rescan_work, limits_rescan_workfn);

/* The memory controller's css of the root cgroup; under RCU. */
static struct cgroup_subsys_state *limits_root_css(void)
{
	return rcu_dereference(cgrp_dfl_root.cgrp.subsys[memory_cgrp_id]);
}

static long memcg_count(struct mem_cgroup *memcg, bool local, int event)
{
	return atomic_long_read(local ? &memcg->memory_events_local[event] :
					&memcg->memory_events[event]);
}

/* @cgrp's hierarchical oom_kill counter; 0 without the controller. */
static long limits_kills(struct cgroup *cgrp)
{
	struct cgroup_subsys_state *css;
	long kills = 0;

	rcu_read_lock();
	css = rcu_dereference(cgrp->subsys[memory_cgrp_id]);
	if (css)
		kills = memcg_count(mem_cgroup_from_css(css), false,
				    MEMCG_OOM_KILL);
	rcu_read_unlock();
	return kills;
}

/* How often charges met a limit (memory.max, memory.high) below @cgrp. */
static long limits_met(struct cgroup *cgrp)
{
	struct cgroup_subsys_state *css;
	struct mem_cgroup *memcg;
	long met = 0;

	rcu_read_lock();
	css = rcu_dereference(cgrp->subsys[memory_cgrp_id]);
	if (css) {
		memcg = mem_cgroup_from_css(css);
		met = memcg_count(memcg, false, MEMCG_MAX) +
		      memcg_count(memcg, false, MEMCG_HIGH);
	}
	rcu_read_unlock();
	return met;
}

/* ---- acting inside the limit -------------------------------------------- */

/**
 * oomhook_limit_band() - how close to its limit a cgroup is at it
 * @max: the limit, bytes.
 *
 * Return: a sixteenth of @max, bytes.
 */
u64 oomhook_limit_band(u64 max)
{
	return max >> LIMITS_BAND_SHIFT;
}
EXPORT_SYMBOL_IF_KUNIT(oomhook_limit_band);

/**
 * oomhook_limit_pinned() - whether usage is at the limit
 * @usage: bytes.
 * @max: the limit, bytes.
 *
 * Return: true if @usage is within oomhook_limit_band() of @max.
 */
bool oomhook_limit_pinned(u64 usage, u64 max)
{
	return usage >= max - oomhook_limit_band(max);
}
EXPORT_SYMBOL_IF_KUNIT(oomhook_limit_pinned);

/**
 * oomhook_limit_reclaimable() - what reclaim could still free in a cgroup
 * @s: the cgroup, as read.
 *
 * Return: bytes: page cache other than shared memory, and anonymous and
 * shared memory as far as there is swap room for it.
 */
u64 oomhook_limit_reclaimable(const struct oomhook_limit_stat *s)
{
	u64 cache = s->file > s->shmem ? s->file - s->shmem : 0;

	return cache + min(s->anon + s->shmem, s->swap_room);
}
EXPORT_SYMBOL_IF_KUNIT(oomhook_limit_reclaimable);

/**
 * oomhook_limit_exhausted() - whether a cgroup's charges are about to fail
 * @s: the cgroup, as read.
 * @wanted: receives the bytes that bring usage a band below the limit.
 *
 * Return: true if usage is at the limit and what reclaim could free there
 * is less than the band: the kernel's memcg OOM killer is near.
 */
bool oomhook_limit_exhausted(const struct oomhook_limit_stat *s, u64 *wanted)
{
	u64 band = oomhook_limit_band(s->max);

	if (!oomhook_limit_pinned(s->usage, s->max) ||
	    oomhook_limit_reclaimable(s) >= band)
		return false;
	*wanted = s->usage + band - s->max;
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(oomhook_limit_exhausted);

/*
 * Up to LIMITS_PINNED_MAX online memory cgroups of @child's subtree whose
 * usage is at their memory.max, pinned, outermost first.  Return: how
 * many.
 */
static int limits_collect_pinned(struct cgroup *child, struct cgroup **out)
{
	struct cgroup_subsys_state *top, *pos;
	struct mem_cgroup *memcg;
	unsigned long max;
	int n = 0;

	rcu_read_lock();
	top = rcu_dereference(child->subsys[memory_cgrp_id]);
	if (!top)
		goto out;
	css_for_each_descendant_pre(pos, top) {
		memcg = mem_cgroup_from_css(pos);
		max = READ_ONCE(memcg->memory.max);
		if (max == PAGE_COUNTER_MAX || !(pos->flags & CSS_ONLINE) ||
		    !oomhook_limit_pinned((u64)page_counter_read(&memcg->memory)
					  << PAGE_SHIFT, (u64)max << PAGE_SHIFT) ||
		    !cgroup_tryget(pos->cgroup))
			continue;
		out[n] = pos->cgroup;
		if (++n == LIMITS_PINNED_MAX)
			break;
	}
out:
	rcu_read_unlock();
	return n;
}

/*
 * Swap @memcg may still use: the free swap, and the room under the
 * memory.swap.max of it and of each ancestor.  Under RCU.
 */
static u64 limits_swap_room(struct mem_cgroup *memcg)
{
	long free = get_nr_swap_pages();
	unsigned long room = free > 0 ? free : 0, max, used;
	struct cgroup_subsys_state *css;
	struct mem_cgroup *m;

	for (css = &memcg->css; css->parent; css = css->parent) {
		m = mem_cgroup_from_css(css);
		max = READ_ONCE(m->swap.max);
		used = page_counter_read(&m->swap);
		room = min(room, max > used ? max - used : 0);
	}
	return (u64)room << PAGE_SHIFT;
}

/* Read @cgrp into @s, its path into limits_path; under limits_walk_mutex. */
static int limits_read_stat(struct cgroup *cgrp, struct oomhook_limit_stat *s)
{
	struct cgroup_subsys_state *css;
	struct mem_cgroup *memcg;
	struct path dir;
	int ret;

	ret = oomhook_cg_dir(cgrp, limits_path, sizeof(limits_path), &dir);
	if (ret)
		return ret;
	ret = oomhook_cg_read(&dir, "memory.stat", limits_stat_buf,
			      sizeof(limits_stat_buf));
	path_put(&dir);
	if (ret < 0)
		return ret;
	ret = oomhook_parse_key(limits_stat_buf, "anon", &s->anon) ?:
	      oomhook_parse_key(limits_stat_buf, "file", &s->file) ?:
	      oomhook_parse_key(limits_stat_buf, "shmem", &s->shmem);
	if (ret)
		return ret;
	rcu_read_lock();
	css = rcu_dereference(cgrp->subsys[memory_cgrp_id]);
	if (css) {
		memcg = mem_cgroup_from_css(css);
		s->usage = (u64)page_counter_read(&memcg->memory) << PAGE_SHIFT;
		s->max = (u64)READ_ONCE(memcg->memory.max) << PAGE_SHIFT;
		s->swap_room = limits_swap_room(memcg);
	}
	rcu_read_unlock();
	return css ? 0 : -ENOENT;
}

/*
 * Start a decision scoped to @cgrp if it is at its limit with nothing left
 * to reclaim; under limits_walk_mutex.  Return: true if one started.
 */
static bool limits_try(struct cgroup *cgrp, u64 woken_ns)
{
	struct oomhook_limit_stat s;
	u64 wanted;

	oomhook_count(OOMHOOK_STAT_LIMIT_CHECKS);
	if (limits_read_stat(cgrp, &s) || !oomhook_limit_exhausted(&s, &wanted))
		return false;
	scnprintf(limits_trigger, sizeof(limits_trigger), "limit:%s",
		  limits_path);
	return oomhook_limit_fired(limits_trigger, limits_path, cgrp, woken_ns,
				   wanted);
}

/* A charge met a limit below @child: act where one is exhausted. */
static void limits_check(struct cgroup *child, u64 woken_ns)
{
	struct cgroup *pinned[LIMITS_PINNED_MAX];
	bool started = false;
	int i, n;

	n = limits_collect_pinned(child, pinned);
	if (!n)
		return;
	mutex_lock(&limits_walk_mutex);
	for (i = 0; i < n; i++) {
		if (!started)
			started = limits_try(pinned[i], woken_ns);
		cgroup_put(pinned[i]);
	}
	mutex_unlock(&limits_walk_mutex);
}

/* ---- the guard band -------------------------------------------------------- */

/**
 * struct limits_guard - a cgroup whose memory.high oomhook set
 * @path: the cgroup.
 * @high: the memory.high written, bytes.
 * @before: memory.high before, as read ("max" or bytes).
 */
struct limits_guard {
	char path[OOMHOOK_PATH_MAX];
	u64 high;
	char before[OOMHOOK_VALUE_MAX];
};

/*
 * The guards.  Changed under limits_guard_mutex, which is held across the
 * cgroup file I/O, and limits_guard_lock, which readers take alone: a read
 * of limit_guard holds its kernfs file's of->mutex, which cgroup file I/O
 * takes too (for the cgroup's file).
 */
static DEFINE_MUTEX(limits_guard_mutex);
static DEFINE_SPINLOCK(limits_guard_lock);
static struct limits_guard limits_guards[LIMITS_GUARD_MAX];
static unsigned int limits_nr_guards;
static char limits_guard_param[LIMITS_GUARD_MAX * OOMHOOK_PATH_MAX];

/* Under limits_guard_mutex. */
static struct limits_guard *limits_guard_find(const char *path)
{
	unsigned int i;

	for (i = 0; i < limits_nr_guards; i++) {
		if (!strcmp(limits_guards[i].path, path))
			return &limits_guards[i];
	}
	return NULL;
}

/* Set the band on @g->path; under limits_guard_mutex. */
static int limits_guard_set(struct limits_guard *g)
{
	char val[OOMHOOK_VALUE_MAX];
	struct path dir;
	u64 max;
	int ret;

	ret = oomhook_cg_lookup(g->path, &dir);
	if (ret)
		return ret;
	ret = oomhook_cg_read_u64(&dir, "memory.max", &max);
	if (!ret && max == U64_MAX)
		ret = -EINVAL;
	if (!ret)
		ret = oomhook_cg_read(&dir, "memory.high", g->before,
				      sizeof(g->before));
	if (ret >= 0) {
		strim(g->before);
		g->high = round_down(max - oomhook_limit_band(max), PAGE_SIZE);
		snprintf(val, sizeof(val), "%llu", g->high);
		ret = oomhook_cg_write(&dir, "memory.high", val);
	}
	path_put(&dir);
	return ret < 0 ? ret : 0;
}

/*
 * Put memory.high back unless it changed since; a cgroup gone is fine.
 * Under limits_guard_mutex.
 */
static void limits_guard_restore(const struct limits_guard *g)
{
	struct path dir;
	u64 high;

	if (oomhook_cg_lookup(g->path, &dir))
		return;
	if (!oomhook_cg_read_u64(&dir, "memory.high", &high) &&
	    high == g->high)
		oomhook_cg_write(&dir, "memory.high", g->before);
	path_put(&dir);
}

/* Under limits_guard_mutex. */
static void limits_guard_remove(struct limits_guard *g)
{
	limits_guard_restore(g);
	spin_lock(&limits_guard_lock);
	*g = limits_guards[--limits_nr_guards];
	spin_unlock(&limits_guard_lock);
}

/*
 * Add a guard band to @path: -ENOENT without such a cgroup, -EINVAL when
 * its memory.max is "max", -EEXIST, -ENOSPC.  Under limits_guard_mutex.
 */
static int limits_guard_add(const char *path)
{
	struct limits_guard g = { };
	int ret;

	if (limits_guard_find(path))
		return -EEXIST;
	if (limits_nr_guards == LIMITS_GUARD_MAX)
		return -ENOSPC;
	strscpy(g.path, path, sizeof(g.path));
	ret = limits_guard_set(&g);
	if (ret)
		return ret;
	spin_lock(&limits_guard_lock);
	limits_guards[limits_nr_guards++] = g;
	spin_unlock(&limits_guard_lock);
	return 0;
}

/* Under limits_guard_mutex. */
static void limits_guard_clear(void)
{
	while (limits_nr_guards)
		limits_guard_remove(&limits_guards[limits_nr_guards - 1]);
}

/*
 * A command, run in a worker: a sysfs store holds its kernfs file's
 * of->mutex, and cgroup file I/O takes sb_writers and another of->mutex,
 * in the order every write to a cgroup file takes them the other way round
 * (as for the PSI triggers, psi.c).
 */
struct limits_guard_req {
	struct work_struct work;
	struct completion done;
	enum oomhook_verb verb;
	char path[OOMHOOK_PATH_MAX];
	int ret;
};

static void limits_guard_workfn(struct work_struct *work)
{
	struct limits_guard_req *req = container_of(work,
						    struct limits_guard_req,
						    work);
	struct limits_guard *g;

	mutex_lock(&limits_guard_mutex);
	switch (req->verb) {
	case OOMHOOK_VERB_ADD:
		req->ret = limits_guard_add(req->path);
		break;
	case OOMHOOK_VERB_DEL:
		g = limits_guard_find(req->path);
		if (g)
			limits_guard_remove(g);
		else
			req->ret = -ENOENT;
		break;
	case OOMHOOK_VERB_CLEAR:
		limits_guard_clear();
		break;
	}
	mutex_unlock(&limits_guard_mutex);
	complete(&req->done);
}

/**
 * oomhook_limits_guard_cmd() - a write to limit_guard
 * @buf: "add <cgroup>", "del <cgroup>" or "clear".
 *
 * Return: 0, or a negative errno with nothing changed: -EINVAL for a
 * malformed command or a cgroup without memory.max, -ENOENT for a missing
 * cgroup (or, for del, one not listed), -EEXIST, -ENOSPC, -ENOMEM.
 */
int oomhook_limits_guard_cmd(const char *buf)
{
	struct limits_guard_req *req = kzalloc(sizeof(*req), GFP_KERNEL);
	int ret;

	if (!req)
		return -ENOMEM;
	ret = oomhook_parse_path_cmd(buf, &req->verb, req->path,
				     sizeof(req->path));
	if (!ret) {
		INIT_WORK(&req->work, limits_guard_workfn);
		init_completion(&req->done);
		queue_work(oomhook_wq, &req->work);
		wait_for_completion(&req->done);
		ret = req->ret;
	}
	kfree(req);
	return ret;
}

/**
 * oomhook_limits_guard_show() - read limit_guard
 * @buf: a sysfs page.
 *
 * Return: bytes written: one "<cgroup> high=<bytes>" line per cgroup.
 */
ssize_t oomhook_limits_guard_show(char *buf)
{
	unsigned int i;
	ssize_t len = 0;

	spin_lock(&limits_guard_lock);
	for (i = 0; i < limits_nr_guards; i++)
		len += sysfs_emit_at(buf, len, "%s high=%llu\n",
				     limits_guards[i].path,
				     limits_guards[i].high);
	spin_unlock(&limits_guard_lock);
	return len;
}

/* limit_guard=: cgroup paths, comma-separated; checked now, set at init. */
static int limits_guard_param_set(const char *val, const struct kernel_param *kp)
{
	char path[OOMHOOK_PATH_MAX], *tmp, *cur, *item;
	unsigned int nr = 0;
	int ret = 0;

	if (strlen(val) >= sizeof(limits_guard_param))
		return -E2BIG;
	tmp = kstrdup(val, GFP_KERNEL);
	if (!tmp)
		return -ENOMEM;
	cur = strim(tmp);
	while (!ret && *cur && (item = strsep(&cur, ",")) != NULL) {
		ret = oomhook_parse_cgroup_path(item, path, sizeof(path));
		if (!ret && ++nr > LIMITS_GUARD_MAX)
			ret = -ENOSPC;
		if (ret)
			pr_err("bad limit_guard entry \"%s\": %d\n", item, ret);
		if (!cur)
			break;
	}
	kfree(tmp);
	if (!ret)
		strscpy(limits_guard_param, val, sizeof(limits_guard_param));
	return ret;
}

static int limits_guard_param_get(char *buf, const struct kernel_param *kp)
{
	return oomhook_limits_guard_show(buf);
}

static const struct kernel_param_ops limits_guard_param_ops = {
	.set = limits_guard_param_set,
	.get = limits_guard_param_get,
};

module_param_cb(limit_guard, &limits_guard_param_ops, NULL, 0444);
MODULE_PARM_DESC(limit_guard, "Cgroups to set memory.high a sixteenth below memory.max for, comma-separated, e.g. \"/kubepods.slice\". Default none.");

/* Set the bands the parameter lists; a cgroup that cannot be is skipped. */
static void limits_guard_param_apply(void)
{
	char path[OOMHOOK_PATH_MAX], *cur = limits_guard_param, *item;
	int ret;

	mutex_lock(&limits_guard_mutex);
	while ((item = strsep(&cur, ",")) != NULL) {
		if (oomhook_parse_cgroup_path(item, path, sizeof(path)))
			continue;
		ret = limits_guard_add(path);
		if (ret)
			pr_warn("no guard band for %s: %d\n", path, ret);
	}
	mutex_unlock(&limits_guard_mutex);
}

/* ---- recording the kernel's kills ---------------------------------------- */

/* A victim found by the walk, and the cgroup at its limit. */
struct limits_kill {
	struct cgroup *victim;
	struct cgroup *limited;
	long kills;
	long oom;
};

/* The counts last seen of cgroup @id; zero if none.  Under RCU. */
static struct limits_seen limits_last(u64 id)
{
	struct limits_seen *seen = xa_load(&limits_counts, id);

	return seen ? *seen : (struct limits_seen){ 0 };
}

/*
 * One pass over @child's subtree, under RCU: collect up to LIMITS_BATCH
 * memory cgroups whose own oom_kill counter rose since last seen (or, for
 * a @baseline, whose oom_kill or oom counter differs from the one stored),
 * pinned, with their counts.  Unless @baseline, each comes with the
 * nearest ancestor-or-self (up to @child) whose own oom counter rose,
 * pinned too: the cgroup that hit its limit.  Return: how many.
 */
static int limits_collect(struct cgroup *child, bool baseline,
			  struct limits_kill *out)
{
	struct cgroup_subsys_state *top, *pos, *up;
	struct limits_seen last;
	struct mem_cgroup *memcg;
	long kills, oom;
	int n = 0;

	rcu_read_lock();
	top = rcu_dereference(child->subsys[memory_cgrp_id]);
	if (!top)
		goto out;
	css_for_each_descendant_pre(pos, top) {
		memcg = mem_cgroup_from_css(pos);
		kills = memcg_count(memcg, true, MEMCG_OOM_KILL);
		oom = memcg_count(memcg, true, MEMCG_OOM);
		last = limits_last(cgroup_id(pos->cgroup));
		if (kills == last.kills && (!baseline || oom == last.oom))
			continue;
		if (!cgroup_tryget(pos->cgroup))
			continue;
		out[n] = (struct limits_kill){ .victim = pos->cgroup,
					       .kills = kills, .oom = oom };
		for (up = pos; !baseline && up;
		     up = up == top ? NULL : up->parent) {
			oom = memcg_count(mem_cgroup_from_css(up), true,
					  MEMCG_OOM);
			if (oom == limits_last(cgroup_id(up->cgroup)).oom)
				continue;
			if (cgroup_tryget(up->cgroup)) {
				out[n].limited = up->cgroup;
				out[n].oom = oom;
			}
			break;
		}
		if (++n == LIMITS_BATCH)
			break;
	}
out:
	rcu_read_unlock();
	return n;
}

/*
 * Remember @cgrp's counts; under limits_walk_mutex.  Return: false when
 * there was no memory to.
 */
static bool limits_store(struct cgroup *cgrp, const long *oom,
			 const long *kills)
{
	u64 id = cgroup_id(cgrp);
	struct limits_seen *seen = xa_load(&limits_counts, id);

	if (!seen) {
		seen = kzalloc(sizeof(*seen), GFP_KERNEL);
		if (!seen)
			return false;
		if (xa_err(xa_store(&limits_counts, id, seen, GFP_KERNEL))) {
			kfree(seen);
			return false;
		}
	}
	if (oom)
		seen->oom = *oom;
	if (kills)
		seen->kills = *kills;
	return true;
}

/*
 * Whether @cgrp's directory is owned by root; a cgroup already removed
 * counts as not.  Under limits_walk_mutex.
 */
static bool limits_root_owned(struct cgroup *cgrp)
{
	struct path dir;
	bool root;

	if (oomhook_cg_dir(cgrp, limits_path, sizeof(limits_path), &dir))
		return false;
	root = oomhook_cg_root_owned(&dir);
	path_put(&dir);
	return root;
}

/*
 * Record the kernel's kill of @k in the events file, at a limit or at a
 * global OOM (the kernel's killer after a fallback, or alone); under the
 * walk mutex.
 */
static void limits_record(const struct limits_kill *k)
{
	/* Too big for the stack; the walk mutex serializes its users. */
	static struct oomhook_record rec;
	int len;

	/* oomhook chose it: its decision is recorded already. */
	if (!k->limited && oomhook_steer_claim(k->victim))
		return;
	oomhook_count(k->limited ? OOMHOOK_STAT_MEMCG_OOM_KILLS :
				   OOMHOOK_STAT_KERNEL_OOM_KILLS);
	if (!limits_root_owned(k->victim) && !__ratelimit(&limits_user_rs)) {
		oomhook_count(OOMHOOK_STAT_MEMCG_OOM_UNRECORDED);
		return;
	}
	rec = (struct oomhook_record){
		.time_ns = ktime_get_ns(),
		.action = OOMHOOK_ACT_KILL,
		.outcome = OOMHOOK_OUT_NONE,
		.fallback = true,
	};
	if (k->limited) {
		len = scnprintf(rec.trigger, sizeof(rec.trigger), "memcg-oom:");
		kernfs_path(k->limited->kn, rec.trigger + len,
			    sizeof(rec.trigger) - len);
	} else {
		strscpy(rec.trigger, "oom", sizeof(rec.trigger));
	}
	strscpy(rec.policy, "kernel", sizeof(rec.policy));
	kernfs_path(k->victim->kn, rec.victim, sizeof(rec.victim));
	oomhook_ring_add(&oomhook_events, &rec);
	oomhook_sysfs_notify_events();
}

/*
 * The kernel killed in @child's subtree: find and record the kills.  With
 * @baseline, take the subtree's counts as they are and record nothing:
 * OOMs before it was watched (before load) are not ours to report, and a
 * count left over from one would have a later kill taken for another.
 */
static void limits_walk(struct cgroup *child, bool baseline)
{
	struct limits_kill found[LIMITS_BATCH], *k;
	bool stored;
	int i, n;

	mutex_lock(&limits_walk_mutex);
	do {
		n = limits_collect(child, baseline, found);
		stored = false;
		for (i = 0; i < n; i++) {
			k = &found[i];
			if (!baseline)
				limits_record(k);
			/*
			 * A victim's own oom count is stored only in a
			 * baseline: in a walk, storing the limited cgroup's
			 * marks its OOM as reported.
			 */
			stored |= limits_store(k->victim,
					       baseline ? &k->oom : NULL,
					       &k->kills);
			if (k->limited) {
				limits_store(k->limited, &k->oom, NULL);
				cgroup_put(k->limited);
			}
			cgroup_put(k->victim);
		}
	/* Without memory to store counts, the same victims would come back. */
	} while (n == LIMITS_BATCH && stored);
	mutex_unlock(&limits_walk_mutex);
}

static void limits_child_workfn(struct work_struct *work)
{
	struct limits_child *c = container_of(work, struct limits_child,
					      watch.work);
	long met = limits_met(c->cgrp), kills;

	/* First: the kernel's memcg OOM killer may be a few retries away. */
	if (met != c->limits) {
		c->limits = met;
		if (oomhook_knob_get(&oomhook_limit_act))
			limits_check(c->cgrp, READ_ONCE(c->watch.woken_ns));
	}
	kills = limits_kills(c->cgrp);
	if (kills == c->kills)
		return;
	c->kills = kills;
	limits_walk(c->cgrp, false);
}

/* Watch @cgrp, a child of the root; under limits_mutex. */
static void limits_child_add(struct cgroup *cgrp)
{
	char *path = kmalloc(PATH_MAX, GFP_KERNEL);
	struct limits_child *c;
	struct file *file;
	struct path dir;

	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c || !path)
		goto fail;
	if (oomhook_cg_dir(cgrp, path, PATH_MAX, &dir))
		goto fail;
	file = oomhook_cg_open(&dir, "memory.events", O_RDONLY);
	path_put(&dir);
	if (IS_ERR(file))
		goto fail;
	oomhook_watch_init(&c->watch, limits_child_workfn);
	cgroup_get(cgrp);
	c->cgrp = cgrp;
	c->seen = limits_gen;
	/* Kills before now are not ours to report. */
	c->kills = limits_kills(cgrp);
	c->limits = limits_met(cgrp);
	if (oomhook_watch_arm(&c->watch, file)) {
		cgroup_put(cgrp);
		goto fail;
	}
	limits_walk(cgrp, true);
	list_add(&c->node, &limits_children);
	kfree(path);
	return;
fail:
	pr_warn_ratelimited("cannot watch the memory.events of %s\n",
			    path ? path : "a child of the root");
	kfree(path);
	kfree(c);
}

/* Under limits_mutex; not from the child's own work. */
static void limits_child_del(struct limits_child *c)
{
	list_del(&c->node);
	oomhook_watch_stop(&c->watch);
	cgroup_put(c->cgrp);
	kfree(c);
}

/* Under limits_mutex. */
static struct limits_child *limits_child_find(struct cgroup *cgrp)
{
	struct limits_child *c;

	list_for_each_entry(c, &limits_children, node) {
		if (c->cgrp == cgrp)
			return c;
	}
	return NULL;
}

/*
 * The next online child of the root with the memory controller that is not
 * watched yet, pinned; marks the watched ones seen.  Under limits_mutex.
 */
static struct cgroup *limits_next_new(void)
{
	struct cgroup_subsys_state *root, *pos;
	struct cgroup *found = NULL;
	struct limits_child *c;

	rcu_read_lock();
	root = limits_root_css();
	if (!root)
		goto out;
	css_for_each_descendant_pre(pos, root) {
		/* rmdir clears CSS_ONLINE of the cgroup itself at once. */
		if (pos->parent != root ||
		    !(pos->cgroup->self.flags & CSS_ONLINE))
			continue;
		c = limits_child_find(pos->cgroup);
		if (c) {
			c->seen = limits_gen;
			continue;
		}
		if (cgroup_tryget(pos->cgroup)) {
			found = pos->cgroup;
			break;
		}
	}
out:
	rcu_read_unlock();
	return found;
}

/* Bring the watches in line with the root's children. */
static void limits_rescan_workfn(struct work_struct *work)
{
	struct limits_child *c, *tmp;
	struct cgroup *cgrp;

	mutex_lock(&limits_mutex);
	if (limits_stopping)
		goto out;
	limits_gen++;
	while ((cgrp = limits_next_new())) {
		limits_child_add(cgrp);
		cgroup_put(cgrp);
		/* Cannot watch it: the next rescan retries, and sweeps. */
		if (!limits_child_find(cgrp))
			goto out;
	}
	/* Not found online under the root any more: removed. */
	list_for_each_entry_safe(c, tmp, &limits_children, node) {
		if (c->seen != limits_gen)
			limits_child_del(c);
	}
out:
	mutex_unlock(&limits_mutex);
}

/* mkdir or rmdir in the root cgroup: its writer's context; queue only. */
static int limits_event(struct fsnotify_mark *mark, u32 mask,
			struct inode *inode, struct inode *dir,
			const struct qstr *name, u32 cookie)
{
	if (mask & FS_ISDIR)
		queue_work(oomhook_wq, &limits_rescan_work);
	return 0;
}

static void limits_free_mark(struct fsnotify_mark *mark)
{
	kfree(mark);
}

static const struct fsnotify_ops limits_ops = {
	.handle_inode_event = limits_event,
	.free_mark = limits_free_mark,
};

/**
 * oomhook_limits_init() - watch the root's children for memcg OOM kills
 *
 * After the private cgroup2 mount and the workqueue.  Without the memory
 * controller, or when the watches cannot be set up, memcg OOMs go
 * unrecorded, as before; the module loads regardless.
 */
void oomhook_limits_init(void)
{
	struct fsnotify_group *group;
	struct fsnotify_mark *mark;
	struct vfsmount *mnt = oomhook_cg_mnt();

	ratelimit_state_init(&limits_user_rs, LIMITS_USER_INTERVAL,
			     LIMITS_USER_BURST);
	/* Counted in stats: nothing to say in the kernel log. */
	ratelimit_set_flags(&limits_user_rs, RATELIMIT_MSG_ON_RELEASE);
	group = fsnotify_alloc_group(&limits_ops, 0);
	if (IS_ERR(group))
		goto fail;
	mark = kzalloc(sizeof(*mark), GFP_KERNEL);
	if (!mark) {
		fsnotify_put_group(group);
		goto fail;
	}
	fsnotify_init_mark(mark, group);
	mark->mask = FS_CREATE | FS_DELETE;
	if (fsnotify_add_inode_mark(mark, d_inode(mnt->mnt_root), 0)) {
		fsnotify_put_mark(mark);
		fsnotify_put_group(group);
		goto fail;
	}
	limits_group = group;
	limits_root_mark = mark;
	queue_work(oomhook_wq, &limits_rescan_work);
	limits_guard_param_apply();
	return;
fail:
	pr_warn("cannot watch the root cgroup: memcg OOM kills go unrecorded\n");
}

/**
 * oomhook_limits_exit() - take the watches down
 *
 * Before the workqueue goes.
 */
void oomhook_limits_exit(void)
{
	struct limits_child *c, *tmp;
	struct limits_seen *seen;
	unsigned long id;

	if (limits_group) {
		fsnotify_destroy_mark(limits_root_mark, limits_group);
		fsnotify_put_mark(limits_root_mark);
		/* No event handler runs after this, and ->free_mark() is done. */
		fsnotify_wait_marks_destroyed();
	}
	mutex_lock(&limits_mutex);
	limits_stopping = true;
	mutex_unlock(&limits_mutex);
	cancel_work_sync(&limits_rescan_work);
	mutex_lock(&limits_mutex);
	list_for_each_entry_safe(c, tmp, &limits_children, node)
		limits_child_del(c);
	mutex_unlock(&limits_mutex);
	mutex_lock(&limits_guard_mutex);
	limits_guard_clear();
	mutex_unlock(&limits_guard_mutex);
	xa_for_each(&limits_counts, id, seen)
		kfree(seen);
	xa_destroy(&limits_counts);
	if (limits_group) {
		fsnotify_put_group(limits_group);
		limits_group = NULL;
	}
}
