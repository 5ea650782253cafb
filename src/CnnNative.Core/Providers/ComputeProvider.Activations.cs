namespace CnnNative.Core;

// Activations beyond ReLU and sigmoid: tanh and leaky ReLU (elementwise; the output may be any input).
public abstract partial class ComputeProvider
{
    /// <inheritdoc/>
    public void TanhForward(Tensor x, Tensor y) { Elementwise2(x, y, nameof(x), nameof(y)); TanhForwardCore(x, y); }

    /// <inheritdoc/>
    public void TanhBackward(Tensor dy, Tensor y, Tensor dx) { Elementwise3(dy, y, dx, nameof(dy), nameof(y), nameof(dx)); TanhBackwardCore(dy, y, dx); }

    /// <inheritdoc/>
    public void LeakyReluForward(Tensor x, float slope, Tensor y)
    {
        Elementwise2(x, y, nameof(x), nameof(y));
        Slope(slope);
        LeakyReluForwardCore(x, slope, y);
    }

    /// <inheritdoc/>
    public void LeakyReluBackward(Tensor dy, Tensor y, float slope, Tensor dx)
    {
        Elementwise3(dy, y, dx, nameof(dy), nameof(y), nameof(dx));
        Slope(slope);
        LeakyReluBackwardCore(dy, y, slope, dx);
    }

    // The backward tells the sides apart by the output's sign, which needs a non-negative slope.
    private static void Slope(float slope)
    {
        if (!(slope >= 0f && slope < 1f))
            throw new ArgumentOutOfRangeException(nameof(slope), slope, "The leaky ReLU slope must be in [0, 1).");
    }

    /// <summary>y = tanh(x) on validated tensors of equal length (default: host fallback).</summary>
    protected virtual void TanhForwardCore(Tensor x, Tensor y) => Map(x, y, Math.Tanh);

    /// <summary>dx = dy·(1 − y²) on validated tensors of equal length (default: host fallback).</summary>
    protected virtual void TanhBackwardCore(Tensor dy, Tensor y, Tensor dx) => Map(dy, y, dx, (g, v) => g * (1 - v * v));

    /// <summary>y = x &gt; 0 ? x : slope·x on validated tensors; slope in [0, 1) (default: host fallback).</summary>
    protected virtual void LeakyReluForwardCore(Tensor x, float slope, Tensor y) => Map(x, y, v => v > 0 ? v : slope * v);

    /// <summary>dx = y &gt; 0 ? dy : slope·dy on validated tensors; slope in [0, 1) (default: host fallback).</summary>
    protected virtual void LeakyReluBackwardCore(Tensor dy, Tensor y, float slope, Tensor dx) => Map(dy, y, dx, (g, v) => v > 0 ? g : slope * g);
}
