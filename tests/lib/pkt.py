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

  pkt.py syn IFACE --eth-dst MAC --src IP --dst IP --dport PORT
             [--sport PORT] [--variant NAME]... [--gap SECS]
      Send one TCP SYN per --variant (default: one well-formed SYN).

  pkt.py flood IFACE --eth-dst MAC --src IP --dst IP --dport PORT
               [--seconds N]
      Send ARP requests for --dst and SYNs to it as fast as possible.

  pkt.py pcap [--time] FILE
      Print one line per frame of a pcap file (tcpdump -w).

Decoded lines look like
  arp op=2 eth_src=.. eth_dst=.. sha=.. spa=.. tha=.. tpa=..
  wol-eth eth_src=.. eth_dst=.. len=102 target=52:54:00:aa:bb:cc
  wol-udp eth_src=.. eth_dst=.. ip_src=.. ip_dst=.. sport=.. dport=9 \
      ipsum=ok udpsum=ok len=102 target=52:54:00:aa:bb:cc
  udp ... / tcp ... flags=S / ipv4 ... / other eth_src=.. type=0x....
where target=bad means a payload that is not a valid magic packet.
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
PACKET_OUTGOING = 4
BROADCAST = "ff:ff:ff:ff:ff:ff"
ZERO_MAC = "00:00:00:00:00:00"

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


def mac_bytes(text):
    parts = text.split(":")
    if len(parts) != 6:
        raise argparse.ArgumentTypeError("bad MAC address: " + text)
    return bytes(int(p, 16) for p in parts)


def mac_str(raw):
    return ":".join("%02x" % b for b in raw)


def ip_bytes(text):
    return socket.inet_aton(text)


def ip_str(raw):
    return socket.inet_ntoa(raw)


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


def open_socket(iface, proto=ETH_P_ALL):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(proto))
    s.bind((iface, proto))
    return s


# ---------------------------------------------------------------- building

def ether(dst, src, ethertype, payload):
    return dst + src + struct.pack("!H", ethertype) + payload


def arp_payload(op, sha, spa, tha, tpa):
    return struct.pack("!HHBBH", 1, ETH_P_IP, 6, 4, op) + sha + spa + tha + tpa


def tcp_segment(src, dst, sport, dport, flags, seq=0x12345678):
    hdr = struct.pack("!HHIIBBHHH", sport, dport, seq, 0, 5 << 4, flags,
                      64240, 0, 0)
    pseudo = src + dst + struct.pack("!BBH", 0, socket.IPPROTO_TCP, len(hdr))
    c = csum(pseudo + hdr)
    return hdr[:16] + struct.pack("!H", c) + hdr[18:]


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
        seg = seg[:16] + struct.pack("!H", struct.unpack("!H", seg[16:18])[0] ^ 0x5555) + seg[18:]
    elif variant == "ihl4":
        kw["ihl"] = 4
    elif variant == "truncated":
        kw["tot_len"] = 20 + len(seg) + 20
    elif variant not in ("normal", "synack"):
        raise SystemExit("unknown SYN variant " + variant)
    pkt = ipv4_packet(src, dst, socket.IPPROTO_TCP, seg, **kw)
    return ether(eth_dst, eth_src, ETH_P_IP, pkt)


# ---------------------------------------------------------------- decoding

def magic_target(payload):
    """The MAC a magic packet wakes, "bad" if it is not one."""
    if len(payload) < 102 or payload[:6] != b"\xff" * 6:
        return "bad"
    mac = payload[6:12]
    if payload[6:102] != mac * 16:
        return "bad"
    return mac_str(mac)


def decode(frame):
    if len(frame) < 14:
        return "runt len=%d" % len(frame)
    dst, src, etype = frame[:6], frame[6:12], struct.unpack("!H", frame[12:14])[0]
    body = frame[14:]
    head = "eth_src=%s eth_dst=%s" % (mac_str(src), mac_str(dst))
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
        names = "".join(c for c, bit in zip("FSRPAU", range(6)) if fl & (1 << bit))
        tcpsum = "ok" if csum(pseudo + l4) == 0 else "bad"
        return "tcp %s sport=%d dport=%d flags=%s ipsum=%s tcpsum=%s" % (
            line, sport, dport, names, ipsum, tcpsum)
    return "ipv4 %s proto=%d ipsum=%s" % (line, proto, ipsum)


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
    if linktype != 1:
        raise SystemExit("%s: link type %d, want Ethernet" % (path, linktype))
    nano = magic in (b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d")
    off = 24
    while off + 16 <= len(data):
        sec, frac, caplen, _ = struct.unpack(endian + "IIII", data[off:off + 16])
        off += 16
        yield sec + frac / (1e9 if nano else 1e6), data[off:off + caplen]
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


def cmd_syn(a):
    s = open_socket(a.iface)
    eth_src = a.eth_src or iface_mac(a.iface)
    variants = a.variant or ["normal"]
    for i, v in enumerate(variants):
        if i:
            time.sleep(a.gap)
        s.send(syn_frame(v, a.eth_dst, eth_src, ip_bytes(a.src), ip_bytes(a.dst),
                         a.sport + i, a.dport))


def cmd_flood(a):
    s = open_socket(a.iface)
    mine = iface_mac(a.iface)
    src, dst = ip_bytes(a.src), ip_bytes(a.dst)
    arp = ether(mac_bytes(BROADCAST), mine, ETH_P_ARP,
                arp_payload(1, mine, src, mac_bytes(ZERO_MAC), dst))
    end = time.monotonic() + a.seconds
    n = 0
    while time.monotonic() < end:
        try:
            s.send(arp)
            s.send(syn_frame("normal", a.eth_dst, mine, src, dst,
                             1024 + n % 60000, a.dport))
        except OSError:
            # The link may flap while the module comes and goes.
            time.sleep(0.01)
        n += 1
    print("flood: %d rounds" % n, file=sys.stderr)


def cmd_pcap(a):
    start = None
    for ts, frame in read_pcap(a.file):
        if start is None:
            start = ts
        if a.time:
            print("t=%.3f %s" % (ts - start, decode(frame)))
        else:
            print(decode(frame))


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
                           choices=sorted(SYN_VARIANTS))
            q.add_argument("--gap", type=float, default=0.05)
        else:
            q.add_argument("--seconds", type=float, default=60)
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
