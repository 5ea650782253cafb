namespace CnnNative.Providers.Managed.Kernels;

/// <summary>Parallel work whose pieces each sum into their own double array (so no two threads share a sum).</summary>
internal unsafe interface IPartialSums
{
    /// <summary>Piece <paramref name="part"/>'s double sums (valid after a run).</summary>
    double* Partial(int part);
}

/// <summary>Adds the pieces' double sums and rounds once to float: the last step of every reduction split across threads.</summary>
internal static unsafe class PartialSums
{
    /// <summary>dst[i] = Σ_p work.Partial(p)[from + i] for i &lt; count (parts ≥ 1).</summary>
    public static void Reduce(IPartialSums work, int parts, int from, int count, float* dst)
    {
        double** pieces = stackalloc double*[parts];
        for (int p = 0; p < parts; p++) pieces[p] = work.Partial(p) + from;
        for (int i = 0; i < count; i++)
        {
            double sum = pieces[0][i];
            for (int p = 1; p < parts; p++) sum += pieces[p][i];
            dst[i] = (float)sum;
        }
    }
}
