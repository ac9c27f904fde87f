// SPDX-License-Identifier: GPL-2.0
/*
 * The priority markers of memory cgroups, without reading a file on the
 * OOM path.
 *
 * systemd and oomd mark cgroups with xattrs (ManagedOOMPreference=):
 * user.oomd_omit, user.oomd_avoid, user.oomd_prefer, and their trusted.
 * forms.  Reading one on the OOM path is out: kernfs_xattr_get() takes a
 * global mutex on 6.1 (kernfs's iattr_mutex, held while it allocates), and
 * finding the inode may sleep.  So this cache keeps, for every memory
 * cgroup that has an xattr at all, the class its own markers give it,
 * keyed by cgroup id, and the OOM path only looks it up, under RCU:
 *
 * - A cgroup whose kernfs node has no attributes (kn->iattr == NULL) has
 *   never had an xattr, nor a chown: no lookup is needed.
 * - The cache is kept current by fsnotify: a mark on the root cgroup and on
 *   every memory cgroup that has memory cgroups below it reports each
 *   setxattr, removexattr, chown and chmod of the cgroup itself and of its
 *   children (FS_ATTRIB, FS_EVENT_ON_CHILD), synchronously, in the writer's
 *   context, after the change.  The markers are read there, in process
 *   context, and the cache is updated before the writer's system call
 *   returns: a marker set through /sys/fs/cgroup is never missed by a later
 *   decision.
 * - oomhook_marks_refresh() walks the hierarchy from process context (at
 *   load, after each decision, before each PSI decision, when global reclaim
 *   starts: doorbell.c): it caches the cgroups that have xattrs and are not
 *   cached yet, reads every cached one again, marks the new parents, and
 *   forgets the cgroups that went away.  It covers what no mark saw: a
 *   cgroup that became a parent since the last refresh, a change made
 *   through another cgroup2 mount (another cgroup namespace has its own
 *   superblock, so its own inodes).  Until then such a cgroup takes the
 *   class of its nearest cached ancestor.
 *
 * The owner rule: a trusted.* marker counts on any cgroup (only
 * CAP_SYS_ADMIN can set one); a user.* marker counts only on a cgroup owned
 * by root.  With systemd every user owns a delegated subtree
 * (user@UID.service) and can write user.* xattrs there; oomhook ranks across
 * the whole machine, so those must not exempt or protect anything.  This is
 * systemd-oomd's rule too.
 *
 * Markers on cgroups without the memory controller (below a cgroup that did
 * not enable +memory for its children) are not looked up: such a cgroup is
 * part of its memory cgroup's unit.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <kunit/visibility.h>
#include <linux/cgroup.h>
#include <linux/dcache.h>
#include <linux/fs.h>
#include <linux/fsnotify_backend.h>
#include <linux/hashtable.h>
#include <linux/kernfs.h>
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/mount.h>
#include <linux/mutex.h>
#include <linux/path.h>
#include <linux/rculist.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/stat.h>
#include <linux/uidgid.h>
#include <linux/xattr.h>

#include "internal.h"

/* log2 of the hash tables' buckets. */
#define OOMHOOK_MARKS_HASH_BITS	10
/* Enough for a marker xattr's value ("1", "true"). */
#define OOMHOOK_MARK_VALUE_MAX	8
/* What a directory mark listens to: attributes, its own and its children's. */
#define OOMHOOK_MARKS_MASK	(FS_ATTRIB | FS_EVENT_ON_CHILD)

/**
 * struct oomhook_mark - one cached cgroup
 * @node: in oomhook_marks, by @id.
 * @id: the cgroup's id.
 * @cgrp: the cgroup, pinned.
 * @dir: its directory on the private mount, pinned.
 * @state: OOMHOOK_MARK_MARKED if its own markers give it a class, ORed
 *	with that class; read and written with READ_ONCE()/WRITE_ONCE().
 * @seen: the refresh that last found the cgroup.
 * @next_dead: once out of the table, the next entry to free (@node stays
 *	as it was for lookups still passing through).
 */
struct oomhook_mark {
	struct hlist_node node;
	u64 id;
	struct cgroup *cgrp;
	struct path dir;
	u8 state;
	unsigned long seen;
	struct oomhook_mark *next_dead;
};

#define OOMHOOK_MARK_MARKED	0x80
#define OOMHOOK_MARK_CLASS	0x7f

/**
 * struct oomhook_dirmark - an fsnotify mark on a parent memory cgroup
 * @fsn: the mark; freed by its group's ->free_mark().
 * @node: in oomhook_dirmarks, by @id.
 * @id: the cgroup's id.
 * @seen: the refresh that last found the cgroup a parent.
 */
