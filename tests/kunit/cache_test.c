// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the foreign Host Cache: creation and lookup, refused
 * requests that change nothing, lifetimes driven by a fake clock, expiry,
 * eviction of untrusted entries and the limits.
 */

#include <kunit/test.h>
#include <linux/inet.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/netlink.h>
#include <net/ipv6.h>
#include <linux/hostcache.h>

#include "../../net/hostcache/hostcache.h"

struct cache_test {
	struct hc_params params;
	struct hc_cache cache;
};

/* A clock that starts close to the jiffies wrap, so wrapping is tested. */
#define T0 ((unsigned long)-(30 * HZ))
#define AT(seconds) (T0 + (unsigned long)(seconds) * HZ)

static int cache_suite_init(struct kunit_suite *suite)
{
	return hc_cache_module_init();
}

static void cache_suite_exit(struct kunit_suite *suite)
{
	hc_cache_module_exit();
}

static int cache_test_init(struct kunit *test)
{
	struct cache_test *t;

	t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, t);
	hc_params_init(&t->params);
	KUNIT_ASSERT_EQ(test, hc_cache_init(&t->cache, &t->params), 0);
	test->priv = t;
	return 0;
}

static void cache_test_exit(struct kunit *test)
{
	struct cache_test *t = test->priv;

	hc_cache_destroy(&t->cache);
}

static struct hc_cache *cache_of(struct kunit *test)
{
	return &((struct cache_test *)test->priv)->cache;
}

static struct hc_params *params_of(struct kunit *test)
{
	return &((struct cache_test *)test->priv)->params;
}

static struct hc_faddr_spec spec(struct kunit *test, const char *text,
				 u32 lifetime)
{
	struct hc_faddr_spec s = { .lifetime = lifetime };

	KUNIT_ASSERT_TRUE_MSG(test, in6_pton(text, -1, s.addr.s6_addr, -1, NULL),
			      "bad address %s", text);
	return s;
}

static struct hc_faddr *lookup(struct kunit *test, const char *text)
{
	struct in6_addr addr;
	struct hc_faddr *fa;

	KUNIT_ASSERT_TRUE(test, in6_pton(text, -1, addr.s6_addr, -1, NULL));
	rcu_read_lock();
	fa = hc_faddr_lookup(cache_of(test), &addr);
	rcu_read_unlock();
	return fa;
}

/* Create an entry of one or two addresses; assert it worked. */
static u32 create(struct kunit *test, const char *a, const char *b, u8 flags)
{
	struct hc_faddr_spec specs[2] = { spec(test, a, 0) };
	u32 id = 0;

	if (b)
		specs[1] = spec(test, b, 0);
	KUNIT_ASSERT_EQ(test, hc_foreign_create(cache_of(test), specs,
						b ? 2 : 1, flags, 0, T0,
						GFP_KERNEL, &id, NULL), 0);
	KUNIT_ASSERT_NE(test, id, 0U);
	return id;
}

static int try_create(struct kunit *test, const struct hc_faddr_spec *specs,
		      unsigned int n, struct netlink_ext_ack *extack)
{
	u32 id = 0;
	int err;

	err = hc_foreign_create(cache_of(test), specs, n, 0, 0, T0,
				GFP_KERNEL, &id, extack);
	KUNIT_EXPECT_EQ(test, id, err ? 0U : id);
	return err;
}

static void create_and_look_up(struct kunit *test)
{
	struct hc_cache *cache = cache_of(test);
	struct hc_faddr *fa1, *fa2;
	u32 id;

	id = create(test, "2001:db8::1", "2001:db8:1::1", 0);
	fa1 = lookup(test, "2001:db8::1");
	fa2 = lookup(test, "2001:db8:1::1");
	KUNIT_ASSERT_NOT_NULL(test, fa1);
	KUNIT_ASSERT_NOT_NULL(test, fa2);
	KUNIT_EXPECT_PTR_EQ(test, fa1->entry, fa2->entry);
	KUNIT_EXPECT_EQ(test, fa1->entry->id, id);
	KUNIT_EXPECT_EQ(test, fa1->entry->naddrs, 2);
	KUNIT_EXPECT_EQ(test, fa1->state, HOSTCACHE_ADDR_VALID);
	KUNIT_EXPECT_FALSE(test, fa1->flags & HOSTCACHE_ADDR_F_ABSOLUTE);
	KUNIT_EXPECT_NULL(test, lookup(test, "2001:db8::2"));
	KUNIT_EXPECT_EQ(test, cache->n_entries, 1U);
	KUNIT_EXPECT_EQ(test, cache->n_untrusted, 1U);
	KUNIT_EXPECT_EQ(test, cache->stats.created, 1ULL);
	KUNIT_EXPECT_NE(test, create(test, "2001:db8::2", NULL, 0), id);
}

