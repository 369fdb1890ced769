// SPDX-License-Identifier: GPL-2.0
/*
 * A deliberately broken module that proves the test kernel's bug detectors
 * work: loaded with kind=NAME, it commits one kind of bug at load time.
 * scripts/guest-detectors.sh loads it once per kind and checks that the
 * kernel reported each bug. It is never part of hostcache.ko.
 */

#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>

static char *kind = "";
module_param(kind, charp, 0444);
MODULE_PARM_DESC(kind, "bug to commit: warn, kasan, bounds, shift, lockdep, rcu, leak");

static DEFINE_MUTEX(lock_a);
static DEFINE_MUTEX(lock_b);
static int __rcu *rcu_ptr;
static int index_past_end = 4;
static int shift_too_far = 40;

static noinline void use_after_free(void)
{
	char *p = kmalloc(16, GFP_KERNEL);

	if (!p)
		return;
	kfree(p);
	pr_info("read after free: %d\n", READ_ONCE(p[3]));
}

static noinline void index_out_of_bounds(void)
{
	int array[4] = { 1, 2, 3, 4 };

	pr_info("index past the end: %d\n", array[READ_ONCE(index_past_end)]);
}

static noinline void shift_out_of_bounds(void)
{
	pr_info("shift past the width: %d\n", 1 << READ_ONCE(shift_too_far));
}

static noinline void lock_inversion(void)
{
	mutex_lock(&lock_a);
	mutex_lock(&lock_b);
	mutex_unlock(&lock_b);
	mutex_unlock(&lock_a);

	mutex_lock(&lock_b);
	mutex_lock(&lock_a);
	mutex_unlock(&lock_a);
	mutex_unlock(&lock_b);
}

static noinline void leak(void)
{
	void *p = kmalloc(128, GFP_KERNEL);

	pr_info("leaking %p\n", p);
}

static int __init hc_detectors_init(void)
{
	if (!strcmp(kind, "warn"))
		WARN_ON(1);
	else if (!strcmp(kind, "kasan"))
		use_after_free();
	else if (!strcmp(kind, "bounds"))
		index_out_of_bounds();
	else if (!strcmp(kind, "shift"))
		shift_out_of_bounds();
	else if (!strcmp(kind, "lockdep"))
		lock_inversion();
	else if (!strcmp(kind, "rcu"))
		pr_info("outside the read lock: %p\n", rcu_dereference(rcu_ptr));
	else if (!strcmp(kind, "leak"))
		leak();
	else
		return -EINVAL;
	return 0;
}

static void __exit hc_detectors_exit(void)
{
}

module_init(hc_detectors_init);
module_exit(hc_detectors_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Commits one bug on purpose to prove the test kernel detects it");
