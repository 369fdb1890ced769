// SPDX-License-Identifier: GPL-2.0
/* hostcache: address rewriting at the IP layer.
 *
 * Sockets keep the addresses their flow started with (identifiers);
 * packets on the wire carry current addresses (locators). A flow record,
 * keyed by its peer's entry, protocol and ports, remembers both
 * identifiers and the peer's locator last seen. Outbound (LOCAL_OUT, after
 * conntrack and the filter) the destination becomes a valid locator of the
 * peer and a source this host lost becomes one it has; inbound (LOCAL_IN,
 * after the routing decision took the locator as ours) both go back to the
 * identifiers. Only TCP and UDP directly after the IPv6 header are touched:
 * never ICMPv6, the Mobility Header, AH or ESP.
 */

#include <linux/netfilter.h>
#include <linux/netfilter_ipv6.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/checksum.h>
#include <net/ipv6.h>

#include "hostcache.h"

/**
 * struct hc_flow_key - what names a flow
 * @entry: the peer's foreign entry
 * @lport: our port
 * @rport: the peer's port
 * @proto: IPPROTO_TCP or IPPROTO_UDP
 * @pad: zero, as the whole key is hashed
 */
struct hc_flow_key {
	u32 entry;
	__be16 lport;
	__be16 rport;
	u8 proto;
	u8 pad[3];
};

/**
 * struct hc_flow - one TCP or UDP flow with a peer in the Host Cache
 * @node: in &struct hc_net.flows
 * @key: its key
 * @lid: our identifier: the address the socket has
 * @rid: the peer's identifier
 * @rloc: the peer's locator last seen, the preferred destination. Written
 *	without a lock when it changes; a reader that sees it half written
 *	looks up an address that is not the peer's, or another valid one of
 *	the same peer, and hc_pick_dst() checks which
 * @last_used: when a packet of the flow last went through (jiffies)
 * @rcu: for freeing after a grace period
 */
struct hc_flow {
	struct rhash_head node;
	struct hc_flow_key key;
	struct in6_addr lid;
	struct in6_addr rid;
	struct in6_addr rloc;
	unsigned long last_used;
	struct rcu_head rcu;
};

static const struct rhashtable_params hc_flow_params = {
	.key_len = sizeof(struct hc_flow_key),
	.key_offset = offsetof(struct hc_flow, key),
	.head_offset = offsetof(struct hc_flow, node),
	.automatic_shrinking = true,
};

/* The transport checksum of @skb, or NULL for a UDP packet without one. */
static __sum16 *hc_l4_csum(struct sk_buff *skb, u8 proto, unsigned int off)
{
	if (proto == IPPROTO_TCP)
		return &((struct tcphdr *)(skb->data + off))->check;
	if (((struct udphdr *)(skb->data + off))->check ||
	    skb->ip_summed == CHECKSUM_PARTIAL)
		return &((struct udphdr *)(skb->data + off))->check;
	return NULL;
}

/* Put @to in @where, a header address of @skb, fixing the checksum. */
static void hc_set_addr(struct sk_buff *skb, __sum16 *csum, u8 proto,
			struct in6_addr *where, const struct in6_addr *to)
{
	if (csum) {
		inet_proto_csum_replace16(csum, skb, where->s6_addr32,
					  to->s6_addr32, true);
		if (proto == IPPROTO_UDP && !*csum)
			*csum = CSUM_MANGLED_0;
	}
	*where = *to;
}

/* Make @skb's header writable for the rewrite of its addresses and
 * transport checksum; return the IPv6 header, or NULL.
 */
static struct ipv6hdr *hc_writable(struct sk_buff *skb, u8 proto,
				   unsigned int off)
{
	unsigned int len = proto == IPPROTO_TCP ? sizeof(struct tcphdr) :
						  sizeof(struct udphdr);

	if (skb_ensure_writable(skb, off + len))
		return NULL;
	return ipv6_hdr(skb);
}

/* A valid address of @fe to send to: @rloc if it still is one. */
static const struct in6_addr *hc_pick_dst(struct hc_cache *cache,
					  const struct hc_foreign *fe,
					  const struct in6_addr *rloc)
{
	const struct hc_faddr *fa = hc_faddr_lookup(cache, rloc);

	if (fa && fa->entry == fe && fa->state == HOSTCACHE_ADDR_VALID)
		return &fa->addr;
	list_for_each_entry_rcu(fa, &fe->addrs, list)
		if (fa->state == HOSTCACHE_ADDR_VALID &&
		    ipv6_addr_scope(&fa->addr) == ipv6_addr_scope(rloc))
			return &fa->addr;
	return NULL;
}

