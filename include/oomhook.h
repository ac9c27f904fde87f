/* SPDX-License-Identifier: GPL-2.0 */
/*
 * oomhook: pluggable answers to memory exhaustion.
 *
 * This is the interface between the oomhook core (oomhook.ko) and the policy
 * modules that decide what to do when memory runs out.  A policy is a named
 * set of callbacks, registered like a TCP congestion control algorithm or an
 * I/O scheduler.  The administrator selects an ordered chain of policies; on
 * every event (a global OOM or a PSI memory-pressure trigger) the core calls
 * each policy in the chain until enough memory has been freed or is about to
 * be freed.
 *
 * Policies never touch the cgroup hierarchy directly: the core offers the
 * primitives (victim selection, killing a cgroup) so that dry-run mode,
 * deadlines and "one victim in flight" are enforced in one place.
 *
 * Where a policy runs.  At a global OOM the core runs a policy flagged
 * %OOMHOOK_POLICY_ATOMIC synchronously in the OOM notifier, the way the
 * kernel's own killer decides: with oom_lock held, under memory exhaustion,
 * so its ->handle() must not sleep, allocate, take a sleeping lock or do
 * VFS.  oomhook_select_cgroup() and oomhook_kill_cgroup() follow those rules
 * and are all such a policy needs.  Every other policy (one that reads or
 * writes files: tmpfs, freeze) runs in the core's worker, with budget_ms
 * for its part of the decision, while the notifier waits.  PSI events run
 * every policy in the worker.  (Before December 2026 every policy ran in the
 * worker; a policy that sets no flag keeps doing so.)
 */
#ifndef _OOMHOOK_H
#define _OOMHOOK_H

#include <linux/atomic.h>
#include <linux/device/driver.h>
#include <linux/kobject.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/sysfs.h>
#include <linux/types.h>

struct cgroup;
struct dentry;

/* Longest policy name, including the terminating NUL. */
#define OOMHOOK_NAME_MAX	16
/*
 * Longest cgroup path oomhook shows or takes as configuration, including the
 * terminating NUL.  Selection has no such limit: it works on cgroups, and a
 * longer path is only cut short where it is shown.
 */
#define OOMHOOK_PATH_MAX	512
/* Most policies in one chain. */
#define OOMHOOK_CHAIN_MAX	4

/**
 * enum oomhook_source - what raised an event
 * @OOMHOOK_SRC_OOM: the kernel's global OOM notifier; the core waits for
 *	the chain (bounded) with oom_lock held by the allocating task.
 * @OOMHOOK_SRC_PSI: a PSI memory-pressure trigger fired; nobody waits.
 * @OOMHOOK_SRC_LOW: available memory and free swap stayed under their
 *	thresholds (low_mem_pct, low_swap_pct) for low_ms; nobody waits.
 *	@wanted in the event is what would bring memory back to twice the
 *	threshold; in a decision of releases only (memory still low in the
 *	cooldown after a kill), five times the threshold.
 * @OOMHOOK_SRC_LIMIT: a memory cgroup is at its own memory.max with next to
 *	nothing left that reclaim could free, and the kernel's memcg OOM
 *	killer is about to act; nobody waits.  @scope is that cgroup, and
 *	@wanted what would bring its usage a sixteenth of the limit below it.
 */
enum oomhook_source {
	OOMHOOK_SRC_OOM,
	OOMHOOK_SRC_PSI,
	OOMHOOK_SRC_LOW,
	OOMHOOK_SRC_LIMIT,
};

/**
 * enum oomhook_action - what a policy did about an event
 * @OOMHOOK_ACT_NONE: nothing; the chain moves on to the next policy.
 * @OOMHOOK_ACT_KILL: a cgroup was killed; its memory is freed as it exits.
 * @OOMHOOK_ACT_DRY_RUN: dry-run mode; @victim is what would have been acted
 *	upon, nothing was changed.
 * @OOMHOOK_ACT_FREED: memory was released without killing anything.
 * @OOMHOOK_ACT_HOLD: nothing new was done, but an earlier action of this
 *	policy is still taking effect (a frozen cgroup being given time):
 *	on a PSI event the chain stops here, so that the next policy does not
 *	undo it; on a global OOM it counts as %OOMHOOK_ACT_NONE.
 */
enum oomhook_action {
	OOMHOOK_ACT_NONE,
	OOMHOOK_ACT_KILL,
	OOMHOOK_ACT_DRY_RUN,
	OOMHOOK_ACT_FREED,
	OOMHOOK_ACT_HOLD,
};

