// SPDX-License-Identifier: GPL-2.0
/*
 * Lookup benchmark for the foreign Host Cache, linked into the module only
 * by CONFIG_HOSTCACHE_BENCH=y (scripts/bench-cache.sh). Reading
 * /sys/kernel/debug/hostcache/lookup_bench times address lookups in the
 * reader's network namespace, as the packet path makes them: hits on
 * addresses of the cache's entries and misses on addresses it does not
 * hold. Writing a number sets how many distinct addresses are looked up in
 * turn (default 65536): 1 measures a lookup whose memory is in the CPU's
 * caches, many one that must fetch it.
 */

#include <linux/debugfs.h>
#include <linux/ktime.h>
#include <linux/nsproxy.h>
#include <linux/random.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <net/net_namespace.h>

#include "../../net/hostcache/hostcache.h"
#include "bench.h"

#define BENCH_SAMPLE_MAX	65536	/* distinct addresses looked up, at most */
#define BENCH_LOOKUPS		BIT(21)

static struct dentry *bench_dir;
static unsigned int bench_sample_size = BENCH_SAMPLE_MAX;

/* Take up to bench_sample_size addresses of the cache, of random entries. */
static unsigned int bench_sample(struct hc_cache *cache, struct in6_addr *out)
{
	unsigned int n = 0, tries = 0;
	struct hc_foreign *fe;
	struct hc_faddr *fa;
	unsigned long index;

	rcu_read_lock();
	unsigned int want = READ_ONCE(bench_sample_size);

	while (n < want && tries++ < 4 * BENCH_SAMPLE_MAX &&
	       READ_ONCE(cache->n_entries)) {
		index = get_random_u32_below(READ_ONCE(cache->next_id) + 1);
		fe = xa_find(&cache->entries, &index, ULONG_MAX, XA_PRESENT);
		if (!fe)
			continue;
		fa = list_first_or_null_rcu(&fe->addrs, struct hc_faddr, list);
		if (fa)
			out[n++] = fa->addr;
	}
	rcu_read_unlock();
	return n;
}

static u64 bench_run(struct hc_cache *cache, const struct in6_addr *addrs,
		     unsigned int n, unsigned int *found)
{
	u64 start, ns;
	unsigned int i;

	*found = 0;
	start = ktime_get_ns();
	rcu_read_lock();
	for (i = 0; i < BENCH_LOOKUPS; i++)
		*found += !!hc_faddr_lookup(cache, &addrs[i % n]);
	rcu_read_unlock();
	ns = ktime_get_ns() - start;
	return div_u64(ns * 1000, BENCH_LOOKUPS);
}

static int bench_show(struct seq_file *m, void *v)
{
	struct hc_cache *cache = &hc_net(current->nsproxy->net_ns)->cache;
	unsigned int n, i, hits, misses;
	struct in6_addr *addrs;
	u64 hit_ps, miss_ps;

	addrs = vmalloc(BENCH_SAMPLE_MAX * sizeof(*addrs));
	if (!addrs)
		return -ENOMEM;
	n = bench_sample(cache, addrs);
	if (!n) {
		vfree(addrs);
		return -ENOENT;
	}
	hit_ps = bench_run(cache, addrs, n, &hits);
	/* Documentation prefix 2001:db8::/32, /48 the cache does not use. */
	for (i = 0; i < n; i++) {
		get_random_bytes(&addrs[i], sizeof(addrs[i]));
		addrs[i].s6_addr32[0] = htonl(0x20010db8);
		addrs[i].s6_addr16[2] = htons(0xfffe);
	}
	miss_ps = bench_run(cache, addrs, n, &misses);
	vfree(addrs);
	seq_printf(m, "entries %u\nsample %u\nlookups %u\nhit_ps %llu\nmiss_ps %llu\nhits %u\nfalse_hits %u\n",
		   READ_ONCE(cache->n_entries), n, (unsigned int)BENCH_LOOKUPS, hit_ps,
		   miss_ps, hits, misses);
	return 0;
}

static int bench_open(struct inode *inode, struct file *file)
{
	return single_open(file, bench_show, NULL);
}

static ssize_t bench_write(struct file *file, const char __user *buf,
			   size_t len, loff_t *ppos)
{
	unsigned int size;
	int err;

	err = kstrtouint_from_user(buf, len, 0, &size);
	if (err)
		return err;
	if (!size || size > BENCH_SAMPLE_MAX)
		return -ERANGE;
	WRITE_ONCE(bench_sample_size, size);
	return len;
}

static const struct file_operations bench_fops = {
	.owner = THIS_MODULE,
	.open = bench_open,
	.read = seq_read,
	.write = bench_write,
	.llseek = seq_lseek,
	.release = single_release,
};

void hc_bench_init(void)
{
	bench_dir = debugfs_create_dir("hostcache", NULL);
	debugfs_create_file("lookup_bench", 0600, bench_dir, NULL, &bench_fops);
	hc_bu_bench_init(bench_dir);
}

void hc_bench_exit(void)
{
	debugfs_remove(bench_dir);
}
