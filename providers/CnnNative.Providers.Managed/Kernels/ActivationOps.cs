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
