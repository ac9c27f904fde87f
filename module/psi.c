// SPDX-License-Identifier: GPL-2.0
/*
 * PSI memory-pressure triggers, system-wide and per cgroup.
 *
 * A trigger is what a userspace monitor would create: "some 150000 1000000"
 * written to a cgroup's memory.pressure, then poll() on that file.  The
 * kernel's psi_trigger_create() is not exported, and /proc/pressure/memory
 * cannot be written from the kernel (procfs has no ->write_iter), but the
 * cgroup2 root's memory.pressure reports the same system-wide numbers and
 * takes triggers through an ordinary kernel_write().
 *
 * Waking up: each trigger is a watch (watch.c) on its memory.pressure;
 * the work asks vfs_poll() what happened.  EPOLLPRI means the trigger
 * fired.  EPOLLERR means the trigger or its cgroup is gone (a
 * removed cgroup wakes every poller): the trigger is disarmed and kept in
 * the list as "gone", never treated as pressure.
 *
 * No timer and no polling loop: while the machine is calm, nothing here
 * runs.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cgroup.h>
#include <linux/completion.h>
#include <linux/fs.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include <linux/workqueue.h>

#include "internal.h"

/* Most triggers at once. */
#define OOMHOOK_PSI_MAX		64
/* "some 4294967295 4294967295" and a NUL. */
#define OOMHOOK_PSI_TEXT_MAX	32

/**
 * struct oomhook_trigger - one armed PSI trigger
 * @node: on oomhook_triggers, under oomhook_psi_mutex.
 * @spec: what was configured.
 * @name: "psi:<path>:<kind>", as shown in events.
 * @watch: on the cgroup's memory.pressure, which carries the trigger.
 * @cgrp: the cgroup, pinned while armed: the scope of its events.
 * @gone: the trigger or its cgroup went away.
 * @fired: how many times the trigger fired.
 */
struct oomhook_trigger {
	struct list_head node;
	struct oomhook_psi_spec spec;
	char name[OOMHOOK_TRIGGER_MAX];
	struct oomhook_watch watch;
	struct cgroup *cgrp;
	bool gone;
	atomic_long_t fired;
};

static LIST_HEAD(oomhook_triggers);
/* Serializes trigger setup and teardown; never taken on the OOM path. */
static DEFINE_MUTEX(oomhook_psi_mutex);
static unsigned int oomhook_nr_triggers;

static void trigger_workfn(struct work_struct *work)
{
	struct oomhook_trigger *t = container_of(work, struct oomhook_trigger,
						 watch.work);
	struct file *file;
	__poll_t mask;

	file = oomhook_watch_file(&t->watch);
	if (!file)
		return;
	mask = vfs_poll(file, NULL);
	oomhook_cg_close(file);

	if (mask & EPOLLERR) {
		file = oomhook_watch_disarm(&t->watch);
		if (file)
			oomhook_cg_close(file);
		WRITE_ONCE(t->gone, true);
		oomhook_count(OOMHOOK_STAT_TRIGGERS_GONE);
		pr_info("trigger %s is gone (cgroup removed?); disarmed\n",
			t->name);
		return;
	}
	if (!(mask & EPOLLPRI))
		return;
	atomic_long_inc(&t->fired);
	oomhook_psi_fired(t->name, t->spec.path, t->cgrp,
			  READ_ONCE(t->watch.woken_ns));
}

static void trigger_free(struct oomhook_trigger *t)
{
	oomhook_watch_stop(&t->watch);
	if (t->cgrp)
		cgroup_put(t->cgrp);
	kfree(t);
}

/* Take the gone triggers off the list, onto @dead; under the mutex. */
static void trigger_reap_gone(struct list_head *dead)
{
	struct oomhook_trigger *t, *tmp;

	lockdep_assert_held(&oomhook_psi_mutex);
	list_for_each_entry_safe(t, tmp, &oomhook_triggers, node) {
		if (!READ_ONCE(t->gone))
			continue;
		list_move_tail(&t->node, dead);
		oomhook_nr_triggers--;
	}
}

static void trigger_free_list(struct list_head *dead)
{
	struct oomhook_trigger *t, *tmp;

	list_for_each_entry_safe(t, tmp, dead, node)
		trigger_free(t);
}

static struct oomhook_trigger *trigger_find(const struct oomhook_psi_spec *s)
{
	struct oomhook_trigger *t;

	lockdep_assert_held(&oomhook_psi_mutex);
	list_for_each_entry(t, &oomhook_triggers, node) {
		if (t->spec.kind == s->kind && !strcmp(t->spec.path, s->path))
			return t;
	}
	return NULL;
}

/* Open @t's memory.pressure, write the trigger and get on its poll queue. */
static int trigger_arm(struct oomhook_trigger *t)
{
	char text[OOMHOOK_PSI_TEXT_MAX];
	struct file *file;
	struct path dir;
	loff_t pos = 0;
	ssize_t n;
	int ret;

	ret = oomhook_cg_lookup(t->spec.path, &dir);
	if (ret)
		return ret;
	file = oomhook_cg_open(&dir, "memory.pressure", O_RDWR);
	path_put(&dir);
	if (IS_ERR(file)) {
		/* The cgroup exists: PSI is disabled (psi=0) or not built. */
		return PTR_ERR(file) == -ENOENT ? -EOPNOTSUPP : PTR_ERR(file);
	}
	t->cgrp = cgroup_get_from_path(t->spec.path);
	if (IS_ERR(t->cgrp)) {
		ret = PTR_ERR(t->cgrp);
		t->cgrp = NULL;
		oomhook_cg_close(file);
		return ret;
	}

	snprintf(text, sizeof(text), "%s %u %u",
		 oomhook_psi_kind_name(t->spec.kind), t->spec.threshold_us,
		 t->spec.window_us);
	n = kernel_write(file, text, strlen(text), &pos);
	if (n >= 0)
		n = oomhook_watch_arm(&t->watch, file);
	else
		oomhook_cg_close(file);
	if (n < 0) {
		cgroup_put(t->cgrp);
		t->cgrp = NULL;
	}
	return n;
}

