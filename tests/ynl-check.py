#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check Documentation/netlink/sleepproxy.yaml against the uapi header.

    tests/ynl-check.py [--spec FILE] [--header FILE] [--schema FILE]

Every constant, enum and attribute set of the YNL spec must name the same
C identifiers with the same values, in the same order, as
uapi/linux/sleepproxy.h, and every enum of the header must be described by
the spec.  References inside the spec (nested attribute sets, enums,
constants used in checks, attributes listed by operations) must resolve.
With --schema (the kernel's Documentation/netlink/genetlink-legacy.yaml,
which is not part of this project) the spec is also validated against it.
Exits non-zero on any mismatch.
"""

import argparse
import ast
import operator
import os
import re
import sys

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

errors = []


def error(msg):
    errors.append(msg)


def c_upper(name):
    return name.upper().replace('-', '_')


# --- the header ------------------------------------------------------------

_OPS = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
    ast.LShift: operator.lshift, ast.BitOr: operator.or_,
}


def c_eval(expr, names):
    """Value of a small integer C expression (literals, + - * << |, names)."""
    expr = ' '.join(expr.split())   # an initializer may be wrapped
    expr = re.sub(r'\b(0[xX][0-9a-fA-F]+|\d+)[uUlL]*\b', r'\1', expr)

    def walk(node):
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, int):
            return node.value
        if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
            return _OPS[type(node.op)](walk(node.left), walk(node.right))
        if isinstance(node, ast.Name) and node.id in names:
            return names[node.id]
        raise ValueError(f'cannot evaluate {expr!r}')
    return walk(ast.parse(expr, mode='eval'))


def parse_header(path):
    with open(path) as f:
        text = f.read()
    text = re.sub(r'/\*.*?\*/', '', text, flags=re.S)
    text = re.sub(r'//[^\n]*', '', text)

    values = {}     # every identifier with a known integer value
    enums = {}      # enum tag -> [(name, value)]
    for m in re.finditer(r'\benum\s+(\w+)\s*\{(.*?)\}\s*;', text, re.S):
        entries, nxt = [], 0
        for item in m.group(2).split(','):
            item = item.strip()
            if not item:
                continue
            name, _, init = item.partition('=')
            name = name.strip()
            val = c_eval(init, values) if init.strip() else nxt
            entries.append((name, val))
            values[name] = val
            nxt = val + 1
        enums[m.group(1)] = entries

    defines = {}    # name -> raw text
    for m in re.finditer(r'^#define\s+(\w+)[ \t]+(.+?)\s*$', text, re.M):
        defines[m.group(1)] = m.group(2)
        if not m.group(2).startswith('"'):
            try:
                values[m.group(1)] = c_eval(m.group(2), values)
            except (ValueError, SyntaxError):
                pass
    return enums, defines, values


# --- the spec --------------------------------------------------------------

def check_enum(what, c_enum, expected, enums, seen):
    """expected: [(C name, value)] in order; compare with enum c_enum."""
    if c_enum not in enums:
        error(f'{what}: the header has no enum {c_enum}')
        return []
    seen.add(c_enum)
    got = enums[c_enum]
    if [e[0] for e in got[:len(expected)]] != [e[0] for e in expected]:
        error(f'{what}: names differ from enum {c_enum}:\n'
              f'    spec:   {[e[0] for e in expected]}\n'
              f'    header: {[e[0] for e in got]}')
    else:
        for (name, want), (_, have) in zip(expected, got):
            if want != have:
                error(f'{what}: {name} is {want} in the spec, {have} in the header')
    return got[len(expected):]


def check_max(what, cnt_name, max_name, extra, defines, accounted, by_define):
    """The header's count entry (__X_LAST) and max (X_MAX = __X_LAST - 1)."""
    names = [e[0] for e in extra]
    if cnt_name:
        if names[:1] != [cnt_name]:
            error(f'{what}: expected {cnt_name} right after the last entry, '
                  f'found {names[:1] or "nothing"}')
        names = names[1:]
    if max_name:
        accounted.add(max_name)
        if by_define:
            want = f'({cnt_name} - 1)'
            if defines.get(max_name) != want:
                error(f'{what}: expected #define {max_name} {want}, '
                      f'found {defines.get(max_name)!r}')
        elif names[:1] != [max_name]:
            error(f'{what}: expected {max_name} after {cnt_name}')
        else:
            names = names[1:]
    if names:
        error(f'{what}: the header has entries the spec lacks: {names}')


