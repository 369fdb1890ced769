// SPDX-License-Identifier: GPL-2.0
/* hostcache: telling homeless peers about this host's addresses.
 *
 * When a local address comes or goes (draft 2.1.2, 2.1.3), every peer
 * known to be homeless that this host talks to (it has a flow with the
 * peer, busy or idle: rewrite.c) gets a Binding Update that lists
 * this host's current addresses of the peer's scope, one BID each, with
 * the O flag: the peer's bindings become exactly that list, so an
 * address lost is removed and one gained is added, by one message. (A
 * peer that prohibits bulk registration, or does not know BIDs, gets one
 * address instead: hc_announce_acked().) A
 * peer's update is sent again, with exponential back-off (RFC 6275 11.8:
 * from 1 to 32 seconds, then every 32 seconds), until a Binding
 * Acknowledgment comes, for as long as this host talks to the peer (6
 * times to one it does not talk to); an acknowledged one is refreshed
 * while this host talks to the peer. From its third send on, an update
 * goes to each of the peer's addresses in turn, expired ones too
 * (hc_announce_dst()). Every update sent, a retransmission too, carries a
 * new sequence number (RFC 6275 11.7.1); an acknowledgment of any send of
 * the current list counts.
 *
 * The first update to a peer (draft 2.1.2's Initial Binding Update) goes
 * when a connection this host opened completes its handshake, or when a
 * homeless peer's own first update arrives. It carries Homeless Support:
 * a peer that answers with it is homeless (draft 3.1); one that does not
 * answer within HC_ANNOUNCE_ASK_TRIES, or answers with an ICMPv6
 * Parameter Problem (hc_announce_unknown()), is ordinary: the cache
 * remembers it for ordinary-hold, and no update goes to it meanwhile.
 *
 * One record per peer, in a list under a BH-safe lock: Binding
 * Acknowledgments arrive in softirq context. A delayed work builds and
 * sends the updates in process context.
 */

#include <linux/bitops.h>
#include <linux/jhash.h>
#include <linux/jiffies.h>
#include <linux/slab.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>

#include "hostcache.h"

#define HC_ANNOUNCE_TIMEOUT	HZ	/* INITIAL_BINDACK_TIMEOUT */
#define HC_ANNOUNCE_TIMEOUT_MAX	(32 * HZ)	/* MAX_BINDACK_TIMEOUT */
#define HC_ANNOUNCE_ASK_TRIES	2	/* for a peer not known homeless */
#define HC_ANNOUNCE_IDLE_TRIES	6	/* for a peer this host does not talk to */
#define HC_ANNOUNCE_SEARCH	2	/* sends before retries look elsewhere */
/* An update with HC_MH_MAX_BIDS addresses: BID options of 22 bytes at
 * 8n + 2, after the header and Homeless Support; and Address Test echoes
 * of 11 bytes at 8n + 5.
 */
#define HC_ANNOUNCE_MAX_LEN	(16 + 24 * HC_MH_MAX_BIDS + 18 * HC_MH_MAX_TESTS)
#define HC_ANNOUNCE_CHANGED	0	/* bit in &struct hc_announce.flags */

/* What an update to a peer looks like: the peer's answers narrow it. */
enum hc_update_form {
	HC_FORM_BULK,	/* every address, a BID each, O flag */
	HC_FORM_SINGLE,	/* one address and its BID: bulk prohibited (168) */
	HC_FORM_PLAIN,	/* one address, no BID: the peer knows none */
};

/**
 * struct hc_peer_update - the Binding Update state of one homeless peer
 * @list: in &struct hc_announce.peers
 * @id: the peer's foreign entry
 * @seq: sequence number of the update last sent
 * @first: sequence number of the first send of the current update
 * @changed: the update changed since it was last sent (a new list of
 *	addresses, a refresh, echoes, a renumbering): the next send starts it
 * @acked: the peer acknowledged it
 * @refused: the peer refused it: given up until the addresses change
 * @tries: sends of it so far
 * @waits: times a send of it waited for the key daemon's policy
 * @keywait: its last send waits for that policy
 * @timeout: how long to wait for the acknowledgment
 * @due: when to send next: a retry, or a refresh once acknowledged
 * @known: our address the peer last acknowledged an update to; the next
 *	update goes from it while it is ours, so the peer finds our entry
 * @has_known: @known is set
 * @asking: the peer is not known to be homeless: this update asks
 * @form: the &enum hc_update_form the peer's answers allow
 * @n_echoes: number of @echoes
 * @echoes: nonces of the peer's Address Tests, echoed in every update
 *	until one is acknowledged
 * @n_bids: number of @bids
 * @bids: the addresses the update lists, fixed when a send is due: an
 *	acknowledgment of it makes them the ones the peer accepted
 */
