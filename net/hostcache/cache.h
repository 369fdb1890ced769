/* SPDX-License-Identifier: GPL-2.0 */
/* hostcache: the foreign part of the Host Cache.
 *
 * A foreign entry holds the known addresses (locators) of one peer. Each
 * address is in the namespace's address table, so the packet path finds
 * the entry of an address with one RCU hash lookup. Entries are also kept
 * in an ID-indexed xarray, for netlink, dumps and the expiry worker.
 *
 * Locking: every change holds &struct hc_cache.lock (BH-safe: Binding
 * Updates are processed in softirq context). Readers use RCU; entries and
 * addresses are freed after a grace period.
 */
#ifndef _NET_HOSTCACHE_CACHE_H
#define _NET_HOSTCACHE_CACHE_H

#include <linux/in6.h>
#include <linux/list.h>
#include <linux/rhashtable-types.h>
#include <linux/spinlock.h>
#include <linux/xarray.h>
#include <linux/hostcache.h>

#include "ordinary.h"

struct hc_params;
struct netlink_ext_ack;
struct nlattr;

/* Entries the expiry worker looks at under the lock in one go. */
#define HC_GC_BATCH		1024

/**
 * struct hc_faddr - one address of a foreign entry
 * @node: in &struct hc_cache.addrs, keyed by @addr
 * @addr: the address
 * @entry: the entry the address belongs to; fixed for the address's life
 * @list: in &struct hc_foreign.addrs (RCU readers)
 * @expires: for %HOSTCACHE_ADDR_F_ABSOLUTE, when the address expires; once
 *	expired, when it is removed (jiffies)
 * @last_used: last time a packet used the address (jiffies); written
 *	without the lock by the packet path
 * @bid: Binding Identifier (RFC 5648), 0 if none
 * @state: &enum hostcache_addr_state
 * @flags: HOSTCACHE_ADDR_F_*
 * @rcu: for freeing after a grace period
 */
struct hc_faddr {
	struct rhash_head node;
	struct in6_addr addr;
	struct hc_foreign *entry;
	struct list_head list;
	unsigned long expires;
	unsigned long last_used;
	u16 bid;
	u8 state;
	u8 flags;
	struct rcu_head rcu;
};

/* Bits of &struct hc_foreign.asked: what was asked once for the peer. */
enum {
	HC_ASKED_PEER,	/* the peer, by its first Binding Update (announce.c) */
	HC_ASKED_SA,	/* key daemons, for an SA with the peer (sa.c) */
};

/**
 * struct hc_accepted - this host's addresses that a peer accepted
 * @rcu: for freeing after a grace period
 * @since: when the peer acknowledged a set unlike the one before
 *	(jiffies)
 * @n: number of @addrs
 * @addrs: the addresses listed by the last Binding Update of this host
 *	that the peer acknowledged (announce.c)
 */
struct hc_accepted {
	struct rcu_head rcu;
	unsigned long since;
	unsigned int n;
	struct in6_addr addrs[];
};

/**
 * struct hc_foreign - the Host Cache entry of one peer
 * @addrs: its &struct hc_faddr, in the order they were added (RCU list)
 * @id: key in &struct hc_cache.entries, never 0
 * @pool_index: where the entry is in &struct hc_cache.untrusted, if
 *	it is not trusted
 * @naddrs: number of addresses in @addrs
 * @flags: HOSTCACHE_FOREIGN_F_*
 * @seq_valid: @last_seq holds the sequence number of an accepted Binding
 *	Update
 * @last_seq: that sequence number (one per peer, RFC 5648 4.1)
 * @asked: HC_ASKED_* bits
 * @n_flows: flows with the peer (rewrite.c), for the per-peer limit
 * @accepted: this host's addresses the peer accepted, NULL before its
 *	first acknowledgment; written under &struct hc_announce.lock
 * @ah_reqid: reqid of the AH SAs that authenticate the peer, 0 if none;
 *	key in &struct hc_cache.sas
 * @rcu: for freeing after a grace period
 */
struct hc_foreign {
	struct list_head addrs;
	u32 id;
	u32 ah_reqid;
	u32 pool_index;
	u16 naddrs;
	u8 flags;
	bool seq_valid;
	u16 last_seq;
	unsigned long asked;
	atomic_t n_flows;
	struct hc_accepted __rcu *accepted;
	struct rcu_head rcu;
};

