// SPDX-License-Identifier: GPL-2.0
/* hostcache: foreign Host Cache entries, their addresses and lifetimes.
 *
 * See cache.h for the data structures and the locking rules.
 */

#include <linux/jiffies.h>
#include <linux/netlink.h>
#include <linux/random.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <net/ipv6.h>

#include "hostcache.h"

static struct kmem_cache *hc_foreign_slab __read_mostly;
static struct kmem_cache *hc_faddr_slab __read_mostly;

static const struct rhashtable_params hc_addr_params = {
	.key_len = sizeof(struct in6_addr),
	.key_offset = offsetof(struct hc_faddr, addr),
	.head_offset = offsetof(struct hc_faddr, node),
	.automatic_shrinking = true,
};

/* IDs run from 1; 0 means "no entry" in the netlink API. */
static const struct xa_limit hc_id_limit = XA_LIMIT(1, INT_MAX);

int hc_cache_module_init(void)
{
	hc_foreign_slab = KMEM_CACHE(hc_foreign, 0);
	if (!hc_foreign_slab)
		return -ENOMEM;
	hc_faddr_slab = KMEM_CACHE(hc_faddr, 0);
	if (!hc_faddr_slab) {
		kmem_cache_destroy(hc_foreign_slab);
		return -ENOMEM;
	}
	return 0;
}

void hc_cache_module_exit(void)
{
	/* Entries and addresses may still wait for a grace period. */
	rcu_barrier();
	kmem_cache_destroy(hc_faddr_slab);
	kmem_cache_destroy(hc_foreign_slab);
}

/**
 * hc_cache_init() - set up an empty cache
 * @cache: the cache
 * @params: limits and lifetimes; must outlive the cache
 *
 * Return: 0 or -ENOMEM.
 */
int hc_cache_init(struct hc_cache *cache, const struct hc_params *params)
{
	memset(cache, 0, sizeof(*cache));
	spin_lock_init(&cache->lock);
	xa_init_flags(&cache->entries, XA_FLAGS_ALLOC1 | XA_FLAGS_LOCK_BH);
	xa_init_flags(&cache->sas, XA_FLAGS_LOCK_BH);
	xa_init_flags(&cache->untrusted, XA_FLAGS_LOCK_BH);
	cache->params = params;
	hc_ordinary_init(&cache->ordinary);
	return rhashtable_init(&cache->addrs, &hc_addr_params);
}

static void hc_faddr_free_rcu(struct rcu_head *head)
{
	kmem_cache_free(hc_faddr_slab, container_of(head, struct hc_faddr, rcu));
}

static void hc_foreign_free_rcu(struct rcu_head *head)
{
	struct hc_foreign *fe = container_of(head, struct hc_foreign, rcu);

	/* The grace period is over: no reader or writer is left. */
	kfree(rcu_dereference_protected(fe->accepted, true));
	kmem_cache_free(hc_foreign_slab, fe);
}

/* Unhash and free one address; the caller holds the lock and reports the
 * removal.
 */
static void hc_faddr_unlink(struct hc_cache *cache, struct hc_faddr *fa)
{
	rhashtable_remove_fast(&cache->addrs, &fa->node, hc_addr_params);
	list_del_rcu(&fa->list);
	fa->entry->naddrs--;
	call_rcu(&fa->rcu, hc_faddr_free_rcu);
}

/* The untrusted pool keeps its entries at indices 0 to n_untrusted - 1.
 * Adding may allocate; removing moves the last entry into the hole, which
 * reuses a slot and cannot fail. The caller holds the lock.
 */
static int hc_pool_add(struct hc_cache *cache, struct hc_foreign *fe)
{
	int err;

	err = xa_err(xa_store(&cache->untrusted, cache->n_untrusted, fe,
			      GFP_ATOMIC));
	if (err)
		return err;
	fe->pool_index = cache->n_untrusted++;
	return 0;
}

static void hc_pool_del(struct hc_cache *cache, struct hc_foreign *fe)
{
	u32 last = --cache->n_untrusted;
	struct hc_foreign *moved;

	moved = xa_erase(&cache->untrusted, last);
	if (moved != fe) {
		xa_store(&cache->untrusted, fe->pool_index, moved, 0);
		moved->pool_index = fe->pool_index;
	}
}

/* Remove one address of an entry that keeps others. */
static void hc_faddr_remove(struct hc_cache *cache, struct hc_faddr *fa)
{
	hc_notify_addr(cache, fa, HOSTCACHE_CMD_DEL_ADDR);
	hc_faddr_unlink(cache, fa);
	cache->seq++;
}

/* Remove an entry and all its addresses, for &enum hostcache_reason
 * @reason; the caller holds the lock.
 */
static void hc_foreign_remove(struct hc_cache *cache, struct hc_foreign *fe,
			      int reason)
{
	struct hc_faddr *fa, *tmp;

	hc_notify_foreign(cache, fe, HOSTCACHE_CMD_DEL_FOREIGN, reason);
	list_for_each_entry_safe(fa, tmp, &fe->addrs, list)
		hc_faddr_unlink(cache, fa);
	xa_erase(&cache->entries, fe->id);
	if (fe->ah_reqid)
		xa_erase(&cache->sas, fe->ah_reqid);
	if (!(fe->flags & HOSTCACHE_FOREIGN_F_TRUSTED))
		hc_pool_del(cache, fe);
	cache->n_entries--;
	cache->seq++;
	call_rcu(&fe->rcu, hc_foreign_free_rcu);
}

/**
 * hc_cache_flush() - remove every entry, as requested (counted removed),
 *	and forget which peers are ordinary
 * @cache: the cache
 */
void hc_cache_flush(struct hc_cache *cache)
{
	struct hc_foreign *fe;
	unsigned long id;

	spin_lock_bh(&cache->lock);
	xa_for_each(&cache->entries, id, fe) {
		hc_foreign_remove(cache, fe, HOSTCACHE_REASON_REQUEST);
		cache->stats.removed++;
	}
	spin_unlock_bh(&cache->lock);
	hc_ordinary_flush(&cache->ordinary);
}

/**
 * hc_cache_destroy() - remove every entry and free the indexes
 * @cache: the cache; nobody may use it any more
 */
void hc_cache_destroy(struct hc_cache *cache)
{
	hc_cache_flush(cache);
	xa_destroy(&cache->entries);
	xa_destroy(&cache->sas);
	xa_destroy(&cache->untrusted);
	rhashtable_destroy(&cache->addrs);
}

/**
 * hc_faddr_lookup() - find the foreign address @addr
 * @cache: the cache
 * @addr: the address
 *
 * Context: RCU read lock.
 * Return: the address, with its entry in ->entry, or NULL.
 */
struct hc_faddr *hc_faddr_lookup(struct hc_cache *cache,
				 const struct in6_addr *addr)
{
	return rhashtable_lookup(&cache->addrs, addr, hc_addr_params);
}

/* The same for writers: the lock keeps what it finds alive. */
static struct hc_faddr *hc_faddr_find(struct hc_cache *cache,
				      const struct in6_addr *addr)
{
	struct hc_faddr *fa;

	lockdep_assert_held(&cache->lock);
	rcu_read_lock();
	fa = hc_faddr_lookup(cache, addr);
	rcu_read_unlock();
	return fa;
}

/* A foreign address must be a unicast address a peer can have: not
 * unspecified, multicast, loopback, or IPv4-mapped.
 */
static bool hc_addr_usable(const struct in6_addr *addr)
{
	int type = ipv6_addr_type(addr);

	return type != IPV6_ADDR_ANY &&
	       !(type & (IPV6_ADDR_MULTICAST | IPV6_ADDR_LOOPBACK |
			 IPV6_ADDR_MAPPED));
}

