// SPDX-License-Identifier: GPL-2.0
/*
 * spbench: the traffic sources, sinks and the latency probe of bench/vm.sh,
 * in C so that they are never what limits a measurement.
 *
 *   spbench udpflood DST_IP PORT SECONDS      small UDP datagrams, sendmmsg
 *   spbench udpsink PORT                      bind and never read
 *   spbench tcpsend DST_IP PORT SECONDS       one TCP stream of 64 KiB writes
 *   spbench tcpsink PORT                      "BYTES NS" of one stream
 *   spbench arp IF TARGET_IP SENDER_IP SECONDS
 *   spbench ns IF TARGET6 SENDER6 SECONDS     requests as fast as they go;
 *                                             "SENT ANSWERED" on stdout
 *   spbench lat CAPNS CAPIF TXNS TXIF arp DST_MAC SRC_IP TARGET_IP COUNT
 *   spbench lat CAPNS CAPIF TXNS TXIF syn DST_MAC SRC_IP PORT HOSTS COUNT
 *       Sends COUNT triggers one at a time from TXIF in network namespace
 *       TXNS (an ARP request for TARGET_IP; a TCP SYN to the next host of
 *       the file HOSTS, lines "IP MAC"), and prints, one a line, the ns
 *       between the trigger entering CAPIF in CAPNS and the first answer
 *       leaving it (an ARP reply from TARGET_IP; a magic packet for that
 *       host's MAC, either form), both times taken by one packet socket on
 *       CAPIF (SO_TIMESTAMPNS).  Triggers not answered within a second
 *       are counted on stderr.
 */

#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip6.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static void usage(void)
{
	fprintf(stderr, "usage: see the comment at the top of bench/spbench.c\n");
	exit(2);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void parse_mac(const char *s, uint8_t *mac)
{
	if (sscanf(s, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &mac[0], &mac[1],
		   &mac[2], &mac[3], &mac[4], &mac[5]) != 6) {
		fprintf(stderr, "bad MAC %s\n", s);
		exit(2);
	}
}

static struct in_addr parse_ip(const char *s)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1) {
		fprintf(stderr, "bad IPv4 address %s\n", s);
		exit(2);
	}
	return a;
}

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static uint32_t csum_add(uint32_t sum, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	for (; len > 1; p += 2, len -= 2)
		sum += (uint32_t)p[0] << 8 | p[1];
	if (len)
		sum += (uint32_t)p[0] << 8;
	return sum;
}

/* A packet socket bound to IFNAME, its MAC in @mac. */
static int packet_socket(const char *ifname, int proto, uint8_t *mac)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET };
	struct ifreq ifr = { 0 };
	int fd, big = 32 << 20;

	fd = socket(AF_PACKET, SOCK_RAW, htons(proto));
	if (fd < 0)
		die("socket(AF_PACKET)");
	sll.sll_protocol = htons(proto);
	sll.sll_ifindex = if_nametoindex(ifname);
	if (!sll.sll_ifindex)
		die(ifname);
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)))
		die("bind(AF_PACKET)");
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof(big)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
	if (mac) {
		snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
		if (ioctl(fd, SIOCGIFHWADDR, &ifr))
			die("SIOCGIFHWADDR");
		memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	}
	return fd;
}

static void attach_filter(int fd, struct sock_filter *code, unsigned short n)
{
	struct sock_fprog prog = { .len = n, .filter = code };

	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)))
		die("SO_ATTACH_FILTER");
}

/* ---------------------------------------------------------------- frames */

static size_t arp_request(uint8_t *f, const uint8_t *src, const uint8_t *dst,
			  struct in_addr sip, struct in_addr tip)
{
	memcpy(f, dst, 6);
	memcpy(f + 6, src, 6);
	f[12] = 0x08; f[13] = 0x06;
	f[14] = 0; f[15] = 1;		/* Ethernet */
	f[16] = 0x08; f[17] = 0;	/* IPv4 */
	f[18] = 6; f[19] = 4;
	f[20] = 0; f[21] = 1;		/* request */
	memcpy(f + 22, src, 6);
	memcpy(f + 28, &sip, 4);
	memset(f + 32, 0, 6);
	memcpy(f + 38, &tip, 4);
	memset(f + 42, 0, 18);
	return 60;
}

