// SPDX-License-Identifier: GPL-2.0
/*
 * fault: a policy that misbehaves on demand.  For oomhook's own tests only;
 * built with OOMHOOK_TESTS=y and never installed.
 *
 * /sys/module/oomhook_fault/parameters/mode selects the behaviour:
 *
 *   kill         behave: kill the best candidate, like memcg
 *   error        fail with -EIO
 *   claim_kill   report a kill without making it
 *   claim_freed  report 1 MiB freed without freeing anything
 *   sleep        sleep sleep_ms (past the budget), then try to kill
 *   vanished     pick a victim that does not exist
 *
 * A read of /sys/kernel/debug/oomhook_fault/block sleeps uninterruptibly
 * (D state, deaf to SIGKILL) until "0" is written to it: a victim that
 * cannot exit, on demand.  "1" makes reads block again.  Writing "COUNT MS"
 * to /sys/kernel/debug/oomhook_fault/step arms a timer: from the policy's
 * next kill on, COUNT blocked reads go, one every MS ms.  A victim that
 * exits one task at a time, while memory is so short that no test script
 * could run to let them go.
 *
 * Writing N to /sys/kernel/debug/oomhook_fault/cgroup_mutex holds the
 * kernel's cgroup_mutex for N ms from a kernel thread, as a task creating a
 * cgroup or moving a process would while it allocates; "0" lets it go.
 * cgroup_mutex is exported only with CONFIG_PROVE_RCU (oomhook's debug
 * kernel); elsewhere the file does not exist.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/cgroup.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/sizes.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/timer.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

#include "oomhook.h"

enum fault_mode {
	FAULT_KILL,
	FAULT_ERROR,
	FAULT_CLAIM_KILL,
	FAULT_CLAIM_FREED,
	FAULT_SLEEP,
	FAULT_VANISHED,
	FAULT_KILL_ERROR,
};

static const char * const fault_modes[] = {
	[FAULT_KILL] = "kill",
	[FAULT_ERROR] = "error",
	[FAULT_CLAIM_KILL] = "claim_kill",
	[FAULT_CLAIM_FREED] = "claim_freed",
	[FAULT_SLEEP] = "sleep",
	[FAULT_VANISHED] = "vanished",
	[FAULT_KILL_ERROR] = "kill_error",
};

static int fault_mode = FAULT_KILL;
static unsigned int sleep_ms = 2000;
module_param(sleep_ms, uint, 0644);
MODULE_PARM_DESC(sleep_ms, "How long mode=sleep sleeps, ms. Default 2000.");

static bool fault_blocking = true;
/* Blocked reads that may go, one each (the step file). */
static atomic_t fault_steps = ATOMIC_INIT(0);
static DECLARE_WAIT_QUEUE_HEAD(fault_wq);
static struct dentry *fault_dir;

/* Most reads one write to the step file may let go, and its longest gap. */
#define FAULT_STEPS_MAX		64
#define FAULT_STEP_MS_MAX	10000

/* The step file's plan; the timer and the kill take it too. */
static DEFINE_SPINLOCK(fault_step_lock);
static unsigned int fault_step_left;
static unsigned long fault_step_gap;
static bool fault_step_armed;
static struct timer_list fault_step_timer;

static void fault_step_fn(struct timer_list *timer)
{
	unsigned long flags;

	spin_lock_irqsave(&fault_step_lock, flags);
	if (fault_step_left) {
		atomic_inc(&fault_steps);
		wake_up_all(&fault_wq);
		if (--fault_step_left)
			mod_timer(&fault_step_timer, jiffies + fault_step_gap);
	}
	spin_unlock_irqrestore(&fault_step_lock, flags);
}

/* The fault policy killed: start letting the blocked reads go. */
static void fault_step_start(void)
{
	unsigned long flags;

	spin_lock_irqsave(&fault_step_lock, flags);
	if (fault_step_armed) {
		fault_step_armed = false;
		mod_timer(&fault_step_timer, jiffies + fault_step_gap);
	}
	spin_unlock_irqrestore(&fault_step_lock, flags);
}

/* ->handle() calls are serialized by the core. */
static struct oomhook_candidate fault_victim;

static int fault_handle(const struct oomhook_event *ev,
			struct oomhook_result *res)
{
	int ret;

