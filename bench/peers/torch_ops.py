#!/usr/bin/env python3
"""PyTorch's time for the single operations issue 7 targets, to compare with our
`CnnNative.Bench.dll quick Convolution MaxPool` on the same machine (best of N calls, ms):
conv 64->64 3x3 pad 1 on 32x32, batch 32, forward + backward (input and weight gradients);
conv 1->30 5x5 on 28x28, batch 100, forward + weight gradient (a first layer: no input gradient);
max-pool 2x2 on 100x30x24x24, forward + backward.

  OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/peers/torch_ops.py --threads 2
"""
import argparse
import time

import torch


def best_ms(fn, reps):
    for _ in range(5):
        fn()
    best = float("inf")
    for _ in range(reps):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best * 1000


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--reps", type=int, default=20)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)

    conv64 = torch.nn.Conv2d(64, 64, 3, padding=1)
    x64 = torch.randn(32, 64, 32, 32, requires_grad=True)
    conv1 = torch.nn.Conv2d(1, 30, 5)
    x1 = torch.randn(100, 1, 28, 28)
    pool = torch.nn.MaxPool2d(2)
    xp = torch.randn(100, 30, 24, 24, requires_grad=True)

    def run(layer, x):
        y = layer(x)
        y.backward(torch.ones_like(y))

    print(f"pytorch {torch.__version__}, {a.threads} thread(s), best of {a.reps} (ms)")
    print(f"conv 64->64 3x3 pad 1, 32x32, batch 32, forward+backward: {best_ms(lambda: run(conv64, x64), a.reps):.2f}")
    print(f"conv 1->30 5x5, 28x28, batch 100, forward+weight gradient: {best_ms(lambda: run(conv1, x1), a.reps):.2f}")
    print(f"max-pool 2x2 on 100x30x24x24, forward+backward: {best_ms(lambda: run(pool, xp), a.reps):.2f}")


if __name__ == "__main__":
    main()
