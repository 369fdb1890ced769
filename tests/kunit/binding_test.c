// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for Binding Update processing: real messages, built by the
 * codec, go through hc_mh_handle() as the packet path does, against a
 * real Host Cache. Each test checks the cache and the answer: BA status,
 * sequence number and BID options. Every refused update must leave the
 * cache as it was.
 */

#include <kunit/test.h>
#include <linux/inet.h>
#include <linux/jiffies.h>
#include <linux/slab.h>
#include <net/ip6_checksum.h>
#include <net/ipv6.h>
#include <linux/hostcache.h>

#include "../../net/hostcache/hostcache.h"

#define T0 ((unsigned long)-(30 * HZ))

struct bt {
	struct hc_net hn;
	struct hc_mh_rx rx;
	struct hc_mh_msg ans;
	struct hc_mh_writer w;
	struct in6_addr peer, me;
	struct hc_mh_auth auth;	/* the test switch, unless a test says */
	unsigned long now;
	u8 buf[1024];
};

static int binding_suite_init(struct kunit_suite *suite)
{
	return hc_cache_module_init();
}

static void binding_suite_exit(struct kunit_suite *suite)
{
	hc_cache_module_exit();
}

static struct in6_addr a6(struct kunit *test, const char *text)
{
	struct in6_addr a;

	KUNIT_ASSERT_TRUE_MSG(test, in6_pton(text, -1, a.s6_addr, -1, NULL),
			      "bad address %s", text);
	return a;
}

static int binding_test_init(struct kunit *test)
{
	struct bt *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, t);
	hc_params_init(&t->hn.params);
	t->auth.open = true;
	KUNIT_ASSERT_EQ(test, hc_cache_init(&t->hn.cache, &t->hn.params), 0);
	t->peer = a6(test, "2001:db8:1::1");
	t->me = a6(test, "2001:db8:2::2");
	t->now = T0;
	test->priv = t;
	return 0;
}

static void binding_test_exit(struct kunit *test)
{
	struct bt *t = test->priv;

	hc_cache_destroy(&t->hn.cache);
}

static struct hc_mh_writer *bu(struct kunit *test, u16 seq, u16 flags,
			       u16 lifetime)
{
	struct bt *t = test->priv;

	hc_mh_start(&t->w, t->buf, sizeof(t->buf), HC_MH_BU);
	hc_mh_put_bu(&t->w, seq, flags, lifetime);
	return &t->w;
}

static void bid(struct kunit *test, struct hc_mh_writer *w, u16 id,
		const char *coa)
{
	struct hc_mh_bid b = { .bid = id };

	if (coa) {
		b.coa_len = 16;
		b.coa = a6(test, coa);
	}
	hc_mh_put_bid(w, &b);
}

/* A BID option with an IPv4 care-of address, written by hand. */
static void bid_v4(struct hc_mh_writer *w, u16 id, const u8 *v4)
{
	u8 opt[10] = { HC_MHOPT_BID, 8, id >> 8, id, 0, 0 };

	memcpy(opt + 6, v4, 4);
	while (w->len % 8 != 2)
		w->buf[w->len++] = HC_MHOPT_PAD1;
	memcpy(w->buf + w->len, opt, sizeof(opt));
	w->len += sizeof(opt);
}

static void altcoa(struct kunit *test, const char *text)
{
	struct bt *t = test->priv;
	struct in6_addr a = a6(test, text);

	hc_mh_put_altcoa(&t->w, &a);
}

/* Seal the message in t->buf at @at, from @from; return its length. */
static int seal_from(struct kunit *test, const struct in6_addr *from)
{
	struct bt *t = test->priv;
	int len = hc_mh_finish(&t->w, from, &t->me);

	KUNIT_ASSERT_GT(test, len, 0);
	return len;
}

static int deliver_from(struct kunit *test, const struct in6_addr *from)
{
	struct bt *t = test->priv;
	int len = seal_from(test, from);

	return hc_mh_handle(&t->hn, t->buf, len, from, &t->me, &t->auth, t->now,
			    &t->rx);
}

static int deliver(struct kunit *test)
{
	return deliver_from(test, &((struct bt *)test->priv)->peer);
}

/* Decode answer @i, checking it is addressed back to @to; return its
 * status.
 */
static int answer_to(struct kunit *test, unsigned int i,
		     const struct in6_addr *to)
{
	struct bt *t = test->priv;
	struct hc_mh_reply *r = &t->rx.replies[i];

	KUNIT_ASSERT_GT(test, t->rx.n_replies, i);
	KUNIT_ASSERT_EQ(test, hc_mh_parse(r->buf, r->len, &t->me, to,
					  &t->ans), HC_MH_OK);
	return t->ans.status;
}

static int answer(struct kunit *test, unsigned int i)
{
	return answer_to(test, i, &((struct bt *)test->priv)->peer);
}

/* The only answer must be a BA of @status, @seq and these BIDs. */
static void expect_ba(struct kunit *test, u8 status, u16 seq,
		      const u16 *bids, unsigned int n)
{
	struct bt *t = test->priv;
	unsigned int i;

	KUNIT_ASSERT_EQ(test, t->rx.n_replies, 1U);
	KUNIT_EXPECT_EQ(test, answer(test, 0), (int)status);
	KUNIT_EXPECT_EQ(test, t->ans.type, HC_MH_BA);
	KUNIT_EXPECT_EQ(test, t->ans.seq, seq);
	KUNIT_EXPECT_TRUE(test, t->ans.homeless);
	KUNIT_ASSERT_EQ(test, t->ans.n_bids, n);
	for (i = 0; i < n; i++) {
		KUNIT_EXPECT_EQ(test, t->ans.bids[i].bid, bids[i]);
		KUNIT_EXPECT_EQ(test, t->ans.bids[i].status, 0);
		KUNIT_EXPECT_EQ(test, t->ans.bids[i].coa_len, 0);
	}
}

static struct hc_faddr *find(struct kunit *test, const char *text)
{
	struct bt *t = test->priv;
	struct in6_addr a = a6(test, text);
	struct hc_faddr *fa;

	rcu_read_lock();
	fa = hc_faddr_lookup(&t->hn.cache, &a);
	rcu_read_unlock();
	return fa;	/* the test is the only writer */
}

/* Whether @text is a valid address bound to @id (0: bound without BID). */
static bool bound(struct kunit *test, const char *text, u16 id)
{
	struct hc_faddr *fa = find(test, text);

	return fa && fa->state == HOSTCACHE_ADDR_VALID && fa->bid == id &&
	       fa->flags & HOSTCACHE_ADDR_F_FROM_BU &&
	       fa->flags & HOSTCACHE_ADDR_F_ABSOLUTE;
}

static bool expired(struct kunit *test, const char *text)
{
	struct hc_faddr *fa = find(test, text);

	return fa && fa->state == HOSTCACHE_ADDR_EXPIRED;
}

/* Valid addresses of the peer's entry. */
static unsigned int n_valid(struct kunit *test)
{
	struct hc_faddr *fa = find(test, "2001:db8:1::1"), *it;
	unsigned int n = 0;

	if (!fa)
		return 0;
	list_for_each_entry(it, &fa->entry->addrs, list)
		n += it->state == HOSTCACHE_ADDR_VALID;
	return n;
}

static u64 counter(struct kunit *test, unsigned int which)
{
	return atomic64_read(&((struct bt *)test->priv)->hn.mh_stats[which]);
}

static u32 cache_seq(struct kunit *test)
{
	return ((struct bt *)test->priv)->hn.cache.seq;
}

