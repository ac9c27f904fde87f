// SPDX-License-Identifier: GPL-2.0
/*
 * tmpfs: free memory by truncating files in opted-in tmpfs directories.
 *
 * A full /tmp, /dev/shm or memory-backed cache directory can exhaust
 * memory, and killing processes does not cure that: the files keep their
 * pages.  This policy truncates such files, which releases their memory at
 * once (even while they are open or mapped), then unlinks them unless the
 * mode is "truncate".  The bytes it reports are the blocks the files
 * actually gave back, so under a global OOM they count as freed and the
 * kernel's killer is not needed.  It is meant as the first link of a chain:
 * "tmpfs,memcg" kills only when the files were not enough.
 *
 * Only what an administrator opted in is ever touched:
 *
 * - "add PATH" opts in a tmpfs directory: its regular files, and those of
 *   its subdirectories, may be freed.
 * - "search PATH" opts in every directory at or below PATH (itself on
 *   tmpfs) that carries the xattr trusted.oomhook_tmpfs (or
 *   user.oomhook_tmpfs, on kernels whose tmpfs has user xattrs, 6.6 and
 *   later) with a value other than "0".
 *
 * The walk never follows symlinks, never enters another mount, goes at most
 * TMPFS_DEPTH_MAX directories deep and looks at no more than scan_max
 * entries per event, within the event's deadline.  Files that are being
 * executed, immutable, append-only, swap files, or locked by a writer are
 * skipped.
 *
 * Nothing outside the opt-in is ever destroyed:
 *
 * - A file with more than one link has, or may have, a name outside the
 *   opted-in directory (ccache's hard_link mode, cp -al snapshots, local git
 *   clones): it is skipped, and the count is checked again under the
 *   file's lock, which link() and unlink() take too.
 * - A file is freed only if, under the lock of the directory the walk found
 *   it in, it is still in that directory and that directory is still below
 *   the opted-in one: a file or directory renamed out of the tree between
 *   the walk and the free is left alone where it went.  The file's own lock
 *   is taken before the directory's is let go, and keeps it from moving
 *   while it is truncated.
 * - A file that is mapped (POSIX shared memory in /dev/shm, an extracted
 *   library in /tmp) or open for writing is skipped unless free_in_use is
 *   set: truncating it would SIGBUS its users, a kill that bypasses every
 *   rule.  Both are checked again under the file's lock; a process that
 *   maps or opens the file after that check still races with the free.
 *
 * An event of one cgroup (at its own memory.max, or its PSI trigger) frees
 * only files whose resident pages are all charged at or below that cgroup:
 * a file charged elsewhere would not relieve it, and is another tenant's.
 * The walk looks at the first pages of each file, the free at all of them
 * under the file's lock (stat elsewhere_skipped).
 *
 * Paths are resolved against the root directory of the process that wrote
 * them (so a chrooted or containerized administrator means what they see),
 * again at every event: a directory that went away is counted, not an error,
 * and a mount is never pinned.
 *
 * Tunables, in /sys/kernel/oomhook/policies/tmpfs/ (and, where named, as
 * module parameters): dirs (module parameters dirs= and search_dirs=,
 * comma-separated), order, mode, scan_max, min_free_mb; stats is read-only.
 * Documentation/ABI/testing/sysfs-kernel-oomhook describes each.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <kunit/visibility.h>
#include <linux/capability.h>
#include <linux/cgroup.h>
#include <linux/cred.h>
#include <linux/dcache.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/fs_struct.h>
#include <linux/magic.h>
#include <linux/memcontrol.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mount.h>
#include <linux/mutex.h>
#include <linux/namei.h>
#include <linux/pagemap.h>
#include <linux/pagevec.h>
#include <linux/path.h>
#include <linux/sched.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <linux/time64.h>

#include "compat.h"
#include "oomhook.h"
#include "tmpfs.h"

/* Most directory entries (add and search) at once. */
#define TMPFS_DIRS_MAX		8
/* Deepest subdirectory the walk enters, counted from an entry. */
#define TMPFS_DEPTH_MAX		8
/* Bounds and default of scan_max, entries looked at per event. */
#define TMPFS_SCAN_MAX_LIMIT	65536
#define TMPFS_SCAN_MAX_DEFAULT	4096
/* Bounds and default of min_free_mb. */
#define TMPFS_MIN_FREE_LIMIT	65536
#define TMPFS_MIN_FREE_DEFAULT	64
/* The opt-in xattr, without its user./trusted. prefix. */
#define TMPFS_MARKER		"oomhook_tmpfs"
/* Longest "verb PATH" line written to dirs. */
#define TMPFS_CMD_MAX		(OOMHOOK_PATH_MAX + 16)
/* Longest dirs=/search_dirs= module parameter. */
#define TMPFS_PARAM_MAX		(TMPFS_DIRS_MAX * OOMHOOK_PATH_MAX)
/* Longest word written to order or mode. */
#define TMPFS_WORD_MAX		16
/* inode->i_blocks counts 512-byte units. */
#define TMPFS_BLOCK_SHIFT	9
/* The only link count at which a file has no name outside the opt-in. */
#define TMPFS_ONE_LINK		1

enum tmpfs_kind {
	TMPFS_ADD,
	TMPFS_SEARCH,
};

static const char * const tmpfs_kind_names[] = {
	[TMPFS_ADD] = "add",
	[TMPFS_SEARCH] = "search",
};

enum tmpfs_mode {
	TMPFS_MODE_DELETE,
	TMPFS_MODE_TRUNCATE,
};

static const char * const tmpfs_mode_names[] = {
	[TMPFS_MODE_DELETE] = "delete",
	[TMPFS_MODE_TRUNCATE] = "truncate",
};

