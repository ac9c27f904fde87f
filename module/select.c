// SPDX-License-Identifier: GPL-2.0
/*
 * Victim selection: walk the cgroup2 hierarchy and keep the best candidate.
 *
 * Candidates are the leaf cgroups and the cgroups with memory.oom.group set
 * (those are one unit with their descendants, so the walk does not go
 * below them), within the event's scope and the policy's subtree.  Never a
 * candidate: the root, the cgroup holding PID 1 and its ancestors, cgroups
 * marked omit (and everything below them), empty cgroups, cgroups without
 * the memory controller, and the victim still exiting from an earlier
 * kill.
 *
 * The walk is iterative, with one open directory per level, and streams:
 * only the best candidate so far is kept, so its memory does not grow with
 * the number of cgroups.  It stops at the event's deadline.  Everything is
 * read through the files an administrator would read (see cgfs.c).
 *
 * The scratch state is static: policies call oomhook_select_cgroup() only
 * from ->handle(), and the core runs one ->handle() at a time.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cgroup.h>
#include <linux/fs.h>
#include <linux/kernfs.h>
#include <linux/pid.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/string.h>

#include "internal.h"

/* Deepest level the walk descends to, counted from its start. */
#define OOMHOOK_WALK_DEPTH	16
/* Most cgroups one walk visits. */
#define OOMHOOK_WALK_MAX	20000
/* Deepest cgroup nesting tracked above PID 1. */
#define OOMHOOK_PID1_DEPTH	64

struct walk_level {
	struct file *dir;
	size_t len;
	enum oomhook_class class;
	bool has_child;
};

struct oomhook_walk {
	struct dir_context ctx;
	char name[NAME_MAX + 1];
	u64 ino;
	bool found;

	struct walk_level level[OOMHOOK_WALK_DEPTH];
	int depth;
	char path[OOMHOOK_PATH_MAX];
	char scratch[OOMHOOK_PATH_MAX];
	unsigned int visited;

	ino_t pid1[OOMHOOK_PID1_DEPTH];
	int nr_pid1;

	struct oomhook_candidate cand;
	struct oomhook_candidate best;
	bool have_best;
	unsigned int flags;
};

static struct oomhook_walk oomhook_walk;

/*
 * Note the cgroups that hold PID 1, from its own up to the root, by inode
 * number (a cgroup's id is its kernfs inode number).  A populated cgroup
 * and its ancestors cannot be removed, so the RCU-protected css_set is all
 * that needs protecting here.
 */
static void note_pid1(struct oomhook_walk *w)
{
	struct task_struct *init;
	struct cgroup *cgrp;

	w->nr_pid1 = 0;
	rcu_read_lock();
	init = pid_task(find_pid_ns(1, &init_pid_ns), PIDTYPE_PID);
	if (init) {
		for (cgrp = task_dfl_cgroup(init); cgrp;
		     cgrp = cgroup_parent(cgrp)) {
			if (w->nr_pid1 == OOMHOOK_PID1_DEPTH)
				break;
			w->pid1[w->nr_pid1++] = kernfs_id_ino(cgroup_id(cgrp));
		}
	}
	rcu_read_unlock();
}

static bool holds_pid1(const struct oomhook_walk *w, ino_t ino)
{
	int i;

	for (i = 0; i < w->nr_pid1; i++) {
		if (w->pid1[i] == ino)
			return true;
	}
	return false;
}

static enum oomhook_class class_of(struct dentry *dentry,
				   enum oomhook_class inherited)
{
	if (oomhook_marked(dentry, "oomd_omit"))
		return OOMHOOK_CLASS_OMIT;
	if (oomhook_marked(dentry, "oomd_avoid"))
		return OOMHOOK_CLASS_AVOID;
	if (oomhook_marked(dentry, "oomd_prefer"))
		return OOMHOOK_CLASS_PREFER;
	return inherited;
}

/* The class @path inherits from its proper ancestors. */
static int inherited_class(struct oomhook_walk *w, const char *path,
			   enum oomhook_class *class)
{
	const char *end;
	struct path dir;
	int ret;