static size_t ns_request(uint8_t *f, const uint8_t *src,
			 const struct in6_addr *sip, const struct in6_addr *tip)
{
	struct in6_addr snm;
	uint32_t sum = 0;
	uint8_t *ip = f + 14, *icmp = f + 54;
	uint16_t plen = 32, c;

	inet_pton(AF_INET6, "ff02::1:ff00:0", &snm);
	memcpy(&snm.s6_addr[13], &tip->s6_addr[13], 3);
	f[0] = 0x33; f[1] = 0x33;
	memcpy(f + 2, &snm.s6_addr[12], 4);
	memcpy(f + 6, src, 6);
	f[12] = 0x86; f[13] = 0xdd;
	memset(ip, 0, 40);
	ip[0] = 0x60;
	ip[4] = plen >> 8; ip[5] = plen & 0xff;
	ip[6] = 58;			/* ICMPv6 */
	ip[7] = 255;
	memcpy(ip + 8, sip, 16);
	memcpy(ip + 24, &snm, 16);
	memset(icmp, 0, plen);
	icmp[0] = 135;			/* Neighbor Solicitation */
	memcpy(icmp + 8, tip, 16);
	icmp[24] = 1; icmp[25] = 1;	/* source link-layer address */
	memcpy(icmp + 26, src, 6);
	sum = csum_add(sum, ip + 8, 32);
	sum += plen + 58;
	sum = csum_add(sum, icmp, plen);
	c = csum_fold(sum);
	icmp[2] = c >> 8; icmp[3] = c & 0xff;
	return 54 + plen;
}

static size_t tcp_syn(uint8_t *f, const uint8_t *src, const uint8_t *dst,
		      struct in_addr sip, struct in_addr dip, uint16_t sport,
		      uint16_t dport, uint32_t seq)
{
	uint8_t *ip = f + 14, *t = f + 34;
	uint32_t sum = 0;
	uint16_t c;

	memcpy(f, dst, 6);
	memcpy(f + 6, src, 6);
	f[12] = 0x08; f[13] = 0;
	memset(ip, 0, 20);
	ip[0] = 0x45;
	ip[3] = 40;
	ip[6] = 0x40;			/* DF */
	ip[8] = 64;
	ip[9] = 6;
	memcpy(ip + 12, &sip, 4);
	memcpy(ip + 16, &dip, 4);
	c = csum_fold(csum_add(0, ip, 20));
	ip[10] = c >> 8; ip[11] = c & 0xff;
	memset(t, 0, 20);
	t[0] = sport >> 8; t[1] = sport & 0xff;
	t[2] = dport >> 8; t[3] = dport & 0xff;
	t[4] = seq >> 24; t[5] = seq >> 16; t[6] = seq >> 8; t[7] = seq;
	t[12] = 5 << 4;
	t[13] = 0x02;			/* SYN */
	t[14] = 0xfa; t[15] = 0xf0;
	sum = csum_add(sum, ip + 12, 8);
	sum += 6 + 20;
	sum = csum_add(sum, t, 20);
	c = csum_fold(sum);
	t[16] = c >> 8; t[17] = c & 0xff;
	return 54;
}

/* ---------------------------------------------------------------- rates */

static volatile sig_atomic_t stop;
static void on_signal(int sig) { (void)sig; stop = 1; }

static int udp_connected(const char *ip, int port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	if (fd < 0)
		die("socket");
	sin.sin_addr = parse_ip(ip);
	sin.sin_port = htons(port);
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)))
		die("connect");
	return fd;
}

