/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SP_ROUTE_H
#define _SP_ROUTE_H

struct sp_net;

/* IPv4 and IPv6 after routing, IPv4 broadcast in (&sp_net.route_ops). */
#define SP_ROUTE_NR_OPS	3

int sp_route_attach(struct sp_net *spn);
void sp_route_detach(struct sp_net *spn);

#endif /* _SP_ROUTE_H */