static const char * const tmpfs_order_names[] = {
	[OOMHOOK_TMPFS_LARGEST] = "largest",
	[OOMHOOK_TMPFS_LRU] = "lru",
};

/**
 * struct tmpfs_dir - one line of the dirs file
 * @kind: add or search.
 * @path: as written, normalized.
 * @root: the writer's root directory, which @path is resolved against.
 */
struct tmpfs_dir {
	enum tmpfs_kind kind;
	char path[OOMHOOK_PATH_MAX];
	struct path root;
};

/* The configuration; writers and the snapshot taken per event hold it. */
static DEFINE_MUTEX(tmpfs_cfg_lock);
static struct tmpfs_dir tmpfs_dirs[TMPFS_DIRS_MAX];
static unsigned int tmpfs_nr_dirs;
static unsigned int tmpfs_order = OOMHOOK_TMPFS_LARGEST;
static unsigned int tmpfs_mode = TMPFS_MODE_DELETE;
static struct oomhook_knob tmpfs_scan_max =
	OOMHOOK_KNOB_INIT(scan_max, TMPFS_SCAN_MAX_DEFAULT, 1,
			  TMPFS_SCAN_MAX_LIMIT, false);
static struct oomhook_knob tmpfs_min_free_mb =
	OOMHOOK_KNOB_INIT(min_free_mb, TMPFS_MIN_FREE_DEFAULT, 0,
			  TMPFS_MIN_FREE_LIMIT, false);
static struct oomhook_knob tmpfs_free_in_use =
	OOMHOOK_KNOB_INIT(free_in_use, 0, 0, 1, true);

enum tmpfs_stat {
	TMPFS_STAT_EVENTS,
	TMPFS_STAT_DIRS_SCANNED,
	TMPFS_STAT_ENTRIES_SCANNED,
	TMPFS_STAT_SCAN_LIMITED,
	TMPFS_STAT_FILES_FREED,
	TMPFS_STAT_BYTES_FREED,
	TMPFS_STAT_BUSY_SKIPPED,
	TMPFS_STAT_DIRS_MISSING,
	TMPFS_STAT_LINKED_SKIPPED,
	TMPFS_STAT_IN_USE_SKIPPED,
	TMPFS_STAT_MOVED_SKIPPED,
	TMPFS_STAT_ELSEWHERE_SKIPPED,
	TMPFS_NR_STATS,
};

static const char * const tmpfs_stat_names[TMPFS_NR_STATS] = {
	[TMPFS_STAT_EVENTS] = "events",
	[TMPFS_STAT_DIRS_SCANNED] = "dirs_scanned",
	[TMPFS_STAT_ENTRIES_SCANNED] = "entries_scanned",
	[TMPFS_STAT_SCAN_LIMITED] = "scan_limited",
	[TMPFS_STAT_FILES_FREED] = "files_freed",
	[TMPFS_STAT_BYTES_FREED] = "bytes_freed",
	[TMPFS_STAT_BUSY_SKIPPED] = "busy_skipped",
	[TMPFS_STAT_DIRS_MISSING] = "dirs_missing",
	[TMPFS_STAT_LINKED_SKIPPED] = "linked_skipped",
	[TMPFS_STAT_IN_USE_SKIPPED] = "in_use_skipped",
	[TMPFS_STAT_MOVED_SKIPPED] = "moved_skipped",
	[TMPFS_STAT_ELSEWHERE_SKIPPED] = "elsewhere_skipped",
};

static atomic_long_t tmpfs_stats[TMPFS_NR_STATS];

static void tmpfs_count(enum tmpfs_stat stat, long n)
{
	atomic_long_add(n, &tmpfs_stats[stat]);
}

/* ---- ranking: pure functions, tested by kunit/tmpfs_kunit.c ------------ */

/**
 * oomhook_tmpfs_before() - whether file @a is freed before file @b
 * @order: largest first, or least recently used first.
 * @a: a file.
 * @b: another file.
 *
 * Ties on the order's own key fall to the other key, then to the lower
 * inode number, so the order is total and independent of the walk.
 *
 * Return: true if @a goes first.
 */
bool oomhook_tmpfs_before(enum oomhook_tmpfs_order order,
			  const struct oomhook_tmpfs_key *a,
			  const struct oomhook_tmpfs_key *b)
{
	if (order == OOMHOOK_TMPFS_LRU && a->used_ns != b->used_ns)
		return a->used_ns < b->used_ns;
	if (a->bytes != b->bytes)
		return a->bytes > b->bytes;
	if (a->used_ns != b->used_ns)
		return a->used_ns < b->used_ns;
	return a->ino < b->ino;
}
EXPORT_SYMBOL_IF_KUNIT(oomhook_tmpfs_before);

/**
 * oomhook_tmpfs_offer() - offer a file to the set of files to free
 * @set: the set; it keeps the %OOMHOOK_TMPFS_SET_MAX files that go first.
 * @order: the order.
 * @key: the file.
 *
 * Return: the slot @key now occupies (its previous occupant, if any, is
 * out), or -1 when @key is not kept: it holds no memory, or the set is full
 * of files that go before it.
 */
int oomhook_tmpfs_offer(struct oomhook_tmpfs_set *set,
			enum oomhook_tmpfs_order order,
			const struct oomhook_tmpfs_key *key)
{
	unsigned int i, worst = 0;

	if (!key->bytes)
		return -1;
	if (set->nr < OOMHOOK_TMPFS_SET_MAX) {
		set->key[set->nr] = *key;
		return set->nr++;
	}
	for (i = 1; i < set->nr; i++) {
		if (oomhook_tmpfs_before(order, &set->key[worst], &set->key[i]))
			worst = i;
	}
	if (!oomhook_tmpfs_before(order, key, &set->key[worst]))
		return -1;
	set->key[worst] = *key;
	return worst;
}
EXPORT_SYMBOL_IF_KUNIT(oomhook_tmpfs_offer);