/* A first update from a peer creates its entry, untrusted, and answers. */
static void update_creates_entry(struct kunit *test)
{
	struct bt *t = test->priv;
	struct hc_faddr *fa;

	hc_mh_put_homeless(bu(test, 7, HC_BU_A, 100));
	KUNIT_ASSERT_EQ(test, deliver(test), HC_MH_OK);
	expect_ba(test, HC_BA_ACCEPTED, 7, NULL, 0);
	KUNIT_EXPECT_EQ(test, t->ans.lifetime, 100);

	fa = find(test, "2001:db8:1::1");
	KUNIT_ASSERT_NOT_NULL(test, fa);
	KUNIT_EXPECT_TRUE(test, bound(test, "2001:db8:1::1", 0));
	KUNIT_EXPECT_EQ(test, fa->expires, T0 + 400 * HZ);
	KUNIT_EXPECT_EQ(test, fa->entry->flags, HOSTCACHE_FOREIGN_F_HOMELESS);
	KUNIT_EXPECT_EQ(test, t->hn.cache.n_untrusted, 1U);
	KUNIT_EXPECT_EQ(test, counter(test, HC_MH_STAT_BU_ACCEPTED), 1ULL);
	KUNIT_EXPECT_EQ(test, counter(test, HC_MH_OK), 1ULL);

	/* Without the A flag, an accepted update gets no answer. */
	bu(test, 8, 0, 100);
	KUNIT_ASSERT_EQ(test, deliver(test), HC_MH_OK);
	KUNIT_EXPECT_EQ(test, t->rx.n_replies, 0U);
	KUNIT_EXPECT_EQ(test, counter(test, HC_MH_STAT_BU_ACCEPTED), 2ULL);
}

/* Draft 2.1.3: an address learned another way gets the update's absolute
 * lifetime.
 */
static void update_makes_lifetime_absolute(struct kunit *test)
{
	struct bt *t = test->priv;
	struct hc_faddr_spec s = { .addr = t->peer };
	struct hc_faddr *fa;
	u32 id;

	KUNIT_ASSERT_EQ(test, hc_foreign_create(&t->hn.cache, &s, 1, 0, 0, T0,
						GFP_KERNEL, &id, NULL), 0);
	fa = find(test, "2001:db8:1::1");
	KUNIT_EXPECT_FALSE(test, fa->flags & HOSTCACHE_ADDR_F_ABSOLUTE);
	t->now = T0 + 5 * HZ;
	bu(test, 1, 0, 10);
	KUNIT_ASSERT_EQ(test, deliver(test), HC_MH_OK);
	KUNIT_EXPECT_TRUE(test, bound(test, "2001:db8:1::1", 0));
	KUNIT_EXPECT_EQ(test, fa->expires, T0 + 45 * HZ);
	KUNIT_EXPECT_EQ(test, fa->entry->id, id);
}

/* RFC 5648 6.2 for a correspondent: a same BID with a new address moves,
 * a new BID adds, lifetime 0 with BIDs removes only those, an unknown BID
 * is refused with 133.
 */
static void bid_rules(struct kunit *test)
{
	static const u16 one[] = { 1 }, two[] = { 2 }, nine[] = { 9 };
	u32 seq;

	bid(test, bu(test, 1, HC_BU_A, 100), 1, NULL);	/* CoA = source */
	KUNIT_ASSERT_EQ(test, deliver(test), HC_MH_OK);
	expect_ba(test, HC_BA_ACCEPTED, 1, one, 1);
	KUNIT_EXPECT_TRUE(test, bound(test, "2001:db8:1::1", 1));

	bid(test, bu(test, 2, HC_BU_A, 100), 2, "2001:db8:3::3");
	KUNIT_ASSERT_EQ(test, deliver(test), HC_MH_OK);
	expect_ba(test, HC_BA_ACCEPTED, 2, two, 1);
	KUNIT_EXPECT_TRUE(test, bound(test, "2001:db8:3::3", 2));
	KUNIT_EXPECT_TRUE(test, bound(test, "2001:db8:1::1", 1));
	KUNIT_EXPECT_EQ(test, n_valid(test), 2U);

	bid(test, bu(test, 3, HC_BU_A, 100), 1, "2001:db8:4::4");
	KUNIT_ASSERT_EQ(test, deliver(test), HC_MH_OK);
	expect_ba(test, HC_BA_ACCEPTED, 3, one, 1);
	KUNIT_EXPECT_TRUE(test, bound(test, "2001:db8:4::4", 1));
	KUNIT_EXPECT_TRUE(test, expired(test, "2001:db8:1::1"));
	KUNIT_EXPECT_TRUE(test, bound(test, "2001:db8:3::3", 2));
	KUNIT_EXPECT_EQ(test, n_valid(test), 2U);

	/* A removal's care-of address is ignored (RFC 5648 5.4). */
	bid(test, bu(test, 4, HC_BU_A, 0), 2, "2001:db8:4::4");
	KUNIT_ASSERT_EQ(test, deliver(test), HC_MH_OK);
	expect_ba(test, HC_BA_ACCEPTED, 4, two, 1);
	KUNIT_EXPECT_TRUE(test, expired(test, "2001:db8:3::3"));
	KUNIT_EXPECT_TRUE(test, bound(test, "2001:db8:4::4", 1));

	seq = cache_seq(test);
	bid(test, bu(test, 5, 0, 0), 9, NULL);
	KUNIT_ASSERT_EQ(test, deliver(test), HC_MH_OK);
	expect_ba(test, HC_BA_NOT_HA, 5, nine, 1);
	KUNIT_EXPECT_EQ(test, cache_seq(test), seq);
	KUNIT_EXPECT_EQ(test, counter(test, HC_MH_STAT_BU_REJECTED), 1ULL);
}

/* A BU without BID replaces every binding; lifetime 0 without BID
 * removes them all.
 */
static void update_without_bid_replaces_all(struct kunit *test)
{
	struct hc_mh_writer *w;

	w = bu(test, 1, 0, 100);
	hc_mh_put_homeless(w);
	bid(test, w, 1, NULL);
	bid(test, w, 2, "2001:db8:3::3");
	bid(test, w, 3, "2001:db8:4::4");
	KUNIT_ASSERT_EQ(test, deliver(test), HC_MH_OK);
	KUNIT_EXPECT_EQ(test, n_valid(test), 3U);

	bu(test, 2, 0, 100);
	KUNIT_ASSERT_EQ(test, deliver(test), HC_MH_OK);
	KUNIT_EXPECT_EQ(test, n_valid(test), 1U);
	KUNIT_EXPECT_TRUE(test, bound(test, "2001:db8:1::1", 0));
	KUNIT_EXPECT_TRUE(test, expired(test, "2001:db8:3::3"));
	KUNIT_EXPECT_TRUE(test, expired(test, "2001:db8:4::4"));

	bu(test, 3, HC_BU_A, 0);
	KUNIT_ASSERT_EQ(test, deliver(test), HC_MH_OK);
	expect_ba(test, HC_BA_ACCEPTED, 3, NULL, 0);
	KUNIT_EXPECT_EQ(test, n_valid(test), 0U);
	KUNIT_EXPECT_TRUE(test, expired(test, "2001:db8:1::1"));
}

