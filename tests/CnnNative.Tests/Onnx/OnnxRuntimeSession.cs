using Microsoft.ML.OnnxRuntime;

namespace CnnNative.Tests.Onnx;

/// <summary>Runs an exported model in ONNX Runtime (CPU) and returns one output as floats.</summary>
internal static class OnnxRuntimeSession
{
    public static float[] Run(byte[] model, float[] input, long[] shape, string output = "scores")
    {
        using var session = new InferenceSession(model);
        using var x = OrtValue.CreateTensorValueFromMemory(input, shape);
        using var runOptions = new RunOptions();
        using var results = session.Run(runOptions, [session.InputNames[0]], [x], [output]);
        return results[0].GetTensorDataAsSpan<float>().ToArray();
    }
}