/**
 * oomhook_tmpfs_sort() - the set's slots in the order files are freed
 * @set: the set.
 * @order: the order.
 * @idx: receives @set->nr slot numbers, first to free first.
 */
void oomhook_tmpfs_sort(const struct oomhook_tmpfs_set *set,
			enum oomhook_tmpfs_order order,
			unsigned int idx[OOMHOOK_TMPFS_SET_MAX])
{
	unsigned int i, j, v;

	for (i = 0; i < set->nr; i++) {
		v = i;
		for (j = i; j > 0 &&
		     oomhook_tmpfs_before(order, &set->key[v],
					  &set->key[idx[j - 1]]); j--)
			idx[j] = idx[j - 1];
		idx[j] = v;
	}
}
EXPORT_SYMBOL_IF_KUNIT(oomhook_tmpfs_sort);

/* ---- the walk ----------------------------------------------------------- */

/**
 * struct tmpfs_walk - one event's walk; the core never runs two at once
 * @ctx: iterate_dir()'s context; its actor takes one entry per call.
 * @ev: the event, for its deadline.
 * @order: the order, fixed for the event.
 * @scan_max: entries this event may look at.
 * @scanned: entries looked at.
 * @limited: the walk stopped early (scan_max or the deadline).
 * @free_in_use: free mapped files and files open for writing too.
 * @scope: the event's cgroup, for an event of one cgroup: only files
 *	charged inside it are freed; NULL otherwise.
 * @dir: the configured entry being walked, for the report.
 * @name: the entry the actor took.
 * @namelen: its length.
 * @got: the actor took an entry in this call.
 * @set: the files to free, ranked.
 * @file: the files in @set, slot for slot.
 * @parent: the directory each file was found in.
 * @opt_root: the opted-in directory each file was found below (the
 *	configured entry, or the marked directory of a search entry).
 * @from: the configured entry each file was found under.
 */
struct tmpfs_walk {
	struct dir_context ctx;
	const struct oomhook_event *ev;
	enum oomhook_tmpfs_order order;
	unsigned int scan_max;
	unsigned int scanned;
	bool limited;
	bool free_in_use;
	struct cgroup *scope;
	unsigned int dir;
	char name[NAME_MAX + 1];
	int namelen;
	bool got;
	struct oomhook_tmpfs_set set;
	struct path file[OOMHOOK_TMPFS_SET_MAX];
	struct dentry *parent[OOMHOOK_TMPFS_SET_MAX];
	struct dentry *opt_root[OOMHOOK_TMPFS_SET_MAX];
	u8 from[OOMHOOK_TMPFS_SET_MAX];
};

/* Scratch for ->handle(), which the core never runs concurrently. */
static struct tmpfs_walk tmpfs_walk;
static struct tmpfs_dir tmpfs_snap[TMPFS_DIRS_MAX];

/*
 * Take one entry per iterate_dir() call: accept the first one (so the
 * directory's position moves past it) and refuse the next (so it is offered
 * again by the following call).
 */
static bool tmpfs_actor(struct dir_context *ctx, const char *name, int len,
			loff_t pos, u64 ino, unsigned int type)
{
	struct tmpfs_walk *w = container_of(ctx, struct tmpfs_walk, ctx);

	if (is_dot_dotdot(name, len))
		return true;
	if (w->got || len > NAME_MAX)
		return false;
	memcpy(w->name, name, len);
	w->name[len] = '\0';
	w->namelen = len;
	w->got = true;
	return true;
}

/* Last use of a file, the later of its access and modification times. */
static s64 tmpfs_used_ns(const struct inode *inode)
{
	struct timespec64 atime = oomhook_inode_atime(inode);
	struct timespec64 mtime = oomhook_inode_mtime(inode);

	return max(timespec64_to_ns(&atime), timespec64_to_ns(&mtime));
}

/* Mapped, or open for writing: freeing it would SIGBUS somebody. */
static bool tmpfs_in_use(struct inode *inode)
{
	return mapping_mapped(inode->i_mapping) ||
	       atomic_read(&inode->i_writecount) > 0;
}

/*
 * Whether the resident pages of @inode are all charged to memory cgroups
 * at or below @scope (and there is one at least); with @first, only the
 * first batch of them is looked at.  Freeing a file charged elsewhere would
 * not relieve the scope, and the file is another tenant's.
 */
static bool tmpfs_charged_in(struct inode *inode, struct cgroup *scope,
			     bool first)
{
	struct folio_batch fbatch;
	struct mem_cgroup *memcg;
	bool inside = true, any = false;
	pgoff_t index = 0;
	unsigned int i, n;

	folio_batch_init(&fbatch);
	while (inside && (n = filemap_get_folios(inode->i_mapping, &index,
						 ULONG_MAX, &fbatch))) {
		for (i = 0; i < n && inside; i++) {
			memcg = folio_memcg(fbatch.folios[i]);
			inside = memcg &&
				 cgroup_is_descendant(memcg->css.cgroup, scope);
		}
		any = true;
		folio_batch_release(&fbatch);
		if (first)
			break;
		cond_resched();
	}
	return inside && any;
}

/*
 * Whether the walk may offer @inode at all; checked again under the locks
 * when it is freed (tmpfs_free_one()).
 */