/* Several BIDs at once: from a homeless peer only (draft 3.2.2). */
static void bulk_only_from_homeless_peers(struct kunit *test)
{
	static const u16 both[] = { 1, 2 };
	struct hc_mh_writer *w;

	w = bu(test, 1, HC_BU_A, 100);
	bid(test, w, 1, NULL);
	bid(test, w, 2, "2001:db8:3::3");
	KUNIT_ASSERT_EQ(test, deliver(test), HC_MH_OK);
	expect_ba(test, HC_BA_MCOA_BULK, 1, both, 2);
	KUNIT_EXPECT_NULL(test, find(test, "2001:db8:1::1"));
	KUNIT_EXPECT_EQ(test, ((struct bt *)test->priv)->hn.cache.n_entries, 0U);

	/* A known peer that never said it is homeless: refused too. */
	bu(test, 2, 0, 100);
	KUNIT_ASSERT_EQ(test, deliver(test), HC_MH_OK);
	w = bu(test, 3, HC_BU_A | HC_BU_O, 100);
	bid(test, w, 1, NULL);
	bid(test, w, 2, "2001:db8:3::3");
	KUNIT_ASSERT_EQ(test, deliver(test), HC_MH_OK);
	expect_ba(test, HC_BA_MCOA_BULK, 3, both, 2);
	KUNIT_EXPECT_NULL(test, find(test, "2001:db8:3::3"));

	/* Saying so in the same update is enough. */
	w = bu(test, 4, HC_BU_A | HC_BU_O, 100);
	hc_mh_put_homeless(w);
	bid(test, w, 1, NULL);
	bid(test, w, 2, "2001:db8:3::3");
	KUNIT_ASSERT_EQ(test, deliver(test), HC_MH_OK);
	expect_ba(test, HC_BA_ACCEPTED, 4, both, 2);
	KUNIT_EXPECT_TRUE(test, bound(test, "2001:db8:1::1", 1));
	KUNIT_EXPECT_TRUE(test, bound(test, "2001:db8:3::3", 2));
}

/* A BID option with @olen bytes of data, at 2n, written by hand. */
static void bid_of_length(struct hc_mh_writer *w, u16 id, u8 olen)
{
	u8 opt[2 + 20] = { HC_MHOPT_BID, olen, id >> 8, id };

	if (w->len % 2)
		w->buf[w->len++] = HC_MHOPT_PAD1;
	memcpy(w->buf + w->len, opt, 2 + olen);
	w->len += 2 + olen;
}

/* Malformed BID options get 164 and change nothing; BID 0 too. */
static void malformed_bids_change_nothing(struct kunit *test)
{
	static const char * const bad[] = {
		"::", "::1", "ff02::1", "fe80::1", "::ffff:192.0.2.1",
	};
	static const u8 v4_bad[] = { 127, 0, 0, 1 }, v4_ok[] = { 192, 0, 2, 1 };
	static const u16 one[] = { 1 }, zero[] = { 0 }, dup[] = { 1, 1 };
	/* RFC 5648 6.2: a length not 4, 8 or 20 is 164 too. */
	static const u8 lengths[] = { 0, 2, 5, 6, 12, 18 };
	struct hc_mh_writer *w;
	unsigned int i;
	u32 seq;

	bu(test, 1, 0, 100);		/* the peer is known */
	hc_mh_put_homeless(&((struct bt *)test->priv)->w);
	KUNIT_ASSERT_EQ(test, deliver(test), HC_MH_OK);
	seq = cache_seq(test);

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		bid(test, bu(test, 2, HC_BU_O, 100), 1, bad[i]);
		KUNIT_ASSERT_EQ(test, deliver(test), HC_MH_OK);
		expect_ba(test, HC_BA_MCOA_MALFORMED, 2, one, 1);
	}
	bid(test, bu(test, 2, HC_BU_O, 100), 0, NULL);
	KUNIT_ASSERT_EQ(test, deliver(test), HC_MH_OK);
	expect_ba(test, HC_BA_MCOA_MALFORMED, 2, zero, 1);

	w = bu(test, 2, HC_BU_O, 100);
	bid(test, w, 1, NULL);
	bid(test, w, 1, "2001:db8:3::3");
	KUNIT_ASSERT_EQ(test, deliver(test), HC_MH_OK);
	expect_ba(test, HC_BA_MCOA_MALFORMED, 2, dup, 2);

	bid_v4(bu(test, 2, HC_BU_O, 100), 1, v4_bad);
	KUNIT_ASSERT_EQ(test, deliver(test), HC_MH_OK);
	expect_ba(test, HC_BA_MCOA_MALFORMED, 2, one, 1);
	/* A valid IPv4 care-of address needs DSMIPv6: prohibited. */
	bid_v4(bu(test, 2, HC_BU_O, 100), 1, v4_ok);
	KUNIT_ASSERT_EQ(test, deliver(test), HC_MH_OK);
	expect_ba(test, HC_BA_MCOA_PROHIBITED, 2, one, 1);

	/* The option of a wrong length is not copied: its BID is not read. */
	for (i = 0; i < ARRAY_SIZE(lengths); i++) {
		w = bu(test, 2, HC_BU_A | HC_BU_O, 100);
		bid(test, w, 1, NULL);
		bid_of_length(w, 2, lengths[i]);
		KUNIT_ASSERT_EQ(test, deliver(test), HC_MH_OK);
		expect_ba(test, HC_BA_MCOA_MALFORMED, 2, one, 1);
	}
	KUNIT_EXPECT_EQ(test, counter(test, HC_MH_ERR_BID_LEN),
			(u64)ARRAY_SIZE(lengths));

	KUNIT_EXPECT_EQ(test, cache_seq(test), seq);
	KUNIT_EXPECT_TRUE(test, bound(test, "2001:db8:1::1", 0));
	KUNIT_EXPECT_EQ(test, counter(test, HC_MH_STAT_BU_REJECTED),
			9ULL + ARRAY_SIZE(lengths));
}

/* RFC 5648 6.2: which care-of address a BID binds. A new entry also holds
 * the source address, by which the peer is found again.
 */
static void care_of_address_choice(struct kunit *test)
{
	struct hc_mh_writer *w;
	struct hc_faddr *fa;

	w = bu(test, 1, 0, 100);
	bid(test, w, 1, NULL);
	altcoa(test, "2001:db8:5::5");
	KUNIT_ASSERT_EQ(test, deliver(test), HC_MH_OK);
	KUNIT_EXPECT_TRUE(test, bound(test, "2001:db8:5::5", 1));
	fa = find(test, "2001:db8:1::1");
	KUNIT_ASSERT_NOT_NULL(test, fa);
	KUNIT_EXPECT_EQ(test, fa->state, HOSTCACHE_ADDR_VALID);
	KUNIT_EXPECT_EQ(test, fa->flags, 0);	/* activity lifetime */
	KUNIT_EXPECT_PTR_EQ(test, fa->entry, find(test, "2001:db8:5::5")->entry);

	/* A BID option's own address wins over the Alternate CoA. */
	w = bu(test, 2, 0, 100);
	bid(test, w, 1, "2001:db8:6::6");
	altcoa(test, "2001:db8:7::7");
	KUNIT_ASSERT_EQ(test, deliver(test), HC_MH_OK);
	KUNIT_EXPECT_TRUE(test, bound(test, "2001:db8:6::6", 1));
	KUNIT_EXPECT_TRUE(test, expired(test, "2001:db8:5::5"));
	KUNIT_EXPECT_NULL(test, find(test, "2001:db8:7::7"));
	KUNIT_EXPECT_EQ(test, ((struct bt *)test->priv)->hn.cache.n_entries, 1U);
}

