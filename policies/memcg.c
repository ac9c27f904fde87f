// SPDX-License-Identifier: GPL-2.0
/*
 * memcg: kill a whole memory cgroup, chosen by priority and usage.
 *
 * When memory runs out, the kernel's killer takes the single process with
 * the highest badness score; a service made of many processes loses one of
 * them, and the wrong service may lose it.  This policy treats a cgroup as
 * the unit of work: it picks the leaf cgroup (or memory.oom.group cgroup)
 * that the administrator marked as least important, and among equals the
 * one using the most memory beyond its protection, and kills all of it at
 * once through cgroup.kill.
 *
 * Priorities are the xattrs systemd and oomd use (ManagedOOMPreference=):
 * user.oomd_prefer is chosen first, user.oomd_avoid last, user.oomd_omit
 * never; trusted.* forms work too, and a marker applies to the subtree
 * below it.  user.* markers count only on cgroups owned by root.  The root
 * cgroup and the cgroups holding PID 1 are never chosen.
 *
 * It needs no file: the core's selection and kill keep the OOM notifier's
 * rules, so at a global OOM this policy decides and kills right in the
 * notifier (OOMHOOK_POLICY_ATOMIC), the way the kernel's own killer does.
 *
 * Choose it when workloads are organized in cgroups (systemd services,
 * containers, batch jobs) and losing one workload entirely is better than
 * losing a random process of it.
 *
 * Tunables, in /sys/kernel/oomhook/policies/memcg/ and as module
 * parameters:
 *
 * subtree
 *	Only cgroups at or below this cgroup are candidates.  A cgroup path
 *	relative to the cgroup2 root, e.g. "/batch.slice".  Default "/": the
 *	whole hierarchy.  Writing a cgroup that does not exist fails with
 *	-ENOENT.
 *
 * prefer, avoid
 *	Priorities by cgroup path, besides the markers: comma-separated
 *	patterns (glob_match() wildcards within components), each matching
 *	cgroups at its own depth, whose subtrees then rank as
 *	user.oomd_prefer or user.oomd_avoid (avoid wins where both match; a
 *	cgroup's own marker still decides for it and below).  For a
 *	Kubernetes node under the systemd driver:
 *	prefer=/kubepods.slice/kubepods-besteffort.slice and
 *	avoid=/kubepods.slice/kubepods-pod*.slice (Guaranteed pods).  At most
 *	8 each; "none" (the default) for none.  Only root writes these, but a
 *	pattern is matched whoever owns the cgroup: an avoid pattern that
 *	matches inside a delegated subtree lets its owner claim the avoid
 *	class (documented; name only cgroups root creates).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/cgroup.h>
#include <linux/err.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "oomhook.h"

/* The subtree as written, and the cgroup it names (NULL: "/", all). */
static char memcg_subtree[OOMHOOK_PATH_MAX] = "/";
static struct cgroup __rcu *memcg_subtree_cgrp;
/* Serializes writers; ->handle() reads the cgroup under RCU. */
static DEFINE_MUTEX(memcg_lock);

/* Priorities by path; NULL for none.  Replaced whole under memcg_lock. */
static struct oomhook_prio __rcu *memcg_prio;

/* Scratch for ->handle(), which the core never runs concurrently. */
static struct oomhook_candidate memcg_victim;

static int memcg_handle(const struct oomhook_event *ev,
			struct oomhook_result *res)
{
	int ret;

	rcu_read_lock();
	ret = oomhook_select_cgroup_prio(ev,
					 rcu_dereference(memcg_subtree_cgrp),
					 rcu_dereference(memcg_prio), 0,
					 &memcg_victim);
	rcu_read_unlock();
	if (ret == -ENOENT)
		return 0;
	if (ret)
		return ret;
	return oomhook_kill_cgroup(ev, &memcg_victim, res);
}

/* Validate, find the cgroup, then apply: a bad value changes nothing. */
static int memcg_set_subtree(const char *val)
{
	char path[OOMHOOK_PATH_MAX];
	struct cgroup *cgrp = NULL, *old;
	int ret;

	ret = oomhook_parse_cgroup_path(val, path, sizeof(path));
	if (ret)
		return ret;
	ret = oomhook_cgroup_exists(path);
	if (ret)
		return ret;
	if (strcmp(path, "/")) {
		cgrp = cgroup_get_from_path(path);
		if (IS_ERR(cgrp))
			return PTR_ERR(cgrp);
	}
	mutex_lock(&memcg_lock);
	strscpy(memcg_subtree, path, sizeof(memcg_subtree));
	old = rcu_replace_pointer(memcg_subtree_cgrp, cgrp,
				  lockdep_is_held(&memcg_lock));
	mutex_unlock(&memcg_lock);
	if (old) {
		synchronize_rcu();
		cgroup_put(old);
	}
	return 0;
}

static ssize_t subtree_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	ssize_t len;

	mutex_lock(&memcg_lock);
	len = sysfs_emit(buf, "%s\n", memcg_subtree);
	mutex_unlock(&memcg_lock);
	return len;
}

static ssize_t subtree_store(struct kobject *kobj, struct kobj_attribute *attr,
			     const char *buf, size_t count)
{
	int ret;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (strnlen(buf, count) != count)
		return -EINVAL;
	ret = memcg_set_subtree(buf);
	return ret ?: count;
}

static struct kobj_attribute subtree_attr = __ATTR_RW(subtree);

