// SPDX-License-Identifier: GPL-2.0
/* hostcache: messages that wait for the key daemon.
 *
 * A peer with SAs takes Mobility Header messages only under AH, and xfrm
 * protects a message only to an address the key daemon installed an SA
 * and a policy for. The daemon does so for an address a peer's Binding
 * Update brings in once the address is in the cache, a moment after the
 * update: its acknowledgment, sent at once, would leave without AH and be
 * ignored, and the peer would learn that its new address was accepted
 * only from the address test's exchange, two round trips later. So such
 * an acknowledgment waits here until a policy covers its destination, at
 * most HC_MH_POLICY_WAITS times HC_MH_POLICY_WAIT (then the peer's
 * retransmission asks again).
 *
 * xfrm tells key managers of each policy added (km_policy_notify()); the
 * module registers as one that does nothing else. A new outbound policy
 * in a namespace sends its waiting acknowledgments, and the address tests
 * and updates that wait for a policy (verify.c, announce.c), at once.
 */

#include <linux/slab.h>
#include <net/xfrm.h>

#include "hostcache.h"

/* Acknowledgments waiting at once, per namespace. */
#define HC_KEYWAIT_MAX		64
#define HC_KEYWAIT_TIME		(HC_MH_POLICY_WAIT * HC_MH_POLICY_WAITS)

/**
 * struct hc_waiting_ack - a Binding Acknowledgment waiting for a policy
 * @list: in &struct hc_keywait.acks
 * @saddr: our address it goes from
 * @daddr: the peer's address it goes to
 * @expires: when to give it up (jiffies)
 * @len: bytes in @msg
 * @msg: the message, checksum included
 */
struct hc_waiting_ack {
	struct list_head list;
	struct in6_addr saddr;
	struct in6_addr daddr;
	unsigned long expires;
	unsigned int len;
	u8 msg[];
};

/**
 * hc_keywait_ack() - send a Binding Acknowledgment to a peer with SAs
 * @hn: the namespace
 * @saddr: our address it goes from
 * @daddr: the peer's address it goes to
 * @msg: the message, checksum included
 * @len: its length
 *
 * Context: any; allocates with GFP_ATOMIC.
 * Return: 0 if it was sent, -EINPROGRESS if it waits for the key daemon's
 * policy for @daddr (counted when it goes), or another -errno.
 */
int hc_keywait_ack(struct hc_net *hn, const struct in6_addr *saddr,
		   const struct in6_addr *daddr, const u8 *msg,
		   unsigned int len)
{
	struct hc_keywait *kw = &hn->keywait;
	struct hc_waiting_ack *wa;
	int err;

	err = hc_mh_send(hn->locals.net, saddr, daddr, 0, msg, len, true);
	if (err != -EAGAIN)
		return err;
	wa = kmalloc(struct_size(wa, msg, len), GFP_ATOMIC | __GFP_ACCOUNT);
	if (!wa)
		return -ENOMEM;
	wa->saddr = *saddr;
	wa->daddr = *daddr;
	wa->expires = jiffies + HC_KEYWAIT_TIME;
	wa->len = len;
	memcpy(wa->msg, msg, len);
	spin_lock_bh(&kw->lock);
	if (kw->n_acks == HC_KEYWAIT_MAX) {
		spin_unlock_bh(&kw->lock);
		kfree(wa);
		return -ENOBUFS;
	}
	list_add_tail(&wa->list, &kw->acks);
	kw->n_acks++;
	/* To give it up in time, if no policy comes. */
	queue_delayed_work(system_power_efficient_wq, &kw->work,
			   HC_KEYWAIT_TIME);
	spin_unlock_bh(&kw->lock);
	return -EINPROGRESS;
}

/* Send the waiting acknowledgments that have a policy now; give up those
 * whose wait ran out.
 */
