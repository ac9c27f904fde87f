// SPDX-License-Identifier: GPL-2.0
/*
 * The policy registry and the active chain.
 *
 * Modelled on TCP congestion control (net/ipv4/tcp_cong.c) and the I/O
 * scheduler registry (block/elevator.c): policies sit on a list that
 * writers change under a mutex and readers walk under RCU; a policy is
 * found by name, and a name that is not registered is looked for once more
 * after request_module("oomhook-policy-<name>").
 *
 * A policy that faults OOMHOOK_POLICY_FAULTS_MAX times in a row (fails,
 * overruns its deadline, claims a kill it did not make, or keeps releasing
 * memory that does not stop the OOMs) is dropped from the active chain,
 * with the reason logged; selecting it again gives it a fresh start.
 *
 * The active chain owns a reference on each of its policies' modules, so
 * an active policy cannot be unloaded ("rmmod: Module is in use"); switch
 * to another chain or "none" first.  Decisions take their own reference on
 * the chain, so a switch never waits for a decision, and a decision never
 * sees a policy vanish under it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <kunit/visibility.h>
#include <linux/kmod.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/rculist.h>
#include <linux/refcount.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include <linux/workqueue.h>

#include "internal.h"

static LIST_HEAD(oomhook_policies);
/* Serializes registration; readers use RCU. */
static DEFINE_MUTEX(oomhook_registry_mutex);
/* Serializes chain switches. */
static DEFINE_MUTEX(oomhook_chain_mutex);
static struct oomhook_chain __rcu *oomhook_active;

/* Called under rcu_read_lock() or oomhook_registry_mutex. */
static struct oomhook_policy *policy_find(const char *name)
{
	struct oomhook_policy *p;

	list_for_each_entry_rcu(p, &oomhook_policies, list,
				lockdep_is_held(&oomhook_registry_mutex)) {
		if (!strcmp(p->name, name))
			return p;
	}
	return NULL;
}

/* Find @name and pin its module; load it first if @autoload. */
static struct oomhook_policy *policy_get(const char *name, bool autoload)
{
	struct oomhook_policy *p;

	rcu_read_lock();
	p = policy_find(name);
	if (p && !try_module_get(p->owner))
		p = NULL;
	rcu_read_unlock();

	if (!p && autoload) {
		request_module("oomhook-policy-%s", name);
		return policy_get(name, false);
	}
	return p;
}

/**
 * oomhook_register_policy() - make a policy available
 * @policy: the policy; must stay valid until unregistered.
 *
 * Return: 0, -EINVAL for a bad name or a missing ->handle or owner,
 * -EEXIST when the name is taken, or another negative errno.
 */
int oomhook_register_policy(struct oomhook_policy *policy)
{
	int ret;

	if (!oomhook_valid_policy_name(policy->name) || !policy->handle ||
	    !policy->owner) {
		pr_err("policy \"%.*s\" lacks a valid name, handle or owner\n",
		       OOMHOOK_NAME_MAX, policy->name);
		return -EINVAL;
	}

	mutex_lock(&oomhook_registry_mutex);
	if (policy_find(policy->name)) {
		ret = -EEXIST;
		goto out;
	}
	ret = oomhook_sysfs_add_policy(policy);
	if (ret)
		goto out;
	list_add_tail_rcu(&policy->list, &oomhook_policies);
	pr_info("policy %s registered\n", policy->name);
out:
	mutex_unlock(&oomhook_registry_mutex);
	return ret;
}
EXPORT_SYMBOL_GPL(oomhook_register_policy);

/**
 * oomhook_unregister_policy() - withdraw a policy
 * @policy: a registered policy.
 *
 * Called from the policy module's exit, so the policy is in no chain: the
 * chain would hold a reference on the module.
 */
void oomhook_unregister_policy(struct oomhook_policy *policy)
{
	mutex_lock(&oomhook_registry_mutex);
	list_del_rcu(&policy->list);
	mutex_unlock(&oomhook_registry_mutex);
	synchronize_rcu();
	oomhook_sysfs_del_policy(policy);
	pr_info("policy %s unregistered\n", policy->name);
}
EXPORT_SYMBOL_GPL(oomhook_unregister_policy);

