// SPDX-License-Identifier: GPL-2.0
/* hostcache: sending Mobility Header messages.
 */

#include <linux/skbuff.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>

#include "hostcache.h"

/**
 * hc_mh_send() - send one Mobility Header message in its own packet
 * @net: the namespace
 * @saddr: source address, one of this host's
 * @daddr: destination address
 * @oif: the interface for a link-local destination, or 0
 * @msg: the message, checksum included (hc_mh_finish())
 * @len: its length
 * @protect: the peer has SAs: the message goes under AH or not at all
 *
 * The route lookup goes through xfrm, so a policy that protects Mobility
 * Header traffic with AH applies to what is sent here. A peer's new
 * address gets its policy from the key daemon a moment after the address
 * enters the cache; a message sent before would go unprotected, and the
 * peer would drop it.
 *
 * Context: any; allocates with GFP_ATOMIC.
 * Return: 0, -EAGAIN if @protect and no policy protects @daddr yet, or
 * another -errno if the message was not sent.
 */
int hc_mh_send(struct net *net, const struct in6_addr *saddr,
	       const struct in6_addr *daddr, int oif, const u8 *msg,
	       unsigned int len, bool protect)
{
	struct flowi6 fl6 = {
		.flowi6_oif = oif,
		.flowi6_proto = IPPROTO_MH,
		.daddr = *daddr,
		.saddr = *saddr,
	};
	struct dst_entry *dst;
	struct ipv6hdr *ip6h;
	struct sk_buff *skb;
	unsigned int head;
	int err;

	fl6.fl6_mh_type = msg[2];
	dst = ip6_dst_lookup_flow(net, NULL, &fl6, NULL);
	if (IS_ERR(dst))
		return PTR_ERR(dst);
	if (protect && !dst->xfrm) {
		dst_release(dst);
		return -EAGAIN;
	}
	head = LL_RESERVED_SPACE(dst->dev) + dst->header_len + sizeof(*ip6h);
	skb = alloc_skb(head + len + dst->trailer_len +
			dst->dev->needed_tailroom, GFP_ATOMIC);
	if (!skb) {
		dst_release(dst);
		return -ENOMEM;
	}
	skb_reserve(skb, head);
	skb_put_data(skb, msg, len);
	skb_reset_transport_header(skb);	/* AH's output reads it */
	skb_push(skb, sizeof(*ip6h));
	skb_reset_network_header(skb);
	ip6h = ipv6_hdr(skb);
	ip6_flow_hdr(ip6h, 0, 0);
	ip6h->nexthdr = IPPROTO_MH;
	ip6h->hop_limit = ip6_dst_hoplimit(dst);
	ip6h->saddr = *saddr;
	ip6h->daddr = *daddr;
	skb->protocol = htons(ETH_P_IPV6);
	skb->dev = dst->dev;
	skb_dst_set(skb, dst);
	/* net_xmit_eval() evaluates its argument twice. */
	err = ip6_local_out(net, NULL, skb);
	return net_xmit_eval(err);
}