/* Several addresses in a BU without BID: a homeless peer's only. */
static void several_addresses_only_from_homeless_peers(struct kunit *test)
{
	struct bt *t = test->priv;

	bu(test, 1, HC_BU_A, 100);
	altcoa(test, "2001:db8:5::5");
	altcoa(test, "2001:db8:6::6");
	KUNIT_ASSERT_EQ(test, deliver(test), HC_MH_OK);
	expect_ba(test, HC_BA_MCOA_BULK, 1, NULL, 0);
	KUNIT_EXPECT_EQ(test, t->hn.cache.n_entries, 0U);

	hc_mh_put_homeless(bu(test, 1, HC_BU_A, 100));
	altcoa(test, "2001:db8:5::5");
	altcoa(test, "2001:db8:6::6");
	KUNIT_ASSERT_EQ(test, deliver(test), HC_MH_OK);
	expect_ba(test, HC_BA_ACCEPTED, 1, NULL, 0);
	KUNIT_EXPECT_TRUE(test, bound(test, "2001:db8:5::5", 0));
	KUNIT_EXPECT_TRUE(test, bound(test, "2001:db8:6::6", 0));
	KUNIT_EXPECT_EQ(test, n_valid(test), 3U);	/* and the source */
}

/* The largest answer: four chained updates of 4 BIDs each, all copied
 * into one Binding Acknowledgment; one BID more is too many.
 */
static void largest_acknowledgment(struct kunit *test)
{
	struct bt *t = test->priv;
	unsigned int off = 0, i, j;
	char coa[32];
	int len;

	WRITE_ONCE(t->hn.params.max_addrs, HOSTCACHE_MAX_ADDRS_MAX);
	for (i = 0; i < HC_MH_MAX_CHAIN; i++) {
		hc_mh_start(&t->w, t->buf + off, sizeof(t->buf) - off, HC_MH_BU);
		hc_mh_put_bu(&t->w, i + 1, HC_BU_A, 100);
		hc_mh_put_homeless(&t->w);
		for (j = 0; j < HC_MH_MAX_BIDS / HC_MH_MAX_CHAIN; j++) {
			snprintf(coa, sizeof(coa), "2001:db8:%u::%u", i + 3, j + 1);
			bid(test, &t->w, 4 * i + j + 1, coa);
		}
		if (i + 1 == HC_MH_MAX_CHAIN)
			bid(test, &t->w, 99, NULL);	/* the 17th */
		if (i + 1 < HC_MH_MAX_CHAIN)
			hc_mh_chain(&t->w);
		len = hc_mh_finish(&t->w, &t->peer, &t->me);
		KUNIT_ASSERT_GT(test, len, 0);
		off += len;
	}
	KUNIT_EXPECT_EQ(test, hc_mh_handle(&t->hn, t->buf, off, &t->peer,
					   &t->me, &t->auth, t->now, &t->rx),
			HC_MH_ERR_TOO_MANY);
	KUNIT_EXPECT_EQ(test, cache_seq(test), 0U);

	/* The same packet without the 17th BID. */
	off -= len;
	hc_mh_start(&t->w, t->buf + off, sizeof(t->buf) - off, HC_MH_BU);
	hc_mh_put_bu(&t->w, HC_MH_MAX_CHAIN, HC_BU_A, 100);
	for (j = 0; j < HC_MH_MAX_BIDS / HC_MH_MAX_CHAIN; j++) {
		snprintf(coa, sizeof(coa), "2001:db8:6::%u", j + 1);
		bid(test, &t->w, 12 + j + 1, coa);
	}
	len = hc_mh_finish(&t->w, &t->peer, &t->me);
	KUNIT_ASSERT_GT(test, len, 0);
	off += len;
	KUNIT_ASSERT_EQ(test, hc_mh_handle(&t->hn, t->buf, off, &t->peer,
					   &t->me, &t->auth, t->now, &t->rx),
			HC_MH_OK);
	KUNIT_ASSERT_EQ(test, t->rx.n_replies, 1U);
	KUNIT_EXPECT_EQ(test, answer(test, 0), HC_BA_ACCEPTED);
	KUNIT_EXPECT_EQ(test, t->ans.seq, HC_MH_MAX_CHAIN);
	KUNIT_ASSERT_EQ(test, t->ans.n_bids, (unsigned int)HC_MH_MAX_BIDS);
	for (i = 0; i < HC_MH_MAX_BIDS; i++)
		KUNIT_EXPECT_EQ(test, t->ans.bids[i].bid, i + 1);
	KUNIT_EXPECT_EQ(test, counter(test, HC_MH_STAT_BU_ACCEPTED),
			(u64)HC_MH_MAX_CHAIN);
	KUNIT_EXPECT_TRUE(test, bound(test, "2001:db8:6::4", 16));
	KUNIT_EXPECT_EQ(test, n_valid(test), HC_MH_MAX_BIDS + 1U);
}

/* RFC 6275 9.5.1: one sequence number per peer, 135 out of window with
 * the last accepted number in the BA.
 */
static void sequence_window(struct kunit *test)
{
	static const u16 stale[] = { 10, 9, 10 + 32768 }, zero[] = { 0 };
	unsigned int i;
	u32 seq;

	bu(test, 10, 0, 100);
	KUNIT_ASSERT_EQ(test, deliver(test), HC_MH_OK);
	seq = cache_seq(test);
	for (i = 0; i < ARRAY_SIZE(stale); i++) {
		bu(test, stale[i], 0, 0);
		KUNIT_ASSERT_EQ(test, deliver(test), HC_MH_OK);
		expect_ba(test, HC_BA_SEQ_WINDOW, 10, NULL, 0);
	}
	/* RFC 6275's check comes first: BID 0 or a BID option of a wrong
	 * length in a stale update get 135, not 164.
	 */
	bid(test, bu(test, 9, HC_BU_A, 100), 0, NULL);
	KUNIT_ASSERT_EQ(test, deliver(test), HC_MH_OK);
	expect_ba(test, HC_BA_SEQ_WINDOW, 10, zero, 1);
	bid_of_length(bu(test, 10, HC_BU_A, 100), 1, 6);
	KUNIT_ASSERT_EQ(test, deliver(test), HC_MH_OK);
	expect_ba(test, HC_BA_SEQ_WINDOW, 10, NULL, 0);
	KUNIT_EXPECT_EQ(test, cache_seq(test), seq);
	KUNIT_EXPECT_EQ(test, n_valid(test), 1U);

	bu(test, 10 + 32767, HC_BU_A, 100);
	KUNIT_ASSERT_EQ(test, deliver(test), HC_MH_OK);
	expect_ba(test, HC_BA_ACCEPTED, 10 + 32767, NULL, 0);
	bu(test, 65535, 0, 100);
	KUNIT_ASSERT_EQ(test, deliver(test), HC_MH_OK);
	bu(test, 0, HC_BU_A, 100);		/* wraps */
	KUNIT_ASSERT_EQ(test, deliver(test), HC_MH_OK);
	expect_ba(test, HC_BA_ACCEPTED, 0, NULL, 0);
}

/* Append a chained BU to the packet being built at t->buf + *off. */
static void chain_bu(struct kunit *test, unsigned int *off, bool last,
		     u16 seq, u16 flags, u16 id, const char *coa)
{
	struct bt *t = test->priv;
	int len;

	hc_mh_start(&t->w, t->buf + *off, sizeof(t->buf) - *off, HC_MH_BU);
	hc_mh_put_bu(&t->w, seq, flags, 100);
	if (!*off)
		hc_mh_put_homeless(&t->w);
	bid(test, &t->w, id, coa);
	if (!last)
		hc_mh_chain(&t->w);
	len = hc_mh_finish(&t->w, &t->peer, &t->me);
	KUNIT_ASSERT_GT(test, len, 0);
	*off += len;
}

