// SPDX-License-Identifier: GPL-2.0
/*
 * hostcache: generic netlink interface.
 *
 * Commands act on the caller's network namespace. Reading is open to all;
 * every changing command is flagged GENL_UNS_ADMIN_PERM.
 */

#include <net/genetlink.h>
#include <linux/hostcache.h>

#include "hostcache.h"

static struct genl_family hc_genl_family;

static const struct nla_policy hc_set_params_policy[HOSTCACHE_A_MAX + 1] = {
	[HOSTCACHE_A_PARAMS] = { .type = NLA_NESTED },
};

/* Start a reply to @info, or return NULL after freeing the skb. */
static void *hc_genl_reply_start(struct sk_buff **skbp, struct genl_info *info)
{
	struct sk_buff *skb;
	void *hdr;

	skb = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!skb)
		return NULL;
	hdr = genlmsg_put_reply(skb, info, &hc_genl_family, 0,
				info->genlhdr->cmd);
	if (!hdr) {
		nlmsg_free(skb);
		return NULL;
	}
	*skbp = skb;
	return hdr;
}

static int hc_genl_get_info(struct sk_buff *unused, struct genl_info *info)
{
	struct sk_buff *skb;
	void *hdr;

	hdr = hc_genl_reply_start(&skb, info);
	if (!hdr)
		return -ENOMEM;
	if (nla_put_string(skb, HOSTCACHE_A_VERSION, HOSTCACHE_VERSION) ||
	    nla_put_u32(skb, HOSTCACHE_A_GENL_VERSION, HOSTCACHE_GENL_VERSION)) {
		nlmsg_free(skb);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return genlmsg_reply(skb, info);
}

static int hc_genl_get_params(struct sk_buff *unused, struct genl_info *info)
{
	struct hc_net *hn = hc_net(genl_info_net(info));
	struct sk_buff *skb;
	void *hdr;
	int err;

	hdr = hc_genl_reply_start(&skb, info);
	if (!hdr)
		return -ENOMEM;
	err = hc_params_fill(skb, &hn->params);
	if (err) {
		nlmsg_free(skb);
		return err;
	}
	genlmsg_end(skb, hdr);
	return genlmsg_reply(skb, info);
}

static int hc_genl_set_params(struct sk_buff *unused, struct genl_info *info)
{
	struct hc_net *hn = hc_net(genl_info_net(info));
	int err;

	if (GENL_REQ_ATTR_CHECK(info, HOSTCACHE_A_PARAMS))
		return -EINVAL;

	mutex_lock(&hn->lock);
	err = hc_params_update(&hn->params, info->attrs[HOSTCACHE_A_PARAMS],
			       info->extack);
	mutex_unlock(&hn->lock);
	return err;
}

static const struct genl_ops hc_genl_ops[] = {
	{
		.cmd = HOSTCACHE_CMD_GET_INFO,
		.doit = hc_genl_get_info,
	},
	{
		.cmd = HOSTCACHE_CMD_GET_PARAMS,
		.doit = hc_genl_get_params,
	},
	{
		.cmd = HOSTCACHE_CMD_SET_PARAMS,
		.doit = hc_genl_set_params,
		.policy = hc_set_params_policy,
		.maxattr = HOSTCACHE_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
};

static struct genl_family hc_genl_family __ro_after_init = {
	.name = HOSTCACHE_GENL_NAME,
	.version = HOSTCACHE_GENL_VERSION,
	.module = THIS_MODULE,
	.netnsok = true,
	.parallel_ops = true,
	/* Every command is new: validate strictly, reject reserved fields. */
	.resv_start_op = HOSTCACHE_CMD_GET_INFO,
	.ops = hc_genl_ops,
	.n_ops = ARRAY_SIZE(hc_genl_ops),
};

int __init hc_genl_init(void)
{
	return genl_register_family(&hc_genl_family);
}

void hc_genl_exit(void)
{
	genl_unregister_family(&hc_genl_family);
}

MODULE_ALIAS_GENL_FAMILY(HOSTCACHE_GENL_NAME);