/**
 * struct oomhook_event - one memory-exhaustion event, as handed to policies
 * @source: what raised the event.
 * @scope: cgroup path the event concerns, relative to the cgroup2 root and
 *	starting with '/'; "/" for system-wide events.
 * @wanted: bytes the core would like released (or about to be released).
 * @start_ns: ktime_get_ns() when the trigger fired.
 * @deadline_ns: ktime_get_ns() value after which the policy must give up
 *	(see oomhook_event_expired()).
 * @scope_cgrp: the cgroup @scope names; selection stays within it.
 * @dry_run: decide and report, change nothing.  The core's primitives
 *	(oomhook_kill_cgroup()) honour it; a policy that acts by its own
 *	means must check it.
 * @atomic: ->handle() is called in the OOM notifier (only for policies
 *	flagged %OOMHOOK_POLICY_ATOMIC): no sleeping, no allocation.
 *
 * The event is owned by the core and valid only during ->handle().
 */
struct oomhook_event {
	enum oomhook_source source;
	char scope[OOMHOOK_PATH_MAX];
	struct cgroup *scope_cgrp;
	u64 wanted;
	u64 start_ns;
	u64 deadline_ns;
	bool dry_run;
	bool atomic;
};

/**
 * struct oomhook_result - what a policy did
 * @action: see &enum oomhook_action.
 * @freed: bytes already released when ->handle() returns.
 * @expected: bytes expected to be released soon (e.g. a killed cgroup's
 *	usage, released as its tasks exit).
 * @victim: the cgroup acted upon (or that would have been, in dry-run
 *	mode), "" when none.
 *
 * The core zeroes the result before each ->handle() call.
 */
struct oomhook_result {
	enum oomhook_action action;
	u64 freed;
	u64 expected;
	char victim[OOMHOOK_PATH_MAX];
};

/**
 * enum oomhook_class - a cgroup's standing as an OOM victim
 * @OOMHOOK_CLASS_PREFER: user.oomd_prefer: chosen before any other.
 * @OOMHOOK_CLASS_NORMAL: no marker.
 * @OOMHOOK_CLASS_AVOID: user.oomd_avoid: chosen only when nothing else is.
 * @OOMHOOK_CLASS_OMIT: user.oomd_omit: never chosen.
 *
 * The markers are the xattrs systemd writes for ManagedOOMPreference=, in
 * their user. or trusted. forms; a cgroup inherits its nearest marked
 * ancestor's class.  A trusted.* marker (which only CAP_SYS_ADMIN can set)
 * always counts; a user.* marker counts only on a cgroup owned by root, as
 * systemd-oomd reads them: a user who owns a delegated subtree cannot
 * exempt their own cgroups.
 */
enum oomhook_class {
	OOMHOOK_CLASS_PREFER,
	OOMHOOK_CLASS_NORMAL,
	OOMHOOK_CLASS_AVOID,
	OOMHOOK_CLASS_OMIT,
};

/**
 * struct oomhook_candidate - a cgroup that may be chosen as a victim
 * @path: cgroup path, relative to the cgroup2 root, starting with '/'
 *	(filled in for the chosen cgroup only; cut short if longer than
 *	%OOMHOOK_PATH_MAX).
 * @cgrp: the cgroup; the core holds a reference until the event ends.
 * @id: its cgroup id (the inode number of its directory).
 * @class: see &enum oomhook_class.
 * @usage: memory.current + memory.swap.current, in bytes.
 * @protection: the larger of its effective memory.min and memory.low, in
 *	bytes: what its ancestors let it keep, not what it configured.
 * @oom_group: memory.oom.group is set: the cgroup is one unit with its
 *	descendants.
 * @root: the root cgroup.
 * @holds_pid1: PID 1's cgroup or one of its ancestors.
 * @populated: the cgroup (or its subtree) has tasks.
 * @pending: killed earlier and still exiting.
 * @frozen: cgroup.freeze is set on it or on an ancestor (by an
 *	administrator or a policy); still eligible, unless the caller asks
 *	for %OOMHOOK_SELECT_UNFROZEN.
 *
 * The unit of a victim is a memory cgroup: a cgroup with the memory
 * controller and no child that has it, or one with memory.oom.group set.
 * Its descendants without the memory controller are part of it (their
 * memory is charged to it).  Only populated units that are none of root,
 * holds_pid1, pending or OOMHOOK_CLASS_OMIT are eligible.
 */
