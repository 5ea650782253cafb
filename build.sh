#!/usr/bin/env bash
# CnnNative build entry point: ./build.sh test | pack | sample | train [cnn train options] | bench [filter] | compare | deps | gpu-kit
# Installs the Debian packages the providers and the default data set need (apt-get when
# root, otherwise prints the exact command), then restores, builds Release and runs.
set -euo pipefail
cd "$(dirname "$0")"

DEBIAN_PACKAGES=(libopenblas0-pthread ocl-icd-libopencl1 pocl-opencl-icd clinfo dataset-fashion-mnist)
# Only the tests need these: headless Chromium renders report.html (CNN_REQUIRE_CHROMIUM=1 in CI);
# Open MPI runs the data-parallel equivalence test under mpirun (CNN_REQUIRE_MPI=1 in CI).
TEST_PACKAGES=(chromium openmpi-bin libopenmpi3)
CONFIG=Release

# Only for `compare`: the peers it measures against (never a project dependency).
PEER_PACKAGES=(python3-torch python3-numpy)

ensure_packages() {
  local wanted=("${DEBIAN_PACKAGES[@]}" "$@")
  command -v dpkg-query >/dev/null 2>&1 || { echo "build.sh: not a Debian system; install OpenBLAS, an OpenCL ICD loader + driver and Fashion-MNIST yourself (see native/README.md)."; return 0; }
  local missing=()
  for p in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -eq 0 ]; then
    echo "build.sh: installing ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "build.sh: missing Debian packages. Run:"
    echo "  sudo apt-get install -y ${missing[*]}"
    exit 1
  fi
}

build() {
  dotnet restore CnnNative.sln --nologo -v quiet
  dotnet build CnnNative.sln -c "$CONFIG" --no-restore --nologo -v quiet -clp:ErrorsOnly
}

FEED=artifacts/packages
VERSION=0.1.0

# Every library as a NuGet package and cnn as a .NET tool, into the local feed $FEED.
pack() {
  build
  rm -rf "$FEED"
  local repo=(-p:RepositoryCommit="$(git rev-parse HEAD 2>/dev/null || echo unknown)")
  local url; url="$(git remote get-url origin 2>/dev/null || true)"
  [ -n "$url" ] && repo+=(-p:RepositoryUrl="$url")
  dotnet pack CnnNative.sln -c "$CONFIG" --no-build --nologo -v quiet -o "$FEED" -p:Version="$VERSION" "${repo[@]}"
  # Consumers restore from the feed; drop older copies of the same version from the NuGet cache.
  local cache; cache="$(dotnet nuget locals global-packages --list | sed 's/^global-packages: //')"
  rm -rf "$cache"/cnnnative.*
  echo "build.sh: packages in $FEED:"; ls "$FEED"
}

