#!/usr/bin/env python3
"""Assembles the GPU kit's results folder (run.sh) into report.md and report.json: the steps
and their times, the OpenCL device, `cnn check`'s verdict, GEMM GFLOP/s next to PyTorch's
matmul, and training images/s of simple-conv, vgg-small and VGG16 next to PyTorch on CUDA.
Reads only what the steps wrote; a step that failed or was skipped is reported as such.
"""
import json
import os
import re
import sys


def read(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError:
        return None


def read_json(path):
    text = read(path)
    if text is None:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def steps(out):
    rows = []
    for line in (read(os.path.join(out, "steps.tsv")) or "").splitlines():
        name, code, seconds = (line.split("\t") + ["", "", ""])[:3]
        rows.append({"step": name, "exit": code, "seconds": int(seconds or 0)})
    return rows


def device(out):
    text = read(os.path.join(out, "providers.txt")) or ""
    block = re.search(r"^opencl\*?: (.*?)(?=^\S|\Z)", text, re.S | re.M)
    if not block:
        return {"status": "no output"}
    lines = block.group(0).splitlines()
    info = {"status": "available" if "available -" in lines[0] and "unavailable" not in lines[0] else "unavailable"}
    for line in lines[1:]:
        key, _, value = line.strip().partition(": ")
        if value:
            info[key] = value.split("; threads:")[0] if key == "device" else value
    if info["status"] == "unavailable":
        info["problem"] = " ".join(l.strip() for l in lines[1:])
    return info


def gemm(out):
    rows = []
    for line in (read(os.path.join(out, "gemm.txt")) or "").splitlines():
        m = re.match(r"^(\d+x\d+x\d+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)$", line.strip())
        if m:
            rows.append({"shape": m.group(1), "bestGflops": float(m.group(2)), "medianGflops": float(m.group(3))})
    return rows


def bench(out):
    rows, skipped = [], []
    for folder in ("bench", "bench-vgg16"):  # the small models, then VGG16 (its own step and batch)
        report = read_json(os.path.join(out, folder, "throughput.json")) or {}
        for r in report.get("results", []):
            rows.append({"model": r.get("model"), "provider": r.get("provider"), "batch": r.get("batchSize"),
                         "trainingImagesPerSecond": (r.get("training") or {}).get("median"),
                         "inferenceImagesPerSecond": (r.get("inference") or {}).get("median")})
        skipped += report.get("skipped", [])
    return rows, skipped


def main():
    out = sys.argv[1]
    check = read_json(os.path.join(out, "check.json"))
    torch = read_json(os.path.join(out, "torch.json")) or {"unavailable": "the torch step wrote nothing"}
    bench_rows, skipped = bench(out)
    report = {
        "steps": steps(out),
        "opencl": device(out),
        "check": None if check is None else {k: check.get(k) for k in ("provider", "device", "baseline", "passed", "failed")},
        "checkFailures": [] if check is None else [r for r in check.get("rows", []) if not r.get("passed")],
        "gemm": gemm(out),
        "bench": bench_rows,
        "benchSkipped": skipped,
        "torch": torch,
    }
    with open(os.path.join(out, "report.json"), "w", encoding="utf-8") as f:
        json.dump(report, f, indent=2)

    md = ["# CnnNative GPU kit report", ""]
    dev = report["opencl"]
    md.append(f"OpenCL device: **{dev.get('device', '?')}** — {dev.get('platform', dev.get('problem', dev['status']))}; "
              f"driver {dev.get('driver version', '?')}; library {dev.get('library', '?')}")
    if "device" in torch:
        md.append(f"PyTorch {torch.get('torch')} on CUDA {torch.get('cuda')}: **{torch['device']}**")
    else:
        md.append(f"PyTorch peer: {torch.get('unavailable', 'no result')}")
    md += ["", "## Steps", "", "| step | exit | seconds |", "|---|---|---|"]
    md += [f"| {s['step']} | {s['exit']} | {s['seconds']} |" for s in report["steps"]]
    md += ["", "## cnn check --provider opencl", ""]
    if check is None:
        md.append("No result (see check.txt).")
    else:
        md.append(f"{check.get('passed')} outputs agree with {check.get('baseline')}, {check.get('failed')} differ.")
        for r in report["checkFailures"]:
            md.append(f"- FAIL {r.get('group')} / {r.get('check')} / {r.get('output')}: {r.get('note', '')}")
    md += ["", "## GEMM GFLOP/s (float32; PyTorch with TF32 off)", "", "| shape | cnn opencl best | PyTorch CUDA |", "|---|---|---|"]
    torch_mm = {r["shape"]: r["gflops"] for r in torch.get("matmul", [])}
    for r in report["gemm"]:
        peer = torch_mm.get(r["shape"])
        md.append(f"| {r['shape']} | {r['bestGflops']:.1f} | {'' if peer is None else f'{peer:.1f}'} |")
    md += ["", "## Training throughput (images/s, median of windows; the peer at the same batch)", "",
           "| model | batch | cnn opencl | PyTorch CUDA | ratio |", "|---|---|---|---|---|"]
    torch_train = {r["model"]: r["imagesPerSecond"] for r in torch.get("training", [])}
    for r in bench_rows:
        ours, peer = r["trainingImagesPerSecond"], torch_train.get(r["model"])
        ratio = f"{ours / peer:.2f}" if ours and peer else ""
        md.append(f"| {r['model']} | {r['batch'] or ''} | {ours or 0:,.1f} | {'' if peer is None else f'{peer:,.1f}'} | {ratio} |")
    for s in skipped:
        md.append(f"- skipped: {s}")
    with open(os.path.join(out, "report.md"), "w", encoding="utf-8") as f:
        f.write("\n".join(md) + "\n")


if __name__ == "__main__":
    main()
