// SPDX-License-Identifier: GPL-2.0
/*
 * Watches: be woken when a kernfs file notifies its pollers, without a
 * thread and without polling.
 *
 * A watch owns an open file and sits on the file's poll queue, found with
 * one vfs_poll() through our own poll_table.  The wake function runs in
 * atomic context (PSI's poll worker, cgroup_file_notify() under
 * css_set_lock, a timer), so it only notes the time and queues the watch's
 * work; the work then asks the file what happened (vfs_poll(), a read).
 *
 * The PSI triggers (psi.c) and the victim tracker (action.c) are watches.
 * Teardown order: disarm (off the poll queue: no more wake-ups), cancel the
 * work, close the file.  kernfs keeps the poll queue alive while the file
 * is open, even after its cgroup is removed.
 */
#include <linux/fs.h>
#include <linux/ktime.h>
#include <linux/poll.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "internal.h"

static int watch_wake(struct wait_queue_entry *wait, unsigned int mode,
		      int sync, void *key)
{
	struct oomhook_watch *w = container_of(wait, struct oomhook_watch,
					       wait);

	WRITE_ONCE(w->woken_ns, ktime_get_ns());
	queue_work(oomhook_wq, &w->work);
	return 0;
}

static void watch_queue(struct file *file, wait_queue_head_t *whead,
			poll_table *pt)
{
	struct oomhook_watch *w = container_of(pt, struct oomhook_watch, pt);

	w->whead = whead;
	init_waitqueue_func_entry(&w->wait, watch_wake);
	add_wait_queue(whead, &w->wait);
}

/**
 * oomhook_watch_init() - prepare a watch
 * @w: the watch.
 * @fn: its work function, run after each wake-up.
 */
void oomhook_watch_init(struct oomhook_watch *w, work_func_t fn)
{
	spin_lock_init(&w->lock);
	INIT_WORK(&w->work, fn);
	w->file = NULL;
	w->armed = false;
}

/**
 * oomhook_watch_arm() - start watching an open file
 * @w: an idle watch.
 * @file: the file; the watch owns it from now on, even on error.
 *
 * Return: 0, or -EOPNOTSUPP if the file has no poll queue.
 */
int oomhook_watch_arm(struct oomhook_watch *w, struct file *file)
{
	w->whead = NULL;
	init_poll_funcptr(&w->pt, watch_queue);
	vfs_poll(file, &w->pt);
	if (!w->whead) {
		oomhook_cg_close(file);
		return -EOPNOTSUPP;
	}
	spin_lock(&w->lock);
	w->file = file;
	w->armed = true;
	spin_unlock(&w->lock);
	return 0;
}

/**
 * oomhook_watch_file() - the watched file, with a reference
 * @w: the watch.
 *
 * Return: the file (release with oomhook_cg_close()), or NULL once
 * disarmed.
 */
struct file *oomhook_watch_file(struct oomhook_watch *w)
{
	struct file *file = NULL;

	spin_lock(&w->lock);
	if (w->armed)
		file = get_file(w->file);
	spin_unlock(&w->lock);
	return file;
}

/**
 * oomhook_watch_disarm() - take a watch off its poll queue
 * @w: the watch.
 *
 * Safe from the watch's own work.  No wake-up comes after it returns.
 *
 * Return: the file, for the caller to close, or NULL if already disarmed.
 */
struct file *oomhook_watch_disarm(struct oomhook_watch *w)
{
	struct file *file = NULL;

	spin_lock(&w->lock);
	if (w->armed) {
		remove_wait_queue(w->whead, &w->wait);
		w->armed = false;
		swap(file, w->file);
	}
	spin_unlock(&w->lock);
	return file;
}

/**
 * oomhook_watch_stop() - disarm, wait for the work, close the file
 * @w: the watch.
 *
 * Not from the watch's own work.
 */
void oomhook_watch_stop(struct oomhook_watch *w)
{
	struct file *file = oomhook_watch_disarm(w);

	cancel_work_sync(&w->work);
	if (file)
		oomhook_cg_close(file);
}
