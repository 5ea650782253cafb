using CnnNative.Core;

namespace CnnNative.Nn;

/// <summary>
/// Fills parameters with their initial values, drawn from <see cref="CounterRng.Normal"/> keyed
/// by (seed, parameter index), so the same model with the same seed starts from the same
/// weights on every provider. Weights get N(0, σ²) per their <see cref="WeightInit"/>; biases
/// and β start at 0, γ at 1.
/// </summary>
public static class WeightInitializer
{
    /// <summary>
    /// Initialisation streams have the top bit set, which keeps them apart from dropout
    /// streams (<see cref="StepContext.StreamFor(Layer)"/>, step &lt; 2⁴⁷ in the high bits).
    /// </summary>
    public static ulong StreamFor(int parameterIndex) => (1UL << 63) | (uint)parameterIndex;

    /// <summary>Sets <paramref name="parameter"/> to its initial value; <paramref name="index"/> is its position in the network.</summary>
    public static void Initialize(Parameter parameter, WeightInit init, ulong seed, int index)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        var provider = parameter.Value.Provider;
        switch (parameter.Role)
        {
            case ParameterRole.Weight:
                provider.Upload(Draw(parameter.Value.Length, init.StdFor(parameter.FanIn), seed, index), parameter.Value);
                break;
            case ParameterRole.Scale:
                provider.Fill(parameter.Value, 1f);
                break;
            default:
                provider.Fill(parameter.Value, 0f);
                break;
        }
        provider.Fill(parameter.Gradient, 0f);
    }

    /// <summary>The values <see cref="Initialize"/> uploads for a weight: σ·N(0, 1) from stream (seed, index).</summary>
    public static float[] Draw(int length, double std, ulong seed, int index)
    {
        ulong key = CounterRng.StreamKey(seed, StreamFor(index));
        var values = new float[length];
        for (int i = 0; i < length; i++) values[i] = (float)(std * CounterRng.Normal(key, (ulong)i));
        return values;
    }
}
