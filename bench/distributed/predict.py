#!/usr/bin/env python3
"""Predicted data-parallel scaling over a cluster, from figures measured on one machine.

Ring all-reduce (what Open MPI uses for large messages): each of K ranks sends and receives
2(K-1)/K of the S-byte gradient buffer in 2(K-1) rounds, so
    T_comm(K) = 2(K-1)·alpha + 2(K-1)/K · S/beta
with alpha the per-message latency and beta the link bandwidth. CnnNative all-reduces once per
step after the backward pass (no overlap), so a step takes T_comp + T_comm(K), where T_comp is
one node's time for its own batch (weak scaling: every node keeps batch b, the global batch is K·b).

usage: predict.py MODEL:PARAMETERS:IMAGES_PER_SECOND [...]   (images/s of one node at batch 100)
"""
import sys

LINKS = {  # name: (alpha seconds, beta bytes/s) — 90 % of line rate, typical MPI latencies
    "10 Gbit/s Ethernet (TCP)": (25e-6, 0.9 * 10e9 / 8),
    "100 Gbit/s InfiniBand/RoCE": (3e-6, 0.9 * 100e9 / 8),
}
NODES = [1, 2, 4, 8, 16, 32, 64]
BATCH = 100

def comm(k, size, alpha, beta):
    return 0.0 if k == 1 else 2 * (k - 1) * alpha + 2 * (k - 1) / k * size / beta

for arg in sys.argv[1:]:
    model, params, ips = arg.split(":")
    size = 4 * (int(params) + 2)  # float32 gradients + the two bookkeeping slots
    t_comp = BATCH / float(ips)
    print(f"\n{model}: {int(params):,} parameters, {size / 1e6:.2f} MB all-reduced per step; "
          f"one node {float(ips):,.0f} images/s at batch {BATCH} ({t_comp * 1e3:.1f} ms per step)\n")
    print("| nodes | " + " | ".join(f"{name}: images/s (efficiency)" for name in LINKS) + " |")
    print("|---|" + "---|" * len(LINKS))
    for k in NODES:
        cells = []
        for alpha, beta in LINKS.values():
            step = t_comp + comm(k, size, alpha, beta)
            cells.append(f"{k * BATCH / step:,.0f} ({t_comp / step:.0%})")
        print(f"| {k} | " + " | ".join(cells) + " |")
