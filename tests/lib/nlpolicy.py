#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Bad netlink messages against the "sleepproxy" family.

Speaks raw generic netlink (no library between it and the kernel, so it
can send what no well-behaved tool would) and checks that every malformed,
out-of-range or contradictory request is refused with an errno and an
extended ACK message, that none of them changes the host table, and that a
burst of randomly mutated requests leaves the module working.

    nlpolicy.py IFNAME [--fuzz N] [--many N]

IFNAME is an Ethernet interface of the current network namespace with no
hosts registered.  Prints one "ok"/"not ok" line per check (TAP style) and
exits non-zero if any check failed.
"""

import argparse
import ast
import errno
import os
import random
import socket
import struct
import sys

NETLINK_GENERIC = 16
SOL_NETLINK = 270
NETLINK_CAP_ACK = 10
NETLINK_EXT_ACK = 11
NLM_F_REQUEST = 0x1
NLM_F_ACK = 0x4
NLM_F_DUMP = 0x300
NLM_F_ACK_TLVS = 0x200
NLM_F_DUMP_INTR = 0x10
NLMSG_ERROR = 2
NLMSG_DONE = 3
NLA_F_NESTED = 0x8000
NLMSGERR_ATTR_MSG = 1
GENL_ID_CTRL = 0x10
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID = 1
CTRL_ATTR_FAMILY_NAME = 2

# uapi/linux/sleepproxy.h
CMD_HOST_NEW, CMD_HOST_DEL, CMD_HOST_GET, CMD_STATS_GET, CMD_WAKE = 1, 2, 3, 4, 5
(A_HOST_ID, A_HOST_IFINDEX, A_HOST_IFNAME, A_HOST_LLADDR, A_HOST_ADDRS,
 A_HOST_TCP_PORTS, A_HOST_FLAGS, A_HOST_WAKE_COUNT, A_HOST_LEASE,
 A_HOST_STATE, A_HOST_STATE_AGE, A_HOST_STATS, A_HOST_LEASE_LEFT,
 A_HOST_CONFLICTS, A_HOST_WAKE_LLADDR, A_HOST_WAKE_PASSWORD,
 A_HOST_ORIGIN) = range(2, 19)
A_HOST_WAKE_TIMEOUT = 24
A_ADDR_IPV4, A_ADDR_IPV6 = 1, 2
A_PORT = 1
HOST_F_TCP_ANY = 1
HOST_F_PING = 1 << 1
HOST_F_NO_LEASE_WAKE = 1 << 2
HOST_F_ALL = HOST_F_TCP_ANY | HOST_F_PING | HOST_F_NO_LEASE_WAKE
ORIGIN_ADMIN, ORIGIN_SPSD = 0, 1
A_STATS_HOSTS = 2
A_STATS_IFINDEX = 19
CMD_CONFIG_GET, CMD_CONFIG_SET = 7, 8
A_CONFIG_RESET, A_CONFIG_OWN = 1, 2
(A_CONFIG_MAX_HOSTS, A_CONFIG_AWAKE_GRACE_MS, A_CONFIG_MAX_WAKES_PER_SEC,
 A_CONFIG_MAX_REPLIES_PER_SEC, A_CONFIG_SYN_HOLD_MS, A_CONFIG_SYN_HOLD_MAX,
 A_CONFIG_SYN_HOLD_TOTAL, A_CONFIG_WAKE_TIMEOUT_MS) = range(3, 11)
CONFIG_F_ALL = (1 << 8) - 1


def attr(atype, payload):
    hdr = struct.pack("=HH", 4 + len(payload), atype)
    return hdr + payload + b"\0" * (-len(payload) % 4)


def nest(atype, *attrs):
    return attr(atype | NLA_F_NESTED, b"".join(attrs))


def u8(atype, v):
    return attr(atype, struct.pack("=B", v))


def u16(atype, v):
    return attr(atype, struct.pack("=H", v))


def u32(atype, v):
    return attr(atype, struct.pack("=I", v))


def ip4(a):
    return attr(A_ADDR_IPV4, socket.inet_pton(socket.AF_INET, a))


def ip6(a):
    return attr(A_ADDR_IPV6, socket.inet_pton(socket.AF_INET6, a))


def mac(s, atype=A_HOST_LLADDR):
    return attr(atype, bytes(int(x, 16) for x in s.split(":")))


class Genl:
    def __init__(self):
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW,
                                  NETLINK_GENERIC)
        self.sock.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.sock.setsockopt(SOL_NETLINK, NETLINK_CAP_ACK, 1)
        self.sock.bind((0, 0))
        self.seq = 0
        ans = self.request(GENL_ID_CTRL, CTRL_CMD_GETFAMILY,
                           attr(CTRL_ATTR_FAMILY_NAME, b"sleepproxy\0"))
        if ans[0]:
            sys.exit("nlpolicy: no sleepproxy family (%s)" % ans[1])
        self.family = struct.unpack_from("=H", self._find(ans[2][0],
                                                          CTRL_ATTR_FAMILY_ID))[0]

    @staticmethod
    def _attrs(buf):
        off = 0
        while off + 4 <= len(buf):
            alen, atype = struct.unpack_from("=HH", buf, off)
            if alen < 4:
                break
            yield atype & 0x3fff, buf[off + 4:off + alen]
            off += (alen + 3) & ~3

    def _find(self, payload, atype):
        for t, v in self._attrs(payload[4:]):
            if t == atype:
                return v
        raise KeyError(atype)

    def raw(self, msg):
        self.sock.send(msg)

    def request(self, family, cmd, body=b"", flags=NLM_F_ACK, reserved=0,
                version=1):
        """Returns (errno, extack message, [reply payloads])."""
        self.seq += 1
        payload = struct.pack("=BBH", cmd, version, reserved) + body
        msg = struct.pack("=IHHII", 16 + len(payload), family,
                          NLM_F_REQUEST | flags, self.seq, 0) + payload
        self.sock.send(msg)
        return self.collect(self.seq)

    def collect(self, seq):
        replies = []
        self.intr = False
        while True:
            data = self.sock.recv(1 << 20)
            off = 0
            while off + 16 <= len(data):
                mlen, mtype, mflags, mseq, _ = struct.unpack_from("=IHHII",
                                                                  data, off)
                body = data[off + 16:off + mlen]
                off += (mlen + 3) & ~3
                if mseq != seq:
                    continue
                if mflags & NLM_F_DUMP_INTR:
                    self.intr = True
                if mtype == NLMSG_ERROR:
                    err = -struct.unpack_from("=i", body)[0]
                    text = ""
                    if mflags & NLM_F_ACK_TLVS:
                        # error, then the request's header (CAP_ACK), TLVs
                        for t, v in self._attrs(body[4 + 16:]):
                            if t == NLMSGERR_ATTR_MSG:
                                text = v.rstrip(b"\0").decode()
                    return err, text, replies
                if mtype == NLMSG_DONE:
                    err = -struct.unpack_from("=i", body)[0] if body else 0
                    return err, "", replies
                replies.append(body)

    def sp(self, cmd, *attrs, flags=NLM_F_ACK, **kw):
        return self.request(self.family, cmd, b"".join(attrs), flags, **kw)

    def hosts(self):
        err, _, replies = self.sp(CMD_HOST_GET, flags=NLM_F_DUMP)
        assert err == 0, err
        return len(replies)


def as_nobody(fn):
    """fn() in a child that has become nobody, without capabilities."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        try:
            os.setgroups([])
            os.setgid(65534)
            os.setuid(65534)
            res = fn()
        except Exception as e:  # reported to the parent as a failure
            res = ("exception", str(e))
        os.write(w, repr(res).encode())
        os._exit(0)
    os.close(w)
    data = b""
    while True:
        chunk = os.read(r, 65536)
        if not chunk:
            break
        data += chunk
    os.close(r)
    os.waitpid(pid, 0)
    return ast.literal_eval(data.decode())