def attr_c_names(family, aset):
    prefix = aset.get('name-prefix', f"{family}-{aset['name']}-a-")
    out, val = [], 1
    for attr in aset['attributes']:
        val = attr.get('value', val)
        out.append((c_upper(attr.get('name-prefix', prefix) + attr['name']), val))
        val += 1
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--spec', default=os.path.join(
        ROOT, 'Documentation/netlink/sleepproxy.yaml'))
    ap.add_argument('--header', default=os.path.join(
        ROOT, 'uapi/linux/sleepproxy.h'))
    ap.add_argument('--schema', help="the kernel's genetlink-legacy.yaml")
    args = ap.parse_args()

    with open(args.spec) as f:
        first = f.readline()
        f.seek(0)
        spec = yaml.safe_load(f)
    if not first.startswith('# SPDX-License-Identifier: '):
        error('the spec must start with an SPDX-License-Identifier line')

    if args.schema:
        import jsonschema
        with open(args.schema) as f:
            schema = yaml.safe_load(f)
        try:
            jsonschema.validate(spec, schema)
        except jsonschema.ValidationError as e:
            error(f'schema: {e.message} at {"/".join(map(str, e.absolute_path))}')

    enums, defines, values = parse_header(args.header)
    family = spec['name']
    by_define = spec.get('max-by-define', False)
    seen = set()

    # Family name and version.
    accounted = set()
    for key, dflt, want in (
            ('c-family-name', 'family-name', f'"{family}"'),
            ('c-version-name', 'family-version', str(spec.get('version', 1)))):
        name = c_upper(spec.get(key, f'{family}-{dflt}'))
        accounted.add(name)
        if defines.get(name) != want:
            error(f'{key}: expected #define {name} {want}, found {defines.get(name)!r}')

    # Definitions.
    consts, types = {}, {}
    for d in spec.get('definitions', []):
        if d['type'] == 'const':
            consts[d['name']] = d
            if 'header' in d:
                continue    # defined by another header, e.g. ETH_ALEN
            name = c_upper(d.get('name-prefix', f'{family}-') + d['name'])
            accounted.add(name)
            if name not in defines:
                error(f"const {d['name']}: the header has no #define {name}")
            elif values.get(name) != d['value']:
                error(f"const {d['name']}: {d['value']} in the spec, "
                      f"{defines[name]} in the header")
            continue
        types[d['name']] = d
        prefix = d.get('name-prefix', f"{family}-{d['name']}-")
        start = d.get('value-start', 0)
        expected = []
        for i, e in enumerate(d['entries']):
            e = {'name': e} if isinstance(e, str) else e
            val = e.get('value', start + i)
            if d['type'] == 'flags':
                val = 1 << val
            expected.append((c_upper(prefix + e['name']), val))
        c_enum = d.get('enum-name', f"{family}-{d['name']}").replace('-', '_')
        extra = check_enum(f"{d['type']} {d['name']}", c_enum, expected,
                           enums, seen)
        if d['type'] == 'flags':
            # The header may add one mask entry, __<PREFIX>ALL.
            mask = c_upper('--' + prefix + 'all')
            extra = [e for e in extra if e[0] != mask]
            if extra:
                error(f"flags {d['name']}: the header has entries the spec "
                      f"lacks: {[e[0] for e in extra]}")
        elif d.get('render-max'):
            cnt = c_upper(d.get('enum-cnt-name', f'--{prefix}max'))
            check_max(f"enum {d['name']}", cnt, c_upper(prefix + 'max'),
                      extra, defines, accounted, True)
        elif extra:
            error(f"enum {d['name']}: the header has entries the spec lacks: "
                  f"{[e[0] for e in extra]}")

    # Attribute sets.
    sets = {s['name']: s for s in spec['attribute-sets']}
    for s in spec['attribute-sets']:
        what = f"attribute-set {s['name']}"
        c_enum = s.get('enum-name', f"{family}-{s['name']}-attrs").replace('-', '_')
        expected = attr_c_names(family, s)
        extra = check_enum(what, c_enum, expected, enums, seen)
        check_max(what, c_upper(s['attr-cnt-name']) if 'attr-cnt-name' in s else None,
                  c_upper(s['attr-max-name']) if 'attr-max-name' in s else None,
                  extra, defines, accounted, by_define)
        for a in s['attributes']:
            where = f"{what}: {a['name']}"
            if 'nested-attributes' in a and a['nested-attributes'] not in sets:
                error(f"{where}: no attribute-set {a['nested-attributes']}")
            if 'enum' in a and a['enum'] not in types:
                error(f"{where}: no enum or flags {a['enum']}")
            for k, v in a.get('checks', {}).items():
                if k == 'flags-mask':
                    if types.get(v, {}).get('type') != 'flags':
                        error(f'{where}: flags-mask {v} is not a flags definition')
                elif isinstance(v, str) and v not in consts and \
                        not re.fullmatch(r'[su](8|16|32|64)-(min|max)', v):
                    error(f'{where}: {k} refers to unknown const {v}')

    # Operations.
    ops = spec['operations']
    prefix = ops.get('name-prefix', f'{family}-')
    expected, val = [], 1
    for op in ops['list']:
        val = op.get('value', val)
        expected.append((c_upper(prefix + op['name']), val))
        val += 1
        aset = sets.get(op.get('attribute-set'))
        if ('do' in op or 'dump' in op) and aset is None:
            error(f"operation {op['name']}: no attribute-set {op.get('attribute-set')}")
            continue
        for mode in ('do', 'dump'):
            for part in ('request', 'reply'):
                names = op.get(mode, {}).get(part, {}).get('attributes', [])
                known = {a['name'] for a in aset['attributes']} if aset else set()
                for n in names:
                    if n not in known:
                        error(f"operation {op['name']} {mode} {part}: "
                              f"{n} is not in attribute-set {aset['name']}")
    c_enum = ops.get('enum-name', f'{family}-cmd').replace('-', '_')
    extra = check_enum('operations', c_enum, expected, enums, seen)
    check_max('operations', c_upper(spec['cmd-cnt-name']) if 'cmd-cnt-name' in spec else None,
              c_upper(spec['cmd-max-name']) if 'cmd-max-name' in spec else None,
              extra, defines, accounted, by_define)

    # Multicast groups: #define <FAMILY>_MCGRP_<NAME> "name", as YNL
    # writes them.
    for g in spec.get('mcast-groups', {}).get('list', []):
        name = c_upper(f"{family}-mcgrp-{g['name']}")
        accounted.add(name)
        if defines.get(name) != f'"{g["name"]}"':
            error(f"mcast-group {g['name']}: expected #define {name} "
                  f"\"{g['name']}\", found {defines.get(name)!r}")

    for name in enums:
        if name not in seen:
            error(f'enum {name} of the header is not described by the spec')
    for name in defines:
        if name not in accounted and not name.startswith('_'):
            error(f'#define {name} of the header is not described by the spec')

    if errors:
        for e in errors:
            print(f'ynl-check: {e}', file=sys.stderr)
        print(f'ynl-check: {len(errors)} mismatch(es) between '
              f'{os.path.relpath(args.spec, ROOT)} and '
              f'{os.path.relpath(args.header, ROOT)}', file=sys.stderr)
        return 1
    print(f'ynl-check: {os.path.relpath(args.spec, ROOT)} matches '
          f'{os.path.relpath(args.header, ROOT)} '
          f'({len(seen)} enums, {len(consts)} consts)'
          + (', schema valid' if args.schema else ''))
    return 0


if __name__ == '__main__':
    sys.exit(main())
