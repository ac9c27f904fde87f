// SPDX-License-Identifier: GPL-2.0
/*
 * oomhook's private view of the cgroup2 hierarchy.
 *
 * The memory controller's internals (mem_cgroup_iter(), css_task_iter_*())
 * are not exported, so oomhook reads and writes the same files an
 * administrator would: memory.current, cgroup.kill, memory.pressure and so
 * on, through a private mount that userspace cannot unmount or hide.
 *
 * Why a clone and not kern_mount(): mounting cgroup2 anew, from the initial
 * cgroup namespace, re-applies the hierarchy-wide mount options
 * (apply_cgroup_root_flags() in kernel/cgroup/cgroup.c).  A plain
 * kern_mount() would silently switch off nsdelegate, memory_localevents and
 * memory_recursiveprot that systemd mounted with, changing how every cgroup
 * on the machine is protected.  clone_private_mount() of the existing mount
 * takes a private reference without touching those options.
 *
 * Every helper here opens, reads or writes, and closes: files are never
 * kept open across events except by the PSI triggers and the victim
 * tracker, which need their own open file.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <kunit/visibility.h>
#include <linux/file.h>
#include <linux/cgroup.h>
#include <linux/fs.h>
#include <linux/kernfs.h>
#include <linux/kernel.h>
#include <linux/magic.h>
#include <linux/mount.h>
#include <linux/namei.h>
#include <linux/sched.h>
#include <linux/stat.h>
#include <linux/string.h>
#include <linux/xattr.h>

#include "compat.h"
#include "internal.h"

/* Enough for cgroup.events and memory.events. */
#define OOMHOOK_KEYS_MAX	256
/* Enough for a marker xattr's value ("1", "true"). */
#define OOMHOOK_XATTR_MAX	8

static struct vfsmount *oomhook_mnt;

/**
 * oomhook_cgfs_init() - take a private reference to the cgroup2 hierarchy
 * @mountpoint: where userspace mounted cgroup2, e.g. "/sys/fs/cgroup".
 *
 * Return: 0, or -ENOENT/-ENOTDIR when @mountpoint is not the root of a
 * cgroup2 mount, or another negative errno.
 */
int oomhook_cgfs_init(const char *mountpoint)
{
	struct vfsmount *mnt;
	struct path path;
	int ret;

	ret = kern_path(mountpoint, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &path);
	if (ret) {
		pr_err("cannot find cgroup2 at %s: %d\n", mountpoint, ret);
		return ret;
	}
	if (path.mnt->mnt_sb->s_magic != CGROUP2_SUPER_MAGIC ||
	    path.dentry != path.mnt->mnt_root) {
		pr_err("%s is not the root of a cgroup2 mount\n", mountpoint);
		path_put(&path);
		return -ENOENT;
	}
	mnt = clone_private_mount(&path);
	path_put(&path);
	if (IS_ERR(mnt)) {
		pr_err("cannot clone the cgroup2 mount at %s: %ld\n",
		       mountpoint, PTR_ERR(mnt));
		return PTR_ERR(mnt);
	}
	oomhook_mnt = mnt;
	return 0;
}

void oomhook_cgfs_exit(void)
{
	kern_unmount(oomhook_mnt);
	oomhook_mnt = NULL;
}

/* The private mount, for paths on it (valid from init to exit). */
struct vfsmount *oomhook_cg_mnt(void)
{
	return oomhook_mnt;
}

/**
 * oomhook_cg_lookup() - find a cgroup's directory
 * @cgpath: normalized cgroup path, starting with '/'.
 * @dir: receives the directory; release with path_put().
 *
 * Return: 0, -ENOENT if there is no such cgroup, or a negative errno.
 */
int oomhook_cg_lookup(const char *cgpath, struct path *dir)
{
	struct path root = {
		.mnt = oomhook_mnt,
		.dentry = oomhook_mnt->mnt_root,
	};
	struct file *file;

	/* O_PATH: resolve only, without opening the directory for real. */
	file = file_open_root(&root, cgpath, O_PATH | O_DIRECTORY, 0);
	if (IS_ERR(file))
		return PTR_ERR(file);
	*dir = file->f_path;
	path_get(dir);
	oomhook_cg_close(file);
	return 0;
}

/**
 * oomhook_cg_dir() - find a cgroup's directory, by the cgroup
 * @cgrp: the cgroup.
 * @buf: receives its path.
 * @size: size of @buf.
 * @dir: receives the directory, referenced; path_put() it.
 *
 * Return: 0, -ENAMETOOLONG, or the lookup's error (-ENOENT once removed).
 */
int oomhook_cg_dir(struct cgroup *cgrp, char *buf, size_t size,
		   struct path *dir)
{
	int ret = kernfs_path(cgrp->kn, buf, size);

	if (ret < 0 || ret >= size)
		return -ENAMETOOLONG;
	return oomhook_cg_lookup(buf, dir);
}

