using CnnNative.Providers.OpenCl.Interop;

namespace CnnNative.Providers.OpenCl;

/// <summary>One OpenCL device and the facts the provider reports or tunes for.</summary>
internal sealed record ClDevice(
    nint Platform, nint Id, int PlatformIndex, string PlatformName, string PlatformVersion,
    string Name, string Vendor, ulong Type, int ComputeUnits, int MaxWorkGroupSize,
    long GlobalMemory, long LocalMemory, long MaxAllocation,
    string DriverVersion, string DeviceVersion, string OpenClCVersion)
{
    public bool IsGpu => (Type & ClConstants.DeviceTypeGpu) != 0;

    public bool IsCpu => (Type & ClConstants.DeviceTypeCpu) != 0;

    public string TypeName => IsGpu ? "GPU" : IsCpu ? "CPU" : (Type & ClConstants.DeviceTypeAccelerator) != 0 ? "accelerator" : "other";

    public static ClDevice Query(nint platform, int platformIndex, nint device) => new(
        platform, device, platformIndex,
        ClInfo.PlatformString(platform, ClConstants.PlatformName),
        ClInfo.PlatformString(platform, ClConstants.PlatformVersion),
        ClInfo.DeviceString(device, ClConstants.DeviceName),
        ClInfo.DeviceString(device, ClConstants.DeviceVendor),
        ClInfo.DeviceValue<ulong>(device, ClConstants.DeviceType),
        (int)ClInfo.DeviceValue<uint>(device, ClConstants.DeviceMaxComputeUnits),
        (int)Math.Min(ClInfo.DeviceValue<nuint>(device, ClConstants.DeviceMaxWorkGroupSize), 1u << 20),
        (long)ClInfo.DeviceValue<ulong>(device, ClConstants.DeviceGlobalMemSize),
        (long)ClInfo.DeviceValue<ulong>(device, ClConstants.DeviceLocalMemSize),
        (long)ClInfo.DeviceValue<ulong>(device, ClConstants.DeviceMaxMemAllocSize),
        ClInfo.DeviceString(device, ClConstants.DriverVersion),
        ClInfo.DeviceString(device, ClConstants.DeviceVersion),
        ClInfo.DeviceString(device, ClConstants.DeviceOpenClCVersion));

    public override string ToString() => $"{Name} ({TypeName}, {PlatformName})";
}