/* Set @avoid's or prefer's list; a bad one changes nothing. */
static int memcg_set_prio(const char *val, bool avoid)
{
	struct oomhook_prio *new, *old;
	int ret;

	new = kzalloc(sizeof(*new), GFP_KERNEL);
	if (!new)
		return -ENOMEM;
	mutex_lock(&memcg_lock);
	old = rcu_dereference_protected(memcg_prio,
					lockdep_is_held(&memcg_lock));
	if (old)
		*new = *old;
	ret = oomhook_parse_patterns(val, avoid ? &new->avoid : &new->prefer);
	if (ret) {
		mutex_unlock(&memcg_lock);
		kfree(new);
		return ret;
	}
	if (!new->avoid.nr && !new->prefer.nr) {
		kfree(new);
		new = NULL;
	}
	rcu_assign_pointer(memcg_prio, new);
	mutex_unlock(&memcg_lock);
	synchronize_rcu();
	kfree(old);
	return 0;
}

static ssize_t memcg_prio_show(char *buf, bool avoid)
{
	static const struct oomhook_patterns none;
	const struct oomhook_prio *prio;
	ssize_t len;

	mutex_lock(&memcg_lock);
	prio = rcu_dereference_protected(memcg_prio,
					 lockdep_is_held(&memcg_lock));
	len = oomhook_patterns_show(buf, !prio ? &none :
				    avoid ? &prio->avoid : &prio->prefer);
	mutex_unlock(&memcg_lock);
	return len;
}

static ssize_t memcg_prio_store(const char *buf, size_t count, bool avoid)
{
	int ret;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (strnlen(buf, count) != count)
		return -EINVAL;
	ret = memcg_set_prio(buf, avoid);
	return ret ?: count;
}

static ssize_t prefer_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	return memcg_prio_show(buf, false);
}

static ssize_t prefer_store(struct kobject *kobj, struct kobj_attribute *attr,
			    const char *buf, size_t count)
{
	return memcg_prio_store(buf, count, false);
}

static ssize_t avoid_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	return memcg_prio_show(buf, true);
}

static ssize_t avoid_store(struct kobject *kobj, struct kobj_attribute *attr,
			   const char *buf, size_t count)
{
	return memcg_prio_store(buf, count, true);
}

static struct kobj_attribute prefer_attr = __ATTR_RW(prefer);
static struct kobj_attribute avoid_attr = __ATTR_RW(avoid);

static struct attribute *memcg_attrs[] = {
	&subtree_attr.attr,
	&prefer_attr.attr,
	&avoid_attr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(memcg);

/*
 * At load the core is already running (we depend on it), so the subtree
 * can be checked for existence like a sysfs write.
 */
static int subtree_param_set(const char *val, const struct kernel_param *kp)
{
	return memcg_set_subtree(val);
}

static int subtree_param_get(char *buf, const struct kernel_param *kp)
{
	return subtree_show(NULL, NULL, buf);
}

static const struct kernel_param_ops subtree_param_ops = {
	.set = subtree_param_set,
	.get = subtree_param_get,
};

module_param_cb(subtree, &subtree_param_ops, NULL, 0444);
MODULE_PARM_DESC(subtree, "Only cgroups at or below this cgroup are candidates. Default \"/\".");

static int prefer_param_set(const char *val, const struct kernel_param *kp)
{
	return memcg_set_prio(val, false);
}

static int prefer_param_get(char *buf, const struct kernel_param *kp)
{
	return memcg_prio_show(buf, false);
}

static const struct kernel_param_ops prefer_param_ops = {
	.set = prefer_param_set,
	.get = prefer_param_get,
};

module_param_cb(prefer, &prefer_param_ops, NULL, 0444);
MODULE_PARM_DESC(prefer, "Cgroup path patterns whose subtrees are chosen first, comma-separated, e.g. \"/kubepods.slice/kubepods-besteffort.slice\". Default none.");

static int avoid_param_set(const char *val, const struct kernel_param *kp)
{
	return memcg_set_prio(val, true);
}

static int avoid_param_get(char *buf, const struct kernel_param *kp)
{
	return memcg_prio_show(buf, true);
}

static const struct kernel_param_ops avoid_param_ops = {
	.set = avoid_param_set,
	.get = avoid_param_get,
};

module_param_cb(avoid, &avoid_param_ops, NULL, 0444);
MODULE_PARM_DESC(avoid, "Cgroup path patterns whose subtrees are chosen last, comma-separated, e.g. \"/kubepods.slice/kubepods-pod*.slice\". Default none.");

static struct oomhook_policy memcg_policy = {
	.name = "memcg",
	.owner = THIS_MODULE,
	.flags = OOMHOOK_POLICY_ATOMIC,
	.handle = memcg_handle,
	.groups = memcg_groups,
};

static int __init memcg_init(void)
{
	return oomhook_register_policy(&memcg_policy);
}
module_init(memcg_init);

/* Unregistered first: no ->handle() runs when the subtree is dropped. */
static void __exit memcg_exit(void)
{
	oomhook_unregister_policy(&memcg_policy);
	if (rcu_access_pointer(memcg_subtree_cgrp))
		cgroup_put(rcu_dereference_protected(memcg_subtree_cgrp, true));
	kfree(rcu_dereference_protected(memcg_prio, true));
}
module_exit(memcg_exit);

MODULE_ALIAS_OOMHOOK_POLICY("memcg");
MODULE_DESCRIPTION("oomhook policy: kill the lowest-priority memory cgroup as a whole");
MODULE_AUTHOR("The oomhook developers");
MODULE_LICENSE("GPL");
MODULE_VERSION(OOMHOOK_VERSION);