static int cmd_udpflood(char **av)
{
	enum { BATCH = 64 };
	struct mmsghdr msgs[BATCH];
	struct iovec iov;
	char payload[18] = "sleepproxy-bench";
	double end = now() + atof(av[2]);
	unsigned long sent = 0;
	int fd = udp_connected(av[0], atoi(av[1])), i, n;

	iov.iov_base = payload;
	iov.iov_len = sizeof(payload);
	memset(msgs, 0, sizeof(msgs));
	for (i = 0; i < BATCH; i++) {
		msgs[i].msg_hdr.msg_iov = &iov;
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	while (now() < end) {
		n = sendmmsg(fd, msgs, BATCH, 0);
		if (n > 0)
			sent += n;
		else if (errno != ENOBUFS && errno != EAGAIN &&
			 errno != ECONNREFUSED)
			die("sendmmsg");
	}
	printf("%lu\n", sent);
	return 0;
}

static int cmd_udpsink(char **av)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	int fd = socket(AF_INET, SOCK_DGRAM, 0), small = 4096;

	if (fd < 0)
		die("socket");
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
	sin.sin_port = htons(atoi(av[0]));
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)))
		die("bind");
	printf("ready\n");
	fflush(stdout);
	while (!stop)
		pause();
	return 0;
}

static int cmd_tcpsend(char **av)
{
	static char buf[65536];
	struct sockaddr_in sin = { .sin_family = AF_INET };
	double end;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0)
		die("socket");
	sin.sin_addr = parse_ip(av[0]);
	sin.sin_port = htons(atoi(av[1]));
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)))
		die("connect");
	end = now() + atof(av[2]);
	while (now() < end)
		if (write(fd, buf, sizeof(buf)) < 0)
			die("write");
	close(fd);
	return 0;
}

static int cmd_tcpsink(char **av)
{
	static char buf[1 << 17];
	struct sockaddr_in sin = { .sin_family = AF_INET };
	unsigned long long bytes = 0;
	double first = 0, last = 0;
	int one = 1, lfd, fd;
	ssize_t n;

	lfd = socket(AF_INET, SOCK_STREAM, 0);
	if (lfd < 0)
		die("socket");
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	sin.sin_port = htons(atoi(av[0]));
	if (bind(lfd, (struct sockaddr *)&sin, sizeof(sin)) || listen(lfd, 1))
		die("bind/listen");
	printf("ready\n");
	fflush(stdout);
	fd = accept(lfd, NULL, NULL);
	if (fd < 0)
		die("accept");
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		last = now();
		if (!bytes)
			first = last;
		bytes += n;
	}
	if (n < 0)
		die("read");
	printf("%llu %.0f\n", bytes, (last - first) * 1e9);
	return 0;
}

/* ARP requests or NSes as fast as they go; answers counted by a filter. */
static int request_flood(char **av, int v6)
{
	enum { BATCH = 32 };
	uint8_t mac[6], frame[128], bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	struct mmsghdr msgs[BATCH];
	struct iovec iov;
	struct tpacket_stats st;
	socklen_t sl = sizeof(st);
	unsigned long sent = 0;
	double end;
	size_t len;
	int tx, rx, i, n;
	/* ARP: op 2 from the target's address.  NA: ICMPv6 type 136. */
	uint32_t tword;
	struct in6_addr t6, s6;
	struct sock_filter arp_code[] = {
		BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 12),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0x0806, 0, 5),
		BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 20),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 2, 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 28),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, 0xffff),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	struct sock_filter na_code[] = {
		BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 12),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0x86dd, 0, 5),
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 20),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 58, 0, 3),
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 54),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 136, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, 0xffff),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};

	tx = packet_socket(av[0], 0, mac);
	rx = packet_socket(av[0], ETH_P_ALL, NULL);
	if (v6) {
		if (inet_pton(AF_INET6, av[1], &t6) != 1 ||
		    inet_pton(AF_INET6, av[2], &s6) != 1)
			usage();
		len = ns_request(frame, mac, &s6, &t6);
		attach_filter(rx, na_code, sizeof(na_code) / sizeof(na_code[0]));
	} else {
		struct in_addr t = parse_ip(av[1]);

		len = arp_request(frame, mac, bcast, parse_ip(av[2]), t);
		tword = ntohl(t.s_addr);
		arp_code[5].k = tword;
		attach_filter(rx, arp_code, sizeof(arp_code) / sizeof(arp_code[0]));
	}
	/* Forget what arrived before the filter. */
	getsockopt(rx, SOL_PACKET, PACKET_STATISTICS, &st, &sl);
	while (recv(rx, frame + 64, 1, MSG_DONTWAIT) >= 0)
		;
	getsockopt(rx, SOL_PACKET, PACKET_STATISTICS, &st, &sl);

	iov.iov_base = frame;
	iov.iov_len = len;
	memset(msgs, 0, sizeof(msgs));
	for (i = 0; i < BATCH; i++) {
		msgs[i].msg_hdr.msg_iov = &iov;
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	end = now() + atof(av[3]);
	while (now() < end) {
		n = sendmmsg(tx, msgs, BATCH, 0);
		if (n > 0)
			sent += n;
		else if (errno != ENOBUFS && errno != EAGAIN)
			die("sendmmsg");
	}
	usleep(200000);
	sl = sizeof(st);
	if (getsockopt(rx, SOL_PACKET, PACKET_STATISTICS, &st, &sl))
		die("PACKET_STATISTICS");
	printf("%lu %u\n", sent, st.tp_packets);
	return 0;
}

