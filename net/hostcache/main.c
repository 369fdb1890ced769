// SPDX-License-Identifier: GPL-2.0
/* hostcache: Host Cache and address rewriting for homeless Mobile IPv6.
 *
 * Module entry points and per-network-namespace state.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/addrconf.h>

#include "hostcache.h"

/* How often the cache is aged while it holds entries. */
#define HC_GC_INTERVAL	HZ

unsigned int hc_net_id __read_mostly;

static void hc_gc_work(struct work_struct *work)
{
	struct hc_net *hn = container_of(to_delayed_work(work), struct hc_net,
					 gc_work);

	hc_cache_gc(&hn->cache, jiffies);
	hc_flows_gc(hn, jiffies);
	hc_gc_start(hn);
}

/**
 * hc_gc_start() - make sure the cache is aged while it holds entries
 * @hn: the namespace's state
 */
void hc_gc_start(struct hc_net *hn)
{
	if (READ_ONCE(hn->cache.n_entries))
		queue_delayed_work(system_power_efficient_wq, &hn->gc_work,
				   HC_GC_INTERVAL);
}

static int __net_init hc_net_init(struct net *net)
{
	struct hc_net *hn = hc_net(net);
	int err;

	mutex_init(&hn->lock);
	hc_params_init(&hn->params);
	INIT_DELAYED_WORK(&hn->gc_work, hc_gc_work);
	/* Up to 10 Binding Errors a second; no log lines about it. */
	ratelimit_state_init(&hn->error_ratelimit, HZ, 10);
	ratelimit_set_flags(&hn->error_ratelimit, RATELIMIT_MSG_ON_RELEASE);
	/* Up to 10 updates a second in answer to peers' messages. */
	ratelimit_state_init(&hn->answer_ratelimit, HZ, 10);
	ratelimit_set_flags(&hn->answer_ratelimit, RATELIMIT_MSG_ON_RELEASE);
	hc_announce_init(&hn->announce);
	hc_verify_init(&hn->verify);
	err = hc_locals_init(&hn->locals, net);
	if (err)
		return err;
	err = hc_cache_init(&hn->cache, &hn->params);
	if (err) {
		hc_locals_destroy(&hn->locals);
		return err;
	}
	hn->cache.net = net;
	err = hc_rewrite_init(net, hn);
	if (err) {
		hc_cache_destroy(&hn->cache);
		hc_locals_destroy(&hn->locals);
		return err;
	}
	return 0;
}

static void __net_exit hc_net_exit(struct net *net)
{
	struct hc_net *hn = hc_net(net);

	/* Stop whatever reads the state before freeing any of it: the hooks
	 * (which start the collector and the updates), then the collector,
	 * the updates and the tests (which read the flows and the cache).
	 */
	hc_rewrite_stop(net);
	cancel_delayed_work_sync(&hn->gc_work);
	hc_announce_destroy(&hn->announce);
	hc_verify_destroy(&hn->verify);
	hc_rewrite_destroy(hn);
	hc_cache_destroy(&hn->cache);
	hc_locals_destroy(&hn->locals);
	mutex_destroy(&hn->lock);
}

/* The default local entry follows the namespace's IPv6 addresses. */
static int hc_inet6addr_event(struct notifier_block *nb, unsigned long event,
			      void *ptr)
{
	struct inet6_ifaddr *ifa = ptr;
	struct hc_net *hn = hc_net(dev_net(ifa->idev->dev));

	if (event == NETDEV_UP)
		hc_local_addr_up(&hn->locals, &ifa->addr);
	else if (event == NETDEV_DOWN)
		hc_local_addr_down(&hn->locals, &ifa->addr);
	else
		return NOTIFY_DONE;
	/* Peers hear of global addresses (scope 0 in ipv6_addr_scope()). */
	if (!ipv6_addr_scope(&ifa->addr))
		hc_announce_changed(hn);
	return NOTIFY_DONE;
}

static struct notifier_block hc_inet6addr_nb = {
	.notifier_call = hc_inet6addr_event,
};

/* Fill the default local entries with the addresses namespaces had before
 * the notifier was registered. RTNL keeps addresses from going meanwhile;
 * those that come are also reported by the notifier, and adding an address
 * twice is harmless. Every namespace on the list has run hc_net_init().
 */
static void hc_locals_populate(void)
{
	struct inet6_ifaddr *ifa;
	struct inet6_dev *idev;
	struct net_device *dev;
	struct net *net;

	rtnl_lock();
	rcu_read_lock();
	for_each_net_rcu(net) {
		for_each_netdev_rcu(net, dev) {
			idev = __in6_dev_get(dev);
			if (!idev)
				continue;
			read_lock_bh(&idev->lock);
			list_for_each_entry(ifa, &idev->addr_list, if_list)
				hc_local_addr_up(&hc_net(net)->locals,
						 &ifa->addr);
			read_unlock_bh(&idev->lock);
		}
	}
	rcu_read_unlock();
	rtnl_unlock();
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

	err = hc_cache_module_init();
	if (err)
		return err;

	err = register_pernet_subsys(&hc_net_ops);
	if (err)
		goto err_cache;

	err = register_inet6addr_notifier(&hc_inet6addr_nb);
	if (err)
		goto err_pernet;
	hc_locals_populate();

	err = hc_genl_init();
	if (err)
		goto err_notifier;

	err = hc_mh_input_init();
	if (err)
		goto err_genl;

	hc_bench_init();
	pr_info("version " HOSTCACHE_VERSION " loaded\n");
	return 0;

err_genl:
	hc_genl_exit();
err_notifier:
	unregister_inet6addr_notifier(&hc_inet6addr_nb);
err_pernet:
	unregister_pernet_subsys(&hc_net_ops);
err_cache:
	hc_cache_module_exit();
	return err;
}

static void __exit hc_module_exit(void)
{
	hc_bench_exit();
	hc_mh_input_exit();
	hc_genl_exit();
	unregister_inet6addr_notifier(&hc_inet6addr_nb);
	unregister_pernet_subsys(&hc_net_ops);
	hc_cache_module_exit();
}

module_init(hc_module_init);
module_exit(hc_module_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Host Cache and address rewriting for homeless Mobile IPv6 hosts");
MODULE_AUTHOR("The hostcache developers");
MODULE_VERSION(HOSTCACHE_VERSION);