	switch (READ_ONCE(fault_mode)) {
	case FAULT_ERROR:
		return -EIO;
	case FAULT_CLAIM_KILL:
		res->action = OOMHOOK_ACT_KILL;
		strscpy(res->victim, "/claimed", sizeof(res->victim));
		res->expected = SZ_1M;
		return 0;
	case FAULT_CLAIM_FREED:
		res->action = OOMHOOK_ACT_FREED;
		res->freed = SZ_1M;
		return 0;
	case FAULT_VANISHED:
		memset(&fault_victim, 0, sizeof(fault_victim));
		strscpy(fault_victim.path, "/oomhook-fault-vanished",
			sizeof(fault_victim.path));
		return oomhook_kill_cgroup(ev, &fault_victim, res);
	case FAULT_KILL_ERROR:
		/* Kills, then says it failed: the kill must stand. */
		ret = oomhook_select_cgroup(ev, NULL, 0, &fault_victim);
		if (!ret)
			ret = oomhook_kill_cgroup(ev, &fault_victim, res);
		return ret ?: -EIO;
	case FAULT_SLEEP:
		msleep(READ_ONCE(sleep_ms));
		fallthrough;
	case FAULT_KILL:
	default:
		ret = oomhook_select_cgroup(ev, NULL, 0, &fault_victim);
		if (ret == -ENOENT)
			return 0;
		if (ret)
			return ret;
		ret = oomhook_kill_cgroup(ev, &fault_victim, res);
		if (!ret && res->action == OOMHOOK_ACT_KILL)
			fault_step_start();
		return ret;
	}
}

static int mode_set(const char *val, const struct kernel_param *kp)
{
	int i = sysfs_match_string(fault_modes, val);

	if (i < 0)
		return i;
	WRITE_ONCE(fault_mode, i);
	return 0;
}

static int mode_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%s\n", fault_modes[READ_ONCE(fault_mode)]);
}

static const struct kernel_param_ops mode_ops = {
	.set = mode_set,
	.get = mode_get,
};

module_param_cb(mode, &mode_ops, NULL, 0644);
MODULE_PARM_DESC(mode, "kill, error, claim_kill, claim_freed, sleep, vanished or kill_error. Default kill.");

static ssize_t block_read(struct file *file, char __user *buf, size_t len,
			  loff_t *pos)
{
	wait_event(fault_wq, !READ_ONCE(fault_blocking) ||
		   atomic_add_unless(&fault_steps, -1, 0));
	return 0;
}

static ssize_t block_write(struct file *file, const char __user *buf,
			   size_t len, loff_t *pos)
{
	bool block;
	int ret;

	ret = kstrtobool_from_user(buf, len, &block);
	if (ret)
		return ret;
	if (block)
		atomic_set(&fault_steps, 0);
	WRITE_ONCE(fault_blocking, block);
	wake_up_all(&fault_wq);
	return len;
}

static const struct file_operations block_fops = {
	.owner = THIS_MODULE,
	.read = block_read,
	.write = block_write,
};

static ssize_t step_write(struct file *file, const char __user *buf,
			  size_t len, loff_t *pos)
{
	unsigned int count, ms;
	char kbuf[32];

	if (len >= sizeof(kbuf))
		return -EINVAL;
	if (copy_from_user(kbuf, buf, len))
		return -EFAULT;
	kbuf[len] = '\0';
	if (sscanf(kbuf, "%u %u", &count, &ms) != 2 || !count ||
	    count > FAULT_STEPS_MAX || !ms || ms > FAULT_STEP_MS_MAX)
		return -EINVAL;
	spin_lock_irq(&fault_step_lock);
	fault_step_armed = false;
	fault_step_left = 0;
	spin_unlock_irq(&fault_step_lock);
	del_timer_sync(&fault_step_timer);
	spin_lock_irq(&fault_step_lock);
	fault_step_left = count;
	fault_step_gap = msecs_to_jiffies(ms);
	fault_step_armed = true;
	spin_unlock_irq(&fault_step_lock);
	return len;
}

static const struct file_operations step_fops = {
	.owner = THIS_MODULE,
	.write = step_write,
};

