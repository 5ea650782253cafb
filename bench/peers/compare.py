#!/usr/bin/env python3
"""Side by side on one machine, one after another: `cnn bench` (every provider that starts) and
the PyTorch peer on the same models (simple-conv, two-conv-bn, vgg-small, resnet-small by default), plus the
seeds' numpy peer on simple-conv, all training with batch 100 and Adam on Fashion-MNIST and
timed the same way (median of windows after a warm-up). `cnn bench` first measures the
machine's FMA peak (one core and all cores); every workload, ours and PyTorch's, is also
stated as effective GFLOP/s (images/s x the model's multiply-adds per image) and as a fraction
of that peak. Prints the table and writes compare.json and compare.md next to the reports in --output.

  python3 bench/peers/compare.py --cnn "dotnet src/CnnNative.Cli/bin/Release/net10.0/cnn.dll"

The numpy peer is capped at --numpy-max-steps timed steps per phase (it is ~100x slower);
the output says so.
"""
import argparse
import json
import os
import shlex
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
# Model names as `cnn bench` reports them -> what `cnn bench --models` takes.
MODEL_ARGUMENTS = {"simple-conv": "simple-conv", "two-conv-bn": os.path.join(HERE, "two-conv-bn.json"), "vgg-small": "vgg-small",
                   "resnet-small": "resnet-small"}