/* Check a request's addresses: each usable, none twice, all of one scope,
 * and of @scope if that is not -1 (the scope of an entry's addresses).
 */
static int hc_specs_check(const struct hc_faddr_spec *specs, unsigned int n,
			  int scope, struct netlink_ext_ack *extack)
{
	unsigned int i, j;

	for (i = 0; i < n; i++) {
		const struct hc_faddr_spec *spec = &specs[i];

		if (!hc_addr_usable(&spec->addr)) {
			NL_SET_ERR_MSG_ATTR(extack, spec->attr,
					    "not a unicast address a peer can have");
			return -EINVAL;
		}
		if (scope < 0)
			scope = ipv6_addr_scope(&spec->addr);
		if (ipv6_addr_scope(&spec->addr) != scope) {
			NL_SET_ERR_MSG_ATTR(extack, spec->attr,
					    "an entry's addresses must share one scope");
			return -EINVAL;
		}
		for (j = 0; j < i; j++) {
			if (ipv6_addr_equal(&spec->addr, &specs[j].addr)) {
				NL_SET_ERR_MSG_ATTR(extack, spec->attr,
						    "address given twice");
				return -EINVAL;
			}
		}
	}
	return 0;
}

static void hc_faddr_init(struct hc_faddr *fa, struct hc_foreign *fe,
			  const struct hc_faddr_spec *spec, unsigned long now)
{
	fa->addr = spec->addr;
	fa->entry = fe;
	fa->last_used = now;
	fa->bid = spec->bid;
	fa->state = HOSTCACHE_ADDR_VALID;
	fa->flags = spec->flags & (HOSTCACHE_ADDR_F_VERIFIED | HOSTCACHE_ADDR_F_FROM_BU);
	if (spec->lifetime) {
		fa->flags |= HOSTCACHE_ADDR_F_ABSOLUTE;
		fa->expires = now + (unsigned long)spec->lifetime * HZ;
	}
}

static void hc_faddrs_free(struct list_head *list)
{
	struct hc_faddr *fa, *tmp;

	list_for_each_entry_safe(fa, tmp, list, list)
		kmem_cache_free(hc_faddr_slab, fa);
	INIT_LIST_HEAD(list);
}

/* Allocate @n addresses for @fe onto @list; on failure free them all. */
static int hc_faddrs_alloc(struct list_head *list, struct hc_foreign *fe,
			   const struct hc_faddr_spec *specs, unsigned int n,
			   unsigned long now, gfp_t gfp)
{
	struct hc_faddr *fa;
	unsigned int i;

	for (i = 0; i < n; i++) {
		fa = kmem_cache_zalloc(hc_faddr_slab, gfp);
		if (!fa) {
			hc_faddrs_free(list);
			return -ENOMEM;
		}
		hc_faddr_init(fa, fe, &specs[i], now);
		list_add_tail(&fa->list, list);
	}
	return 0;
}

/* Hash the addresses on @list and move them to their entry; all or none.
 * On failure, the addresses hashed meanwhile leave @list and are freed
 * after a grace period, as readers may have found them; the caller frees
 * the rest. The caller holds the lock and checked that none is in the
 * cache.
 */
static int hc_faddrs_insert(struct hc_cache *cache, struct list_head *list,
			    struct hc_foreign *fe)
{
	struct hc_faddr *fa, *tmp, *failed;
	int err;

	list_for_each_entry(fa, list, list) {
		err = rhashtable_insert_fast(&cache->addrs, &fa->node,
					     hc_addr_params);
		if (err)
			goto err;
	}
	list_for_each_entry_safe(fa, tmp, list, list) {
		list_del(&fa->list);
		list_add_tail_rcu(&fa->list, &fe->addrs);
		fe->naddrs++;
	}
	return 0;
err:
	failed = fa;
	list_for_each_entry_safe(fa, tmp, list, list) {
		if (fa == failed)
			break;
		rhashtable_remove_fast(&cache->addrs, &fa->node, hc_addr_params);
		list_del(&fa->list);
		call_rcu(&fa->rcu, hc_faddr_free_rcu);
	}
	return err;
}

/* Refuse addresses the cache already holds. @id is the entry they are
 * meant for, 0 for a new one. The caller holds the lock.
 */
static int hc_specs_check_new(struct hc_cache *cache, u32 id,
			      const struct hc_faddr_spec *specs,
			      unsigned int n, struct netlink_ext_ack *extack)
{
	struct hc_faddr *fa;
	unsigned int i;

	for (i = 0; i < n; i++) {
		fa = hc_faddr_find(cache, &specs[i].addr);
		if (!fa)
			continue;
		if (fa->entry->id == id)
			NL_SET_ERR_MSG_ATTR(extack, specs[i].attr,
					    "address already in this entry");
		else
			NL_SET_ERR_MSG_ATTR(extack, specs[i].attr,
					    "address belongs to another entry");
		return -EEXIST;
	}
	return 0;
}

/* Count an address request over the per-entry limit. */
static int hc_refuse_addrs(struct hc_cache *cache,
			   struct netlink_ext_ack *extack)
{
	cache->stats.refused_addrs++;
	NL_SET_ERR_MSG_MOD(extack, "more addresses than an entry may hold (max-addrs)");
	return -E2BIG;
}

/* Choose the entry that goes to make room for one more, or NULL if there
 * is room: an untrusted entry chosen uniformly at random, as the draft
 * (5.2) suggests. An attacker who fills the cache cannot predict which
 * entry goes, nor push out the oldest ones on purpose, and trusted entries
 * never go. The caller holds the lock.
 */
static struct hc_foreign *hc_cache_victim(struct hc_cache *cache,
					  struct netlink_ext_ack *extack)
{
	if (cache->n_entries < READ_ONCE(cache->params->max_entries))
		return NULL;
	if (!cache->n_untrusted) {
		cache->stats.refused_full++;
		NL_SET_ERR_MSG_MOD(extack, "the cache is full of trusted entries (max-entries)");
		return ERR_PTR(-ENOSPC);
	}
	return xa_load(&cache->untrusted,
		       get_random_u32_below(cache->n_untrusted));
}

/**
 * hc_foreign_ordinary() - whether the peer of @fe is known not to be
 *	homeless
 * @cache: the cache
 * @fe: the entry
 *
 * Context: RCU read lock or the cache's lock.
 * Return: whether one of its addresses is an ordinary peer's.
 */
bool hc_foreign_ordinary(const struct hc_cache *cache,
			 const struct hc_foreign *fe)
{
	unsigned long now = jiffies;
	const struct hc_faddr *fa;

	if (!READ_ONCE(cache->ordinary.count))
		return false;
	list_for_each_entry_rcu(fa, &fe->addrs, list,
				lockdep_is_held(&cache->lock))
		if (hc_ordinary_has(&cache->ordinary, &fa->addr, now))
			return true;
	return false;
}

/**
 * hc_foreign_id_ordinary() - whether the peer of entry @id is known not to
 *	be homeless
 * @cache: the cache
 * @id: the entry
 *
 * Return: false also if there is no such entry.
 */
bool hc_foreign_id_ordinary(struct hc_cache *cache, u32 id)
{
	struct hc_foreign *fe;
	bool known;

	rcu_read_lock();
	fe = xa_load(&cache->entries, id);
	known = fe && hc_foreign_ordinary(cache, fe);
	rcu_read_unlock();
	return known;
}

/**
 * hc_foreign_note_ordinary() - the peer of @fe is ordinary
 * @cache: the cache
 * @fe: the entry
 *
 * Its addresses are remembered so for ordinary-hold seconds, which may be
 * longer than the entry lives.
 *
 * Context: RCU read lock or the cache's lock.
 * Return: 0, or the error of an address that could not be remembered.
 */
