using BenchmarkDotNet.Running;

// `gemm-quick [provider] [shapes…]` prints GEMM GFLOP/s with a plain Stopwatch (seconds, not
// the minutes a BenchmarkDotNet run takes); anything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "gemm-quick") return CnnNative.Bench.GemmQuick.Run(args[1..]);
// `openblas-callpath [shapes…]`: the openblas provider's Gemm against a raw cblas_sgemm, same way.
if (args.Length > 0 && args[0] == "openblas-callpath") return CnnNative.Bench.OpenBlas.CallPathQuick.Run(args[1..]);
// `profile-step [model] [batch] [steps] [threads]`: milliseconds per operation of a managed training step.
if (args.Length > 0 && args[0] == "profile-step") return CnnNative.Bench.Profile.StepProfile.Run(args[1..]);
// `quick [substring…]`: median wall and CPU time per call of matching suite cases (Stopwatch, seconds not minutes).
if (args.Length > 0 && args[0] == "quick") return CnnNative.Bench.Quick.QuickRunner.Run(args[1..]);
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