struct hc_peer_update {
	struct list_head list;
	u32 id;
	u16 seq;
	u16 first;
	bool changed;
	bool acked;
	bool refused;
	unsigned int tries;
	unsigned int waits;
	bool keywait;
	unsigned long timeout;
	unsigned long due;
	struct in6_addr known;
	bool has_known;
	bool asking;
	u8 form;
	unsigned int n_echoes;
	u64 echoes[HC_MH_MAX_TESTS];
	unsigned int n_bids;
	struct hc_mh_bid bids[HC_MH_MAX_BIDS];
};

/* Whether @seq is one of @first ... @last, modulo 2^16. */
static bool hc_seq_between(u16 seq, u16 first, u16 last)
{
	return (u16)(seq - first) <= (u16)(last - first);
}

/* A stable BID for a local address: a hash of it, never 0. */
static u16 hc_announce_bid(const struct in6_addr *addr)
{
	u16 bid = jhash(addr, sizeof(*addr), 0);

	return bid ?: 1;
}

static bool hc_bid_taken(const struct hc_mh_bid *bids, unsigned int n,
			 u16 bid)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (bids[i].bid == bid)
			return true;
	return false;
}

/* Fill @bids with the global addresses of the default local entry that
 * are at least @least fit; return how many. (Updates go to a peer's
 * global address: hc_announce_dst().)
 */
static unsigned int hc_announce_addrs(struct hc_net *hn,
				      enum hc_addr_fit least,
				      struct hc_mh_bid *bids)
{
	struct hc_local *entry;
	struct hc_laddr *la;
	unsigned int n = 0;
	u16 bid;

	rcu_read_lock();
	entry = xa_load(&hn->locals.entries, HOSTCACHE_LOCAL_DEFAULT);
	if (!entry)
		goto out;
	list_for_each_entry_rcu(la, &entry->addrs, list) {
		if (n == HC_MH_MAX_BIDS)
			break;
		if (ipv6_addr_scope(&la->addr) || ipv6_addr_loopback(&la->addr) ||
		    hc_addr_fit(hn->locals.net, &la->addr) < least)
			continue;
		/* Two addresses of one hash would make a malformed update. */
		bid = hc_announce_bid(&la->addr);
		while (hc_bid_taken(bids, n, bid))
			bid = (u16)(bid + 1) ?: 1;
		bids[n].bid = bid;
		bids[n].coa_len = 16;
		bids[n].coa = la->addr;
		n++;
	}
out:
	rcu_read_unlock();
	return n;
}

/* Fix the list of addresses @pu's next send carries: the preferred global
 * addresses of the default local entry, or the deprecated ones if there is
 * none; only the first of them to a peer that takes one at a time. A list
 * unlike the last one makes a new update: an acknowledgment of an earlier
 * send does not accept it.
 */
static noinline_for_stack void hc_announce_list(struct hc_net *hn,
						struct hc_peer_update *pu)
{
	struct hc_mh_bid bids[HC_MH_MAX_BIDS] = {};
	unsigned int n;

	n = hc_announce_addrs(hn, HC_ADDR_PREFERRED, bids);
	if (!n)
		n = hc_announce_addrs(hn, HC_ADDR_DEPRECATED, bids);
	if (pu->form != HC_FORM_BULK)
		n = min(n, 1U);
	if (n != pu->n_bids || memcmp(bids, pu->bids, n * sizeof(bids[0])))
		pu->changed = true;
	memcpy(pu->bids, bids, sizeof(bids));
	pu->n_bids = n;
}

/* Build @pu's update for a peer at @dst, from @src, into @buf. Return its
 * length, or 0 if there is no address to announce.
 */
static int hc_announce_build(struct hc_net *hn, u8 *buf, unsigned int size,
			     const struct hc_peer_update *pu,
			     const struct in6_addr *src,
			     const struct in6_addr *dst)
{
	bool plain = pu->form == HC_FORM_PLAIN;
	struct hc_mh_writer w;
	unsigned int i;

	if (!pu->n_bids)
		return 0;
	hc_mh_start(&w, buf, size, HC_MH_BU);
	/* RFC 5648-11 4.2: O means something only with BIDs. */
	hc_mh_put_bu(&w, pu->seq, HC_BU_A | (plain ? 0 : HC_BU_O),
		     READ_ONCE(hn->params.binding_lifetime) / 4);
	hc_mh_put_homeless(&w);
	if (plain)	/* the care-of address, whatever the source */
		hc_mh_put_altcoa(&w, &pu->bids[0].coa);
	else
		for (i = 0; i < pu->n_bids; i++)
			hc_mh_put_bid(&w, &pu->bids[i]);
	for (i = 0; i < pu->n_echoes; i++)
		hc_mh_put_addr_test(&w, pu->echoes[i]);
	return max(hc_mh_finish(&w, src, dst), 0);
}