/* Draft 3.2.2: several updates in one packet, one BA for the highest;
 * the first refused one stops the rest and gets its own BA.
 */
static void several_updates_in_one_packet(struct kunit *test)
{
	static const u16 all[] = { 1, 2, 3 }, four[] = { 4 }, five[] = { 5 };
	struct bt *t = test->priv;
	unsigned int off = 0;

	chain_bu(test, &off, false, 1, HC_BU_A, 1, NULL);
	chain_bu(test, &off, false, 2, 0, 2, "2001:db8:3::3");
	chain_bu(test, &off, true, 3, 0, 3, "2001:db8:4::4");
	KUNIT_ASSERT_EQ(test, hc_mh_handle(&t->hn, t->buf, off, &t->peer,
					   &t->me, &t->auth, t->now, &t->rx),
			HC_MH_OK);
	expect_ba(test, HC_BA_ACCEPTED, 3, all, 3);
	KUNIT_EXPECT_EQ(test, n_valid(test), 3U);
	KUNIT_EXPECT_EQ(test, counter(test, HC_MH_STAT_BU_ACCEPTED), 3ULL);

	off = 0;
	chain_bu(test, &off, false, 5, HC_BU_A, 4, "2001:db8:5::5");
	chain_bu(test, &off, false, 4, 0, 5, "2001:db8:6::6");
	chain_bu(test, &off, true, 6, 0, 6, "2001:db8:7::7");
	KUNIT_ASSERT_EQ(test, hc_mh_handle(&t->hn, t->buf, off, &t->peer,
					   &t->me, &t->auth, t->now, &t->rx),
			HC_MH_OK);
	KUNIT_ASSERT_EQ(test, t->rx.n_replies, 2U);
	KUNIT_EXPECT_EQ(test, answer(test, 0), HC_BA_ACCEPTED);
	KUNIT_EXPECT_EQ(test, t->ans.seq, 5);
	KUNIT_EXPECT_EQ(test, t->ans.n_bids, 1U);
	KUNIT_EXPECT_EQ(test, t->ans.bids[0].bid, four[0]);
	KUNIT_EXPECT_EQ(test, answer(test, 1), HC_BA_SEQ_WINDOW);
	KUNIT_EXPECT_EQ(test, t->ans.seq, 5);
	KUNIT_EXPECT_EQ(test, t->ans.bids[0].bid, five[0]);
	KUNIT_EXPECT_TRUE(test, bound(test, "2001:db8:5::5", 4));
	KUNIT_EXPECT_NULL(test, find(test, "2001:db8:6::6"));
	KUNIT_EXPECT_NULL(test, find(test, "2001:db8:7::7"));

	/* A broken message anywhere in the packet: nothing at all. */
	off = 0;
	chain_bu(test, &off, false, 7, HC_BU_A, 7, "2001:db8:8::8");
	chain_bu(test, &off, true, 8, 0, 8, "2001:db8:9::9");
	t->buf[off - 1] ^= 1;
	KUNIT_EXPECT_EQ(test, hc_mh_handle(&t->hn, t->buf, off, &t->peer,
					   &t->me, &t->auth, t->now, &t->rx),
			HC_MH_ERR_CSUM);
	KUNIT_EXPECT_NULL(test, find(test, "2001:db8:8::8"));
	KUNIT_EXPECT_EQ(test, t->rx.n_replies, 0U);
}

/* RFC 5648 6.2: BIDs while a binding without BID exists: 165, unless the
 * O flag overwrites everything.
 */
static void overwrite_flag(struct kunit *test)
{
	static const u16 ids[] = { 2, 3 };
	struct hc_mh_writer *w;
	u32 seq;

	hc_mh_put_homeless(bu(test, 1, 0, 100));
	KUNIT_ASSERT_EQ(test, deliver(test), HC_MH_OK);
	seq = cache_seq(test);
	w = bu(test, 2, HC_BU_A, 100);
	bid(test, w, 2, "2001:db8:3::3");
	bid(test, w, 3, "2001:db8:4::4");
	KUNIT_ASSERT_EQ(test, deliver(test), HC_MH_OK);
	expect_ba(test, HC_BA_MCOA_NON_MCOA, 2, ids, 2);
	KUNIT_EXPECT_EQ(test, cache_seq(test), seq);
	KUNIT_EXPECT_TRUE(test, bound(test, "2001:db8:1::1", 0));

	w = bu(test, 3, HC_BU_A | HC_BU_O, 100);
	bid(test, w, 2, "2001:db8:3::3");
	bid(test, w, 3, "2001:db8:4::4");
	KUNIT_ASSERT_EQ(test, deliver(test), HC_MH_OK);
	expect_ba(test, HC_BA_ACCEPTED, 3, ids, 2);
	KUNIT_EXPECT_TRUE(test, expired(test, "2001:db8:1::1"));
	KUNIT_EXPECT_TRUE(test, bound(test, "2001:db8:3::3", 2));
	KUNIT_EXPECT_TRUE(test, bound(test, "2001:db8:4::4", 3));
}

/* Refusals that name no BID: home registration, another peer's address,
 * another scope, no room.
 */
static void other_refusals(struct kunit *test)
{
	struct bt *t = test->priv;
	struct in6_addr other = a6(test, "2001:db8:9::9");
	struct hc_faddr_spec s = { .addr = other };
	struct hc_mh_writer *w;
	unsigned int i;
	char text[32];
	u32 id, seq;

	bu(test, 1, HC_BU_A | HC_BU_H, 100);
	KUNIT_ASSERT_EQ(test, deliver(test), HC_MH_OK);
	expect_ba(test, HC_BA_HOME_UNSUPPORTED, 1, NULL, 0);
	KUNIT_EXPECT_EQ(test, t->hn.cache.n_entries, 0U);

	KUNIT_ASSERT_EQ(test, hc_foreign_create(&t->hn.cache, &s, 1, 0, 0, T0,
						GFP_KERNEL, &id, NULL), 0);
	hc_mh_put_homeless(bu(test, 1, 0, 100));
	KUNIT_ASSERT_EQ(test, deliver(test), HC_MH_OK);
	seq = cache_seq(test);

	bid(test, bu(test, 2, HC_BU_A | HC_BU_O, 100), 1, "2001:db8:9::9");
	KUNIT_ASSERT_EQ(test, deliver(test), HC_MH_OK);
	KUNIT_EXPECT_EQ(test, answer(test, 0), HC_BA_INVALID_COA);
	KUNIT_EXPECT_EQ(test, find(test, "2001:db8:9::9")->entry->id, id);

	bid(test, bu(test, 2, HC_BU_A | HC_BU_O, 100), 1, "fd00::9");
	KUNIT_ASSERT_EQ(test, deliver(test), HC_MH_OK);
	KUNIT_EXPECT_EQ(test, answer(test, 0), HC_BA_ACCEPTED);
	seq = cache_seq(test);

	bid(test, bu(test, 3, HC_BU_A, 100), 2, "fec0::9");	/* site-local */
	KUNIT_ASSERT_EQ(test, deliver(test), HC_MH_OK);
	KUNIT_EXPECT_EQ(test, answer(test, 0), HC_BA_INVALID_COA);
	KUNIT_EXPECT_EQ(test, cache_seq(test), seq);

	/* max-addrs 4: an entry of two (one expired) has no room for four
	 * more.
	 */
	WRITE_ONCE(t->hn.params.max_addrs, 4);
	w = bu(test, 3, HC_BU_A, 100);
	for (i = 2; i <= 5; i++) {
		snprintf(text, sizeof(text), "fd00::%u:1", i);
		bid(test, w, i, text);
	}
	KUNIT_ASSERT_EQ(test, deliver(test), HC_MH_OK);
	KUNIT_EXPECT_EQ(test, answer(test, 0), HC_BA_NO_RESOURCES);
	KUNIT_EXPECT_EQ(test, cache_seq(test), seq);
	KUNIT_EXPECT_NULL(test, find(test, "fd00::2:1"));
	KUNIT_EXPECT_EQ(test, t->hn.cache.stats.refused_addrs, 1ULL);
}

