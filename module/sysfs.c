// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/oomhook/: the administrator's interface.
 *
 * /sys/kernel/oomhook/
 *	policy		the active chain and the other registered policies
 *	enabled		act on events (1) or only count them (0)
 *	dry_run		decide and record, change nothing
 *	cooldown_ms	quiet time for PSI after an action
 *	budget_ms	time a decision may take
 *	hold_ms		time a killed cgroup may take to exit
 *	low_mem_pct	the low-memory trigger: available memory (percent)
 *	low_swap_pct	... and free swap (percent) under which it acts
 *	low_ms		... once both stayed under for this long
 *	limit_act	act at a cgroup's own memory.max (1) or only record (0)
 *	kernel_kill	at a global OOM, the kernel's killer kills the choice
 *	limit_guard	cgroups with memory.high set a band below memory.max
 *	psi_triggers	the PSI triggers: read to list, write add/del/clear
 *	stats		counters
 *	events		recent decisions; poll()-able
 *	policies/<name>/	each registered policy's own tunables
 *
 * Every file is documented in Documentation/ABI/testing/sysfs-kernel-oomhook.
 * Writes need CAP_SYS_ADMIN (the files are 0644 root), are validated in
 * full before anything changes, and return an error otherwise.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <kunit/visibility.h>
#include <linux/capability.h>
#include <linux/kernfs.h>
#include <linux/kobject.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "internal.h"

#define OOMHOOK_COOLDOWN_MS_DEFAULT	10000
#define OOMHOOK_COOLDOWN_MS_MAX		3600000
#define OOMHOOK_BUDGET_MS_DEFAULT	1000
#define OOMHOOK_BUDGET_MS_MIN		10
#define OOMHOOK_BUDGET_MS_MAX		10000
#define OOMHOOK_HOLD_MS_DEFAULT		3000
#define OOMHOOK_HOLD_MS_MIN		100
#define OOMHOOK_HOLD_MS_MAX		60000
/* The low-memory trigger's defaults and bounds (README: "Low memory"). */
#define OOMHOOK_LOW_MEM_PCT_DEFAULT	5
#define OOMHOOK_LOW_MEM_PCT_MAX		50
#define OOMHOOK_LOW_SWAP_PCT_DEFAULT	10
#define OOMHOOK_LOW_SWAP_PCT_MIN	1
#define OOMHOOK_LOW_SWAP_PCT_MAX	100
#define OOMHOOK_LOW_MS_DEFAULT		250
#define OOMHOOK_LOW_MS_MAX		60000

static struct kobject *oomhook_kobj;
static struct kobject *oomhook_policies_kobj;
static struct kernfs_node *oomhook_events_kn;

/* Common checks for every write: privilege, and no NUL inside the input. */
static int check_write(const char *buf, size_t count)
{
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (strnlen(buf, count) != count)
		return -EINVAL;
	return 0;
}

/* ---- numeric and boolean tunables -------------------------------------- */

/**
 * oomhook_knob_store() - parse and apply a value to a tunable
 * @knob: the tunable.
 * @buf: the input, as written to sysfs or given as a module parameter.
 *
 * Return: 0, or -EINVAL/-ERANGE with the value unchanged.
 */
int oomhook_knob_store(struct oomhook_knob *knob, const char *buf)
{
	unsigned int val;
	int ret;

	ret = oomhook_parse_knob(buf, knob->boolean, knob->min, knob->max,
				 &val);
	if (ret)
		return ret;
	WRITE_ONCE(knob->val, val);
	return 0;
}
EXPORT_SYMBOL_GPL(oomhook_knob_store);

/**
 * oomhook_knob_show() - sysfs ->show() of a &struct oomhook_knob
 * @kobj: the directory.
 * @attr: the knob's attribute.
 * @buf: output.
 *
 * Return: bytes written.
 */
ssize_t oomhook_knob_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	struct oomhook_knob *knob = container_of(attr, struct oomhook_knob,
						 attr);

	return sysfs_emit(buf, "%u\n", oomhook_knob_get(knob));
}
EXPORT_SYMBOL_GPL(oomhook_knob_show);

/**
 * oomhook_knob_write() - sysfs ->store() of a &struct oomhook_knob
 * @kobj: the directory.
 * @attr: the knob's attribute.
 * @buf: the input.
 * @count: its length.
 *
 * Root only (CAP_SYS_ADMIN); input with a NUL byte is refused.
 *
 * Return: @count, or a negative errno with the value unchanged.
 */