#if IS_ENABLED(CONFIG_PROVE_RCU)
static DECLARE_WAIT_QUEUE_HEAD(fault_mutex_wq);
static bool fault_mutex_release;
static struct task_struct *fault_mutex_holder;

static int fault_mutex_fn(void *data)
{
	unsigned long ms = (unsigned long)data;

	mutex_lock(&cgroup_mutex);
	pr_info("holding cgroup_mutex for up to %lu ms\n", ms);
	wait_event_timeout(fault_mutex_wq, READ_ONCE(fault_mutex_release) ||
			   kthread_should_stop(), msecs_to_jiffies(ms));
	mutex_unlock(&cgroup_mutex);
	pr_info("released cgroup_mutex\n");
	while (!kthread_should_stop())
		schedule_timeout_interruptible(HZ);
	return 0;
}

static void fault_mutex_stop(void)
{
	if (!fault_mutex_holder)
		return;
	WRITE_ONCE(fault_mutex_release, true);
	wake_up_all(&fault_mutex_wq);
	kthread_stop(fault_mutex_holder);
	fault_mutex_holder = NULL;
}

static ssize_t mutex_write(struct file *file, const char __user *buf,
			   size_t len, loff_t *pos)
{
	unsigned long ms;
	int ret;

	ret = kstrtoul_from_user(buf, len, 10, &ms);
	if (ret)
		return ret;
	fault_mutex_stop();
	if (!ms)
		return len;
	WRITE_ONCE(fault_mutex_release, false);
	fault_mutex_holder = kthread_run(fault_mutex_fn, (void *)ms,
					 "oomhook_fault_mutex");
	if (IS_ERR(fault_mutex_holder)) {
		ret = PTR_ERR(fault_mutex_holder);
		fault_mutex_holder = NULL;
		return ret;
	}
	return len;
}

static const struct file_operations mutex_fops = {
	.owner = THIS_MODULE,
	.write = mutex_write,
};

static void fault_mutex_init(struct dentry *dir)
{
	debugfs_create_file("cgroup_mutex", 0200, dir, NULL, &mutex_fops);
}
#else
static void fault_mutex_init(struct dentry *dir)
{
}

static void fault_mutex_stop(void)
{
}
#endif

static struct oomhook_policy fault_policy = {
	.name = "fault",
	.owner = THIS_MODULE,
	.handle = fault_handle,
};

/* Registrations the core must refuse; their results are logged for tests. */
static struct oomhook_policy fault_dup = {
	.name = "fault",
	.owner = THIS_MODULE,
	.handle = fault_handle,
};

static struct oomhook_policy fault_no_handle = {
	.name = "fault_nohandle",
	.owner = THIS_MODULE,
};

static struct oomhook_policy fault_bad_name = {
	.name = "Bad-Name",
	.owner = THIS_MODULE,
	.handle = fault_handle,
};

static int __init fault_init(void)
{
	int ret;

	ret = oomhook_register_policy(&fault_policy);
	if (ret)
		return ret;
	pr_info("registry checks: duplicate=%d no_handle=%d bad_name=%d\n",
		oomhook_register_policy(&fault_dup),
		oomhook_register_policy(&fault_no_handle),
		oomhook_register_policy(&fault_bad_name));
	fault_dir = debugfs_create_dir("oomhook_fault", NULL);
	debugfs_create_file("block", 0600, fault_dir, NULL, &block_fops);
	timer_setup(&fault_step_timer, fault_step_fn, 0);
	debugfs_create_file("step", 0200, fault_dir, NULL, &step_fops);
	fault_mutex_init(fault_dir);
	return 0;
}
module_init(fault_init);

static void __exit fault_exit(void)
{
	oomhook_unregister_policy(&fault_policy);
	fault_mutex_stop();
	del_timer_sync(&fault_step_timer);
	WRITE_ONCE(fault_blocking, false);
	wake_up_all(&fault_wq);
	debugfs_remove(fault_dir);
}
module_exit(fault_exit);

MODULE_ALIAS_OOMHOOK_POLICY("fault");
MODULE_DESCRIPTION("oomhook test policy that misbehaves on demand");
MODULE_AUTHOR("The oomhook developers");
MODULE_LICENSE("GPL");
MODULE_VERSION(OOMHOOK_VERSION);