/**
 * struct hc_cache_stats - what the cache did (under &struct hc_cache.lock)
 * @created: entries created
 * @removed: entries removed, by request or because their last address went
 * @evicted: untrusted entries removed to make room
 * @addrs_expired: addresses that expired
 * @addrs_removed: expired addresses removed after MAXIMUM-EXPIRED-LIFETIME
 * @refused_full: entries refused because the cache held only trusted ones
 * @refused_addrs: addresses refused over the per-entry limit
 */
struct hc_cache_stats {
	u64 created;
	u64 removed;
	u64 evicted;
	u64 addrs_expired;
	u64 addrs_removed;
	u64 refused_full;
	u64 refused_addrs;
};

/**
 * struct hc_cache - the foreign entries of one network namespace
 * @lock: serialises every change to the cache
 * @addrs: &struct hc_faddr by address (RCU readers)
 * @entries: &struct hc_foreign by ID (RCU readers)
 * @sas: &struct hc_foreign by &struct hc_foreign.ah_reqid (RCU readers)
 * @untrusted: the entries without %HOSTCACHE_FOREIGN_F_TRUSTED at indices 0 to
 *	@n_untrusted - 1, so that eviction picks one uniformly at random
 * @next_id: where the cyclic ID allocation goes on
 * @n_entries: entries in the cache
 * @n_untrusted: entries in @untrusted
 * @seq: changes on every change, for consistent netlink dumps
 * @params: limits and lifetimes
 * @net: the namespace, for change events; NULL sends none (tests)
 * @stats: counters, see &struct hc_cache_stats
 * @ordinary: addresses of peers known not to be homeless, which outlive
 *	their entries
 */
struct hc_cache {
	spinlock_t lock;	/* serialises writers */
	struct rhashtable addrs;
	struct xarray entries;
	struct xarray sas;
	struct xarray untrusted;
	u32 next_id;
	u32 n_entries;
	u32 n_untrusted;
	u32 seq;
	const struct hc_params *params;
	struct net *net;
	struct hc_cache_stats stats;
	struct hc_ordinary ordinary;
};

/**
 * struct hc_faddr_spec - an address to add, as a request gives it (a local
 *	entry's address uses only @addr and @attr)
 * @addr: the address
 * @lifetime: seconds of absolute lifetime (from a Binding Update), or 0 for
 *	an activity-related one of DEFAULT-LIFETIME
 * @bid: Binding Identifier, 0 if none
 * @flags: HOSTCACHE_ADDR_F_VERIFIED, HOSTCACHE_ADDR_F_FROM_BU
 * @attr: the netlink attribute it came from, for error reports; or NULL
 */
struct hc_faddr_spec {
	const struct nlattr *attr;
	struct in6_addr addr;
	u32 lifetime;
	u16 bid;
	u8 flags;
};

/**
 * enum hc_bind_op - what a Binding Update does to its peer's entry
 * @HC_BIND_REPLACE: no BID: the given addresses become the peer's only
 *	valid ones (RFC 5648 6.2: a BU without BID replaces all bindings)
 * @HC_BIND_BIDS: each given address is bound to its BID: a known BID
 *	moves to the new address, a new BID adds one
 * @HC_BIND_DEL_ALL: lifetime 0 without BID: every address expires
 * @HC_BIND_DEL_BIDS: lifetime 0 with BIDs: only the addresses bound to
 *	the given BIDs expire; addresses in the request are ignored
 */
enum hc_bind_op {
	HC_BIND_REPLACE,
	HC_BIND_BIDS,
	HC_BIND_DEL_ALL,
	HC_BIND_DEL_BIDS,
};

/**
 * struct hc_foreign_change - what a request changes in an entry
 * @set_flags: change the flags to @flags
 * @flags: HOSTCACHE_FOREIGN_F_*
 * @set_ah_reqid: change the AH reqid to @ah_reqid
 * @ah_reqid: the new reqid, 0 for none
 */
struct hc_foreign_change {
	bool set_flags;
	u8 flags;
	bool set_ah_reqid;
	u32 ah_reqid;
};