static bool tmpfs_may_free(struct tmpfs_walk *w, struct inode *inode)
{
	if (READ_ONCE(inode->i_nlink) != TMPFS_ONE_LINK) {
		tmpfs_count(TMPFS_STAT_LINKED_SKIPPED, 1);
		return false;
	}
	if (!w->free_in_use && tmpfs_in_use(inode)) {
		tmpfs_count(TMPFS_STAT_IN_USE_SKIPPED, 1);
		return false;
	}
	if (w->scope && !tmpfs_charged_in(inode, w->scope, true)) {
		tmpfs_count(TMPFS_STAT_ELSEWHERE_SKIPPED, 1);
		return false;
	}
	return true;
}

static void tmpfs_put_slot(struct tmpfs_walk *w, unsigned int slot)
{
	if (!w->file[slot].dentry)
		return;
	path_put(&w->file[slot]);
	dput(w->parent[slot]);
	dput(w->opt_root[slot]);
	w->file[slot].dentry = NULL;
}

static void tmpfs_consider(struct tmpfs_walk *w, const struct path *dir,
			   struct dentry *opt_root, struct dentry *dentry)
{
	struct inode *inode = d_inode(dentry);
	struct oomhook_tmpfs_key key = {
		.bytes = (u64)inode->i_blocks << TMPFS_BLOCK_SHIFT,
		.used_ns = tmpfs_used_ns(inode),
		.ino = inode->i_ino,
	};
	int slot;

	if (!key.bytes || !tmpfs_may_free(w, inode))
		return;
	slot = oomhook_tmpfs_offer(&w->set, w->order, &key);
	if (slot < 0)
		return;
	tmpfs_put_slot(w, slot);
	w->file[slot].mnt = mntget(dir->mnt);
	w->file[slot].dentry = dget(dentry);
	w->parent[slot] = dget(dir->dentry);
	w->opt_root[slot] = dget(opt_root);
	w->from[slot] = w->dir;
}

static bool tmpfs_walk_stop(struct tmpfs_walk *w)
{
	if (w->scanned < w->scan_max && !oomhook_event_expired(w->ev))
		return false;
	w->limited = true;
	return true;
}

/*
 * Walk @dir: its regular files are candidates when @opt_root is set (the
 * opted-in directory it is at or below: an "add" entry, or a marked
 * directory), its subdirectories are walked in turn.  Symlinks, special
 * files and mount points are passed over.
 */
static void tmpfs_walk_dir(struct tmpfs_walk *w, const struct path *dir,
			   unsigned int depth, struct dentry *opt_root)
{
	struct file *f;

	if (tmpfs_walk_stop(w))
		return;
	if (!opt_root && oomhook_marked(dir->dentry, TMPFS_MARKER))
		opt_root = dir->dentry;
	f = dentry_open(dir, O_RDONLY | O_DIRECTORY, current_cred());
	if (IS_ERR(f))
		return;
	tmpfs_count(TMPFS_STAT_DIRS_SCANNED, 1);

	while (!tmpfs_walk_stop(w)) {
		struct dentry *child;

		w->got = false;
		if (iterate_dir(f, &w->ctx) < 0 || !w->got)
			break;
		w->scanned++;
		/* A long walk in a worker must not hog its CPU. */
		cond_resched();
		child = lookup_one_len_unlocked(w->name, dir->dentry,
						w->namelen);
		if (IS_ERR(child))
			continue;
		if (d_really_is_positive(child) && !d_mountpoint(child)) {
			if (d_is_dir(child) && depth < TMPFS_DEPTH_MAX) {
				struct path sub = { .mnt = dir->mnt,
						    .dentry = child };

				tmpfs_walk_dir(w, &sub, depth + 1, opt_root);
			} else if (d_is_reg(child) && opt_root) {
				tmpfs_consider(w, dir, opt_root, child);
			}
		}
		dput(child);
	}
	fput(f);
}

/* ---- freeing ------------------------------------------------------------- */

/* Whether freeing @inode could break something that is not just data. */
static bool tmpfs_untouchable(struct inode *inode)
{
	return IS_IMMUTABLE(inode) || IS_APPEND(inode) || IS_SWAPFILE(inode) ||
	       atomic_read(&inode->i_writecount) < 0;
}

static int tmpfs_truncate(struct dentry *dentry)
{
	struct iattr attr = {
		.ia_valid = ATTR_SIZE | ATTR_MTIME | ATTR_CTIME,
		.ia_size = 0,
	};

	return notify_change(OOMHOOK_NOP_IDMAP, dentry, &attr, NULL);
}

/*
 * Whether the file in slot @s is still where the walk found it: a name in
 * the same directory, and that directory still below the opted-in one
 * (marked still, for a search entry).  Called with the directory locked, so
 * that no rename moves the file out or in meanwhile.
 */
static bool tmpfs_still_there(const struct tmpfs_walk *w, unsigned int s)
{
	struct dentry *dentry = w->file[s].dentry, *parent = w->parent[s];

	lockdep_assert_held(&d_inode(parent)->i_rwsem);
	if (dentry->d_parent != parent || d_unhashed(dentry))
		return false;
	if (!is_subdir(parent, w->opt_root[s]))
		return false;
	return tmpfs_snap[w->from[s]].kind == TMPFS_ADD ||
	       oomhook_marked(w->opt_root[s], TMPFS_MARKER);
}

/*
 * Truncate (and unlink) the file in slot @s; returns the bytes it gave back.
 *
 * The directory's lock is held for the checks and taken again for the
 * unlink, not across the truncation: truncating a large file takes long,
 * and others (a rename elsewhere in the directory) must not wait for it.
 * Holding the file's own lock is enough meanwhile: link(), unlink() and
 * the rename of a file all take it, so the file cannot gain a name or move
 * while it is truncated.  Every lock is only tried: a task holding one may
 * be allocating, which is what this policy runs against.  vfs_unlink()
 * takes the file's lock, which we held a moment ago, and is not attempted
 * while somebody holds it.
 */
