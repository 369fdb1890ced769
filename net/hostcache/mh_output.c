// SPDX-License-Identifier: GPL-2.0
/* hostcache: sending Mobility Header messages.
 *
 * Each message goes in a packet of its own, through xfrm: the key
 * daemon's policy for a peer's address puts it under AH. A peer with SAs
 * refuses a message without AH, so an acknowledgment to such a peer's new
 * address, which the daemon has no policy for until the update that
 * brings the address is processed, waits in the namespace's outbox until
 * the policy comes, rather than going out bare and being refused.
 */

#include <linux/skbuff.h>
#include <linux/slab.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>

#include "hostcache.h"

/* Acknowledgments waiting at once, per namespace: as many as updates the
 * peers' answer rate lets through in a second, and some.
 */
#define HC_MH_OUTBOX_MAX	32

/**
 * struct hc_mh_later - an acknowledgment that waits for a policy
 * @list: in &struct hc_mh_outbox.msgs
 * @saddr: our address
 * @daddr: the peer's
 * @waits: times it found no policy
 * @len: length of @msg
 * @msg: the message, checksum included
 */
struct hc_mh_later {
	struct list_head list;
	struct in6_addr saddr;
	struct in6_addr daddr;
	unsigned int waits;
	unsigned int len;
	u8 msg[HC_MH_REPLY_MAX];
};

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

/**
 * hc_mh_send_acked() - send an acknowledgment to a peer with SAs, under AH
 * @hn: the namespace
 * @saddr: our address the update came to
 * @daddr: the address it came from
 * @msg: the acknowledgment, checksum included
 * @len: its length, at most HC_MH_REPLY_MAX
 *
 * Without a policy for @daddr yet, the message waits in the outbox for up
 * to HC_MH_POLICY_WAITS tries, HC_MH_POLICY_WAIT apart.
 *
 * Context: softirq or process context.
 */
void hc_mh_send_acked(struct hc_net *hn, const struct in6_addr *saddr,
		      const struct in6_addr *daddr, const u8 *msg,
		      unsigned int len)
{
	struct hc_mh_outbox *ob = &hn->outbox;
	struct hc_mh_later *later;
	int err;

	err = hc_mh_send(hn->locals.net, saddr, daddr, 0, msg, len, true);
	if (err != -EAGAIN)
		goto count;
	err = -ENOBUFS;
	if (WARN_ON_ONCE(len > HC_MH_REPLY_MAX))
		goto count;
	later = kmalloc(sizeof(*later), GFP_ATOMIC | __GFP_ACCOUNT);
	if (!later)
		goto count;
	later->saddr = *saddr;
	later->daddr = *daddr;
	later->waits = 1;
	later->len = len;
	memcpy(later->msg, msg, len);
	spin_lock_bh(&ob->lock);
	if (ob->n < HC_MH_OUTBOX_MAX) {
		list_add_tail(&later->list, &ob->msgs);
		ob->n++;
		queue_delayed_work(system_power_efficient_wq, &ob->work,
				   HC_MH_POLICY_WAIT);
		later = NULL;
	}
	spin_unlock_bh(&ob->lock);
	if (!later)
		return;
	kfree(later);
count:
	atomic64_inc(&hn->mh_stats[err ? HC_MH_STAT_SEND_FAILED :
					 HC_MH_STAT_ACKS_SENT]);
}

static void hc_mh_outbox_work(struct work_struct *work)
{
	struct hc_mh_outbox *ob = container_of(to_delayed_work(work),
					       struct hc_mh_outbox, work);
	struct hc_net *hn = container_of(ob, struct hc_net, outbox);
	struct hc_mh_later *later, *tmp;
	unsigned int left = 0;
	LIST_HEAD(todo);
	int err;

	spin_lock_bh(&ob->lock);
	list_splice_init(&ob->msgs, &todo);
	ob->n = 0;
	spin_unlock_bh(&ob->lock);

	list_for_each_entry_safe(later, tmp, &todo, list) {
		err = hc_mh_send(hn->locals.net, &later->saddr, &later->daddr,
				 0, later->msg, later->len, true);
		if (err == -EAGAIN && later->waits++ < HC_MH_POLICY_WAITS) {
			left++;
			continue;
		}
		atomic64_inc(&hn->mh_stats[err ? HC_MH_STAT_SEND_FAILED :
						 HC_MH_STAT_ACKS_SENT]);
		list_del(&later->list);
		kfree(later);
	}

	/* What still waits goes before what came meanwhile. */
	spin_lock_bh(&ob->lock);
	list_splice(&todo, &ob->msgs);
	ob->n += left;
	if (ob->n)
		queue_delayed_work(system_power_efficient_wq, &ob->work,
				   HC_MH_POLICY_WAIT);
	spin_unlock_bh(&ob->lock);
}

void hc_mh_outbox_init(struct hc_mh_outbox *ob)
{
	spin_lock_init(&ob->lock);
	INIT_LIST_HEAD(&ob->msgs);
	INIT_DELAYED_WORK(&ob->work, hc_mh_outbox_work);
}

/**
 * hc_mh_outbox_destroy() - drop what waits
 * @ob: the namespace's outbox; nothing fills it any more
 */
void hc_mh_outbox_destroy(struct hc_mh_outbox *ob)
{
	struct hc_mh_later *later, *tmp;

	cancel_delayed_work_sync(&ob->work);
	list_for_each_entry_safe(later, tmp, &ob->msgs, list)
		kfree(later);
}