struct oomhook_dirmark {
	struct fsnotify_mark fsn;
	struct hlist_node node;
	u64 id;
	unsigned long seen;
};

static DEFINE_HASHTABLE(oomhook_marks, OOMHOOK_MARKS_HASH_BITS);
/* Changes to oomhook_marks; lookups use RCU. */
static DEFINE_SPINLOCK(oomhook_marks_lock);
/* Serializes refreshes; protects oomhook_dirmarks and the scratch below. */
static DEFINE_MUTEX(oomhook_marks_mutex);
static DEFINE_HASHTABLE(oomhook_dirmarks, OOMHOOK_MARKS_HASH_BITS);
static unsigned long oomhook_marks_gen;
static char oomhook_marks_path[PATH_MAX];
static struct fsnotify_group *oomhook_marks_group;

static const char * const oomhook_marker_names[] = {
	[OOMHOOK_MARKER_OMIT] = "oomd_omit",
	[OOMHOOK_MARKER_AVOID] = "oomd_avoid",
	[OOMHOOK_MARKER_PREFER] = "oomd_prefer",
};

/**
 * oomhook_marker_class() - the class a cgroup's own markers give it
 * @user: the user.oomd_* markers it carries, OOMHOOK_MARKER_* bits.
 * @trusted: the trusted.oomd_* markers it carries.
 * @root_owned: the cgroup's directory is owned by root.
 * @class: receives the class when the result is true.
 *
 * trusted.* markers always count; user.* ones only on a root-owned cgroup.
 * Omit wins over avoid, avoid over prefer.
 *
 * Return: true if a marker that counts is set.
 */
