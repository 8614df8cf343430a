// SPDX-License-Identifier: GPL-2.0
/*
 * sleepproxy: lets hosts on a LAN sleep while staying reachable.  The
 * gateway answers ARP for them and wakes them with a Wake-on-LAN magic
 * packet when a connection attempt arrives for a port they serve.
 */

#include <linux/module.h>
#include <linux/sleepproxy.h>
#include <net/genetlink.h>

#include "device.h"
#include "host.h"
#include "netlink.h"
#include "netns.h"
#include "relay.h"

static int __init sp_mod_init(void)
{
	int err;

	err = sp_host_cache_create();
	if (err)
		return err;
	err = sp_net_register();
	if (err)
		goto err_cache;
	sp_relay_register();
	err = sp_dev_notifier_register();
	if (err)
		goto err_net;
	err = sp_genl_register();
	if (err)
		goto err_notifier;
	return 0;

err_notifier:
	sp_dev_notifier_unregister();
err_net:
	sp_relay_unregister();
	sp_net_unregister();
	/* A host that failed to register is freed by an RCU callback. */
	rcu_barrier();
err_cache:
	sp_host_cache_destroy();
	return err;
}

static void __exit sp_mod_exit(void)
{
	sp_genl_unregister();
	sp_dev_notifier_unregister();
	sp_relay_unregister();
	sp_net_unregister();
	/* Hosts and interfaces are freed by callbacks of this module. */
	rcu_barrier();
	sp_host_cache_destroy();
}

module_init(sp_mod_init);
module_exit(sp_mod_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Sleep proxy: answer ARP and wake sleeping LAN hosts");
MODULE_AUTHOR("The sleepproxy authors");
MODULE_ALIAS_GENL_FAMILY(SLEEPPROXY_GENL_NAME);