/* ---------------------------------------------------------------- latency */

static int enter_netns(const char *name)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		die(path);
	if (setns(fd, CLONE_NEWNET))
		die("setns");
	close(fd);
	return 0;
}

/* One frame from the capture socket: its length, or 0 on timeout. */
static ssize_t cap_recv(int fd, uint8_t *buf, size_t size, int *pkttype,
			long long *ts_ns, int timeout_ms)
{
	struct sockaddr_ll sll;
	char ctl[256];
	struct iovec iov = { .iov_base = buf, .iov_len = size };
	struct msghdr msg = {
		.msg_name = &sll, .msg_namelen = sizeof(sll),
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = ctl, .msg_controllen = sizeof(ctl),
	};
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	struct cmsghdr *c;
	struct timespec ts;
	ssize_t n;

	if (poll(&pfd, 1, timeout_ms) <= 0)
		return 0;
	n = recvmsg(fd, &msg, 0);
	if (n < 0)
		die("recvmsg");
	*pkttype = sll.sll_pkttype;
	*ts_ns = -1;
	for (c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
			memcpy(&ts, CMSG_DATA(c), sizeof(ts));
			*ts_ns = ts.tv_sec * 1000000000LL + ts.tv_nsec;
		}
	if (*ts_ns < 0) {
		fprintf(stderr, "spbench: a frame without a timestamp\n");
		exit(1);
	}
	return n;
}

