// SPDX-License-Identifier: GPL-2.0
/*
 * Binding Update processing benchmark, linked into the module only by
 * CONFIG_HOSTCACHE_BENCH=y (scripts/bench-bu.sh). Writing a number to
 * /sys/kernel/debug/hostcache/bu_bench sets how many BID options each
 * update carries (1 to 16, default 1); reading it runs hc_mh_handle(), the
 * code the packet path runs once a packet is accepted (parsing, the BID
 * rules, the Host Cache change, the Binding Acknowledgment), on updates
 * built beforehand for peers of the reader's namespace's cache.
 *
 * Each peer's updates move all its BIDs between two sets of care-of
 * addresses, so every update changes bindings: the set it leaves expires.
 * The peers' entries need room for both sets and their own addresses
 * (max-addrs).
 */

#include <linux/debugfs.h>
#include <linux/ktime.h>
#include <linux/nsproxy.h>
#include <linux/random.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <net/ipv6.h>
#include <net/net_namespace.h>

#include "../../net/hostcache/hostcache.h"
#include "bench.h"

#define BU_PEERS	2048
#define BU_ROUNDS	8
#define BU_MAX_LEN	416	/* 16 BIDs with care-of addresses */

static unsigned int bu_bench_bids = 1;
/* Sequence numbers go on from run to run, so updates stay in window. */
static u16 bu_bench_seq;

struct bu_bench {
	struct hc_mh_rx rx;
	struct in6_addr dst;
	struct in6_addr src[BU_PEERS];
	u32 id[BU_PEERS];
	unsigned int len[BU_ROUNDS][BU_PEERS];
	u8 msg[BU_ROUNDS][BU_PEERS][BU_MAX_LEN];
};

/* Up to BU_PEERS distinct peers: the first address of random entries. */
static unsigned int bu_bench_peers(struct hc_cache *cache, struct bu_bench *b)
{
	unsigned int n = 0, tries = 0, i;
	struct hc_foreign *fe;
	struct hc_faddr *fa;
	unsigned long index;

	rcu_read_lock();
	while (n < BU_PEERS && tries++ < 16 * BU_PEERS &&
	       READ_ONCE(cache->n_entries)) {
		index = get_random_u32_below(READ_ONCE(cache->next_id) + 1);
		fe = xa_find(&cache->entries, &index, ULONG_MAX, XA_PRESENT);
		fa = fe ? list_first_or_null_rcu(&fe->addrs, struct hc_faddr,
						 list) : NULL;
		if (!fa)
			continue;
		for (i = 0; i < n && b->id[i] != fe->id; i++)
			;
		if (i < n)
			continue;
		b->src[n] = fa->addr;
		b->id[n++] = fe->id;
	}
	rcu_read_unlock();
	return n;
}

/* Round @r's update from peer @p: sequence @seq, A flag, Homeless
 * Support (the BIDs come in bulk), each BID with a care-of address
 * 2001:db8:e00<set>:0:<entry ID>::<bid>, unique to the peer.
 */
static int bu_bench_build(struct bu_bench *b, unsigned int r, unsigned int p,
			  unsigned int n_bids, u16 seq)
{
	struct hc_mh_bid bid = { .coa_len = 16 };
	struct hc_mh_writer w;
	unsigned int i;
	int len;

	hc_mh_start(&w, b->msg[r][p], BU_MAX_LEN, HC_MH_BU);
	hc_mh_put_bu(&w, seq, HC_BU_A, 100);
	hc_mh_put_homeless(&w);
	for (i = 0; i < n_bids; i++) {
		bid.bid = i + 1;
		memset(&bid.coa, 0, sizeof(bid.coa));
		bid.coa.s6_addr32[0] = htonl(0x20010db8);
		bid.coa.s6_addr16[2] = htons(0xe000 | (r & 1));
		bid.coa.s6_addr32[2] = htonl(b->id[p]);
		bid.coa.s6_addr16[7] = htons(i + 1);
		hc_mh_put_bid(&w, &bid);
	}
	len = hc_mh_finish(&w, &b->src[p], &b->dst);
	if (len < 0)
		return len;
	b->len[r][p] = len;
	return 0;
}

static int bu_bench_show(struct seq_file *m, void *v)
{
	/* Processing, not authentication, is measured: the test switch. */
	static const struct hc_mh_auth open = { .open = true };
	struct hc_net *hn = hc_net(current->nsproxy->net_ns);
	atomic64_t *stats = hn->mh_stats;
	unsigned int n_bids = READ_ONCE(bu_bench_bids);
	unsigned int peers, r, p, not_ok = 0;
	u64 accepted, start, ns, n;
	struct bu_bench *b;
	int err = 0;

	b = vzalloc(sizeof(*b));
	if (!b)
		return -ENOMEM;
	peers = bu_bench_peers(&hn->cache, b);
	if (!peers) {
		err = -ENOENT;
		goto out;
	}
	b->dst.s6_addr32[0] = htonl(0x20010db8);
	b->dst.s6_addr32[3] = htonl(2);
	for (r = 0; r < BU_ROUNDS && !err; r++)
		for (p = 0; p < peers && !err; p++)
			err = bu_bench_build(b, r, p, n_bids,
					     bu_bench_seq + r + 1);
	if (err)
		goto out;

	accepted = atomic64_read(&stats[HC_MH_STAT_BU_ACCEPTED]);
	start = ktime_get_ns();
	for (r = 0; r < BU_ROUNDS; r++) {
		for (p = 0; p < peers; p++)
			not_ok += hc_mh_handle(hn, b->msg[r][p], b->len[r][p],
					       &b->src[p], &b->dst, &open,
					       jiffies, &b->rx) != HC_MH_OK;
		cond_resched();
	}
	ns = ktime_get_ns() - start;
	bu_bench_seq += BU_ROUNDS;
	accepted = atomic64_read(&stats[HC_MH_STAT_BU_ACCEPTED]) - accepted;
	hc_gc_start(hn);

	n = (u64)BU_ROUNDS * peers;
	seq_printf(m, "entries %u\nbids %u\npeers %u\nupdates %llu\naccepted %llu\nmalformed %u\nns_per_update %llu\nupdates_per_s %llu\n",
		   READ_ONCE(hn->cache.n_entries), n_bids, peers, n, accepted,
		   not_ok, div64_u64(ns, n), div64_u64(n * NSEC_PER_SEC, ns ?: 1));
out:
	vfree(b);
	return err;
}

static int bu_bench_open(struct inode *inode, struct file *file)
{
	return single_open(file, bu_bench_show, NULL);
}

static ssize_t bu_bench_write(struct file *file, const char __user *buf,
			      size_t len, loff_t *ppos)
{
	unsigned int n;
	int err;

	err = kstrtouint_from_user(buf, len, 0, &n);
	if (err)
		return err;
	if (!n || n > HC_MH_MAX_BIDS)
		return -ERANGE;
	WRITE_ONCE(bu_bench_bids, n);
	return len;
}

static const struct file_operations bu_bench_fops = {
	.owner = THIS_MODULE,
	.open = bu_bench_open,
	.read = seq_read,
	.write = bu_bench_write,
	.llseek = seq_lseek,
	.release = single_release,
};

void hc_bu_bench_init(struct dentry *dir)
{
	debugfs_create_file("bu_bench", 0600, dir, NULL, &bu_bench_fops);
}
