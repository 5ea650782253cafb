#!/usr/bin/env python3
"""PyTorch-on-CUDA peers for the GPU kit (run.sh): matmul GFLOP/s at the sizes `cnn gemm`
measures, then training throughput of simple-conv and vgg-small (the models of
bench/peers/torch_models.py: batch 100, softmax cross-entropy, Adam) and of VGG16 (seed 002's
network on random 224x224 RGB images, at the batch `cnn bench` chose: --vgg16-batch) timed with the protocol
`cnn bench` uses (bench/peers/peer_timing.py). Every timed step ends with
torch.cuda.synchronize(), so a window counts finished work only. Prints JSON.

Without a CUDA device it says so in the JSON and exits 0: the kit's report then shows the
OpenCL side alone.
"""
import argparse
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "peers"))

import peer_timing  # noqa: E402


def matmul(torch, n, device):
    a = torch.rand(n, n, device=device)
    b = torch.rand(n, n, device=device)
    for _ in range(3):
        a @ b
    torch.cuda.synchronize()
    best = float("inf")
    for _ in range(5):
        reps, start = 0, time.perf_counter()
        while reps < 3 or time.perf_counter() - start < 0.2:
            a @ b
            reps += 1
        torch.cuda.synchronize()
        best = min(best, (time.perf_counter() - start) / reps)
    return {"shape": f"{n}x{n}x{n}", "gflops": 2.0 * n * n * n / best / 1e9, "bestMs": best * 1e3,
            "tf32": torch.backends.cuda.matmul.allow_tf32}


def throughput(torch, model_name, data, device, windows, seconds, vgg16_batch):
    import fashion_mnist
    import torch_models
    from torch import nn

    torch.manual_seed(1)
    if model_name == "vgg16":
        # As cnn bench feeds it: random 224x224 RGB images of 1,000 classes, 32 of them.
        b = vgg16_batch
        x = torch.rand(32, 3, 224, 224, device=device)
        t = torch.randint(0, 1000, (32,), device=device)
    else:
        b = 100
        x, t = (torch.from_numpy(v) for v in fashion_mnist.load(data, "t10k"))
        x, t = x.to(device), t.to(device)
    model = torch_models.MODELS[model_name]().to(device)
    loss_fn = nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.001, betas=(0.9, 0.999), eps=1e-7)
    state = {"next": 0}

    def step():
        i = state["next"]
        state["next"] = (i + b) % (len(x) - b)
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(x[i:i + b]), t[i:i + b])
        loss.backward()
        optimizer.step()
        torch.cuda.synchronize()
        return b

    result = peer_timing.measure(step, windows, seconds, seconds, f"torch {model_name} cuda")
    result["model"] = model_name
    result["batch"] = b
    return result


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", required=True, help="MNIST-format folder (t10k files are used)")
    p.add_argument("--models", default="simple-conv,vgg-small,vgg16")
    p.add_argument("--vgg16-batch", type=int, default=2, help="VGG16's batch: the one cnn bench used")
    p.add_argument("--sizes", default="1024,2048,4096")
    p.add_argument("--windows", type=int, default=3)
    p.add_argument("--seconds", type=float, default=2.0)
    p.add_argument("--output", help="also write the JSON here")
    a = p.parse_args()

    report = {"peer": "pytorch-cuda"}
    try:
        import torch
    except ImportError as e:
        report["unavailable"] = f"PyTorch is not installed: {e}"
        peer_timing.emit(report, a.output)
        return
    report["torch"] = torch.__version__
    if not torch.cuda.is_available():
        report["unavailable"] = "torch.cuda.is_available() is False (no CUDA device or driver)"
        peer_timing.emit(report, a.output)
        return
    device = torch.device("cuda")
    report["device"] = torch.cuda.get_device_name(0)
    report["cuda"] = torch.version.cuda
    # Plain float32 as our kernels compute; TF32 would be a different (less precise) product.
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    report["matmul"] = [matmul(torch, int(n), device) for n in a.sizes.split(",")]
    report["training"] = [throughput(torch, m, a.data, device, a.windows, a.seconds, a.vgg16_batch) for m in a.models.split(",")]
    peer_timing.emit(report, a.output)


if __name__ == "__main__":
    main()
