namespace CnnNative.Providers.OpenCl.Interop;

/// <summary>The few enumeration values of the OpenCL 1.2 headers (cl.h) that we pass.</summary>
internal static class ClConstants
{
    // cl_device_type (bitfield, cl_ulong)
    public const ulong DeviceTypeCpu = 1 << 1;
    public const ulong DeviceTypeGpu = 1 << 2;
    public const ulong DeviceTypeAccelerator = 1 << 3;
    public const ulong DeviceTypeAll = 0xFFFFFFFF;

    // cl_platform_info
    public const uint PlatformVersion = 0x0901;
    public const uint PlatformName = 0x0902;
    public const uint PlatformVendor = 0x0903;

    // cl_device_info
    public const uint DeviceType = 0x1000;
    public const uint DeviceMaxComputeUnits = 0x1002;
    public const uint DeviceMaxWorkGroupSize = 0x1004;
    public const uint DeviceMaxClockFrequency = 0x100C;
    public const uint DeviceMaxMemAllocSize = 0x1010;
    public const uint DeviceGlobalMemSize = 0x101F;
    public const uint DeviceLocalMemSize = 0x1023;
    public const uint DeviceAvailable = 0x1027;
    public const uint DeviceName = 0x102B;
    public const uint DeviceVendor = 0x102C;
    public const uint DriverVersion = 0x102D;
    public const uint DeviceVersion = 0x102F;
    public const uint DeviceOpenClCVersion = 0x103D;

    // cl_mem_flags
    public const ulong MemReadWrite = 1 << 0;

    // cl_kernel_work_group_info
    public const uint KernelWorkGroupSize = 0x11B0;

    // cl_program_build_info
    public const uint ProgramBuildStatus = 0x1181;
    public const uint ProgramBuildLog = 0x1183;

    public const uint True = 1;
    public const uint False = 0;
}
