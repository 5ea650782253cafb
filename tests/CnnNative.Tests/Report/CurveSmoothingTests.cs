using CnnNative.Cli.Report;

namespace CnnNative.Tests.Report;

public sealed class CurveSmoothingTests
{
    [Fact]
    public void WindowIsNumpysKaiser11Beta2Normalised()
    {
        // np.kaiser(11, 2) / np.kaiser(11, 2).sum(), printed by numpy.
        double[] numpy =
        [
            0.052445173948605796, 0.07309418069653321, 0.09177803905779956, 0.10666079690040728, 0.11624518554080403,
            0.11955324771170016, 0.11624518554080403, 0.10666079690040728, 0.09177803905779956, 0.07309418069653321,
            0.052445173948605796,
        ];

        for (int i = 0; i < numpy.Length; i++)
            Assert.Equal(numpy[i], CurveSmoothing.Window[i], 14);
    }

    [Fact]
    public void MatchesTheBooksSmoothCurveRunByNumpy()
    {
        // The book's smooth_curve (common/util.py), run with numpy on this series.
        double[] x = [2.3, 2.1, 1.9, 2.0, 1.5, 1.2, 1.4, 0.9, 1.0, 0.7, 0.8, 0.5, 0.65, 0.4, 0.45, 0.3];
        double[] numpy =
        [
            1.8807763930272865, 1.8746385822339986, 1.8052367892313292, 1.6972730470878927, 1.5666864955975217,
            1.4232913047921427, 1.2596538742861605, 1.1168020174924504, 0.9792428701303422, 0.8496174814149311,
            0.7443305816906316, 0.655606988662743, 0.5732577329187484, 0.5194570349925313, 0.4822014871755821,
            0.46231551577934954,
        ];

        double[] smooth = CurveSmoothing.SmoothCurve(x);

        Assert.Equal(numpy.Length, smooth.Length);
        for (int i = 0; i < numpy.Length; i++)
            Assert.Equal(numpy[i], smooth[i], 12);
    }

    [Fact]
    public void ShortAndConstantSeriesKeepTheirLengthAndLevel()
    {
        Assert.Empty(CurveSmoothing.SmoothCurve([]));
        Assert.Equal([4.0], CurveSmoothing.SmoothCurve([4.0]));
        Assert.All(CurveSmoothing.SmoothCurve([2.5, 2.5, 2.5]), v => Assert.Equal(2.5, v, 12));
        Assert.Equal(5, CurveSmoothing.SmoothCurve([1.0, 2, 3, 4, 5]).Length);
    }

    [Fact]
    public void BesselI0MatchesKnownValues()
    {
        // I0(0) = 1, I0(1) = 1.2660658777520082, I0(2) = 2.2795853023360673 (Abramowitz & Stegun table 9.8).
        Assert.Equal(1.0, CurveSmoothing.BesselI0(0), 15);
        Assert.Equal(1.2660658777520082, CurveSmoothing.BesselI0(1), 14);
        Assert.Equal(2.2795853023360673, CurveSmoothing.BesselI0(2), 14);
    }
}