/**
 * struct hc_bind_req - a Binding Update, as the cache applies it
 * @peer: the address the update came from; unless @entry is set, it names
 *	the peer's entry
 * @entry: the entry whose AH SA authenticated the update, or 0 (only
 *	with the test switch on): then @peer's entry, made if there is none
 * @op: &enum hc_bind_op
 * @specs: the addresses, each with its BID and lifetime (not for
 *	%HC_BIND_DEL_ALL); each address and each BID at most once
 * @n: number of @specs
 * @seq: the update's sequence number
 * @overwrite: O flag: addresses the update does not name expire too
 * @bulk: several bindings at once, allowed only from a homeless peer
 * @homeless: the update carried the Homeless Support option
 */
struct hc_bind_req {
	const struct in6_addr *peer;
	u32 entry;
	enum hc_bind_op op;
	const struct hc_faddr_spec *specs;
	unsigned int n;
	u16 seq;
	bool overwrite;
	bool bulk;
	bool homeless;
};

int hc_cache_module_init(void);
void hc_cache_module_exit(void);

int hc_cache_init(struct hc_cache *cache, const struct hc_params *params);
void hc_cache_flush(struct hc_cache *cache);
void hc_cache_destroy(struct hc_cache *cache);

struct hc_faddr *hc_faddr_lookup(struct hc_cache *cache,
				 const struct in6_addr *addr);

int hc_foreign_create(struct hc_cache *cache,
		      const struct hc_faddr_spec *specs, unsigned int n,
		      u8 flags, u32 ah_reqid, unsigned long now, gfp_t gfp,
		      u32 *id, struct netlink_ext_ack *extack);
int hc_foreign_delete(struct hc_cache *cache, u32 id,
		      struct netlink_ext_ack *extack);
int hc_foreign_add_addrs(struct hc_cache *cache, u32 id,
			 const struct hc_faddr_spec *specs, unsigned int n,
			 unsigned long now, gfp_t gfp,
			 struct netlink_ext_ack *extack);
int hc_foreign_del_addr(struct hc_cache *cache, u32 id,
			const struct in6_addr *addr,
			struct netlink_ext_ack *extack);
int hc_foreign_set(struct hc_cache *cache, u32 id,
		   const struct hc_foreign_change *chg,
		   struct netlink_ext_ack *extack);
int hc_foreign_set_flags(struct hc_cache *cache, u32 id, u8 flags,
			 struct netlink_ext_ack *extack);
struct hc_foreign *hc_foreign_by_reqid(struct hc_cache *cache, u32 reqid);
void hc_foreign_learn_homeless(struct hc_cache *cache,
			       const struct in6_addr *addr);
void hc_foreign_trust(struct hc_cache *cache, u32 id);
bool hc_foreign_ordinary(const struct hc_cache *cache,
			 const struct hc_foreign *fe);
bool hc_foreign_id_ordinary(struct hc_cache *cache, u32 id);
int hc_foreign_note_ordinary(struct hc_cache *cache,
			     const struct hc_foreign *fe);
bool hc_foreign_found_ordinary(struct hc_cache *cache, u32 id);
bool hc_foreign_keyed(struct hc_cache *cache, u32 id);
bool hc_foreign_bind_stale(struct hc_cache *cache,
			   const struct hc_bind_req *req, u16 *last_seq);
int hc_foreign_bind(struct hc_cache *cache, const struct hc_bind_req *req,
		    unsigned long now, u32 *id, u16 *last_seq);
int hc_faddr_verify(struct hc_cache *cache, u32 id, const struct in6_addr *addr);
int hc_foreign_claim(struct hc_cache *cache, u32 id,
		     const struct in6_addr *addr);
unsigned long hc_faddr_deadline(const struct hc_cache *cache,
				const struct hc_faddr *fa);
bool hc_faddr_doomed(const struct hc_cache *cache, const struct hc_faddr *fa,
		     unsigned long now);

bool hc_cache_gc_batch(struct hc_cache *cache, unsigned long now,
		       unsigned long *cursor, unsigned int budget);
void hc_cache_gc(struct hc_cache *cache, unsigned long now);

/* Change events, sent to the netlink group; netlink.c. */
void hc_notify_foreign(struct hc_cache *cache, const struct hc_foreign *fe,
		       u8 cmd, int reason);
void hc_notify_addr(struct hc_cache *cache, const struct hc_faddr *fa,
		    u8 cmd);

#endif /* _NET_HOSTCACHE_CACHE_H */
