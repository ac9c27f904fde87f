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
 * OOM's (the kernel counts its victims too), already in the events file.
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
 * Not covered: the memory_localevents mount option (the counters then move
 * only in the cgroup itself: no child of the root sees them), and children
 * of the root that got the memory controller after they were made (+memory
 * enabled in the root's subtree_control later): they are watched from the
 * next mkdir or rmdir at the root on.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cgroup.h>
#include <linux/fsnotify_backend.h>
#include <linux/kernfs.h>
#include <linux/list.h>
#include <linux/memcontrol.h>
#include <linux/mount.h>
#include <linux/mutex.h>
#include <linux/ratelimit.h>
#include <linux/slab.h>
#include <linux/stat.h>
#include <linux/xarray.h>

#include "internal.h"

/* Victims one pass of the walk collects; the walk repeats until done. */
#define LIMITS_BATCH	8
/* Records of kills in cgroups not owned by root, per interval. */
#define LIMITS_USER_BURST	4
#define LIMITS_USER_INTERVAL	(10 * HZ)

/**
 * struct limits_child - a child of the root, watched
 * @node: in limits_children.
 * @watch: on its memory.events.
 * @cgrp: the child, pinned.
 * @kills: its hierarchical oom_kill counter, as last seen.
 * @seen: the rescan that last found it.
 */
struct limits_child {
	struct list_head node;
	struct oomhook_watch watch;
	struct cgroup *cgrp;
	long kills;
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
 * memory cgroups whose own oom_kill counter rose since last seen, pinned,
 * each with the nearest ancestor-or-self (up to @child) whose own oom
 * counter rose.  Return: how many.
 */
static int limits_collect(struct cgroup *child, struct limits_kill *out)
{
	struct cgroup_subsys_state *top, *pos, *up;
	struct mem_cgroup *memcg;
	int n = 0;
	long kills;

	rcu_read_lock();
	top = rcu_dereference(child->subsys[memory_cgrp_id]);
	if (!top)
		goto out;
	css_for_each_descendant_pre(pos, top) {
		memcg = mem_cgroup_from_css(pos);
		kills = memcg_count(memcg, true, MEMCG_OOM_KILL);
		if (kills == limits_last(cgroup_id(pos->cgroup)).kills ||
		    !cgroup_tryget(pos->cgroup))
			continue;
		out[n] = (struct limits_kill){ .victim = pos->cgroup,
					       .kills = kills };
		for (up = pos; up; up = up == top ? NULL : up->parent) {
			long oom = memcg_count(mem_cgroup_from_css(up), true,
					       MEMCG_OOM);

			if (oom != limits_last(cgroup_id(up->cgroup)).oom) {
				if (cgroup_tryget(up->cgroup)) {
					out[n].limited = up->cgroup;
					out[n].oom = oom;
				}
				break;
			}
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
 * One pass of limits_baseline(), under RCU: up to LIMITS_BATCH memory
 * cgroups in @child's subtree whose own counts differ from those stored,
 * pinned (in .victim), with their counts.  Return: how many.
 */
static int limits_collect_counts(struct cgroup *child,
				 struct limits_kill *out)
{
	struct cgroup_subsys_state *top, *pos;
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
		if ((kills == last.kills && oom == last.oom) ||
		    !cgroup_tryget(pos->cgroup))
			continue;
		out[n] = (struct limits_kill){ .victim = pos->cgroup,
					       .kills = kills, .oom = oom };
		if (++n == LIMITS_BATCH)
			break;
	}
out:
	rcu_read_unlock();
	return n;
}

/*
 * Take the counts of @child's subtree as they are, recording nothing:
 * OOMs before it was watched (before load) are not ours to report, and a
 * count left over from one would have a later kill taken for another.
 */
static void limits_baseline(struct cgroup *child)
{
	struct limits_kill found[LIMITS_BATCH];
	bool stored;
	int i, n;

	mutex_lock(&limits_walk_mutex);
	do {
		n = limits_collect_counts(child, found);
		stored = false;
		for (i = 0; i < n; i++) {
			stored |= limits_store(found[i].victim, &found[i].oom,
					       &found[i].kills);
			cgroup_put(found[i].victim);
		}
	} while (n == LIMITS_BATCH && stored);
	mutex_unlock(&limits_walk_mutex);
}

/*
 * Whether @cgrp's directory is owned by root; a cgroup already removed
 * counts as not.  Under limits_walk_mutex.
 */
static bool limits_root_owned(struct cgroup *cgrp)
{
	struct kstat st;
	struct path dir;
	bool root;
	int ret;

	ret = kernfs_path(cgrp->kn, limits_path, sizeof(limits_path));
	if (ret < 0 || ret >= sizeof(limits_path) ||
	    oomhook_cg_lookup(limits_path, &dir))
		return false;
	if (vfs_getattr_nosec(&dir, &st, STATX_UID, AT_STATX_SYNC_AS_STAT))
		st.uid = d_inode(dir.dentry)->i_uid;
	root = uid_eq(st.uid, GLOBAL_ROOT_UID);
	path_put(&dir);
	return root;
}

/* Record the kernel's kill of @k in the events file; under the walk mutex. */
static void limits_record(const struct limits_kill *k)
{
	/* Too big for the stack; the walk mutex serializes its users. */
	static struct oomhook_record rec;
	int len;

	oomhook_count(OOMHOOK_STAT_MEMCG_OOM_KILLS);
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
	len = scnprintf(rec.trigger, sizeof(rec.trigger), "memcg-oom:");
	kernfs_path(k->limited->kn, rec.trigger + len,
		    sizeof(rec.trigger) - len);
	strscpy(rec.policy, "kernel", sizeof(rec.policy));
	kernfs_path(k->victim->kn, rec.victim, sizeof(rec.victim));
	oomhook_ring_add(&oomhook_events, &rec);
	oomhook_sysfs_notify_events();
}

/* The kernel killed in @child's subtree: find and record the kills. */
static void limits_walk(struct cgroup *child)
{
	struct limits_kill found[LIMITS_BATCH];
	bool stored;
	int i, n;

	mutex_lock(&limits_walk_mutex);
	do {
		n = limits_collect(child, found);
		stored = false;
		for (i = 0; i < n; i++) {
			/* A global OOM's victim is in the events already. */
			if (found[i].limited)
				limits_record(&found[i]);
			stored |= limits_store(found[i].victim, NULL,
					       &found[i].kills);
			if (found[i].limited) {
				limits_store(found[i].limited, &found[i].oom,
					     NULL);
				cgroup_put(found[i].limited);
			}
			cgroup_put(found[i].victim);
		}
	/* Without memory to store counts, the same victims would come back. */
	} while (n == LIMITS_BATCH && stored);
	mutex_unlock(&limits_walk_mutex);
}

static void limits_child_workfn(struct work_struct *work)
{
	struct limits_child *c = container_of(work, struct limits_child,
					      watch.work);
	long kills = limits_kills(c->cgrp);

	if (kills == READ_ONCE(c->kills))
		return;
	WRITE_ONCE(c->kills, kills);
	limits_walk(c->cgrp);
}

/* Watch @cgrp, a child of the root; under limits_mutex. */
static void limits_child_add(struct cgroup *cgrp)
{
	char *path = kmalloc(PATH_MAX, GFP_KERNEL);
	struct limits_child *c;
	struct file *file;
	struct path dir;
	int ret;

	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c || !path)
		goto fail;
	ret = kernfs_path(cgrp->kn, path, PATH_MAX);
	if (ret < 0 || ret >= PATH_MAX || oomhook_cg_lookup(path, &dir))
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
	if (oomhook_watch_arm(&c->watch, file)) {
		cgroup_put(cgrp);
		goto fail;
	}
	limits_baseline(cgrp);
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
	xa_for_each(&limits_counts, id, seen)
		kfree(seen);
	xa_destroy(&limits_counts);
	if (limits_group) {
		fsnotify_put_group(limits_group);
		limits_group = NULL;
	}
}
