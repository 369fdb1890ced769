// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the per-namespace parameters: defaults, validation and
 * the all-or-nothing update of a %HOSTCACHE_A_PARAMS nest.
 */

#include <kunit/test.h>
#include <linux/skbuff.h>
#include <net/netlink.h>
#include <linux/hostcache.h>

#include "../../net/hostcache/hostcache.h"

/* An attribute type the parameter policy does not know. */
#define PARAM_A_UNKNOWN (HOSTCACHE_PARAM_A_MAX + 1)

struct params_test {
	struct sk_buff *skb;
	struct nlattr *nest;
};

static int params_test_init(struct kunit *test)
{
	struct params_test *t;

	t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, t);
	t->skb = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, t->skb);
	t->nest = nla_nest_start(t->skb, HOSTCACHE_A_PARAMS);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, t->nest);
	test->priv = t;
	return 0;
}

static void params_test_exit(struct kunit *test)
{
	struct params_test *t = test->priv;

	kfree_skb(t->skb);
}

static void put_u32(struct kunit *test, int type, u32 value)
{
	struct params_test *t = test->priv;

	KUNIT_ASSERT_EQ(test, nla_put_u32(t->skb, type, value), 0);
}

static int update(struct kunit *test, struct hc_params *p,
		  struct netlink_ext_ack *extack)
{
	struct nlattr *tb[HOSTCACHE_PARAM_A_MAX + 1];
	struct params_test *t = test->priv;
	int err;

	nla_nest_end(t->skb, t->nest);
	err = hc_params_parse(tb, t->nest, extack);
	if (!err)
		hc_params_apply(p, tb);
	return err;
}

static void params_defaults_are_the_drafts(struct kunit *test)
{
	struct hc_params p;

	hc_params_init(&p);
	KUNIT_EXPECT_EQ(test, p.default_lifetime, 600U);
	KUNIT_EXPECT_EQ(test, p.max_expired_lifetime, 1800U);
}

static void params_update_applies_each_value(struct kunit *test)
{
	struct netlink_ext_ack extack = {};
	struct hc_params p;

	hc_params_init(&p);
	put_u32(test, HOSTCACHE_PARAM_A_DEFAULT_LIFETIME, 30);
	put_u32(test, HOSTCACHE_PARAM_A_MAX_EXPIRED_LIFETIME, 90);
	KUNIT_ASSERT_EQ(test, update(test, &p, &extack), 0);
	KUNIT_EXPECT_EQ(test, p.default_lifetime, 30U);
	KUNIT_EXPECT_EQ(test, p.max_expired_lifetime, 90U);
}

static void params_update_of_one_keeps_the_other(struct kunit *test)
{
	struct netlink_ext_ack extack = {};
	struct hc_params p;

	hc_params_init(&p);
	put_u32(test, HOSTCACHE_PARAM_A_MAX_EXPIRED_LIFETIME, 60);
	KUNIT_ASSERT_EQ(test, update(test, &p, &extack), 0);
	KUNIT_EXPECT_EQ(test, p.default_lifetime, 600U);
	KUNIT_EXPECT_EQ(test, p.max_expired_lifetime, 60U);
}

static void params_out_of_range_changes_nothing(struct kunit *test)
{
	struct netlink_ext_ack extack = {};
	struct hc_params p;

	hc_params_init(&p);
	/* A valid value before the bad one must not be applied either. */
	put_u32(test, HOSTCACHE_PARAM_A_DEFAULT_LIFETIME, 30);
	put_u32(test, HOSTCACHE_PARAM_A_MAX_EXPIRED_LIFETIME, 0);
	KUNIT_EXPECT_EQ(test, update(test, &p, &extack), -ERANGE);
	KUNIT_EXPECT_NOT_NULL(test, extack._msg);
	KUNIT_EXPECT_NOT_NULL(test, extack.bad_attr);
	KUNIT_EXPECT_EQ(test, p.default_lifetime, 600U);
	KUNIT_EXPECT_EQ(test, p.max_expired_lifetime, 1800U);
}

static void params_above_maximum_is_refused(struct kunit *test)
{
	struct netlink_ext_ack extack = {};
	struct hc_params p;

	hc_params_init(&p);
	put_u32(test, HOSTCACHE_PARAM_A_DEFAULT_LIFETIME,
		HOSTCACHE_LIFETIME_MAX + 1);
	KUNIT_EXPECT_EQ(test, update(test, &p, &extack), -ERANGE);
	KUNIT_EXPECT_EQ(test, p.default_lifetime, 600U);
}

static void params_unknown_attribute_is_refused(struct kunit *test)
{
	struct netlink_ext_ack extack = {};
	struct hc_params p;

	hc_params_init(&p);
	put_u32(test, HOSTCACHE_PARAM_A_DEFAULT_LIFETIME, 30);
	put_u32(test, PARAM_A_UNKNOWN, 1);
	KUNIT_EXPECT_EQ(test, update(test, &p, &extack), -EINVAL);
	KUNIT_EXPECT_NOT_NULL(test, extack._msg);
	KUNIT_EXPECT_EQ(test, p.default_lifetime, 600U);
}

