// SPDX-License-Identifier: GPL-2.0
/* hostcache: verifying the addresses peers bind.
 *
 * A Binding Update under a peer's SA proves who sent it, not that the
 * sender receives at the addresses it lists: anyone who completes the
 * anonymous key exchange could list a third party's address and have this
 * host's flows sent there. So an address a Binding Update brings in stays
 * unverified, and the packet path sends no flow there (rewrite.c), until
 * a return-routability test succeeds: a Binding Refresh Request sent to
 * the address with an Address Test option holding a random nonce, which
 * the peer echoes in a Binding Update under its SA. Only who received the
 * request knows the nonce; only the peer can send under its SA.
 *
 * An address the update lists that another entry holds is tested alike,
 * as a claim: the entry was made by this host's traffic to the address
 * before the peer's first update, and the echo shows the peer receives
 * there. The address then moves to the peer's entry (one entry per peer);
 * an address of another peer stays that peer's.
 *
 * A test is sent HC_VERIFY_TRIES times at most, 1 and then 2 seconds
 * apart, and is given up HC_VERIFY_WAIT after the last: an address that
 * is not the peer's gets three packets, none of them payload. Tests are
 * records in a list under a BH-safe lock (updates and echoes arrive in
 * softirq context); a delayed work sends them in process context.
 */

#include <linux/random.h>
#include <linux/slab.h>
#include <net/ipv6.h>

#include "hostcache.h"

#define HC_VERIFY_TRIES		3
#define HC_VERIFY_TIMEOUT	HZ		/* before the first retry */
#define HC_VERIFY_WAIT		(4 * HZ)	/* for the last answer */
#define HC_VERIFY_MAX		256		/* tests at once, per namespace */
/* A Binding Refresh Request with one Address Test option. */
#define HC_VERIFY_MSG_LEN	24

/**
 * struct hc_addr_test - one address being tested
 * @list: in &struct hc_verify.tests
 * @id: the entry the address belongs to
 * @addr: the address
 * @src: our address to send from: the one the peer sent its update to
 * @nonce: what the peer must echo
 * @claim: the address is another entry's, which the peer of @id claims
 * @tries: requests sent so far
 * @waits: times a request waited for the key daemon's policy
 * @keywait: its last request waits for that policy
 * @due: when to send the next, or to give up (jiffies)
 */
struct hc_addr_test {
	struct list_head list;
	u32 id;
	struct in6_addr addr;
	struct in6_addr src;
	u64 nonce;
	bool claim;
	unsigned int tries;
	unsigned int waits;
	bool keywait;
	unsigned long due;
};

/* Whether @addr is an address of entry @id that waits for a test, or,
 * for a @claim, a valid address of another entry without an SA.
 * Context: RCU read lock.
 */
static bool hc_verify_wanted(struct hc_net *hn, u32 id,
			     const struct in6_addr *addr, bool claim)
{
	struct hc_faddr *fa = hc_faddr_lookup(&hn->cache, addr);

	if (claim)
		return fa && fa->entry->id != id &&
		       !READ_ONCE(fa->entry->ah_reqid) &&
		       READ_ONCE(fa->state) == HOSTCACHE_ADDR_VALID;
	return fa && fa->entry->id == id &&
	       READ_ONCE(fa->state) == HOSTCACHE_ADDR_VALID &&
	       (READ_ONCE(fa->flags) & (HOSTCACHE_ADDR_F_FROM_BU |
					HOSTCACHE_ADDR_F_VERIFIED)) ==
	       HOSTCACHE_ADDR_F_FROM_BU;
}

/**
 * hc_verify_start() - test an address a peer's update brought in, unless
 *	it is verified or being tested
 * @hn: the namespace
 * @id: the peer's entry
 * @addr: the address
 * @src: our address the update came to
 * @claim: @addr is another entry's, which the peer claims
 *
 * Context: softirq or process context.
 */