struct oomhook_candidate {
	char path[OOMHOOK_PATH_MAX];
	struct cgroup *cgrp;
	u64 id;
	enum oomhook_class class;
	u64 usage;
	u64 protection;
	bool oom_group;
	bool root;
	bool holds_pid1;
	bool populated;
	bool pending;
	bool frozen;
};

/* oomhook_select_cgroup() flag: pass over cgroups with cgroup.freeze set. */
#define OOMHOOK_SELECT_UNFROZEN		0x1

/* Patterns in one list of &struct oomhook_patterns. */
#define OOMHOOK_PATTERNS_MAX		8

/**
 * struct oomhook_patterns - cgroup path patterns
 * @nr: how many.
 * @depth: each one's number of components: it matches cgroups at that
 *	level only (and, through them, their subtrees).
 * @pattern: each one, a glob_match() pattern over the whole cgroup path,
 *	e.g. "/kubepods.slice/kubepods-besteffort.slice".
 */
struct oomhook_patterns {
	unsigned int nr;
	unsigned int depth[OOMHOOK_PATTERNS_MAX];
	char pattern[OOMHOOK_PATTERNS_MAX][OOMHOOK_PATH_MAX];
};

/**
 * struct oomhook_prio - priorities by cgroup path, besides the markers
 * @prefer: cgroups whose subtrees rank as user.oomd_prefer.
 * @avoid: cgroups whose subtrees rank as user.oomd_avoid (over @prefer
 *	where both match).
 *
 * A cgroup's own marker still decides for it and below it.
 */
struct oomhook_prio {
	struct oomhook_patterns prefer;
	struct oomhook_patterns avoid;
};

/*
 * &struct oomhook_policy flag: ->handle() keeps the OOM notifier's rules (no
 * sleeping, no allocation, no VFS), so the core calls it synchronously at a
 * global OOM instead of handing the event to its worker.
 */
#define OOMHOOK_POLICY_ATOMIC		0x1
/*
 * &struct oomhook_policy flag: ->handle() answers only by releasing memory
 * that no task needs to go on running (files of an opted-in cache, say): it
 * never kills, freezes or signals a task.  While the cooldown after an
 * action holds decisions back, memory that stays low (trigger "low") still
 * runs the chain's policies with this flag, and only them.
 */
#define OOMHOOK_POLICY_RELEASES		0x2

/**
 * struct oomhook_policy - a way of answering memory exhaustion
 * @name: unique name, [a-z0-9_] only; selects the policy and autoloads
 *	the module aliased "oomhook-policy-<name>".
 * @owner: the module providing the policy (THIS_MODULE).
 * @flags: %OOMHOOK_POLICY_ATOMIC, %OOMHOOK_POLICY_RELEASES, or 0.
 * @handle: mandatory.  Called one event at a time (calls are serialized).
 *	Without %OOMHOOK_POLICY_ATOMIC: from the core's worker, in process
 *	context with PF_MEMALLOC set: it may sleep and allocate, but must
 *	stay within @ev's deadline and may not wait for memory to be freed.
 *	With it: at a global OOM from the OOM notifier (@ev->atomic), where
 *	it must not sleep, allocate or do VFS; otherwise from the worker.
 *	Returns 0 with @res filled in (OOMHOOK_ACT_NONE when it found
 *	nothing to do) or a negative errno.
 * @groups: optional sysfs attributes, shown in
 *	/sys/kernel/oomhook/policies/<name>/ while the policy is registered.
 * @list: private to the core.
 * @kobj: private to the core.
 * @faults: private to the core: consecutive faults (see registry.c).
 * @last_fault: private to the core: the errno of the last fault.
 * @releases: private to the core: releases in a row within hold_ms.
 * @last_release_ns: private to the core: when the last release was.
 */
struct oomhook_policy {
	char name[OOMHOOK_NAME_MAX];
	struct module *owner;
	unsigned int flags;
	int (*handle)(const struct oomhook_event *ev,
		      struct oomhook_result *res);
	const struct attribute_group **groups;

	struct list_head list;
	struct kobject *kobj;
	atomic_t faults;
	int last_fault;
	unsigned int releases;
	u64 last_release_ns;
};

int oomhook_register_policy(struct oomhook_policy *policy);
void oomhook_unregister_policy(struct oomhook_policy *policy);

bool oomhook_event_expired(const struct oomhook_event *ev);
int oomhook_select_cgroup(const struct oomhook_event *ev,
			  struct cgroup *subtree, unsigned int flags,
			  struct oomhook_candidate *victim);