	*class = OOMHOOK_CLASS_NORMAL;
	if (!strcmp(path, "/"))
		return 0;
	/* For "/a/b/c" look at "/", "/a" and "/a/b". */
	for (end = path; end; end = strchr(end + 1, '/')) {
		size_t len = end == path ? 1 : end - path;

		memcpy(w->scratch, path, len);
		w->scratch[len] = '\0';
		ret = oomhook_cg_lookup(w->scratch, &dir);
		if (ret)
			return ret;
		*class = class_of(dir.dentry, *class);
		path_put(&dir);
		if (*class == OOMHOOK_CLASS_OMIT)
			break;
	}
	return 0;
}

/* Take a cgroup's measurements and keep it if it beats the best so far. */
static void consider(struct oomhook_walk *w, const struct path *dir,
		     enum oomhook_class class, bool oom_group)
{
	struct oomhook_candidate *c = &w->cand;
	u64 populated = 0, frozen = 0, swap, min, low;

	memset(c, 0, sizeof(*c));
	strscpy(c->path, w->path, sizeof(c->path));
	c->class = class;
	c->oom_group = oom_group;
	c->root = !strcmp(w->path, "/");
	c->holds_pid1 = holds_pid1(w, d_inode(dir->dentry)->i_ino);
	c->pending = oomhook_track_pending(w->path);
	if (!oomhook_cg_read_key(dir, "cgroup.events", "populated", &populated))
		c->populated = populated;
	/* Only the eligible are worth reading the memory files of. */
	if (!oomhook_candidate_eligible(c))
		return;
	if (!oomhook_cg_read_u64(dir, "cgroup.freeze", &frozen))
		c->frozen = frozen;
	if (c->frozen && (w->flags & OOMHOOK_SELECT_UNFROZEN))
		return;
	if (oomhook_cg_read_u64(dir, "memory.current", &c->usage))
		return;
	if (!oomhook_cg_read_u64(dir, "memory.swap.current", &swap))
		c->usage += swap;
	if (oomhook_cg_read_u64(dir, "memory.min", &min))
		min = 0;
	if (oomhook_cg_read_u64(dir, "memory.low", &low))
		low = 0;
	c->protection = max(min, low);
	oomhook_rank_offer(&w->best, &w->have_best, c);
}

static bool walk_actor(struct dir_context *ctx, const char *name, int len,
		       loff_t off, u64 ino, unsigned int type)
{
	struct oomhook_walk *w = container_of(ctx, struct oomhook_walk, ctx);

	if (type != DT_DIR || (len == 1 && name[0] == '.') ||
	    (len == 2 && name[0] == '.' && name[1] == '.'))
		return true;
	/* Stop before a second directory: it is emitted again next time. */
	if (w->found)
		return false;
	if (len > NAME_MAX)
		return true;
	memcpy(w->name, name, len);
	w->name[len] = '\0';
	w->ino = ino;
	w->found = true;
	return true;
}

/* The next subdirectory of @dir, in w->name; false when there is none. */
static int next_child(struct oomhook_walk *w, struct file *dir)
{
	int ret;

	w->found = false;
	w->ctx.actor = walk_actor;
	ret = iterate_dir(dir, &w->ctx);
	if (ret < 0)
		return ret;
	return w->found;
}

/*
 * Enter the cgroup at w->path, whose directory is @dir: either push it (to
 * walk its children) and return true, or consider it as a unit or skip it,
 * close @dir and return false.
 */
static bool enter(struct oomhook_walk *w, struct file *dir,
		  enum oomhook_class inherited)
{
	enum oomhook_class class = class_of(dir->f_path.dentry, inherited);
	struct walk_level *lvl;
	u64 group = 0;

	if (class == OOMHOOK_CLASS_OMIT)
		goto skip;
	if (strcmp(w->path, "/") &&
	    !oomhook_cg_read_u64(&dir->f_path, "memory.oom.group", &group) &&
	    group) {
		consider(w, &dir->f_path, class, true);
		goto skip;
	}
	if (w->depth == OOMHOOK_WALK_DEPTH) {
		consider(w, &dir->f_path, class, false);
		goto skip;
	}

	lvl = &w->level[w->depth++];
	lvl->dir = dir;
	lvl->len = strlen(w->path);
	lvl->class = class;
	lvl->has_child = false;
	return true;
skip:
	oomhook_cg_close(dir);
	return false;
}