static void hc_keywait_send(struct hc_net *hn, unsigned long now)
{
	struct hc_keywait *kw = &hn->keywait;
	struct hc_waiting_ack *wa, *tmp;
	unsigned long next = now + HC_KEYWAIT_TIME;
	unsigned int done = 0;
	LIST_HEAD(acks);
	int err;

	spin_lock_bh(&kw->lock);
	list_splice_init(&kw->acks, &acks);
	spin_unlock_bh(&kw->lock);
	list_for_each_entry_safe(wa, tmp, &acks, list) {
		err = hc_mh_send(hn->locals.net, &wa->saddr, &wa->daddr, 0,
				 wa->msg, wa->len, true);
		if (err == -EAGAIN && time_before(now, wa->expires)) {
			if (time_before(wa->expires, next))
				next = wa->expires;
			continue;
		}
		atomic64_inc(&hn->mh_stats[err ? HC_MH_STAT_SEND_FAILED :
					   HC_MH_STAT_ACKS_SENT]);
		list_del(&wa->list);
		kfree(wa);
		done++;
	}
	spin_lock_bh(&kw->lock);
	list_splice(&acks, &kw->acks);	/* before those added meanwhile */
	kw->n_acks -= done;
	if (!list_empty(&kw->acks))
		queue_delayed_work(system_power_efficient_wq, &kw->work,
				   next - now);
	spin_unlock_bh(&kw->lock);
}

static void hc_keywait_work(struct work_struct *work)
{
	struct hc_keywait *kw = container_of(to_delayed_work(work),
					     struct hc_keywait, work);
	struct hc_net *hn = container_of(kw, struct hc_net, keywait);

	if (test_and_clear_bit(HC_KEYWAIT_POLICY, &kw->flags)) {
		hc_announce_keyed(hn);
		hc_verify_keyed(hn);
	}
	hc_keywait_send(hn, jiffies);
}

void hc_keywait_init(struct hc_keywait *kw)
{
	spin_lock_init(&kw->lock);
	INIT_LIST_HEAD(&kw->acks);
	INIT_DELAYED_WORK(&kw->work, hc_keywait_work);
}

/**
 * hc_keywait_flush() - forget the waiting acknowledgments
 * @kw: the namespace's; nothing adds new ones any more
 */
void hc_keywait_flush(struct hc_keywait *kw)
{
	struct hc_waiting_ack *wa, *tmp;
	LIST_HEAD(acks);

	cancel_delayed_work_sync(&kw->work);
	spin_lock_bh(&kw->lock);
	list_splice_init(&kw->acks, &acks);
	kw->n_acks = 0;
	clear_bit(HC_KEYWAIT_POLICY, &kw->flags);
	spin_unlock_bh(&kw->lock);
	list_for_each_entry_safe(wa, tmp, &acks, list)
		kfree(wa);
}

/* xfrm added or updated policy @xp: an outbound one may cover a peer's
 * new address. Context: RCU read lock; atomic.
 */
static int hc_keywait_policy(struct xfrm_policy *xp, int dir,
			     const struct km_event *c)
{
	struct hc_keywait *kw;

	if (!xp || dir != XFRM_POLICY_OUT ||
	    (c->event != XFRM_MSG_NEWPOLICY && c->event != XFRM_MSG_UPDPOLICY))
		return 0;
	kw = &hc_net(xp_net(xp))->keywait;
	set_bit(HC_KEYWAIT_POLICY, &kw->flags);
	mod_delayed_work(system_power_efficient_wq, &kw->work, 0);
	return 0;
}

/* xfrm asks every key manager for SAs (km_query()) and to compile socket
 * policies (xfrm_user_policy()) without checking that it can: decline
 * both, leaving the answer to the others.
 */
static int hc_keywait_acquire(struct xfrm_state *x, struct xfrm_tmpl *t,
			      struct xfrm_policy *xp)
{
	return -EINVAL;
}

static struct xfrm_policy *hc_keywait_compile(struct sock *sk, int opt,
					      u8 *data, int len, int *dir)
{
	return NULL;	/* *dir keeps the error of the manager before */
}

static struct xfrm_mgr hc_keywait_mgr = {
	.notify_policy = hc_keywait_policy,
	.acquire = hc_keywait_acquire,
	.compile_policy = hc_keywait_compile,
};

void hc_keywait_module_init(void)
{
	xfrm_register_km(&hc_keywait_mgr);
}

void hc_keywait_module_exit(void)
{
	xfrm_unregister_km(&hc_keywait_mgr);	/* waits for callers */
}
