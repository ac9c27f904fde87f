/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernels oomhook builds for (6.1 and later), in
 * one place.  Kbuild probes the headers being built against and passes
 * OOMHOOK_HAVE_* for what it found; the code uses only the helpers below,
 * never a version number.
 *
 *   OOMHOOK_HAVE_MNT_IDMAP     VFS calls take a struct mnt_idmap (6.3)
 *   OOMHOOK_HAVE_INODE_TIME    inode timestamps behind accessors (6.6);
 *                              the fields themselves are gone in 6.7
 *   OOMHOOK_HAVE_SHRINKER_ALLOC  shrinkers are allocated by the core
 *                              (shrinker_alloc(), 6.7); register_shrinker()
 *                              is gone
 */
#ifndef _OOMHOOK_COMPAT_H
#define _OOMHOOK_COMPAT_H

#include <linux/err.h>
#include <linux/fs.h>
#include <linux/shrinker.h>
#include <linux/time64.h>

#ifdef OOMHOOK_HAVE_MNT_IDMAP
#include <linux/mnt_idmapping.h>
/* The identity mapping, for changes made by the kernel itself. */
#define OOMHOOK_NOP_IDMAP	(&nop_mnt_idmap)
#else
#include <linux/user_namespace.h>
#define OOMHOOK_NOP_IDMAP	(&init_user_ns)
#endif

static inline struct timespec64 oomhook_inode_atime(const struct inode *inode)
{
#ifdef OOMHOOK_HAVE_INODE_TIME
	return inode_get_atime(inode);
#else
	return inode->i_atime;
#endif
}

static inline struct timespec64 oomhook_inode_mtime(const struct inode *inode)
{
#ifdef OOMHOOK_HAVE_INODE_TIME
	return inode_get_mtime(inode);
#else
	return inode->i_mtime;
#endif
}

/* A shrinker's ->count_objects() or ->scan_objects(). */
typedef unsigned long (*oomhook_shrink_fn)(struct shrinker *,
					   struct shrink_control *);

/*
 * A shrinker with these callbacks, registered; NULL-free: an ERR_PTR on
 * failure.  Release with oomhook_shrinker_unregister().
 */
#ifdef OOMHOOK_HAVE_SHRINKER_ALLOC
static inline struct shrinker *
oomhook_shrinker_register(oomhook_shrink_fn count, oomhook_shrink_fn scan,
			  const char *name)
{
	struct shrinker *s = shrinker_alloc(0, "%s", name);

	if (!s)
		return ERR_PTR(-ENOMEM);
	s->count_objects = count;
	s->scan_objects = scan;
	s->seeks = DEFAULT_SEEKS;
	shrinker_register(s);
	return s;
}

static inline void oomhook_shrinker_unregister(struct shrinker *s)
{
	shrinker_free(s);
}
#else
static inline struct shrinker *
oomhook_shrinker_register(oomhook_shrink_fn count, oomhook_shrink_fn scan,
			  const char *name)
{
	/* One per module that includes this; oomhook.ko has one doorbell. */
	static struct shrinker s;
	int ret;

	s.count_objects = count;
	s.scan_objects = scan;
	s.seeks = DEFAULT_SEEKS;
	ret = register_shrinker(&s, "%s", name);
	return ret ? ERR_PTR(ret) : &s;
}

static inline void oomhook_shrinker_unregister(struct shrinker *s)
{
	unregister_shrinker(s);
}
#endif

#endif /* _OOMHOOK_COMPAT_H */
