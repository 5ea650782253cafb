using CnnNative.Nn;
using CnnNative.Nn.Training;

namespace CnnNative.Training;

/// <summary>A metrics.csv (or steps.csv) that cannot be read; the message names the file, the line and the problem.</summary>
public sealed class MetricsFormatException(string message) : FormatException(message);
