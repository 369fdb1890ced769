// SPDX-License-Identifier: GPL-2.0
/* hostcache: receiving Mobility Header messages.
 *
 * The module handles IPv6 next header 135 for packets addressed to this
 * host. hc_mh_handle() checks and processes the packet's messages;
 * hc_mh_auth() says what vouches for them: they change the Host Cache
 * only under an entry's AH SA, or with the test switch on. The answers go
 * back from here, and the address tests start from here (verify.c).
 */

#include <linux/icmpv6.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <asm/unaligned.h>
#include <net/addrconf.h>
#include <net/ipv6.h>
#include <net/protocol.h>
#include <net/xfrm.h>

#include "hostcache.h"

static void hc_mh_auth(struct hc_net *hn, const struct sk_buff *skb,
		       struct hc_mh_auth *auth)
{
	auth->entry = hc_sa_entry(hn, skb, &auth->elsewhere);
	auth->open = READ_ONCE(hn->params.accept_unauthenticated);
	if (auth->entry)
		atomic64_inc(&hn->mh_stats[HC_MH_STAT_AUTHENTICATED]);
}

/* Send @reply to the sender of @skb. A Binding Acknowledgment to a peer
 * that sent under its SA (@keyed) goes under AH: it waits for the key
 * daemon's policy if the update brought the address it goes to.
 */
static void hc_mh_reply(struct hc_net *hn, struct sk_buff *skb,
			const struct hc_mh_reply *reply, bool keyed)
{
	const struct ipv6hdr *ip6h = ipv6_hdr(skb);
	u8 type = reply->buf[2];
	int oif = 0;
	int err;

	/* Binding Errors answer unauthenticated packets: keep them rare. */
	if (type == HC_MH_BE && !__ratelimit(&hn->error_ratelimit))
		return;
	if (ipv6_addr_type(&ip6h->saddr) & IPV6_ADDR_LINKLOCAL)
		oif = inet6_iif(skb);
	if (type == HC_MH_BA && keyed && !oif)
		err = hc_keywait_ack(hn, &ip6h->daddr, &ip6h->saddr,
				     reply->buf, reply->len);
	else
		err = hc_mh_send(dev_net(skb->dev), &ip6h->daddr,
				 &ip6h->saddr, oif, reply->buf, reply->len,
				 false);
	if (err == -EINPROGRESS)
		return;		/* counted when it goes */
	if (err)
		atomic64_inc(&hn->mh_stats[HC_MH_STAT_SEND_FAILED]);
	else if (type == HC_MH_BE)
		atomic64_inc(&hn->mh_stats[HC_MH_STAT_ERRORS_SENT]);
	else
		atomic64_inc(&hn->mh_stats[HC_MH_STAT_ACKS_SENT]);
}

/* The entry of the peer that sent a packet: the one its SA names, else
 * the one of @src; 0 if none.
 */
static u32 hc_mh_sender(struct hc_net *hn, const struct hc_mh_auth *auth,
			const struct in6_addr *src)
{
	struct hc_faddr *fa;
	u32 id = auth->entry;

	if (!id) {
		rcu_read_lock();
		fa = hc_faddr_lookup(&hn->cache, src);
		if (fa)
			id = fa->entry->id;
		rcu_read_unlock();
	}
	return id;
}

/* Test the addresses of entry @id that updates brought in, unless they
 * are verified; the tests go from @dst, our address the peer sent to.
 */
static void hc_mh_test_addrs(struct hc_net *hn, u32 id,
			     const struct in6_addr *dst)
{
	struct hc_foreign *fe;
	struct hc_faddr *fa;

	rcu_read_lock();
	fe = xa_load(&hn->cache.entries, id);
	if (fe)
		list_for_each_entry_rcu(fa, &fe->addrs, list)
			hc_verify_start(hn, id, &fa->addr, dst, false);
	rcu_read_unlock();
}

/* How many bytes of @skb its Mobility Header messages take: the codec
 * reads them flat, and nothing that follows them (up to 64 KB) is copied.
 */
static unsigned int hc_mh_extent(const struct sk_buff *skb)
{
	unsigned int off = 0, n;
	u8 buf[2];
	const u8 *h;

	for (n = 0; n < HC_MH_MAX_CHAIN; n++) {
		h = skb_header_pointer(skb, off, sizeof(buf), buf);
		if (!h)
			return skb->len;	/* too short: the codec says so */
		off += (h[1] + 1) * 8;
		if (off >= skb->len || h[0] != IPPROTO_MH)
			break;
	}
	return min(off, skb->len);
}

/* What ip6_protocol_deliver_rcu() does with a protocol it has no handler
 * for: a Parameter Problem that points at the Next Header field. (A raw
 * socket that also took the packet would have stopped it; the module
 * cannot tell.)
 */
