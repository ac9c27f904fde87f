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
 */
#ifndef _OOMHOOK_COMPAT_H
#define _OOMHOOK_COMPAT_H

#include <linux/fs.h>
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

#endif /* _OOMHOOK_COMPAT_H */