/* Leave the innermost level: a cgroup without children is a leaf. */
static void leave(struct oomhook_walk *w)
{
	struct walk_level *lvl = &w->level[--w->depth];

	w->path[lvl->len] = '\0';
	if (!lvl->has_child)
		consider(w, &lvl->dir->f_path, lvl->class, false);
	oomhook_cg_close(lvl->dir);
	if (w->depth)
		w->path[w->level[w->depth - 1].len] = '\0';
}

/* Append "/name" to w->path; false if it does not fit. */
static bool path_push(struct oomhook_walk *w, const char *name)
{
	size_t len = strlen(w->path);
	int n;

	n = snprintf(w->path + len, sizeof(w->path) - len, "%s%s",
		     len == 1 ? "" : "/", name);
	if (n >= sizeof(w->path) - len) {
		w->path[len] = '\0';
		return false;
	}
	return true;
}

static int walk(struct oomhook_walk *w, const struct oomhook_event *ev,
		const char *root)
{
	enum oomhook_class class;
	struct path start;
	struct file *dir;
	int ret;

	ret = inherited_class(w, root, &class);
	if (ret)
		return ret;
	ret = oomhook_cg_lookup(root, &start);
	if (ret)
		return ret;
	dir = oomhook_cg_open(&start, ".", O_RDONLY | O_DIRECTORY);
	path_put(&start);
	if (IS_ERR(dir))
		return PTR_ERR(dir);

	strscpy(w->path, root, sizeof(w->path));
	enter(w, dir, class);

	while (w->depth) {
		struct walk_level *top = &w->level[w->depth - 1];

		if (oomhook_event_expired(ev)) {
			ret = -ETIMEDOUT;
			break;
		}
		if (++w->visited > OOMHOOK_WALK_MAX)
			break;

		ret = next_child(w, top->dir);
		if (ret < 0)
			break;
		if (!ret) {
			leave(w);
			continue;
		}
		ret = 0;
		top->has_child = true;
		if (!path_push(w, w->name))
			continue;
		dir = oomhook_cg_open(&top->dir->f_path, w->name,
				      O_RDONLY | O_DIRECTORY);
		if (IS_ERR(dir)) {
			/* Removed meanwhile: skip it. */
			w->path[top->len] = '\0';
			continue;
		}
		if (!enter(w, dir, top->class))
			w->path[top->len] = '\0';
	}

	while (w->depth) {
		struct walk_level *lvl = &w->level[--w->depth];

		oomhook_cg_close(lvl->dir);
	}
	return ret;
}

/**
 * oomhook_select_cgroup() - choose the cgroup to act upon
 * @ev: the event being handled; its scope bounds the search.
 * @subtree: the policy's own bound, a normalized cgroup path ("/" for all).
 * @flags: %OOMHOOK_SELECT_UNFROZEN to pass over frozen cgroups, or 0.
 * @victim: receives the best candidate.
 *
 * Ranks candidates by class (user.oomd_prefer, unmarked, user.oomd_avoid),
 * then by usage beyond protection (see rank.c).  Only callable from a
 * policy's ->handle().
 *
 * Return: 0, -ENOENT when there is no eligible cgroup, -ETIMEDOUT when the
 * event's deadline passed, or another negative errno.
 */
int oomhook_select_cgroup(const struct oomhook_event *ev, const char *subtree,
			  unsigned int flags, struct oomhook_candidate *victim)
{
	struct oomhook_walk *w = &oomhook_walk;
	const char *root;
	int ret;

	if (oomhook_path_within(ev->scope, subtree))
		root = ev->scope;
	else if (oomhook_path_within(subtree, ev->scope))
		root = subtree;
	else
		return -ENOENT;

	w->depth = 0;
	w->visited = 0;
	w->have_best = false;
	w->flags = flags;
	note_pid1(w);

	ret = walk(w, ev, root);
	if (ret)
		return ret;
	if (!w->have_best)
		return -ENOENT;
	*victim = w->best;
	return 0;
}
EXPORT_SYMBOL_GPL(oomhook_select_cgroup);