/**
 * oomhook_cg_root_owned() - whether a cgroup's directory is owned by root
 * @dir: the directory.
 *
 * Priority markers, and records of kills, are trusted only from cgroups
 * owned by root: any user may own cgroups (systemd delegates
 * user@UID.service) and write their xattrs.  kernfs brings an inode's
 * owner up to date from the node in ->getattr(): a chown through another
 * mount shows here.
 *
 * Return: true if its owner is root.
 */
bool oomhook_cg_root_owned(const struct path *dir)
{
	struct kstat st;

	if (vfs_getattr_nosec(dir, &st, STATX_UID, AT_STATX_SYNC_AS_STAT))
		return uid_eq(d_inode(dir->dentry)->i_uid, GLOBAL_ROOT_UID);
	return uid_eq(st.uid, GLOBAL_ROOT_UID);
}

/**
 * oomhook_cg_xattr_add() - add to a counter kept in a cgroup's xattr
 * @dir: the cgroup's directory.
 * @name: the xattr, e.g. "user.oomd_ooms".
 * @n: what to add.
 *
 * A missing or malformed value counts as 0.  Not atomic against another
 * writer of the same xattr (systemd-oomd's own read-modify-write is not
 * either).
 *
 * Return: 0 or a negative errno.
 */
int oomhook_cg_xattr_add(const struct path *dir, const char *name, u64 n)
{
	struct dentry *dentry = dir->dentry;
	char value[OOMHOOK_VALUE_MAX];
	u64 count = 0;
	ssize_t len;

	len = __vfs_getxattr(dentry, d_inode(dentry), name, value,
			     sizeof(value) - 1);
	if (len > 0) {
		value[len] = '\0';
		if (kstrtou64(strim(value), 10, &count))
			count = 0;
	}
	len = scnprintf(value, sizeof(value), "%llu", count + n);
	return vfs_setxattr(OOMHOOK_NOP_IDMAP, dentry, name, value, len, 0);
}

/**
 * oomhook_cgroup_exists() - whether a cgroup exists
 * @path: normalized cgroup path (see oomhook_parse_cgroup_path()).
 *
 * Return: 0 if it does, -ENOENT if not, or another negative errno.
 */
int oomhook_cgroup_exists(const char *path)
{
	struct path dir;
	int ret;

	ret = oomhook_cg_lookup(path, &dir);
	if (!ret)
		path_put(&dir);
	return ret;
}
EXPORT_SYMBOL_GPL(oomhook_cgroup_exists);

struct file *oomhook_cg_open(const struct path *dir, const char *name,
			     int flags)
{
	return file_open_root(dir, name, flags, 0);
}

/*
 * Workers are kernel threads: a plain fput() would defer the release to
 * the delayed_fput work, piling files up exactly when memory is short.
 */
void oomhook_cg_close(struct file *file)
{
	if (current->flags & PF_KTHREAD)
		__fput_sync(file);
	else
		fput(file);
}

/* Read the whole of a small file from its start, NUL-terminated. */
int oomhook_cg_read_file(struct file *file, char *buf, size_t size)
{
	loff_t pos = 0;
	ssize_t n;

	n = kernel_read(file, buf, size - 1, &pos);
	if (n < 0)
		return n;
	buf[n] = '\0';
	return n;
}

int oomhook_cg_read(const struct path *dir, const char *name, char *buf,
		    size_t size)
{
	struct file *file;
	int ret;

	file = oomhook_cg_open(dir, name, O_RDONLY);
	if (IS_ERR(file))
		return PTR_ERR(file);
	ret = oomhook_cg_read_file(file, buf, size);
	oomhook_cg_close(file);
	return ret;
}

int oomhook_cg_write(const struct path *dir, const char *name,
		     const char *val)
{
	struct file *file;
	loff_t pos = 0;
	ssize_t n;

	file = oomhook_cg_open(dir, name, O_WRONLY);
	if (IS_ERR(file))
		return PTR_ERR(file);
	n = kernel_write(file, val, strlen(val), &pos);
	oomhook_cg_close(file);
	return n < 0 ? n : 0;
}

/* Read a file holding one number or "max" (read as U64_MAX). */
int oomhook_cg_read_u64(const struct path *dir, const char *name, u64 *val)
{
	char buf[OOMHOOK_VALUE_MAX];
	int ret;

	ret = oomhook_cg_read(dir, name, buf, sizeof(buf));
	if (ret < 0)
		return ret;
	strim(buf);
	if (!strcmp(buf, "max")) {
		*val = U64_MAX;
		return 0;
	}
	return kstrtou64(buf, 10, val);
}

/**
 * oomhook_parse_key() - find "key value" in a flat-keyed cgroup file
 * @text: the file's content, NUL-terminated.
 * @key: the key, e.g. "populated".
 * @val: receives the value.
 *
 * Return: 0, -ENOENT if @key is absent, -EINVAL for a malformed value.
 */
