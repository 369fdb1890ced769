// SPDX-License-Identifier: GPL-2.0
/* hostcache: Host Cache and address rewriting for homeless Mobile IPv6.
 *
 * Module entry points and per-network-namespace state.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/netdevice.h>

#include "hostcache.h"

/* How often the cache is aged while it holds entries. */
#define HC_GC_INTERVAL	HZ

unsigned int hc_net_id __read_mostly;

static bool default_enabled = true;
module_param(default_enabled, bool, 0644);
MODULE_PARM_DESC(default_enabled,
		 "the module works in new network namespaces (default: on; hcctl param set enabled switches one)");

static void hc_gc_work(struct work_struct *work)
{
	struct hc_net *hn = container_of(to_delayed_work(work), struct hc_net,
					 gc_work);
	unsigned long now = jiffies;

	/* Flows first: they learn which identifiers the cache is to lose. */
	hc_flows_gc(hn, now);
	hc_cache_gc(&hn->cache, now);
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

/* Forget the peers: their entries, flows, updates and tests. Nothing may
 * start new ones: the hooks and the Mobility Header receiver are off.
 */
static void hc_net_forget(struct hc_net *hn)
{
	cancel_delayed_work_sync(&hn->gc_work);
	hc_keywait_flush(&hn->keywait);	/* it sends updates and tests */
	hc_announce_flush(&hn->announce);
	hc_verify_flush(&hn->verify);
	hc_flows_flush(hn);
	hc_cache_flush(&hn->cache);
	WRITE_ONCE(hn->flags, 0);
}

/**
 * hc_net_enable() - switch the module on or off in a namespace
 * @net: the namespace
 * @hn: its state
 * @on: whether the module is to work there
 *
 * Off, the namespace behaves as without the module: the hooks go, the
 * Mobility Header is an unknown protocol again (mh_input.c), and the
 * foreign entries, flows, updates and tests are forgotten. The local
 * entries stay: they follow the namespace's addresses either way.
 *
 * Context: process context, &struct hc_net.lock held.
 * Return: 0, or a negative errno with nothing changed.
 */
int hc_net_enable(struct net *net, struct hc_net *hn, bool on)
{
	int err;

	lockdep_assert_held(&hn->lock);
	if (on == hc_enabled(hn))
		return 0;
	if (on) {
		err = hc_rewrite_start(net);
		if (!err)
			WRITE_ONCE(hn->params.enabled, true);
		return err;
	}
	WRITE_ONCE(hn->params.enabled, false);
	hc_rewrite_stop(net);
	/* The Mobility Header receivers that saw the module on are done. */
	synchronize_net();
	hc_net_forget(hn);
	return 0;
}

/* Stop whatever reads the state before freeing any of it: the hooks
 * (which start the collector and the updates), then the collector, the
 * waiting acknowledgments (which start updates and tests), the updates
 * and the tests (which read the flows and the cache).
 */
static void hc_net_teardown(struct net *net, struct hc_net *hn)
{
	if (hc_enabled(hn))
		hc_rewrite_stop(net);
	cancel_delayed_work_sync(&hn->gc_work);
	hc_keywait_flush(&hn->keywait);
	hc_announce_destroy(&hn->announce);
	hc_verify_destroy(&hn->verify);
	hc_rewrite_destroy(hn);
	hc_cache_destroy(&hn->cache);
	hc_locals_destroy(&hn->locals);
	mutex_destroy(&hn->lock);
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
	hc_keywait_init(&hn->keywait);
	err = hc_locals_init(&hn->locals, net);
	if (err)
		return err;
	err = hc_cache_init(&hn->cache, &hn->params);
	if (err)
		goto err_locals;
	hn->cache.net = net;
	err = hc_rewrite_init(hn);
	if (err)
		goto err_cache;
	err = hc_addrwatch_net_init(net, hn);
	if (err)
		goto err_teardown;
	if (READ_ONCE(default_enabled)) {
		mutex_lock(&hn->lock);
		err = hc_net_enable(net, hn, true);
		mutex_unlock(&hn->lock);
		if (err)
			goto err_addrwatch;
	}
	return 0;

err_addrwatch:
	hc_addrwatch_net_exit(net, hn);
err_teardown:
	hc_net_teardown(net, hn);
	return err;

err_cache:
	hc_cache_destroy(&hn->cache);
err_locals:
	hc_locals_destroy(&hn->locals);
	return err;
}

static void __net_exit hc_net_exit(struct net *net)
{
	struct hc_net *hn = hc_net(net);

	/* Address events start updates too. */
	hc_addrwatch_net_exit(net, hn);
	hc_net_teardown(net, hn);
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

	err = hc_addrwatch_init();
	if (err)
		goto err_pernet;

	err = hc_genl_init();
	if (err)
		goto err_notifier;

	err = hc_mh_input_init();
	if (err)
		goto err_genl;

	hc_keywait_module_init();
	hc_bench_init();
	pr_info("version " HOSTCACHE_VERSION " loaded\n");
	return 0;

err_genl:
	hc_genl_exit();
err_notifier:
	hc_addrwatch_exit();
err_pernet:
	unregister_pernet_subsys(&hc_net_ops);
err_cache:
	hc_cache_module_exit();
	return err;
}

static void __exit hc_module_exit(void)
{
	hc_bench_exit();
	hc_keywait_module_exit();
	hc_mh_input_exit();
	hc_genl_exit();
	hc_addrwatch_exit();
	unregister_pernet_subsys(&hc_net_ops);
	hc_cache_module_exit();
}

module_init(hc_module_init);
module_exit(hc_module_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Host Cache and address rewriting for homeless Mobile IPv6 hosts");
MODULE_AUTHOR("The hostcache developers");
MODULE_VERSION(HOSTCACHE_VERSION);
