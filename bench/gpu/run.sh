#!/usr/bin/env bash
# The GPU kit's runner (built by `./build.sh gpu-kit`, see README.md beside it). On a bare
# Linux machine with a GPU driver — no .NET, no internet — it finds the vendor's OpenCL driver,
# registers it through an ICD file in a private vendors folder (OCL_ICD_VENDORS, read by the
# kit's own ICD loader in runtimes/linux-x64/native), then runs, each step under a time limit:
#   cnn providers · cnn check --provider opencl · cnn gemm · cnn bench (simple-conv, vgg-small)
#   · cnn bench vgg16 (224×224 RGB) · the PyTorch-on-CUDA peers (torch_cuda.py: matmul GFLOP/s
#   and the same three models)
# and writes report.md and report.json (plus every step's raw output) into the results folder.
#
# usage: ./run.sh [RESULTS_DIR]
#   CNN_KIT_VENDOR_LIB=/path/libX.so   use this OpenCL driver instead of searching
#   CNN_KIT_BUDGET=480                  total seconds (the steps' limits are scaled to it)
#   PYTHON=python3                      the interpreter with PyTorch
set -uo pipefail
KIT="$(cd "$(dirname "$0")" && pwd)"
OUT="${1:-$KIT/results-$(date -u +%Y%m%d-%H%M%S)}"
BUDGET="${CNN_KIT_BUDGET:-480}"
PYTHON="${PYTHON:-python3}"
mkdir -p "$OUT/vendors" "$OUT/data"
OUT="$(cd "$OUT" && pwd)"
START=$(date +%s)
: > "$OUT/steps.tsv"

log() { echo "[$(( $(date +%s) - START ))s] $*" | tee -a "$OUT/run.log" >&2; }

# run NAME SECONDS CMD...: stdout+stderr to NAME.txt, one line in steps.tsv (name, exit code, seconds).
run() {
  local name="$1" limit="$2"; shift 2
  local left=$(( BUDGET - ( $(date +%s) - START ) - 5 ))
  [ "$limit" -gt "$left" ] && limit="$left"
  if [ "$limit" -le 5 ]; then
    log "$name: skipped, the time budget is spent"
    printf '%s\t%s\t%s\n' "$name" "skipped" 0 >> "$OUT/steps.tsv"
    return
  fi
  log "$name (limit ${limit}s): $*"
  local t0=$(date +%s)
  timeout --kill-after=10 "$limit" "$@" > "$OUT/$name.txt" 2>&1
  local rc=$?
  printf '%s\t%s\t%s\n' "$name" "$rc" "$(( $(date +%s) - t0 ))" >> "$OUT/steps.tsv"
  log "$name: exit $rc after $(( $(date +%s) - t0 ))s"
}

# ── 1. the vendor's OpenCL driver ─────────────────────────────────────────────────────────
# GPU drivers first; pocl (OpenCL on the CPU) only when there is none, so the kit also runs
# (and was tested) on a machine without a GPU.
GPU_DRIVERS="libnvidia-opencl.so.1 libamdocl64.so libamdocl-orca64.so libigdrcl.so"
DIRS="/usr/lib/x86_64-linux-gnu /usr/lib64 /usr/lib /lib/x86_64-linux-gnu /usr/local/nvidia/lib64 /usr/local/nvidia/lib \
/usr/lib/x86_64-linux-gnu/nvidia/current /usr/local/cuda/lib64 /usr/local/cuda/compat /opt/rocm/lib /opt/rocm/opencl/lib /opt/amdgpu/lib64"

find_driver() {  # prints the first file found for driver name $1
  local name="$1" dir hit
  for dir in $DIRS; do [ -e "$dir/$name" ] && { echo "$dir/$name"; return; }; done
  hit=$(ldconfig -p 2>/dev/null | awk -v n="$name" '$1 == n && !found { print $NF; found = 1 }')
  [ -n "$hit" ] && [ -e "$hit" ] && { echo "$hit"; return; }
  # The driver's folder: where libcuda.so.1 lives, NVIDIA puts its OpenCL library too.
  hit=$(ldconfig -p 2>/dev/null | awk '$1 == "libcuda.so.1" && !found { print $NF; found = 1 }')
  [ -n "$hit" ] && [ -e "$(dirname "$hit")/$name" ] && echo "$(dirname "$hit")/$name"
}