/* Our oldest address of @dst's scope, for a source we no longer have. */
static const struct in6_addr *hc_pick_src(struct hc_net *hn,
					  const struct in6_addr *dst)
{
	struct hc_local *entry;
	struct hc_laddr *la;

	entry = xa_load(&hn->locals.entries, HOSTCACHE_LOCAL_DEFAULT);
	if (!entry)
		return NULL;
	list_for_each_entry_rcu(la, &entry->addrs, list)
		if (ipv6_addr_scope(&la->addr) == ipv6_addr_scope(dst) &&
		    !ipv6_addr_loopback(&la->addr))
			return &la->addr;
	return NULL;
}

/* The flow of @skb, a TCP or UDP packet with the peer whose address is
 * @peer (the destination outbound, the source inbound). A new one is made
 * only for outbound packets. On success @fa is the peer's address, @off
 * where the transport header starts and @proto its protocol.
 *
 * Context: RCU read lock.
 */
static struct hc_flow *hc_flow_of(struct hc_net *hn, struct sk_buff *skb,
				  bool outbound, struct hc_faddr **fa,
				  unsigned int *off, u8 *proto)
{
	const struct ipv6hdr *ip6h = ipv6_hdr(skb);
	struct hc_flow_key key = {};
	struct hc_flow *flow, *old;
	__be16 ports[2];

	/* Extension headers are not looked behind: AH and ESP stay alone. */
	*proto = ip6h->nexthdr;
	if (*proto != IPPROTO_TCP && *proto != IPPROTO_UDP)
		return NULL;
	*fa = hc_faddr_lookup(&hn->cache, outbound ? &ip6h->daddr :
						       &ip6h->saddr);
	if (!*fa)
		return NULL;	/* the one lookup a packet of no peer costs */
	*off = skb_network_offset(skb) + sizeof(*ip6h);
	if (skb_copy_bits(skb, *off, ports, sizeof(ports)))
		return NULL;
	key.entry = (*fa)->entry->id;
	key.proto = *proto;
	key.lport = ports[!outbound];
	key.rport = ports[outbound];
	flow = rhashtable_lookup(&hn->flows, &key, hc_flow_params);
	if (flow || !outbound)
		goto found;

	flow = kzalloc(sizeof(*flow), GFP_ATOMIC);
	if (!flow)
		return NULL;
	flow->key = key;
	flow->lid = ip6h->saddr;
	flow->rid = ip6h->daddr;
	flow->rloc = ip6h->daddr;
	old = rhashtable_lookup_get_insert_fast(&hn->flows, &flow->node,
						hc_flow_params);
	if (old) {
		kfree(flow);
		flow = IS_ERR(old) ? NULL : old;
	}
found:
	if (flow)
		WRITE_ONCE(flow->last_used, jiffies);
	return flow;
}

static unsigned int hc_out(void *priv, struct sk_buff *skb,
			   const struct nf_hook_state *state)
{
	struct hc_net *hn = hc_net(state->net);
	const struct in6_addr *dst, *src = NULL;
	struct ipv6hdr *ip6h = ipv6_hdr(skb);
	bool changed = false;
	struct hc_flow *flow;
	struct hc_faddr *fa;
	unsigned int off;
	__sum16 *csum;
	u8 proto;

	rcu_read_lock();
	flow = hc_flow_of(hn, skb, true, &fa, &off, &proto);
	if (!flow)
		goto out;
	dst = hc_pick_dst(&hn->cache, fa->entry, &flow->rloc);
	if (!dst)
		goto out;
	if (!hc_local_has(&hn->locals, &ip6h->saddr))
		src = hc_pick_src(hn, dst);
	if (src && ipv6_addr_equal(src, &ip6h->saddr))
		src = NULL;
	if (ipv6_addr_equal(dst, &ip6h->daddr) && !src)
		goto out;
	ip6h = hc_writable(skb, proto, off);
	if (!ip6h)
		goto out;
	csum = hc_l4_csum(skb, proto, off);
	if (!ipv6_addr_equal(dst, &ip6h->daddr))
		hc_set_addr(skb, csum, proto, &ip6h->daddr, dst);
	if (src)
		hc_set_addr(skb, csum, proto, &ip6h->saddr, src);
	changed = true;
out:
	rcu_read_unlock();
	if (changed && ip6_route_me_harder(state->net, state->sk, skb))
		return NF_DROP;
	return NF_ACCEPT;
}