static int is_magic_for(const uint8_t *f, size_t n, const uint8_t *mac)
{
	static const uint8_t ff[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	size_t off, i;

	if (n >= 14 + 102 && f[12] == 0x08 && f[13] == 0x42)
		off = 14;
	else if (n >= 42 + 102 && f[12] == 0x08 && f[13] == 0x00 &&
		 f[14] == 0x45 && f[23] == 17 && f[36] == 0 && f[37] == 9)
		off = 42;
	else
		return 0;
	if (memcmp(f + off, ff, 6))
		return 0;
	for (i = 0; i < 16; i++)
		if (memcmp(f + off + 6 + 6 * i, mac, 6))
			return 0;
	return 1;
}

static int cmd_lat(int ac, char **av)
{
	const char *capns = av[0], *capif = av[1], *txns = av[2], *txif = av[3];
	const char *mode = av[4];
	uint8_t mymac[6], dst[6], hmac[6], trig[128], buf[2048];
	struct in_addr sip, tip;
	char (*hosts)[2][64] = NULL;
	int cap, tx, one = 1, count, i, nhosts = 0, port = 0, lost = 0, pkttype;
	int syn = !strcmp(mode, "syn");
	long long t_in, t_out, ts;
	size_t tlen;
	ssize_t n;
	double deadline;

	if ((syn && ac != 10) || (!syn && (ac != 9 || strcmp(mode, "arp"))))
		usage();
	parse_mac(av[5], dst);
	sip = parse_ip(av[6]);
	if (syn) {
		FILE *f = fopen(av[8], "r");
		char a[64], m[64];

		port = atoi(av[7]);
		count = atoi(av[9]);
		if (!f)
			die(av[8]);
		hosts = calloc(count, sizeof(*hosts));
		if (!hosts)
			die("calloc");
		while (nhosts < count && fscanf(f, "%63s %63s", a, m) == 2) {
			snprintf(hosts[nhosts][0], 64, "%s", a);
			snprintf(hosts[nhosts][1], 64, "%s", m);
			nhosts++;
		}
		fclose(f);
		if (nhosts < count) {
			fprintf(stderr, "spbench: %s has %d hosts, %d wanted\n",
				av[8], nhosts, count);
			return 1;
		}
	} else {
		tip = parse_ip(av[7]);
		count = atoi(av[8]);
	}

	enter_netns(capns);
	cap = packet_socket(capif, ETH_P_ALL, NULL);
	if (setsockopt(cap, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof(one)))
		die("SO_TIMESTAMPNS");
	enter_netns(txns);
	tx = packet_socket(txif, 0, mymac);
	srand(getpid());

	for (i = 0; i < count; i++) {
		/* Drain what is left of the last round. */
		while (cap_recv(cap, buf, sizeof(buf), &pkttype, &ts, 0) > 0)
			;
		if (syn) {
			tip = parse_ip(hosts[i][0]);
			parse_mac(hosts[i][1], hmac);
			tlen = tcp_syn(trig, mymac, dst, sip, tip,
				       20000 + rand() % 40000, port, rand());
		} else {
			tlen = arp_request(trig, mymac, dst, sip, tip);
		}
		if (send(tx, trig, tlen, 0) != (ssize_t)tlen)
			die("send");
		t_in = t_out = -1;
		deadline = now() + 1.0;
		while (t_out < 0 && now() < deadline) {
			n = cap_recv(cap, buf, sizeof(buf), &pkttype, &ts, 100);
			if (n <= 0)
				continue;
			if (pkttype != PACKET_OUTGOING) {
				if (t_in < 0 && (size_t)n >= tlen &&
				    !memcmp(buf, trig, tlen))
					t_in = ts;
				continue;
			}
			if (t_in < 0)
				continue;
			if (syn ? is_magic_for(buf, n, hmac) :
			    (n >= 42 && buf[12] == 0x08 && buf[13] == 0x06 &&
			     buf[21] == 2 && !memcmp(buf + 28, &tip, 4)))
				t_out = ts;
		}
		if (t_out < 0) {
			lost++;
			continue;
		}
		printf("%lld\n", t_out - t_in);
		usleep(5000);
	}
	fflush(stdout);
	if (lost)
		fprintf(stderr, "spbench lat %s: %d of %d triggers not answered\n",
			mode, lost, count);
	return lost == count;
}

int main(int ac, char **av)
{
	signal(SIGTERM, on_signal);
	signal(SIGPIPE, SIG_IGN);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (ac < 2)
		usage();
	ac -= 2;
	if (!strcmp(av[1], "udpflood") && ac == 3)
		return cmd_udpflood(av + 2);
	if (!strcmp(av[1], "udpsink") && ac == 1)
		return cmd_udpsink(av + 2);
	if (!strcmp(av[1], "tcpsend") && ac == 3)
		return cmd_tcpsend(av + 2);
	if (!strcmp(av[1], "tcpsink") && ac == 1)
		return cmd_tcpsink(av + 2);
	if (!strcmp(av[1], "arp") && ac == 4)
		return request_flood(av + 2, 0);
	if (!strcmp(av[1], "ns") && ac == 4)
		return request_flood(av + 2, 1);
	if (!strcmp(av[1], "lat") && ac >= 9)
		return cmd_lat(ac, av + 2);
	usage();
	return 2;
}
