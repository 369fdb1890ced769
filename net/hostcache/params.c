// SPDX-License-Identifier: GPL-2.0
/* hostcache: per-namespace parameters.
 */

#include <linux/netlink.h>
#include <net/netlink.h>
#include <linux/hostcache.h>

#include "hostcache.h"

struct netlink_range_validation hc_lifetime_range = {
	.min = HOSTCACHE_LIFETIME_MIN,
	.max = HOSTCACHE_LIFETIME_MAX,
};

static struct netlink_range_validation hc_binding_lifetime_range = {
	.min = HOSTCACHE_BINDING_LIFETIME_MIN,
	.max = HOSTCACHE_BINDING_LIFETIME_MAX,
};

static struct netlink_range_validation hc_ordinary_hold_range = {
	.max = HOSTCACHE_LIFETIME_MAX,
};

static struct netlink_range_validation hc_max_entries_range = {
	.min = 1,
	.max = HOSTCACHE_MAX_ENTRIES_MAX,
};

static struct netlink_range_validation hc_max_flows_range = {
	.min = 1,
	.max = HOSTCACHE_MAX_FLOWS_MAX,
};

static const struct nla_policy hc_params_policy[HOSTCACHE_PARAM_A_MAX + 1] = {
	[HOSTCACHE_PARAM_A_DEFAULT_LIFETIME] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &hc_lifetime_range),
	[HOSTCACHE_PARAM_A_MAX_EXPIRED_LIFETIME] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &hc_lifetime_range),
	[HOSTCACHE_PARAM_A_MAX_ENTRIES] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &hc_max_entries_range),
	[HOSTCACHE_PARAM_A_MAX_ADDRS] =
		NLA_POLICY_RANGE(NLA_U32, 1, HOSTCACHE_MAX_ADDRS_MAX),
	[HOSTCACHE_PARAM_A_ACCEPT_UNAUTHENTICATED] = NLA_POLICY_MAX(NLA_U8, 1),
	[HOSTCACHE_PARAM_A_BINDING_LIFETIME] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &hc_binding_lifetime_range),
	[HOSTCACHE_PARAM_A_MAX_BINDING_LIFETIME] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &hc_binding_lifetime_range),
	[HOSTCACHE_PARAM_A_MAX_FLOWS] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &hc_max_flows_range),
	[HOSTCACHE_PARAM_A_ENABLED] = NLA_POLICY_MAX(NLA_U8, 1),
	[HOSTCACHE_PARAM_A_ORDINARY_HOLD] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &hc_ordinary_hold_range),
};

void hc_params_init(struct hc_params *params)
{
	params->default_lifetime = HOSTCACHE_DEFAULT_LIFETIME;
	params->max_expired_lifetime = HOSTCACHE_DEFAULT_MAX_EXPIRED_LIFETIME;
	params->max_entries = HOSTCACHE_DEFAULT_MAX_ENTRIES;
	params->max_addrs = HOSTCACHE_DEFAULT_MAX_ADDRS;
	params->accept_unauthenticated = false;
	params->binding_lifetime = HOSTCACHE_DEFAULT_BINDING_LIFETIME;
	params->max_binding_lifetime = HOSTCACHE_DEFAULT_MAX_BINDING_LIFETIME;
	params->max_flows = HOSTCACHE_DEFAULT_MAX_FLOWS;
	params->ordinary_hold = HOSTCACHE_DEFAULT_ORDINARY_HOLD;
	params->enabled = false;	/* until hc_net_enable() */
}

/**
 * hc_params_parse() - validate a %HOSTCACHE_A_PARAMS nest
 * @tb: the nest's attributes, %HOSTCACHE_PARAM_A_MAX + 1 of them
 * @nest: the nest
 * @extack: where to report what is wrong with the request
 *
 * Return: 0 if every attribute in the nest is valid and there is one,
 * else a negative errno with @extack set.
 */
int hc_params_parse(struct nlattr **tb, const struct nlattr *nest,
		    struct netlink_ext_ack *extack)
{
	int err;

	err = nla_parse_nested(tb, HOSTCACHE_PARAM_A_MAX, nest,
			       hc_params_policy, extack);
	if (err)
		return err;
	if (!memchr_inv(tb, 0, (HOSTCACHE_PARAM_A_MAX + 1) * sizeof(*tb))) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "no parameter given");
		return -EINVAL;
	}
	return 0;
}