/* Whether a non-empty chain is active. */
bool oomhook_chain_armed(void)
{
	return !!rcu_access_pointer(oomhook_active);
}

/* Whether a policy of the active chain releases memory without a kill. */
bool oomhook_chain_releases(void)
{
	struct oomhook_chain *chain;
	bool found = false;
	int i;

	rcu_read_lock();
	chain = rcu_dereference(oomhook_active);
	for (i = 0; chain && i < chain->nr; i++) {
		if (chain->policy[i]->flags & OOMHOOK_POLICY_RELEASES)
			found = true;
	}
	rcu_read_unlock();
	return found;
}

/**
 * oomhook_chain_get() - take a reference on the active chain
 *
 * Return: the chain, or NULL when no policy is active.
 */
struct oomhook_chain *oomhook_chain_get(void)
{
	struct oomhook_chain *chain;

	rcu_read_lock();
	chain = rcu_dereference(oomhook_active);
	if (chain && !refcount_inc_not_zero(&chain->ref))
		chain = NULL;
	rcu_read_unlock();
	return chain;
}
EXPORT_SYMBOL_IF_KUNIT(oomhook_chain_get);

/**
 * oomhook_policy_active() - whether a policy is in the active chain
 * @policy: the policy.
 *
 * A policy that keeps state between events (cgroups it froze, say) uses
 * this to notice it was deselected, or dropped after repeated faults, and
 * undo what it did.
 *
 * Return: true if @policy is in the chain events go to now.
 */
bool oomhook_policy_active(const struct oomhook_policy *policy)
{
	struct oomhook_chain *chain;
	bool found = false;
	int i;

	rcu_read_lock();
	chain = rcu_dereference(oomhook_active);
	for (i = 0; chain && i < chain->nr; i++) {
		if (chain->policy[i] == policy)
			found = true;
	}
	rcu_read_unlock();
	return found;
}
EXPORT_SYMBOL_GPL(oomhook_policy_active);

static void chain_release(struct oomhook_chain *chain)
{
	int i;

	for (i = 0; i < chain->nr; i++)
		module_put(chain->policy[i]->owner);
	kfree_rcu(chain, rcu);
}

void oomhook_chain_put(struct oomhook_chain *chain)
{
	if (chain && refcount_dec_and_test(&chain->ref))
		chain_release(chain);
}
EXPORT_SYMBOL_IF_KUNIT(oomhook_chain_put);

/**
 * oomhook_chain_set() - switch to another chain, atomically
 * @names: the policies, in order.
 * @nr: how many; 0 deactivates.
 * @autoload: load policy modules that are not registered yet.
 *
 * Sleeps; never call it where a module load could depend on the caller.
 *
 * Return: 0, or -ENOENT when a policy cannot be found; the active chain is
 * unchanged on error.
 */