int hc_foreign_note_ordinary(struct hc_cache *cache,
			     const struct hc_foreign *fe)
{
	u32 hold = READ_ONCE(cache->params->ordinary_hold);
	unsigned long until = jiffies + hold * (unsigned long)HZ;
	const struct hc_faddr *fa;
	int err = 0;

	list_for_each_entry_rcu(fa, &fe->addrs, list,
				lockdep_is_held(&cache->lock))
		err = hc_ordinary_note(&cache->ordinary, &fa->addr, until) ?: err;
	return err;
}

/* Forget that @fe's peer is ordinary. The caller holds the lock. */
static void hc_foreign_forget_ordinary(struct hc_cache *cache,
				       const struct hc_foreign *fe)
{
	const struct hc_faddr *fa;

	lockdep_assert_held(&cache->lock);
	if (!READ_ONCE(cache->ordinary.count))
		return;
	list_for_each_entry(fa, &fe->addrs, list)
		hc_ordinary_forget(&cache->ordinary, &fa->addr);
}

/**
 * hc_foreign_found_ordinary() - the peer of entry @id is not homeless
 * @cache: the cache
 * @id: the entry
 *
 * It answered a Binding Update with an ICMPv6 error. Its addresses are
 * remembered as an ordinary peer's for ordinary-hold seconds, and the
 * entry is no longer homeless: no update and no key exchange goes to the
 * peer meanwhile.
 *
 * Context: softirq or process context.
 * Return: whether the entry is there.
 */
bool hc_foreign_found_ordinary(struct hc_cache *cache, u32 id)
{
	struct hc_foreign *fe;

	spin_lock_bh(&cache->lock);
	fe = xa_load(&cache->entries, id);
	if (fe) {
		hc_foreign_note_ordinary(cache, fe);
		WRITE_ONCE(fe->flags, fe->flags & ~HOSTCACHE_FOREIGN_F_HOMELESS);
		cache->seq++;
		hc_notify_foreign(cache, fe, HOSTCACHE_CMD_SET_FOREIGN, 0);
	}
	spin_unlock_bh(&cache->lock);
	return fe;
}

/* Make @fe the entry of AH reqid @reqid (nothing for 0); -EEXIST if
 * another entry has it. The caller holds the lock.
 */
static int hc_sa_claim(struct hc_cache *cache, struct hc_foreign *fe,
		       u32 reqid, struct netlink_ext_ack *extack)
{
	int err;

	if (!reqid)
		return 0;
	err = xa_insert(&cache->sas, reqid, fe, GFP_ATOMIC);
	if (err == -EBUSY) {
		NL_SET_ERR_MSG_MOD(extack, "another entry has this AH reqid");
		return -EEXIST;
	}
	return err;
}

/* Make @fe, whose ID is reserved and whose addresses are on @addrs and in
 * no entry, part of the cache; all or nothing. The caller holds the lock.
 */
static int hc_foreign_insert(struct hc_cache *cache, struct hc_foreign *fe,
			     struct list_head *addrs,
			     struct netlink_ext_ack *extack)
{
	struct hc_foreign *victim;
	int err;

	victim = hc_cache_victim(cache, extack);
	if (IS_ERR(victim))
		return PTR_ERR(victim);
	err = hc_sa_claim(cache, fe, fe->ah_reqid, extack);
	if (err)
		return err;
	if (!(fe->flags & HOSTCACHE_FOREIGN_F_TRUSTED)) {
		err = hc_pool_add(cache, fe);
		if (err)
			goto err_sa;
	}
	err = hc_faddrs_insert(cache, addrs, fe);
	if (err) {
		if (!(fe->flags & HOSTCACHE_FOREIGN_F_TRUSTED))
			hc_pool_del(cache, fe);
		goto err_sa;
	}
	if (victim) {
		hc_foreign_remove(cache, victim, HOSTCACHE_REASON_EVICTED);
		cache->stats.evicted++;
	}
	xa_store(&cache->entries, fe->id, fe, 0);
	cache->n_entries++;
	cache->seq++;
	cache->stats.created++;
	if (fe->flags & HOSTCACHE_FOREIGN_F_HOMELESS)
		hc_foreign_forget_ordinary(cache, fe);
	hc_notify_foreign(cache, fe, HOSTCACHE_CMD_NEW_FOREIGN, 0);
	return 0;

err_sa:
	if (fe->ah_reqid)
		xa_erase(&cache->sas, fe->ah_reqid);
	return err;
}

/* A new entry with its ID reserved (xarray slot kept empty), or NULL. */
static struct hc_foreign *hc_foreign_alloc(struct hc_cache *cache, u8 flags,
					   u32 ah_reqid, gfp_t gfp)
{
	struct hc_foreign *fe;

	fe = kmem_cache_zalloc(hc_foreign_slab, gfp);
	if (!fe)
		return NULL;
	INIT_LIST_HEAD(&fe->addrs);
	fe->flags = flags & (HOSTCACHE_FOREIGN_F_TRUSTED | HOSTCACHE_FOREIGN_F_HOMELESS);
	fe->ah_reqid = ah_reqid;
	if (xa_alloc_cyclic_bh(&cache->entries, &fe->id, NULL, hc_id_limit,
			       &cache->next_id, gfp) < 0) {
		kmem_cache_free(hc_foreign_slab, fe);
		return NULL;
	}
	return fe;
}

/* Give back an entry from hc_foreign_alloc() that was never inserted.
 * Readers may have reached it through an address hashed for a moment.
 */
static void hc_foreign_unalloc(struct hc_cache *cache, struct hc_foreign *fe)
{
	xa_erase_bh(&cache->entries, fe->id);
	call_rcu(&fe->rcu, hc_foreign_free_rcu);
}

/**
 * hc_foreign_create() - create a foreign entry
 * @cache: the cache
 * @specs: its addresses, at least one, all of one scope
 * @n: number of @specs
 * @flags: HOSTCACHE_FOREIGN_F_*
 * @ah_reqid: reqid of the AH SAs that authenticate the peer, or 0
 * @now: the time (jiffies)
 * @gfp: allocation flags
 * @id: set to the new entry's ID
 * @extack: where to say what is wrong
 *
 * A full cache evicts an untrusted entry at random to make room. Nothing
 * changes unless the whole request succeeds.
 *
 * Return: 0, -EINVAL for a bad address or scope mix, -E2BIG for more
 * addresses than an entry may hold, -EEXIST if an address already is in
 * the cache or another entry has @ah_reqid, -ENOSPC if it holds only
 * trusted entries, or -ENOMEM.
 */
int hc_foreign_create(struct hc_cache *cache,
		      const struct hc_faddr_spec *specs, unsigned int n,
		      u8 flags, u32 ah_reqid, unsigned long now, gfp_t gfp,
		      u32 *id, struct netlink_ext_ack *extack)
{
	struct hc_foreign *fe;
	LIST_HEAD(addrs);
	int err;

	if (!n) {
		NL_SET_ERR_MSG_MOD(extack, "an entry needs at least one address");
		return -EINVAL;
	}
	if (n > READ_ONCE(cache->params->max_addrs)) {
		spin_lock_bh(&cache->lock);
		err = hc_refuse_addrs(cache, extack);
		spin_unlock_bh(&cache->lock);
		return err;
	}
	err = hc_specs_check(specs, n, -1, extack);
	if (err)
		return err;

	fe = hc_foreign_alloc(cache, flags, ah_reqid, gfp);
	if (!fe)
		return -ENOMEM;
	err = hc_faddrs_alloc(&addrs, fe, specs, n, now, gfp);
	if (err)
		goto err_free;

	spin_lock_bh(&cache->lock);
	err = hc_specs_check_new(cache, 0, specs, n, extack);
	if (!err)
		err = hc_foreign_insert(cache, fe, &addrs, extack);
	spin_unlock_bh(&cache->lock);
	if (err)
		goto err_free_addrs;
	*id = fe->id;
	return 0;

err_free_addrs:
	hc_faddrs_free(&addrs);
err_free:
	hc_foreign_unalloc(cache, fe);
	return err;
}