bool oomhook_marker_class(unsigned int user, unsigned int trusted,
			  bool root_owned, enum oomhook_class *class)
{
	unsigned int bits = trusted | (root_owned ? user : 0);

	if (bits & BIT(OOMHOOK_MARKER_OMIT))
		*class = OOMHOOK_CLASS_OMIT;
	else if (bits & BIT(OOMHOOK_MARKER_AVOID))
		*class = OOMHOOK_CLASS_AVOID;
	else if (bits & BIT(OOMHOOK_MARKER_PREFER))
		*class = OOMHOOK_CLASS_PREFER;
	else
		return false;
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(oomhook_marker_class);

/**
 * oomhook_mark_state() - pack what oomhook_marker_class() found
 * @marked: its result.
 * @class: the class, when @marked.
 *
 * Return: the state as the cache keeps it.
 */
u8 oomhook_mark_state(bool marked, enum oomhook_class class)
{
	return marked ? OOMHOOK_MARK_MARKED | class : 0;
}
EXPORT_SYMBOL_IF_KUNIT(oomhook_mark_state);

/**
 * oomhook_mark_apply() - the class of a cgroup, given its cached state
 * @state: from the cache, or 0 when the cgroup has no entry.
 * @inherited: its parent's class.
 *
 * Return: its own class if it is marked, else @inherited.
 */
enum oomhook_class oomhook_mark_apply(u8 state, enum oomhook_class inherited)
{
	if (!(state & OOMHOOK_MARK_MARKED))
		return inherited;
	return state & OOMHOOK_MARK_CLASS;
}
EXPORT_SYMBOL_IF_KUNIT(oomhook_mark_apply);

/* Which of the markers in @prefix @inode carries: OOMHOOK_MARKER_* bits. */
static unsigned int marks_read_prefix(struct dentry *dentry,
				      struct inode *inode, const char *prefix)
{
	char name[XATTR_NAME_MAX + 1];
	char value[OOMHOOK_MARK_VALUE_MAX];
	unsigned int i, bits = 0;
	ssize_t n;

	for (i = 0; i < ARRAY_SIZE(oomhook_marker_names); i++) {
		snprintf(name, sizeof(name), "%s%s", prefix,
			 oomhook_marker_names[i]);
		n = __vfs_getxattr(dentry, inode, name, value, sizeof(value));
		/* Absent, or "0": not set; too long to be "0": set. */
		if (n == -ERANGE || (n > 0 && !(n == 1 && value[0] == '0')))
			bits |= BIT(i);
	}
	return bits;
}

/* The state @dentry's xattrs give it now.  Process context. */
static u8 marks_read(struct dentry *dentry, bool root_owned)
{
	struct inode *inode = d_inode(dentry);
	enum oomhook_class class = OOMHOOK_CLASS_NORMAL;
	unsigned int user, trusted;
	bool marked;

	might_sleep();
	user = marks_read_prefix(dentry, inode, XATTR_USER_PREFIX);
	trusted = marks_read_prefix(dentry, inode, XATTR_TRUSTED_PREFIX);
	marked = oomhook_marker_class(user, trusted, root_owned, &class);
	return oomhook_mark_state(marked, class);
}

/* Called under rcu_read_lock() or oomhook_marks_lock. */
static struct oomhook_mark *marks_find(u64 id)
{
	struct oomhook_mark *m;

	hash_for_each_possible_rcu(oomhook_marks, m, node, id,
				   lockdep_is_held(&oomhook_marks_lock)) {
		if (m->id == id)
			return m;
	}
	return NULL;
}

/* A cgroup that has never had an xattr (nor a chown or chmod) has none. */
static bool marks_possible(struct cgroup *cgrp)
{
	return READ_ONCE(cgrp->kn->iattr);
}

/**
 * oomhook_marks_lookup() - a memory cgroup's class, from the cache
 * @cgrp: the cgroup.
 * @inherited: the class of its parent.
 * @unknown: set when @cgrp has xattrs but is not cached yet (it takes
 *	@inherited until the next refresh).
 *
 * Called under rcu_read_lock(); takes no lock, allocates nothing.
 *
 * Return: @cgrp's class.
 */
enum oomhook_class oomhook_marks_lookup(struct cgroup *cgrp,
					enum oomhook_class inherited,
					bool *unknown)
{
	struct oomhook_mark *m;

	RCU_LOCKDEP_WARN(!rcu_read_lock_held(), "needs rcu_read_lock()");
	if (!marks_possible(cgrp))
		return inherited;
	m = marks_find(cgroup_id(cgrp));
	if (!m) {
		*unknown = true;
		return inherited;
	}
	return oomhook_mark_apply(READ_ONCE(m->state), inherited);
}

/*
 * Cache cgroup @id, whose directory is @dir (a reference the entry takes
 * over), in state @state.  Process context.  Frees what it does not keep.
 */
static void marks_insert(u64 id, struct path *dir, u8 state)
{
	struct oomhook_mark *m;
	struct cgroup *cgrp;

	cgrp = cgroup_get_from_id(id);
	if (IS_ERR(cgrp))
		goto err_dir;
	m = kzalloc(sizeof(*m), GFP_KERNEL);
	if (!m)
		goto err_cgrp;
	m->id = id;
	m->cgrp = cgrp;
	m->dir = *dir;
	m->state = state;
	m->seen = READ_ONCE(oomhook_marks_gen);
	spin_lock(&oomhook_marks_lock);
	if (marks_find(id)) {
		spin_unlock(&oomhook_marks_lock);
		kfree(m);
		goto err_cgrp;
	}
	hash_add_rcu(oomhook_marks, &m->node, id);
	spin_unlock(&oomhook_marks_lock);
	return;
err_cgrp:
	cgroup_put(cgrp);
err_dir:
	path_put(dir);
}

/* Free entries taken out of the table, once no lookup can see them. */
static void marks_free(struct oomhook_mark *dead)
{
	struct oomhook_mark *m;

	if (!dead)
		return;
	synchronize_rcu();
	while ((m = dead)) {
		dead = m->next_dead;
		path_put(&m->dir);
		cgroup_put(m->cgrp);
		kfree(m);
	}
}

/*
 * A directory's attributes changed (setxattr, removexattr, chown, chmod):
 * read its markers again, now.  Runs in the writer's context, after the
 * change; may sleep.  Takes no lock that a refresh holds across VFS calls.
 */
static int marks_event(struct fsnotify_mark *mark, u32 mask,
		       struct inode *inode, struct inode *dir,
		       const struct qstr *name, u32 cookie)
{
	struct kernfs_node *kn = inode->i_private;
	struct oomhook_mark *m;
	struct path path;
	u8 state;

	if (!(mask & FS_ATTRIB) || !S_ISDIR(inode->i_mode) || !kn)
		return 0;
	path.dentry = d_find_any_alias(inode);
	if (!path.dentry)
		return 0;
	path.mnt = oomhook_cg_mnt();
	state = marks_read(path.dentry, uid_eq(inode->i_uid, GLOBAL_ROOT_UID));

	rcu_read_lock();
	m = marks_find(kn->id);
	if (m && READ_ONCE(m->state) != state) {
		WRITE_ONCE(m->state, state);
		oomhook_count(OOMHOOK_STAT_MARKS_CHANGED);
	}
	rcu_read_unlock();
	if (m || !(state & OOMHOOK_MARK_MARKED)) {
		dput(path.dentry);
		return 0;
	}
	/* Newly marked: cache it now, not at the next refresh. */
	mntget(path.mnt);
	marks_insert(kn->id, &path, state);
	oomhook_count(OOMHOOK_STAT_MARKS_CHANGED);
	return 0;
}

static void marks_free_mark(struct fsnotify_mark *fsn)
{
	kfree(container_of(fsn, struct oomhook_dirmark, fsn));
}

static const struct fsnotify_ops oomhook_marks_ops = {
	.handle_inode_event = marks_event,
	.free_mark = marks_free_mark,
};

/* Look up cgroup @id's directory on the private mount; process context. */
static int marks_dir(u64 id, struct path *dir)
{
	struct cgroup *cgrp;
	int ret;

	cgrp = cgroup_get_from_id(id);
	if (IS_ERR(cgrp))
		return PTR_ERR(cgrp);
	ret = oomhook_cg_dir(cgrp, oomhook_marks_path,
			     sizeof(oomhook_marks_path), dir);
	cgroup_put(cgrp);
	return ret;
}

/* Cache the memory cgroup with id @id; under oomhook_marks_mutex. */
static void marks_add(u64 id)
{
	struct path dir;

	if (marks_dir(id, &dir))
		return;
	marks_insert(id, &dir,
		     marks_read(dir.dentry, oomhook_cg_root_owned(&dir)));
}

/* Under oomhook_marks_mutex. */
static struct oomhook_dirmark *dirmark_find(u64 id)
{
	struct oomhook_dirmark *d;

	hash_for_each_possible(oomhook_dirmarks, d, node, id) {
		if (d->id == id)
			return d;
	}
	return NULL;
}

/* Put a mark on the parent memory cgroup @id; under oomhook_marks_mutex. */
static void dirmark_add(u64 id)
{
	struct oomhook_dirmark *d;
	struct path dir;
	int ret;

	if (!oomhook_marks_group || marks_dir(id, &dir))
		return;
	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		goto out;
	fsnotify_init_mark(&d->fsn, oomhook_marks_group);
	d->fsn.mask = OOMHOOK_MARKS_MASK;
	d->id = id;
	d->seen = oomhook_marks_gen;
	ret = fsnotify_add_inode_mark(&d->fsn, d_inode(dir.dentry), 0);
	if (ret) {
		/* The last reference: ->free_mark() frees it. */
		fsnotify_put_mark(&d->fsn);
		goto out;
	}
	hash_add(oomhook_dirmarks, &d->node, id);
out:
	path_put(&dir);
}

static void dirmark_del(struct oomhook_dirmark *d)
{
	hash_del(&d->node);
	fsnotify_destroy_mark(&d->fsn, oomhook_marks_group);
	fsnotify_put_mark(&d->fsn);
}

/* What marks_collect() wants done for a cgroup. */
#define OOMHOOK_WANT_ENTRY	0x1
#define OOMHOOK_WANT_DIRMARK	0x2

/**
 * struct marks_want - a cgroup the refresh has to act upon
 * @id: the cgroup.
 * @what: OOMHOOK_WANT_* bits.
 */
struct marks_want {
	u64 id;
	unsigned int what;
};

/*
 * The memory cgroups that may have xattrs and are not cached, or are
 * parents and not marked; marks the others seen.  Fills at most @max,
 * returns how many there are in all.  Under oomhook_marks_mutex.
 */
static unsigned int marks_collect(struct marks_want *want, unsigned int max)
{
	struct cgroup_subsys_state *root, *pos;
	struct oomhook_dirmark *d;
	struct oomhook_mark *m;
	unsigned int nr = 0, what;
	u64 id;

	rcu_read_lock();
	root = oomhook_root_memcg_css();
	css_for_each_descendant_pre(pos, root) {
		if (pos != root && !(pos->flags & CSS_ONLINE))
			continue;
		id = cgroup_id(pos->cgroup);
		what = 0;
		if (marks_possible(pos->cgroup)) {
			m = marks_find(id);
			if (m)
				m->seen = oomhook_marks_gen;
			else
				what |= OOMHOOK_WANT_ENTRY;
		}
		if (pos == root || !list_empty(&pos->children)) {
			d = dirmark_find(id);
			if (d)
				d->seen = oomhook_marks_gen;
			else
				what |= OOMHOOK_WANT_DIRMARK;
		}
		if (!what)
			continue;
		if (nr < max) {
			want[nr].id = id;
			want[nr].what = what;
		}
		nr++;
	}
	rcu_read_unlock();
	return nr;
}

/**
 * oomhook_marks_refresh() - bring the cache up to date
 *
 * Caches the memory cgroups that have xattrs and are not cached yet, marks
 * the parents that are not marked yet, reads the markers of every cached
 * cgroup again, and drops the cgroups that went away.  Process context:
 * sleeps and allocates.
 */
void oomhook_marks_refresh(void)
{
	struct oomhook_mark *m, *dead = NULL;
	struct marks_want *want = NULL;
	struct oomhook_dirmark *d;
	unsigned int i, nr, max = 0;
	struct hlist_node *tmp;
	int bkt;

	if (!oomhook_root_memcg_css())
		return;
	mutex_lock(&oomhook_marks_mutex);
	WRITE_ONCE(oomhook_marks_gen, oomhook_marks_gen + 1);
	/* Count, make room, collect; the hierarchy may grow in between. */
	for (;;) {
		nr = marks_collect(want, max);
		if (nr <= max)
			break;
		kvfree(want);
		max = nr + nr / 2;
		want = kvmalloc_array(max, sizeof(*want), GFP_KERNEL);
		if (!want) {
			max = 0;
			nr = 0;
			break;
		}
	}
	for (i = 0; i < nr; i++) {
		if (want[i].what & OOMHOOK_WANT_ENTRY)
			marks_add(want[i].id);
		if (want[i].what & OOMHOOK_WANT_DIRMARK)
			dirmark_add(want[i].id);
	}
	kvfree(want);

	hash_for_each_safe(oomhook_dirmarks, bkt, tmp, d, node) {
		if (d->seen != oomhook_marks_gen)
			dirmark_del(d);
	}
	/*
	 * Marks and new entries are in place: read everything once more.
	 * Only this mutex's holder takes entries out; the event handler may
	 * add one at a bucket's head meanwhile, which is safe to walk past.
	 */
	hash_for_each_safe(oomhook_marks, bkt, tmp, m, node) {
		if (m->seen == oomhook_marks_gen &&
		    (m->cgrp->self.flags & CSS_ONLINE)) {
			bool root_owned = oomhook_cg_root_owned(&m->dir);

			WRITE_ONCE(m->state, marks_read(m->dir.dentry,
							root_owned));
			continue;
		}
		spin_lock(&oomhook_marks_lock);
		hash_del_rcu(&m->node);
		spin_unlock(&oomhook_marks_lock);
		m->next_dead = dead;
		dead = m;
	}
	mutex_unlock(&oomhook_marks_mutex);
	oomhook_count(OOMHOOK_STAT_MARKS_REFRESHES);
	marks_free(dead);
}

static void oomhook_marks_workfn(struct work_struct *work)
{
	unsigned int noreclaim = memalloc_noreclaim_save();

	oomhook_marks_refresh();
	memalloc_noreclaim_restore(noreclaim);
}

static DECLARE_WORK(oomhook_marks_work, oomhook_marks_workfn);

/**
 * oomhook_marks_kick() - refresh the cache soon
 *
 * Safe in any context: only queues work.
 */
void oomhook_marks_kick(void)
{
	queue_work(oomhook_wq, &oomhook_marks_work);
}

/**
 * oomhook_marks_init() - set up the fsnotify group
 *
 * Return: 0 or a negative errno.  The cache itself is filled by the first
 * refresh (oomhook_marks_kick()).
 */
int oomhook_marks_init(void)
{
	struct fsnotify_group *group;

	group = fsnotify_alloc_group(&oomhook_marks_ops, 0);
	if (IS_ERR(group))
		return PTR_ERR(group);
	oomhook_marks_group = group;
	return 0;
}

/**
 * oomhook_marks_exit() - empty the cache, take the marks down
 *
 * After the last user: no lookup runs any more.
 */
void oomhook_marks_exit(void)
{
	struct oomhook_mark *m, *dead = NULL;
	struct oomhook_dirmark *d;
	struct hlist_node *tmp;
	int bkt;

	cancel_work_sync(&oomhook_marks_work);
	mutex_lock(&oomhook_marks_mutex);
	hash_for_each_safe(oomhook_dirmarks, bkt, tmp, d, node)
		dirmark_del(d);
	/* No event handler runs after this, and ->free_mark() is done. */
	if (oomhook_marks_group)
		fsnotify_wait_marks_destroyed();
	spin_lock(&oomhook_marks_lock);
	hash_for_each_safe(oomhook_marks, bkt, tmp, m, node) {
		hash_del_rcu(&m->node);
		m->next_dead = dead;
		dead = m;
	}
	spin_unlock(&oomhook_marks_lock);
	mutex_unlock(&oomhook_marks_mutex);
	marks_free(dead);
	if (oomhook_marks_group) {
		fsnotify_put_group(oomhook_marks_group);
		oomhook_marks_group = NULL;
	}
}