static u64 tmpfs_free_one(struct tmpfs_walk *w, unsigned int s,
			  enum tmpfs_mode mode)
{
	struct dentry *dentry = w->file[s].dentry;
	struct vfsmount *mnt = w->file[s].mnt;
	struct inode *dir = d_inode(w->parent[s]);
	struct inode *inode = d_inode(dentry);
	enum tmpfs_stat skip = TMPFS_STAT_BUSY_SKIPPED;
	blkcnt_t before, after;
	int ret;

	if (tmpfs_untouchable(inode) || mnt_want_write(mnt))
		goto skip;
	if (!inode_trylock(dir))
		goto drop_write;
	if (!tmpfs_still_there(w, s)) {
		skip = TMPFS_STAT_MOVED_SKIPPED;
		goto unlock_dir;
	}
	if (!inode_trylock(inode))
		goto unlock_dir;
	inode_unlock(dir);
	/* link(), unlink(), rename() and the checks below hold the file's lock. */
	if (tmpfs_untouchable(inode))
		goto unlock_inode;
	if (inode->i_nlink != TMPFS_ONE_LINK) {
		skip = TMPFS_STAT_LINKED_SKIPPED;
		goto unlock_inode;
	}
	if (!w->free_in_use && tmpfs_in_use(inode)) {
		skip = TMPFS_STAT_IN_USE_SKIPPED;
		goto unlock_inode;
	}
	/* Writes take the file's lock: no page is charged meanwhile. */
	if (w->scope && !tmpfs_charged_in(inode, w->scope, false)) {
		skip = TMPFS_STAT_ELSEWHERE_SKIPPED;
		goto unlock_inode;
	}
	before = inode->i_blocks;
	ret = tmpfs_truncate(dentry);
	after = inode->i_blocks;
	inode_unlock(inode);
	if (!ret && mode == TMPFS_MODE_DELETE && inode_trylock(dir)) {
		if (tmpfs_still_there(w, s) && !inode_is_locked(inode))
			vfs_unlink(OOMHOOK_NOP_IDMAP, dir, dentry, NULL);
		inode_unlock(dir);
	}
	mnt_drop_write(mnt);
	if (ret || after >= before)
		return 0;
	return (u64)(before - after) << TMPFS_BLOCK_SHIFT;

unlock_inode:
	inode_unlock(inode);
	goto drop_write;
unlock_dir:
	inode_unlock(dir);
drop_write:
	mnt_drop_write(mnt);
skip:
	tmpfs_count(skip, 1);
	return 0;
}

/* "/a:3,/b:1": the configured entries files were freed under, and how many. */
static void tmpfs_report(char *buf, size_t size, const struct tmpfs_dir *dirs,
			 const unsigned int *files, unsigned int nr)
{
	size_t len = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < nr && len < size; i++) {
		if (!files[i])
			continue;
		len += scnprintf(buf + len, size - len, "%s%s:%u",
				 len ? "," : "", dirs[i].path, files[i]);
	}
}

/* ---- the policy ---------------------------------------------------------- */

static unsigned int tmpfs_snapshot(struct tmpfs_dir *snap)
{
	unsigned int i, nr;

	mutex_lock(&tmpfs_cfg_lock);
	nr = tmpfs_nr_dirs;
	for (i = 0; i < nr; i++) {
		snap[i] = tmpfs_dirs[i];
		path_get(&snap[i].root);
	}
	mutex_unlock(&tmpfs_cfg_lock);
	return nr;
}

static bool tmpfs_is_tmpfs(const struct path *path)
{
	return path->mnt->mnt_sb->s_magic == TMPFS_MAGIC;
}

/* Resolve a configured path as its writer sees it; never the last symlink. */
static int tmpfs_resolve(const struct path *root, const char *name,
			 struct path *dir)
{
	struct file *f;

	f = file_open_root(root, name, O_PATH | O_DIRECTORY | O_NOFOLLOW, 0);
	if (IS_ERR(f))
		return PTR_ERR(f);
	*dir = f->f_path;
	path_get(dir);
	fput(f);
	return 0;
}

static int tmpfs_handle(const struct oomhook_event *ev,
			struct oomhook_result *res)
{
	struct tmpfs_walk *w = &tmpfs_walk;
	unsigned int idx[OOMHOOK_TMPFS_SET_MAX];
	unsigned int files[TMPFS_DIRS_MAX] = { 0 };
	enum tmpfs_mode mode = READ_ONCE(tmpfs_mode);
	unsigned int i, nr, nfiles = 0;
	u64 target, done = 0;

	nr = tmpfs_snapshot(tmpfs_snap);
	if (!nr)
		return 0;
	tmpfs_count(TMPFS_STAT_EVENTS, 1);

