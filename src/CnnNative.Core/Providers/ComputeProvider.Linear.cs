namespace CnnNative.Core;

// GEMM, transposes, elementwise arithmetic, activations and bias.
public abstract partial class ComputeProvider
{
    /// <inheritdoc/>
    public void Gemm(Transpose transA, Transpose transB, int m, int n, int k,
        float alpha, Tensor a, Tensor b, float beta, Tensor c)
    {
        Own(a, nameof(a)); Own(b, nameof(b)); Own(c, nameof(c));
        Positive(m, nameof(m)); Positive(n, nameof(n)); Positive(k, nameof(k));
        if ((uint)transA > 1) throw new ArgumentOutOfRangeException(nameof(transA));
        if ((uint)transB > 1) throw new ArgumentOutOfRangeException(nameof(transB));
        Finite(alpha, nameof(alpha)); Finite(beta, nameof(beta));
        NeedLength(a, (long)m * k, nameof(a));
        NeedLength(b, (long)k * n, nameof(b));
        NeedLength(c, (long)m * n, nameof(c));
        Distinct(a, c, nameof(a), nameof(c));
        Distinct(b, c, nameof(b), nameof(c));
        GemmCore(transA, transB, m, n, k, alpha, a, b, beta, c);
    }

    /// <inheritdoc/>
    public void BatchedTranspose(Tensor src, int batch, int rows, int cols, Tensor dst)
    {
        CheckTranspose(src, batch, rows, cols, dst);
        BatchedTransposeCore(src, batch, rows, cols, dst);
    }

    /// <inheritdoc/>
    public void BatchedTransposeAddChannelBias(Tensor src, int batch, int rows, int cols, Tensor bias, Tensor dst)
    {
        Own(bias, nameof(bias));
        CheckTranspose(src, batch, rows, cols, dst);
        NeedLength(bias, cols, nameof(bias));
        Distinct(bias, dst, nameof(bias), nameof(dst));
        BatchedTransposeAddChannelBiasCore(src, batch, rows, cols, bias, dst);
    }

    /// <inheritdoc/>
    public void BatchedTransposeSumChannels(Tensor src, int batch, int rows, int cols, Tensor dst, Tensor sums)
    {
        Own(sums, nameof(sums));
        CheckTranspose(src, batch, rows, cols, dst);
        NeedLength(sums, rows, nameof(sums));
        Distinct(src, sums, nameof(src), nameof(sums));
        Distinct(dst, sums, nameof(dst), nameof(sums));
        BatchedTransposeSumChannelsCore(src, batch, rows, cols, dst, sums);
    }

    private void CheckTranspose(Tensor src, int batch, int rows, int cols, Tensor dst)
    {
        Own(src, nameof(src)); Own(dst, nameof(dst));
        Positive(batch, nameof(batch)); Positive(rows, nameof(rows)); Positive(cols, nameof(cols));
        long needed = (long)batch * rows * cols;
        NeedLength(src, needed, nameof(src));
        NeedLength(dst, needed, nameof(dst));
        Distinct(src, dst, nameof(src), nameof(dst));
    }

    /// <inheritdoc/>
    public void Add(Tensor a, Tensor b, Tensor c) { Elementwise3(a, b, c); AddCore(a, b, c); }

    /// <inheritdoc/>
    public void Multiply(Tensor a, Tensor b, Tensor c) { Elementwise3(a, b, c); MultiplyCore(a, b, c); }

    /// <inheritdoc/>
    public void Scale(Tensor x, float alpha, Tensor y) { Elementwise2(x, y, nameof(x), nameof(y)); ScaleCore(x, alpha, y); }

    /// <inheritdoc/>
    public void Axpy(float alpha, Tensor x, Tensor y) { Elementwise2(x, y, nameof(x), nameof(y)); AxpyCore(alpha, x, y); }

    /// <inheritdoc/>
    public void ReluForward(Tensor x, Tensor y) { Elementwise2(x, y, nameof(x), nameof(y)); ReluForwardCore(x, y); }

    /// <inheritdoc/>
    public void ReluBackward(Tensor dy, Tensor y, Tensor dx) { Elementwise3(dy, y, dx, nameof(dy), nameof(y), nameof(dx)); ReluBackwardCore(dy, y, dx); }

