#!/usr/bin/env python3
"""Side by side on one machine, one after another: `cnn bench --models simple-conv` (every
provider that starts), the PyTorch peer and the seeds' numpy peer, all training the book's
SimpleConvNet with batch 100 and Adam on Fashion-MNIST and timed the same way (median of
windows after a warm-up). Prints the images/s of each and our ratio to each peer, and writes
compare.json and compare.md next to the three reports in --output.

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


def ratio(ours, theirs):
    return ours / theirs if ours and theirs else float("nan")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--cnn", required=True, help="command that runs the cnn tool, e.g. 'dotnet path/cnn.dll'")
    p.add_argument("--output", default="bench-results/compare")
    p.add_argument("--windows", type=int, default=5)
    p.add_argument("--seconds", type=float, default=2.0)
    p.add_argument("--threads", type=int, default=None,
                   help="threads for both sides (PyTorch intra-op; our providers' Threads settings and pocl's "
                        "POCL_MAX_PTHREAD_COUNT). Default: all cores. --threads 1 compares per-core efficiency, "
                        "which a loaded machine distorts least")
    p.add_argument("--numpy-max-steps", type=int, default=300)
    p.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    a = p.parse_args()
    os.makedirs(a.output, exist_ok=True)
    ours_json = os.path.join(a.output, "throughput.json")
    torch_json = os.path.join(a.output, "pytorch.json")
    numpy_json = os.path.join(a.output, "numpy.json")
    timing = ["--windows", str(a.windows), "--seconds", str(a.seconds), "--data", a.data]

    threads = a.threads or os.cpu_count() or 2
    ours_env = dict(os.environ)
    if a.threads:
        n = str(a.threads)
        ours_env.update({"CNN_Compute__Managed__Threads": n, "CNN_Compute__OpenBlas__Threads": n,
                         "CNN_Compute__OpenBlas__KernelThreads": n, "POCL_MAX_PTHREAD_COUNT": n})
    failures = []
    if run(shlex.split(a.cnn) + ["bench", "--models", "simple-conv", "--output", a.output] + timing, env=ours_env) != 0:
        failures.append("cnn bench")
    torch_env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    if run([sys.executable, os.path.join(HERE, "torch_simple_conv.py"), "--output", torch_json,
            "--threads", str(threads)] + timing, env=torch_env) != 0:
        failures.append("pytorch peer (is python3-torch installed? apt-get install python3-torch)")
    print(f"numpy peer: timed steps capped at {a.numpy_max_steps} per phase to keep the run short", flush=True)
    if run([sys.executable, os.path.join(HERE, "numpy_simple_conv.py"), "--output", numpy_json,
            "--max-steps", str(a.numpy_max_steps), "--windows", "3", "--seconds", "10", "--data", a.data]) != 0:
        failures.append("numpy peer (apt-get install python3-numpy)")

    ours = load(ours_json) if os.path.exists(ours_json) and "cnn bench" not in failures else None
    peers = {name: load(path) for name, path in (("pytorch", torch_json), ("numpy", numpy_json))
             if os.path.exists(path) and not any(f.startswith(name) for f in failures)}
    if ours is None:
        print("compare: no result from cnn bench; nothing to compare", file=sys.stderr)
        return 1
    rows = []
    for r in ours["results"]:
        if r["model"] != "simple-conv":
            continue
        row = {"provider": r["provider"],
               "training": r["training"]["median"], "inference": r["inference"]["median"],
               "trainingPerCpu": r["training"].get("imagesPerCpuSecond"), "inferencePerCpu": r["inference"].get("imagesPerCpuSecond")}
        for name, peer in peers.items():
            row[name] = {"training": ratio(row["training"], peer["training"]["imagesPerSecond"]),
                         "inference": ratio(row["inference"], peer["inference"]["imagesPerSecond"]),
                         "trainingPerCpu": ratio(row["trainingPerCpu"], peer["training"].get("imagesPerCpuSecond")),
                         "inferencePerCpu": ratio(row["inferencePerCpu"], peer["inference"].get("imagesPerCpuSecond"))}
        rows.append(row)

    md = render(ours, peers, rows, a)
    print()
    print(md)
    write_atomic(os.path.join(a.output, "compare.md"), md)
    write_atomic(os.path.join(a.output, "compare.json"), json.dumps(
        {"ours": rows, "peers": {k: {"training": v["training"]["imagesPerSecond"], "inference": v["inference"]["imagesPerSecond"],
                                     "trainingPerCpu": v["training"].get("imagesPerCpuSecond"),
                                     "inferencePerCpu": v["inference"].get("imagesPerCpuSecond"),
                                     "version": v.get("version"), "note": v.get("note")} for k, v in peers.items()},
         "loadAverage": {"ours": ours["machine"].get("loadAverageAtStart"),
                         **{k: v.get("loadAverage") for k, v in peers.items()}}}, indent=2) + "\n")
    print(f"wrote {os.path.join(a.output, 'compare.md')} and compare.json")
    for f in failures:
        print(f"compare: {f} failed", file=sys.stderr)
    return 1 if failures else 0


def fmt(value):
    return f"{value:,.0f}" if value else "n/a"


def render(ours, peers, rows, a):
    m = ours["machine"]
    lines = [f"# simple-conv, batch 100, Adam: CnnNative vs peers ({ours['date'][:16].replace('T', ' ')})", "",
             f"Machine: {m['cpu']}, {m['logicalCores']} logical cores, {m.get('simd', '?')}; "
             f"load average at start: ours {m.get('loadAverageAtStart')}, "
             + ", ".join(f"{k} {v.get('loadAverage')}" for k, v in peers.items()) + ".", ""]
    for name, peer in peers.items():
        extra = f", {peer['threads']} threads, env {peer.get('environment')}" if "threads" in peer else ""
        note = f" — {peer['note']}" if peer.get("note") else ""
        lines.append(f"- {name} {peer.get('version')}{extra}: training {peer['training']['imagesPerSecond']:,.0f} images/s "
                     f"({fmt(peer['training'].get('imagesPerCpuSecond'))} per CPU-s), "
                     f"inference {peer['inference']['imagesPerSecond']:,.0f} images/s "
                     f"({fmt(peer['inference'].get('imagesPerCpuSecond'))} per CPU-s){note}")
    lines += ["", "| provider | training images/s | " + " | ".join(f"× {n} (train)" for n in peers)
              + " | inference images/s | " + " | ".join(f"× {n} (infer)" for n in peers) + " |",
              "|---|---:|" + "---:|" * len(peers) + "---:|" + "---:|" * len(peers)]
    for r in rows:
        lines.append(f"| {r['provider']} | {r['training']:,.0f} | "
                     + " | ".join(f"{r[n]['training']:.2f}" for n in peers)
                     + f" | {r['inference']:,.0f} | " + " | ".join(f"{r[n]['inference']:.2f}" for n in peers) + " |")
    lines += ["", "Per CPU-second of the whole process (robust to a loaded machine; ≈ per-core throughput):", "",
              "| provider | training images/CPU-s | " + " | ".join(f"× {n}" for n in peers)
              + " | inference images/CPU-s | " + " | ".join(f"× {n}" for n in peers) + " |",
              "|---|---:|" + "---:|" * len(peers) + "---:|" + "---:|" * len(peers)]
    for r in rows:
        lines.append(f"| {r['provider']} | {fmt(r['trainingPerCpu'])} | "
                     + " | ".join(f"{r[n]['trainingPerCpu']:.2f}" for n in peers)
                     + f" | {fmt(r['inferencePerCpu'])} | " + " | ".join(f"{r[n]['inferencePerCpu']:.2f}" for n in peers) + " |")
    threads = f"--threads {a.threads}" if a.threads else "all cores"
    lines += ["", f"Command: `./build.sh compare{' --threads ' + str(a.threads) if a.threads else ''}` (ours: `{ours['command']}`, "
                  f"threads: {threads}; windows {a.windows} × {a.seconds} s; numpy capped at {a.numpy_max_steps} timed steps per phase).",
              "On a loaded machine a multi-threaded PyTorch loses most (its OpenMP threads spin at every barrier while "
              "waiting for a core), so its per-CPU-second figure drops too; compare with --threads 1 for per-core efficiency.", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
