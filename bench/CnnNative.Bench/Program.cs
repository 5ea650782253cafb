using BenchmarkDotNet.Running;

// `gemm-quick [provider] [shapes…]` prints GEMM GFLOP/s with a plain Stopwatch (seconds, not
// the minutes a BenchmarkDotNet run takes); anything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "gemm-quick") return CnnNative.Bench.GemmQuick.Run(args[1..]);
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