/* Where the update of @pu goes: the peer's first valid global address.
 * Once HC_ANNOUNCE_SEARCH sends went unanswered, each retry goes to the
 * next of the peer's global addresses in turn, the expired ones too: when
 * both hosts moved at once, each sent its update to an address the other
 * had left, and neither would hear of the other again. The peer may be
 * back at an address it had (a network it returned to); the update is
 * under AH there too (the key daemon keeps an SA for each address of the
 * entry).
 */
static bool hc_announce_dst(struct hc_net *hn, const struct hc_peer_update *pu,
			    struct in6_addr *dst)
{
	unsigned int turn = 0, n = 0;
	struct hc_foreign *fe;
	struct hc_faddr *fa;
	bool found = false;

	rcu_read_lock();
	fe = xa_load(&hn->cache.entries, pu->id);
	if (!fe)
		goto out;
	if (pu->tries > HC_ANNOUNCE_SEARCH) {
		list_for_each_entry_rcu(fa, &fe->addrs, list)
			n += !ipv6_addr_scope(&fa->addr);
		turn = n ? (pu->tries - HC_ANNOUNCE_SEARCH - 1) % n + 1 : 0;
	}
	list_for_each_entry_rcu(fa, &fe->addrs, list) {
		if (ipv6_addr_scope(&fa->addr) ||
		    (!turn && READ_ONCE(fa->state) != HOSTCACHE_ADDR_VALID) ||
		    (turn && --turn))
			continue;
		*dst = fa->addr;
		found = true;
		break;
	}
out:
	rcu_read_unlock();
	return found;
}

/* The source of an update to @dst: @known if that is still one of our
 * addresses, deprecated or not, else our oldest of @dst's scope, preferred
 * if we have one. The peer finds our entry by it, so it should be one the
 * peer already has: when an address is added, the old ones are still
 * there (make before break); when one goes, the peer acknowledged the
 * others before.
 */
static bool hc_announce_source(struct hc_net *hn,
			       const struct in6_addr *known,
			       const struct in6_addr *dst,
			       struct in6_addr *src)
{
	const struct in6_addr *best;

	if (known && hc_addr_fit(hn->locals.net, known) != HC_ADDR_UNFIT) {
		*src = *known;
		return true;
	}
	rcu_read_lock();
	best = hc_addr_best(hn, dst, HC_ADDR_UNFIT);
	if (best)
		*src = *best;
	rcu_read_unlock();
	return best;
}

/* Send the peer of @pu, a copy of its record, its update. Return 0, or
 * -EAGAIN if it waits for the key daemon's policy, or another -errno.
 * A peer with SAs refuses an update without AH: none goes to it, however
 * long the policy takes; the back-off sends it again.
 */
static int hc_announce_send(struct hc_net *hn,
			    const struct hc_peer_update *pu)
{
	bool protect = hc_foreign_keyed(&hn->cache, pu->id);
	struct in6_addr src, dst;
	int len, err = -EHOSTUNREACH;
	u8 *buf;

	if (!hc_announce_dst(hn, pu, &dst) ||
	    !hc_announce_source(hn, pu->has_known ? &pu->known : NULL, &dst,
				&src))
		goto failed;
	err = -ENOMEM;
	buf = kmalloc(HC_ANNOUNCE_MAX_LEN, GFP_KERNEL);
	if (!buf)
		goto failed;
	len = hc_announce_build(hn, buf, HC_ANNOUNCE_MAX_LEN, pu, &src, &dst);
	err = len ? hc_mh_send(hn->locals.net, &src, &dst, 0, buf, len,
			       protect) : -EINVAL;
	kfree(buf);
	if (err == -EAGAIN && pu->waits < HC_MH_POLICY_WAITS)
		return err;
	if (err)
		goto failed;
	atomic64_inc(&hn->mh_stats[HC_MH_STAT_BU_SENT]);
	atomic64_add(pu->n_echoes, &hn->mh_stats[HC_STAT_ECHOES]);
	return 0;
failed:
	atomic64_inc(&hn->mh_stats[HC_MH_STAT_SEND_FAILED]);
	return err;
}

/* The update @sent waits for the key daemon's policy for its destination
 * (a peer's address just bound): take its send back, and send it again
 * shortly.
 */