/**
 * hc_params_apply() - set the parameters of a valid nest
 * @params: parameters to change; the caller holds &struct hc_net.lock
 * @tb: the nest's attributes, from hc_params_parse()
 *
 * %HOSTCACHE_PARAM_A_ENABLED is left to hc_net_enable(), which can fail.
 */
void hc_params_apply(struct hc_params *params, struct nlattr **tb)
{
	struct nlattr *attr;

	attr = tb[HOSTCACHE_PARAM_A_DEFAULT_LIFETIME];
	if (attr)
		WRITE_ONCE(params->default_lifetime, nla_get_u32(attr));
	attr = tb[HOSTCACHE_PARAM_A_MAX_EXPIRED_LIFETIME];
	if (attr)
		WRITE_ONCE(params->max_expired_lifetime, nla_get_u32(attr));
	/* A lower limit evicts nothing at once: the cache shrinks as entries
	 * go, and until then a new entry replaces an untrusted one.
	 */
	attr = tb[HOSTCACHE_PARAM_A_MAX_ENTRIES];
	if (attr)
		WRITE_ONCE(params->max_entries, nla_get_u32(attr));
	attr = tb[HOSTCACHE_PARAM_A_MAX_ADDRS];
	if (attr)
		WRITE_ONCE(params->max_addrs, nla_get_u32(attr));
	attr = tb[HOSTCACHE_PARAM_A_ACCEPT_UNAUTHENTICATED];
	if (attr)
		WRITE_ONCE(params->accept_unauthenticated, nla_get_u8(attr));
	attr = tb[HOSTCACHE_PARAM_A_BINDING_LIFETIME];
	if (attr)
		WRITE_ONCE(params->binding_lifetime, nla_get_u32(attr));
	attr = tb[HOSTCACHE_PARAM_A_MAX_BINDING_LIFETIME];
	if (attr)
		WRITE_ONCE(params->max_binding_lifetime, nla_get_u32(attr));
	/* A lower limit removes no flow: new ones wait for the old to go. */
	attr = tb[HOSTCACHE_PARAM_A_MAX_FLOWS];
	if (attr)
		WRITE_ONCE(params->max_flows, nla_get_u32(attr));
	/* Peers already left alone keep the time they were given. */
	attr = tb[HOSTCACHE_PARAM_A_ORDINARY_HOLD];
	if (attr)
		WRITE_ONCE(params->ordinary_hold, nla_get_u32(attr));
}

/**
 * hc_params_fill() - put a %HOSTCACHE_A_PARAMS nest into a message
 * @skb: the message
 * @params: the parameters to report
 *
 * Return: 0, or -EMSGSIZE.
 */
int hc_params_fill(struct sk_buff *skb, const struct hc_params *params)
{
	struct nlattr *nest;

	nest = nla_nest_start(skb, HOSTCACHE_A_PARAMS);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, HOSTCACHE_PARAM_A_DEFAULT_LIFETIME,
			READ_ONCE(params->default_lifetime)) ||
	    nla_put_u32(skb, HOSTCACHE_PARAM_A_MAX_EXPIRED_LIFETIME,
			READ_ONCE(params->max_expired_lifetime)) ||
	    nla_put_u32(skb, HOSTCACHE_PARAM_A_MAX_ENTRIES,
			READ_ONCE(params->max_entries)) ||
	    nla_put_u32(skb, HOSTCACHE_PARAM_A_MAX_ADDRS,
			READ_ONCE(params->max_addrs)) ||
	    nla_put_u8(skb, HOSTCACHE_PARAM_A_ACCEPT_UNAUTHENTICATED,
		       READ_ONCE(params->accept_unauthenticated)) ||
	    nla_put_u32(skb, HOSTCACHE_PARAM_A_BINDING_LIFETIME,
			READ_ONCE(params->binding_lifetime)) ||
	    nla_put_u32(skb, HOSTCACHE_PARAM_A_MAX_BINDING_LIFETIME,
			READ_ONCE(params->max_binding_lifetime)) ||
	    nla_put_u32(skb, HOSTCACHE_PARAM_A_MAX_FLOWS,
			READ_ONCE(params->max_flows)) ||
	    nla_put_u8(skb, HOSTCACHE_PARAM_A_ENABLED,
		       READ_ONCE(params->enabled)) ||
	    nla_put_u32(skb, HOSTCACHE_PARAM_A_ORDINARY_HOLD,
			READ_ONCE(params->ordinary_hold))) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}
