// SPDX-License-Identifier: GPL-2.0
/* hostcache: addresses of peers known not to be homeless (ordinary.h).
 *
 * A fixed hash of lists: the set is small and bounded, and a lookup is
 * one hash and a short walk under RCU. An address's time that ran out
 * counts as absent at once; the memory goes when the expiry worker
 * prunes, or when the set is full and room is needed.
 */

#include <linux/jhash.h>
#include <linux/jiffies.h>
#include <linux/random.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <net/ipv6.h>

#include "ordinary.h"

/**
 * struct hc_ordinary_addr - an address of an ordinary peer
 * @node: in a bucket of &struct hc_ordinary
 * @addr: the address
 * @until: when it stops counting as an ordinary peer's (jiffies)
 * @rcu: for freeing after a grace period
 */
struct hc_ordinary_addr {
	struct hlist_node node;
	struct in6_addr addr;
	unsigned long until;
	struct rcu_head rcu;
};

/**
 * hc_ordinary_init() - set up an empty set
 * @ord: the set
 */
void hc_ordinary_init(struct hc_ordinary *ord)
{
	unsigned int i;

	spin_lock_init(&ord->lock);
	ord->count = 0;
	ord->seed = get_random_u32();
	for (i = 0; i < ARRAY_SIZE(ord->buckets); i++)
		INIT_HLIST_HEAD(&ord->buckets[i]);
}

static u32 hc_ordinary_index(const struct hc_ordinary *ord,
			     const struct in6_addr *addr)
{
	return __ipv6_addr_jhash(addr, ord->seed) >> (32 - HC_ORDINARY_BITS);
}

/* The element of @addr. Context: RCU read lock or @ord's lock. */
static struct hc_ordinary_addr *hc_ordinary_find(const struct hc_ordinary *ord,
						 const struct in6_addr *addr)
{
	struct hc_ordinary_addr *oa;

	hlist_for_each_entry_rcu(oa, &ord->buckets[hc_ordinary_index(ord, addr)],
				 node, lockdep_is_held(&ord->lock))
		if (ipv6_addr_equal(&oa->addr, addr))
			return oa;
	return NULL;
}

/**
 * hc_ordinary_has() - whether @addr is an ordinary peer's at @now
 * @ord: the set
 * @addr: the address
 * @now: the time (jiffies)
 *
 * Context: RCU read lock.
 * Return: whether @addr is in the set and its time has not ended.
 */
bool hc_ordinary_has(const struct hc_ordinary *ord,
		     const struct in6_addr *addr, unsigned long now)
{
	const struct hc_ordinary_addr *oa = hc_ordinary_find(ord, addr);

	return oa && time_before(now, READ_ONCE(oa->until));
}

static void hc_ordinary_del(struct hc_ordinary *ord,
			    struct hc_ordinary_addr *oa)
{
	lockdep_assert_held(&ord->lock);
	hlist_del_rcu(&oa->node);
	WRITE_ONCE(ord->count, ord->count - 1);
	kfree_rcu(oa, rcu);
}

static void hc_ordinary_prune_locked(struct hc_ordinary *ord,
				     unsigned long now)
{
	struct hc_ordinary_addr *oa;
	struct hlist_node *tmp;
	unsigned int i;

	lockdep_assert_held(&ord->lock);
	for (i = 0; i < ARRAY_SIZE(ord->buckets) && ord->count; i++)
		hlist_for_each_entry_safe(oa, tmp, &ord->buckets[i], node)
			if (!time_before(now, oa->until))
				hc_ordinary_del(ord, oa);
}

/**
 * hc_ordinary_note() - @addr is an ordinary peer's until @until
 * @ord: the set
 * @addr: the address
 * @until: when that ends (jiffies); a later time than the one known
 *	extends it, an earlier one is ignored
 *
 * Context: any but hard interrupt.
 * Return: 0, -ENOSPC if the set is full of addresses whose time runs, or
 * -ENOMEM.
 */
int hc_ordinary_note(struct hc_ordinary *ord, const struct in6_addr *addr,
		     unsigned long until)
{
	struct hc_ordinary_addr *oa;
	int err = 0;

	spin_lock_bh(&ord->lock);
	oa = hc_ordinary_find(ord, addr);
	if (oa) {
		if (time_after(until, oa->until))
			WRITE_ONCE(oa->until, until);
		goto out;
	}
	if (ord->count >= HC_ORDINARY_MAX)
		hc_ordinary_prune_locked(ord, jiffies);
	if (ord->count >= HC_ORDINARY_MAX) {
		err = -ENOSPC;
		goto out;
	}
	oa = kmalloc(sizeof(*oa), GFP_ATOMIC);
	if (!oa) {
		err = -ENOMEM;
		goto out;
	}
	oa->addr = *addr;
	oa->until = until;
	hlist_add_head_rcu(&oa->node, &ord->buckets[hc_ordinary_index(ord, addr)]);
	WRITE_ONCE(ord->count, ord->count + 1);
out:
	spin_unlock_bh(&ord->lock);
	return err;
}

/**
 * hc_ordinary_forget() - @addr is not known to be an ordinary peer's
 * @ord: the set
 * @addr: the address
 *
 * Context: any but hard interrupt.
 * Return: whether it was, at any time.
 */
bool hc_ordinary_forget(struct hc_ordinary *ord, const struct in6_addr *addr)
{
	struct hc_ordinary_addr *oa;

	spin_lock_bh(&ord->lock);
	oa = hc_ordinary_find(ord, addr);
	if (oa)
		hc_ordinary_del(ord, oa);
	spin_unlock_bh(&ord->lock);
	return oa;
}

/**
 * hc_ordinary_prune() - free the addresses whose time ran out
 * @ord: the set
 * @now: the time (jiffies)
 */
void hc_ordinary_prune(struct hc_ordinary *ord, unsigned long now)
{
	if (!READ_ONCE(ord->count))
		return;
	spin_lock_bh(&ord->lock);
	hc_ordinary_prune_locked(ord, now);
	spin_unlock_bh(&ord->lock);
}

/**
 * hc_ordinary_flush() - forget every address
 * @ord: the set
 */
void hc_ordinary_flush(struct hc_ordinary *ord)
{
	struct hc_ordinary_addr *oa;
	struct hlist_node *tmp;
	unsigned int i;

	spin_lock_bh(&ord->lock);
	for (i = 0; i < ARRAY_SIZE(ord->buckets); i++)
		hlist_for_each_entry_safe(oa, tmp, &ord->buckets[i], node)
			hc_ordinary_del(ord, oa);
	spin_unlock_bh(&ord->lock);
}
