/* SPDX-License-Identifier: GPL-2.0 */
/* hostcache: addresses of peers known not to be homeless.
 *
 * Most peers run no hostcache, and finding that out costs them
 * datagrams: the key daemon's exchange, or an Initial Binding Update
 * (draft 2.2.4). A peer that answered with an ICMPv6 error, or not at
 * all, is an ordinary peer, and its addresses are kept here for a while:
 * longer than its foreign entry, which goes when idle, so that the next
 * connections to it cost it nothing. The set holds addresses only; what
 * they mean for an entry is the cache's business (cache.c).
 *
 * Locking: changes hold &struct hc_ordinary.lock (BH-safe: ICMPv6 errors
 * arrive in softirq context); readers use RCU.
 */
#ifndef _NET_HOSTCACHE_ORDINARY_H
#define _NET_HOSTCACHE_ORDINARY_H

#include <linux/in6.h>
#include <linux/list.h>
#include <linux/spinlock.h>

#define HC_ORDINARY_BITS	8
/* At most this many addresses: about 64 KiB. */
#define HC_ORDINARY_MAX		1024

/**
 * struct hc_ordinary - the addresses of ordinary peers, each until a time
 * @lock: serialises changes
 * @count: addresses in @buckets; read without the lock to skip pruning
 * @seed: of the hash, random per set: peers choose the addresses
 * @buckets: &struct hc_ordinary_addr, by hash of the address
 */
struct hc_ordinary {
	spinlock_t lock;	/* serialises changes */
	unsigned int count;
	u32 seed;
	struct hlist_head buckets[1 << HC_ORDINARY_BITS];
};

void hc_ordinary_init(struct hc_ordinary *ord);
bool hc_ordinary_has(const struct hc_ordinary *ord,
		     const struct in6_addr *addr, unsigned long now);
int hc_ordinary_note(struct hc_ordinary *ord, const struct in6_addr *addr,
		     unsigned long until);
bool hc_ordinary_forget(struct hc_ordinary *ord, const struct in6_addr *addr);
void hc_ordinary_prune(struct hc_ordinary *ord, unsigned long now);
void hc_ordinary_flush(struct hc_ordinary *ord);

#endif /* _NET_HOSTCACHE_ORDINARY_H */
