using System.Runtime.Intrinsics;

namespace CnnNative.Providers.Managed.Kernels;

// The optimizer updates of the contract, one struct each, in the seeds' order of operations.
// Every update first forms g' = g + weightDecay·param. Epsilon 1e-7 as in the seeds.

/// <summary>param −= lr·g'.</summary>
internal readonly struct SgdOp(float lr, float wd) : IUpdateOp
{
    public static int States => 0;

    public void Invoke(ref Vector512<float> p, Vector512<float> g, ref Vector512<float> s1, ref Vector512<float> s2) =>
        p -= Vector512.Create(lr) * (g + Vector512.Create(wd) * p);

    public void Invoke(ref Vector256<float> p, Vector256<float> g, ref Vector256<float> s1, ref Vector256<float> s2) =>
        p -= Vector256.Create(lr) * (g + Vector256.Create(wd) * p);

    public void Invoke(ref float p, float g, ref float s1, ref float s2) => p -= lr * (g + wd * p);
}

/// <summary>v = momentum·v − lr·g'; param += v (s1 = v).</summary>
internal readonly struct MomentumOp(float lr, float momentum, float wd) : IUpdateOp
{
    public static int States => 1;

    public void Invoke(ref Vector512<float> p, Vector512<float> g, ref Vector512<float> v, ref Vector512<float> s2)
    {
        v = Vector512.Create(momentum) * v - Vector512.Create(lr) * (g + Vector512.Create(wd) * p);
        p += v;
    }

    public void Invoke(ref Vector256<float> p, Vector256<float> g, ref Vector256<float> v, ref Vector256<float> s2)
    {
        v = Vector256.Create(momentum) * v - Vector256.Create(lr) * (g + Vector256.Create(wd) * p);
        p += v;
    }

    public void Invoke(ref float p, float g, ref float v, ref float s2)
    {
        v = momentum * v - lr * (g + wd * p);
        p += v;
    }
}

/// <summary>The seed's Nesterov: v = momentum·v − lr·g'; param += momentum²·v − (1 + momentum)·lr·g' (s1 = v).</summary>
internal readonly struct NesterovOp(float lr, float momentum, float wd) : IUpdateOp
{
    public static int States => 1;

    public void Invoke(ref Vector512<float> p, Vector512<float> g, ref Vector512<float> v, ref Vector512<float> s2)
    {
        var gd = g + Vector512.Create(wd) * p;
        v = Vector512.Create(momentum) * v - Vector512.Create(lr) * gd;
        p += Vector512.Create(momentum * momentum) * v - Vector512.Create((1f + momentum) * lr) * gd;
    }

    public void Invoke(ref Vector256<float> p, Vector256<float> g, ref Vector256<float> v, ref Vector256<float> s2)
    {
        var gd = g + Vector256.Create(wd) * p;
        v = Vector256.Create(momentum) * v - Vector256.Create(lr) * gd;
        p += Vector256.Create(momentum * momentum) * v - Vector256.Create((1f + momentum) * lr) * gd;
    }

    public void Invoke(ref float p, float g, ref float v, ref float s2)
    {
        float gd = g + wd * p;
        v = momentum * v - lr * gd;
        p += momentum * momentum * v - (1f + momentum) * lr * gd;
    }
}

/// <summary>h += g'²; param −= lr·g'/(√h + 1e-7) (s1 = h).</summary>
internal readonly struct AdaGradOp(float lr, float wd) : IUpdateOp
{
    public static int States => 1;

    public void Invoke(ref Vector512<float> p, Vector512<float> g, ref Vector512<float> h, ref Vector512<float> s2)
    {
        var gd = g + Vector512.Create(wd) * p;
        h += gd * gd;
        p -= Vector512.Create(lr) * gd / (Vector512.Sqrt(h) + Vector512.Create(1e-7f));
    }

    public void Invoke(ref Vector256<float> p, Vector256<float> g, ref Vector256<float> h, ref Vector256<float> s2)
    {
        var gd = g + Vector256.Create(wd) * p;
        h += gd * gd;
        p -= Vector256.Create(lr) * gd / (Vector256.Sqrt(h) + Vector256.Create(1e-7f));
    }

    public void Invoke(ref float p, float g, ref float h, ref float s2)
    {
        float gd = g + wd * p;
        h += gd * gd;
        p -= lr * gd / (MathF.Sqrt(h) + 1e-7f);
    }
}

/// <summary>h = decay·h + (1 − decay)·g'²; param −= lr·g'/(√h + 1e-7) (s1 = h).</summary>
internal readonly struct RmsPropOp(float lr, float decay, float wd) : IUpdateOp
{
    public static int States => 1;

    public void Invoke(ref Vector512<float> p, Vector512<float> g, ref Vector512<float> h, ref Vector512<float> s2)
    {
        var gd = g + Vector512.Create(wd) * p;
        h = Vector512.Create(decay) * h + Vector512.Create(1f - decay) * gd * gd;
        p -= Vector512.Create(lr) * gd / (Vector512.Sqrt(h) + Vector512.Create(1e-7f));
    }

    public void Invoke(ref Vector256<float> p, Vector256<float> g, ref Vector256<float> h, ref Vector256<float> s2)
    {
        var gd = g + Vector256.Create(wd) * p;
        h = Vector256.Create(decay) * h + Vector256.Create(1f - decay) * gd * gd;
        p -= Vector256.Create(lr) * gd / (Vector256.Sqrt(h) + Vector256.Create(1e-7f));
    }

    public void Invoke(ref float p, float g, ref float h, ref float s2)
    {
        float gd = g + wd * p;
        h = decay * h + (1f - decay) * gd * gd;
        p -= lr * gd / (MathF.Sqrt(h) + 1e-7f);
    }
}

/// <summary>m += (1 − β1)(g' − m); v += (1 − β2)(g'² − v); param −= lrT·m/(√v + 1e-7) (s1 = m, s2 = v).</summary>
internal readonly struct AdamOp(float lrT, float beta1, float beta2, float wd) : IUpdateOp
{
    public static int States => 2;

    public void Invoke(ref Vector512<float> p, Vector512<float> g, ref Vector512<float> m, ref Vector512<float> v)
    {
        var gd = g + Vector512.Create(wd) * p;
        m += Vector512.Create(1f - beta1) * (gd - m);
        v += Vector512.Create(1f - beta2) * (gd * gd - v);
        p -= Vector512.Create(lrT) * m / (Vector512.Sqrt(v) + Vector512.Create(1e-7f));
    }

    public void Invoke(ref Vector256<float> p, Vector256<float> g, ref Vector256<float> m, ref Vector256<float> v)
    {
        var gd = g + Vector256.Create(wd) * p;
        m += Vector256.Create(1f - beta1) * (gd - m);
        v += Vector256.Create(1f - beta2) * (gd * gd - v);
        p -= Vector256.Create(lrT) * m / (Vector256.Sqrt(v) + Vector256.Create(1e-7f));
    }

    public void Invoke(ref float p, float g, ref float m, ref float v)
    {
        float gd = g + wd * p;
        m += (1f - beta1) * (gd - m);
        v += (1f - beta2) * (gd * gd - v);
        p -= lrT * m / (MathF.Sqrt(v) + 1e-7f);
    }
}