/* The entry @id, or NULL with @extack set. The caller holds the lock. */
static struct hc_foreign *hc_foreign_find(struct hc_cache *cache, u32 id,
					  struct netlink_ext_ack *extack)
{
	struct hc_foreign *fe = xa_load(&cache->entries, id);

	if (!fe)
		NL_SET_ERR_MSG_MOD(extack, "no such foreign entry");
	return fe;
}

/**
 * hc_foreign_delete() - remove a foreign entry and all its addresses
 * @cache: the cache
 * @id: the entry's ID
 * @extack: where to say what is wrong
 *
 * Return: 0 or -ENOENT.
 */
int hc_foreign_delete(struct hc_cache *cache, u32 id,
		      struct netlink_ext_ack *extack)
{
	struct hc_foreign *fe;

	spin_lock_bh(&cache->lock);
	fe = hc_foreign_find(cache, id, extack);
	if (fe) {
		hc_foreign_remove(cache, fe, HOSTCACHE_REASON_REQUEST);
		cache->stats.removed++;
	}
	spin_unlock_bh(&cache->lock);
	return fe ? 0 : -ENOENT;
}

/* The scope an entry's addresses share. */
static int hc_foreign_scope(const struct hc_foreign *fe)
{
	const struct hc_faddr *fa;

	fa = list_first_entry(&fe->addrs, struct hc_faddr, list);
	return ipv6_addr_scope(&fa->addr);
}

/**
 * hc_foreign_add_addrs() - add addresses to a foreign entry
 * @cache: the cache
 * @id: the entry's ID
 * @specs: the addresses, of the entry's scope
 * @n: number of @specs
 * @now: the time (jiffies)
 * @gfp: allocation flags
 * @extack: where to say what is wrong
 *
 * All or none of the addresses are added.
 *
 * Return: 0, -ENOENT for no such entry, -EINVAL for a bad address or
 * scope, -EEXIST if an address already is in the cache, -E2BIG over the
 * per-entry limit, or -ENOMEM.
 */
int hc_foreign_add_addrs(struct hc_cache *cache, u32 id,
			 const struct hc_faddr_spec *specs, unsigned int n,
			 unsigned long now, gfp_t gfp,
			 struct netlink_ext_ack *extack)
{
	struct hc_faddr *fa, *first;
	struct hc_foreign *fe;
	LIST_HEAD(addrs);
	int err;

	if (!n) {
		NL_SET_ERR_MSG_MOD(extack, "no address given");
		return -EINVAL;
	}
	err = hc_specs_check(specs, n, -1, extack);
	if (err)
		return err;
	/* The entry the addresses point to is set under the lock. */
	err = hc_faddrs_alloc(&addrs, NULL, specs, n, now, gfp);
	if (err)
		return err;

	spin_lock_bh(&cache->lock);
	fe = hc_foreign_find(cache, id, extack);
	if (!fe) {
		err = -ENOENT;
		goto out;
	}
	err = hc_specs_check(specs, n, hc_foreign_scope(fe), extack);
	if (err)
		goto out;
	if (fe->naddrs + n > READ_ONCE(cache->params->max_addrs)) {
		err = hc_refuse_addrs(cache, extack);
		goto out;
	}
	err = hc_specs_check_new(cache, id, specs, n, extack);
	if (err)
		goto out;
	list_for_each_entry(fa, &addrs, list)
		fa->entry = fe;
	first = list_first_entry(&addrs, struct hc_faddr, list);
	err = hc_faddrs_insert(cache, &addrs, fe);
	if (err)
		goto out;
	cache->seq++;
	fa = first;
	list_for_each_entry_from(fa, &fe->addrs, list)
		hc_notify_addr(cache, fa, HOSTCACHE_CMD_NEW_ADDR);
out:
	spin_unlock_bh(&cache->lock);
	hc_faddrs_free(&addrs);
	return err;
}

/**
 * hc_foreign_del_addr() - remove an address from a foreign entry
 * @cache: the cache
 * @id: the entry's ID
 * @addr: the address
 * @extack: where to say what is wrong
 *
 * Removing the last address removes the entry.
 *
 * Return: 0, or -ENOENT if the entry does not hold @addr.
 */
int hc_foreign_del_addr(struct hc_cache *cache, u32 id,
			const struct in6_addr *addr,
			struct netlink_ext_ack *extack)
{
	struct hc_faddr *fa;
	int err = 0;

	spin_lock_bh(&cache->lock);
	if (!hc_foreign_find(cache, id, extack)) {
		err = -ENOENT;
		goto out;
	}
	fa = hc_faddr_find(cache, addr);
	if (!fa || fa->entry->id != id) {
		NL_SET_ERR_MSG_MOD(extack, "the entry has no such address");
		err = -ENOENT;
		goto out;
	}
	if (fa->entry->naddrs == 1) {
		hc_foreign_remove(cache, fa->entry, HOSTCACHE_REASON_REQUEST);
		cache->stats.removed++;
	} else {
		hc_faddr_remove(cache, fa);
	}
out:
	spin_unlock_bh(&cache->lock);
	return err;
}

/**
 * hc_foreign_set() - change an entry's flags, its AH reqid or both
 * @cache: the cache
 * @id: the entry's ID
 * @chg: what changes
 * @extack: where to say what is wrong
 *
 * All of it changes or nothing does. %HOSTCACHE_FOREIGN_F_ORDINARY set
 * remembers the entry's addresses as an ordinary peer's, cleared forgets
 * them; new SAs, unless the same request says the peer is ordinary, show
 * that it is not.
 *
 * Return: 0, -ENOENT, -EEXIST if another entry has the reqid, -EINVAL for
 * a peer both homeless and ordinary or ordinary while ordinary-hold is 0,
 * -ENOSPC if too many peers are remembered as ordinary, or -ENOMEM.
 */
int hc_foreign_set(struct hc_cache *cache, u32 id,
		   const struct hc_foreign_change *chg,
		   struct netlink_ext_ack *extack)
{
	bool trusted, ordinary, was_ordinary;
	struct hc_foreign *fe;
	int err = 0;
	u32 reqid;
	u8 flags;