int oomhook_chain_set(char names[OOMHOOK_CHAIN_MAX][OOMHOOK_NAME_MAX], int nr,
		      bool autoload)
{
	struct oomhook_chain *new = NULL, *old;
	int i;

	if (nr) {
		new = kzalloc(sizeof(*new), GFP_KERNEL);
		if (!new)
			return -ENOMEM;
		refcount_set(&new->ref, 1);
		for (i = 0; i < nr; i++) {
			new->policy[i] = policy_get(names[i], autoload);
			if (!new->policy[i]) {
				pr_err("no policy named %s\n", names[i]);
				chain_release(new);
				return -ENOENT;
			}
			new->nr++;
		}
		/* Selecting a policy gives it a fresh start. */
		for (i = 0; i < nr; i++) {
			oomhook_policy_ok(new->policy[i]);
			new->policy[i]->releases = 0;
		}
	}

	mutex_lock(&oomhook_chain_mutex);
	old = rcu_replace_pointer(oomhook_active, new,
				  lockdep_is_held(&oomhook_chain_mutex));
	mutex_unlock(&oomhook_chain_mutex);
	oomhook_chain_put(old);

	if (!nr)
		pr_info("no policy active\n");
	for (i = 0; i < nr; i++)
		pr_info("policy %d of %d: %s\n", i + 1, nr, names[i]);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(oomhook_chain_set);

/*
 * Rebuild the active chain without the policies that faulted too often.
 * A work item: chain_set() sleeps, and faults are noted by the decision
 * worker, which must not wait for a switch.
 */
static void oomhook_disable_workfn(struct work_struct *work)
{
	char names[OOMHOOK_CHAIN_MAX][OOMHOOK_NAME_MAX];
	struct oomhook_chain *chain;
	int i, nr = 0, dropped = 0;

	chain = oomhook_chain_get();
	if (!chain)
		return;
	for (i = 0; i < chain->nr; i++) {
		struct oomhook_policy *p = chain->policy[i];

		if (atomic_read(&p->faults) < OOMHOOK_POLICY_FAULTS_MAX) {
			strscpy(names[nr++], p->name, OOMHOOK_NAME_MAX);
			continue;
		}
		pr_warn("policy %s disabled after %d consecutive faults (last error %d)\n",
			p->name, atomic_read(&p->faults), p->last_fault);
		oomhook_count(OOMHOOK_STAT_POLICIES_DISABLED);
		dropped++;
	}
	oomhook_chain_put(chain);
	if (dropped)
		oomhook_chain_set(names, nr, false);
}

static DECLARE_WORK(oomhook_disable_work, oomhook_disable_workfn);

/**
 * oomhook_policy_fault() - note that a policy misbehaved
 * @policy: the policy.
 * @error: what went wrong, a negative errno.
 *
 * Called by the decision worker.  The policy leaves the chain at the
 * OOMHOOK_POLICY_FAULTS_MAX-th fault in a row.
 */
void oomhook_policy_fault(struct oomhook_policy *policy, int error)
{
	policy->last_fault = error;
	if (atomic_inc_return(&policy->faults) == OOMHOOK_POLICY_FAULTS_MAX)
		queue_work(oomhook_wq, &oomhook_disable_work);
}

/**
 * oomhook_policy_ok() - a policy behaved: its fault streak ends
 * @policy: the policy.
 */
void oomhook_policy_ok(struct oomhook_policy *policy)
{
	atomic_set(&policy->faults, 0);
}

/**
 * oomhook_policy_show() - the active chain and the other policies
 * @buf: a sysfs page.
 *
 * Shows the active chain in brackets, in order ("[tmpfs,memcg]", or
 * "[none]"), then every other registered policy.
 *
 * Return: bytes written.
 */
ssize_t oomhook_policy_show(char *buf)
{
	struct oomhook_chain *chain;
	struct oomhook_policy *p;
	ssize_t len = 0;
	int i;

	rcu_read_lock();
	chain = rcu_dereference(oomhook_active);
	len += sysfs_emit_at(buf, len, "[");
	if (!chain)
		len += sysfs_emit_at(buf, len, "none");
	for (i = 0; chain && i < chain->nr; i++)
		len += sysfs_emit_at(buf, len, "%s%s", i ? "," : "",
				     chain->policy[i]->name);
	len += sysfs_emit_at(buf, len, "]");

	list_for_each_entry_rcu(p, &oomhook_policies, list) {
		bool active = false;

		for (i = 0; chain && i < chain->nr; i++)
			active |= chain->policy[i] == p;
		if (!active)
			len += sysfs_emit_at(buf, len, " %s", p->name);
	}
	rcu_read_unlock();
	len += sysfs_emit_at(buf, len, "\n");
	return len;
}
EXPORT_SYMBOL_IF_KUNIT(oomhook_policy_show);

void oomhook_registry_exit(void)
{
	struct oomhook_chain *old;

	cancel_work_sync(&oomhook_disable_work);
	mutex_lock(&oomhook_chain_mutex);
	old = rcu_replace_pointer(oomhook_active, NULL,
				  lockdep_is_held(&oomhook_chain_mutex));
	mutex_unlock(&oomhook_chain_mutex);
	oomhook_chain_put(old);
}