static void refuse_unusable_addresses(struct kunit *test)
{
	static const char * const bad[] = {
		"::", "ff02::1", "::1", "::ffff:192.0.2.1",
	};
	struct netlink_ext_ack extack = {};
	struct hc_faddr_spec s;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		s = spec(test, bad[i], 0);
		KUNIT_EXPECT_EQ_MSG(test, try_create(test, &s, 1, &extack),
				    -EINVAL, "%s", bad[i]);
	}
	KUNIT_EXPECT_NOT_NULL(test, extack._msg);
	KUNIT_EXPECT_EQ(test, cache_of(test)->n_entries, 0U);
	KUNIT_EXPECT_EQ(test, cache_of(test)->stats.created, 0ULL);
}

static void refuse_scope_mix_and_repeats(struct kunit *test)
{
	struct hc_faddr_spec mix[2] = {
		spec(test, "2001:db8::1", 0), spec(test, "fe80::1", 0),
	};
	struct hc_faddr_spec twice[2] = {
		spec(test, "2001:db8::1", 0), spec(test, "2001:db8::1", 0),
	};
	struct netlink_ext_ack extack = {};

	KUNIT_EXPECT_EQ(test, try_create(test, mix, 2, &extack), -EINVAL);
	KUNIT_EXPECT_STREQ(test, extack._msg,
			   "an entry's addresses must share one scope");
	KUNIT_EXPECT_EQ(test, try_create(test, twice, 2, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, try_create(test, mix, 0, NULL), -EINVAL);
	KUNIT_EXPECT_NULL(test, lookup(test, "2001:db8::1"));
	KUNIT_EXPECT_EQ(test, cache_of(test)->n_entries, 0U);
}

static void refuse_address_of_another_entry(struct kunit *test)
{
	struct hc_faddr_spec specs[2] = {
		spec(test, "2001:db8::2", 0), spec(test, "2001:db8::1", 0),
	};
	u32 id;

	id = create(test, "2001:db8::1", NULL, 0);
	KUNIT_EXPECT_EQ(test, try_create(test, specs, 2, NULL), -EEXIST);
	/* The new address of the refused request was not left behind. */
	KUNIT_EXPECT_NULL(test, lookup(test, "2001:db8::2"));
	KUNIT_EXPECT_EQ(test, lookup(test, "2001:db8::1")->entry->id, id);
	KUNIT_EXPECT_EQ(test, cache_of(test)->n_entries, 1U);
	KUNIT_EXPECT_EQ(test, cache_of(test)->n_untrusted, 1U);
}

/* A claimed address moves, verified, to the claiming entry; the entry it
 * leaves empty goes; an entry that keeps others stays; an entry with an
 * SA of its own keeps its address.
 */
static void claimed_address_moves_and_empty_entry_goes(struct kunit *test)
{
	struct hc_cache *cache = cache_of(test);
	struct hc_faddr_spec b2 = spec(test, "2001:db8::b2", 0);
	u32 mine, other, third;

	mine = create(test, "2001:db8::b1", NULL, 0);
	other = create(test, "2001:db8::b2", NULL, 0);
	third = create(test, "2001:db8::c1", "2001:db8::c2", 0);
	KUNIT_EXPECT_EQ(test, hc_foreign_claim(cache, mine, &b2.addr), 0);
	KUNIT_EXPECT_EQ(test, lookup(test, "2001:db8::b2")->entry->id, mine);
	KUNIT_EXPECT_TRUE(test, lookup(test, "2001:db8::b2")->flags &
				HOSTCACHE_ADDR_F_VERIFIED);
	KUNIT_EXPECT_EQ(test, lookup(test, "2001:db8::b1")->entry->naddrs, 2);
	KUNIT_EXPECT_NULL(test, xa_load(&cache->entries, other));
	KUNIT_EXPECT_EQ(test, cache->n_entries, 2U);
	KUNIT_EXPECT_EQ(test, hc_foreign_claim(cache, mine, &b2.addr), -ENOENT);

	b2 = spec(test, "2001:db8::c2", 0);
	KUNIT_EXPECT_EQ(test, hc_foreign_claim(cache, mine, &b2.addr), 0);
	KUNIT_EXPECT_EQ(test, lookup(test, "2001:db8::c1")->entry->id, third);
	KUNIT_EXPECT_EQ(test, lookup(test, "2001:db8::c1")->entry->naddrs, 1);
	KUNIT_EXPECT_EQ(test, cache->n_entries, 2U);

	b2 = spec(test, "fe80::c3", 0);
	other = create(test, "fe80::c3", NULL, 0);
	KUNIT_EXPECT_EQ(test, hc_foreign_claim(cache, mine, &b2.addr), -EINVAL);
	KUNIT_EXPECT_EQ(test, lookup(test, "fe80::c3")->entry->id, other);

	/* An entry keyed by an SA of its own keeps its addresses. */
	b2 = spec(test, "2001:db8::d1", 0);
	KUNIT_ASSERT_EQ(test, hc_foreign_create(cache, &b2, 1, 0, 9, T0,
						GFP_KERNEL, &other, NULL), 0);
	KUNIT_EXPECT_EQ(test, hc_foreign_claim(cache, mine, &b2.addr), -EPERM);
	KUNIT_EXPECT_EQ(test, lookup(test, "2001:db8::d1")->entry->id, other);
}

static void refuse_more_addresses_than_the_limit(struct kunit *test)
{
	struct hc_faddr_spec specs[3] = {
		spec(test, "2001:db8::1", 0), spec(test, "2001:db8::2", 0),
		spec(test, "2001:db8::3", 0),
	};
	struct hc_cache *cache = cache_of(test);
	u32 id;

	params_of(test)->max_addrs = 2;
	KUNIT_EXPECT_EQ(test, try_create(test, specs, 3, NULL), -E2BIG);
	KUNIT_EXPECT_EQ(test, cache->stats.refused_addrs, 1ULL);
	KUNIT_EXPECT_EQ(test, cache->n_entries, 0U);

	id = create(test, "2001:db8::1", "2001:db8::2", 0);
	KUNIT_EXPECT_EQ(test, hc_foreign_add_addrs(cache, id, &specs[2], 1, T0,
						   GFP_KERNEL, NULL), -E2BIG);
	KUNIT_EXPECT_EQ(test, cache->stats.refused_addrs, 2ULL);
	KUNIT_EXPECT_NULL(test, lookup(test, "2001:db8::3"));
}

static void add_addresses_all_or_nothing(struct kunit *test)
{
	struct hc_cache *cache = cache_of(test);
	struct hc_faddr_spec specs[2] = {
		spec(test, "2001:db8::3", 0), spec(test, "2001:db8::2", 0),
	};
	struct hc_faddr_spec local = spec(test, "fe80::3", 0);
	u32 id;

	id = create(test, "2001:db8::1", NULL, 0);
	create(test, "2001:db8::2", NULL, 0);
	KUNIT_EXPECT_EQ(test, hc_foreign_add_addrs(cache, id, specs, 2, T0,
						   GFP_KERNEL, NULL), -EEXIST);
	KUNIT_EXPECT_NULL(test, lookup(test, "2001:db8::3"));
	KUNIT_EXPECT_EQ(test, hc_foreign_add_addrs(cache, id, &local, 1, T0,
						   GFP_KERNEL, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, hc_foreign_add_addrs(cache, id + 100, specs, 1,
						   T0, GFP_KERNEL, NULL),
			-ENOENT);
	KUNIT_EXPECT_EQ(test, lookup(test, "2001:db8::1")->entry->naddrs, 1);

	KUNIT_ASSERT_EQ(test, hc_foreign_add_addrs(cache, id, specs, 1, T0,
						   GFP_KERNEL, NULL), 0);
	KUNIT_ASSERT_NOT_NULL(test, lookup(test, "2001:db8::3"));
	KUNIT_EXPECT_EQ(test, lookup(test, "2001:db8::3")->entry->id, id);
	KUNIT_EXPECT_EQ(test, lookup(test, "2001:db8::1")->entry->naddrs, 2);
	KUNIT_EXPECT_EQ(test, hc_foreign_add_addrs(cache, id, specs, 1, T0,
						   GFP_KERNEL, NULL), -EEXIST);
}

static void delete_addresses_and_entries(struct kunit *test)
{
	struct hc_cache *cache = cache_of(test);
	struct hc_faddr_spec a1 = spec(test, "2001:db8::1", 0);
	struct hc_faddr_spec b = spec(test, "2001:db8::9", 0);
	u32 id, other;

	id = create(test, "2001:db8::1", "2001:db8::2", 0);
	other = create(test, "2001:db8::9", NULL, 0);
	KUNIT_EXPECT_EQ(test, hc_foreign_del_addr(cache, id, &b.addr, NULL),
			-ENOENT);
	KUNIT_EXPECT_EQ(test, hc_foreign_del_addr(cache, id, &a1.addr, NULL), 0);
	KUNIT_EXPECT_NULL(test, lookup(test, "2001:db8::1"));
	KUNIT_EXPECT_EQ(test, lookup(test, "2001:db8::2")->entry->naddrs, 1);

	/* The last address takes its entry with it. */
	KUNIT_EXPECT_EQ(test, hc_foreign_del_addr(cache, other, &b.addr, NULL), 0);
	KUNIT_EXPECT_EQ(test, cache->n_entries, 1U);
	KUNIT_EXPECT_EQ(test, hc_foreign_delete(cache, other, NULL), -ENOENT);
	KUNIT_EXPECT_EQ(test, hc_foreign_delete(cache, id, NULL), 0);
	KUNIT_EXPECT_NULL(test, lookup(test, "2001:db8::2"));
	KUNIT_EXPECT_EQ(test, cache->n_entries, 0U);
	KUNIT_EXPECT_EQ(test, cache->n_untrusted, 0U);
	KUNIT_EXPECT_EQ(test, cache->stats.removed, 2ULL);
}

static void idle_address_expires_then_goes(struct kunit *test)
{
	struct hc_cache *cache = cache_of(test);
	struct hc_faddr *fa;

	create(test, "2001:db8::1", NULL, 0);
	fa = lookup(test, "2001:db8::1");

	hc_cache_gc(cache, AT(599));
	KUNIT_EXPECT_EQ(test, fa->state, HOSTCACHE_ADDR_VALID);
	hc_cache_gc(cache, AT(600));
	KUNIT_EXPECT_EQ(test, fa->state, HOSTCACHE_ADDR_EXPIRED);
	KUNIT_EXPECT_EQ(test, cache->stats.addrs_expired, 1ULL);

	/* Kept as expired for MAXIMUM-EXPIRED-LIFETIME from expiry. */
	hc_cache_gc(cache, AT(600 + 1799));
	KUNIT_EXPECT_PTR_EQ(test, lookup(test, "2001:db8::1"), fa);
	hc_cache_gc(cache, AT(600 + 1800));
	KUNIT_EXPECT_NULL(test, lookup(test, "2001:db8::1"));
	KUNIT_EXPECT_EQ(test, cache->stats.addrs_removed, 1ULL);
	KUNIT_EXPECT_EQ(test, cache->n_entries, 0U);
}

/* An expired address a flow still sends to (its identifier) goes
 * MAXIMUM-EXPIRED-LIFETIME after it expired all the same (draft 2.1.3),
 * and hc_faddr_doomed() says so beforehand.
 */
static void used_expired_address_goes_all_the_same(struct kunit *test)
{
	struct hc_cache *cache = cache_of(test);
	struct hc_faddr *fa;

	create(test, "2001:db8::1", NULL, 0);
	fa = lookup(test, "2001:db8::1");
	KUNIT_EXPECT_FALSE(test, hc_faddr_doomed(cache, fa, AT(2399)));
	KUNIT_EXPECT_TRUE(test, hc_faddr_doomed(cache, fa, AT(2400)));
	hc_cache_gc(cache, AT(600));
	KUNIT_ASSERT_EQ(test, fa->state, HOSTCACHE_ADDR_EXPIRED);

	WRITE_ONCE(fa->last_used, AT(2300));
	KUNIT_EXPECT_FALSE(test, hc_faddr_doomed(cache, fa, AT(2399)));
	hc_cache_gc(cache, AT(2399));
	KUNIT_EXPECT_PTR_EQ(test, lookup(test, "2001:db8::1"), fa);
	KUNIT_EXPECT_TRUE(test, hc_faddr_doomed(cache, fa, AT(2400)));
	hc_cache_gc(cache, AT(2400));
	KUNIT_EXPECT_NULL(test, lookup(test, "2001:db8::1"));
	KUNIT_EXPECT_EQ(test, cache->n_entries, 0U);
}

static void use_renews_activity_lifetime(struct kunit *test)
{
	struct hc_faddr *fa;

	create(test, "2001:db8::1", NULL, 0);
	fa = lookup(test, "2001:db8::1");
	WRITE_ONCE(fa->last_used, AT(500));
	hc_cache_gc(cache_of(test), AT(1099));
	KUNIT_EXPECT_EQ(test, fa->state, HOSTCACHE_ADDR_VALID);
	hc_cache_gc(cache_of(test), AT(1100));
	KUNIT_EXPECT_EQ(test, fa->state, HOSTCACHE_ADDR_EXPIRED);
}

static void absolute_lifetime_ignores_use(struct kunit *test)
{
	struct hc_faddr_spec s = spec(test, "2001:db8::1", 60);
	struct hc_faddr *fa;

	KUNIT_ASSERT_EQ(test, try_create(test, &s, 1, NULL), 0);
	fa = lookup(test, "2001:db8::1");
	KUNIT_EXPECT_TRUE(test, fa->flags & HOSTCACHE_ADDR_F_ABSOLUTE);
	WRITE_ONCE(fa->last_used, AT(59));
	hc_cache_gc(cache_of(test), AT(59));
	KUNIT_EXPECT_EQ(test, fa->state, HOSTCACHE_ADDR_VALID);
	hc_cache_gc(cache_of(test), AT(60));
	KUNIT_EXPECT_EQ(test, fa->state, HOSTCACHE_ADDR_EXPIRED);
}

static void parameters_apply_to_existing_addresses(struct kunit *test)
{
	struct hc_faddr *fa;

	create(test, "2001:db8::1", NULL, 0);
	fa = lookup(test, "2001:db8::1");
	params_of(test)->default_lifetime = 10;
	params_of(test)->max_expired_lifetime = 5;
	hc_cache_gc(cache_of(test), AT(10));
	KUNIT_EXPECT_EQ(test, fa->state, HOSTCACHE_ADDR_EXPIRED);
	hc_cache_gc(cache_of(test), AT(15));
	KUNIT_EXPECT_NULL(test, lookup(test, "2001:db8::1"));
}

static void entry_stays_while_one_address_lives(struct kunit *test)
{
	struct hc_faddr_spec s = spec(test, "2001:db8::2", 3600);
	struct hc_cache *cache = cache_of(test);
	u32 id;

	id = create(test, "2001:db8::1", NULL, 0);
	KUNIT_ASSERT_EQ(test, hc_foreign_add_addrs(cache, id, &s, 1, T0,
						   GFP_KERNEL, NULL), 0);
	hc_cache_gc(cache, AT(600 + 1800));
	KUNIT_EXPECT_NULL(test, lookup(test, "2001:db8::1"));
	KUNIT_ASSERT_NOT_NULL(test, lookup(test, "2001:db8::2"));
	KUNIT_EXPECT_EQ(test, lookup(test, "2001:db8::2")->state, HOSTCACHE_ADDR_VALID);
	KUNIT_EXPECT_EQ(test, cache->n_entries, 1U);
}

static void gc_batches_cover_every_entry(struct kunit *test)
{
	struct hc_cache *cache = cache_of(test);
	unsigned long cursor = 0;
	unsigned int batches = 0;
	char text[40];
	int i;

	for (i = 0; i < 10; i++) {
		snprintf(text, sizeof(text), "2001:db8::%x", i + 1);
		create(test, text, NULL, 0);
	}
	do {
		batches++;
	} while (!hc_cache_gc_batch(cache, AT(600), &cursor, 3));
	KUNIT_EXPECT_EQ(test, batches, 4U);
	KUNIT_EXPECT_EQ(test, cursor, 0UL);
	KUNIT_EXPECT_EQ(test, cache->stats.addrs_expired, 10ULL);
}

/* A full cache makes room by evicting untrusted entries, never trusted. */
static void full_cache_evicts_untrusted_only(struct kunit *test)
{
	struct hc_cache *cache = cache_of(test);
	u32 trusted1, trusted2;
	char text[40];
	int i;

	params_of(test)->max_entries = 4;
	trusted1 = create(test, "2001:db8::1", NULL, HOSTCACHE_FOREIGN_F_TRUSTED);
	trusted2 = create(test, "2001:db8::2", NULL, HOSTCACHE_FOREIGN_F_TRUSTED);
	for (i = 0; i < 50; i++) {
		snprintf(text, sizeof(text), "2001:db8:1::%x", i + 1);
		create(test, text, NULL, 0);
		KUNIT_EXPECT_LE(test, cache->n_entries, 4U);
	}
	KUNIT_EXPECT_EQ(test, cache->n_entries, 4U);
	KUNIT_EXPECT_EQ(test, cache->n_untrusted, 2U);
	KUNIT_EXPECT_EQ(test, cache->stats.evicted, 48ULL);
	KUNIT_EXPECT_EQ(test, lookup(test, "2001:db8::1")->entry->id, trusted1);
	KUNIT_EXPECT_EQ(test, lookup(test, "2001:db8::2")->entry->id, trusted2);
	/* The newest entry is always there: it is added after the eviction. */
	KUNIT_EXPECT_NOT_NULL(test, lookup(test, "2001:db8:1::32"));
}

/*
 * Eviction is random, not oldest first: with two untrusted entries, the
 * older one survives some of 64 rounds (each round, one of the two goes
 * with probability 1/2: all 64 picking the older has odds 2^-64).
 */
static void eviction_is_random(struct kunit *test)
{
	unsigned int old_survived = 0;
	char text[40];
	int i;

	params_of(test)->max_entries = 2;
	create(test, "2001:db8::1", NULL, 0);
	for (i = 0; i < 64; i++) {
		snprintf(text, sizeof(text), "2001:db8:1::%x", i + 1);
		create(test, text, NULL, 0);
		if (lookup(test, "2001:db8::1"))
			old_survived++;
	}
	KUNIT_EXPECT_GT(test, old_survived, 0U);
}

static void full_of_trusted_refuses(struct kunit *test)
{
	struct hc_faddr_spec s = spec(test, "2001:db8::3", 0);
	struct hc_cache *cache = cache_of(test);
	struct netlink_ext_ack extack = {};

	params_of(test)->max_entries = 2;
	create(test, "2001:db8::1", NULL, HOSTCACHE_FOREIGN_F_TRUSTED);
	create(test, "2001:db8::2", NULL, HOSTCACHE_FOREIGN_F_TRUSTED);
	KUNIT_EXPECT_EQ(test, try_create(test, &s, 1, &extack), -ENOSPC);
	KUNIT_EXPECT_NOT_NULL(test, extack._msg);
	KUNIT_EXPECT_EQ(test, cache->stats.refused_full, 1ULL);
	KUNIT_EXPECT_EQ(test, cache->n_entries, 2U);
	KUNIT_EXPECT_NULL(test, lookup(test, "2001:db8::3"));
}

/* An AH reqid names one entry at most; a change that fails changes
 * nothing; the reqid is free again when its entry goes.
 */
static void ah_reqid_names_one_entry(struct kunit *test)
{
	struct hc_cache *cache = cache_of(test);
	struct hc_faddr_spec s = spec(test, "2001:db8::2", 0);
	struct hc_foreign_change chg = {
		.set_flags = true,
		.flags = HOSTCACHE_FOREIGN_F_TRUSTED,
		.set_ah_reqid = true,
		.ah_reqid = 7,
	};
	u32 a, b, id = 0;

	a = create(test, "2001:db8::1", NULL, 0);
	KUNIT_EXPECT_EQ(test, hc_foreign_set(cache, a, &chg, NULL), 0);
	rcu_read_lock();
	KUNIT_EXPECT_EQ(test, hc_foreign_by_reqid(cache, 7)->id, a);
	KUNIT_EXPECT_NULL(test, hc_foreign_by_reqid(cache, 0));
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, hc_foreign_create(cache, &s, 1, 0, 7, T0,
						GFP_KERNEL, &id, NULL), -EEXIST);
	KUNIT_EXPECT_NULL(test, lookup(test, "2001:db8::2"));

	b = create(test, "2001:db8::3", NULL, 0);
	KUNIT_EXPECT_EQ(test, hc_foreign_set(cache, b, &chg, NULL), -EEXIST);
	KUNIT_EXPECT_EQ(test, lookup(test, "2001:db8::3")->entry->flags, 0);
	KUNIT_EXPECT_EQ(test, cache->n_untrusted, 1U);

	chg.ah_reqid = 8;	/* a new SA replaces the old one */
	KUNIT_EXPECT_EQ(test, hc_foreign_set(cache, a, &chg, NULL), 0);
	KUNIT_EXPECT_EQ(test, hc_foreign_delete(cache, a, NULL), 0);
	chg.ah_reqid = 7;
	KUNIT_EXPECT_EQ(test, hc_foreign_set(cache, b, &chg, NULL), 0);
	rcu_read_lock();
	KUNIT_EXPECT_EQ(test, hc_foreign_by_reqid(cache, 7)->id, b);
	KUNIT_EXPECT_NULL(test, hc_foreign_by_reqid(cache, 8));
	rcu_read_unlock();
}

static void trust_can_change(struct kunit *test)
{
	struct hc_cache *cache = cache_of(test);
	u32 a, b, c;

	a = create(test, "2001:db8::1", NULL, 0);
	b = create(test, "2001:db8::2", NULL, 0);
	c = create(test, "2001:db8::3", NULL, 0);
	KUNIT_EXPECT_EQ(test, hc_foreign_set_flags(cache, a, HOSTCACHE_FOREIGN_F_TRUSTED, NULL), 0);
	KUNIT_EXPECT_EQ(test, cache->n_untrusted, 2U);
	KUNIT_EXPECT_EQ(test, hc_foreign_set_flags(cache, a, HOSTCACHE_FOREIGN_F_TRUSTED, NULL), 0);
	KUNIT_EXPECT_EQ(test, cache->n_untrusted, 2U);
	KUNIT_EXPECT_EQ(test, hc_foreign_delete(cache, b, NULL), 0);
	KUNIT_EXPECT_EQ(test, cache->n_untrusted, 1U);
	KUNIT_EXPECT_EQ(test, hc_foreign_set_flags(cache, c, HOSTCACHE_FOREIGN_F_TRUSTED, NULL), 0);
	KUNIT_EXPECT_EQ(test, cache->n_untrusted, 0U);
	KUNIT_EXPECT_EQ(test, hc_foreign_set_flags(cache, a, 0, NULL), 0);
	KUNIT_EXPECT_EQ(test, cache->n_untrusted, 1U);
	KUNIT_EXPECT_EQ(test, hc_foreign_set_flags(cache, b,
						   HOSTCACHE_FOREIGN_F_TRUSTED,
						   NULL), -ENOENT);

	/* Only the untrusted entry can make room. */
	params_of(test)->max_entries = 2;
	create(test, "2001:db8::4", NULL, 0);
	KUNIT_EXPECT_NULL(test, lookup(test, "2001:db8::1"));
	KUNIT_EXPECT_NOT_NULL(test, lookup(test, "2001:db8::3"));
}

static void ordinary_peer_outlives_its_entry_until_it_says_it_is_homeless(struct kunit *test)
{
	struct hc_cache *cache = cache_of(test);
	u32 a, b;

	a = create(test, "2001:db8::1", "2001:db8::2", 0);
	KUNIT_EXPECT_EQ(test, hc_foreign_set_flags(cache, a,
						   HOSTCACHE_FOREIGN_F_ORDINARY |
						   HOSTCACHE_FOREIGN_F_HOMELESS,
						   NULL), -EINVAL);
	KUNIT_EXPECT_FALSE(test, hc_foreign_id_ordinary(cache, a));
	KUNIT_EXPECT_TRUE(test, hc_foreign_found_ordinary(cache, a));
	KUNIT_EXPECT_TRUE(test, hc_foreign_id_ordinary(cache, a));
	KUNIT_EXPECT_EQ(test, hc_foreign_delete(cache, a, NULL), 0);

	/* A new entry with one of its addresses is the same peer's. */
	b = create(test, "2001:db8::2", NULL, 0);
	KUNIT_EXPECT_TRUE(test, hc_foreign_id_ordinary(cache, b));
	KUNIT_EXPECT_EQ(test, hc_foreign_set_flags(cache, b,
						   HOSTCACHE_FOREIGN_F_HOMELESS,
						   NULL), 0);
	KUNIT_EXPECT_FALSE(test, hc_foreign_id_ordinary(cache, b));
	KUNIT_EXPECT_EQ(test, hc_foreign_delete(cache, b, NULL), 0);
	b = create(test, "2001:db8::1", NULL, 0);
	KUNIT_EXPECT_TRUE(test, hc_foreign_id_ordinary(cache, b));

	/* Cleared by hand; refused while nothing would be remembered. */
	KUNIT_EXPECT_EQ(test, hc_foreign_set_flags(cache, b, 0, NULL), 0);
	KUNIT_EXPECT_FALSE(test, hc_foreign_id_ordinary(cache, b));
	params_of(test)->ordinary_hold = 0;
	KUNIT_EXPECT_EQ(test, hc_foreign_set_flags(cache, b,
						   HOSTCACHE_FOREIGN_F_ORDINARY,
						   NULL), -EINVAL);
	KUNIT_EXPECT_FALSE(test, hc_foreign_id_ordinary(cache, b));
}

static void ordinary_address_counts_until_its_time_ends(struct kunit *test)
{
	struct hc_ordinary *ord = &cache_of(test)->ordinary;
	struct in6_addr x = spec(test, "2001:db8::9", 0).addr;
	unsigned long now = jiffies;

	KUNIT_EXPECT_EQ(test, hc_ordinary_note(ord, &x, now + HZ), 0);
	KUNIT_EXPECT_TRUE(test, hc_ordinary_has(ord, &x, now));
	KUNIT_EXPECT_FALSE(test, hc_ordinary_has(ord, &x, now + HZ));
	/* An earlier time does not shorten it; a later one extends it. */
	KUNIT_EXPECT_EQ(test, hc_ordinary_note(ord, &x, now), 0);
	KUNIT_EXPECT_TRUE(test, hc_ordinary_has(ord, &x, now));
	KUNIT_EXPECT_EQ(test, hc_ordinary_note(ord, &x, now + 2 * HZ), 0);
	KUNIT_EXPECT_TRUE(test, hc_ordinary_has(ord, &x, now + HZ));
	KUNIT_EXPECT_TRUE(test, hc_ordinary_forget(ord, &x));
	KUNIT_EXPECT_FALSE(test, hc_ordinary_has(ord, &x, now));
	KUNIT_EXPECT_FALSE(test, hc_ordinary_forget(ord, &x));
}

static void full_ordinary_set_makes_room_only_from_ended_times(struct kunit *test)
{
	struct hc_ordinary *ord = &cache_of(test)->ordinary;
	struct in6_addr x = spec(test, "2001:db8:1::", 0).addr;
	unsigned long now = jiffies;
	unsigned int i;

	for (i = 0; i < HC_ORDINARY_MAX; i++) {
		x.s6_addr32[3] = htonl(i);
		KUNIT_ASSERT_EQ(test, hc_ordinary_note(ord, &x, now - 1), 0);
	}
	x.s6_addr32[3] = htonl(i);
	KUNIT_EXPECT_EQ(test, hc_ordinary_note(ord, &x, now + 60 * HZ), 0);
	KUNIT_EXPECT_EQ(test, ord->count, 1U);
	for (i = 0; i < HC_ORDINARY_MAX - 1; i++) {
		x.s6_addr32[3] = htonl(HC_ORDINARY_MAX + 1 + i);
		KUNIT_ASSERT_EQ(test, hc_ordinary_note(ord, &x, now + 60 * HZ), 0);
	}
	x.s6_addr32[3] = htonl(3 * HC_ORDINARY_MAX);
	KUNIT_EXPECT_EQ(test, hc_ordinary_note(ord, &x, now + 60 * HZ), -ENOSPC);
	KUNIT_EXPECT_FALSE(test, hc_ordinary_has(ord, &x, now));
	hc_ordinary_flush(ord);
	KUNIT_EXPECT_EQ(test, ord->count, 0U);
}

struct reader {
	struct hc_cache *cache;
	struct in6_addr addrs[2];
	unsigned long lookups;
	unsigned long found;
	unsigned long wrong;
};

/*
 * A packet path stand-in: look the two addresses up under RCU until told
 * to stop; a found address must lead to an entry that holds it.
 */
static int reader_fn(void *arg)
{
	struct reader *r = arg;
	const struct hc_faddr *fa, *other;
	int i;

	while (!kthread_should_stop()) {
		for (i = 0; i < 2; i++) {
			rcu_read_lock();
			fa = hc_faddr_lookup(r->cache, &r->addrs[i]);
			if (fa) {
				r->found++;
				other = list_first_or_null_rcu(&fa->entry->addrs,
							       struct hc_faddr,
							       list);
				if (!other || !ipv6_addr_equal(&fa->addr, &r->addrs[i]))
					r->wrong++;
			}
			rcu_read_unlock();
			r->lookups++;
		}
		cond_resched();
	}
	return 0;
}

/* Readers run while writers create, change and remove entries. */
/* A completed handshake trusts an entry: it leaves the eviction pool,
 * once, and keeps its other flags.
 */
static void handshake_trusts(struct kunit *test)
{
	struct hc_cache *cache = cache_of(test);
	u32 a, seq;

	a = create(test, "2001:db8::1", NULL, HOSTCACHE_FOREIGN_F_HOMELESS);
	create(test, "2001:db8::2", NULL, 0);
	KUNIT_ASSERT_EQ(test, cache->n_untrusted, 2U);
	hc_foreign_trust(cache, a);
	KUNIT_EXPECT_EQ(test, cache->n_untrusted, 1U);
	KUNIT_EXPECT_EQ(test, lookup(test, "2001:db8::1")->entry->flags,
			HOSTCACHE_FOREIGN_F_TRUSTED | HOSTCACHE_FOREIGN_F_HOMELESS);
	seq = cache->seq;
	hc_foreign_trust(cache, a);
	hc_foreign_trust(cache, a + 100);	/* no such entry */
	KUNIT_EXPECT_EQ(test, cache->seq, seq);
	KUNIT_EXPECT_EQ(test, cache->n_untrusted, 1U);

	params_of(test)->max_entries = 2;
	create(test, "2001:db8::3", NULL, 0);
	KUNIT_EXPECT_NOT_NULL(test, lookup(test, "2001:db8::1"));
	KUNIT_EXPECT_NULL(test, lookup(test, "2001:db8::2"));
}

static void concurrent_readers(struct kunit *test)
{
	struct hc_cache *cache = cache_of(test);
	struct hc_faddr_spec specs[2] = {
		spec(test, "2001:db8::1", 0), spec(test, "2001:db8:1::1", 0),
	};
	struct task_struct *tasks[2];
	struct reader *readers;
	int i, round;
	u32 id;

	readers = kunit_kcalloc(test, ARRAY_SIZE(tasks), sizeof(*readers),
				GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, readers);
	for (i = 0; i < ARRAY_SIZE(tasks); i++) {
		readers[i].cache = cache;
		readers[i].addrs[0] = specs[0].addr;
		readers[i].addrs[1] = specs[1].addr;
		tasks[i] = kthread_run(reader_fn, &readers[i], "hc_reader%d", i);
		KUNIT_ASSERT_FALSE(test, IS_ERR(tasks[i]));
	}
	for (round = 0; round < 2000; round++) {
		KUNIT_ASSERT_EQ(test, hc_foreign_create(cache, specs, 1, 0, 0, T0,
							GFP_KERNEL, &id, NULL), 0);
		KUNIT_ASSERT_EQ(test, hc_foreign_add_addrs(cache, id, &specs[1],
							   1, T0, GFP_KERNEL,
							   NULL), 0);
		KUNIT_ASSERT_EQ(test, hc_foreign_del_addr(cache, id,
							  &specs[0].addr, NULL),
				0);
		KUNIT_ASSERT_EQ(test, hc_foreign_delete(cache, id, NULL), 0);
		/* Let the readers in: UML does not preempt. */
		cond_resched();
	}
	for (i = 0; i < ARRAY_SIZE(tasks); i++) {
		kthread_stop(tasks[i]);
		KUNIT_EXPECT_GT(test, readers[i].lookups, 0UL);
		KUNIT_EXPECT_EQ(test, readers[i].wrong, 0UL);
	}
	KUNIT_EXPECT_EQ(test, cache->n_entries, 0U);
}

static struct kunit_case cache_test_cases[] = {
	KUNIT_CASE(create_and_look_up),
	KUNIT_CASE(refuse_unusable_addresses),
	KUNIT_CASE(refuse_scope_mix_and_repeats),
	KUNIT_CASE(refuse_address_of_another_entry),
	KUNIT_CASE(claimed_address_moves_and_empty_entry_goes),
	KUNIT_CASE(refuse_more_addresses_than_the_limit),
	KUNIT_CASE(add_addresses_all_or_nothing),
	KUNIT_CASE(delete_addresses_and_entries),
	KUNIT_CASE(idle_address_expires_then_goes),
	KUNIT_CASE(used_expired_address_goes_all_the_same),
	KUNIT_CASE(use_renews_activity_lifetime),
	KUNIT_CASE(absolute_lifetime_ignores_use),
	KUNIT_CASE(parameters_apply_to_existing_addresses),
	KUNIT_CASE(entry_stays_while_one_address_lives),
	KUNIT_CASE(gc_batches_cover_every_entry),
	KUNIT_CASE(full_cache_evicts_untrusted_only),
	KUNIT_CASE(eviction_is_random),
	KUNIT_CASE(full_of_trusted_refuses),
	KUNIT_CASE(trust_can_change),
	KUNIT_CASE(ah_reqid_names_one_entry),
	KUNIT_CASE(handshake_trusts),
	KUNIT_CASE(ordinary_peer_outlives_its_entry_until_it_says_it_is_homeless),
	KUNIT_CASE(ordinary_address_counts_until_its_time_ends),
	KUNIT_CASE(full_ordinary_set_makes_room_only_from_ended_times),
	KUNIT_CASE(concurrent_readers),
	{}
};

static struct kunit_suite cache_test_suite = {
	.name = "hostcache_cache",
	.suite_init = cache_suite_init,
	.suite_exit = cache_suite_exit,
	.init = cache_test_init,
	.exit = cache_test_exit,
	.test_cases = cache_test_cases,
};

kunit_test_suite(cache_test_suite);