static void hc_announce_wait(struct hc_announce *an,
			     const struct hc_peer_update *sent,
			     unsigned long *next)
{
	struct hc_net *hn = container_of(an, struct hc_net, announce);
	struct hc_peer_update *pu;

	spin_lock_bh(&an->lock);
	list_for_each_entry(pu, &an->peers, list) {
		if (pu->id != sent->id || pu->seq != sent->seq)
			continue;
		pu->waits++;
		pu->keywait = true;
		if (--pu->tries)	/* it was counted as a retry */
			atomic64_dec(&hn->mh_stats[HC_MH_STAT_BU_RETRIED]);
		pu->timeout = max(pu->timeout / 2, HC_ANNOUNCE_TIMEOUT);
		pu->due = jiffies + HC_MH_POLICY_WAIT;
		if (time_before(pu->due, *next))
			*next = pu->due;
		break;
	}
	spin_unlock_bh(&an->lock);
}

/* Whether this host talks to @fe: it has a flow with the peer, busy or
 * idle (rewrite.c keeps an idle one while its socket exists), or one of
 * the peer's addresses was used or added within DEFAULT-LIFETIME.
 * Context: RCU read lock.
 */
static bool hc_announce_talks(struct hc_net *hn, struct hc_foreign *fe,
			      unsigned long now)
{
	unsigned long idle = READ_ONCE(hn->params.default_lifetime) *
			     (unsigned long)HZ;
	struct hc_faddr *fa;

	if (atomic_read(&fe->n_flows))
		return true;
	list_for_each_entry_rcu(fa, &fe->addrs, list)
		if (time_before(now, READ_ONCE(fa->last_used) + idle))
			return true;
	return false;
}

/* A new update, due now, for every homeless peer this host talks to. */
static void hc_announce_collect(struct hc_net *hn, unsigned long now)
{
	struct hc_announce *an = &hn->announce;
	struct hc_peer_update *pu, *fresh;
	struct hc_foreign *fe;
	unsigned long id;
	bool wanted;

	for (id = 0; ; id++) {
		rcu_read_lock();
		fe = xa_find(&hn->cache.entries, &id, ULONG_MAX, XA_PRESENT);
		wanted = fe && READ_ONCE(fe->flags) & HOSTCACHE_FOREIGN_F_HOMELESS &&
			 hc_announce_talks(hn, fe, now);
		rcu_read_unlock();
		if (!fe)
			break;
		if (!wanted)
			continue;
		fresh = kzalloc(sizeof(*fresh), GFP_KERNEL);
		spin_lock_bh(&an->lock);
		list_for_each_entry(pu, &an->peers, list)
			if (pu->id == id)
				break;
		if (list_entry_is_head(pu, &an->peers, list)) {
			pu = fresh;
			fresh = NULL;
			if (pu) {
				pu->id = id;
				pu->seq = get_random_u16();
				list_add_tail(&pu->list, &an->peers);
			}
		}
		if (pu) {
			/* A new list of addresses: a new update. */
			pu->changed = true;
			pu->acked = false;
			pu->refused = false;
			pu->tries = 0;
			pu->waits = 0;
			pu->timeout = HC_ANNOUNCE_TIMEOUT;
			pu->due = now;
		}
		spin_unlock_bh(&an->lock);
		kfree(fresh);
		cond_resched();
	}
}

/* Whether the record @pu is done with: its peer went, is known to be
 * ordinary, or is neither homeless nor being asked; or, once its next
 * send is due, the peer refused it or did not answer being asked (it is
 * ordinary then); or this host no longer talks to the peer and the update
 * was acknowledged or sent its number of tries. Counts a peer given up.
 * Context: RCU read lock.
 */
static bool hc_announce_over(struct hc_net *hn, struct hc_peer_update *pu,
			     unsigned long now)
{
	struct hc_foreign *fe = xa_load(&hn->cache.entries, pu->id);

	if (!fe || hc_foreign_ordinary(&hn->cache, fe))
		return true;
	if (READ_ONCE(fe->flags) & HOSTCACHE_FOREIGN_F_HOMELESS)
		pu->asking = false;	/* it answered as homeless */
	else if (!pu->asking)
		return true;
	if (time_before(now, pu->due))
		return false;
	if (pu->asking && pu->tries >= HC_ANNOUNCE_ASK_TRIES) {
		/* No answer: an ordinary peer, left alone for a while. */
		hc_foreign_note_ordinary(&hn->cache, fe);
		atomic64_inc(&hn->mh_stats[HC_STAT_ORDINARY]);
		goto given_up;
	}
	if (pu->refused)
		goto given_up;
	if (hc_announce_talks(hn, fe, now))
		return false;
	if (pu->acked)
		return true;
	/* An update to a peer this host does not talk to (an answer to
	 * the peer's own) is sent its number of tries.
	 */
	if (pu->tries < HC_ANNOUNCE_IDLE_TRIES)
		return false;
given_up:
	atomic64_inc(&hn->mh_stats[HC_MH_STAT_BU_GIVEN_UP]);
	return true;
}