/* Expired addresses the update does not name make room for new ones. */
static void expired_addresses_make_room(struct kunit *test)
{
	struct bt *t = test->priv;
	struct hc_mh_writer *w;

	WRITE_ONCE(t->hn.params.max_addrs, 2);
	w = bu(test, 1, 0, 100);
	hc_mh_put_homeless(w);
	bid(test, w, 1, NULL);
	bid(test, w, 2, "2001:db8:3::3");
	KUNIT_ASSERT_EQ(test, deliver(test), HC_MH_OK);
	bid(test, bu(test, 2, 0, 0), 2, NULL);
	KUNIT_ASSERT_EQ(test, deliver(test), HC_MH_OK);
	KUNIT_EXPECT_TRUE(test, expired(test, "2001:db8:3::3"));

	bid(test, bu(test, 3, HC_BU_A, 100), 3, "2001:db8:4::4");
	KUNIT_ASSERT_EQ(test, deliver(test), HC_MH_OK);
	KUNIT_EXPECT_EQ(test, answer(test, 0), HC_BA_ACCEPTED);
	KUNIT_EXPECT_TRUE(test, bound(test, "2001:db8:4::4", 3));
	KUNIT_EXPECT_NULL(test, find(test, "2001:db8:3::3"));
	KUNIT_EXPECT_EQ(test, find(test, "2001:db8:1::1")->entry->naddrs, 2);

	/* A lower limit does not refuse a refresh that adds nothing. */
	WRITE_ONCE(t->hn.params.max_addrs, 1);
	w = bu(test, 4, HC_BU_A, 100);
	bid(test, w, 1, NULL);
	bid(test, w, 3, "2001:db8:4::4");
	KUNIT_ASSERT_EQ(test, deliver(test), HC_MH_OK);
	KUNIT_EXPECT_EQ(test, answer(test, 0), HC_BA_ACCEPTED);
}

/* Addresses from Alternate Care-of Addresses and Alternate Prefixes of a
 * BU without BID all become bindings.
 */
static void alternate_addresses(struct kunit *test)
{
	struct bt *t = test->priv;
	struct in6_addr pfx[2] = {
		a6(test, "2001:db8:a::"), a6(test, "2001:db8:b::"),
	};
	struct hc_mh_writer *w;

	w = bu(test, 1, HC_BU_A, 100);
	hc_mh_put_homeless(w);
	KUNIT_ASSERT_EQ(test, hc_mh_put_prefixes(w, 8, pfx, 2), 0);
	altcoa(test, "2001:db8:1::1");
	altcoa(test, "2001:db8:c::5");
	KUNIT_ASSERT_EQ(test, deliver(test), HC_MH_OK);
	KUNIT_EXPECT_EQ(test, answer(test, 0), HC_BA_ACCEPTED);
	KUNIT_EXPECT_TRUE(test, bound(test, "2001:db8:1::1", 0));
	KUNIT_EXPECT_TRUE(test, bound(test, "2001:db8:a::1", 0));
	KUNIT_EXPECT_TRUE(test, bound(test, "2001:db8:b::1", 0));
	KUNIT_EXPECT_TRUE(test, bound(test, "2001:db8:c::5", 0));
	KUNIT_EXPECT_EQ(test, n_valid(test), 4U);
	KUNIT_EXPECT_EQ(test, t->hn.cache.n_entries, 1U);
}

/* Deletions never create an entry. */
static void deletions_from_unknown_peers(struct kunit *test)
{
	static const u16 one[] = { 1 };
	struct bt *t = test->priv;

	bu(test, 1, HC_BU_A, 0);
	KUNIT_ASSERT_EQ(test, deliver(test), HC_MH_OK);
	expect_ba(test, HC_BA_ACCEPTED, 1, NULL, 0);
	bid(test, bu(test, 2, HC_BU_A, 0), 1, NULL);
	KUNIT_ASSERT_EQ(test, deliver(test), HC_MH_OK);
	expect_ba(test, HC_BA_NOT_HA, 2, one, 1);
	KUNIT_EXPECT_EQ(test, t->hn.cache.n_entries, 0U);
	KUNIT_EXPECT_EQ(test, t->hn.cache.seq, 0U);
}

/* Not authenticated: counted, nothing changes, no answer. */
static void unauthenticated_changes_nothing(struct kunit *test)
{
	struct bt *t = test->priv;
	int len;

	bu(test, 1, HC_BU_A, 100);
	len = seal_from(test, &t->peer);
	t->auth.open = false;
	KUNIT_ASSERT_EQ(test, hc_mh_handle(&t->hn, t->buf, len, &t->peer,
					   &t->me, &t->auth, t->now, &t->rx),
			HC_MH_OK);
	KUNIT_EXPECT_EQ(test, t->rx.n_replies, 0U);
	KUNIT_EXPECT_EQ(test, t->hn.cache.seq, 0U);
	KUNIT_EXPECT_EQ(test, counter(test, HC_MH_STAT_UNAUTHENTICATED), 1ULL);
	KUNIT_EXPECT_EQ(test, counter(test, HC_MH_STAT_BU_ACCEPTED), 0ULL);
}

/* An entry whose AH SA authenticated an update is the one it changes,
 * even from an address it does not know yet (break before make); no
 * entry is made for the new source.
 */
static void sa_names_the_entry(struct kunit *test)
{
	struct bt *t = test->priv;
	struct hc_faddr_spec s = { .addr = t->peer };
	struct in6_addr moved = a6(test, "2001:db8:5::5");
	u32 id;

	KUNIT_ASSERT_EQ(test, hc_foreign_create(&t->hn.cache, &s, 1, 0, 7, T0,
						GFP_KERNEL, &id, NULL), 0);
	t->auth.open = false;
	t->auth.entry = id;
	bid(test, bu(test, 1, HC_BU_A | HC_BU_O, 100), 1, NULL);
	KUNIT_ASSERT_EQ(test, deliver_from(test, &moved), HC_MH_OK);
	KUNIT_ASSERT_EQ(test, t->rx.n_replies, 1U);
	KUNIT_EXPECT_EQ(test, answer_to(test, 0, &moved), HC_BA_ACCEPTED);
	KUNIT_EXPECT_EQ(test, t->ans.n_bids, 1U);
	KUNIT_EXPECT_EQ(test, t->ans.bids[0].bid, 1);
	KUNIT_EXPECT_EQ(test, t->hn.cache.n_entries, 1U);
	KUNIT_EXPECT_TRUE(test, bound(test, "2001:db8:5::5", 1));
	KUNIT_EXPECT_EQ(test, find(test, "2001:db8:5::5")->entry->id, id);
	KUNIT_EXPECT_EQ(test, find(test, "2001:db8:1::1")->state,
			HOSTCACHE_ADDR_EXPIRED);
}