void hc_verify_start(struct hc_net *hn, u32 id, const struct in6_addr *addr,
		     const struct in6_addr *src, bool claim)
{
	struct hc_verify *v = &hn->verify;
	struct hc_addr_test *t, *fresh;
	bool wanted;

	rcu_read_lock();
	wanted = hc_verify_wanted(hn, id, addr, claim);
	rcu_read_unlock();
	if (!wanted)
		return;
	fresh = kzalloc(sizeof(*fresh), GFP_ATOMIC | __GFP_ACCOUNT);
	if (!fresh)
		return;
	spin_lock_bh(&v->lock);
	list_for_each_entry(t, &v->tests, list)
		if (t->id == id && ipv6_addr_equal(&t->addr, addr))
			goto out;
	if (v->n_tests == HC_VERIFY_MAX) {
		atomic64_inc(&hn->mh_stats[HC_STAT_TESTS_REFUSED]);
		goto out;
	}
	fresh->id = id;
	fresh->addr = *addr;
	fresh->src = *src;
	fresh->nonce = get_random_u64();
	fresh->claim = claim;
	fresh->due = jiffies;
	list_add_tail(&fresh->list, &v->tests);
	v->n_tests++;
	fresh = NULL;
	mod_delayed_work(system_power_efficient_wq, &v->work, 0);
out:
	spin_unlock_bh(&v->lock);
	kfree(fresh);
}

/**
 * hc_verify_answered() - a peer echoed a nonce under its SA
 * @hn: the namespace
 * @id: the entry whose SA the echo came under
 * @nonce: the nonce
 *
 * The address the nonce was sent to becomes verified, if it is still the
 * peer's, or moves to the peer's entry, if it was a claim.
 *
 * Context: softirq.
 */
void hc_verify_answered(struct hc_net *hn, u32 id, u64 nonce)
{
	struct hc_verify *v = &hn->verify;
	struct hc_addr_test *t;
	struct in6_addr addr;
	bool found = false;
	bool claim = false;

	spin_lock_bh(&v->lock);
	list_for_each_entry(t, &v->tests, list) {
		if (t->id == id && t->nonce == nonce) {
			addr = t->addr;
			claim = t->claim;
			list_del(&t->list);
			v->n_tests--;
			kfree(t);
			found = true;
			break;
		}
	}
	spin_unlock_bh(&v->lock);
	if (!found)
		return;
	if (claim && !hc_foreign_claim(&hn->cache, id, &addr)) {
		atomic64_inc(&hn->mh_stats[HC_STAT_ADDRS_MOVED]);
		hc_flows_moved(hn);	/* flows keyed by the old entry */
	} else if (!claim && !hc_faddr_verify(&hn->cache, id, &addr)) {
		atomic64_inc(&hn->mh_stats[HC_STAT_ADDRS_VERIFIED]);
		hc_flows_resume(hn, false);	/* flows that waited for it */
	}
}

/**
 * hc_verify_keyed() - an outbound policy was added: the tests that wait
 *	for the key daemon's policy go now
 * @hn: the namespace
 *
 * Context: process context.
 */
void hc_verify_keyed(struct hc_net *hn)
{
	struct hc_verify *v = &hn->verify;
	struct hc_addr_test *t;
	bool kick = false;

	spin_lock_bh(&v->lock);
	list_for_each_entry(t, &v->tests, list) {
		if (t->keywait) {
			t->due = jiffies;
			kick = true;
		}
	}
	spin_unlock_bh(&v->lock);
	if (kick)
		mod_delayed_work(system_power_efficient_wq, &v->work, 0);
}

/* Send the test @t: a Binding Refresh Request with its nonce. */
static int hc_verify_send(struct hc_net *hn, const struct hc_addr_test *t)
{
	bool protect = hc_foreign_keyed(&hn->cache, t->id);
	struct hc_mh_writer w;
	u8 buf[HC_VERIFY_MSG_LEN];
	int len, err = -EINVAL;

	hc_mh_start(&w, buf, sizeof(buf), HC_MH_BRR);
	hc_mh_put_brr(&w);
	hc_mh_put_addr_test(&w, t->nonce);
	len = hc_mh_finish(&w, &t->src, &t->addr);
	if (len > 0)
		err = hc_mh_send(hn->locals.net, &t->src, &t->addr, 0, buf,
				 len, protect && t->waits < HC_MH_POLICY_WAITS);
	if (!err)
		atomic64_inc(&hn->mh_stats[HC_STAT_TESTS_SENT]);
	else if (err != -EAGAIN)
		atomic64_inc(&hn->mh_stats[HC_MH_STAT_SEND_FAILED]);
	return err;
}

