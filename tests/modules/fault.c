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
 * cannot exit, on demand.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/sizes.h>
#include <linux/string.h>
#include <linux/wait.h>

#include "oomhook.h"

enum fault_mode {
	FAULT_KILL,
	FAULT_ERROR,
	FAULT_CLAIM_KILL,
	FAULT_CLAIM_FREED,
	FAULT_SLEEP,
	FAULT_VANISHED,
};

static const char * const fault_modes[] = {
	[FAULT_KILL] = "kill",
	[FAULT_ERROR] = "error",
	[FAULT_CLAIM_KILL] = "claim_kill",
	[FAULT_CLAIM_FREED] = "claim_freed",
	[FAULT_SLEEP] = "sleep",
	[FAULT_VANISHED] = "vanished",
};

static int fault_mode = FAULT_KILL;
static unsigned int sleep_ms = 2000;
module_param(sleep_ms, uint, 0644);
MODULE_PARM_DESC(sleep_ms, "How long mode=sleep sleeps, ms. Default 2000.");

static bool fault_blocking = true;
static DECLARE_WAIT_QUEUE_HEAD(fault_wq);
static struct dentry *fault_dir;

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
	case FAULT_SLEEP:
		msleep(READ_ONCE(sleep_ms));
		fallthrough;
	case FAULT_KILL:
	default:
		ret = oomhook_select_cgroup(ev, "/", 0, &fault_victim);
		if (ret == -ENOENT)
			return 0;
		if (ret)
			return ret;
		return oomhook_kill_cgroup(ev, &fault_victim, res);
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
MODULE_PARM_DESC(mode, "kill, error, claim_kill, claim_freed, sleep or vanished. Default kill.");

static ssize_t block_read(struct file *file, char __user *buf, size_t len,
			  loff_t *pos)
{
	wait_event(fault_wq, !READ_ONCE(fault_blocking));
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
	WRITE_ONCE(fault_blocking, block);
	wake_up_all(&fault_wq);
	return len;
}

static const struct file_operations block_fops = {
	.owner = THIS_MODULE,
	.read = block_read,
	.write = block_write,
};

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
	return 0;
}
module_init(fault_init);

static void __exit fault_exit(void)
{
	oomhook_unregister_policy(&fault_policy);
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
