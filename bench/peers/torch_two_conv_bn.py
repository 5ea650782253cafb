#!/usr/bin/env python3
"""The issue's PyTorch accuracy anchor, for comparison with `cnn train --model
bench/peers/two-conv-bn.json`: conv32-BN-ReLU-pool, conv64-BN-ReLU-pool (3x3, pad 1),
FC 128 + ReLU + dropout 0.3, FC 10; Adam 0.001, batch 100, Fashion-MNIST. Prints the test
accuracy and elapsed seconds after each epoch. --init he replaces PyTorch's default
initialisation (uniform +-1/sqrt(fan_in)) with He-normal weights and zero biases, as ours uses.

  OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/peers/torch_two_conv_bn.py --init default
"""
import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402
from torch import nn  # noqa: E402

import fashion_mnist  # noqa: E402
import torch_models  # noqa: E402


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--init", choices=["default", "he"], default="default")
    p.add_argument("--epochs", type=int, default=8)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--data", default=fashion_mnist.DEFAULT_FOLDER)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    xtr, ytr = (torch.from_numpy(t) for t in fashion_mnist.load(a.data, "train"))
    xte, yte = (torch.from_numpy(t) for t in fashion_mnist.load(a.data, "t10k"))
    net = torch_models.two_conv_bn(a.init)
    optimizer = torch.optim.Adam(net.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    start = time.time()
    for epoch in range(1, a.epochs + 1):
        net.train()
        order = torch.randperm(len(xtr))
        for i in range(0, len(xtr), 100):
            batch = order[i:i + 100]
            optimizer.zero_grad()
            loss_fn(net(xtr[batch]), ytr[batch]).backward()
            optimizer.step()
        net.eval()
        with torch.no_grad():
            correct = sum((net(xte[i:i + 1000]).argmax(1) == yte[i:i + 1000]).sum().item() for i in range(0, len(xte), 1000))
        print(f"init {a.init}, epoch {epoch}: test accuracy {correct / len(xte):.4f}, {time.time() - start:.0f} s", flush=True)


if __name__ == "__main__":
    main()
