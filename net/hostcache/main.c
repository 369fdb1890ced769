// SPDX-License-Identifier: GPL-2.0
/*
 * hostcache: Host Cache and address rewriting for homeless Mobile IPv6.
 *
 * Module entry points and per-network-namespace state.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>

#include "hostcache.h"

unsigned int hc_net_id __read_mostly;

static int __net_init hc_net_init(struct net *net)
{
	struct hc_net *hn = hc_net(net);

	mutex_init(&hn->lock);
	hc_params_init(&hn->params);
	return 0;
}

static void __net_exit hc_net_exit(struct net *net)
{
	mutex_destroy(&hc_net(net)->lock);
}

static struct pernet_operations hc_net_ops = {
	.init = hc_net_init,
	.exit = hc_net_exit,
	.id = &hc_net_id,
	.size = sizeof(struct hc_net),
};

static int __init hc_module_init(void)
{
	int err;

	err = register_pernet_subsys(&hc_net_ops);
	if (err)
		return err;

	err = hc_genl_init();
	if (err)
		goto err_pernet;

	pr_info("version " HOSTCACHE_VERSION " loaded\n");
	return 0;

err_pernet:
	unregister_pernet_subsys(&hc_net_ops);
	return err;
}

static void __exit hc_module_exit(void)
{
	hc_genl_exit();
	unregister_pernet_subsys(&hc_net_ops);
}

module_init(hc_module_init);
module_exit(hc_module_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Host Cache and address rewriting for homeless Mobile IPv6 hosts");
MODULE_AUTHOR("The hostcache developers");
MODULE_VERSION(HOSTCACHE_VERSION);