	memset(w, 0, sizeof(*w));
	w->ctx.actor = tmpfs_actor;
	w->ev = ev;
	w->order = READ_ONCE(tmpfs_order);
	w->scan_max = oomhook_knob_get(&tmpfs_scan_max);
	w->free_in_use = oomhook_knob_get(&tmpfs_free_in_use);
	/* An event of one cgroup (its limit, its PSI trigger) frees its own. */
	if (ev->scope_cgrp && cgroup_parent(ev->scope_cgrp))
		w->scope = ev->scope_cgrp;
	for (i = 0; i < nr && !w->limited; i++) {
		struct path dir;

		if (tmpfs_resolve(&tmpfs_snap[i].root, tmpfs_snap[i].path,
				  &dir)) {
			tmpfs_count(TMPFS_STAT_DIRS_MISSING, 1);
			continue;
		}
		if (tmpfs_is_tmpfs(&dir)) {
			w->dir = i;
			tmpfs_walk_dir(w, &dir, 0,
				       tmpfs_snap[i].kind == TMPFS_ADD ?
				       dir.dentry : NULL);
		} else {
			tmpfs_count(TMPFS_STAT_DIRS_MISSING, 1);
		}
		path_put(&dir);
	}
	tmpfs_count(TMPFS_STAT_ENTRIES_SCANNED, w->scanned);
	if (w->limited)
		tmpfs_count(TMPFS_STAT_SCAN_LIMITED, 1);

	target = max_t(u64, ev->wanted,
		       (u64)oomhook_knob_get(&tmpfs_min_free_mb) * SZ_1M);
	oomhook_tmpfs_sort(&w->set, w->order, idx);
	for (i = 0; i < w->set.nr && done < target; i++) {
		unsigned int s = idx[i];
		u64 bytes;

		if (oomhook_event_expired(ev))
			break;
		if (ev->dry_run)
			bytes = w->set.key[s].bytes;
		else
			bytes = tmpfs_free_one(w, s, mode);
		if (!bytes)
			continue;
		done += bytes;
		nfiles++;
		files[w->from[s]]++;
	}

	if (nfiles) {
		tmpfs_report(res->victim, sizeof(res->victim), tmpfs_snap,
			     files, nr);
		if (ev->dry_run) {
			res->action = OOMHOOK_ACT_DRY_RUN;
			res->expected = done;
		} else {
			res->action = OOMHOOK_ACT_FREED;
			res->freed = done;
			tmpfs_count(TMPFS_STAT_FILES_FREED, nfiles);
			tmpfs_count(TMPFS_STAT_BYTES_FREED, done);
		}
	}

	for (i = 0; i < w->set.nr; i++)
		tmpfs_put_slot(w, i);
	for (i = 0; i < nr; i++)
		path_put(&tmpfs_snap[i].root);
	return 0;
}

/* ---- configuration --------------------------------------------------------- */

static int tmpfs_find(const char *path)
{
	unsigned int i;

	for (i = 0; i < tmpfs_nr_dirs; i++) {
		if (!strcmp(tmpfs_dirs[i].path, path))
			return i;
	}
	return -1;
}

/* Opt in @path (normalized), resolved against the caller's root. */
static int tmpfs_add(enum tmpfs_kind kind, const char *path)
{
	struct tmpfs_dir *d;
	struct path root, dir;
	int ret;

	get_fs_root(current->fs, &root);
	ret = tmpfs_resolve(&root, path, &dir);
	if (ret)
		goto out;
	if (!tmpfs_is_tmpfs(&dir)) {
		pr_warn_ratelimited("refused %s: it is on %s, not tmpfs\n",
				    path, dir.mnt->mnt_sb->s_type->name);
		ret = -EXDEV;
	}
	path_put(&dir);
	if (ret)
		goto out;

	mutex_lock(&tmpfs_cfg_lock);
	if (tmpfs_find(path) >= 0) {
		ret = -EEXIST;
	} else if (tmpfs_nr_dirs >= TMPFS_DIRS_MAX) {
		ret = -ENOSPC;
	} else {
		d = &tmpfs_dirs[tmpfs_nr_dirs++];
		d->kind = kind;
		strscpy(d->path, path, sizeof(d->path));
		d->root = root;
		root.mnt = NULL;
	}
	mutex_unlock(&tmpfs_cfg_lock);
out:
	if (root.mnt)
		path_put(&root);
	return ret;
}

static int tmpfs_del(const char *path)
{
	struct path root;
	int i;

	mutex_lock(&tmpfs_cfg_lock);
	i = tmpfs_find(path);
	if (i < 0) {
		mutex_unlock(&tmpfs_cfg_lock);
		return -ENOENT;
	}
	root = tmpfs_dirs[i].root;
	memmove(&tmpfs_dirs[i], &tmpfs_dirs[i + 1],
		(tmpfs_nr_dirs - i - 1) * sizeof(tmpfs_dirs[0]));
	tmpfs_nr_dirs--;
	mutex_unlock(&tmpfs_cfg_lock);
	path_put(&root);
	return 0;
}

static void tmpfs_clear(void)
{
	struct path roots[TMPFS_DIRS_MAX];
	unsigned int i, nr;

	mutex_lock(&tmpfs_cfg_lock);
	nr = tmpfs_nr_dirs;
	for (i = 0; i < nr; i++)
		roots[i] = tmpfs_dirs[i].root;
	tmpfs_nr_dirs = 0;
	mutex_unlock(&tmpfs_cfg_lock);
	for (i = 0; i < nr; i++)
		path_put(&roots[i]);
}

/* "add PATH", "search PATH", "del PATH" or "clear". */
static int tmpfs_dirs_cmd(const char *buf)
{
	char path[OOMHOOK_PATH_MAX];
	char *cmd, *arg;
	int ret, kind;

	buf = skip_spaces(buf);
	if (strnlen(buf, TMPFS_CMD_MAX) >= TMPFS_CMD_MAX)
		return -ENAMETOOLONG;
	cmd = kstrdup(buf, GFP_KERNEL);
	if (!cmd)
		return -ENOMEM;
	arg = strim(cmd);
	if (!strcmp(arg, "clear")) {
		tmpfs_clear();
		ret = 0;
		goto out;
	}
	ret = -EINVAL;
	arg = strpbrk(cmd, " \t");
	if (!arg)
		goto out;
	*arg++ = '\0';
	ret = oomhook_parse_cgroup_path(arg, path, sizeof(path));
	if (ret)
		goto out;
	if (!strcmp(cmd, "del")) {
		ret = tmpfs_del(path);
		goto out;
	}
	kind = match_string(tmpfs_kind_names, ARRAY_SIZE(tmpfs_kind_names), cmd);
	ret = kind < 0 ? -EINVAL : tmpfs_add(kind, path);
out:
	kfree(cmd);
	return ret;
}

