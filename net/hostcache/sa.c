// SPDX-License-Identifier: GPL-2.0
/* hostcache: the AH SAs that authenticate peers (draft 2.4).
 *
 * The kernel's xfrm verifies AH; a key daemon installs the SAs and names
 * them in the peer's foreign entry by their reqid. A Binding Update or
 * Acknowledgment changes the Host Cache only if the secpath xfrm left on
 * it holds a transport-mode AH SA whose reqid an entry has, and then only
 * that entry. When this host starts to talk to a peer without one, it
 * asks the key daemons for SAs, as xfrm asks for states.
 */

#include <linux/skbuff.h>
#include <net/xfrm.h>

#include "hostcache.h"

/* The entry a transport-mode AH SA in @skb's secpath authenticates. */
static struct hc_foreign *hc_sa_find(struct hc_cache *cache,
				     const struct sk_buff *skb)
{
	const struct sec_path *sp = skb_sec_path(skb);
	const struct xfrm_state *x;
	struct hc_foreign *fe;
	int i;

	for (i = 0; sp && i < sp->len; i++) {
		x = sp->xvec[i];
		if (x->id.proto != IPPROTO_AH ||
		    x->props.mode != XFRM_MODE_TRANSPORT)
			continue;
		fe = hc_foreign_by_reqid(cache, x->props.reqid);
		if (fe)
			return fe;
	}
	return NULL;
}

/**
 * hc_sa_entry() - the entry whose AH SA authenticated a received packet
 * @hn: the namespace
 * @skb: the packet, as xfrm handed it on
 * @elsewhere: set if the packet came from an address of another entry
 *
 * An SA vouches for its own peer, not for the source address: a packet
 * under one entry's SA from an address of another (counted as
 * %HC_MH_STAT_WRONG_SA) may only claim that address by a Binding Update,
 * which a test then decides (verify.c); nothing it says is taken as that
 * other entry's.
 *
 * Context: softirq.
 * Return: the entry's ID, or 0.
 */
u32 hc_sa_entry(struct hc_net *hn, const struct sk_buff *skb, bool *elsewhere)
{
	struct hc_foreign *fe;
	struct hc_faddr *fa;
	u32 id = 0;

	rcu_read_lock();
	fe = hc_sa_find(&hn->cache, skb);
	*elsewhere = false;
	if (fe) {
		fa = hc_faddr_lookup(&hn->cache, &ipv6_hdr(skb)->saddr);
		*elsewhere = fa && fa->entry != fe;
		if (*elsewhere)
			atomic64_inc(&hn->mh_stats[HC_MH_STAT_WRONG_SA]);
		id = fe->id;
	}
	rcu_read_unlock();
	return id;
}

/**
 * hc_sa_talk() - this host talks to the peer of @fe
 * @hn: the namespace
 * @fe: the peer's entry
 *
 * The peer gets this host's first Binding Update if an SA protects it, or
 * with the test switch on. Otherwise key daemons are asked, once in the
 * entry's life, for SAs: a %HOSTCACHE_CMD_ACQUIRE event; the update goes
 * when they name the SAs (hc_sa_named()). A peer known to be ordinary
 * gets neither: finding out cost it enough.
 *
 * Context: RCU read lock, any but hard interrupt.
 */
void hc_sa_talk(struct hc_net *hn, struct hc_foreign *fe)
{
	struct hc_cache *cache = &hn->cache;

	if (hc_foreign_ordinary(cache, fe)) {
		atomic64_inc(&hn->mh_stats[HC_STAT_SPARED]);
		return;
	}
	if (READ_ONCE(fe->ah_reqid) ||
	    READ_ONCE(hn->params.accept_unauthenticated)) {
		hc_announce_peer(hn, fe->id);
		return;
	}
	if (test_bit(HC_ASKED_SA, &fe->asked))
		return;
	spin_lock_bh(&cache->lock);
	/* Not if it went meanwhile, or got its SA. */
	if (xa_load(&cache->entries, fe->id) == fe && !fe->ah_reqid &&
	    !test_and_set_bit(HC_ASKED_SA, &fe->asked)) {
		hc_notify_foreign(cache, fe, HOSTCACHE_CMD_ACQUIRE, 0);
		atomic64_inc(&hn->mh_stats[HC_STAT_ACQUIRES]);
	}
	spin_unlock_bh(&cache->lock);
}

/**
 * hc_sa_named() - SAs were named in entry @id
 * @hn: the namespace
 * @id: the entry
 *
 * If this host asked for them, its first Binding Update to the peer can
 * go now.
 */
void hc_sa_named(struct hc_net *hn, u32 id)
{
	struct hc_foreign *fe;
	bool asked;

	rcu_read_lock();
	fe = xa_load(&hn->cache.entries, id);
	asked = fe && test_bit(HC_ASKED_SA, &fe->asked);
	rcu_read_unlock();
	if (asked)
		hc_announce_peer(hn, id);
}