/* The request of test @sent waits for the key daemon's policy for its
 * address: take its try back and send it again shortly.
 */
static void hc_verify_wait(struct hc_verify *v, const struct hc_addr_test *sent,
			   unsigned long *next)
{
	struct hc_addr_test *t;

	spin_lock_bh(&v->lock);
	list_for_each_entry(t, &v->tests, list) {
		if (t->nonce != sent->nonce)
			continue;
		t->waits++;
		t->keywait = true;
		t->tries--;
		t->due = jiffies + HC_MH_POLICY_WAIT;
		if (time_before(t->due, *next))
			*next = t->due;
		break;
	}
	spin_unlock_bh(&v->lock);
}

/* Whether test @t is over: its address is no longer one to test, or its
 * last wait ran out. Context: RCU read lock.
 */
static bool hc_verify_over(struct hc_net *hn, const struct hc_addr_test *t,
			   unsigned long now)
{
	if (!hc_verify_wanted(hn, t->id, &t->addr, t->claim))
		return true;
	if (t->tries < HC_VERIFY_TRIES || time_before(now, t->due))
		return false;
	atomic64_inc(&hn->mh_stats[HC_STAT_TESTS_FAILED]);
	return true;
}

static void hc_verify_work(struct work_struct *work)
{
	struct hc_verify *v = container_of(to_delayed_work(work),
					   struct hc_verify, work);
	struct hc_net *hn = container_of(v, struct hc_net, verify);
	unsigned long now = jiffies, next = now + HC_VERIFY_WAIT;
	struct hc_addr_test *t, *tmp, send;
	bool due;

	/* Send one due test at a time, outside the lock. */
	do {
		due = false;
		spin_lock_bh(&v->lock);
		rcu_read_lock();
		list_for_each_entry_safe(t, tmp, &v->tests, list) {
			if (hc_verify_over(hn, t, now)) {
				list_del(&t->list);
				v->n_tests--;
				kfree(t);
				continue;
			}
			if (time_before(now, t->due)) {
				if (time_before(t->due, next))
					next = t->due;
				continue;
			}
			t->tries++;
			t->keywait = false;
			t->due = now + (t->tries < HC_VERIFY_TRIES ?
					HC_VERIFY_TIMEOUT << (t->tries - 1) :
					HC_VERIFY_WAIT);
			if (time_before(t->due, next))
				next = t->due;
			send = *t;
			due = true;
			break;
		}
		rcu_read_unlock();
		spin_unlock_bh(&v->lock);
		if (due) {
			if (hc_verify_send(hn, &send) == -EAGAIN)
				hc_verify_wait(v, &send, &next);
			cond_resched();
		}
	} while (due);

	spin_lock_bh(&v->lock);
	if (!list_empty(&v->tests))
		queue_delayed_work(system_power_efficient_wq, &v->work,
				   next - now);
	spin_unlock_bh(&v->lock);
}

void hc_verify_init(struct hc_verify *v)
{
	spin_lock_init(&v->lock);
	INIT_LIST_HEAD(&v->tests);
	INIT_DELAYED_WORK(&v->work, hc_verify_work);
}

/**
 * hc_verify_flush() - stop testing and forget the tests
 * @v: the namespace's tests; nothing starts new ones any more
 */
void hc_verify_flush(struct hc_verify *v)
{
	struct hc_addr_test *t, *tmp;
	LIST_HEAD(tests);

	cancel_delayed_work_sync(&v->work);
	spin_lock_bh(&v->lock);
	list_splice_init(&v->tests, &tests);
	v->n_tests = 0;
	spin_unlock_bh(&v->lock);
	list_for_each_entry_safe(t, tmp, &tests, list)
		kfree(t);
}

void hc_verify_destroy(struct hc_verify *v)
{
	hc_verify_flush(v);
}
