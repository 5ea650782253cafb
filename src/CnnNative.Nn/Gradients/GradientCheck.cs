using CnnNative.Core;

namespace CnnNative.Nn;

/// <summary>
/// Compares a layer's or network's backward with central differences
/// (f(θ + ε) − f(θ − ε)) / 2ε, element by element, through Upload/Download in double precision
/// (exact on a double-precision provider). Works on any provider; it is slow on purpose —
/// two forwards per checked element — and meant for tests and diagnosis, not training.
/// <para>A layer is checked on the scalar Σ r·y with a fixed random r (so dL/dy = r); a network
/// on its loss's host definition (<see cref="LossFunction.HostValue"/>). Both run in training mode: dropout masks are fixed by
/// the current step, batch norm uses batch statistics (its running statistics are restored
/// afterwards).</para>
/// </summary>
public static class GradientCheck
{
    /// <summary>Checks every parameter of <paramref name="layer"/> (and dL/dx) on the input <paramref name="x"/> [N, InputShape…].</summary>
    public static GradientCheckResult Check(Layer layer, Tensor x, GradientCheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentNullException.ThrowIfNull(x);
        options ??= new GradientCheckOptions();
        if (!options.Context.Training)
            throw new ArgumentException("A gradient check runs in a training step; give GradientCheckOptions.Context a training context.", nameof(options));
        var context = options.Context;
        var provider = layer.Provider;
        var y0 = layer.Forward(x, context);
        var projection = new double[y0.Length];
        ulong key = CounterRng.StreamKey(options.Seed, 0);
        for (int i = 0; i < projection.Length; i++) projection[i] = CounterRng.Normal(key, (ulong)i);
        using var dy = provider.Allocate(y0.Shape);
        provider.Upload(projection, dy);
        var output = new double[y0.Length];

        double Objective()
        {
            var y = layer.Forward(x, context);
            provider.Download(y, output);
            double sum = 0;
            for (int i = 0; i < output.Length; i++) sum += projection[i] * output[i];
            return sum;
        }

        var saved = SaveBuffers(layer.Buffers);
        bool propagates = layer.PropagatesGradient;
        try
        {
            layer.PropagatesGradient = options.CheckInput;
            layer.Forward(x, context);
            var dx = layer.Backward(dy);
            return Compare(layer.Parameters, options.CheckInput ? dx : null, x, Objective, options);
        }
        finally
        {
            layer.PropagatesGradient = propagates;
            RestoreBuffers(layer.Buffers, saved);
        }
    }

    /// <summary>Checks every parameter of <paramref name="network"/> (and dL/d(input)) on its loss for <paramref name="x"/> and <paramref name="labels"/>.</summary>
    public static GradientCheckResult Check(Network network, Tensor x, Tensor labels, GradientCheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(labels);
        options ??= new GradientCheckOptions();
        int batch = x.Shape[0];
        var labelValues = new double[batch];
        network.Provider.Download(labels, labelValues);
        var scores = new double[batch * network.Classes];

        // The loss's own host definition in double precision (for the seed's cross-entropy, without
        // the 1e-7 inside the log, whose derivative the backward (p − onehot)/N does not include).
        double Objective()
        {
            network.Provider.Download(network.Forward(x, training: true), scores);
            return network.LossLayer.HostValue(scores, labelValues, batch);
        }

        var saved = SaveBuffers(network.Buffers);
        bool propagates = network.PropagatesToInput;
        try
        {
            network.PropagatesToInput = options.CheckInput;
            network.Forward(x, training: true);
            network.Loss(labels);
            var dx = network.Backward();
            return Compare(network.Parameters, options.CheckInput ? dx : null, x, Objective, options);
        }
        finally
        {
            network.PropagatesToInput = propagates;
            RestoreBuffers(network.Buffers, saved);
        }
    }

    private static GradientCheckResult Compare(IReadOnlyList<Parameter> parameters, Tensor? inputGradient, Tensor x,
        Func<double> objective, GradientCheckOptions options)
    {
        // Download every analytic gradient before the numerical forwards run.
        var analytic = new List<(string Name, Tensor Value, double[] Gradient)>();
        foreach (var p in parameters) analytic.Add((p.Name, p.Value, Download(p.Gradient)));
        double[]? dx = inputGradient is null ? null : Download(inputGradient);

        var errors = new List<GradientError>(analytic.Count);
        foreach (var (name, value, gradient) in analytic)
            errors.Add(Numeric(name, value, gradient, objective, options));
        GradientError? input = dx is null ? null : Numeric("input", x, dx, objective, options);
        return new GradientCheckResult(errors, input);
    }

    /// <summary>Perturbs elements of <paramref name="tensor"/> one at a time and compares the central difference with <paramref name="analytic"/>.</summary>
    private static GradientError Numeric(string name, Tensor tensor, double[] analytic, Func<double> objective, GradientCheckOptions options)
    {
        var provider = tensor.Provider;
        var values = Download(tensor);
        var readBack = new double[values.Length];
        int count = values.Length;
        int samples = Math.Min(count, Math.Max(1, options.MaxElementsPerTensor));
        double maxRel = 0, maxAbs = 0, worstA = 0, worstN = 0;
        int worst = 0, checkedCount = 0;
        try
        {
            for (int k = 0; k < samples; k++)
            {
                int i = (int)((long)k * count / samples); // evenly spaced, all of them when samples == count
                double original = values[i];
                values[i] = original + options.Epsilon;
                provider.Upload(values, tensor);
                double plusValue = ReadElement(tensor, readBack, i);
                double plus = objective();
                values[i] = original - options.Epsilon;
                provider.Upload(values, tensor);
                double minusValue = ReadElement(tensor, readBack, i);
                double minus = objective();
                values[i] = original;
                // Divide by the step the provider actually stored (a float provider rounds θ ± ε).
                double numeric = (plus - minus) / (plusValue - minusValue);
                double a = analytic[i];
                double abs = Math.Abs(a - numeric);
                double rel = abs / Math.Max(Math.Abs(a) + Math.Abs(numeric), options.Floor);
                if (rel > maxRel || checkedCount == 0)
                {
                    maxRel = rel; worst = i; worstA = a; worstN = numeric;
                }
                maxAbs = Math.Max(maxAbs, abs);
                checkedCount++;
            }
        }
        finally
        {
            provider.Upload(values, tensor);
        }
        return new GradientError(name, maxRel, maxAbs, worst, worstA, worstN, checkedCount);
    }

    private static double ReadElement(Tensor tensor, double[] scratch, int index)
    {
        tensor.Provider.Download(tensor, scratch);
        return scratch[index];
    }

    private static double[] Download(Tensor tensor)
    {
        var values = new double[tensor.Length];
        tensor.Provider.Download(tensor, values);
        return values;
    }

    private static double[][] SaveBuffers(IReadOnlyList<NamedTensor> buffers)
    {
        var saved = new double[buffers.Count][];
        for (int i = 0; i < saved.Length; i++) saved[i] = Download(buffers[i].Tensor);
        return saved;
    }

    private static void RestoreBuffers(IReadOnlyList<NamedTensor> buffers, double[][] saved)
    {
        for (int i = 0; i < saved.Length; i++) buffers[i].Tensor.Provider.Upload(saved[i], buffers[i].Tensor);
    }
}