static void hc_announce_work(struct work_struct *work)
{
	struct hc_announce *an = container_of(to_delayed_work(work),
					      struct hc_announce, work);
	struct hc_net *hn = container_of(an, struct hc_net, announce);
	unsigned long now = jiffies, next = now + HC_ANNOUNCE_TIMEOUT_MAX;
	struct hc_peer_update *pu, *tmp, send;
	u32 id;

	if (test_and_clear_bit(HC_ANNOUNCE_CHANGED, &an->flags))
		hc_announce_collect(hn, now);

	/* Send one due update at a time, outside the lock. */
	for (;;) {
		id = 0;
		spin_lock_bh(&an->lock);
		rcu_read_lock();
		list_for_each_entry_safe(pu, tmp, &an->peers, list) {
			if (hc_announce_over(hn, pu, now)) {
				list_del(&pu->list);
				kfree(pu);
				continue;
			}
			if (time_before(now, pu->due)) {
				if (time_before(pu->due, next))
					next = pu->due;
				continue;
			}
			if (pu->acked) {	/* refresh */
				pu->changed = true;
				pu->acked = false;
				pu->tries = 0;
				pu->waits = 0;
				pu->timeout = HC_ANNOUNCE_TIMEOUT;
			} else if (pu->tries) {
				atomic64_inc(&hn->mh_stats[HC_MH_STAT_BU_RETRIED]);
			}
			hc_announce_list(hn, pu);
			pu->seq++;
			if (pu->changed) {
				pu->first = pu->seq;
				pu->changed = false;
			}
			pu->tries++;
			pu->keywait = false;
			pu->due = now + pu->timeout;
			pu->timeout = min(2 * pu->timeout, HC_ANNOUNCE_TIMEOUT_MAX);
			if (time_before(pu->due, next))
				next = pu->due;
			id = pu->id;
			send = *pu;
			/* The others' turn first next time round. */
			list_move_tail(&pu->list, &an->peers);
			break;
		}
		rcu_read_unlock();
		spin_unlock_bh(&an->lock);
		if (!id)
			break;
		if (hc_announce_send(hn, &send) == -EAGAIN)
			hc_announce_wait(an, &send, &next);
		cond_resched();
	}
	/* A run queued meanwhile (an address event, a 135) comes sooner. */
	spin_lock_bh(&an->lock);
	if (!list_empty(&an->peers))
		queue_delayed_work(system_power_efficient_wq, &an->work,
				   next - now);
	spin_unlock_bh(&an->lock);
}

/**
 * hc_announce_changed() - this host's addresses changed: tell the peers
 * @hn: the namespace
 *
 * Context: any (the inet6addr notifier is atomic).
 */
void hc_announce_changed(struct hc_net *hn)
{
	if (!hc_enabled(hn))
		return;
	set_bit(HC_ANNOUNCE_CHANGED, &hn->announce.flags);
	/* At once: a flow may already send from the new address. Events
	 * that come while the work is pending share its run.
	 */
	mod_delayed_work(system_power_efficient_wq, &hn->announce.work, 0);
}

/**
 * hc_announce_keyed() - an outbound policy was added: the updates that
 *	wait for the key daemon's policy go now
 * @hn: the namespace
 *
 * Context: process context.
 */
void hc_announce_keyed(struct hc_net *hn)
{
	struct hc_announce *an = &hn->announce;
	struct hc_peer_update *pu;
	bool kick = false;

	spin_lock_bh(&an->lock);
	list_for_each_entry(pu, &an->peers, list) {
		if (pu->keywait) {
			pu->due = jiffies;
			kick = true;
		}
	}
	spin_unlock_bh(&an->lock);
	if (kick)
		mod_delayed_work(system_power_efficient_wq, &an->work, 0);
}

/* Add a record, due now, for peer @id, unless it has one; one that waits
 * for its acknowledgment is sent again now if @hurry. Return -ENOMEM if
 * a record was needed and there was no memory for it.
 */
