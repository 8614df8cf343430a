/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SP_LIFECYCLE_H
#define _SP_LIFECYCLE_H

struct sp_host;
struct sp_net;

void sp_lifecycle_init(struct sp_net *spn);
void sp_lifecycle_run(struct sp_net *spn);
void sp_lifecycle_kick(struct sp_net *spn, const struct sp_host *host);
void sp_lifecycle_stop(struct sp_net *spn);

#endif /* _SP_LIFECYCLE_H */
