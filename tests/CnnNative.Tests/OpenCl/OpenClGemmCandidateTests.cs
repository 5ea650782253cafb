using System.Collections.Concurrent;
using CnnNative.Providers.OpenCl;
using CnnNative.Tests.Infrastructure;

namespace CnnNative.Tests.OpenCl;

/// <summary>
/// Every blocking the tuner may choose (<see cref="GemmTuner"/>), GPU forms included (run on
/// this device with KernelStyle=gpu), computes the same GEMM as the double-precision loop on
/// shapes below, at and across its tiles, in every transpose, with split K: a choice made by
/// measurement on a user's device is one of these, each verified here.
/// </summary>
[Collection(OpenClCollection.Name)]
public sealed class OpenClGemmCandidateTests(OpenClGemmCandidateFixture fixture) : IClassFixture<OpenClGemmCandidateFixture>
{
    public static TheoryData<string, string> Candidates()
    {
        var data = new TheoryData<string, string>();
        foreach (var t in GemmTuner.GpuCandidates) data.Add("gpu", t.ToString());
        foreach (var t in GemmTuner.CpuCandidates) data.Add("cpu", t.ToString());
        return data;
    }

    [ProviderTheory("opencl")]
    [MemberData(nameof(Candidates))]
    public void The_candidate_matches_the_reference(string style, string tiles)
    {
        var p = fixture.For(style, tiles);
        foreach (var (m, n, k) in new[] { (1, 1, 1), (33, 17, 65), (97, 31, 129), (130, 129, 40), (2000, 30, 25), (30, 25, 2000) })
            foreach (bool ta in new[] { false, true })
                foreach (bool tb in new[] { false, true })
                    OpenClGemmTestsBase.CheckOn(p, ta, tb, m, n, k, 0.75f, 0.5f, $"{style} {tiles}: ");
    }
}

/// <summary>One provider per candidate blocking, built on first use and shared by that candidate's cases.</summary>
public sealed class OpenClGemmCandidateFixture : IDisposable
{
    private readonly ConcurrentDictionary<string, OpenClProvider> _providers = new();

    public OpenClProvider For(string style, string tiles) =>
        _providers.GetOrAdd(style + " " + tiles, _ => new OpenClProviderFactory().Create(new OpenClOptions(), tiles, style));

    public void Dispose()
    {
        foreach (var p in _providers.Values) p.Dispose();
    }
}
