#!/usr/bin/env bash
# Data-parallel scaling on this machine: 1 rank × 2 threads against 2 ranks × 1 thread (Open MPI,
# shared memory), one epoch each of simple-conv (all 60,000 Fashion-MNIST images) and vgg-small
# (a 6,000-image subset, so its epoch stays near a minute). Prints a Markdown table and writes it
# to bench-results/scaling.md. Usage: bench/distributed/scaling.sh "dotnet path/to/cnn.dll"
set -euo pipefail
cnn="${1:?usage: scaling.sh \"dotnet path/to/cnn.dll\"}"
data="${CNN_SCALING_DATA:-/usr/share/datasets/fashion-mnist}"
work=$(mktemp -d -t cnn-scaling-XXXXXX)
trap 'rm -rf "$work"' EXIT
here=$(cd "$(dirname "$0")" && pwd)
python3 "$here/subset.py" "$data" "$work/subset" 6000 1000
mpi=(mpirun --allow-run-as-root --oversubscribe -np 2 --mca btl self,vader --mca oob_tcp_if_include lo
     -x CNN_Compute__Provider -x CNN_Compute__Managed__Threads)
export CNN_Compute__Provider=managed

run() { # label threads ranks model data -> "images/s|allreduce line"
  local out threads=$2 ranks=$3 model=$4 folder=$5
  export CNN_Compute__Managed__Threads=$threads
  local args=(train --model "$model" --data "$folder" --epochs 1 --output "$work/$1-$model")
  if [ "$ranks" -gt 1 ]; then out=$("${mpi[@]}" $cnn "${args[@]}" 2>&1 | cat); else out=$($cnn "${args[@]}" 2>&1 | cat); fi
  local ips comm
  ips=$(grep -oE '[0-9]+ images/s' <<<"$out" | tail -1 | cut -d' ' -f1)
  comm=$(grep -E '^all-reduce:' <<<"$out" | sed -E 's/^all-reduce: [0-9]+ steps of [0-9,]+ values, ([0-9.]+) ms each, ([0-9.]+) %.*/\1 ms|\2 %/' || true)
  [ -n "$ips" ] || { echo "$out" >&2; echo "scaling.sh: no images/s in the output of $model ($1)" >&2; exit 1; }
  echo "$ips|${comm:-—|—}"
}

{
  echo "Data-parallel scaling, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "| model (images per epoch) | 1 rank × 2 threads | 2 ranks × 1 thread | ratio | all-reduce per step | share of training time |"
  echo "|---|---|---|---|---|---|"
  for pair in "simple-conv:$data:60000" "vgg-small:$work/subset:6000"; do
    IFS=: read -r model folder count <<<"$pair"
    one=$(run one 2 1 "$model" "$folder")
    two=$(run two 1 2 "$model" "$folder")
    ips1=${one%%|*}; ips2=${two%%|*}; rest=${two#*|}
    ratio=$(python3 -c "print(f'{$ips2/$ips1:.2f}')")
    echo "| $model ($count) | $ips1 images/s | $ips2 images/s | $ratio× | ${rest%%|*} | ${rest#*|} |"
  done
} | tee "$work/scaling.md"
mkdir -p bench-results && cp "$work/scaling.md" bench-results/scaling.md