static int hc_mh_unknown(struct sk_buff *skb)
{
	struct net *net = dev_net(skb->dev);

	if (xfrm6_policy_check(NULL, XFRM_POLICY_IN, skb)) {
		__IP6_INC_STATS(net, __in6_dev_get_safely(skb->dev),
				IPSTATS_MIB_INUNKNOWNPROTOS);
		icmpv6_send(skb, ICMPV6_PARAMPROB, ICMPV6_UNK_NEXTHDR,
			    IP6CB(skb)->nhoff);
	}
	kfree_skb_reason(skb, SKB_DROP_REASON_IP_NOPROTO);
	return 0;
}

static int hc_mh_rcv(struct sk_buff *skb)
{
	struct hc_net *hn = hc_net(dev_net(skb->dev));
	const struct ipv6hdr *ip6h;
	struct hc_mh_auth auth;
	unsigned int i, len;
	struct hc_mh_rx *rx;
	u32 id;
	int verdict;

	if (!hc_enabled(hn))
		return hc_mh_unknown(skb);
	if (!xfrm6_policy_check(NULL, XFRM_POLICY_IN, skb))
		goto drop_early;
	/* Answers come from the destination: it must be one of our unicast
	 * addresses, not a group.
	 */
	if (ipv6_addr_is_multicast(&ipv6_hdr(skb)->daddr))
		goto drop_early;
	len = hc_mh_extent(skb);
	if (!pskb_may_pull(skb, len))
		goto drop_early;
	rx = kmalloc(sizeof(*rx), GFP_ATOMIC);
	if (!rx)
		goto drop_early;
	ip6h = ipv6_hdr(skb);
	hc_mh_auth(hn, skb, &auth);
	auth.locals = &hn->locals;
	verdict = hc_mh_handle(hn, skb->data, len, &ip6h->saddr,
			       &ip6h->daddr, &auth, jiffies, rx);
	hc_gc_start(hn);	/* an update may have created an entry */
	for (i = 0; i < rx->n_acks; i++)
		if (rx->acks[i].homeless)
			hc_foreign_learn_homeless(&hn->cache, &ip6h->saddr);
	for (i = 0; i < rx->n_echoes; i++)
		hc_verify_answered(hn, auth.entry ?: rx->bound, rx->echoes[i]);
	for (i = 0; i < rx->n_claims; i++)
		hc_verify_start(hn, auth.entry, &rx->claims[i], &ip6h->daddr,
				true);
	if (rx->bound) {
		hc_mh_test_addrs(hn, rx->bound, &ip6h->daddr);
		hc_flows_resume(hn, false);	/* addresses to send to again */
	}
	/* Answers to the peer: echoes of its tests of our addresses, and our
	 * addresses once a homeless peer sent its own (draft 2.1.2).
	 */
	if ((rx->n_tests || rx->bound_homeless) &&
	    __ratelimit(&hn->answer_ratelimit)) {
		id = hc_mh_sender(hn, &auth, &ip6h->saddr);
		if (id && rx->n_tests)
			hc_announce_echo(hn, id, rx->tests, rx->n_tests);
		if (id && rx->bound_homeless)
			hc_announce_answer(hn, id);
	}
	for (i = 0; i < rx->n_acks; i++)
		hc_announce_acked(hn, &ip6h->saddr, &ip6h->daddr, &rx->acks[i]);
	for (i = 0; i < rx->n_replies; i++)
		hc_mh_reply(hn, skb, &rx->replies[i], auth.entry != 0);
	if (rx->param_problem >= 0) {
		icmpv6_send(skb, ICMPV6_PARAMPROB, ICMPV6_HDR_FIELD,
			    skb_network_header_len(skb) + rx->param_problem);
	}
	kfree(rx);
	if (verdict == HC_MH_OK)
		consume_skb(skb);
	else
		kfree_skb(skb);
	return 0;

drop_early:
	/* Counted, though the codec never saw it. */
	atomic64_inc(&hn->mh_stats[HC_MH_STAT_RECEIVED]);
	kfree_skb(skb);
	return 0;
}

/* The home address in the Home Address option of the Destination Options
 * header at @off, if it has one (RFC 6275 6.3).
 */
static bool hc_hao_find(const struct sk_buff *skb, unsigned int off,
			struct in6_addr *home)
{
	unsigned int end, len;
	u8 buf[2];
	const u8 *opt;