static int hc_announce_add(struct hc_net *hn, u32 id, bool asking,
			   bool hurry)
{
	struct hc_announce *an = &hn->announce;
	struct hc_peer_update *pu, *fresh;
	bool kick = false;
	int err = 0;

	fresh = kzalloc(sizeof(*fresh), GFP_ATOMIC);
	spin_lock_bh(&an->lock);
	list_for_each_entry(pu, &an->peers, list)
		if (pu->id == id)
			break;
	if (!list_entry_is_head(pu, &an->peers, list)) {
		if (hurry && !pu->acked) {
			pu->due = jiffies;
			kick = true;
		}
	} else if (fresh) {
		fresh->id = id;
		fresh->seq = get_random_u16();
		fresh->changed = true;
		fresh->timeout = HC_ANNOUNCE_TIMEOUT;
		fresh->due = jiffies;
		fresh->asking = asking;
		list_add_tail(&fresh->list, &an->peers);
		fresh = NULL;
		kick = true;
	} else {
		err = -ENOMEM;
	}
	spin_unlock_bh(&an->lock);
	kfree(fresh);
	if (kick)
		mod_delayed_work(system_power_efficient_wq, &an->work, 0);
	return err;
}

/**
 * hc_announce_peer() - send the first Binding Update to the peer of
 *	entry @id, once in the entry's life
 * @hn: the namespace
 * @id: the peer's foreign entry
 *
 * Draft 2.1.2: the initiator of a connection sends its Initial Binding
 * Update once the peer answered. A peer not known to be homeless is asked
 * HC_ANNOUNCE_ASK_TRIES times at most.
 *
 * Context: any but hard interrupt.
 */
void hc_announce_peer(struct hc_net *hn, u32 id)
{
	struct hc_foreign *fe;
	bool asking;

	rcu_read_lock();
	fe = xa_load(&hn->cache.entries, id);
	if (!fe || test_and_set_bit(HC_ASKED_PEER, &fe->asked)) {
		rcu_read_unlock();
		return;
	}
	asking = !(READ_ONCE(fe->flags) & HOSTCACHE_FOREIGN_F_HOMELESS);
	if (hc_announce_add(hn, id, asking, false))
		clear_bit(HC_ASKED_PEER, &fe->asked);	/* the next trigger tries again */
	rcu_read_unlock();
}

/**
 * hc_announce_answer() - a homeless peer's update was accepted: send it
 *	ours
 * @hn: the namespace
 * @id: the peer's foreign entry
 *
 * Draft 2.1.2: a homeless peer's first update makes this host send its
 * own, so that each learns all the other's addresses. An update of ours
 * still unacknowledged (the peer may have refused it before it could
 * verify it) is sent again at once; one given up is started again.
 *
 * Context: any but hard interrupt.
 */
void hc_announce_answer(struct hc_net *hn, u32 id)
{
	struct hc_foreign *fe;

	rcu_read_lock();
	fe = xa_load(&hn->cache.entries, id);
	if (fe) {
		set_bit(HC_ASKED_PEER, &fe->asked);
		hc_announce_add(hn, id, false, true);
	}
	rcu_read_unlock();
}

/**
 * hc_announce_echo() - a peer tests one of our addresses: send it an
 *	update that echoes the test's nonces, at once
 * @hn: the namespace
 * @id: the peer's foreign entry
 * @nonces: the nonces
 * @n: how many, at most %HC_MH_MAX_TESTS
 *
 * Only a peer that has a record is answered: one that this host sent
 * updates to, whose addresses the peer may be testing. The newest
 * %HC_MH_MAX_TESTS nonces are kept.
 *
 * Context: softirq.
 */
void hc_announce_echo(struct hc_net *hn, u32 id, const u64 *nonces,
		      unsigned int n)
{
	struct hc_announce *an = &hn->announce;
	struct hc_peer_update *pu;
	bool kick = false;
	unsigned int i;

	spin_lock_bh(&an->lock);
	list_for_each_entry(pu, &an->peers, list) {
		if (pu->id != id)
			continue;
		for (i = 0; i < n; i++) {
			if (pu->n_echoes == HC_MH_MAX_TESTS) {
				memmove(pu->echoes, pu->echoes + 1,
					sizeof(pu->echoes) - sizeof(u64));
				pu->n_echoes--;
			}
			pu->echoes[pu->n_echoes++] = nonces[i];
		}
		/* Due now: a refresh if it was acknowledged, else a retry; an
		 * acknowledgment of an earlier send does not cover them.
		 */
		pu->changed = true;
		pu->due = jiffies;
		kick = true;
		break;
	}
	spin_unlock_bh(&an->lock);
	if (kick)
		mod_delayed_work(system_power_efficient_wq, &an->work, 0);
}

/* Whether the accepted set @acc lists the addresses @addrs, in order. */
static bool hc_accepted_same(const struct hc_accepted *acc,
			     const struct in6_addr *addrs, unsigned int n)
{
	return acc && acc->n == n &&
	       !memcmp(acc->addrs, addrs, n * sizeof(*addrs));
}

