using CnnNative.Providers.Managed.Gemm;

namespace CnnNative.Tests.Managed;

/// <summary>The thread split the SGEMM cost model picks for the network's products (two threads, the 12×32 kernel).</summary>
public sealed class GemmPlanTests
{
    private static GemmPlan Plan(int m, int n, int k, int threads = 2) =>
        GemmPlan.Choose(m, n, k, threads, tileRows: 12, tileCols: 32);

    [Fact]
    public void Small_products_stay_on_one_thread() => Assert.Equal(new GemmPlan(1, 1, 1), Plan(20, 20, 20));

    [Fact]
    public void One_thread_never_splits() => Assert.Equal(new GemmPlan(1, 1, 1), Plan(4096, 4096, 4096, threads: 1));

    [Fact]
    public void Convolution_forward_splits_the_long_M() => Assert.Equal(new GemmPlan(2, 1, 1), Plan(57600, 30, 25));

    [Fact]
    public void Weight_gradient_splits_K() => Assert.Equal(new GemmPlan(1, 1, 2), Plan(30, 25, 57600));

    [Fact]
    public void Tall_products_with_unpacked_A_split_M_not_N() => Assert.Equal(new GemmPlan(2, 1, 1), Plan(32768, 64, 576));

    [Theory]
    [InlineData(30, 25, 57600, true)]    // 25 columns use 25 of 32 lanes, 30 use 30
    [InlineData(25, 30, 57600, false)]   // already the better way round
    [InlineData(30, 25, 1000, false)]    // too short a k for the extra pass
    [InlineData(300, 250, 57600, false)] // too large a C
    [InlineData(32, 16, 57600, false)]   // both fill their vectors
    public void Only_a_small_long_k_product_that_wastes_lanes_is_computed_transposed(int m, int n, int k, bool transposes) =>
        Assert.Equal(transposes, GemmPlan.TransposesResult(m, n, k, tileCols: 32));

    [Theory]
    [InlineData(false, 1024, true)]   // rows 4 KiB apart: all in the same L1 sets
    [InlineData(false, 2048, true)]
    [InlineData(false, 512, false)]
    [InlineData(false, 4320, false)]
    [InlineData(false, 25, false)]
    [InlineData(true, 1024, true)]    // transposed: 256 k steps 4 KiB apart
    [InlineData(true, 100, false)]
    public void A_is_packed_only_where_its_lines_would_crowd_L1(bool transposed, int lda, bool conflicts) =>
        Assert.Equal(conflicts, GemmPlan.AConflicts(transposed, lda, rows: 12, kBlock: 256));

    [Fact]
    public void Every_plan_uses_at_most_the_threads()
    {
        foreach (var (m, n, k) in new[] { (1, 1, 100000), (1000, 1000, 1000), (7, 5000, 9), (100, 100, 4320) })
            foreach (int threads in new[] { 2, 3, 4, 8 })
                Assert.InRange(Plan(m, n, k, threads).Parts, 1, threads);
    }

    [Fact]
    public void Ranges_cut_at_tile_multiples_and_cover_everything()
    {
        for (int parts = 1; parts <= 4; parts++)
        {
            int next = 0;
            for (int p = 0; p < parts; p++)
            {
                var (start, end) = GemmPlan.Range(1000, p, parts, 12);
                Assert.Equal(next, start);
                Assert.True(start % 12 == 0);
                next = end;
            }
            Assert.Equal(1000, next);
        }
    }
}