FOUND="${CNN_KIT_VENDOR_LIB:-}"
if [ -z "$FOUND" ]; then
  for name in $GPU_DRIVERS; do
    lib=$(find_driver "$name")
    [ -n "$lib" ] && FOUND="$FOUND $lib"
  done
  if [ -z "$FOUND" ]; then  # one slow search of the whole tree before settling for the CPU
    FOUND=$(timeout 30 find /usr /opt /lib -maxdepth 6 \( -name libnvidia-opencl.so.1 -o -name libamdocl64.so -o -name libigdrcl.so \) 2>/dev/null | head -1)
  fi
  [ -z "$FOUND" ] && FOUND=$(find_driver libpocl.so.2)
fi
for lib in $FOUND; do
  base=$(basename "$lib"); base="${base%%.so*}"
  echo "$lib" > "$OUT/vendors/${base#lib}.icd"
  log "OpenCL driver: $lib (registered in $OUT/vendors/${base#lib}.icd)"
done
if [ -z "$FOUND" ]; then
  log "no OpenCL driver found in: $DIRS (nor through ldconfig); set CNN_KIT_VENDOR_LIB=/path/to/libnvidia-opencl.so.1"
else
  export OCL_ICD_VENDORS="$OUT/vendors"
fi

# ── 2. data: the kit carries Fashion-MNIST's test split; the benches train on it ─────────────
for f in images-idx3-ubyte.gz labels-idx1-ubyte.gz; do
  ln -sf "$KIT/data/t10k-$f" "$OUT/data/t10k-$f"
  ln -sf "$KIT/data/t10k-$f" "$OUT/data/train-$f"
done

# ── 3. the steps ────────────────────────────────────────────────────────────────────────────
CNN="$KIT/cnn"
export DOTNET_BUNDLE_EXTRACT_BASE_DIR="${DOTNET_BUNDLE_EXTRACT_BASE_DIR:-$OUT/.bundle}"
export CNN_Compute__OpenCl__DeviceType="${CNN_Compute__OpenCl__DeviceType:-any}"
run providers 60 "$CNN" providers
run check 150 "$CNN" check --provider opencl --json "$OUT/check.json"
run gemm 90 "$CNN" gemm --provider opencl
run bench 150 "$CNN" bench --providers opencl --models simple-conv,vgg-small --windows 3 --seconds 2 \
  --data "$OUT/data" --output "$OUT/bench"
# VGG16 (seed 002) on random 224×224 RGB images, at the largest batch the 3 GiB memory bound allows.
run bench-vgg16 150 "$CNN" bench --providers opencl --models vgg16 --windows 2 --seconds 2 --output "$OUT/bench-vgg16"
if command -v "$PYTHON" > /dev/null; then
  # The peer trains VGG16 at the batch cnn bench chose (2 unless the bound changes).
  VGG16_BATCH=$("$PYTHON" -c 'import json, sys; print(json.load(open(sys.argv[1]))["results"][0]["batchSize"])' \
    "$OUT/bench-vgg16/throughput.json" 2>/dev/null || echo 2)
  run torch 180 "$PYTHON" "$KIT/torch_cuda.py" --data "$OUT/data" --output "$OUT/torch.json" --vgg16-batch "$VGG16_BATCH"
else
  log "torch: skipped, no $PYTHON"
fi

# ── 4. one report ───────────────────────────────────────────────────────────────────────────
printf 'total\t0\t%s\n' "$(( $(date +%s) - START ))" >> "$OUT/steps.tsv"
if command -v "$PYTHON" > /dev/null; then
  "$PYTHON" "$KIT/kit_report.py" "$OUT" && log "report: $OUT/report.md, $OUT/report.json"
else
  log "no $PYTHON for the report; the raw outputs are in $OUT"
fi
log "done in $(( $(date +%s) - START ))s"
