using CnnNative.Core;

namespace CnnNative.Nn;

/// <summary>
/// A tensor with the stable name a checkpoint stores it under ("conv1.W",
/// "batchnorm1.running_mean", "conv1.W.m" for Adam's first moment).
/// </summary>
public readonly record struct NamedTensor(string Name, Tensor Tensor);