int oomhook_select_cgroup_prio(const struct oomhook_event *ev,
			       struct cgroup *subtree,
			       const struct oomhook_prio *prio,
			       unsigned int flags,
			       struct oomhook_candidate *victim);
int oomhook_parse_patterns(const char *buf, struct oomhook_patterns *p);
bool oomhook_patterns_match(const struct oomhook_patterns *p,
			    unsigned int depth, const char *path);
ssize_t oomhook_patterns_show(char *buf, const struct oomhook_patterns *p);
int oomhook_kill_cgroup(const struct oomhook_event *ev,
			const struct oomhook_candidate *victim,
			struct oomhook_result *res);
int oomhook_parse_cgroup_path(const char *buf, char *out, size_t len);
int oomhook_parse_knob(const char *buf, bool boolean, unsigned int min,
		       unsigned int max, unsigned int *val);
bool oomhook_marked(struct dentry *dentry, const char *marker);
int oomhook_cgroup_exists(const char *path);
int oomhook_cgroup_read(const char *path, const char *file, char *buf,
			size_t size);
int oomhook_cgroup_read_u64(const char *path, const char *file, u64 *val);
int oomhook_cgroup_write(const char *path, const char *file, const char *val);
bool oomhook_policy_active(const struct oomhook_policy *policy);
ssize_t oomhook_counters_show(char *buf, const char * const *names,
			      atomic_long_t *vals, unsigned int nr);

/**
 * struct oomhook_knob - one numeric or boolean tunable
 * @attr: its sysfs file.
 * @val: current value; read locklessly with oomhook_knob_get().
 * @min: smallest accepted value.
 * @max: largest accepted value.
 * @boolean: parsed as 0/1/y/n/yes/no/on/off/true/false and shown as 0/1.
 *
 * The same descriptor backs the sysfs file and the module parameter of the
 * same name, so boot-time and run-time configuration take the same input:
 * define it with OOMHOOK_KNOB_INIT(), list &knob.attr.attr in the policy's
 * attribute group, and pass it to module_param_cb() with
 * &oomhook_knob_param_ops.
 */
struct oomhook_knob {
	struct kobj_attribute attr;
	unsigned int val;
	unsigned int min;
	unsigned int max;
	bool boolean;
};

ssize_t oomhook_knob_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf);
ssize_t oomhook_knob_write(struct kobject *kobj, struct kobj_attribute *attr,
			   const char *buf, size_t count);
int oomhook_knob_store(struct oomhook_knob *knob, const char *buf);
int oomhook_knob_param_set(const char *val, const struct kernel_param *kp);
int oomhook_knob_param_get(char *buf, const struct kernel_param *kp);

/* module_param_cb() operations for a &struct oomhook_knob argument. */
static const struct kernel_param_ops oomhook_knob_param_ops __maybe_unused = {
	.set = oomhook_knob_param_set,
	.get = oomhook_knob_param_get,
};

/**
 * OOMHOOK_KNOB_INIT() - initializer for a &struct oomhook_knob
 * @_name: the sysfs file's name (an identifier).
 * @_default: initial value.
 * @_min: smallest accepted value.
 * @_max: largest accepted value.
 * @_boolean: a 0/1 switch rather than a number.
 */
#define OOMHOOK_KNOB_INIT(_name, _default, _min, _max, _boolean)	\
	{								\
		.attr = __ATTR(_name, 0644, oomhook_knob_show,		\
			       oomhook_knob_write),			\
		.val = _default,					\
		.min = _min,						\
		.max = _max,						\
		.boolean = _boolean,					\
	}

/**
 * oomhook_knob_get() - a tunable's current value
 * @knob: the tunable.
 *
 * Return: the value, read without a lock.
 */
static inline unsigned int oomhook_knob_get(const struct oomhook_knob *knob)
{
	return READ_ONCE(knob->val);
}

/**
 * module_oomhook_policy() - boilerplate for a module that is one policy
 * @__policy: the &struct oomhook_policy to register at load and
 *	unregister at unload.
 */
#define module_oomhook_policy(__policy)					\
	module_driver(__policy, oomhook_register_policy,		\
		      oomhook_unregister_policy)

/**
 * MODULE_ALIAS_OOMHOOK_POLICY() - let selecting a policy autoload its module
 * @__name: the policy's name, as a string literal.
 */
#define MODULE_ALIAS_OOMHOOK_POLICY(__name)				\
	MODULE_ALIAS("oomhook-policy-" __name)

#endif /* _OOMHOOK_H */