	spin_lock_bh(&cache->lock);
	fe = hc_foreign_find(cache, id, extack);
	if (!fe) {
		err = -ENOENT;
		goto out;
	}
	flags = chg->set_flags ? chg->flags : fe->flags;
	reqid = chg->set_ah_reqid ? chg->ah_reqid : fe->ah_reqid;
	was_ordinary = hc_foreign_ordinary(cache, fe);
	ordinary = chg->set_flags ? flags & HOSTCACHE_FOREIGN_F_ORDINARY :
		   was_ordinary && !(reqid && reqid != fe->ah_reqid);
	flags &= ~HOSTCACHE_FOREIGN_F_ORDINARY;
	if (ordinary && flags & HOSTCACHE_FOREIGN_F_HOMELESS) {
		NL_SET_ERR_MSG(extack, "a peer is either homeless or ordinary");
		err = -EINVAL;
		goto out;
	}
	if (ordinary && !was_ordinary &&
	    !READ_ONCE(cache->params->ordinary_hold)) {
		NL_SET_ERR_MSG(extack, "ordinary-hold is 0: no peer is remembered as ordinary");
		err = -EINVAL;
		goto out;
	}
	if (fe->flags == flags && fe->ah_reqid == reqid &&
	    ordinary == was_ordinary)
		goto out;
	if (ordinary && !was_ordinary) {
		err = hc_foreign_note_ordinary(cache, fe);
		if (err) {
			NL_SET_ERR_MSG(extack, "too many peers are remembered as ordinary");
			goto err_ordinary;
		}
	}
	if (reqid != fe->ah_reqid) {
		err = hc_sa_claim(cache, fe, reqid, extack);
		if (err)
			goto err_ordinary;
	}
	trusted = flags & HOSTCACHE_FOREIGN_F_TRUSTED;
	if (trusted != !!(fe->flags & HOSTCACHE_FOREIGN_F_TRUSTED)) {
		if (trusted)
			hc_pool_del(cache, fe);
		else
			err = hc_pool_add(cache, fe);
		if (err) {
			if (reqid != fe->ah_reqid && reqid)
				xa_erase(&cache->sas, reqid);
			goto err_ordinary;
		}
	}
	if (reqid != fe->ah_reqid && fe->ah_reqid)
		xa_erase(&cache->sas, fe->ah_reqid);
	if (was_ordinary && !ordinary)
		hc_foreign_forget_ordinary(cache, fe);
	fe->flags = flags;
	WRITE_ONCE(fe->ah_reqid, reqid);
	cache->seq++;
	hc_notify_foreign(cache, fe, HOSTCACHE_CMD_SET_FOREIGN, 0);
	spin_unlock_bh(&cache->lock);
	return 0;

err_ordinary:
	if (ordinary && !was_ordinary)
		hc_foreign_forget_ordinary(cache, fe);
out:
	spin_unlock_bh(&cache->lock);
	return err;
}

/**
 * hc_foreign_set_flags() - change an entry's flags
 * @cache: the cache
 * @id: the entry
 * @flags: HOSTCACHE_FOREIGN_F_*
 * @extack: where to say what is wrong
 *
 * Return: as hc_foreign_set().
 */
int hc_foreign_set_flags(struct hc_cache *cache, u32 id, u8 flags,
			 struct netlink_ext_ack *extack)
{
	const struct hc_foreign_change chg = {
		.set_flags = true,
		.flags = flags,
	};

	return hc_foreign_set(cache, id, &chg, extack);
}

/**
 * hc_foreign_by_reqid() - the entry whose AH SAs have reqid @reqid
 * @cache: the cache
 * @reqid: the reqid
 *
 * Context: RCU read lock.
 * Return: the entry, or NULL if none has it (or @reqid is 0).
 */
struct hc_foreign *hc_foreign_by_reqid(struct hc_cache *cache, u32 reqid)
{
	return reqid ? xa_load(&cache->sas, reqid) : NULL;
}

/* Make a valid address expired as of @when: it is no longer a locator,
 * and it is kept MAXIMUM-EXPIRED-LIFETIME from then. The caller holds the
 * lock.
 */
static void hc_faddr_expire(struct hc_cache *cache, struct hc_faddr *fa,
			    unsigned long when)
{
	fa->state = HOSTCACHE_ADDR_EXPIRED;
	fa->flags &= ~HOSTCACHE_ADDR_F_PREFERRED;
	fa->expires = when + READ_ONCE(cache->params->max_expired_lifetime) *
			     (unsigned long)HZ;
	cache->stats.addrs_expired++;
	cache->seq++;
	hc_notify_addr(cache, fa, HOSTCACHE_CMD_NEW_ADDR);
}

/* Add @flags to @fe's flags; a trusted entry leaves the eviction pool.
 * The caller holds the lock.
 */
static void hc_foreign_mark_locked(struct hc_cache *cache,
				   struct hc_foreign *fe, u8 flags)
{
	if (!fe || (fe->flags & flags) == flags)
		return;
	if (flags & ~fe->flags & HOSTCACHE_FOREIGN_F_TRUSTED)
		hc_pool_del(cache, fe);
	if (flags & HOSTCACHE_FOREIGN_F_HOMELESS)
		hc_foreign_forget_ordinary(cache, fe);
	fe->flags |= flags;
	cache->seq++;
	hc_notify_foreign(cache, fe, HOSTCACHE_CMD_SET_FOREIGN, 0);
}

/**
 * hc_foreign_learn_homeless() - the peer at @addr said it is homeless
 * @cache: the cache
 * @addr: an address of the peer
 *
 * Draft 3.1: a Homeless Support option tells that its sender supports
 * Homeless Mobile IPv6; its entry is marked so, if it has one.
 *
 * Context: softirq or process context.
 */
void hc_foreign_learn_homeless(struct hc_cache *cache,
			       const struct in6_addr *addr)
{
	struct hc_faddr *fa;

	spin_lock_bh(&cache->lock);
	fa = hc_faddr_find(cache, addr);
	hc_foreign_mark_locked(cache, fa ? fa->entry : NULL,
			       HOSTCACHE_FOREIGN_F_HOMELESS);
	spin_unlock_bh(&cache->lock);
}

/**
 * hc_foreign_trust() - a connection with the peer of entry @id completed
 *	its handshake: the entry is trusted, and is no longer evicted
 * @cache: the cache
 * @id: the entry
 *
 * Context: softirq or process context.
 */
void hc_foreign_trust(struct hc_cache *cache, u32 id)
{
	spin_lock_bh(&cache->lock);
	hc_foreign_mark_locked(cache, xa_load(&cache->entries, id),
			       HOSTCACHE_FOREIGN_F_TRUSTED);
	spin_unlock_bh(&cache->lock);
}

/**
 * hc_foreign_keyed() - whether the peer of entry @id has AH SAs
 * @cache: the cache
 * @id: the entry
 *
 * Context: any.
 * Return: true if the entry exists and names the reqid of its SAs.
 */
bool hc_foreign_keyed(struct hc_cache *cache, u32 id)
{
	struct hc_foreign *fe;
	bool keyed;

	rcu_read_lock();
	fe = xa_load(&cache->entries, id);
	keyed = fe && READ_ONCE(fe->ah_reqid);
	rcu_read_unlock();
	return keyed;
}

/**
 * hc_faddr_verify() - a test showed that the peer of entry @id receives
 *	at @addr
 * @cache: the cache
 * @id: the entry
 * @addr: the address
 *
 * Context: softirq or process context.
 * Return: 0, or -ENOENT if @addr is no longer an address of entry @id.
 */
int hc_faddr_verify(struct hc_cache *cache, u32 id, const struct in6_addr *addr)
{
	struct hc_faddr *fa;
	int err = -ENOENT;

	spin_lock_bh(&cache->lock);
	fa = hc_faddr_find(cache, addr);
	if (fa && fa->entry->id == id) {
		WRITE_ONCE(fa->flags, fa->flags | HOSTCACHE_ADDR_F_VERIFIED);
		cache->seq++;
		hc_notify_addr(cache, fa, HOSTCACHE_CMD_NEW_ADDR);
		err = 0;
	}
	spin_unlock_bh(&cache->lock);
	return err;
}

/**
 * hc_foreign_claim() - move an address to the entry of the peer that
 *	proved it receives there
 * @cache: the cache
 * @id: the entry that claims it
 * @addr: the address, another entry's
 *
 * The peer of entry @id listed @addr in an update under its SA, and echoed
 * a test sent to @addr: the entry that holds it, which this host's own
 * traffic made before the peer's first update, is the same peer's (one
 * entry per peer). The address moves, verified, with its state and
 * lifetime; the entry it leaves empty goes. The move is a new address
 * object that replaces the old in the hash at once: a list node cannot
 * move between RCU lists.
 *
 * Context: softirq or process context.
 * Return: 0; -ENOENT if @addr or entry @id went, or @addr is @id's
 * already; -EPERM if the entry holding @addr has an SA of its own;
 * -EINVAL for an address of another scope than the entry's;
 * -E2BIG over max-addrs; -ENOMEM.
 */