ssize_t oomhook_knob_write(struct kobject *kobj, struct kobj_attribute *attr,
			   const char *buf, size_t count)
{
	struct oomhook_knob *knob = container_of(attr, struct oomhook_knob,
						 attr);
	int ret;

	ret = check_write(buf, count);
	if (!ret)
		ret = oomhook_knob_store(knob, buf);
	return ret ?: count;
}
EXPORT_SYMBOL_GPL(oomhook_knob_write);

#define OOMHOOK_KNOB(_name, _default, _min, _max, _boolean)		\
struct oomhook_knob oomhook_##_name =					\
	OOMHOOK_KNOB_INIT(_name, _default, _min, _max, _boolean);	\
EXPORT_SYMBOL_IF_KUNIT(oomhook_##_name)

OOMHOOK_KNOB(enabled, 1, 0, 1, true);
OOMHOOK_KNOB(dry_run, 0, 0, 1, true);
OOMHOOK_KNOB(cooldown_ms, OOMHOOK_COOLDOWN_MS_DEFAULT, 0,
	     OOMHOOK_COOLDOWN_MS_MAX, false);
OOMHOOK_KNOB(budget_ms, OOMHOOK_BUDGET_MS_DEFAULT, OOMHOOK_BUDGET_MS_MIN,
	     OOMHOOK_BUDGET_MS_MAX, false);
OOMHOOK_KNOB(hold_ms, OOMHOOK_HOLD_MS_DEFAULT, OOMHOOK_HOLD_MS_MIN,
	     OOMHOOK_HOLD_MS_MAX, false);
OOMHOOK_KNOB(low_mem_pct, OOMHOOK_LOW_MEM_PCT_DEFAULT, 0,
	     OOMHOOK_LOW_MEM_PCT_MAX, false);
OOMHOOK_KNOB(low_swap_pct, OOMHOOK_LOW_SWAP_PCT_DEFAULT,
	     OOMHOOK_LOW_SWAP_PCT_MIN, OOMHOOK_LOW_SWAP_PCT_MAX, false);
OOMHOOK_KNOB(low_ms, OOMHOOK_LOW_MS_DEFAULT, 0, OOMHOOK_LOW_MS_MAX, false);
OOMHOOK_KNOB(limit_act, 1, 0, 1, true);
OOMHOOK_KNOB(kernel_kill, 1, 0, 1, true);

/* ---- policy ------------------------------------------------------------ */

static ssize_t policy_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	return oomhook_policy_show(buf);
}

static ssize_t policy_store(struct kobject *kobj, struct kobj_attribute *attr,
			    const char *buf, size_t count)
{
	char names[OOMHOOK_CHAIN_MAX][OOMHOOK_NAME_MAX];
	int nr, ret;

	ret = check_write(buf, count);
	if (ret)
		return ret;
	nr = oomhook_parse_chain(buf, names);
	if (nr < 0)
		return nr;
	ret = oomhook_chain_set(names, nr, true);
	return ret ?: count;
}

static struct kobj_attribute policy_attr = __ATTR_RW(policy);

/* ---- psi_triggers ------------------------------------------------------ */

static ssize_t psi_triggers_show(struct kobject *kobj,
				 struct kobj_attribute *attr, char *buf)
{
	return oomhook_psi_show(buf);
}

static ssize_t psi_triggers_store(struct kobject *kobj,
				  struct kobj_attribute *attr,
				  const char *buf, size_t count)
{
	struct oomhook_psi_spec *spec;
	enum oomhook_verb verb;
	int ret;

	ret = check_write(buf, count);
	if (ret)
		return ret;
	spec = kzalloc(sizeof(*spec), GFP_KERNEL);
	if (!spec)
		return -ENOMEM;
	ret = oomhook_parse_psi_cmd(buf, &verb, spec);
	if (ret)
		goto out;
	switch (verb) {
	case OOMHOOK_VERB_ADD:
		ret = oomhook_psi_add(spec);
		break;
	case OOMHOOK_VERB_DEL:
		ret = oomhook_psi_del(spec);
		break;
	case OOMHOOK_VERB_CLEAR:
		oomhook_psi_clear();
		break;
	}
out:
	kfree(spec);
	return ret ?: count;
}

static struct kobj_attribute psi_triggers_attr = __ATTR_RW(psi_triggers);

/* ---- limit_guard ------------------------------------------------------- */