cmd="${1:-help}"
[ $# -gt 0 ] && shift
case "$cmd" in
  deps)
    ensure_packages ;;
  test)
    ensure_packages "${TEST_PACKAGES[@]}"
    build
    dotnet test tests/CnnNative.Tests/CnnNative.Tests.csproj -c "$CONFIG" --no-build --nologo \
      --logger "console;verbosity=normal" "$@" ;;
  pack)
    pack ;;
  sample)
    # As a user would: install the tool from the feed, then build and run samples/ against the packages.
    ensure_packages
    pack
    rm -rf artifacts/tool
    dotnet tool install --tool-path artifacts/tool --add-source "$FEED" CnnNative.Cli --version "$VERSION"
    artifacts/tool/cnn providers
    dotnet run --project samples/ResidualTraining -c "$CONFIG" -p:CnnNativeVersion="$VERSION" -- "$@" ;;
  train)
    ensure_packages
    build
    dotnet src/CnnNative.Cli/bin/$CONFIG/net10.0/cnn.dll train --model simple-conv "$@" ;;
  cnn)
    ensure_packages
    build
    dotnet src/CnnNative.Cli/bin/$CONFIG/net10.0/cnn.dll "$@" ;;
  bench)
    ensure_packages
    build
    filter="${1:-*}"
    [ $# -gt 0 ] && shift
    dotnet bench/CnnNative.Bench/bin/$CONFIG/net10.0/CnnNative.Bench.dll --filter "$filter" --job short --buildTimeout 1200 "$@" ;;
  scaling)
    ensure_packages openmpi-bin libopenmpi3
    build
    bench/distributed/scaling.sh "dotnet src/CnnNative.Cli/bin/$CONFIG/net10.0/cnn.dll" ;;
  compare)
    ensure_packages "${PEER_PACKAGES[@]}"
    build
    # Debian's interpreter: python3-torch and python3-numpy install for /usr/bin/python3.
    py=/usr/bin/python3; [ -x "$py" ] || py=python3
    "$py" bench/peers/compare.py --cnn "dotnet src/CnnNative.Cli/bin/$CONFIG/net10.0/cnn.dll" "$@" ;;
  gpu-kit)
    # Everything bench/gpu/run.sh needs on a GPU machine without .NET or internet (see
    # bench/gpu/README.md): a self-contained linux-x64 `cnn` (one compressed file, untrimmed, so
    # reflection-based configuration binding and JSON keep working), the OpenCL ICD loader in
    # runtimes/linux-x64/native (the provider's search looks there first), Fashion-MNIST's
    # test split and the PyTorch peers. Built under artifacts/ (ignored) with its own obj/bin.
    ensure_packages
    kit=artifacts/gpu-kit
    rm -rf "$kit"
    mkdir -p "$kit/runtimes/linux-x64/native" "$kit/data" "$kit/peers"
    dotnet publish src/CnnNative.Cli/CnnNative.Cli.csproj -c "$CONFIG" -r linux-x64 --self-contained \
      -p:PublishSingleFile=true -p:EnableCompressionInSingleFile=true -p:DebugType=none \
      --artifacts-path artifacts/gpu-kit-build -o "$kit" --nologo -v quiet -clp:ErrorsOnly
    loader=$(ldconfig -p | awk '$1 == "libOpenCL.so.1" && /x86-64/ && !found { print $NF; found = 1 }')
    [ -n "$loader" ] || { echo "build.sh: libOpenCL.so.1 not found (apt-get install ocl-icd-libopencl1)"; exit 1; }
    cp -L "$loader" "$kit/runtimes/linux-x64/native/libOpenCL.so.1"
    cp /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz /usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz "$kit/data/"
    cp bench/gpu/run.sh bench/gpu/torch_cuda.py bench/gpu/kit_report.py bench/gpu/README.md "$kit/"
    cp bench/peers/torch_models.py bench/peers/fashion_mnist.py bench/peers/peer_timing.py "$kit/peers/"
    echo "GPU kit: $kit ($(du -sh --apparent-size "$kit" | cut -f1)); copy the folder to the GPU machine and run ./run.sh there" ;;
  *)
    cat <<'USAGE'
usage: ./build.sh <command>
  test            restore, build Release, run every test
  pack            NuGet packages of every library and the cnn tool into artifacts/packages
  sample          pack, install cnn from that feed, run samples/ResidualTraining against the packages
  train [opts]    train simple-conv on Fashion-MNIST (extra options go to `cnn train`)
  cnn ARGS        run the cnn tool with ARGS (after building)
  bench [filter]  run BenchmarkDotNet suites matching filter (short job)
  compare [opts]  images/s of simple-conv, two-conv-bn, vgg-small, resnet-small: cnn bench vs PyTorch (and the seeds' numpy), with ratios
  scaling         data-parallel scaling: 1 rank × 2 threads vs 2 ranks × 1 thread (Open MPI), simple-conv and vgg-small
  deps            install the Debian packages the providers and data need (test also installs chromium)
  gpu-kit         self-contained linux-x64 cnn + OpenCL loader + bench/gpu scripts in artifacts/gpu-kit
USAGE
    [ "$cmd" = help ] || exit 2 ;;
esac
