using CnnNative.Providers.OpenCl.Interop;
using Silk.NET.OpenCL;

namespace CnnNative.Providers.OpenCl;

/// <summary>One OpenCL device and the facts the provider reports or tunes for.</summary>
internal sealed record ClDevice(
    nint Platform, nint Id, int PlatformIndex, string PlatformName, string PlatformVersion,
    string Name, string Vendor, DeviceType Type, int ComputeUnits, int MaxWorkGroupSize,
    long GlobalMemory, long LocalMemory, long MaxAllocation,
    string DriverVersion, string DeviceVersion, string OpenClCVersion)
{
    public bool IsGpu => (Type & DeviceType.Gpu) != 0;

    public bool IsCpu => (Type & DeviceType.Cpu) != 0;

    public string TypeName => IsGpu ? "GPU" : IsCpu ? "CPU" : (Type & DeviceType.Accelerator) != 0 ? "accelerator" : "other";

    // CL_DEVICE_OPENCL_C_VERSION is deprecated in 3.0 but is the 1.2 query our kernels target.
#pragma warning disable CS0618
    public static ClDevice Query(nint platform, int platformIndex, nint device) => new(
        platform, device, platformIndex,
        ClInfo.PlatformString(platform, PlatformInfo.Name),
        ClInfo.PlatformString(platform, PlatformInfo.Version),
        ClInfo.DeviceString(device, DeviceInfo.Name),
        ClInfo.DeviceString(device, DeviceInfo.Vendor),
        ClInfo.DeviceValue<DeviceType>(device, DeviceInfo.Type),
        (int)ClInfo.DeviceValue<uint>(device, DeviceInfo.MaxComputeUnits),
        (int)Math.Min(ClInfo.DeviceValue<nuint>(device, DeviceInfo.MaxWorkGroupSize), 1u << 20),
        (long)ClInfo.DeviceValue<ulong>(device, DeviceInfo.GlobalMemSize),
        (long)ClInfo.DeviceValue<ulong>(device, DeviceInfo.LocalMemSize),
        (long)ClInfo.DeviceValue<ulong>(device, DeviceInfo.MaxMemAllocSize),
        ClInfo.DeviceString(device, DeviceInfo.DriverVersion),
        ClInfo.DeviceString(device, DeviceInfo.Version),
        ClInfo.DeviceString(device, DeviceInfo.OpenclCVersion));
#pragma warning restore CS0618

    public override string ToString() => $"{Name} ({TypeName}, {PlatformName})";
}
