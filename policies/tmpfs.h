/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The tmpfs policy's choice of files, as pure functions over keys, shared
 * with its KUnit suite (kunit/tmpfs_kunit.c).
 */
#ifndef _OOMHOOK_TMPFS_H
#define _OOMHOOK_TMPFS_H

#include <linux/types.h>

/* Most files one event considers for freeing. */
#define OOMHOOK_TMPFS_SET_MAX	64

/**
 * enum oomhook_tmpfs_order - which files go first
 * @OOMHOOK_TMPFS_LARGEST: the file holding the most memory.
 * @OOMHOOK_TMPFS_LRU: the file used (read or written) longest ago.
 */
enum oomhook_tmpfs_order {
	OOMHOOK_TMPFS_LARGEST,
	OOMHOOK_TMPFS_LRU,
};

/**
 * struct oomhook_tmpfs_key - what the ranking knows of a file
 * @bytes: memory the file holds (its blocks), in bytes; never 0.
 * @used_ns: last access or modification, the later of the two.
 * @ino: inode number: the last tie-breaker, so the order is total.
 */
struct oomhook_tmpfs_key {
	u64 bytes;
	s64 used_ns;
	unsigned long ino;
};

/**
 * struct oomhook_tmpfs_set - the best files seen so far in one walk
 * @nr: slots in use.
 * @key: their keys, in no particular order.
 */
struct oomhook_tmpfs_set {
	unsigned int nr;
	struct oomhook_tmpfs_key key[OOMHOOK_TMPFS_SET_MAX];
};

bool oomhook_tmpfs_before(enum oomhook_tmpfs_order order,
			  const struct oomhook_tmpfs_key *a,
			  const struct oomhook_tmpfs_key *b);
int oomhook_tmpfs_offer(struct oomhook_tmpfs_set *set,
			enum oomhook_tmpfs_order order,
			const struct oomhook_tmpfs_key *key);
void oomhook_tmpfs_sort(const struct oomhook_tmpfs_set *set,
			enum oomhook_tmpfs_order order,
			unsigned int idx[OOMHOOK_TMPFS_SET_MAX]);

#endif /* _OOMHOOK_TMPFS_H */
