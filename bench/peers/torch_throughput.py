#!/usr/bin/env python3
"""PyTorch peer of `cnn bench --models MODEL`: one of the models in torch_models.py
(simple-conv, two-conv-bn, vgg-small, resnet-small), softmax cross-entropy, Adam (lr 0.001, eps 1e-7 as in
the seeds), batch 100, on Fashion-MNIST, CPU only, timed like `cnn bench` (median of windows
after a warm-up). Prints JSON, with the model's parameter count and multiply-adds per image so
that compare.py can check they equal ours (the same arithmetic on both sides).

A comparison tool only (Debian python3-torch), never a project dependency. Threads: torch's
intra-op pool gets --threads (default 2, the machine's cores) and OpenBLAS is held to one
thread (OPENBLAS_NUM_THREADS=1) so the two pools do not oversubscribe the cores (that halves
the figure).
"""
import argparse
import os

# Must be set before torch loads its BLAS; torch's own OpenMP pool is sized by --threads below.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

import fashion_mnist  # noqa: E402
import peer_timing  # noqa: E402
import torch_models  # noqa: E402


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", choices=sorted(torch_models.MODELS), default="simple-conv")
    p.add_argument("--batch-size", type=int, default=100)
    p.add_argument("--windows", type=int, default=5)
    p.add_argument("--seconds", type=float, default=2.0)
    p.add_argument("--warmup", type=float, default=None, help="default: one window")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--data", default=fashion_mnist.DEFAULT_FOLDER)
    p.add_argument("--output", help="also write the JSON here")
    a = p.parse_args()
    warmup = a.seconds if a.warmup is None else a.warmup

    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    x_train, t_train = (torch.from_numpy(v) for v in fashion_mnist.load(a.data, "train"))
    x_test, t_test = (torch.from_numpy(v) for v in fashion_mnist.load(a.data, "t10k"))
    model = torch_models.MODELS[a.model]()
    loss_fn = nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.001, betas=(0.9, 0.999), eps=1e-7)
    b = a.batch_size
    batches = len(x_train) // b
    state = {"order": torch.randperm(len(x_train)), "next": 0, "test": 0}

    def train_step():
        if state["next"] == batches:
            state["order"], state["next"] = torch.randperm(len(x_train)), 0
        idx = state["order"][state["next"] * b:(state["next"] + 1) * b]
        state["next"] += 1
        x, t = x_train.index_select(0, idx), t_train.index_select(0, idx)
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), t)
        loss.backward()
        optimizer.step()
        return b

    def infer_step():
        i = state["test"]
        state["test"] = (i + 1) % (len(x_test) // b)
        x, t = x_test[i * b:(i + 1) * b], t_test[i * b:(i + 1) * b]
        with torch.no_grad():
            correct = (model(x).argmax(1) == t).sum()
        return b if correct >= 0 else 0

    model.train()
    training = peer_timing.measure(train_step, a.windows, a.seconds, warmup, f"pytorch {a.model} training")
    model.eval()
    inference = peer_timing.measure(infer_step, a.windows, a.seconds, warmup, f"pytorch {a.model} inference")
    peer_timing.emit({
        "peer": "pytorch",
        "version": torch.__version__,
        "model": a.model,
        "batchSize": b,
        "threads": torch.get_num_threads(),
        "parameters": torch_models.parameters(model),
        "multiplyAdds": torch_models.multiply_adds(model, (1,) + tuple(x_test.shape[1:])),
        "environment": {k: os.environ.get(k) for k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "OPENBLAS_CORETYPE")},
        "numpy": np.__version__,
        "loadAverage": peer_timing.load_average(),
        "training": training,
        "inference": inference,
    }, a.output)


if __name__ == "__main__":
    main()