int oomhook_parse_key(const char *text, const char *key, u64 *val)
{
	size_t klen = strlen(key);
	const char *line;

	for (line = text; line && *line; line = strchr(line, '\n')) {
		char num[OOMHOOK_VALUE_MAX];
		size_t len;

		if (*line == '\n')
			line++;
		if (strncmp(line, key, klen) || line[klen] != ' ')
			continue;
		line += klen + 1;
		len = strchrnul(line, '\n') - line;
		if (!len || len >= sizeof(num))
			return -EINVAL;
		memcpy(num, line, len);
		num[len] = '\0';
		return kstrtou64(num, 10, val);
	}
	return -ENOENT;
}
EXPORT_SYMBOL_IF_KUNIT(oomhook_parse_key);

int oomhook_cg_read_key(const struct path *dir, const char *name,
			const char *key, u64 *val)
{
	char buf[OOMHOOK_KEYS_MAX];
	int ret;

	ret = oomhook_cg_read(dir, name, buf, sizeof(buf));
	if (ret < 0)
		return ret;
	return oomhook_parse_key(buf, key, val);
}

/**
 * oomhook_cgroup_read() - read a cgroup's file, as an administrator would
 * @path: normalized cgroup path, e.g. "/batch.slice".
 * @file: the file's name, e.g. "memory.pressure".
 * @buf: receives the content, NUL-terminated.
 * @size: size of @buf; a longer file is cut short.
 *
 * Reads through oomhook's private cgroup2 mount: userspace mounts do not
 * matter.
 *
 * Return: bytes read, -ENOENT if the cgroup or file does not exist, or a
 * negative errno.
 */
int oomhook_cgroup_read(const char *path, const char *file, char *buf,
			size_t size)
{
	struct path dir;
	int ret;

	ret = oomhook_cg_lookup(path, &dir);
	if (ret)
		return ret;
	ret = oomhook_cg_read(&dir, file, buf, size);
	path_put(&dir);
	return ret;
}
EXPORT_SYMBOL_GPL(oomhook_cgroup_read);

/**
 * oomhook_cgroup_read_u64() - read a cgroup file that holds one number
 * @path: normalized cgroup path.
 * @file: the file's name, e.g. "memory.current".
 * @val: receives the number; "max" reads as U64_MAX.
 *
 * Return: 0, -ENOENT if the cgroup or file does not exist, or a negative
 * errno.
 */
int oomhook_cgroup_read_u64(const char *path, const char *file, u64 *val)
{
	struct path dir;
	int ret;

	ret = oomhook_cg_lookup(path, &dir);
	if (ret)
		return ret;
	ret = oomhook_cg_read_u64(&dir, file, val);
	path_put(&dir);
	return ret;
}
EXPORT_SYMBOL_GPL(oomhook_cgroup_read_u64);

/**
 * oomhook_cgroup_write() - write a cgroup's file, as an administrator would
 * @path: normalized cgroup path.
 * @file: the file's name, e.g. "cgroup.freeze".
 * @val: what to write, e.g. "1".
 *
 * The write is synchronous: memory.reclaim, for one, returns once the
 * reclaim is done.
 *
 * Return: 0, -ENOENT if the cgroup or file does not exist, or the errno
 * the write gave (memory.reclaim gives -EAGAIN when it reclaimed less than
 * asked).
 */
int oomhook_cgroup_write(const char *path, const char *file, const char *val)
{
	struct path dir;
	int ret;

	ret = oomhook_cg_lookup(path, &dir);
	if (ret)
		return ret;
	ret = oomhook_cg_write(&dir, file, val);
	path_put(&dir);
	return ret;
}
EXPORT_SYMBOL_GPL(oomhook_cgroup_write);

/* One marker in one xattr namespace: set unless absent or "0". */
static bool marked_as(struct dentry *dentry, const char *prefix,
		      const char *marker)
{
	char name[XATTR_NAME_MAX + 1];
	char value[OOMHOOK_XATTR_MAX];
	ssize_t n;

	snprintf(name, sizeof(name), "%s%s", prefix, marker);
	n = __vfs_getxattr(dentry, d_inode(dentry), name, value, sizeof(value));
	if (n == -ERANGE)
		return true;
	if (n < 0)
		return false;
	return !(n == 1 && value[0] == '0');
}

/**
 * oomhook_marked() - whether a directory carries a marker xattr
 * @dentry: the directory (a cgroup, or a tmpfs directory for policies that
 *	opt directories in by xattr).
 * @marker: e.g. "oomd_omit"; looked up as user.* and trusted.*.
 *
 * Reads the xattr without permission checks, as the kernel.  Does not
 * allocate.
 *
 * Return: true if either xattr exists with a value other than "0".
 */
bool oomhook_marked(struct dentry *dentry, const char *marker)
{
	return marked_as(dentry, XATTR_USER_PREFIX, marker) ||
	       marked_as(dentry, XATTR_TRUSTED_PREFIX, marker);
}
EXPORT_SYMBOL_GPL(oomhook_marked);