int hc_foreign_claim(struct hc_cache *cache, u32 id,
		     const struct in6_addr *addr)
{
	struct hc_faddr *fresh, *fa;
	struct hc_foreign *fe, *from;
	int err = -ENOENT;

	fresh = kmem_cache_zalloc(hc_faddr_slab, GFP_ATOMIC);
	if (!fresh)
		return -ENOMEM;
	spin_lock_bh(&cache->lock);
	fe = xa_load(&cache->entries, id);
	fa = hc_faddr_find(cache, addr);
	if (!fe || !fa || fa->entry == fe)
		goto out;
	/* The holder got an SA of its own while the test ran: the address
	 * is its key holder's now, as hc_bu_process() would have said.
	 */
	err = -EPERM;
	if (fa->entry->ah_reqid)
		goto out;
	err = -EINVAL;
	if (ipv6_addr_scope(addr) != hc_foreign_scope(fe))
		goto out;
	err = -E2BIG;
	if (fe->naddrs >= READ_ONCE(cache->params->max_addrs)) {
		cache->stats.refused_addrs++;
		goto out;
	}
	from = fa->entry;
	fresh->addr = fa->addr;
	fresh->entry = fe;
	fresh->expires = fa->expires;
	fresh->last_used = READ_ONCE(fa->last_used);
	fresh->bid = fa->bid;
	fresh->state = fa->state;
	fresh->flags = fa->flags | HOSTCACHE_ADDR_F_VERIFIED;
	err = rhashtable_replace_fast(&cache->addrs, &fa->node, &fresh->node,
				      hc_addr_params);
	if (err)
		goto out;
	list_add_tail_rcu(&fresh->list, &fe->addrs);
	fe->naddrs++;
	hc_notify_addr(cache, fa, HOSTCACHE_CMD_DEL_ADDR);
	list_del_rcu(&fa->list);
	from->naddrs--;
	call_rcu(&fa->rcu, hc_faddr_free_rcu);
	hc_notify_addr(cache, fresh, HOSTCACHE_CMD_NEW_ADDR);
	if (!from->naddrs)
		hc_foreign_remove(cache, from, HOSTCACHE_REASON_MERGED);
	cache->seq++;
	fresh = NULL;
out:
	spin_unlock_bh(&cache->lock);
	if (fresh)
		kmem_cache_free(hc_faddr_slab, fresh);
	return err;
}

/**
 * hc_faddr_deadline() - when an address next changes state
 * @cache: the cache
 * @fa: the address
 *
 * Context: the cache's lock or RCU; the answer may be stale at once.
 * Return: for a valid address, when it expires: DEFAULT-LIFETIME after
 * its last use, or at the end of a Binding Update's lifetime; for an
 * expired one, when it is removed (jiffies).
 */
unsigned long hc_faddr_deadline(const struct hc_cache *cache,
				const struct hc_faddr *fa)
{
	if (fa->state == HOSTCACHE_ADDR_EXPIRED ||
	    fa->flags & HOSTCACHE_ADDR_F_ABSOLUTE)
		return fa->expires;
	return READ_ONCE(fa->last_used) +
	       READ_ONCE(cache->params->default_lifetime) * (unsigned long)HZ;
}

/**
 * hc_faddr_doomed() - whether aging the cache removes an address
 * @cache: the cache
 * @fa: the address
 * @now: when the cache is aged (jiffies)
 *
 * Context: the cache's lock or RCU; the answer may be stale at once.
 * Return: true if hc_cache_gc() at @now removes @fa.
 */
bool hc_faddr_doomed(const struct hc_cache *cache, const struct hc_faddr *fa,
		     unsigned long now)
{
	unsigned long deadline = hc_faddr_deadline(cache, fa);

	if (time_before(now, deadline))
		return false;
	return READ_ONCE(fa->state) == HOSTCACHE_ADDR_EXPIRED ||
	       !time_before(now, deadline +
			    READ_ONCE(cache->params->max_expired_lifetime) *
			    (unsigned long)HZ);
}

/* Age one address: a valid address whose lifetime ran out becomes
 * expired and is kept for MAXIMUM-EXPIRED-LIFETIME from the moment it
 * expired, then it goes, even if flows still name it (draft 2.1.3: it
 * may be someone else's by then; the flows keep their identifiers).
 * Returns true if it must be removed now.
 */
static bool hc_faddr_age(struct hc_cache *cache, struct hc_faddr *fa,
			 unsigned long now)
{
	unsigned long deadline = hc_faddr_deadline(cache, fa);

	if (time_before(now, deadline))
		return false;
	if (fa->state == HOSTCACHE_ADDR_EXPIRED)
		return true;
	hc_faddr_expire(cache, fa, deadline);
	return !time_before(now, fa->expires);
}

/**
 * hc_cache_gc_batch() - age up to @budget entries
 * @cache: the cache
 * @now: the time (jiffies)
 * @cursor: the ID to go on from; 0 starts a pass
 * @budget: how many entries to look at
 *
 * Expires addresses whose lifetime ran out, removes expired addresses
 * kept for long enough, and removes entries left without an address.
 *
 * Return: true when the pass reached the last entry.
 */
bool hc_cache_gc_batch(struct hc_cache *cache, unsigned long now,
		       unsigned long *cursor, unsigned int budget)
{
	struct hc_faddr *fa, *tmp;
	struct hc_foreign *fe;
	bool done = true;

	spin_lock_bh(&cache->lock);
	xa_for_each_start(&cache->entries, *cursor, fe, *cursor) {
		if (!budget--) {
			done = false;
			break;
		}
		list_for_each_entry_safe(fa, tmp, &fe->addrs, list) {
			if (!hc_faddr_age(cache, fa, now))
				continue;
			cache->stats.addrs_removed++;
			if (fe->naddrs > 1) {
				hc_faddr_remove(cache, fa);
			} else {
				hc_foreign_remove(cache, fe,
						  HOSTCACHE_REASON_EXPIRED);
				cache->stats.removed++;
				break;
			}
		}
	}
	spin_unlock_bh(&cache->lock);
	if (done)
		*cursor = 0;
	return done;
}

/**
 * hc_cache_gc() - age every entry, in batches
 * @cache: the cache
 * @now: the time (jiffies)
 *
 * Context: process context; may sleep between batches.
 */
void hc_cache_gc(struct hc_cache *cache, unsigned long now)
{
	unsigned long cursor = 0;

	while (!hc_cache_gc_batch(cache, now, &cursor, HC_GC_BATCH))
		cond_resched();
	hc_ordinary_prune(&cache->ordinary, now);
}

/* The request's address @addr, or NULL if it does not name it. */
static const struct hc_faddr_spec *hc_bind_spec(const struct hc_bind_req *req,
						const struct in6_addr *addr)
{
	unsigned int i;

	if (req->op != HC_BIND_REPLACE && req->op != HC_BIND_BIDS)
		return NULL;
	for (i = 0; i < req->n; i++)
		if (ipv6_addr_equal(&req->specs[i].addr, addr))
			return &req->specs[i];
	return NULL;
}

static bool hc_bind_names_bid(const struct hc_bind_req *req, u16 bid)
{
	unsigned int i;

	for (i = 0; bid && i < req->n; i++)
		if (req->specs[i].bid == bid)
			return true;
	return false;
}

