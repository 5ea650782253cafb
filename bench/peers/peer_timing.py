"""The timing protocol `cnn bench` uses, for the peer scripts: an untimed warm-up (at least
two steps), then timed windows that each run whole steps until their length has passed;
images/s per window, the median reported. Progress goes to stderr, the result to stdout as JSON.
"""
import json
import os
import statistics
import sys
import time


def measure(step, windows, seconds, warmup, label, max_steps=None):
    """step() runs one batch and returns its image count. Returns a dict for the JSON report.

    max_steps caps the timed steps (the slow numpy peer); fewer windows may then complete.
    """
    start, images, steps = time.perf_counter(), 0, 0
    while steps < 2 or time.perf_counter() - start < warmup:
        images += step()
        steps += 1
    _progress(f"{label}: warm-up done ({images / (time.perf_counter() - start):,.0f} images/s)")

    rates, total_images, total_steps, total_seconds = [], 0, 0, 0.0
    cpu_start = time.process_time()  # every thread of the process, as `cnn bench` counts it
    for w in range(1, windows + 1):
        start, images, steps = time.perf_counter(), 0, 0
        while steps < 1 or time.perf_counter() - start < seconds:
            images += step()
            steps += 1
            if max_steps is not None and total_steps + steps >= max_steps:
                break
        elapsed = time.perf_counter() - start
        rates.append(images / elapsed)
        total_images, total_steps, total_seconds = total_images + images, total_steps + steps, total_seconds + elapsed
        _progress(f"{label}: window {w}/{windows}: {rates[-1]:,.0f} images/s")
        if max_steps is not None and total_steps >= max_steps:
            _progress(f"{label}: stopped after {total_steps} timed steps (--max-steps)")
            break
    cpu_seconds = time.process_time() - cpu_start
    return {
        "imagesPerSecond": statistics.median(rates),
        "imagesPerCpuSecond": total_images / cpu_seconds if cpu_seconds > 0 else None,
        "cpuSeconds": cpu_seconds,
        "windows": rates,
        "images": total_images,
        "steps": total_steps,
        "seconds": total_seconds,
    }


def load_average():
    try:
        return " ".join(f"{v:.2f}" for v in os.getloadavg())
    except OSError:
        return None


def emit(report, output):
    """Prints the report as JSON on stdout and, with output, writes it atomically to that file."""
    text = json.dumps(report, indent=2) + "\n"
    sys.stdout.write(text)
    if output:
        folder = os.path.dirname(os.path.abspath(output))
        os.makedirs(folder, exist_ok=True)
        temp = output + f".{os.getpid()}.tmp"
        with open(temp, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(temp, output)


def _progress(text):
    print(text, file=sys.stderr, flush=True)
