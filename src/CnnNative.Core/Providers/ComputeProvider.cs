namespace CnnNative.Core;

/// <summary>
/// The validating base of every provider: each public operation checks ownership, sizes and
/// overlap once, here, then calls a protected <c>…Core</c> method that the provider
/// implements. So every provider rejects a bad call with the same exception type and
/// parameter name, and no native library ever sees an argument it would misread
/// (OpenBLAS, for one, reports bad arguments by printing and returning).
/// The operations themselves are documented on <see cref="IComputeProvider"/>.
/// <para>A new provider implements only the minimal core — the abstract members: <see cref="Name"/>,
/// <see cref="Info"/>, <c>AllocateBufferCore</c>, <c>UploadCore</c>, <c>DownloadCore</c>,
/// <c>CopyCore</c>, <c>FillCore</c>, <c>SynchronizeCore</c>, <c>GemmCore</c>, <c>Im2ColCore</c>,
/// <c>Col2ImCore</c>, <c>AxpyCore</c> and <c>ScaleCore</c>. Every other <c>…Core</c> is virtual with
/// a default: a composite of the core on the device (transposes, bias, convolution, average
/// pooling, SGD/momentum/Nesterov) or a host fallback (activations, softmax and loss, batch norm,
/// max pooling, dropout, adaptive optimizers). It then overrides them one by one for speed;
/// docs/providers.md lists which default each operation has.</para>
/// </summary>
public abstract partial class ComputeProvider : IComputeProvider
{
    /// <inheritdoc/>
    public abstract string Name { get; }

    /// <inheritdoc/>
    public abstract ProviderInfo Info { get; }

    /// <summary>True once <see cref="Dispose()"/> ran; every operation then throws <see cref="ObjectDisposedException"/>.</summary>
    public bool IsDisposed { get; private set; }

    // ── memory ─────────────────────────────────────────────────────────────────────────────

    /// <inheritdoc/>
    public Tensor Allocate(TensorShape shape)
    {
        ThrowIfDisposed();
        if (shape.Rank == 0)
            throw new TensorShapeException("Cannot allocate a tensor with an empty shape.", nameof(shape));
        return new Tensor(AllocateBufferCore(shape.Length), shape);
    }

    /// <inheritdoc/>
    public void Upload(ReadOnlySpan<float> src, Tensor dst)
    {
        Own(dst, nameof(dst));
        NeedLength(dst, src.Length, nameof(dst));
        UploadCore(src, dst);
    }

    /// <inheritdoc/>
    public void Upload(ReadOnlySpan<double> src, Tensor dst)
    {
        Own(dst, nameof(dst));
        NeedLength(dst, src.Length, nameof(dst));
        UploadCore(src, dst);
    }

    /// <inheritdoc/>
    public void Download(Tensor src, Span<float> dst)
    {
        Own(src, nameof(src));
        NeedLength(src, dst.Length, nameof(src));
        DownloadCore(src, dst);
    }

    /// <inheritdoc/>
    public void Download(Tensor src, Span<double> dst)
    {
        Own(src, nameof(src));
        NeedLength(src, dst.Length, nameof(src));
        DownloadCore(src, dst);
    }

    /// <inheritdoc/>
    public void Copy(Tensor src, Tensor dst)
    {
        Own(src, nameof(src)); Own(dst, nameof(dst));
        NeedLength(dst, src.Length, nameof(dst));
        Distinct(src, dst, nameof(src), nameof(dst));
        CopyCore(src, dst, src.Length);
    }

    /// <inheritdoc/>
    public void Fill(Tensor x, float value)
    {
        Own(x, nameof(x));
        FillCore(x, value);
    }

    /// <inheritdoc/>
    public void Synchronize()
    {
        ThrowIfDisposed();
        SynchronizeCore();
    }

    /// <summary>Minimal core: a zero-filled buffer of <paramref name="length"/> floats owned by this provider.</summary>
    protected abstract DeviceBuffer AllocateBufferCore(int length);

    /// <summary>Minimal core: copies <c>src.Length</c> values into the first elements of <paramref name="dst"/>.</summary>
    protected abstract void UploadCore(ReadOnlySpan<float> src, Tensor dst);

    /// <summary>Minimal core: copies the first <c>dst.Length</c> elements of <paramref name="src"/> to the host.</summary>
    protected abstract void DownloadCore(Tensor src, Span<float> dst);

    /// <summary>Minimal core: dst[i] = src[i] for i &lt; <paramref name="length"/> (distinct buffers).</summary>
    protected abstract void CopyCore(Tensor src, Tensor dst, int length);

    /// <summary>Minimal core: every element of x's shape set to <paramref name="value"/>.</summary>
    protected abstract void FillCore(Tensor x, float value);

    /// <summary>Minimal core: waits for queued work (return at once on a synchronous provider).</summary>
    protected abstract void SynchronizeCore();

    /// <summary>Float providers round through a pooled float copy; a double provider overrides.</summary>
    protected virtual void UploadCore(ReadOnlySpan<double> src, Tensor dst)
    {
        var tmp = new float[src.Length];
        for (int i = 0; i < src.Length; i++) tmp[i] = (float)src[i];
        UploadCore(tmp, dst);
    }

    /// <inheritdoc cref="UploadCore(ReadOnlySpan{double}, Tensor)"/>
    protected virtual void DownloadCore(Tensor src, Span<double> dst)
    {
        var tmp = new float[dst.Length];
        DownloadCore(src, tmp);
        for (int i = 0; i < dst.Length; i++) dst[i] = tmp[i];
    }

    // ── disposal ───────────────────────────────────────────────────────────────────────────

    /// <summary>
    /// Frees the provider's own resources (scratch buffers, queues, native contexts) once; later calls
    /// do nothing. Tensors it allocated are not freed here: dispose them first, as their owners do.
    /// </summary>
    public void Dispose()
    {
        if (IsDisposed) return;
        // The composites' scratch goes first, while the provider can still free it.
        _scratch?.Dispose();
        IsDisposed = true;
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the subclass's resources; called once from <see cref="Dispose()"/> with <paramref name="disposing"/> true.</summary>
    protected virtual void Dispose(bool disposing) { }

    /// <summary>The provider's <see cref="Name"/>.</summary>
    public override string ToString() => Name;
}