	opt = skb_header_pointer(skb, off, sizeof(buf), buf);
	if (!opt)
		return false;
	end = off + (opt[1] + 1) * 8;
	for (off += 2; off < end; off += len) {
		opt = skb_header_pointer(skb, off, sizeof(buf), buf);
		if (!opt)
			return false;
		if (opt[0] == IPV6_TLV_PAD1) {
			len = 1;
			continue;
		}
		len = 2 + opt[1];
		if (opt[0] == IPV6_TLV_HAO)
			return opt[1] == sizeof(*home) && off + len <= end &&
			       !skb_copy_bits(skb, off + 2, home, sizeof(*home));
	}
	return false;
}

/* Whether xfrm holds a binding for @skb's Home Address option, which a
 * Mobile IPv6 daemon installs, as xfrm6_input_addr() looks it up.
 */
static bool hc_hao_bound(struct net *net, const struct sk_buff *skb)
{
	const struct ipv6hdr *ip6h = ipv6_hdr(skb);
	struct xfrm_state *x;

	x = xfrm_state_lookup_byaddr(net, skb->mark,
				     (xfrm_address_t *)&ip6h->daddr,
				     (xfrm_address_t *)&ip6h->saddr,
				     IPPROTO_DSTOPTS, AF_INET6);
	if (!x)
		x = xfrm_state_lookup_byaddr(net, skb->mark,
					     (xfrm_address_t *)&ip6h->daddr,
					     (xfrm_address_t *)&in6addr_any,
					     IPPROTO_DSTOPTS, AF_INET6);
	if (!x)
		return false;
	xfrm_state_put(x);
	return true;
}

/**
 * hc_mh_hao() - answer a standard mobile node's packet with a Home Address
 *	option, as a correspondent without a binding for it
 * @hn: the namespace
 * @skb: a packet to this host
 *
 * A standard mobile node sends from its care-of address, its home address
 * in the option, in a Destination Options header right after the IPv6
 * header (RFC 6275 6.3). This host keeps no such bindings: a
 * homeless peer needs none, and a standard one could only get one by
 * return routability. Unless xfrm holds one, the kernel drops the packet;
 * the sender gets a Binding Error with status 1, unknown binding for Home
 * Address destination option (9.3.1), rate-limited as the others.
 *
 * Context: softirq.
 */
void hc_mh_hao(struct hc_net *hn, struct sk_buff *skb)
{
	const struct ipv6hdr *ip6h = ipv6_hdr(skb);
	struct hc_mh_reply reply;
	struct hc_mh_writer w;
	struct in6_addr home;
	int len;

	/* Answers come from the destination: not from a group. */
	if (ip6h->nexthdr != NEXTHDR_DEST ||
	    ipv6_addr_is_multicast(&ip6h->daddr) ||
	    !hc_hao_find(skb, skb_network_offset(skb) + sizeof(*ip6h), &home) ||
	    hc_hao_bound(dev_net(skb->dev), skb))
		return;
	hc_mh_start(&w, reply.buf, sizeof(reply.buf), HC_MH_BE);
	hc_mh_put_be(&w, HC_BE_UNKNOWN_HAO, &home);
	len = hc_mh_finish(&w, &ip6h->daddr, &ip6h->saddr);
	if (len <= 0)
		return;
	reply.len = len;
	hc_mh_reply(hn, skb, &reply, false);
}

/* An ICMPv6 error quoting a Mobility Header packet this host sent: the
 * quoted IPv6 header at @skb->data, its Mobility Header at @offset. A
 * Parameter Problem that says the Next Header was not recognized is what
 * a host without Mobile IPv6 answers (RFC 8200 4): about one of our
 * Binding Updates, the peer is not homeless (announce.c).
 */
static int hc_mh_err(struct sk_buff *skb, struct inet6_skb_parm *opt,
		     u8 type, u8 code, int offset, __be32 info)
{
	struct hc_net *hn = hc_net(dev_net(skb->dev));
	const struct ipv6hdr *quoted = (const struct ipv6hdr *)skb->data;
	u8 buf[8];
	const u8 *mh;

	if (type != ICMPV6_PARAMPROB || code != ICMPV6_UNK_NEXTHDR ||
	    !hc_enabled(hn))
		return 0;
	mh = skb_header_pointer(skb, offset, sizeof(buf), buf);
	if (mh && mh[2] == HC_MH_BU)
		hc_announce_unknown(hn, &quoted->daddr,
				    get_unaligned_be16(mh + 6));
	return 0;
}

static const struct inet6_protocol hc_mh_protocol = {
	.handler = hc_mh_rcv,
	.err_handler = hc_mh_err,
	.flags = INET6_PROTO_FINAL,
};

int hc_mh_input_init(void)
{
	return inet6_add_protocol(&hc_mh_protocol, IPPROTO_MH);
}

void hc_mh_input_exit(void)
{
	inet6_del_protocol(&hc_mh_protocol, IPPROTO_MH);
}