def config(nl):
    """The namespace's settings: {attribute: value}, with A_CONFIG_OWN."""
    err, _, replies = nl.sp(CMD_CONFIG_GET)
    assert err == 0 and len(replies) == 1, err
    return {t: struct.unpack("=I", v)[0] for t, v in Genl._attrs(replies[0][4:])}


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def check(self, cond, what):
        self.n += 1
        if not cond:
            self.failed += 1
        print("%s %d - %s" % ("ok" if cond else "not ok", self.n, what))
        sys.stdout.flush()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("ifname")
    ap.add_argument("--fuzz", type=int, default=20000)
    ap.add_argument("--many", type=int, default=2000)
    args = ap.parse_args()

    nl = Genl()
    tap = Tap()
    ifindex = socket.if_nametoindex(args.ifname)
    IF = u32(A_HOST_IFINDEX, ifindex)
    MAC = mac("52:54:00:00:5a:01")
    ADDRS = nest(A_HOST_ADDRS, ip4("192.0.2.10"))

    err, text, _ = nl.sp(CMD_HOST_NEW, IF, MAC, ADDRS)
    tap.check(err == 0, "a well-formed registration is accepted (%s)" % text)
    base = nl.hosts()
    tap.check(base == 1, "one host registered")

    bad = [
        ("no attributes at all", CMD_HOST_NEW, []),
        ("no interface", CMD_HOST_NEW, [MAC, ADDRS]),
        ("no MAC", CMD_HOST_NEW, [IF, ADDRS]),
        ("no addresses", CMD_HOST_NEW, [IF, mac("52:54:00:00:5a:02")]),
        ("an empty address list", CMD_HOST_NEW,
         [IF, mac("52:54:00:00:5a:02"), nest(A_HOST_ADDRS)]),
        ("interface index 0", CMD_HOST_NEW,
         [u32(A_HOST_IFINDEX, 0), MAC, ADDRS]),
        ("an interface that does not exist", CMD_HOST_NEW,
         [u32(A_HOST_IFINDEX, 0x7ffffff0), MAC, ADDRS]),
        ("interface index as u16", CMD_HOST_NEW,
         [u16(A_HOST_IFINDEX, ifindex), MAC, ADDRS]),
        ("a 5-byte MAC", CMD_HOST_NEW,
         [IF, attr(A_HOST_LLADDR, b"\x52\x54\0\0\x5a"), ADDRS]),
        ("a 7-byte MAC", CMD_HOST_NEW,
         [IF, attr(A_HOST_LLADDR, b"\x52\x54\0\0\x5a\x02\0"), ADDRS]),
        ("a multicast MAC", CMD_HOST_NEW,
         [IF, mac("01:00:5e:00:00:01"), ADDRS]),
        ("the all-zero MAC", CMD_HOST_NEW,
         [IF, mac("00:00:00:00:00:00"), ADDRS]),
        ("a 3-byte IPv4 address", CMD_HOST_NEW,
         [IF, MAC, nest(A_HOST_ADDRS, attr(A_ADDR_IPV4, b"\xc0\0\2"))]),
        ("a 15-byte IPv6 address", CMD_HOST_NEW,
         [IF, MAC, nest(A_HOST_ADDRS, attr(A_ADDR_IPV6, b"\x20" * 15))]),
        ("a multicast IPv4 address", CMD_HOST_NEW,
         [IF, MAC, nest(A_HOST_ADDRS, ip4("224.0.0.1"))]),
        ("the broadcast address", CMD_HOST_NEW,
         [IF, MAC, nest(A_HOST_ADDRS, ip4("255.255.255.255"))]),
        ("0.0.0.0", CMD_HOST_NEW, [IF, MAC, nest(A_HOST_ADDRS, ip4("0.0.0.0"))]),
        ("a loopback address", CMD_HOST_NEW,
         [IF, MAC, nest(A_HOST_ADDRS, ip4("127.0.0.1"))]),
        ("a multicast IPv6 address", CMD_HOST_NEW,
         [IF, MAC, nest(A_HOST_ADDRS, ip6("ff02::1"))]),
        ("the unspecified IPv6 address", CMD_HOST_NEW,
         [IF, MAC, nest(A_HOST_ADDRS, ip6("::"))]),
        ("9 IPv4 addresses", CMD_HOST_NEW,
         [IF, MAC, nest(A_HOST_ADDRS,
                        *[ip4("192.0.2.%d" % (20 + i)) for i in range(9)])]),
        ("17 IPv6 addresses", CMD_HOST_NEW,
         [IF, MAC, nest(A_HOST_ADDRS,
                        *[ip6("2001:db8::%x" % (i + 1)) for i in range(17)])]),
        ("the same address twice", CMD_HOST_NEW,
         [IF, MAC, nest(A_HOST_ADDRS, ip4("192.0.2.30"), ip4("192.0.2.30"))]),
        ("an unknown attribute in the address list", CMD_HOST_NEW,
         [IF, MAC, nest(A_HOST_ADDRS, ip4("192.0.2.31"), attr(7, b"\0" * 4))]),
        ("the address list without NLA_F_NESTED", CMD_HOST_NEW,
         [IF, MAC, attr(A_HOST_ADDRS, ip4("192.0.2.32"))]),
        ("port 0", CMD_HOST_NEW,
         [IF, MAC, ADDRS, nest(A_HOST_TCP_PORTS, u16(A_PORT, 0))]),
        ("a port as u32", CMD_HOST_NEW,
         [IF, MAC, ADDRS, nest(A_HOST_TCP_PORTS, u32(A_PORT, 22))]),
        ("65 ports", CMD_HOST_NEW,
         [IF, MAC, ADDRS,
          nest(A_HOST_TCP_PORTS, *[u16(A_PORT, 1000 + i) for i in range(65)])]),
        ("an unknown flag bit", CMD_HOST_NEW,
         [IF, MAC, ADDRS, u32(A_HOST_FLAGS, (HOST_F_ALL + 1) | HOST_F_PING)]),
        ("the top flag bit", CMD_HOST_NEW,
         [IF, MAC, ADDRS, u32(A_HOST_FLAGS, 1 << 31)]),
        ("tcp any with a port list", CMD_HOST_NEW,
         [IF, MAC, ADDRS, u32(A_HOST_FLAGS, HOST_F_TCP_ANY),
          nest(A_HOST_TCP_PORTS, u16(A_PORT, 22))]),
        ("wake-count 0", CMD_HOST_NEW, [IF, MAC, ADDRS, u8(A_HOST_WAKE_COUNT, 0)]),
        ("wake-count 17", CMD_HOST_NEW,
         [IF, MAC, ADDRS, u8(A_HOST_WAKE_COUNT, 17)]),
        ("a lease over 30 days", CMD_HOST_NEW,
         [IF, MAC, ADDRS, u32(A_HOST_LEASE, 30 * 24 * 3600 + 1)]),
        ("a wake timeout over an hour", CMD_HOST_NEW,
         [IF, MAC, ADDRS, u32(A_HOST_WAKE_TIMEOUT, 3600 * 1000 + 1)]),
        ("a wake timeout as u16", CMD_HOST_NEW,
         [IF, MAC, ADDRS, u16(A_HOST_WAKE_TIMEOUT, 1000)]),
        ("a multicast wake MAC", CMD_HOST_NEW,
         [IF, MAC, ADDRS, mac("01:00:5e:00:00:01", A_HOST_WAKE_LLADDR)]),
        ("the all-zero wake MAC", CMD_HOST_NEW,
         [IF, MAC, ADDRS, mac("00:00:00:00:00:00", A_HOST_WAKE_LLADDR)]),
        ("a 5-byte wake MAC", CMD_HOST_NEW,
         [IF, MAC, ADDRS, attr(A_HOST_WAKE_LLADDR, b"\x52\x54\0\0\x5a")]),
        ("a password of 5 bytes", CMD_HOST_NEW,
         [IF, MAC, ADDRS, attr(A_HOST_WAKE_PASSWORD, b"\xde\xad\xbe\xef\0")]),
        ("a password of 3 bytes", CMD_HOST_NEW,
         [IF, MAC, ADDRS, attr(A_HOST_WAKE_PASSWORD, b"\xde\xad\xbe")]),
        ("a password of 7 bytes", CMD_HOST_NEW,
         [IF, MAC, ADDRS, attr(A_HOST_WAKE_PASSWORD, b"\xde" * 7)]),
        ("an empty password", CMD_HOST_NEW,
         [IF, MAC, ADDRS, attr(A_HOST_WAKE_PASSWORD, b"")]),
        ("origin out of range", CMD_HOST_NEW,
         [IF, MAC, ADDRS, u8(A_HOST_ORIGIN, ORIGIN_SPSD + 1)]),
        ("origin as u32", CMD_HOST_NEW,
         [IF, MAC, ADDRS, u32(A_HOST_ORIGIN, ORIGIN_SPSD)]),
        ("an attribute only replies carry (state)", CMD_HOST_NEW,
         [IF, MAC, ADDRS, u8(A_HOST_STATE, 2)]),
        ("an attribute only replies carry (id)", CMD_HOST_NEW,
         [IF, MAC, ADDRS, u32(A_HOST_ID, 1)]),
        ("an attribute type past the last one", CMD_HOST_NEW,
         [IF, MAC, ADDRS, u32(200, 1)]),
        ("an address list on del-host", CMD_HOST_DEL, [IF, MAC, ADDRS]),
        ("del-host without a MAC", CMD_HOST_DEL, [IF]),
        ("del-host of a host that is not there", CMD_HOST_DEL,
         [IF, mac("52:54:00:00:5a:03")]),
        ("get of a host that is not there", CMD_HOST_GET,
         [IF, mac("52:54:00:00:5a:03")]),
        ("stats-get with an attribute", CMD_STATS_GET, [u32(A_STATS_HOSTS, 1)]),
        ("stats-get of ifindex 0", CMD_STATS_GET, [u32(A_STATS_IFINDEX, 0)]),
        ("stats-get with a 2-byte ifindex", CMD_STATS_GET,
         [u16(A_STATS_IFINDEX, 1)]),
        ("stats-get of an interface that does not exist", CMD_STATS_GET,
         [u32(A_STATS_IFINDEX, 99999)]),
        ("stats-get of an interface without hosts", CMD_STATS_GET,
         [u32(A_STATS_IFINDEX, 1)]),
        ("wake without a MAC", CMD_WAKE, [IF]),
        ("wake without an interface", CMD_WAKE, [mac("52:54:00:00:5a:04")]),
        ("wake of a multicast MAC", CMD_WAKE, [IF, mac("01:00:5e:00:00:01")]),
        ("wake of the all-zero MAC", CMD_WAKE, [IF, mac("00:00:00:00:00:00")]),
        ("wake with a password of 5 bytes", CMD_WAKE,
         [IF, mac("52:54:00:00:5a:04"), attr(A_HOST_WAKE_PASSWORD, b"\xde" * 5)]),
        ("wake with a password, of a registered host", CMD_WAKE,
         [IF, MAC, attr(A_HOST_WAKE_PASSWORD, b"\xde\xad\xbe\xef")]),
        ("wake with an address list", CMD_WAKE,
         [IF, mac("52:54:00:00:5a:04"), ADDRS]),
        ("wake on an interface that does not exist", CMD_WAKE,
         [u32(A_HOST_IFINDEX, 99999), mac("52:54:00:00:5a:04")]),
        ("an unknown command", 99, [IF, MAC, ADDRS]),
        ("config-set of nothing", CMD_CONFIG_SET, []),
        ("config-set of max-hosts 0", CMD_CONFIG_SET,
         [u32(A_CONFIG_MAX_HOSTS, 0)]),
        ("config-set of max-hosts over the cap", CMD_CONFIG_SET,
         [u32(A_CONFIG_MAX_HOSTS, (1 << 20) + 1)]),
        ("config-set of max-hosts as u16", CMD_CONFIG_SET,
         [u16(A_CONFIG_MAX_HOSTS, 5)]),
        ("config-set of max-hosts as u8", CMD_CONFIG_SET,
         [u8(A_CONFIG_MAX_HOSTS, 5)]),
        ("config-set of awake-grace over an hour", CMD_CONFIG_SET,
         [u32(A_CONFIG_AWAKE_GRACE_MS, 3600 * 1000 + 1)]),
        ("config-set of a wake rate over 1000000", CMD_CONFIG_SET,
         [u32(A_CONFIG_MAX_WAKES_PER_SEC, 1000001)]),
        ("config-set of a reply rate over 1000000", CMD_CONFIG_SET,
         [u32(A_CONFIG_MAX_REPLIES_PER_SEC, 1000001)]),
        ("config-set of syn-hold-ms 0", CMD_CONFIG_SET,
         [u32(A_CONFIG_SYN_HOLD_MS, 0)]),
        ("config-set of syn-hold-max 257", CMD_CONFIG_SET,
         [u32(A_CONFIG_SYN_HOLD_MAX, 257)]),
        ("config-set of syn-hold-total 65537", CMD_CONFIG_SET,
         [u32(A_CONFIG_SYN_HOLD_TOTAL, 65537)]),
        ("config-set of a wake timeout over an hour", CMD_CONFIG_SET,
         [u32(A_CONFIG_WAKE_TIMEOUT_MS, 3600 * 1000 + 1)]),
        ("config-set of a wake timeout of -1", CMD_CONFIG_SET,
         [u32(A_CONFIG_WAKE_TIMEOUT_MS, 0xffffffff)]),
        ("config-set resetting an unknown setting", CMD_CONFIG_SET,
         [u32(A_CONFIG_RESET, CONFIG_F_ALL + 1)]),
        ("config-set resetting the top bit", CMD_CONFIG_SET,
         [u32(A_CONFIG_RESET, 1 << 31)]),
        ("config-set with a 2-byte reset", CMD_CONFIG_SET,
         [u16(A_CONFIG_RESET, 1)]),
        ("config-set setting and resetting max-hosts", CMD_CONFIG_SET,
         [u32(A_CONFIG_MAX_HOSTS, 5), u32(A_CONFIG_RESET, 1)]),
        ("config-set of what only replies carry (own)", CMD_CONFIG_SET,
         [u32(A_CONFIG_OWN, 1)]),
        ("config-set of an attribute past the last one", CMD_CONFIG_SET,
         [u32(A_CONFIG_WAKE_TIMEOUT_MS + 1, 1)]),
        ("config-set with a good value and a bad one", CMD_CONFIG_SET,
         [u32(A_CONFIG_MAX_HOSTS, 5), u32(A_CONFIG_SYN_HOLD_MAX, 257)]),
    ]
    settings = config(nl)
    tap.check(settings.get(A_CONFIG_OWN) == 0 and
              set(settings) == set(range(A_CONFIG_OWN, A_CONFIG_WAKE_TIMEOUT_MS + 1)),
              "config-get: every setting, none of them the namespace's own")
    for what, cmd, attrs in bad:
        err, text, _ = nl.sp(cmd, *attrs)
        tap.check(err != 0 and (text or err == errno.EOPNOTSUPP),
                  "refused: %s (%s: %s)" % (what, errno.errorcode.get(err, err),
                                            text))

    # Header-level garbage.
    err, text, _ = nl.sp(CMD_HOST_NEW, IF, MAC, ADDRS, reserved=1)
    tap.check(err != 0, "refused: a non-zero reserved genl header field (%s)"
              % text)
    for cut in (1, 3, 5):
        body = b"".join([IF, MAC, ADDRS])
        err, text, _ = nl.request(nl.family, CMD_HOST_NEW, body[:-cut])
        tap.check(err != 0, "refused: attributes cut %d bytes short (%s)"
                  % (cut, text))
    tap.check(nl.hosts() == base, "no refused request changed the table")
    tap.check(config(nl) == settings,
              "...nor the settings (a good value next to a bad one included)")

    # Changes need CAP_NET_ADMIN; reading the settings does not.
    def nobody():
        unpriv = Genl()
        err, text, _ = unpriv.sp(CMD_CONFIG_SET, u32(A_CONFIG_MAX_HOSTS, 5))
        err2, _, replies = unpriv.sp(CMD_CONFIG_GET)
        return err, text, err2, len(replies)
    got = as_nobody(nobody)
    tap.check(got[0] == errno.EPERM and got[2] == 0 and got[3] == 1,
              "as nobody: config-set refused with EPERM, config-get "
              "answered (%r)" % (got,))
    tap.check(config(nl) == settings, "...and the settings are unchanged")

    # A change and its undoing.
    err, text, _ = nl.sp(CMD_CONFIG_SET, u32(A_CONFIG_MAX_HOSTS, 1 << 20),
                         u32(A_CONFIG_WAKE_TIMEOUT_MS, 0))
    got = config(nl)
    tap.check(err == 0 and got[A_CONFIG_MAX_HOSTS] == 1 << 20 and
              got[A_CONFIG_WAKE_TIMEOUT_MS] == 0 and got[A_CONFIG_OWN] ==
              (1 << 0 | 1 << 7), "config-set at the bounds (%s)" % text)
    err, text, _ = nl.sp(CMD_CONFIG_SET, u32(A_CONFIG_RESET, CONFIG_F_ALL))
    tap.check(err == 0 and config(nl) == settings,
              "config-set reset of every setting: the defaults again (%s)"
              % text)
    err, _, replies = nl.sp(CMD_HOST_GET, IF, MAC)
    got = dict(Genl._attrs(replies[0][4:])) if not err and replies else {}
    tap.check(got.get(A_HOST_WAKE_LLADDR) == got.get(A_HOST_LLADDR) and
              A_HOST_WAKE_PASSWORD not in got and
              got.get(A_HOST_ORIGIN) == bytes([ORIGIN_ADMIN]),
              "...and the host wakes at its own MAC, without a password, "
              "registered by an admin")

    # What the magic packets carry and who registered the host are taken
    # and returned (root sees the password), and a replacement that leaves
    # them out puts the defaults back.
    WAKE = mac("52:54:00:00:5a:09", A_HOST_WAKE_LLADDR)
    wake_mac, own_mac = WAKE[4:10], MAC[4:10]   # without the padding
    for pw in (b"\xde\xad\xbe\xef", b"\x00\x11\x22\x33\x44\x55"):
        err, text, _ = nl.sp(CMD_HOST_NEW, IF, MAC, ADDRS, WAKE,
                             attr(A_HOST_WAKE_PASSWORD, pw),
                             u8(A_HOST_ORIGIN, ORIGIN_SPSD))
        err2, _, replies = nl.sp(CMD_HOST_GET, IF, MAC)
        got = dict(Genl._attrs(replies[0][4:])) if not err2 and replies else {}
        tap.check(err == 0 and got.get(A_HOST_WAKE_LLADDR) == wake_mac and
                  got.get(A_HOST_WAKE_PASSWORD) == pw and
                  got.get(A_HOST_ORIGIN) == bytes([ORIGIN_SPSD]),
                  "a wake MAC, a %d-byte password and origin spsd are kept "
                  "and returned (%s)" % (len(pw), text))
    err, text, _ = nl.sp(CMD_HOST_NEW, IF, MAC, ADDRS)
    err2, _, replies = nl.sp(CMD_HOST_GET, IF, MAC)
    got = dict(Genl._attrs(replies[0][4:])) if not err2 and replies else {}
    tap.check(err == 0 and got.get(A_HOST_WAKE_LLADDR) == own_mac and
              A_HOST_WAKE_PASSWORD not in got and
              got.get(A_HOST_ORIGIN) == bytes([ORIGIN_ADMIN]),
              "a replacement without them goes back to the defaults (%s)" % text)
    tap.check(nl.hosts() == base, "still one host")

    # Randomly mutated requests: whatever the kernel makes of them, it keeps
    # working and the original registration survives.
    rng = random.Random(int.from_bytes(os.urandom(4), "little"))
    seeds = [b"".join(a) for _, _, a in bad] + [b"".join([IF, MAC, ADDRS])]
    accepted = refused = 0
    for _ in range(args.fuzz):
        body = bytearray(rng.choice(seeds))
        for _ in range(rng.randint(1, 4)):
            if body and rng.random() < 0.7:
                body[rng.randrange(len(body))] = rng.randrange(256)
            elif body and rng.random() < 0.5:
                del body[rng.randrange(len(body)):]
            else:
                body += bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
        err, _, _ = nl.request(nl.family, rng.choice([1, 2, 3, 4, 0, 5, 255]),
                               bytes(body))
        if err:
            refused += 1
        else:
            accepted += 1
    tap.check(True, "%d mutated requests: %d refused, %d accepted"
              % (args.fuzz, refused, accepted))
    # Many hosts: a dump spans many messages and returns each host once;
    # dumps racing with changes from another socket are either flagged
    # NLM_F_DUMP_INTR or consistent.
    many = args.many
    for i in range(many):
        err, text, _ = nl.sp(CMD_HOST_NEW, IF,
                             mac("52:54:01:00:%02x:%02x" % (i >> 8, i & 255)),
                             nest(A_HOST_ADDRS,
                                  ip4("10.%d.%d.1" % (i >> 8, i & 255))))
        if err:
            break
    tap.check(err == 0, "%d hosts registered (%s)" % (many, text))
    def dump_macs():
        err, _, replies = nl.sp(CMD_HOST_GET, flags=NLM_F_DUMP)
        assert err == 0, err
        macs = [bytes(v) for r in replies for t, v in Genl._attrs(r[4:])
                if t == A_HOST_LLADDR]
        return macs, nl.intr
    macs, intr = dump_macs()
    tap.check(len(macs) >= many and len(set(macs)) == len(macs) and not intr,
              "a quiet dump returns all %d hosts once each" % len(macs))
    churn = Genl()
    flagged = clean = 0
    for round_ in range(20):
        # Add and remove hosts while the dump is read, a message at a time.
        nl.seq += 1
        seq = nl.seq
        payload = struct.pack("=BBH", CMD_HOST_GET, 1, 0)
        nl.sock.send(struct.pack("=IHHII", 20, nl.family,
                                 NLM_F_REQUEST | NLM_F_DUMP, seq, 0) + payload)
        extra = mac("52:54:02:00:00:%02x" % round_)
        churn.sp(CMD_HOST_NEW, IF, extra,
                 nest(A_HOST_ADDRS, ip4("10.200.0.%d" % (round_ + 1))))
        churn.sp(CMD_HOST_DEL, IF, extra)
        err, _, replies = nl.collect(seq)
        got = [bytes(v) for r in replies for t, v in Genl._attrs(r[4:])
               if t == A_HOST_LLADDR]
        if nl.intr:
            flagged += 1
        elif len(set(got)) == len(got):
            clean += 1
    tap.check(flagged + clean == 20,
              "20 dumps racing with changes: %d flagged interrupted, %d "
              "consistent, none silently wrong" % (flagged, clean))

    # Clear whatever the mutations registered, then the module must still
    # take a registration and answer for it.
    err, _, replies = nl.sp(CMD_HOST_GET, flags=NLM_F_DUMP)
    for r in replies:
        keyattrs = [attr(t, v) for t, v in Genl._attrs(r[4:])
                    if t in (A_HOST_IFINDEX, A_HOST_LLADDR)]
        nl.sp(CMD_HOST_DEL, *keyattrs)
    tap.check(nl.hosts() == 0, "every host deleted again")
    err, text, _ = nl.sp(CMD_HOST_NEW, IF, MAC, ADDRS)
    tap.check(err == 0, "the module still takes a registration (%s)" % text)
    err, text, replies = nl.sp(CMD_HOST_GET, IF, MAC)
    tap.check(err == 0 and len(replies) == 1,
              "...and answers for it (%s)" % text)
    err, text, _ = nl.sp(CMD_STATS_GET)
    tap.check(err == 0, "stats-get still works")
    err, text, _ = nl.sp(CMD_HOST_DEL, IF, MAC)
    tap.check(err == 0 and nl.hosts() == 0, "and it is gone after del-host")
    return 1 if tap.failed else 0


if __name__ == "__main__":
    sys.exit(main())