/* Which addresses of @pu the acknowledgment @ack accepted, as bits: all
 * or none by its status, unless it gives a BID a status of its own (RFC
 * 5648 4.3: 0 there defers to the BA's, as does NOTCOMPLETE's partial
 * success). A BID it does not copy was not registered.
 */
static unsigned long hc_ack_accepted(const struct hc_peer_update *pu,
				     const struct hc_mh_ack *ack)
{
	unsigned long accepted = 0;
	unsigned int i, j;
	u8 status;

	if (pu->form == HC_FORM_PLAIN)
		return ack->status < HC_BA_UNSPECIFIED ? BIT(0) : 0;
	for (i = 0; i < pu->n_bids; i++) {
		for (j = 0; j < ack->n_bids; j++)
			if (ack->bids[j] == pu->bids[i].bid)
				break;
		if (j == ack->n_bids)
			continue;
		status = ack->bid_status[j] ?: ack->status;
		if (status < HC_BA_UNSPECIFIED)
			accepted |= BIT(i);
	}
	return accepted;
}

/* The peer of @fe acknowledged @pu: its addresses in @accepted (bits) are
 * the ones the peer accepted. Without memory for them, none are: packets
 * wait (rewrite.c) rather than leave from an address the peer may not
 * have. A set unlike the last one lets the connections with the peer that
 * wait go on.
 */
static void hc_announce_accept(struct hc_announce *an, struct hc_foreign *fe,
			       const struct hc_peer_update *pu,
			       unsigned long accepted)
{
	struct hc_accepted *acc, *old;
	unsigned int i, n = 0;
	bool same = false;

	old = rcu_dereference_protected(fe->accepted,
					lockdep_is_held(&an->lock));
	acc = kmalloc(struct_size(acc, addrs, hweight_long(accepted)),
		      GFP_ATOMIC);
	if (acc) {
		for (i = 0; i < pu->n_bids; i++)
			if (accepted & BIT(i))
				acc->addrs[n++] = pu->bids[i].coa;
		acc->n = n;
		same = hc_accepted_same(old, acc->addrs, acc->n);
		acc->since = same ? old->since : jiffies;
	}
	rcu_assign_pointer(fe->accepted, acc);
	if (old)
		kfree_rcu(old, rcu);
	if (acc)
		hc_flows_resume(container_of(an, struct hc_net, announce),
				!same);
}

/**
 * hc_accepted_source() - our fittest address that a peer accepted
 * @hn: the namespace
 * @fe: the peer's entry
 * @than: the address must be fitter than this
 *
 * Context: RCU read lock, which the answer is valid under.
 * Return: an address the peer acknowledged in our last update it
 * acknowledged, fitter than @than and the fittest of them, or NULL.
 */
const struct in6_addr *hc_accepted_source(struct hc_net *hn,
					  const struct hc_foreign *fe,
					  enum hc_addr_fit than)
{
	const struct hc_accepted *acc = rcu_dereference(fe->accepted);
	const struct in6_addr *best = NULL;
	enum hc_addr_fit fit;
	unsigned int i;

	for (i = 0; acc && i < acc->n; i++) {
		fit = hc_addr_fit(hn->locals.net, &acc->addrs[i]);
		if (fit > than) {
			best = &acc->addrs[i];
			than = fit;
		}
	}
	return best;
}

/* Send @pu again at once, in the form @form. */
static void hc_announce_reform(struct hc_peer_update *pu, u8 form)
{
	pu->form = form;
	pu->changed = true;
	pu->due = jiffies;
}

/**
 * hc_announce_acked() - a peer answered one of our Binding Updates
 * @hn: the namespace
 * @src: the peer's address the answer came from
 * @dst: our address it went to
 * @ack: the Binding Acknowledgment
 *
 * An acknowledgment of the update last sent makes the addresses it
 * accepted (hc_ack_accepted()) the ones the peer has, and is refreshed
 * after three quarters of the lifetime it grants. 135 (sequence number
 * out of window) makes the next try follow the peer's number, at once.
 * A peer that does not copy our BIDs does not know them (RFC 5648 5.7):
 * it gets one address, without BID, from then on; one that prohibits bulk
 * registration (168) gets one address with its BID. Any other refusal
 * gives the peer up until the addresses change again.
 *
 * Context: softirq.
 */