/* An SA does not vouch for another entry's address: the update claims
 * it, to be tested; nothing changes before.
 */
static void address_of_another_entry_is_claimed_not_bound(struct kunit *test)
{
	struct bt *t = test->priv;
	struct hc_faddr_spec s = { .addr = a6(test, "2001:db8:6::6") };
	u32 seq, mine, other;

	KUNIT_ASSERT_EQ(test, hc_foreign_create(&t->hn.cache, &s, 1, 0, 7, T0,
						GFP_KERNEL, &mine, NULL), 0);
	s.addr = t->peer;
	KUNIT_ASSERT_EQ(test, hc_foreign_create(&t->hn.cache, &s, 1, 0, 0, T0,
						GFP_KERNEL, &other, NULL), 0);
	seq = t->hn.cache.seq;
	t->auth.open = false;
	t->auth.entry = mine;
	bu(test, 1, HC_BU_A, 100);
	KUNIT_ASSERT_EQ(test, deliver(test), HC_MH_OK);
	expect_ba(test, HC_BA_ACCEPTED, 1, NULL, 0);
	KUNIT_EXPECT_EQ(test, t->hn.cache.seq, seq);
	KUNIT_EXPECT_EQ(test, find(test, "2001:db8:1::1")->entry->id, other);
	KUNIT_EXPECT_EQ(test, t->rx.bound, 0U);
	KUNIT_ASSERT_EQ(test, t->rx.n_claims, 1U);
	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&t->rx.claims[0], &t->peer));
}

/* RFC 6275 9.2: a Binding Error for an unknown type, a Parameter Problem
 * for a wrong payload proto or a header length below the minimum.
 */
static void errors_answered(struct kunit *test)
{
	struct bt *t = test->priv;
	int len;

	/* A Home Test, which a host without home agent does not handle. */
	hc_mh_start(&t->w, t->buf, sizeof(t->buf), 3);
	hc_mh_put_bu(&t->w, 1, 0, 0);
	KUNIT_ASSERT_EQ(test, deliver(test), HC_MH_ERR_TYPE);
	KUNIT_ASSERT_EQ(test, t->rx.n_replies, 1U);
	KUNIT_EXPECT_EQ(test, answer(test, 0), HC_BE_UNKNOWN_TYPE);
	KUNIT_EXPECT_EQ(test, t->ans.type, HC_MH_BE);
	KUNIT_EXPECT_TRUE(test, ipv6_addr_any(&t->ans.home));
	KUNIT_EXPECT_EQ(test, t->rx.param_problem, -1);

	hc_mh_start(&t->w, t->buf, sizeof(t->buf), HC_MH_BE);
	hc_mh_put_be(&t->w, HC_BE_UNKNOWN_TYPE, &in6addr_any);
	hc_mh_chain(&t->w);	/* only updates and acknowledgments chain */
	KUNIT_ASSERT_EQ(test, deliver(test), HC_MH_ERR_PROTO);
	KUNIT_EXPECT_EQ(test, t->rx.param_problem, 0);
	KUNIT_EXPECT_EQ(test, t->rx.n_replies, 0U);

	bu(test, 1, HC_BU_A, 100);
	len = seal_from(test, &t->peer);
	t->buf[1] = 0;		/* 8 bytes: below a BU's 12 */
	t->buf[4] = 0;
	t->buf[5] = 0;
	*(__sum16 *)(t->buf + 4) =
		csum_ipv6_magic(&t->peer, &t->me, 8, IPPROTO_MH,
				csum_partial(t->buf, 8, 0));
	KUNIT_ASSERT_EQ(test, hc_mh_handle(&t->hn, t->buf, len, &t->peer,
					   &t->me, &t->auth, t->now, &t->rx),
			HC_MH_ERR_SHORT);
	KUNIT_EXPECT_EQ(test, t->rx.param_problem, 1);
	KUNIT_EXPECT_EQ(test, t->hn.cache.seq, 0U);
}

/* A packet of one hand-made BU: 12 bytes of header, then @opts, padded
 * with Pad1 to a multiple of 8 and sealed; returns its length.
 */
static unsigned int raw_bu(struct kunit *test, u8 proto, const u8 *opts,
			   unsigned int olen)
{
	struct bt *t = test->priv;
	unsigned int len = round_up(12 + olen, 8);
	__sum16 csum;

	memset(t->buf, 0, sizeof(t->buf));
	t->buf[0] = proto;
	t->buf[1] = len / 8 - 1;
	t->buf[2] = HC_MH_BU;
	t->buf[7] = 1;				/* sequence 1 */
	t->buf[8] = HC_BU_A >> 8;
	t->buf[11] = 100;			/* lifetime */
	memcpy(t->buf + 12, opts, olen);
	csum = csum_ipv6_magic(&t->peer, &t->me, len, IPPROTO_MH,
			       csum_partial(t->buf, len, 0));
	memcpy(t->buf + 4, &csum, sizeof(csum));
	return len;
}

/* Options below: Homeless Support is 18, 2, 1, 0; BID 1 is 35, 4, 0, 1,
 * 0, 0.
 */
static const struct malformed {
	const char *what;
	int verdict;
	u8 proto;
	unsigned int cut;	/* bytes to drop from the end */
	u8 opts[64];
	unsigned int olen;
} malformed[] = {
	{ "shorter than a header", HC_MH_ERR_SHORT, 59, 17,
	  { 18, 2, 1, 0, 35, 4, 0, 1, 0, 0 }, 10 },
	{ "header length past the packet", HC_MH_ERR_LENGTH, 59, 8,
	  { 18, 2, 1, 0, 35, 4, 0, 1, 0, 0 }, 10 },
	{ "payload proto TCP", HC_MH_ERR_PROTO, 6, 0,
	  { 18, 2, 1, 0, 35, 4, 0, 1, 0, 0 }, 10 },
	{ "option past the message", HC_MH_ERR_OPTION, 59, 0,
	  { 18, 2, 1, 0, 35, 4, 0, 1, 0, 0, 1, 9 }, 12 },
	{ "Refresh Advice of 3 bytes", HC_MH_ERR_OPTLEN, 59, 0,
	  { 18, 2, 1, 0, 2, 3, 0, 0, 0, 35, 4, 0, 1, 0, 0 }, 15 },
	{ "prefix count against the length", HC_MH_ERR_PREFIXES, 59, 0,
	  { 18, 10, 2, 1 << 6 | 2, 0x20, 1, 0xd, 0xb8, 0, 0xa, 0, 1,
	    35, 4, 0, 1, 0, 0 }, 18 },
	{ "17 BID options (built below)", HC_MH_ERR_TOO_MANY, 59, 0, {}, 0 },
};

/* Each malformed packet is refused for its own reason, counted, and
 * changes nothing; the same update well-formed would have.
 */
