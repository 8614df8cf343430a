#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Craft, send and decode the frames the sleepproxy tests need.

Plain sockets and struct only: importing a packet library costs seconds
under an emulated CPU, and every field here must be exactly what the test
says, including the wrong ones.

  pkt.py arp IFACE --tpa IP [--op request|reply] [--spa IP] [--sha MAC]
             [--tha MAC] [--eth-src MAC] [--eth-dst MAC] [--wait SECS]
             [--vlan VID]
      Send one ARP frame (802.1Q-tagged with --vlan), then print every ARP reply about --tpa that
      arrives on IFACE within --wait seconds, one line each.

  pkt.py ns IFACE --target IP6 [--src IP6] [--dst IP6] [--eth-src MAC]
            [--eth-dst MAC] [--slla MAC|none] [--hlim N] [--code N]
            [--variant NAME]... [--wait SECS]
      Send one ICMPv6 Neighbor Solicitation per --variant (default: one
      well-formed NS), then print every Neighbor Advertisement about
      --target (or about the target a variant put in its NS instead) that
      arrives on IFACE within --wait seconds (default 1), one `na` line each.
      Defaults: --src the link-local address of IFACE (`--src ::` is a DAD
      probe: no SLLA option unless --slla MAC); --dst the solicited-node
      address of --target; --eth-dst the 33:33:.. MAC of a multicast --dst
      (required for a unicast one); --eth-src and --slla the MAC of IFACE
      (`--slla none`: no option); --hlim 255; --code 0.
      Variants: normal, hbh (Hop-by-Hop Options, PadN, before ICMPv6),
      dstopt (Destination Options, PadN), hbh-dstopt (both), bad-csum,
      hlim64, code1, short (ICMPv6 body cut to 20 bytes, inside the target;
      payload length and checksum match the cut), zero-opt (an SLLA-type
      option of length 0 right after the target, then the usual SLLA),
      trunc-opt (the SLLA option claims 16 bytes, 8 are there),
      mcast-target (target ff02::1), dad-slla (source :: with an SLLA
      option), unknown-opt (option type 200, len 1, before the SLLA: valid).

  pkt.py syn IFACE --eth-dst MAC --src IP --dst IP --dport PORT
             [--sport PORT] [--variant NAME]... [--gap SECS]
      Send one TCP SYN per --variant (default: one well-formed SYN), over
      IPv4 or IPv6 as --src/--dst are (IPv6: hop limit 64).
      Both: normal, synack, bad-tcpsum, truncated (IP total length or
      IPv6 payload length 20 bytes longer than the frame).
      IPv4 only: frag-mf, frag-offset, lsrr, ssrr, bad-ipsum, ihl4.
      IPv6 only: frag (Fragment header, offset 0, M=1; the TCP header
      carries an MSS option so the fragment is a multiple of 8 bytes),
      atomic-frag (offset 0, M=0), rh0 (Routing header type 0, segments
      left 1, one address: --dst), rh2-left0 (type 2, segments left 0,
      address --dst), hbh (Hop-by-Hop PadN), dstopt (Destination Options
      PadN), bad-version (version field 4).

  pkt.py flood IFACE --eth-dst MAC --src IP --dst IP --dport PORT
               [--seconds N] [--rate N]
      Send ARP requests for --dst and SYNs to it, --rate rounds a second
      at most (default 3000; 0: as fast as possible); for
      IPv6 addresses, Neighbor Solicitations for --dst (to its
      solicited-node address) and IPv6 SYNs.

  pkt.py na IFACE --target IP6 [--src IP6] [--dst IP6] [--eth-src MAC]
            [--eth-dst MAC] [--tlla MAC] [--flags RSO]
      Send one Neighbor Advertisement for --target (default: from the
      target, to ff02::1, Override only, the target at --eth-src).

  pkt.py pcap [--time] FILE
      Print one line per frame of a pcap file (tcpdump -w): Ethernet, or
      Linux cooked (SLL, SLL2) where eth_dst is printed as `?`.

Decoded lines look like
  arp op=2 eth_src=.. eth_dst=.. sha=.. spa=.. tha=.. tpa=..
  wol-eth eth_src=.. eth_dst=.. len=102 target=52:54:00:aa:bb:cc
  wol-udp eth_src=.. eth_dst=.. ip_src=.. ip_dst=.. sport=.. dport=9 \
      ipsum=ok udpsum=ok len=102 target=52:54:00:aa:bb:cc
  icmp eth_src=.. eth_dst=.. ip_src=.. ip_dst=.. type=N code=N
  udp ... / tcp ... flags=S / ipv4 ... / other eth_src=.. type=0x....