static bool hc_faddr_valid(const struct hc_faddr *fa)
{
	return fa->state == HOSTCACHE_ADDR_VALID;
}

/* Whether an update numbered @seq is older than the entry's last one
 * (RFC 6275 9.5.1, modulo 2^16).
 */
static bool hc_bind_stale(const struct hc_foreign *fe, u16 seq)
{
	return READ_ONCE(fe->seq_valid) &&
	       (s16)(seq - READ_ONCE(fe->last_seq)) <= 0;
}

/* Whether the expired address @fa may go to make room: not one the update
 * names, nor the one its peer is known by.
 */
static bool hc_bind_spare(const struct hc_bind_req *req,
			  const struct hc_faddr *fa)
{
	return !hc_faddr_valid(fa) && !hc_bind_spec(req, &fa->addr) &&
	       !ipv6_addr_equal(&fa->addr, req->peer);
}

/* Check @req against the entry @fe of its peer, changing nothing. The
 * caller holds the lock. Return: 0, or -errno as hc_foreign_bind() says.
 */
static int hc_bind_check(struct hc_cache *cache, struct hc_foreign *fe,
			 const struct hc_bind_req *req)
{
	unsigned int i, fresh = 0, spare = 0;
	struct hc_faddr *fa;
	bool found;
	int err;

	if (hc_bind_stale(fe, req->seq))
		return -ERANGE;
	if (req->bulk && !req->homeless &&
	    !(fe->flags & HOSTCACHE_FOREIGN_F_HOMELESS))
		return -EPERM;
	if (req->op == HC_BIND_DEL_ALL)
		return 0;
	if (req->op == HC_BIND_DEL_BIDS) {
		for (i = 0; i < req->n; i++) {
			found = false;
			list_for_each_entry(fa, &fe->addrs, list)
				found |= hc_faddr_valid(fa) &&
					 fa->bid == req->specs[i].bid;
			if (!found)
				return -ENOENT;
		}
		return 0;
	}

	err = hc_specs_check(req->specs, req->n, hc_foreign_scope(fe), NULL);
	if (err)
		return err;
	/* RFC 5648 6.2: BIDs do not mix with a binding made without one,
	 * unless the update overwrites it.
	 */
	if (req->op == HC_BIND_BIDS && !req->overwrite) {
		list_for_each_entry(fa, &fe->addrs, list)
			if (hc_faddr_valid(fa) && !fa->bid &&
			    fa->flags & HOSTCACHE_ADDR_F_FROM_BU)
				return -EBUSY;
	}
	for (i = 0; i < req->n; i++) {
		fa = hc_faddr_find(cache, &req->specs[i].addr);
		if (!fa)
			fresh++;
		else if (fa->entry != fe)
			return -EADDRINUSE;
	}
	if (!fresh)
		return 0;
	/* Expired addresses make room for new ones. */
	list_for_each_entry(fa, &fe->addrs, list)
		spare += hc_bind_spare(req, fa);
	if (fe->naddrs + fresh > READ_ONCE(cache->params->max_addrs) + spare) {
		cache->stats.refused_addrs++;
		return -E2BIG;
	}
	return 0;
}

/* Take one preallocated address off @pool for @spec of @fe, or NULL if
 * the pool ran dry.
 */
static struct hc_faddr *hc_faddr_take(struct list_head *pool,
				      struct hc_foreign *fe,
				      const struct hc_faddr_spec *spec,
				      unsigned long now)
{
	struct hc_faddr *fa = list_first_entry_or_null(pool, struct hc_faddr,
						       list);

	if (fa) {
		list_del(&fa->list);
		hc_faddr_init(fa, fe, spec, now);
	}
	return fa;
}

/* Whether @req makes the valid address @fa of its entry expire. */
static bool hc_bind_expires(const struct hc_bind_req *req,
			    const struct hc_faddr *fa)
{
	switch (req->op) {
	case HC_BIND_REPLACE:
		return !hc_bind_spec(req, &fa->addr);
	case HC_BIND_BIDS:
		return !hc_bind_spec(req, &fa->addr) &&
		       (req->overwrite || hc_bind_names_bid(req, fa->bid));
	case HC_BIND_DEL_BIDS:
		return hc_bind_names_bid(req, fa->bid);
	case HC_BIND_DEL_ALL:
		break;
	}
	return true;
}

/* Apply a checked request to the existing entry @fe, taking addresses it
 * lacks from @pool. Fails only before changing anything. The caller holds
 * the lock.
 */
static int hc_bind_apply(struct hc_cache *cache, struct hc_foreign *fe,
			 const struct hc_bind_req *req, struct list_head *pool,
			 unsigned long now)
{
	bool binds = req->op == HC_BIND_REPLACE || req->op == HC_BIND_BIDS;
	const struct hc_faddr_spec *spec;
	struct hc_faddr *fa, *tmp;
	LIST_HEAD(fresh);
	int excess, err;
	unsigned int i;

	for (i = 0; binds && i < req->n; i++) {
		if (hc_faddr_find(cache, &req->specs[i].addr))
			continue;
		fa = hc_faddr_take(pool, fe, &req->specs[i], now);
		if (!fa) {
			list_splice(&fresh, pool);
			return -ENOMEM;
		}
		list_add_tail(&fa->list, &fresh);
	}
	/* Hashing is the one step that may fail: do it first. */
	err = hc_faddrs_insert(cache, &fresh, fe);
	if (err) {
		list_splice(&fresh, pool);
		return err;
	}

	excess = (int)fe->naddrs - (int)READ_ONCE(cache->params->max_addrs);
	list_for_each_entry_safe(fa, tmp, &fe->addrs, list) {
		if (excess <= 0)
			break;
		if (!hc_bind_spare(req, fa))
			continue;
		hc_faddr_remove(cache, fa);
		cache->stats.addrs_removed++;
		excess--;
	}

	list_for_each_entry(fa, &fe->addrs, list) {
		spec = hc_bind_spec(req, &fa->addr);
		if (!spec) {
			if (hc_faddr_valid(fa) && hc_bind_expires(req, fa))
				hc_faddr_expire(cache, fa, now);
			continue;
		}
		/* Draft 2.1.3: a Binding Update gives an absolute lifetime,
		 * also to an address learned another way.
		 */
		fa->state = HOSTCACHE_ADDR_VALID;
		fa->flags = (fa->flags & (HOSTCACHE_ADDR_F_VERIFIED |
					  HOSTCACHE_ADDR_F_PREFERRED)) |
			    (spec->flags & HOSTCACHE_ADDR_F_VERIFIED) |
			    HOSTCACHE_ADDR_F_ABSOLUTE | HOSTCACHE_ADDR_F_FROM_BU;
		fa->expires = now + (unsigned long)spec->lifetime * HZ;
		fa->bid = spec->bid;
		hc_notify_addr(cache, fa, HOSTCACHE_CMD_NEW_ADDR);
	}
	if (req->homeless && !(fe->flags & HOSTCACHE_FOREIGN_F_HOMELESS)) {
		hc_foreign_forget_ordinary(cache, fe);
		fe->flags |= HOSTCACHE_FOREIGN_F_HOMELESS;
		hc_notify_foreign(cache, fe, HOSTCACHE_CMD_SET_FOREIGN, 0);
	}
	return 0;
}

/* A Binding Update from a peer the cache does not know: a new, untrusted
 * entry with the update's addresses, and the source address the peer is
 * known by, with an activity lifetime (draft 2.1.1), if the update does
 * not bind it. The caller holds the lock.
 */