static unsigned int hc_in(void *priv, struct sk_buff *skb,
			  const struct nf_hook_state *state)
{
	struct hc_net *hn = hc_net(state->net);
	struct ipv6hdr *ip6h = ipv6_hdr(skb);
	struct hc_flow *flow;
	struct hc_faddr *fa;
	unsigned int off;
	__sum16 *csum;
	u8 proto;

	rcu_read_lock();
	flow = hc_flow_of(hn, skb, false, &fa, &off, &proto);
	if (!flow)
		goto out;
	/* Draft 1.4: the source last seen is where to send next. */
	if (fa->state == HOSTCACHE_ADDR_VALID &&
	    !ipv6_addr_equal(&flow->rloc, &ip6h->saddr))
		flow->rloc = ip6h->saddr;
	if (ipv6_addr_equal(&flow->rid, &ip6h->saddr) &&
	    ipv6_addr_equal(&flow->lid, &ip6h->daddr))
		goto out;
	ip6h = hc_writable(skb, proto, off);
	if (!ip6h)
		goto out;
	csum = hc_l4_csum(skb, proto, off);
	if (!ipv6_addr_equal(&flow->rid, &ip6h->saddr))
		hc_set_addr(skb, csum, proto, &ip6h->saddr, &flow->rid);
	if (!ipv6_addr_equal(&flow->lid, &ip6h->daddr))
		hc_set_addr(skb, csum, proto, &ip6h->daddr, &flow->lid);
out:
	rcu_read_unlock();
	return NF_ACCEPT;
}

static const struct nf_hook_ops hc_hook_ops[] = {
	{
		.hook = hc_out,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_LOCAL_OUT,
		.priority = NF_IP6_PRI_LAST - 1,
	},
	{
		.hook = hc_in,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_LOCAL_IN,
		.priority = NF_IP6_PRI_FIRST + 1,
	},
};

/**
 * hc_flows_gc() - forget flows idle for DEFAULT-LIFETIME or whose peer's
 *	entry went
 * @hn: the namespace
 * @now: the time (jiffies)
 *
 * Context: process context.
 */
void hc_flows_gc(struct hc_net *hn, unsigned long now)
{
	unsigned long idle = READ_ONCE(hn->params.default_lifetime) *
			     (unsigned long)HZ;
	struct rhashtable_iter iter;
	struct hc_flow *flow;

	rhashtable_walk_enter(&hn->flows, &iter);
	rhashtable_walk_start(&iter);
	while ((flow = rhashtable_walk_next(&iter))) {
		if (IS_ERR(flow))
			continue;	/* -EAGAIN: a resize; go on */
		if (xa_load(&hn->cache.entries, flow->key.entry) &&
		    time_before(now, READ_ONCE(flow->last_used) + idle))
			continue;
		if (!rhashtable_remove_fast(&hn->flows, &flow->node,
					    hc_flow_params))
			kfree_rcu(flow, rcu);
	}
	rhashtable_walk_stop(&iter);
	rhashtable_walk_exit(&iter);
}

static void hc_flow_free(void *ptr, void *arg)
{
	kfree(ptr);
}

int hc_rewrite_init(struct net *net, struct hc_net *hn)
{
	int err;

	err = rhashtable_init(&hn->flows, &hc_flow_params);
	if (err)
		return err;
	err = nf_register_net_hooks(net, hc_hook_ops, ARRAY_SIZE(hc_hook_ops));
	if (err)
		rhashtable_destroy(&hn->flows);
	return err;
}

void hc_rewrite_exit(struct net *net, struct hc_net *hn)
{
	nf_unregister_net_hooks(net, hc_hook_ops, ARRAY_SIZE(hc_hook_ops));
	rhashtable_free_and_destroy(&hn->flows, hc_flow_free, NULL);
}