where target=bad means a payload that is not a valid magic packet; a
magic packet with bytes after its 16 MACs (a SecureOn password) ends in
password=de:ad:be:ef (those bytes, in hex); and
for IPv6 (extension headers are walked to the upper layer; a fragment
with offset 0 counts as the upper layer)
  ns eth_src=.. eth_dst=.. ip_src=.. ip_dst=.. hlim=N target=IP6 slla=MAC|none
  na eth_src=.. eth_dst=.. ip_src=.. ip_dst=.. hlim=N flags=RSO|..|- \
      target=IP6 tlla=MAC|none csum=ok|bad
  icmp6 eth_src=.. eth_dst=.. ip_src=.. ip_dst=.. type=N code=N
  tcp6 eth_src=.. eth_dst=.. ip_src=.. ip_dst=.. sport=N dport=N flags=SA
  udp6 eth_src=.. eth_dst=.. ip_src=.. ip_dst=.. sport=N dport=N \
      udpsum=ok|bad|none ulen=N len=N target=MAC|bad
  ipv6 eth_src=.. eth_dst=.. ip_src=.. ip_dst=.. nh=N
An ns/na too short for its target is an icmp6 line.  An ipv6 line ends
with one more word when the frame could not be walked: version=V (not 6),
plen=P len=L (payload length P, only L bytes there), frag=0x.... (a
fragment with a nonzero offset: offset<<3|M), or len=L (header nh=N cut
short: L bytes from it to the end of the payload).
"""

import argparse
import select
import socket
import struct
import sys
import time

ETH_P_ALL = 0x0003
ETH_P_IP = 0x0800
ETH_P_ARP = 0x0806
ETH_P_WOL = 0x0842
ETH_P_8021Q = 0x8100
ETH_P_IPV6 = 0x86DD
PACKET_OUTGOING = 4
BROADCAST = "ff:ff:ff:ff:ff:ff"
ZERO_MAC = "00:00:00:00:00:00"

# IPv6 next-header values
NH_HOPOPTS = 0
NH_TCP = 6
NH_UDP = 17
NH_ROUTING = 43
NH_FRAGMENT = 44
NH_ICMPV6 = 58
NH_DSTOPTS = 60
ND_NS = 135
ND_NA = 136
ND_OPT_SLLA = 1
ND_OPT_TLLA = 2

SYN_VARIANTS = {
    "normal": "a well-formed SYN",
    "synack": "SYN and ACK set (not a connection attempt)",
    "frag-mf": "first fragment: MF set, offset 0",
    "frag-offset": "later fragment: offset 8 bytes, MF clear",
    "lsrr": "IP option loose source route",
    "ssrr": "IP option strict source route",
    "bad-ipsum": "wrong IP header checksum",
    "bad-tcpsum": "wrong TCP checksum",
    "ihl4": "IP header length field 4 (16 bytes)",
    "truncated": "IP total length 20 bytes longer than the frame",
}
SYN6_VARIANTS = {
    "normal": SYN_VARIANTS["normal"],
    "synack": SYN_VARIANTS["synack"],
    "bad-tcpsum": SYN_VARIANTS["bad-tcpsum"],
    "truncated": "IPv6 payload length 20 bytes longer than the frame",
    "frag": "Fragment header, offset 0, M=1 (TCP header 24 bytes with MSS)",
    "atomic-frag": "Fragment header, offset 0, M=0",
    "rh0": "Routing header type 0, segments left 1, one address",
    "rh2-left0": "Routing header type 2, segments left 0",
    "hbh": "Hop-by-Hop Options header (PadN) before TCP",
    "dstopt": "Destination Options header (PadN) before TCP",
    "bad-version": "version field 4 in the IPv6 header",
}
NS_VARIANTS = {
    "normal": "a well-formed Neighbor Solicitation",
    "hbh": "Hop-by-Hop Options header (PadN) before ICMPv6",
    "dstopt": "Destination Options header (PadN) before ICMPv6",
    "hbh-dstopt": "Hop-by-Hop then Destination Options before ICMPv6",
    "bad-csum": "wrong ICMPv6 checksum",
    "hlim64": "hop limit 64",
    "code1": "ICMPv6 code 1",
    "short": "ICMPv6 body 20 bytes, cut inside the target",
    "zero-opt": "an option of length 0 right after the target",
    "trunc-opt": "the SLLA option says 16 bytes, 8 are there",
    "mcast-target": "target ff02::1",
    "dad-slla": "source :: with an SLLA option",
    "unknown-opt": "option type 200, len 1, before the SLLA (valid)",
}


def mac_bytes(text):
    parts = text.split(":")
    if len(parts) != 6:
        raise argparse.ArgumentTypeError("bad MAC address: " + text)
    return bytes(int(p, 16) for p in parts)


def byte_arg(text):
    n = int(text, 0)
    if not 0 <= n <= 255:
        raise argparse.ArgumentTypeError("not 0..255: " + text)
    return n


def slla_arg(text):
    return "none" if text == "none" else mac_bytes(text)


def mac_str(raw):
    return ":".join("%02x" % b for b in raw)


def ip_bytes(text):
    return socket.inet_aton(text)


def ip_str(raw):
    return socket.inet_ntoa(raw)


def ip6_bytes(text):
    try:
        return socket.inet_pton(socket.AF_INET6, text)
    except OSError:
        raise SystemExit("bad IPv6 address: " + text)


def ip6_str(raw):
    return socket.inet_ntop(socket.AF_INET6, raw)


def any_ip_bytes(text):
    """4 bytes for an IPv4 address, 16 for an IPv6 one (it has a colon)."""
    if ":" in text:
        return ip6_bytes(text)
    try:
        return ip_bytes(text)
    except OSError:
        raise SystemExit("bad IPv4 address: " + text)


def solicited_node(addr):
    return ip6_bytes("ff02::1:ff00:0")[:13] + addr[13:]


def mcast_mac(addr):
    return b"\x33\x33" + addr[12:]


def is_mcast6(addr):
    return addr[0] == 0xFF


def csum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def iface_mac(iface):
    with open("/sys/class/net/%s/address" % iface) as f:
        return mac_bytes(f.read().strip())


def iface_linklocal(iface):
    """The link-local address of IFACE, preferring one past DAD."""
    found = []
    with open("/proc/net/if_inet6") as f:
        for line in f:
            w = line.split()
            if len(w) < 6 or w[5] != iface or int(w[3], 16) != 0x20:
                continue
            flags = int(w[4], 16)
            if flags & 0x08:        # IFA_F_DADFAILED
                continue
            found.append((bool(flags & 0x40), bytes.fromhex(w[0])))  # TENTATIVE
    if not found:
        raise SystemExit("%s has no IPv6 link-local address: give --src" % iface)
    return min(found)[1]


def open_socket(iface, proto=ETH_P_ALL):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(proto))
    s.bind((iface, proto))
    return s


# ---------------------------------------------------------------- building

def ether(dst, src, ethertype, payload):
    return dst + src + struct.pack("!H", ethertype) + payload


def arp_payload(op, sha, spa, tha, tpa):
    return struct.pack("!HHBBH", 1, ETH_P_IP, 6, 4, op) + sha + spa + tha + tpa


def pseudo_header(src, dst, proto, length):
    if len(src) == 16:
        return src + dst + struct.pack("!I3xB", length, proto)
    return src + dst + struct.pack("!BBH", 0, proto, length)


def tcp_segment(src, dst, sport, dport, flags, seq=0x12345678, options=b""):
    assert len(options) % 4 == 0
    hdr = struct.pack("!HHIIBBHHH", sport, dport, seq, 0,
                      (5 + len(options) // 4) << 4, flags, 64240, 0, 0) + options
    c = csum(pseudo_header(src, dst, socket.IPPROTO_TCP, len(hdr)) + hdr)
    return hdr[:16] + struct.pack("!H", c) + hdr[18:]


def ipv6_packet(src, dst, nh, payload, hlim=64, plen=None, version=6):
    if plen is None:
        plen = len(payload)
    return struct.pack("!IHBB16s16s", version << 28, plen, nh, hlim,
                       src, dst) + payload


def ext_padn(nh):
    """An 8-byte Hop-by-Hop or Destination Options header: one PadN."""
    return struct.pack("!BBBB4x", nh, 0, 1, 4)


def ext_chain(kinds, upper):
    """Extension headers of KINDS (NH_HOPOPTS, NH_DSTOPTS) in that order,
    the last pointing to UPPER: (first next-header value, bytes)."""
    if not kinds:
        return upper, b""
    return kinds[0], b"".join(ext_padn(nh) for nh in list(kinds[1:]) + [upper])


def icmp6_checksummed(src, dst, msg, bad=False):
    c = csum(pseudo_header(src, dst, NH_ICMPV6, len(msg)) + msg)
    if bad:
        c ^= 0x5555
    return msg[:2] + struct.pack("!H", c) + msg[4:]


def nd_opt(kind, data, length=None):
    """One ND option; LENGTH (in 8-byte units) as said, whatever is there."""
    if length is None:
        length = (2 + len(data) + 7) // 8
    raw = struct.pack("!BB", kind, length) + data
    return raw + b"\0" * (-len(raw) % 8)


def ns_frame(variant, eth_dst, eth_src, src, dst, target, slla, hlim, code):
    """One Neighbor Solicitation; SLLA None: no option."""
    if variant == "hlim64":
        hlim = 64
    elif variant == "code1":
        code = 1
    elif variant == "mcast-target":
        target = ip6_bytes("ff02::1")
    elif variant == "dad-slla":
        src = bytes(16)
        slla = slla or eth_src
    opts = b""
    if variant == "zero-opt":
        opts += nd_opt(ND_OPT_SLLA, slla or eth_src, length=0)
    elif variant == "unknown-opt":
        opts += nd_opt(200, bytes(6))
    if variant == "trunc-opt":
        opts += nd_opt(ND_OPT_SLLA, slla or eth_src, length=2)
    elif slla is not None:
        opts += nd_opt(ND_OPT_SLLA, slla)
    msg = struct.pack("!BBH4x16s", ND_NS, code, 0, target) + opts
    if variant == "short":
        msg = msg[:20]
    msg = icmp6_checksummed(src, dst, msg, bad=variant == "bad-csum")
    kinds = {"hbh": [NH_HOPOPTS], "dstopt": [NH_DSTOPTS],
             "hbh-dstopt": [NH_HOPOPTS, NH_DSTOPTS]}.get(variant, [])
    nh, ext = ext_chain(kinds, NH_ICMPV6)
    pkt = ipv6_packet(src, dst, nh, ext + msg, hlim=hlim)
    return ether(eth_dst, eth_src, ETH_P_IPV6, pkt)


def ipv4_packet(src, dst, proto, payload, options=b"", flags_frag=0,
                ihl=None, tot_len=None, ident=0x4242, bad_sum=False):
    hlen = 20 + len(options)
    assert hlen % 4 == 0
    if ihl is None:
        ihl = hlen // 4
    if tot_len is None:
        tot_len = hlen + len(payload)
    hdr = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, tot_len, ident,
                      flags_frag, 64, proto, 0, src, dst) + options
    c = csum(hdr)
    if bad_sum:
        c ^= 0x5555
    return hdr[:10] + struct.pack("!H", c) + hdr[12:] + payload


def syn_frame(variant, eth_dst, eth_src, src, dst, sport, dport):
    if len(src) == 16:
        return syn6_frame(variant, eth_dst, eth_src, src, dst, sport, dport)
    flags = 0x02
    if variant == "synack":
        flags = 0x12
    seg = tcp_segment(src, dst, sport, dport, flags)
    kw = {}
    if variant == "frag-mf":
        kw["flags_frag"] = 0x2000
    elif variant == "frag-offset":
        kw["flags_frag"] = 0x0001
    elif variant in ("lsrr", "ssrr"):
        # type, length, pointer, one route address, then a NOP to pad.
        # The route ends at the destination itself, so the TCP checksum
        # is right whichever address a checker takes as the final one.
        kind = 0x83 if variant == "lsrr" else 0x89
        kw["options"] = struct.pack("!BBB", kind, 7, 4) + dst + b"\x01"
    elif variant == "bad-ipsum":
        kw["bad_sum"] = True
    elif variant == "bad-tcpsum":
        seg = bad_tcpsum(seg)
    elif variant == "ihl4":
        kw["ihl"] = 4
    elif variant == "truncated":
        kw["tot_len"] = 20 + len(seg) + 20
    elif variant not in ("normal", "synack"):
        raise SystemExit("unknown SYN variant " + variant)
    pkt = ipv4_packet(src, dst, socket.IPPROTO_TCP, seg, **kw)
    return ether(eth_dst, eth_src, ETH_P_IP, pkt)


def bad_tcpsum(seg):
    return seg[:16] + struct.pack("!H", struct.unpack("!H", seg[16:18])[0] ^ 0x5555) + seg[18:]


def syn6_frame(variant, eth_dst, eth_src, src, dst, sport, dport):
    flags = 0x12 if variant == "synack" else 0x02
    # A fragment other than the last must hold a multiple of 8 bytes
    # (RFC 8200 4.5): an MSS option makes the TCP header 24.
    tcpopt = struct.pack("!BBH", 2, 4, 1440) if variant == "frag" else b""
    # Routing headers name --dst itself, so the pseudo-header is the same
    # whichever address a checker takes as the final destination.
    seg = tcp_segment(src, dst, sport, dport, flags, options=tcpopt)
    if variant == "bad-tcpsum":
        seg = bad_tcpsum(seg)
    nh, ext = NH_TCP, b""
    kw = {}
    if variant in ("frag", "atomic-frag"):
        m = 1 if variant == "frag" else 0
        nh, ext = NH_FRAGMENT, struct.pack("!BBHI", NH_TCP, 0, 0 << 3 | m, 0x42424242)
    elif variant == "rh0":
        nh, ext = NH_ROUTING, struct.pack("!BBBB4x", NH_TCP, 2, 0, 1) + dst
    elif variant == "rh2-left0":
        nh, ext = NH_ROUTING, struct.pack("!BBBB4x", NH_TCP, 2, 2, 0) + dst
    elif variant == "hbh":
        nh, ext = ext_chain([NH_HOPOPTS], NH_TCP)
    elif variant == "dstopt":
        nh, ext = ext_chain([NH_DSTOPTS], NH_TCP)
    elif variant == "bad-version":
        kw["version"] = 4
    elif variant == "truncated":
        kw["plen"] = len(seg) + 20
    elif variant not in ("normal", "synack", "bad-tcpsum"):
        raise SystemExit("unknown IPv6 SYN variant " + variant)
    pkt = ipv6_packet(src, dst, nh, ext + seg, hlim=64, **kw)
    return ether(eth_dst, eth_src, ETH_P_IPV6, pkt)


# ---------------------------------------------------------------- decoding

def magic_target(payload):
    """The MAC a magic packet wakes, "bad" if it is not one, and the
    password after it if there is one."""
    if len(payload) < 102 or payload[:6] != b"\xff" * 6:
        return "bad"
    mac = payload[6:12]
    if payload[6:102] != mac * 16:
        return "bad"
    if len(payload) > 102:
        return "%s password=%s" % (mac_str(mac), mac_str(payload[102:]))
    return mac_str(mac)


def decode(frame):
    if len(frame) < 14:
        return "runt len=%d" % len(frame)
    return decode_l2(mac_str(frame[6:12]), mac_str(frame[:6]),
                     struct.unpack("!H", frame[12:14])[0], frame[14:])


def decode_cooked(frame, linktype):
    """A Linux cooked frame (SLL 113, SLL2 276): no destination MAC."""
    if linktype == 113:
        if len(frame) < 16:
            return "runt len=%d" % len(frame)
        halen, addr, etype = struct.unpack("!4xH8sH", frame[:16])
        body = frame[16:]
    else:
        if len(frame) < 20:
            return "runt len=%d" % len(frame)
        etype, halen, addr = struct.unpack("!H9xB8s", frame[:20])
        body = frame[20:]
    src = mac_str(addr[:6]) if halen == 6 else "?"
    return decode_l2(src, "?", etype, body)


def decode_l2(src, dst, etype, body):
    if etype == ETH_P_8021Q and len(body) >= 4:
        tci, inner = struct.unpack("!HH", body[:4])
        return "vlan=%d %s" % (tci & 0xFFF, decode_l2(src, dst, inner, body[4:]))
    head = "eth_src=%s eth_dst=%s" % (src, dst)
    if etype == ETH_P_ARP:
        if len(body) < 28:
            return "arp-short " + head
        htype, ptype, hlen, plen, op = struct.unpack("!HHBBH", body[:8])
        if (htype, ptype, hlen, plen) != (1, ETH_P_IP, 6, 4):
            return "arp-other %s htype=%d ptype=0x%04x" % (head, htype, ptype)
        return "arp op=%d %s sha=%s spa=%s tha=%s tpa=%s" % (
            op, head, mac_str(body[8:14]), ip_str(body[14:18]),
            mac_str(body[18:24]), ip_str(body[24:28]))
    if etype == ETH_P_WOL:
        return "wol-eth %s len=%d target=%s" % (head, len(body), magic_target(body))
    if etype == ETH_P_IPV6:
        return decode6(head, body)
    if etype != ETH_P_IP:
        return "other %s type=0x%04x len=%d" % (head, etype, len(body))
    if len(body) < 20:
        return "ipv4-short " + head
    ihl = (body[0] & 0x0F) * 4
    tot_len = struct.unpack("!H", body[2:4])[0]
    proto = body[9]
    ipsum = "ok" if ihl >= 20 and csum(body[:ihl]) == 0 else "bad"
    src_ip, dst_ip = ip_str(body[12:16]), ip_str(body[16:20])
    line = "%s ip_src=%s ip_dst=%s" % (head, src_ip, dst_ip)
    l4 = body[ihl:tot_len]
    frag = struct.unpack("!H", body[6:8])[0] & 0x3FFF
    if frag or ihl < 20 or tot_len > len(body):
        return "ipv4 %s proto=%d ipsum=%s frag=0x%04x" % (line, proto, ipsum, frag)
    pseudo = body[12:20] + struct.pack("!BBH", 0, proto, len(l4))
    if proto == socket.IPPROTO_UDP and len(l4) >= 8:
        sport, dport, ulen, usum = struct.unpack("!HHHH", l4[:8])
        if usum == 0:
            udpsum = "none"
        else:
            udpsum = "ok" if csum(pseudo + l4) == 0 else "bad"
        payload = l4[8:ulen]
        kind = "wol-udp" if dport in (7, 9) else "udp"
        return "%s %s sport=%d dport=%d ipsum=%s udpsum=%s ulen=%d len=%d target=%s" % (
            kind, line, sport, dport, ipsum, udpsum, ulen, len(payload),
            magic_target(payload))
    if proto == socket.IPPROTO_TCP and len(l4) >= 20:
        sport, dport, _, _, off, fl = struct.unpack("!HHIIBB", l4[:14])
        names = tcp_flags(fl)
        tcpsum = "ok" if csum(pseudo + l4) == 0 else "bad"
        return "tcp %s sport=%d dport=%d flags=%s ipsum=%s tcpsum=%s" % (
            line, sport, dport, names, ipsum, tcpsum)
    if proto == socket.IPPROTO_ICMP and len(l4) >= 4:
        return "icmp %s type=%d code=%d" % (line, l4[0], l4[1])
    return "ipv4 %s proto=%d ipsum=%s" % (line, proto, ipsum)


def tcp_flags(fl):
    return "".join(c for c, bit in zip("FSRPAU", range(6)) if fl & (1 << bit))


def parse6(body):
    """Walk an IPv6 packet's extension headers.  None if shorter than the
    fixed header, else a dict: src, dst, hlim, nh (the upper-layer protocol,
    or the header the walk stopped at), l4 (the upper-layer bytes, None if
    the walk stopped short), why (the ipv6 line's extra word then), and
    final (the pseudo-header destination)."""
    if len(body) < 40:
        return None
    ver, plen, nh, hlim = body[0] >> 4, struct.unpack("!H", body[4:6])[0], body[6], body[7]
    p = {"src": body[8:24], "dst": body[24:40], "final": body[24:40],
         "hlim": hlim, "nh": nh, "l4": None, "why": ""}
    if ver != 6:
        p["why"] = "version=%d" % ver
        return p
    if 40 + plen > len(body):
        p["why"] = "plen=%d len=%d" % (plen, len(body) - 40)
        return p
    payload = body[40:40 + plen]       # without any Ethernet padding
    off = 0
    while nh in (NH_HOPOPTS, NH_ROUTING, NH_FRAGMENT, NH_DSTOPTS):
        p["nh"] = nh
        hl = 8 if nh == NH_FRAGMENT else None
        if off + 8 > len(payload):
            p["why"] = "len=%d" % (len(payload) - off)
            return p
        if hl is None:
            hl = (payload[off + 1] + 1) * 8
        if off + hl > len(payload):
            p["why"] = "len=%d" % (len(payload) - off)
            return p
        if nh == NH_FRAGMENT:
            fo = struct.unpack("!H", payload[off + 2:off + 4])[0]
            if fo & 0xFFF8:
                p["nh"] = payload[off]
                p["why"] = "frag=0x%04x" % fo
                return p
        elif nh == NH_ROUTING:
            rtype, left = payload[off + 2], payload[off + 3]
            if left and rtype in (0, 2) and hl >= 24:
                # In transit: the last address is the final destination.
                p["final"] = payload[off + hl - 16:off + hl]
        nh = payload[off]
        off += hl
    p["nh"] = nh
    p["l4"] = payload[off:]
    return p


def nd_option(opts, kind):
    """The MAC of the first option KIND before any malformed one, or None."""
    off = 0
    while off + 2 <= len(opts):
        t, n = opts[off], opts[off + 1]
        if n == 0 or off + 8 * n > len(opts):
            return None
        if t == kind:
            return opts[off + 2:off + 8]
        off += 8 * n
    return None


def decode6(head, body):
    p = parse6(body)
    if p is None:
        return "ipv6-short " + head
    line = "%s ip_src=%s ip_dst=%s" % (head, ip6_str(p["src"]), ip6_str(p["dst"]))
    nh, l4 = p["nh"], p["l4"]
    if l4 is None:
        return "ipv6 %s nh=%d %s" % (line, nh, p["why"])
    pseudo = pseudo_header(p["src"], p["final"], nh, len(l4))
    if nh == NH_ICMPV6 and len(l4) >= 4:
        kind, code = l4[0], l4[1]
        if kind == ND_NS and len(l4) >= 24:
            slla = nd_option(l4[24:], ND_OPT_SLLA)
            return "ns %s hlim=%d target=%s slla=%s" % (
                line, p["hlim"], ip6_str(l4[8:24]), mac_str(slla) if slla else "none")
        if kind == ND_NA and len(l4) >= 24:
            flags = "".join(c for c, bit in zip("RSO", (0x80, 0x40, 0x20))
                            if l4[4] & bit) or "-"
            tlla = nd_option(l4[24:], ND_OPT_TLLA)
            return "na %s hlim=%d flags=%s target=%s tlla=%s csum=%s" % (
                line, p["hlim"], flags, ip6_str(l4[8:24]),
                mac_str(tlla) if tlla else "none",
                "ok" if csum(pseudo + l4) == 0 else "bad")
        return "icmp6 %s type=%d code=%d" % (line, kind, code)
    if nh == NH_TCP and len(l4) >= 20:
        sport, dport = struct.unpack("!HH", l4[:4])
        return "tcp6 %s sport=%d dport=%d flags=%s" % (line, sport, dport, tcp_flags(l4[13]))
    if nh == NH_UDP and len(l4) >= 8:
        sport, dport, ulen, usum = struct.unpack("!HHHH", l4[:8])
        if usum == 0:
            udpsum = "none"
        else:
            udpsum = "ok" if csum(pseudo + l4) == 0 else "bad"
        payload = l4[8:ulen]
        return "udp6 %s sport=%d dport=%d udpsum=%s ulen=%d len=%d target=%s" % (
            line, sport, dport, udpsum, ulen, len(payload), magic_target(payload))
    if nh in (NH_ICMPV6, NH_TCP, NH_UDP):
        return "ipv6 %s nh=%d len=%d" % (line, nh, len(l4))
    return "ipv6 %s nh=%d" % (line, nh)


def read_pcap(path):
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24:
        return
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        endian = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        endian = ">"
    else:
        raise SystemExit("%s: not a pcap file" % path)
    linktype = struct.unpack(endian + "I", data[20:24])[0]
    if linktype not in (1, 113, 276):
        raise SystemExit("%s: link type %d, want Ethernet or Linux cooked"
                         % (path, linktype))
    nano = magic in (b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d")
    off = 24
    while off + 16 <= len(data):
        sec, frac, caplen, _ = struct.unpack(endian + "IIII", data[off:off + 16])
        off += 16
        yield sec + frac / (1e9 if nano else 1e6), linktype, data[off:off + caplen]
        off += caplen


# ---------------------------------------------------------------- commands

def cmd_arp(a):
    s = open_socket(a.iface, ETH_P_ARP)
    mine = iface_mac(a.iface)
    eth_src = a.eth_src or mine
    sha = a.sha or eth_src
    op = {"request": 1, "reply": 2}.get(a.op) or int(a.op)
    spa = ip_bytes(a.spa)
    tpa = ip_bytes(a.tpa)
    payload = arp_payload(op, sha, spa, a.tha, tpa)
    if a.vlan is None:
        frame = ether(a.eth_dst, eth_src, ETH_P_ARP, payload)
    else:
        # 802.1Q: priority 5, then the VLAN id (0: a priority tag only)
        tag = struct.pack("!HH", 5 << 13 | a.vlan, ETH_P_ARP)
        frame = ether(a.eth_dst, eth_src, ETH_P_8021Q, tag + payload)
    s.send(frame)
    deadline = time.monotonic() + a.wait
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        r, _, _ = select.select([s], [], [], left)
        if not r:
            break
        data, addr = s.recvfrom(65535)
        if addr[2] == PACKET_OUTGOING or len(data) < 42:
            continue
        # Replies about the address asked for, whoever sends them.
        if struct.unpack("!H", data[20:22])[0] == 2 and data[28:32] == tpa:
            print(decode(data), flush=True)


def ns_wait(s, targets, wait):
    """Print every NA about one of TARGETS received on S within WAIT s."""
    deadline = time.monotonic() + wait
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        r, _, _ = select.select([s], [], [], left)
        if not r:
            break
        data, addr = s.recvfrom(65535)
        if addr[2] == PACKET_OUTGOING or len(data) < 14 or \
                struct.unpack("!H", data[12:14])[0] != ETH_P_IPV6:
            continue
        p = parse6(data[14:])
        if p is None or p["l4"] is None or p["nh"] != NH_ICMPV6:
            continue
        l4 = p["l4"]
        if len(l4) >= 24 and l4[0] == ND_NA and l4[8:24] in targets:
            print(decode(data), flush=True)


def cmd_ns(a):
    variants = a.variant or ["normal"]
    target = ip6_bytes(a.target)
    mine = iface_mac(a.iface)
    eth_src = a.eth_src or mine
    if a.src is not None:
        src = ip6_bytes(a.src)
    elif any(v != "dad-slla" for v in variants):
        src = iface_linklocal(a.iface)
    else:
        src = bytes(16)             # dad-slla alone: the source is :: anyway
    dst = ip6_bytes(a.dst) if a.dst else solicited_node(target)
    if a.eth_dst:
        eth_dst = a.eth_dst
    elif is_mcast6(dst):
        eth_dst = mcast_mac(dst)
    else:
        raise SystemExit("ns: --eth-dst is needed for the unicast --dst " + ip6_str(dst))
    if a.slla is None:
        slla = None if src == bytes(16) else eth_src
    elif a.slla == "none":
        slla = None
    else:
        slla = a.slla
    frames = [ns_frame(v, eth_dst, eth_src, src, dst, target, slla, a.hlim, a.code)
              for v in variants]
    # Replies about the target asked for, or about the one a variant put
    # in its NS instead (mcast-target), whoever sends them.
    targets = {target}
    if "mcast-target" in variants:
        targets.add(ip6_bytes("ff02::1"))
    s = open_socket(a.iface, ETH_P_IPV6)
    for f in frames:
        s.send(f)
    ns_wait(s, targets, a.wait)


def cmd_na(a):
    """Send one Neighbor Advertisement, as a machine claiming --target."""
    target = ip6_bytes(a.target)
    eth_src = a.eth_src or iface_mac(a.iface)
    src = ip6_bytes(a.src) if a.src else target
    dst = ip6_bytes(a.dst)
    eth_dst = a.eth_dst or (mcast_mac(dst) if is_mcast6(dst) else None)
    if eth_dst is None:
        raise SystemExit("na: --eth-dst is needed for the unicast --dst " + a.dst)
    flags = 0
    for letter, bit in (("R", 0x80), ("S", 0x40), ("O", 0x20)):
        if letter in a.flags:
            flags |= bit
    tlla = a.tlla or eth_src
    msg = struct.pack("!BBHB3x16s", ND_NA, 0, 0, flags, target)
    msg += nd_opt(2, tlla)
    msg = icmp6_checksummed(src, dst, msg)
    s = open_socket(a.iface, ETH_P_IPV6)
    s.send(ether(eth_dst, eth_src, ETH_P_IPV6,
                 ipv6_packet(src, dst, NH_ICMPV6, msg, hlim=255)))


def check_variants(variants, v6):
    """Refuse variants of the other IP version before sending anything."""
    table, other = (SYN6_VARIANTS, "IPv4") if v6 else (SYN_VARIANTS, "IPv6")
    for v in variants:
        if v not in table:
            raise SystemExit("syn: variant %s is %s only (--src/--dst are %s)"
                             % (v, other, "IPv6" if v6 else "IPv4"))


def syn_addrs(a):
    src, dst = any_ip_bytes(a.src), any_ip_bytes(a.dst)
    if len(src) != len(dst):
        raise SystemExit("%s: --src %s and --dst %s are not the same IP version"
                         % (a.cmd, a.src, a.dst))
    return src, dst


def cmd_syn(a):
    src, dst = syn_addrs(a)
    variants = a.variant or ["normal"]
    check_variants(variants, len(src) == 16)
    s = open_socket(a.iface)
    eth_src = a.eth_src or iface_mac(a.iface)
    for i, v in enumerate(variants):
        if i:
            time.sleep(a.gap)
        s.send(syn_frame(v, a.eth_dst, eth_src, src, dst, a.sport + i, a.dport))


def cmd_flood(a):
    src, dst = syn_addrs(a)
    s = open_socket(a.iface)
    mine = iface_mac(a.iface)
    if len(src) == 16:
        sn = solicited_node(dst)
        probe = ns_frame("normal", mcast_mac(sn), mine, src, sn, dst, mine, 255, 0)
    else:
        probe = ether(mac_bytes(BROADCAST), mine, ETH_P_ARP,
                      arp_payload(1, mine, src, mac_bytes(ZERO_MAC), dst))
    start = time.monotonic()
    end = start + a.seconds
    n = 0
    while time.monotonic() < end:
        # At most --rate rounds a second: an emulated CPU that receives
        # slower than its sibling sends would otherwise never leave
        # softirq, which is the emulator's limit, not the module's.
        if a.rate and n >= a.rate * (time.monotonic() - start):
            time.sleep(0.001)
            continue
        try:
            s.send(probe)
            s.send(syn_frame("normal", a.eth_dst, mine, src, dst,
                             1024 + n % 60000, a.dport))
        except OSError:
            # The link may flap while the module comes and goes.
            time.sleep(0.01)
        n += 1
    print("flood: %d rounds" % n, file=sys.stderr)


def cmd_pcap(a):
    start = None
    for ts, linktype, frame in read_pcap(a.file):
        if start is None:
            start = ts
        line = decode(frame) if linktype == 1 else decode_cooked(frame, linktype)
        if a.time:
            print("t=%.3f %s" % (ts - start, line))
        else:
            print(line)


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)

    q = sub.add_parser("arp")
    q.add_argument("iface")
    q.add_argument("--op", default="request")
    q.add_argument("--eth-src", type=mac_bytes)
    q.add_argument("--eth-dst", type=mac_bytes, default=mac_bytes(BROADCAST))
    q.add_argument("--sha", type=mac_bytes)
    q.add_argument("--spa", default="0.0.0.0")
    q.add_argument("--tha", type=mac_bytes, default=mac_bytes(ZERO_MAC))
    q.add_argument("--tpa", required=True)
    q.add_argument("--wait", type=float, default=1.0)
    q.add_argument("--vlan", type=int, help="802.1Q tag with this VLAN id")
    q.set_defaults(func=cmd_arp)

    q = sub.add_parser("ns")
    q.add_argument("iface")
    q.add_argument("--target", required=True)
    q.add_argument("--src", help="default: the link-local address of IFACE; :: for DAD")
    q.add_argument("--dst", help="default: the solicited-node address of --target")
    q.add_argument("--eth-src", type=mac_bytes)
    q.add_argument("--eth-dst", type=mac_bytes)
    q.add_argument("--slla", type=slla_arg, help="MAC, or none for no option")
    q.add_argument("--hlim", type=byte_arg, default=255)
    q.add_argument("--code", type=byte_arg, default=0)
    q.add_argument("--variant", action="append", choices=sorted(NS_VARIANTS))
    q.add_argument("--wait", type=float, default=1.0)
    q.set_defaults(func=cmd_ns)

    q = sub.add_parser("na")
    q.add_argument("iface")
    q.add_argument("--target", required=True)
    q.add_argument("--src", help="default: the target itself")
    q.add_argument("--dst", default="ff02::1")
    q.add_argument("--eth-src", type=mac_bytes)
    q.add_argument("--eth-dst", type=mac_bytes)
    q.add_argument("--tlla", type=mac_bytes, help="default: --eth-src")
    q.add_argument("--flags", default="O", help="letters of R, S, O")
    q.set_defaults(func=cmd_na)

    for name, func in (("syn", cmd_syn), ("flood", cmd_flood)):
        q = sub.add_parser(name)
        q.add_argument("iface")
        q.add_argument("--eth-dst", type=mac_bytes, required=True)
        q.add_argument("--eth-src", type=mac_bytes)
        q.add_argument("--src", required=True)
        q.add_argument("--dst", required=True)
        q.add_argument("--sport", type=int, default=40000)
        q.add_argument("--dport", type=int, required=True)
        if name == "syn":
            q.add_argument("--variant", action="append",
                           choices=sorted(set(SYN_VARIANTS) | set(SYN6_VARIANTS)))
            q.add_argument("--gap", type=float, default=0.05)
        else:
            q.add_argument("--seconds", type=float, default=60)
            q.add_argument("--rate", type=float, default=3000,
                           help="rounds (ARP/NS + SYN) a second at most; 0: no limit")
        q.set_defaults(func=func)

    q = sub.add_parser("pcap")
    q.add_argument("file")
    q.add_argument("--time", action="store_true",
                   help="start each line with t=SECONDS since the first frame")
    q.set_defaults(func=cmd_pcap)

    a = p.parse_args()
    a.func(a)


if __name__ == "__main__":
    main()