static void params_wrong_size_is_refused(struct kunit *test)
{
	struct params_test *t = test->priv;
	struct netlink_ext_ack extack = {};
	struct hc_params p;

	hc_params_init(&p);
	KUNIT_ASSERT_EQ(test, nla_put_u8(t->skb,
					 HOSTCACHE_PARAM_A_DEFAULT_LIFETIME, 9),
			0);
	KUNIT_EXPECT_EQ(test, update(test, &p, &extack), -EINVAL);
	KUNIT_EXPECT_EQ(test, p.default_lifetime, 600U);
}

static void params_empty_nest_is_refused(struct kunit *test)
{
	struct netlink_ext_ack extack = {};
	struct hc_params p;

	hc_params_init(&p);
	KUNIT_EXPECT_EQ(test, update(test, &p, &extack), -EINVAL);
	KUNIT_EXPECT_STREQ(test, extack._msg, "no parameter given");
}

/* The Mobility Header switches: off and 600 s by default, validated, and
 * refused whole with a bad value beside a good one.
 */
static void params_binding_switches(struct kunit *test)
{
	struct params_test *t = test->priv;
	struct netlink_ext_ack extack = {};
	struct hc_params p;

	hc_params_init(&p);
	KUNIT_EXPECT_FALSE(test, p.accept_unauthenticated);
	KUNIT_EXPECT_EQ(test, p.binding_lifetime, 600U);

	KUNIT_ASSERT_EQ(test, nla_put_u8(t->skb,
					 HOSTCACHE_PARAM_A_ACCEPT_UNAUTHENTICATED,
					 1), 0);
	put_u32(test, HOSTCACHE_PARAM_A_BINDING_LIFETIME,
		HOSTCACHE_BINDING_LIFETIME_MIN - 1);
	KUNIT_EXPECT_EQ(test, update(test, &p, &extack), -ERANGE);
	KUNIT_EXPECT_NOT_NULL(test, extack._msg);
	KUNIT_EXPECT_FALSE(test, p.accept_unauthenticated);
	KUNIT_EXPECT_EQ(test, p.binding_lifetime, 600U);

	nlmsg_trim(t->skb, t->nest);
	t->nest = nla_nest_start(t->skb, HOSTCACHE_A_PARAMS);
	KUNIT_ASSERT_EQ(test, nla_put_u8(t->skb,
					 HOSTCACHE_PARAM_A_ACCEPT_UNAUTHENTICATED,
					 2), 0);
	KUNIT_EXPECT_EQ(test, update(test, &p, &extack), -ERANGE);
	KUNIT_EXPECT_FALSE(test, p.accept_unauthenticated);

	nlmsg_trim(t->skb, t->nest);
	t->nest = nla_nest_start(t->skb, HOSTCACHE_A_PARAMS);
	KUNIT_ASSERT_EQ(test, nla_put_u8(t->skb,
					 HOSTCACHE_PARAM_A_ACCEPT_UNAUTHENTICATED,
					 1), 0);
	put_u32(test, HOSTCACHE_PARAM_A_BINDING_LIFETIME,
		HOSTCACHE_BINDING_LIFETIME_MAX);
	KUNIT_EXPECT_EQ(test, update(test, &p, &extack), 0);
	KUNIT_EXPECT_TRUE(test, p.accept_unauthenticated);
	KUNIT_EXPECT_EQ(test, p.binding_lifetime, 4U * 65535);
}

/* The switch is hc_net_enable()'s to set: the nest is checked, not applied. */
static void params_enabled_is_checked_but_left_to_the_switch(struct kunit *test)
{
	struct params_test *t = test->priv;
	struct netlink_ext_ack extack = {};
	struct hc_params p;

	hc_params_init(&p);
	KUNIT_EXPECT_FALSE(test, p.enabled);
	KUNIT_ASSERT_EQ(test, nla_put_u8(t->skb, HOSTCACHE_PARAM_A_ENABLED, 2),
			0);
	KUNIT_EXPECT_EQ(test, update(test, &p, &extack), -ERANGE);
	KUNIT_EXPECT_NOT_NULL(test, extack.bad_attr);

	nlmsg_trim(t->skb, t->nest);
	t->nest = nla_nest_start(t->skb, HOSTCACHE_A_PARAMS);
	KUNIT_ASSERT_EQ(test, nla_put_u8(t->skb, HOSTCACHE_PARAM_A_ENABLED, 1),
			0);
	KUNIT_EXPECT_EQ(test, update(test, &p, &extack), 0);
	KUNIT_EXPECT_FALSE(test, p.enabled);
}

static struct kunit_case params_test_cases[] = {
	KUNIT_CASE(params_defaults_are_the_drafts),
	KUNIT_CASE(params_update_applies_each_value),
	KUNIT_CASE(params_update_of_one_keeps_the_other),
	KUNIT_CASE(params_out_of_range_changes_nothing),
	KUNIT_CASE(params_above_maximum_is_refused),
	KUNIT_CASE(params_unknown_attribute_is_refused),
	KUNIT_CASE(params_wrong_size_is_refused),
	KUNIT_CASE(params_empty_nest_is_refused),
	KUNIT_CASE(params_binding_switches),
	KUNIT_CASE(params_enabled_is_checked_but_left_to_the_switch),
	{}
};

static struct kunit_suite params_test_suite = {
	.name = "hostcache_params",
	.init = params_test_init,
	.exit = params_test_exit,
	.test_cases = params_test_cases,
};

kunit_test_suite(params_test_suite);