struct arm_request {
	struct work_struct work;
	struct completion done;
	struct oomhook_trigger *t;
	int ret;
};

static void arm_workfn(struct work_struct *work)
{
	struct arm_request *req = container_of(work, struct arm_request, work);

	req->ret = trigger_arm(req->t);
	complete(&req->done);
}

/*
 * Arm from a worker, never from the caller: a sysfs store runs with its
 * kernfs file's of->mutex held, and opening a cgroup file for writing and
 * writing it takes sb_writers and another kernfs of->mutex, in the order
 * every write to a cgroup file takes them the other way round.  Lockdep
 * (rightly) reports that as a cycle.  A completion, unlike flush_work(),
 * ties the caller to the worker without ordering their locks.
 */
static int trigger_arm_in_worker(struct oomhook_trigger *t)
{
	struct arm_request req = { .t = t };

	INIT_WORK_ONSTACK(&req.work, arm_workfn);
	init_completion(&req.done);
	queue_work(oomhook_wq, &req.work);
	wait_for_completion(&req.done);
	destroy_work_on_stack(&req.work);
	return req.ret;
}

/**
 * oomhook_psi_add() - arm a PSI trigger
 * @spec: the trigger, as parsed by oomhook_parse_psi_spec().
 *
 * Return: 0, -EEXIST for a trigger of the same kind on the same cgroup,
 * -ENOSPC when %OOMHOOK_PSI_MAX triggers exist, -ENOENT when the cgroup
 * does not exist, -EOPNOTSUPP without PSI, or another negative errno.
 */
int oomhook_psi_add(const struct oomhook_psi_spec *spec)
{
	struct oomhook_trigger *t;
	LIST_HEAD(dead);
	int ret;

	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	t->spec = *spec;
	snprintf(t->name, sizeof(t->name), "psi:%s:%s", spec->path,
		 oomhook_psi_kind_name(spec->kind));
	oomhook_watch_init(&t->watch, trigger_workfn);
	atomic_long_set(&t->fired, 0);

	mutex_lock(&oomhook_psi_mutex);
	/*
	 * A gone trigger (its cgroup was removed) is only a line in the
	 * listing: it neither blocks a new one for a cgroup made again under
	 * the same path, nor counts against the limit.
	 */
	trigger_reap_gone(&dead);
	if (trigger_find(spec)) {
		ret = -EEXIST;
		goto err;
	}
	if (oomhook_nr_triggers >= OOMHOOK_PSI_MAX) {
		ret = -ENOSPC;
		goto err;
	}
	ret = trigger_arm_in_worker(t);
	if (ret)
		goto err;
	list_add_tail(&t->node, &oomhook_triggers);
	oomhook_nr_triggers++;
	mutex_unlock(&oomhook_psi_mutex);
	trigger_free_list(&dead);
	pr_info("trigger %s armed: %u us per %u us\n", t->name,
		spec->threshold_us, spec->window_us);
	return 0;
err:
	mutex_unlock(&oomhook_psi_mutex);
	trigger_free_list(&dead);
	kfree(t);
	return ret;
}

/**
 * oomhook_psi_del() - remove a PSI trigger
 * @spec: its path and kind.
 *
 * Return: 0, or -ENOENT if there is no such trigger.
 */
int oomhook_psi_del(const struct oomhook_psi_spec *spec)
{
	struct oomhook_trigger *t;

	mutex_lock(&oomhook_psi_mutex);
	t = trigger_find(spec);
	if (t) {
		list_del(&t->node);
		oomhook_nr_triggers--;
	}
	mutex_unlock(&oomhook_psi_mutex);
	if (!t)
		return -ENOENT;
	pr_info("trigger %s removed\n", t->name);
	trigger_free(t);
	return 0;
}

/**
 * oomhook_psi_clear() - remove every PSI trigger
 */
void oomhook_psi_clear(void)
{
	LIST_HEAD(dead);

	mutex_lock(&oomhook_psi_mutex);
	list_splice_init(&oomhook_triggers, &dead);
	oomhook_nr_triggers = 0;
	mutex_unlock(&oomhook_psi_mutex);
	trigger_free_list(&dead);
}

/**
 * oomhook_psi_show() - list the triggers, one per line
 * @buf: a sysfs page.
 *
 * Return: bytes written.
 */
ssize_t oomhook_psi_show(char *buf)
{
	struct oomhook_trigger *t;
	ssize_t len = 0;

	mutex_lock(&oomhook_psi_mutex);
	list_for_each_entry(t, &oomhook_triggers, node)
		len += sysfs_emit_at(buf, len, "%s:%s:%u:%u state=%s fired=%ld\n",
				     t->spec.path,
				     oomhook_psi_kind_name(t->spec.kind),
				     t->spec.threshold_us, t->spec.window_us,
				     READ_ONCE(t->gone) ? "gone" : "armed",
				     atomic_long_read(&t->fired));
	mutex_unlock(&oomhook_psi_mutex);
	return len;
}
