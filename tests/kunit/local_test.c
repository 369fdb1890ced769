// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for local Host Cache entries: the default entry follows the
 * host's addresses, administrators' entries hold only the host's addresses
 * and lose those the host loses, and the default cannot be changed by hand.
 */

#include <kunit/test.h>
#include <linux/inet.h>
#include <linux/netlink.h>

#include "../../net/hostcache/hostcache.h"

static int local_test_init(struct kunit *test)
{
	struct hc_locals *locals;

	locals = kunit_kzalloc(test, sizeof(*locals), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, locals);
	KUNIT_ASSERT_EQ(test, hc_locals_init(locals, NULL), 0);
	test->priv = locals;
	return 0;
}

static void local_test_exit(struct kunit *test)
{
	hc_locals_destroy(test->priv);
}

static struct in6_addr addr(struct kunit *test, const char *text)
{
	struct in6_addr a;

	KUNIT_ASSERT_TRUE(test, in6_pton(text, -1, a.s6_addr, -1, NULL));
	return a;
}

static bool has(struct kunit *test, const char *text)
{
	struct in6_addr a = addr(test, text);
	bool found;

	rcu_read_lock();
	found = hc_local_has(test->priv, &a);
	rcu_read_unlock();
	return found;
}

static struct hc_local *entry(struct kunit *test, u32 id)
{
	struct hc_locals *locals = test->priv;

	return xa_load(&locals->entries, id);
}

static void gain(struct kunit *test, const char *text)
{
	struct in6_addr a = addr(test, text);

	hc_local_addr_up(test->priv, &a);
}

static void lose(struct kunit *test, const char *text)
{
	struct in6_addr a = addr(test, text);

	hc_local_addr_down(test->priv, &a);
}

static void default_entry_follows_addresses(struct kunit *test)
{
	KUNIT_ASSERT_NOT_NULL(test, entry(test, HOSTCACHE_LOCAL_DEFAULT));
	KUNIT_EXPECT_FALSE(test, has(test, "::1"));
	gain(test, "::1");
	gain(test, "2001:db8::1");
	gain(test, "2001:db8::1");
	KUNIT_EXPECT_TRUE(test, has(test, "::1"));
	KUNIT_EXPECT_TRUE(test, has(test, "2001:db8::1"));
	KUNIT_EXPECT_EQ(test, entry(test, HOSTCACHE_LOCAL_DEFAULT)->naddrs, 2U);
	lose(test, "2001:db8::1");
	KUNIT_EXPECT_FALSE(test, has(test, "2001:db8::1"));
	KUNIT_EXPECT_EQ(test, entry(test, HOSTCACHE_LOCAL_DEFAULT)->naddrs, 1U);
	lose(test, "2001:db8::7");
	KUNIT_EXPECT_EQ(test, entry(test, HOSTCACHE_LOCAL_DEFAULT)->naddrs, 1U);
}

static void admin_entry_holds_host_addresses_only(struct kunit *test)
{
	struct hc_faddr_spec specs[2] = {
		{ .addr = addr(test, "2001:db8::1") },
		{ .addr = addr(test, "2001:db8::9") },
	};
	struct netlink_ext_ack extack = {};
	u32 id = 0;

	gain(test, "2001:db8::1");
	gain(test, "2001:db8::2");
	KUNIT_EXPECT_EQ(test, hc_local_create(test->priv, specs, 2, &id,
					      &extack), -EADDRNOTAVAIL);
	KUNIT_EXPECT_STREQ(test, extack._msg, "not an address of this host");
	KUNIT_EXPECT_EQ(test, id, 0U);
	/* The refused request left nothing behind. */
	KUNIT_EXPECT_EQ(test, entry(test, HOSTCACHE_LOCAL_DEFAULT)->naddrs, 2U);

	specs[1].addr = addr(test, "2001:db8::2");
	KUNIT_ASSERT_EQ(test, hc_local_create(test->priv, specs, 2, &id,
					      NULL), 0);
	KUNIT_EXPECT_GT(test, id, (u32)HOSTCACHE_LOCAL_DEFAULT);
	KUNIT_EXPECT_EQ(test, entry(test, id)->naddrs, 2U);

	/* An address the host loses leaves every entry. */
	lose(test, "2001:db8::2");
	KUNIT_EXPECT_EQ(test, entry(test, id)->naddrs, 1U);
	KUNIT_EXPECT_EQ(test, entry(test, HOSTCACHE_LOCAL_DEFAULT)->naddrs, 1U);
	KUNIT_EXPECT_EQ(test, hc_local_add_addr(test->priv, id, &specs[1].addr, NULL),
			-EADDRNOTAVAIL);
	KUNIT_EXPECT_EQ(test, hc_local_add_addr(test->priv, id, &specs[0].addr, NULL),
			-EEXIST);
	KUNIT_EXPECT_EQ(test, hc_local_del_addr(test->priv, id, &specs[0].addr, NULL),
			0);
	KUNIT_EXPECT_EQ(test, entry(test, id)->naddrs, 0U);
	KUNIT_EXPECT_TRUE(test, has(test, "2001:db8::1"));
	KUNIT_EXPECT_EQ(test, hc_local_delete(test->priv, id, NULL), 0);
	KUNIT_EXPECT_NULL(test, entry(test, id));
	KUNIT_EXPECT_EQ(test, hc_local_delete(test->priv, id, NULL), -ENOENT);
}

static void default_entry_cannot_be_changed_by_hand(struct kunit *test)
{
	struct in6_addr a = addr(test, "2001:db8::1");

	gain(test, "2001:db8::1");
	KUNIT_EXPECT_EQ(test, hc_local_delete(test->priv, HOSTCACHE_LOCAL_DEFAULT,
					      NULL), -EPERM);
	KUNIT_EXPECT_EQ(test, hc_local_del_addr(test->priv,
						HOSTCACHE_LOCAL_DEFAULT, &a,
						NULL), -EPERM);
	KUNIT_EXPECT_EQ(test, hc_local_add_addr(test->priv,
						HOSTCACHE_LOCAL_DEFAULT, &a,
						NULL), -EPERM);
	KUNIT_EXPECT_TRUE(test, has(test, "2001:db8::1"));
}

static struct kunit_case local_test_cases[] = {
	KUNIT_CASE(default_entry_follows_addresses),
	KUNIT_CASE(admin_entry_holds_host_addresses_only),
	KUNIT_CASE(default_entry_cannot_be_changed_by_hand),
	{}
};

static struct kunit_suite local_test_suite = {
	.name = "hostcache_local",
	.init = local_test_init,
	.exit = local_test_exit,
	.test_cases = local_test_cases,
};

kunit_test_suite(local_test_suite);
