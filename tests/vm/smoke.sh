#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Smallest job for tests/vm/run.sh: proves the guest boots, sees the host
# root, loads modules and can make namespaces and bridges.
set -e
uname -r
id -u
ip link add br0 type bridge
modprobe veth
ip link add va type veth peer name vb
ip netns add smoke$$
ip link set vb netns smoke$$
ip netns exec smoke$$ ip link show vb >/dev/null
ip netns del smoke$$
python3 -c 'import os; print("random:", os.urandom(4).hex())'
echo hello from the guest
