using System.Runtime.Intrinsics;

namespace CnnNative.Providers.Managed.Kernels;

/// <summary>dx = y &gt; 0 ? dy : 0 (a = dy, b = the forward output y).</summary>
internal readonly struct ReluBackwardOp : IBinaryOp
{
    public Vector512<float> Invoke(Vector512<float> dy, Vector512<float> y) =>
        Vector512.ConditionalSelect(Vector512.GreaterThan(y, Vector512<float>.Zero), dy, Vector512<float>.Zero);

    public Vector256<float> Invoke(Vector256<float> dy, Vector256<float> y) =>
        Vector256.ConditionalSelect(Vector256.GreaterThan(y, Vector256<float>.Zero), dy, Vector256<float>.Zero);

    public float Invoke(float dy, float y) => y > 0f ? dy : 0f;
}

/// <summary>dx = dy·(1 − y)·y (a = dy, b = the forward output y).</summary>
internal readonly struct SigmoidBackwardOp : IBinaryOp
{
    public Vector512<float> Invoke(Vector512<float> dy, Vector512<float> y) => dy * (Vector512<float>.One - y) * y;

    public Vector256<float> Invoke(Vector256<float> dy, Vector256<float> y) => dy * (Vector256<float>.One - y) * y;

    public float Invoke(float dy, float y) => dy * (1f - y) * y;
}

/// <summary>dx = dy·(1 − y²) (a = dy, b = the forward output y = tanh(x)).</summary>
internal readonly struct TanhBackwardOp : IBinaryOp
{
    public Vector512<float> Invoke(Vector512<float> dy, Vector512<float> y) => dy * (Vector512<float>.One - y * y);

    public Vector256<float> Invoke(Vector256<float> dy, Vector256<float> y) => dy * (Vector256<float>.One - y * y);

    public float Invoke(float dy, float y) => dy * (1f - y * y);
}

/// <summary>y = x &gt; 0 ? x : slope·x (a = b = x; the second input is ignored).</summary>
internal readonly struct LeakyReluOp(float slope) : IBinaryOp
{
    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> _) =>
        Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), x, x * slope);

    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> _) =>
        Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), x, x * slope);

    public float Invoke(float x, float _) => x > 0f ? x : x * slope;
}

/// <summary>dx = y &gt; 0 ? dy : slope·dy (a = dy, b = the forward output y).</summary>
internal readonly struct LeakyReluBackwardOp(float slope) : IBinaryOp
{
    public Vector512<float> Invoke(Vector512<float> dy, Vector512<float> y) =>
        Vector512.ConditionalSelect(Vector512.GreaterThan(y, Vector512<float>.Zero), dy, dy * slope);

    public Vector256<float> Invoke(Vector256<float> dy, Vector256<float> y) =>
        Vector256.ConditionalSelect(Vector256.GreaterThan(y, Vector256<float>.Zero), dy, dy * slope);

    public float Invoke(float dy, float y) => y > 0f ? dy : dy * slope;
}