static int hc_bind_create(struct hc_cache *cache, struct hc_foreign *fe,
			  const struct hc_bind_req *req,
			  struct list_head *pool, unsigned long now)
{
	struct hc_faddr_spec source = { .addr = *req->peer };
	bool named = hc_bind_spec(req, req->peer);
	struct hc_faddr *fa;
	LIST_HEAD(addrs);
	unsigned int i;
	int err;

	if (req->bulk && !req->homeless)
		return -EPERM;
	if (req->n + !named > READ_ONCE(cache->params->max_addrs)) {
		cache->stats.refused_addrs++;
		return -E2BIG;
	}
	err = hc_specs_check(req->specs, req->n,
			     ipv6_addr_scope(req->peer), NULL);
	if (err)
		return err;
	for (i = 0; i < req->n; i++)
		if (hc_faddr_find(cache, &req->specs[i].addr))
			return -EADDRINUSE;
	for (i = 0; i <= req->n; i++) {
		if (i == req->n && named)
			break;
		fa = hc_faddr_take(pool, fe, i < req->n ? &req->specs[i] :
				   &source, now);
		if (!fa) {
			err = -ENOMEM;
			goto err;
		}
		list_add_tail(&fa->list, &addrs);
	}
	err = hc_foreign_insert(cache, fe, &addrs, NULL);
	if (!err)
		return 0;
err:
	list_splice(&addrs, pool);
	return err;
}

/* Allocate @n addresses onto @pool; on failure free them all. */
static int hc_bind_prealloc(struct list_head *pool, unsigned int n)
{
	struct hc_faddr *fa;

	while (n--) {
		fa = kmem_cache_zalloc(hc_faddr_slab, GFP_ATOMIC);
		if (!fa) {
			hc_faddrs_free(pool);
			return -ENOMEM;
		}
		list_add(&fa->list, pool);
	}
	return 0;
}

/* The entry of @req's peer: the one its SA names, else the one holding
 * its source; NULL if none. Context: RCU read lock.
 */
static struct hc_foreign *hc_bind_entry(struct hc_cache *cache,
					const struct hc_bind_req *req)
{
	struct hc_faddr *fa;

	if (req->entry)
		return xa_load(&cache->entries, req->entry);
	fa = hc_faddr_lookup(cache, req->peer);
	return fa ? fa->entry : NULL;
}

/**
 * hc_foreign_bind_stale() - whether a Binding Update is older than the
 *	last one its peer's entry took
 * @cache: the cache
 * @req: the update: its peer, entry and sequence number
 * @last_seq: if so, set to the last sequence number taken
 *
 * RFC 6275 9.5.1 checks the sequence number before anything else in the
 * update, so a stale update is answered with 135 whatever else is wrong
 * with it. hc_foreign_bind() checks again under the lock.
 *
 * Return: true if the entry @req->entry, else the one holding
 * @req->peer, took an update numbered @req->seq or later.
 */
bool hc_foreign_bind_stale(struct hc_cache *cache,
			   const struct hc_bind_req *req, u16 *last_seq)
{
	struct hc_foreign *fe;
	bool stale = false;

	rcu_read_lock();
	fe = hc_bind_entry(cache, req);
	if (fe && hc_bind_stale(fe, req->seq)) {
		stale = true;
		*last_seq = READ_ONCE(fe->last_seq);
	}
	rcu_read_unlock();
	return stale;
}

/**
 * hc_foreign_bind() - apply a Binding Update to its peer's entry
 * @cache: the cache
 * @req: the update; the caller checked that each address is one a peer
 *	may bind and that no address or BID comes twice
 * @now: the time (jiffies)
 * @id: set to the peer's entry, 0 if there is none
 * @last_seq: for -ERANGE, set to the last sequence number accepted
 *
 * The peer's entry is the one named by @req->entry, else the one holding
 * @req->peer. An update from an unknown peer without @req->entry creates
 * an untrusted entry holding @req->peer, but never by a deletion. Nothing
 * changes unless the whole update applies. Addresses an update removes
 * become expired rather than vanish: flows may still name them.
 *
 * Context: softirq or process context; allocates with GFP_ATOMIC.
 * Return: 0; -ERANGE for a sequence number out of window; -EPERM for
 * several bindings at once from a peer not known to be homeless; -ENOENT
 * for the deletion of a BID the peer has not bound; -EBUSY for BIDs while
 * a binding without one exists; -EADDRINUSE for an address of another
 * entry; -EINVAL for
 * an address a peer cannot have or of another scope than the entry's;
 * -E2BIG over max-addrs; -ENOSPC if the cache holds only trusted entries;
 * -ESRCH if @req->entry went; -ENOMEM.
 */
int hc_foreign_bind(struct hc_cache *cache, const struct hc_bind_req *req,
		    unsigned long now, u32 *id, u16 *last_seq)
{
	bool creates = req->op == HC_BIND_REPLACE || req->op == HC_BIND_BIDS;
	struct hc_foreign *fe, *fresh_fe = NULL;
	bool known, stale = false;
	struct hc_faddr *fa;
	LIST_HEAD(pool);
	int err;

	*id = 0;
	/* A cheap look first: a replayed update costs no allocation. */
	rcu_read_lock();
	fe = hc_bind_entry(cache, req);
	known = fe;
	if (fe)
		stale = hc_bind_stale(fe, req->seq);
	rcu_read_unlock();
	if (creates && !stale) {
		/* One more for the source address of a new entry. */
		err = hc_bind_prealloc(&pool, req->n + 1);
		if (err)
			return err;
	}
retry:
	if (creates && !stale && !known && !fresh_fe && !req->entry) {
		fresh_fe = hc_foreign_alloc(cache, req->homeless ?
					    HOSTCACHE_FOREIGN_F_HOMELESS : 0, 0,
					    GFP_ATOMIC);
		if (!fresh_fe) {
			err = -ENOMEM;
			goto out;
		}
	}

	spin_lock_bh(&cache->lock);
	fa = hc_faddr_find(cache, req->peer);
	fe = fa ? fa->entry : NULL;
	if (req->entry) {
		/* The SA names the entry; the source binds nothing by
		 * itself, and may be new to it or another entry's (which
		 * the peer claims, hc_foreign_claim()).
		 */
		fe = xa_load(&cache->entries, req->entry);
		if (!fe)
			err = -ESRCH;
		else
			err = hc_bind_check(cache, fe, req);
		if (!err)
			err = hc_bind_apply(cache, fe, req, &pool, now);
		else if (err == -ERANGE)
			*last_seq = fe->last_seq;
	} else if (fe) {
		err = hc_bind_check(cache, fe, req);
		if (!err)
			err = hc_bind_apply(cache, fe, req, &pool, now);
		else if (err == -ERANGE)
			*last_seq = fe->last_seq;
	} else if (req->op == HC_BIND_DEL_ALL) {
		err = 0;	/* nothing to delete */
	} else if (req->op == HC_BIND_DEL_BIDS) {
		err = -ENOENT;
	} else if (!fresh_fe) {
		/* The entry went since the look: make one after all. */
		spin_unlock_bh(&cache->lock);
		known = false;
		stale = false;
		if (list_empty(&pool)) {
			err = hc_bind_prealloc(&pool, req->n + 1);
			if (err)
				goto out;
		}
		goto retry;
	} else {
		err = hc_bind_create(cache, fresh_fe, req, &pool, now);
		if (!err) {
			fe = fresh_fe;
			fresh_fe = NULL;
		}
	}
	if (!err && fe) {
		WRITE_ONCE(fe->last_seq, req->seq);
		WRITE_ONCE(fe->seq_valid, true);
		cache->seq++;
		*id = fe->id;
	}
	spin_unlock_bh(&cache->lock);

out:
	hc_faddrs_free(&pool);
	if (fresh_fe)
		hc_foreign_unalloc(cache, fresh_fe);
	return err;
}