def run(command, env=None):
    print("$ " + " ".join(shlex.quote(c) for c in command), flush=True)
    return subprocess.run(command, env=env).returncode


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def write_atomic(path, text):
    temp = f"{path}.{os.getpid()}.tmp"
    with open(temp, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(temp, path)


def same_model(model, ours, peer):
    """None when the PyTorch peer's model has our parameter count and multiply-adds per image (so
    both sides do the same arithmetic and the ratio compares speed alone); otherwise what differs."""
    if not peer or "parameters" not in peer:
        return None
    ours_adds = round(ours["flopsPerImage"]["inference"] / 2)
    if peer["parameters"] == ours["parameters"] and peer.get("multiplyAdds", ours_adds) == ours_adds:
        return None
    return (f"pytorch peer on {model} is not our model: {peer['parameters']:,} parameters and {peer.get('multiplyAdds', 0):,} "
            f"multiply-adds per image, ours {ours['parameters']:,} and {ours_adds:,} (fix bench/peers/torch_models.py)")


def ratio(ours, theirs):
    return ours / theirs if ours and theirs else float("nan")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--cnn", required=True, help="command that runs the cnn tool, e.g. 'dotnet path/cnn.dll'")
    p.add_argument("--output", default="bench-results/compare")
    p.add_argument("--models", default="simple-conv,two-conv-bn,vgg-small,resnet-small",
                   help=f"comma-separated, from: {', '.join(MODEL_ARGUMENTS)}")
    p.add_argument("--providers", default=None, help="our providers (cnn bench --providers); default: every one that starts")
    p.add_argument("--windows", type=int, default=5)
    p.add_argument("--seconds", type=float, default=2.0)
    p.add_argument("--threads", type=int, default=None,
                   help="threads for both sides (PyTorch intra-op; our providers' Threads settings and pocl's "
                        "POCL_MAX_PTHREAD_COUNT). Default: all cores. --threads 1 compares per-core efficiency, "
                        "which a loaded machine distorts least")
    p.add_argument("--numpy-max-steps", type=int, default=300)
    p.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    a = p.parse_args()
    models = [m.strip() for m in a.models.split(",") if m.strip()]
    unknown = [m for m in models if m not in MODEL_ARGUMENTS]
    if unknown or not models:
        p.error(f"unknown model(s) {', '.join(unknown) or '(none given)'}; choose from {', '.join(MODEL_ARGUMENTS)}")
    os.makedirs(a.output, exist_ok=True)
    ours_json = os.path.join(a.output, "throughput.json")
    numpy_json = os.path.join(a.output, "numpy.json")
    timing = ["--windows", str(a.windows), "--seconds", str(a.seconds), "--data", a.data]

    threads = a.threads or os.cpu_count() or 2
    ours_env = dict(os.environ)
    if a.threads:
        n = str(a.threads)
        ours_env.update({"CNN_Compute__Managed__Threads": n, "CNN_Compute__OpenBlas__Threads": n,
                         "CNN_Compute__OpenBlas__KernelThreads": n, "POCL_MAX_PTHREAD_COUNT": n})
    failures = []
    ours_command = shlex.split(a.cnn) + ["bench", "--models", ",".join(MODEL_ARGUMENTS[m] for m in models), "--output", a.output]
    if a.providers:
        ours_command += ["--providers", a.providers]
    if run(ours_command + timing, env=ours_env) != 0:
        failures.append("cnn bench")
    torch_env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    torch = {}
    for m in models:
        path = os.path.join(a.output, f"pytorch-{m}.json")
        if run([sys.executable, os.path.join(HERE, "torch_throughput.py"), "--model", m, "--output", path,
                "--threads", str(threads)] + timing, env=torch_env) != 0:
            failures.append(f"pytorch peer on {m} (is python3-torch installed? apt-get install python3-torch)")
        elif os.path.exists(path):
            torch[m] = load(path)
    numpy = None
    if "simple-conv" in models:
        print(f"numpy peer: timed steps capped at {a.numpy_max_steps} per phase to keep the run short", flush=True)
        if run([sys.executable, os.path.join(HERE, "numpy_simple_conv.py"), "--output", numpy_json,
                "--max-steps", str(a.numpy_max_steps), "--windows", "3", "--seconds", "10", "--data", a.data]) != 0:
            failures.append("numpy peer (apt-get install python3-numpy)")
        elif os.path.exists(numpy_json):
            numpy = load(numpy_json)

    ours = load(ours_json) if os.path.exists(ours_json) and "cnn bench" not in failures else None
    if ours is None:
        print("compare: no result from cnn bench; nothing to compare", file=sys.stderr)
        return 1
    peak = ours["peak"]
    peak_used = peak["oneCore"] if a.threads == 1 else peak["allCores"] * min(threads, peak["cores"]) / peak["cores"]
    rows, peer_rows = [], []
    for m in models:
        peers = {"pytorch": torch.get(m)}
        if m == "simple-conv":
            peers["numpy"] = numpy
        peers = {k: v for k, v in peers.items() if v}
        flops = None
        for r in ours["results"]:
            if r["model"] != m:
                continue
            flops = r["flopsPerImage"]
            mismatch = same_model(m, r, torch.get(m))
            if mismatch and mismatch not in failures:
                failures.append(mismatch)
            row = {"model": m, "provider": r["provider"],
                   "training": r["training"]["median"], "inference": r["inference"]["median"],
                   "trainingGflops": r["trainingGflops"], "inferenceGflops": r["inferenceGflops"],
                   "trainingPeak": r["trainingGflops"] / peak_used, "inferencePeak": r["inferenceGflops"] / peak_used,
                   "trainingPerCpu": r["training"].get("imagesPerCpuSecond"), "inferencePerCpu": r["inference"].get("imagesPerCpuSecond")}
            for name, peer in peers.items():
                row[name] = {"training": ratio(row["training"], peer["training"]["imagesPerSecond"]),
                             "inference": ratio(row["inference"], peer["inference"]["imagesPerSecond"]),
                             "trainingPerCpu": ratio(row["trainingPerCpu"], peer["training"].get("imagesPerCpuSecond")),
                             "inferencePerCpu": ratio(row["inferencePerCpu"], peer["inference"].get("imagesPerCpuSecond"))}
            rows.append(row)
        for name, peer in peers.items():
            tr, inf = peer["training"]["imagesPerSecond"], peer["inference"]["imagesPerSecond"]
            peer_rows.append({"model": m, "peer": name, "version": peer.get("version"), "threads": peer.get("threads"),
                              "note": peer.get("note"), "loadAverage": peer.get("loadAverage"),
                              "training": tr, "inference": inf,
                              "trainingPerCpu": peer["training"].get("imagesPerCpuSecond"),
                              "inferencePerCpu": peer["inference"].get("imagesPerCpuSecond"),
                              "trainingGflops": tr * flops["training"] / 1e9 if flops else None,
                              "inferenceGflops": inf * flops["inference"] / 1e9 if flops else None,
                              "trainingPeak": tr * flops["training"] / 1e9 / peak_used if flops else None,
                              "inferencePeak": inf * flops["inference"] / 1e9 / peak_used if flops else None})

    md = render(ours, rows, peer_rows, peak_used, a)
    print()
    print(md)
    write_atomic(os.path.join(a.output, "compare.md"), md)
    write_atomic(os.path.join(a.output, "compare.json"), json.dumps(
        {"date": ours["date"], "peak": peak, "peakUsed": peak_used, "ours": rows, "peers": peer_rows,
         "loadAverage": {"oursStart": ours["machine"].get("loadAverageAtStart"), "oursEnd": ours["machine"].get("loadAverageAtEnd"),
                         **{f"{r['peer']} {r['model']}": r["loadAverage"] for r in peer_rows}}}, indent=2) + "\n")
    print(f"wrote {os.path.join(a.output, 'compare.md')} and compare.json")
    for f in failures:
        print(f"compare: {f} failed", file=sys.stderr)
    return 1 if failures else 0


def fmt(value):
    return f"{value:,.0f}" if value else "n/a"


def pct(value):
    return f"{100 * value:.1f} %" if value is not None else "n/a"


def render(ours, rows, peer_rows, peak_used, a):
    m = ours["machine"]
    peak = ours["peak"]
    peer_names = sorted({r["peer"] for r in peer_rows}, key=lambda n: n != "pytorch")
    lines = [f"# CnnNative vs peers, batch 100, Adam ({ours['date'][:16].replace('T', ' ')})", "",
             f"Machine: {m['cpu']}, {m['logicalCores']} logical cores, {m.get('simd', '?')}; "
             f"load average: ours {m.get('loadAverageAtStart')} → {m.get('loadAverageAtEnd')}, "
             + ", ".join(f"{r['peer']} {r['model']} {r['loadAverage']}" for r in peer_rows) + ".",
             f"Measured FMA peak in this run ({peak['vector']}): {peak['oneCore']:.1f} GFLOP/s on one core, "
             f"{peak['allCores']:.1f} on {peak['cores']}, {peak['perCpuSecond']:.1f} per CPU-second; "
             f"% peak below is of {peak_used:.1f} GFLOP/s (the threads used).", ""]
    for r in peer_rows:
        extra = f", {r['threads']} threads" if r.get("threads") else ""
        note = f" — {r['note']}" if r.get("note") else ""
        lines.append(f"- {r['peer']} {r.get('version')}{extra}, {r['model']}: training {r['training']:,.0f} images/s "
                     f"({fmt(r['trainingPerCpu'])} per CPU-s, {pct(r['trainingPeak'])} of peak), "
                     f"inference {r['inference']:,.0f} images/s ({fmt(r['inferencePerCpu'])} per CPU-s, {pct(r['inferencePeak'])} of peak){note}")
    lines += ["", "| model | provider | training images/s | GFLOP/s | % peak | " + " | ".join(f"× {n}" for n in peer_names)
              + " | inference images/s | GFLOP/s | % peak | " + " | ".join(f"× {n}" for n in peer_names) + " |",
              "|---|---|---:|---:|---:|" + "---:|" * len(peer_names) + "---:|---:|---:|" + "---:|" * len(peer_names)]

    def ratios(r, phase):
        return " | ".join(f"{r[n][phase]:.2f}" if n in r else "" for n in peer_names)
    for r in rows:
        lines.append(f"| {r['model']} | {r['provider']} | {r['training']:,.0f} | {r['trainingGflops']:.1f} | {pct(r['trainingPeak'])} | "
                     + ratios(r, "training")
                     + f" | {r['inference']:,.0f} | {r['inferenceGflops']:.1f} | {pct(r['inferencePeak'])} | " + ratios(r, "inference") + " |")
    for r in peer_rows:
        lines.append(f"| {r['model']} | *{r['peer']}* | {r['training']:,.0f} | {r['trainingGflops'] or 0:.1f} | {pct(r['trainingPeak'])} | "
                     + " | ".join("" for _ in peer_names)
                     + f" | {r['inference']:,.0f} | {r['inferenceGflops'] or 0:.1f} | {pct(r['inferencePeak'])} | " + " | ".join("" for _ in peer_names) + " |")
    lines += ["", "Per CPU-second of the whole process (robust to a loaded machine; ≈ per-core throughput):", "",
              "| model | provider | training images/CPU-s | " + " | ".join(f"× {n}" for n in peer_names)
              + " | inference images/CPU-s | " + " | ".join(f"× {n}" for n in peer_names) + " |",
              "|---|---|---:|" + "---:|" * len(peer_names) + "---:|" + "---:|" * len(peer_names)]
    for r in rows:
        lines.append(f"| {r['model']} | {r['provider']} | {fmt(r['trainingPerCpu'])} | "
                     + ratios(r, "trainingPerCpu")
                     + f" | {fmt(r['inferencePerCpu'])} | " + ratios(r, "inferencePerCpu") + " |")
    lines += ["", f"Command: `./build.sh compare{' --threads ' + str(a.threads) if a.threads else ''}` (ours: `{ours['command']}`, "
                  f"threads: {'--threads ' + str(a.threads) if a.threads else 'all cores'}; windows {a.windows} × {a.seconds} s; "
                  f"numpy capped at {a.numpy_max_steps} timed steps per phase).",
              "GFLOP/s: images/s × the model's multiply-adds per image × 2 (convolutions and affine layers; training adds the "
              "weight- and input-gradient products), the same count for both sides whatever algorithm runs.",
              "On a loaded machine a multi-threaded PyTorch loses most (its OpenMP threads spin at every barrier while "
              "waiting for a core), so its per-CPU-second figure drops too; compare with --threads 1 for per-core efficiency.", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
