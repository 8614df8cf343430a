// SPDX-License-Identifier: GPL-2.0
/*
 * responder: the sleep proxy's wake done in user space, the way a daemon
 * without the module would do it, for bench/vm.sh to compare against.
 *
 *   responder IFNAME HOSTS PORT
 *
 * Watches IFNAME with a packet socket for TCP SYNs to PORT at one of the
 * addresses of HOSTS (lines "IP MAC") and answers each with a magic packet
 * (ethertype 0x0842, broadcast, six 0xff then the host's MAC sixteen
 * times) on IFNAME: the job the module does in its ingress hook.  A small
 * open-addressing table keeps the lookup as cheap as the module's.
 * Prints "ready" once listening; runs until killed.
 */

#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#define TABLE 4096	/* a power of two, more than twice the hosts */

struct entry {
	uint32_t ip;	/* network order; 0: empty */
	uint8_t mac[6];
};

static struct entry table[TABLE];

static unsigned int slot(uint32_t ip)
{
	return (ip * 2654435761u) >> 20 & (TABLE - 1);
}

static const struct entry *lookup(uint32_t ip)
{
	unsigned int i;

	for (i = slot(ip); table[i].ip; i = (i + 1) & (TABLE - 1))
		if (table[i].ip == ip)
			return &table[i];
	return NULL;
}

static void load(const char *path)
{
	char a[64], m[64];
	struct in_addr ip;
	unsigned int i, n = 0;
	FILE *f = fopen(path, "r");

	if (!f) {
		perror(path);
		exit(1);
	}
	while (fscanf(f, "%63s %63s", a, m) == 2) {
		if (++n > TABLE / 2 || inet_pton(AF_INET, a, &ip) != 1) {
			fprintf(stderr, "responder: bad or too many hosts\n");
			exit(1);
		}
		for (i = slot(ip.s_addr); table[i].ip; i = (i + 1) & (TABLE - 1))
			;
		table[i].ip = ip.s_addr;
		if (sscanf(m, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &table[i].mac[0],
			   &table[i].mac[1], &table[i].mac[2], &table[i].mac[3],
			   &table[i].mac[4], &table[i].mac[5]) != 6) {
			fprintf(stderr, "responder: bad MAC %s\n", m);
			exit(1);
		}
	}
	fclose(f);
}

int main(int argc, char **argv)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET };
	struct ifreq ifr = { 0 };
	uint8_t buf[2048], magic[14 + 102];
	const struct entry *e;
	socklen_t sl;
	uint16_t port;
	ssize_t n;
	int fd, i;

	if (argc != 4) {
		fprintf(stderr, "usage: responder IFNAME HOSTS PORT\n");
		return 2;
	}
	load(argv[2]);
	port = atoi(argv[3]);
	fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_IP));
	if (fd < 0) {
		perror("socket");
		return 1;
	}
	sll.sll_protocol = htons(ETH_P_IP);
	sll.sll_ifindex = if_nametoindex(argv[1]);
	if (!sll.sll_ifindex || bind(fd, (struct sockaddr *)&sll, sizeof(sll))) {
		perror(argv[1]);
		return 1;
	}
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", argv[1]);
	if (ioctl(fd, SIOCGIFHWADDR, &ifr)) {
		perror("SIOCGIFHWADDR");
		return 1;
	}
	memset(magic, 0xff, 6);
	memcpy(magic + 6, ifr.ifr_hwaddr.sa_data, 6);
	magic[12] = 0x08;
	magic[13] = 0x42;
	memset(magic + 14, 0xff, 6);
	printf("ready\n");
	fflush(stdout);

	for (;;) {
		sl = sizeof(sll);
		n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&sll, &sl);
		if (n < 0) {
			perror("recvfrom");
			return 1;
		}
		if (sll.sll_pkttype == PACKET_OUTGOING || n < 54 ||
		    (buf[14] & 0xf0) != 0x40 || buf[23] != 6)
			continue;
		i = 14 + (buf[14] & 0x0f) * 4;
		if (n < i + 20 || (buf[i + 13] & 0x12) != 0x02 ||
		    (buf[i + 2] << 8 | buf[i + 3]) != port)
			continue;
		e = lookup(*(uint32_t *)(buf + 30));
		if (!e)
			continue;
		for (i = 0; i < 16; i++)
			memcpy(magic + 20 + 6 * i, e->mac, 6);
		if (send(fd, magic, sizeof(magic), 0) != sizeof(magic)) {
			perror("send");
			return 1;
		}
	}
}