static ssize_t tmpfs_dirs_show(char *buf, enum tmpfs_kind only, bool param)
{
	ssize_t len = 0;
	unsigned int i;

	mutex_lock(&tmpfs_cfg_lock);
	for (i = 0; i < tmpfs_nr_dirs; i++) {
		const struct tmpfs_dir *d = &tmpfs_dirs[i];

		if (!param)
			len += sysfs_emit_at(buf, len, "%s %s\n",
					     tmpfs_kind_names[d->kind], d->path);
		else if (d->kind == only)
			len += sysfs_emit_at(buf, len, "%s%s",
					     len ? "," : "", d->path);
	}
	mutex_unlock(&tmpfs_cfg_lock);
	return len;
}

/* Parse one of @names, white space around it allowed. */
static int tmpfs_parse_word(const char *buf, const char * const *names,
			    size_t nr, unsigned int *val)
{
	char word[TMPFS_WORD_MAX];
	int i;

	if (strscpy(word, skip_spaces(buf), sizeof(word)) < 0)
		return -EINVAL;
	i = match_string(names, nr, strim(word));
	if (i < 0)
		return -EINVAL;
	*val = i;
	return 0;
}

static ssize_t tmpfs_word_show(char *buf, const char * const *names,
			       size_t nr, unsigned int cur)
{
	ssize_t len = 0;
	size_t i;

	for (i = 0; i < nr; i++)
		len += sysfs_emit_at(buf, len, "%s%s%s%s", i ? " " : "",
				     i == cur ? "[" : "", names[i],
				     i == cur ? "]" : "");
	return len + sysfs_emit_at(buf, len, "\n");
}

/**
 * struct tmpfs_knob - a word tunable, shared by sysfs and a module parameter
 * @attr: its sysfs file.
 * @val: the value, an index into @names.
 * @names: the words.
 * @nr: number of @names.
 *
 * Numeric tunables are the core's &struct oomhook_knob.
 */
struct tmpfs_knob {
	struct kobj_attribute attr;
	unsigned int *val;
	const char * const *names;
	unsigned int nr;
};

static int tmpfs_knob_set(const struct tmpfs_knob *k, const char *buf)
{
	unsigned int v;
	int ret;

	ret = tmpfs_parse_word(buf, k->names, k->nr, &v);
	if (!ret)
		WRITE_ONCE(*k->val, v);
	return ret;
}

static int tmpfs_knob_get(const struct tmpfs_knob *k, char *buf)
{
	return tmpfs_word_show(buf, k->names, k->nr, READ_ONCE(*k->val));
}

/* Writes: root only, no NUL bytes, then the shared parser. */
static int tmpfs_store_check(const char *buf, size_t count)
{
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (strnlen(buf, count) != count)
		return -EINVAL;
	return 0;
}

static ssize_t tmpfs_knob_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf)
{
	return tmpfs_knob_get(container_of(attr, struct tmpfs_knob, attr), buf);
}

static ssize_t tmpfs_knob_store(struct kobject *kobj,
				struct kobj_attribute *attr, const char *buf,
				size_t count)
{
	int ret = tmpfs_store_check(buf, count);

	if (!ret)
		ret = tmpfs_knob_set(container_of(attr, struct tmpfs_knob, attr),
				     buf);
	return ret ?: count;
}

static int tmpfs_knob_param_set(const char *val, const struct kernel_param *kp)
{
	return tmpfs_knob_set(kp->arg, val);
}

static int tmpfs_knob_param_get(char *buf, const struct kernel_param *kp)
{
	return tmpfs_knob_get(kp->arg, buf);
}

static const struct kernel_param_ops tmpfs_knob_param_ops = {
	.set = tmpfs_knob_param_set,
	.get = tmpfs_knob_param_get,
};

static struct tmpfs_knob tmpfs_knob_order = {
	.attr = __ATTR(order, 0644, tmpfs_knob_show, tmpfs_knob_store),
	.val = &tmpfs_order,
	.names = tmpfs_order_names,
	.nr = ARRAY_SIZE(tmpfs_order_names),
};
module_param_cb(order, &tmpfs_knob_param_ops, &tmpfs_knob_order, 0444);
MODULE_PARM_DESC(order, "Which files go first: largest (default) or lru.");

static struct tmpfs_knob tmpfs_knob_mode = {
	.attr = __ATTR(mode, 0644, tmpfs_knob_show, tmpfs_knob_store),
	.val = &tmpfs_mode,
	.names = tmpfs_mode_names,
	.nr = ARRAY_SIZE(tmpfs_mode_names),
};
module_param_cb(mode, &tmpfs_knob_param_ops, &tmpfs_knob_mode, 0444);
MODULE_PARM_DESC(mode, "delete (default): truncate, then unlink; truncate: truncate only.");

module_param_cb(scan_max, &oomhook_knob_param_ops, &tmpfs_scan_max, 0444);
MODULE_PARM_DESC(scan_max, "Directory entries looked at per event, 1-65536. Default 4096.");
module_param_cb(min_free_mb, &oomhook_knob_param_ops, &tmpfs_min_free_mb, 0444);
MODULE_PARM_DESC(min_free_mb, "Free at least this many MB per event, 0-65536. Default 64.");
module_param_cb(free_in_use, &oomhook_knob_param_ops, &tmpfs_free_in_use, 0444);
MODULE_PARM_DESC(free_in_use, "Free files that are mapped or open for writing too (their users get SIGBUS). Default 0.");