static void malformed_packets_change_nothing(struct kunit *test)
{
	const struct malformed *m;
	struct bt *t = test->priv;
	unsigned int i, len;
	int verdict;
	u8 many[17 * 6];

	for (i = 0; i < ARRAY_SIZE(malformed); i++) {
		m = &malformed[i];
		len = raw_bu(test, m->proto, m->opts, m->olen);
		if (m->verdict == HC_MH_ERR_TOO_MANY) {
			memset(many, 0, sizeof(many));
			for (len = 0; len < 17; len++) {
				many[6 * len] = HC_MHOPT_BID;
				many[6 * len + 1] = 4;
				many[6 * len + 3] = len + 1;
			}
			len = raw_bu(test, 59, many, sizeof(many));
		}
		verdict = hc_mh_handle(&t->hn, t->buf, len - m->cut, &t->peer,
				       &t->me, &t->auth, t->now, &t->rx);
		KUNIT_EXPECT_EQ_MSG(test, verdict, m->verdict, "%s", m->what);
		KUNIT_EXPECT_EQ_MSG(test, counter(test, m->verdict), 1ULL,
				    "%s", m->what);
		KUNIT_EXPECT_EQ_MSG(test, cache_seq(test), 0U, "%s", m->what);
	}
	/* Bad checksum, and unknown type (which gets a Binding Error). */
	len = raw_bu(test, 59, malformed[2].opts + 4, 6);	/* BID 1 */
	t->buf[len - 1] ^= 1;
	KUNIT_EXPECT_EQ(test, hc_mh_handle(&t->hn, t->buf, len, &t->peer,
					   &t->me, &t->auth, t->now, &t->rx),
			HC_MH_ERR_CSUM);
	KUNIT_EXPECT_EQ(test, counter(test, HC_MH_ERR_CSUM), 1ULL);
	KUNIT_EXPECT_EQ(test, cache_seq(test), 0U);
	KUNIT_EXPECT_EQ(test, counter(test, HC_MH_STAT_RECEIVED),
			(u64)ARRAY_SIZE(malformed) + 1);

	len = raw_bu(test, 59, malformed[2].opts, 10);	/* as TCP's, proto 59 */
	KUNIT_EXPECT_EQ(test, hc_mh_handle(&t->hn, t->buf, len, &t->peer,
					   &t->me, &t->auth, t->now, &t->rx),
			HC_MH_OK);
	KUNIT_EXPECT_TRUE(test, bound(test, "2001:db8:1::1", 1));
}

/* Append a chained BA of @status and @seq, copying BID @id with its own
 * @bid_status, to the packet being built at t->buf + *off.
 */
static void chain_ba(struct kunit *test, unsigned int *off, bool last,
		     u8 status, u16 seq, u16 id, u8 bid_status)
{
	struct hc_mh_bid b = { .bid = id, .status = bid_status };
	struct bt *t = test->priv;
	int len;

	hc_mh_start(&t->w, t->buf + *off, sizeof(t->buf) - *off, HC_MH_BA);
	hc_mh_put_ba(&t->w, status, 0, seq, 25);
	hc_mh_put_bid(&t->w, &b);
	if (!last)
		hc_mh_chain(&t->w);
	len = hc_mh_finish(&t->w, &t->peer, &t->me);
	KUNIT_ASSERT_GT(test, len, 0);
	*off += len;
}

/* Draft 3.2.2: a packet may carry several acknowledgments; each is kept,
 * in order, with its BIDs and their own statuses, for announce.c. A BA
 * chained to a BU is refused.
 */
static void several_acknowledgments_in_one_packet(struct kunit *test)
{
	struct bt *t = test->priv;
	unsigned int off = 0;

	chain_ba(test, &off, false, 4, 7, 1, 0);
	chain_ba(test, &off, true, 0, 8, 2, HC_BA_INVALID_COA);
	KUNIT_ASSERT_EQ(test, hc_mh_handle(&t->hn, t->buf, off, &t->peer,
					   &t->me, &t->auth, t->now, &t->rx),
			HC_MH_OK);
	KUNIT_EXPECT_EQ(test, t->rx.n_replies, 0U);
	KUNIT_ASSERT_EQ(test, t->rx.n_acks, 2U);
	KUNIT_EXPECT_EQ(test, t->rx.acks[0].status, 4);
	KUNIT_EXPECT_EQ(test, t->rx.acks[0].seq, 7);
	KUNIT_EXPECT_EQ(test, t->rx.acks[0].lifetime, 25);
	KUNIT_ASSERT_EQ(test, t->rx.acks[0].n_bids, 1U);
	KUNIT_EXPECT_EQ(test, t->rx.acks[0].bids[0], 1);
	KUNIT_EXPECT_EQ(test, t->rx.acks[0].bid_status[0], 0);
	KUNIT_EXPECT_EQ(test, t->rx.acks[1].seq, 8);
	KUNIT_ASSERT_EQ(test, t->rx.acks[1].n_bids, 1U);
	KUNIT_EXPECT_EQ(test, t->rx.acks[1].bids[0], 2);
	KUNIT_EXPECT_EQ(test, t->rx.acks[1].bid_status[0], HC_BA_INVALID_COA);

	off = 0;
	chain_bu(test, &off, false, 1, HC_BU_A, 1, NULL);
	chain_ba(test, &off, true, 0, 8, 2, 0);
	KUNIT_EXPECT_EQ(test, hc_mh_handle(&t->hn, t->buf, off, &t->peer,
					   &t->me, &t->auth, t->now, &t->rx),
			HC_MH_ERR_PROTO);
	KUNIT_EXPECT_EQ(test, t->rx.n_acks, 0U);
	KUNIT_EXPECT_EQ(test, cache_seq(test), 0U);
}

/* Five updates in one packet: more than a packet may carry. */
static void too_many_updates_in_one_packet(struct kunit *test)
{
	struct bt *t = test->priv;
	unsigned int off = 0, i;

	for (i = 0; i < HC_MH_MAX_CHAIN + 1; i++)
		chain_bu(test, &off, i == HC_MH_MAX_CHAIN, i + 1, HC_BU_A,
			 i + 1, NULL);
	KUNIT_EXPECT_EQ(test, hc_mh_handle(&t->hn, t->buf, off, &t->peer,
					   &t->me, &t->auth, t->now, &t->rx),
			HC_MH_ERR_TOO_MANY);
	KUNIT_EXPECT_EQ(test, cache_seq(test), 0U);
}

static struct kunit_case binding_cases[] = {
	KUNIT_CASE(update_creates_entry),
	KUNIT_CASE(update_makes_lifetime_absolute),
	KUNIT_CASE(bid_rules),
	KUNIT_CASE(update_without_bid_replaces_all),
	KUNIT_CASE(bulk_only_from_homeless_peers),
	KUNIT_CASE(malformed_bids_change_nothing),
	KUNIT_CASE(care_of_address_choice),
	KUNIT_CASE(several_addresses_only_from_homeless_peers),
	KUNIT_CASE(largest_acknowledgment),
	KUNIT_CASE(sequence_window),
	KUNIT_CASE(several_updates_in_one_packet),
	KUNIT_CASE(overwrite_flag),
	KUNIT_CASE(other_refusals),
	KUNIT_CASE(expired_addresses_make_room),
	KUNIT_CASE(alternate_addresses),
	KUNIT_CASE(deletions_from_unknown_peers),
	KUNIT_CASE(unauthenticated_changes_nothing),
	KUNIT_CASE(sa_names_the_entry),
	KUNIT_CASE(address_of_another_entry_is_claimed_not_bound),
	KUNIT_CASE(errors_answered),
	KUNIT_CASE(malformed_packets_change_nothing),
	KUNIT_CASE(several_acknowledgments_in_one_packet),
	KUNIT_CASE(too_many_updates_in_one_packet),
	{}
};

static struct kunit_suite binding_suite = {
	.name = "hostcache_binding",
	.suite_init = binding_suite_init,
	.suite_exit = binding_suite_exit,
	.init = binding_test_init,
	.exit = binding_test_exit,
	.test_cases = binding_cases,
};

kunit_test_suite(binding_suite);
