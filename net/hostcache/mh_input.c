// SPDX-License-Identifier: GPL-2.0
/* hostcache: receiving Mobility Header messages.
 *
 * The module handles IPv6 next header 135 for packets addressed to this
 * host. Each message is checked by the codec and counted by verdict. A
 * message that passes goes to hc_mh_accept(), which decides whether it may
 * change anything: until AH protection exists, it refuses every Binding
 * Update, as it must refuse an unauthenticated one.
 */

#include <linux/skbuff.h>
#include <linux/slab.h>
#include <net/ipv6.h>
#include <net/protocol.h>
#include <net/xfrm.h>

#include "hostcache.h"

/* Whether @msg may change the Host Cache: only under a valid AH SA tied to
 * the peer's entry, which does not exist yet.
 */
static bool hc_mh_accept(const struct sk_buff *skb, const struct hc_mh_msg *msg)
{
	return false;
}

static void hc_mh_count(struct hc_net *hn, unsigned int counter)
{
	atomic64_inc(&hn->mh_stats[counter]);
}

static int hc_mh_rcv(struct sk_buff *skb)
{
	struct hc_net *hn = hc_net(dev_net(skb->dev));
	const struct ipv6hdr *ip6h;
	struct hc_mh_msg *msg;
	unsigned int len;
	int verdict;

	hc_mh_count(hn, HC_MH_STAT_RECEIVED);
	if (!xfrm6_policy_check(NULL, XFRM_POLICY_IN, skb))
		goto drop;
	/* The codec reads a flat buffer: pull the whole message in. */
	len = skb->len;
	if (len >= 2 && pskb_may_pull(skb, 2))
		len = min(len, (skb->data[1] + 1) * 8U);
	if (!pskb_may_pull(skb, len))
		goto drop;

	msg = kmalloc(sizeof(*msg), GFP_ATOMIC);
	if (!msg)
		goto drop;
	ip6h = ipv6_hdr(skb);
	verdict = hc_mh_parse(skb->data, skb->len, &ip6h->saddr, &ip6h->daddr,
			      msg);
	hc_mh_count(hn, verdict);
	if (verdict == HC_MH_OK && !hc_mh_accept(skb, msg))
		hc_mh_count(hn, HC_MH_STAT_UNAUTHENTICATED);
	kfree(msg);
	if (verdict == HC_MH_OK) {
		consume_skb(skb);
		return 0;
	}
drop:
	kfree_skb(skb);
	return 0;
}

static const struct inet6_protocol hc_mh_protocol = {
	.handler = hc_mh_rcv,
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