static ssize_t dirs_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	return tmpfs_dirs_show(buf, TMPFS_ADD, false);
}

static ssize_t dirs_store(struct kobject *kobj, struct kobj_attribute *attr,
			  const char *buf, size_t count)
{
	int ret = tmpfs_store_check(buf, count);

	if (!ret)
		ret = tmpfs_dirs_cmd(buf);
	return ret ?: count;
}

static struct kobj_attribute dirs_attr = __ATTR_RW(dirs);

static ssize_t stats_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	return oomhook_counters_show(buf, tmpfs_stat_names, tmpfs_stats,
				     TMPFS_NR_STATS);
}

static struct kobj_attribute stats_attr = __ATTR_RO(stats);

static struct attribute *tmpfs_attrs[] = {
	&dirs_attr.attr,
	&tmpfs_knob_order.attr.attr,
	&tmpfs_knob_mode.attr.attr,
	&tmpfs_scan_max.attr.attr,
	&tmpfs_min_free_mb.attr.attr,
	&tmpfs_free_in_use.attr.attr,
	&stats_attr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(tmpfs);

/*
 * dirs= and search_dirs= are kept as text while the module loads and
 * applied by tmpfs_init(), which can undo them if anything fails: a failed
 * load must not leave references to the loader's root behind.
 */
static char tmpfs_param_dirs[TMPFS_PARAM_MAX];
static char tmpfs_param_search[TMPFS_PARAM_MAX];

/* Split a comma-separated list and call @fn on each normalized path. */
static int tmpfs_param_each(const char *val, enum tmpfs_kind kind,
			    int (*fn)(enum tmpfs_kind kind, const char *path))
{
	char path[OOMHOOK_PATH_MAX];
	char *copy, *rest, *one;
	int ret = 0;

	copy = kstrdup(val, GFP_KERNEL);
	if (!copy)
		return -ENOMEM;
	rest = strim(copy);
	if (!*rest)
		rest = NULL;
	while ((one = strsep(&rest, ",")) != NULL) {
		ret = oomhook_parse_cgroup_path(one, path, sizeof(path));
		if (!ret && fn)
			ret = fn(kind, path);
		if (ret) {
			pr_err("%s %s: %d\n", tmpfs_kind_names[kind], one, ret);
			break;
		}
	}
	kfree(copy);
	return ret;
}

static int tmpfs_param_check(const char *val, char *store,
			     enum tmpfs_kind kind)
{
	int ret;

	if (strlen(val) >= TMPFS_PARAM_MAX)
		return -ENAMETOOLONG;
	ret = tmpfs_param_each(val, kind, NULL);
	if (!ret)
		strscpy(store, val, TMPFS_PARAM_MAX);
	return ret;
}

static int dirs_param_set(const char *val, const struct kernel_param *kp)
{
	return tmpfs_param_check(val, tmpfs_param_dirs, TMPFS_ADD);
}

static int dirs_param_get(char *buf, const struct kernel_param *kp)
{
	return tmpfs_dirs_show(buf, TMPFS_ADD, true);
}

static const struct kernel_param_ops dirs_param_ops = {
	.set = dirs_param_set,
	.get = dirs_param_get,
};

module_param_cb(dirs, &dirs_param_ops, NULL, 0444);
MODULE_PARM_DESC(dirs, "tmpfs directories whose files may be freed, comma-separated (as \"add PATH\" in dirs).");

static int search_param_set(const char *val, const struct kernel_param *kp)
{
	return tmpfs_param_check(val, tmpfs_param_search, TMPFS_SEARCH);
}

static int search_param_get(char *buf, const struct kernel_param *kp)
{
	return tmpfs_dirs_show(buf, TMPFS_SEARCH, true);
}

static const struct kernel_param_ops search_param_ops = {
	.set = search_param_set,
	.get = search_param_get,
};

module_param_cb(search_dirs, &search_param_ops, NULL, 0444);
MODULE_PARM_DESC(search_dirs, "tmpfs directories below which directories marked trusted.oomhook_tmpfs opt in, comma-separated.");

static struct oomhook_policy tmpfs_policy = {
	.name = "tmpfs",
	.owner = THIS_MODULE,
	/* Files only: it also runs when memory stays low in the cooldown. */
	.flags = OOMHOOK_POLICY_RELEASES,
	.handle = tmpfs_handle,
	.groups = tmpfs_groups,
};

static int __init tmpfs_init(void)
{
	int ret;

	ret = tmpfs_param_each(tmpfs_param_dirs, TMPFS_ADD, tmpfs_add);
	if (!ret)
		ret = tmpfs_param_each(tmpfs_param_search, TMPFS_SEARCH,
				       tmpfs_add);
	if (!ret)
		ret = oomhook_register_policy(&tmpfs_policy);
	if (ret)
		tmpfs_clear();
	return ret;
}
module_init(tmpfs_init);

static void __exit tmpfs_exit(void)
{
	oomhook_unregister_policy(&tmpfs_policy);
	tmpfs_clear();
}
module_exit(tmpfs_exit);

MODULE_ALIAS_OOMHOOK_POLICY("tmpfs");
MODULE_DESCRIPTION("oomhook policy: free memory by truncating files in opted-in tmpfs directories");
MODULE_AUTHOR("The oomhook developers");
MODULE_LICENSE("GPL");
MODULE_VERSION(OOMHOOK_VERSION);