    /// <inheritdoc/>
    public void SigmoidForward(Tensor x, Tensor y) { Elementwise2(x, y, nameof(x), nameof(y)); SigmoidForwardCore(x, y); }

    /// <inheritdoc/>
    public void SigmoidBackward(Tensor dy, Tensor y, Tensor dx) { Elementwise3(dy, y, dx, nameof(dy), nameof(y), nameof(dx)); SigmoidBackwardCore(dy, y, dx); }

    /// <inheritdoc/>
    public void AddRowBias(Tensor x, Tensor bias)
    {
        Own(x, nameof(x)); Own(bias, nameof(bias));
        Distinct(x, bias, nameof(x), nameof(bias));
        int rows = RowsOf(x, bias.Length, nameof(x));
        AddRowBiasCore(x, bias, rows, bias.Length);
    }

    /// <inheritdoc/>
    public void SumRows(Tensor dy, Tensor db)
    {
        Own(dy, nameof(dy)); Own(db, nameof(db));
        Distinct(dy, db, nameof(dy), nameof(db));
        int rows = RowsOf(dy, db.Length, nameof(dy));
        SumRowsCore(dy, db, rows, db.Length);
    }

    /// <inheritdoc/>
    public void AddChannelBias(Tensor x, Tensor bias)
    {
        Own(x, nameof(x)); Own(bias, nameof(bias));
        Distinct(x, bias, nameof(x), nameof(bias));
        var (batch, spatial) = Channelled(x, bias.Length, nameof(x));
        AddChannelBiasCore(x, bias, batch, bias.Length, spatial);
    }

    /// <inheritdoc/>
    public void SumChannels(Tensor dy, Tensor db)
    {
        Own(dy, nameof(dy)); Own(db, nameof(db));
        Distinct(dy, db, nameof(dy), nameof(db));
        var (batch, spatial) = Channelled(dy, db.Length, nameof(dy));
        SumChannelsCore(dy, db, batch, db.Length, spatial);
    }

    private static int RowsOf(Tensor x, int cols, string name)
    {
        if (x.Length % cols != 0)
            throw new TensorShapeException(
                $"{name} {x.Shape} has {x.Length} elements, not a whole number of rows of {cols}.", name);
        return x.Length / cols;
    }

    private void Elementwise2(Tensor x, Tensor y, string nx, string ny)
    {
        Own(x, nx); Own(y, ny);
        SameLength(y, x, ny, nx);
    }

    private void Elementwise3(Tensor a, Tensor b, Tensor c, string na = "a", string nb = "b", string nc = "c")
    {
        Own(a, na); Own(b, nb); Own(c, nc);
        SameLength(b, a, nb, na);
        SameLength(c, a, nc, na);
    }

    /// <summary>Minimal core: <see cref="IComputeProvider.Gemm"/> after validation. Most composite defaults are built on it.</summary>
    protected abstract void GemmCore(Transpose transA, Transpose transB, int m, int n, int k,
        float alpha, Tensor a, Tensor b, float beta, Tensor c);

    /// <summary>The two passes it fuses; a provider overrides this when one pass is faster (the managed one does).</summary>
    protected virtual void BatchedTransposeAddChannelBiasCore(Tensor src, int batch, int rows, int cols, Tensor bias, Tensor dst)
    {
        BatchedTransposeCore(src, batch, rows, cols, dst);
        AddChannelBiasCore(dst, bias, batch, cols, rows);
    }

    /// <summary>The two passes it fuses; a provider overrides this when one pass is faster (the managed one does).</summary>
    protected virtual void BatchedTransposeSumChannelsCore(Tensor src, int batch, int rows, int cols, Tensor dst, Tensor sums)
    {
        BatchedTransposeCore(src, batch, rows, cols, dst);
        SumChannelsCore(src, sums, batch, rows, cols);
    }

    /// <summary>Minimal core: y = alpha·x elementwise; y may be x.</summary>
    protected abstract void ScaleCore(Tensor x, float alpha, Tensor y);

    /// <summary>Minimal core: y += alpha·x elementwise; x may be y.</summary>
    protected abstract void AxpyCore(float alpha, Tensor x, Tensor y);
}
