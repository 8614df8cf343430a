#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""A Bonjour Sleep Proxy client for the tests, built on dnspython.

It sends the DNS Updates a Mac sends before it sleeps and prints each
answer as one JSON object per line:

  {"id": 4660, "qr": true, "opcode": 5, "rcode": "NOERROR", "lease": 7200,
   "options": [2], "answers": 1}

("lease" is null when the answer has no Update Lease option; a datagram
that got no answer within the timeout prints {"id": ..., "timeout": true}).

  spsclient.py register SERVER PORT --mac MAC [--wake-mac MAC]
        [--password HEX] [--seq N] [--lease S] [--name HOST]
        [--a ADDR]... [--aaaa ADDR]... [--service TYPE:PORT]...
        [--split N] [--edns-flags N] [--keepalive] [--no-lease]
        [--no-owner] [--owner-hex HEX] [--opcode N]
  spsclient.py garbage SERVER PORT --kind truncated|oversized|mutate
        [--count N] [--seed N] --mac MAC
  spsclient.py wire --mac MAC ...      print one update as hex (seeds)

--split N sends the records in N updates with the same ID sequence and
Owner option, as clients do when the records do not fit one datagram.
"""

import argparse
import json
import random
import socket
import struct
import sys

import dns.edns
import dns.flags
import dns.message
import dns.name
import dns.opcode
import dns.rcode
import dns.rdata
import dns.rdataclass
import dns.rdatatype
import dns.rrset
import dns.update

OPT_LEASE = 2
OPT_OWNER = 4


def mac_bytes(text):
    b = bytes(int(x, 16) for x in text.split(":"))
    if len(b) != 6:
        raise ValueError(f"bad MAC {text}")
    return b


def reverse_name(addr):
    if ":" in addr:
        packed = socket.inet_pton(socket.AF_INET6, addr)
        nibbles = "".join(f"{b:02x}" for b in packed)
        return ".".join(reversed(nibbles)) + ".ip6.arpa."
    return ".".join(reversed(addr.split("."))) + ".in-addr.arpa."


def records(args):
    """The records macOS registers: addresses, reverse maps, services."""
    host = f"{args.name}.local."
    rrs = []

    def add(name, ttl, rdtype, text):
        rd = dns.rdata.from_text(dns.rdataclass.IN, rdtype, text)
        rrs.append((dns.name.from_text(name), ttl, rd))

    for a in args.a:
        add(host, 120, dns.rdatatype.A, a)
        add(reverse_name(a), 120, dns.rdatatype.PTR, host)
    for a in args.aaaa:
        add(host, 120, dns.rdatatype.AAAA, a)
        add(reverse_name(a), 120, dns.rdatatype.PTR, host)
    for svc in args.service:
        stype, port = svc.rsplit(":", 1)
        inst = f"{args.instance}.{stype}.local."
        add("_services._dns-sd._udp.local.", 4500, dns.rdatatype.PTR,
            f"{stype}.local.")
        add(f"{stype}.local.", 4500, dns.rdatatype.PTR, inst)
        add(inst, 4500, dns.rdatatype.SRV, f"0 0 {port} {host}")
        add(inst, 4500, dns.rdatatype.TXT, '"txtvers=1"')
    if args.keepalive:
        # What macOS adds for TCP keepalive offload: not used yet.
        add(f"1._keepalive._dns-sd._udp.{host}", 4500, dns.rdatatype.NULL,
            "\\# 7 743d3132302069")
    return rrs


def owner_option(args):
    if args.owner_hex is not None:
        return bytes.fromhex(args.owner_hex)
    data = bytes([0, args.seq & 0xFF]) + mac_bytes(args.mac)
    if args.wake_mac or args.password:
        data += mac_bytes(args.wake_mac or args.mac)
    if args.password:
        data += bytes.fromhex(args.password.replace(":", ""))
    return data


def build(args, rrs, msg_id):
    upd = dns.update.UpdateMessage("local.", id=msg_id)
    for name, ttl, rd in rrs:
        upd.add(name, ttl, rd)
    opts = []
    if not args.no_lease:
        opts.append(dns.edns.GenericOption(OPT_LEASE,
                                           struct.pack("!I", args.lease)))
    if not args.no_owner:
        opts.append(dns.edns.GenericOption(OPT_OWNER, owner_option(args)))
    upd.use_edns(edns=0, ednsflags=args.edns_flags, payload=1440,
                 options=opts)
    wire = bytearray(upd.to_wire())
    if args.opcode is not None:
        wire[2] = (wire[2] & 0x87) | ((args.opcode & 0xF) << 3)
    return bytes(wire)


def decode(data):
    out = {"id": struct.unpack("!H", data[:2])[0] if len(data) >= 2 else None,
           "qr": bool(len(data) > 2 and data[2] & 0x80),
           "opcode": (data[2] >> 3) & 0xF if len(data) > 2 else None,
           "rcode": None, "lease": None, "options": [], "answers": None}
    try:
        msg = dns.message.from_wire(data)
    except Exception as e:  # what the server sent must parse
        out["rcode"] = f"unparsable: {e}"
        return out
    out["rcode"] = dns.rcode.to_text(msg.rcode())
    out["answers"] = len(msg.additional) + (1 if msg.edns >= 0 else 0)
    for opt in msg.options:
        out["options"].append(opt.otype)
        if opt.otype == OPT_LEASE:
            raw = opt.to_wire()
            out["lease"] = struct.unpack("!I", raw[:4])[0]
    return out


def exchange(sock, addr, wire, msg_id, timeout):
    sock.settimeout(timeout)
    sock.sendto(wire, addr)
    while True:
        try:
            data, _ = sock.recvfrom(65535)
        except socket.timeout:
            return {"id": msg_id, "timeout": True}
        if len(data) >= 2 and struct.unpack("!H", data[:2])[0] == msg_id:
            return decode(data)


def open_socket(server, port):
    info = socket.getaddrinfo(server, port, 0, socket.SOCK_DGRAM)[0]
    sock = socket.socket(info[0], socket.SOCK_DGRAM)
    return sock, info[4]


def cmd_register(args):
    rrs = records(args)
    sock, addr = open_socket(args.server, args.port)
    parts = max(1, args.split)
    chunks = [rrs[i::parts] for i in range(parts)]
    rc = 0
    for i, chunk in enumerate(chunks):
        msg_id = (args.id + i) & 0xFFFF
        out = exchange(sock, addr, build(args, chunk, msg_id), msg_id,
                       args.timeout)
        print(json.dumps(out), flush=True)
        if out.get("timeout") or out["rcode"] != "NOERROR":
            rc = 1
    return rc


def cmd_wire(args):
    print(build(args, records(args), args.id).hex())
    return 0


def cmd_garbage(args):
    """Malformed updates; print how many got an answer and which codes."""
    rnd = random.Random(args.seed)
    base = build(args, records(args), args.id)
    sock, addr = open_socket(args.server, args.port)
    seen = {}
    for i in range(args.count):
        if args.kind == "truncated":
            wire = base[:rnd.randrange(0, len(base))]
        elif args.kind == "oversized":
            wire = base + bytes(rnd.randrange(256) for _ in range(
                9001 - len(base) + rnd.randrange(40000)))
        else:
            w = bytearray(base)
            for _ in range(rnd.randrange(1, 8)):
                w[rnd.randrange(len(w))] = rnd.randrange(256)
            wire = bytes(w)
        msg_id = struct.unpack("!H", wire[:2])[0] if len(wire) >= 2 else 0
        out = exchange(sock, addr, wire, msg_id, args.timeout)
        key = "timeout" if out.get("timeout") else out["rcode"]
        seen[key] = seen.get(key, 0) + 1
    print(json.dumps(seen, sort_keys=True))
    return 0


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    for name in ("register", "garbage", "wire"):
        s = sub.add_parser(name)
        if name != "wire":
            s.add_argument("server")
            s.add_argument("port", type=int)
        s.add_argument("--mac", required=True)
        s.add_argument("--wake-mac")
        s.add_argument("--password")
        s.add_argument("--seq", type=int, default=0)
        s.add_argument("--lease", type=int, default=7200)
        s.add_argument("--name", default="sleeper")
        s.add_argument("--instance", default="Sleeper")
        s.add_argument("--a", action="append", default=[])
        s.add_argument("--aaaa", action="append", default=[])
        s.add_argument("--service", action="append", default=[])
        s.add_argument("--split", type=int, default=1)
        s.add_argument("--edns-flags", type=lambda x: int(x, 0), default=0)
        s.add_argument("--keepalive", action="store_true")
        s.add_argument("--no-lease", action="store_true")
        s.add_argument("--no-owner", action="store_true")
        s.add_argument("--owner-hex")
        s.add_argument("--opcode", type=int)
        s.add_argument("--id", type=lambda x: int(x, 0), default=0x5150)
        s.add_argument("--timeout", type=float, default=3.0)
        if name == "garbage":
            s.add_argument("--kind", required=True,
                           choices=("truncated", "oversized", "mutate"))
            s.add_argument("--count", type=int, default=100)
            s.add_argument("--seed", type=int, default=1)
    args = p.parse_args()
    return {"register": cmd_register, "garbage": cmd_garbage,
            "wire": cmd_wire}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