void hc_announce_acked(struct hc_net *hn, const struct in6_addr *src,
		       const struct in6_addr *dst,
		       const struct hc_mh_ack *ack)
{
	struct hc_announce *an = &hn->announce;
	unsigned long accepted = 0;
	struct hc_peer_update *pu;
	struct hc_faddr *fa;
	bool kick = false;

	rcu_read_lock();
	fa = hc_faddr_lookup(&hn->cache, src);
	if (!fa)
		goto out;

	spin_lock_bh(&an->lock);
	list_for_each_entry(pu, &an->peers, list) {
		if (pu->id != fa->entry->id)
			continue;
		/* Acknowledged already, or changed since it was sent. */
		if (pu->acked || pu->changed)
			break;
		if (ack->status == HC_BA_SEQ_WINDOW) {
			/* The next send follows the peer's number, at once;
			 * the back-off holds.
			 */
			pu->seq = ack->seq;
			pu->changed = true;
			pu->due = jiffies;
			kick = true;
			break;
		}
		if (!hc_seq_between(ack->seq, pu->first, pu->seq))
			break;	/* not an answer to a send of this update */
		if (ack->status < HC_BA_UNSPECIFIED)
			accepted = hc_ack_accepted(pu, ack);
		if (!ack->n_bids && pu->form != HC_FORM_PLAIN) {
			hc_announce_reform(pu, HC_FORM_PLAIN);
			kick = true;
		} else if (ack->status == HC_BA_MCOA_BULK &&
			   pu->form == HC_FORM_BULK && pu->n_bids > 1) {
			hc_announce_reform(pu, HC_FORM_SINGLE);
			kick = true;
		} else if (accepted) {
			atomic64_inc(&hn->mh_stats[HC_MH_STAT_BU_ACKED]);
			pu->acked = true;
			hc_announce_accept(an, fa->entry, pu, accepted);
			pu->n_echoes = 0;	/* the peer has them */
			pu->known = *dst;
			pu->has_known = true;
			pu->due = jiffies +
				  (unsigned long)max_t(u16, ack->lifetime, 1) *
				  4 * HZ * 3 / 4;
		} else {
			pu->refused = true;
			pu->due = jiffies;
			kick = true;
		}
		break;
	}
	spin_unlock_bh(&an->lock);
	if (kick)
		mod_delayed_work(system_power_efficient_wq, &an->work, 0);
out:
	rcu_read_unlock();
}

/**
 * hc_announce_unknown() - a peer answered a Binding Update of ours with an
 *	ICMPv6 Parameter Problem: it does not know the Mobility Header
 * @hn: the namespace
 * @dst: the address the update went to
 * @seq: the update's sequence number, as the error quotes it
 *
 * An error about a send of the peer's current update makes the peer
 * ordinary at once (hc_foreign_found_ordinary()): no more updates or key
 * exchanges go to it for a while. The sequence number is what an
 * off-path forger would have to guess.
 *
 * Context: softirq.
 */
void hc_announce_unknown(struct hc_net *hn, const struct in6_addr *dst,
			 u16 seq)
{
	struct hc_announce *an = &hn->announce;
	struct hc_peer_update *pu;
	struct hc_faddr *fa;
	bool sent = false;
	u32 id;

	rcu_read_lock();
	fa = hc_faddr_lookup(&hn->cache, dst);
	id = fa ? fa->entry->id : 0;
	rcu_read_unlock();
	if (!id)
		return;
	spin_lock_bh(&an->lock);
	list_for_each_entry(pu, &an->peers, list) {
		if (pu->id == id) {
			sent = pu->tries && hc_seq_between(seq, pu->first, pu->seq);
			break;
		}
	}
	spin_unlock_bh(&an->lock);
	if (sent && hc_foreign_found_ordinary(&hn->cache, id))
		atomic64_inc(&hn->mh_stats[HC_STAT_ORDINARY]);
}

void hc_announce_init(struct hc_announce *an)
{
	spin_lock_init(&an->lock);
	INIT_LIST_HEAD(&an->peers);
	INIT_DELAYED_WORK(&an->work, hc_announce_work);
}

/**
 * hc_announce_flush() - stop the updates and forget the peers told
 * @an: the namespace's updates; nothing but the addresses of this host
 *	may start new ones (hc_announce_changed(), which only kicks @work)
 */
void hc_announce_flush(struct hc_announce *an)
{
	struct hc_peer_update *pu, *tmp;
	LIST_HEAD(peers);

	cancel_delayed_work_sync(&an->work);
	spin_lock_bh(&an->lock);
	list_splice_init(&an->peers, &peers);
	spin_unlock_bh(&an->lock);
	list_for_each_entry_safe(pu, tmp, &peers, list)
		kfree(pu);
}

void hc_announce_destroy(struct hc_announce *an)
{
	hc_announce_flush(an);
}
