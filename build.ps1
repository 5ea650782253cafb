# CnnNative build entry point for Windows: .\build.ps1 test | pack | sample | train [cnn train options] | cnn ARGS | bench [filter] | compare | deps | gpu-kit | scaling
# Mirrors build.sh. Native libraries are not installed by this script on Windows: put
# libopenblas.dll and an OpenCL driver where native/README.md says.
param([Parameter(Position = 0)][string]$Command = "help", [Parameter(ValueFromRemainingArguments = $true)][string[]]$Rest = @())
$ErrorActionPreference = "Stop"
Set-Location $PSScriptRoot
$Config = "Release"
$Cnn = "src/CnnNative.Cli/bin/$Config/net10.0/cnn.dll"

function Invoke-Checked([string]$exe, [string[]]$arguments) {
    & $exe @arguments
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
}

function Build {
    Invoke-Checked dotnet @("restore", "CnnNative.sln", "--nologo", "-v", "quiet")
    Invoke-Checked dotnet @("build", "CnnNative.sln", "-c", $Config, "--no-restore", "--nologo", "-v", "quiet", "-clp:ErrorsOnly")
}

$Feed = "artifacts/packages"
$Version = "0.1.0"

# Every library as a NuGet package and cnn as a .NET tool, into the local feed $Feed.
function Pack {
    Build
    if (Test-Path $Feed) { Remove-Item -Recurse -Force $Feed }
    $commit = (git rev-parse HEAD 2>$null); if (-not $commit) { $commit = "unknown" }
    $repo = @("-p:RepositoryCommit=$commit")
    $url = (git remote get-url origin 2>$null); if ($url) { $repo += "-p:RepositoryUrl=$url" }
    Invoke-Checked dotnet (@("pack", "CnnNative.sln", "-c", $Config, "--no-build", "--nologo", "-v", "quiet", "-o", $Feed, "-p:Version=$Version") + $repo)
    # Consumers restore from the feed; drop older copies of the same version from the NuGet cache.
    $cache = ((dotnet nuget locals global-packages --list) -replace '^global-packages: ', '')
    Get-ChildItem -Path $cache -Filter "cnnnative.*" -Directory -ErrorAction SilentlyContinue | Remove-Item -Recurse -Force
    Get-ChildItem $Feed | ForEach-Object { Write-Host $_.Name }
}

switch ($Command) {
    "deps" { Write-Host "On Windows install OpenBLAS (libopenblas.dll) and an OpenCL driver yourself; see native/README.md." }
    "test" {
        Build
        Invoke-Checked dotnet (@("test", "tests/CnnNative.Tests/CnnNative.Tests.csproj", "-c", $Config, "--no-build", "--nologo", "--logger", "console;verbosity=normal") + $Rest)
    }
    "pack" { Pack }
    "sample" {
        # As a user would: install the tool from the feed, then build and run samples/ against the packages.
        Pack
        if (Test-Path "artifacts/tool") { Remove-Item -Recurse -Force "artifacts/tool" }
        Invoke-Checked dotnet @("tool", "install", "--tool-path", "artifacts/tool", "--add-source", $Feed, "CnnNative.Cli", "--version", $Version)
        Invoke-Checked "artifacts/tool/cnn" @("providers")
        Invoke-Checked dotnet (@("run", "--project", "samples/ResidualTraining", "-c", $Config, "-p:CnnNativeVersion=$Version", "--") + $Rest)
    }
    "train" { Build; Invoke-Checked dotnet (@($Cnn, "train", "--model", "simple-conv") + $Rest) }
    "cnn" { Build; Invoke-Checked dotnet (@($Cnn) + $Rest) }
    "bench" {
        Build
        $filter = if ($Rest.Count -gt 0) { $Rest[0] } else { "*" }
        $more = if ($Rest.Count -gt 1) { $Rest[1..($Rest.Count - 1)] } else { @() }
        Invoke-Checked dotnet (@("bench/CnnNative.Bench/bin/$Config/net10.0/CnnNative.Bench.dll", "--filter", $filter, "--job", "short", "--buildTimeout", "1200") + $more)
    }
    "compare" {
        Build
        # PyTorch and numpy are only the comparison's peers: pip install torch numpy (never a project dependency).
        $py = if (Get-Command python3 -ErrorAction SilentlyContinue) { "python3" } else { "python" }
        Invoke-Checked $py (@("bench/peers/compare.py", "--cnn", "dotnet $Cnn") + $Rest)
    }
    "scaling" {
        # Data-parallel training binds Open MPI (libmpi.so.40); MS-MPI's integer handles are not supported (native/README.md).
        Write-Host "scaling runs under Open MPI on Linux: run ./build.sh scaling there (or in WSL); see docs/distributed.md."
        exit 2
    }
    "gpu-kit" {
        # The kit bundles Debian's OpenCL ICD loader and runs on Linux GPU machines: build it on Linux (or WSL).
        Write-Host "gpu-kit is built on Linux: run ./build.sh gpu-kit there (or in WSL); see bench/gpu/README.md."
        exit 2
    }
    default {
        Write-Host @"
usage: .\build.ps1 <command>
  test            restore, build Release, run every test
  pack            NuGet packages of every library and the cnn tool into artifacts/packages
  sample          pack, install cnn from that feed, run samples/ResidualTraining against the packages
  train [opts]    train simple-conv on Fashion-MNIST (extra options go to 'cnn train')
  cnn ARGS        run the cnn tool with ARGS (after building)
  bench [filter]  run BenchmarkDotNet suites matching filter (short job)
  compare [opts]  simple-conv images/s: cnn bench vs PyTorch vs the seeds' numpy, with ratios
  deps            where to get the native libraries on Windows
  gpu-kit         (Linux only: ./build.sh gpu-kit) the self-contained kit for a GPU machine
  scaling         (Linux only: ./build.sh scaling) data-parallel scaling over Open MPI
"@
        if ($Command -ne "help") { exit 2 }
    }
}