static ssize_t limit_guard_show(struct kobject *kobj,
				struct kobj_attribute *attr, char *buf)
{
	return oomhook_limits_guard_show(buf);
}

static ssize_t limit_guard_store(struct kobject *kobj,
				 struct kobj_attribute *attr,
				 const char *buf, size_t count)
{
	int ret = check_write(buf, count);

	if (!ret)
		ret = oomhook_limits_guard_cmd(buf);
	return ret ?: count;
}

static struct kobj_attribute limit_guard_attr = __ATTR_RW(limit_guard);

/* ---- stats and events -------------------------------------------------- */

static ssize_t stats_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	return oomhook_stats_show(buf);
}

static struct kobj_attribute stats_attr = __ATTR_RO(stats);

static ssize_t events_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	return oomhook_ring_show(&oomhook_events, buf, PAGE_SIZE);
}

static struct kobj_attribute events_attr = __ATTR_RO(events);

/**
 * oomhook_sysfs_notify_events() - wake poll() on the events file
 *
 * kernfs_notify() is safe in any context and allocates nothing; the node
 * was looked up at init, so no kernfs lock is taken here.
 */
void oomhook_sysfs_notify_events(void)
{
	if (oomhook_events_kn)
		sysfs_notify_dirent(oomhook_events_kn);
}

static struct attribute *oomhook_attrs[] = {
	&policy_attr.attr,
	&oomhook_enabled.attr.attr,
	&oomhook_dry_run.attr.attr,
	&oomhook_cooldown_ms.attr.attr,
	&oomhook_budget_ms.attr.attr,
	&oomhook_hold_ms.attr.attr,
	&oomhook_low_mem_pct.attr.attr,
	&oomhook_low_swap_pct.attr.attr,
	&oomhook_low_ms.attr.attr,
	&oomhook_limit_act.attr.attr,
	&oomhook_kernel_kill.attr.attr,
	&limit_guard_attr.attr,
	&psi_triggers_attr.attr,
	&stats_attr.attr,
	&events_attr.attr,
	NULL,
};

static const struct attribute_group oomhook_group = {
	.attrs = oomhook_attrs,
};

/* ---- policies/<name>/ -------------------------------------------------- */

int oomhook_sysfs_add_policy(struct oomhook_policy *policy)
{
	int ret;

	policy->kobj = kobject_create_and_add(policy->name,
					      oomhook_policies_kobj);
	if (!policy->kobj)
		return -ENOMEM;
	if (!policy->groups)
		return 0;
	ret = sysfs_create_groups(policy->kobj, policy->groups);
	if (ret) {
		kobject_put(policy->kobj);
		policy->kobj = NULL;
	}
	return ret;
}

void oomhook_sysfs_del_policy(struct oomhook_policy *policy)
{
	if (policy->groups)
		sysfs_remove_groups(policy->kobj, policy->groups);
	kobject_put(policy->kobj);
	policy->kobj = NULL;
}

int oomhook_sysfs_init(void)
{
	int ret;

	oomhook_kobj = kobject_create_and_add("oomhook", kernel_kobj);
	if (!oomhook_kobj)
		return -ENOMEM;
	ret = sysfs_create_group(oomhook_kobj, &oomhook_group);
	if (ret)
		goto err_kobj;
	oomhook_policies_kobj = kobject_create_and_add("policies",
						       oomhook_kobj);
	if (!oomhook_policies_kobj) {
		ret = -ENOMEM;
		goto err_group;
	}
	oomhook_events_kn = sysfs_get_dirent(oomhook_kobj->sd, "events");
	if (!oomhook_events_kn) {
		ret = -ENOENT;
		goto err_policies;
	}
	return 0;

err_policies:
	kobject_put(oomhook_policies_kobj);
err_group:
	sysfs_remove_group(oomhook_kobj, &oomhook_group);
err_kobj:
	kobject_put(oomhook_kobj);
	return ret;
}

/**
 * oomhook_sysfs_stop() - remove the files; no store runs after this
 *
 * The directory and the events node stay until oomhook_sysfs_exit(), so
 * that workers still finishing may notify pollers.
 */
void oomhook_sysfs_stop(void)
{
	sysfs_remove_group(oomhook_kobj, &oomhook_group);
}

void oomhook_sysfs_exit(void)
{
	kernfs_put(oomhook_events_kn);
	oomhook_events_kn = NULL;
	kobject_put(oomhook_policies_kobj);
	kobject_put(oomhook_kobj);
}
