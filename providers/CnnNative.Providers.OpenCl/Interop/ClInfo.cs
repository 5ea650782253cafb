using System.Text;
using Silk.NET.OpenCL;

namespace CnnNative.Providers.OpenCl.Interop;

/// <summary>Typed wrappers over the clGet*Info query pattern (ask the size, then the value).</summary>
internal static class ClInfo
{
    public static unsafe string PlatformString(nint platform, PlatformInfo param)
    {
        var cl = OpenClLibrary.Api;
        nuint size;
        ClStatus.Check(cl.GetPlatformInfo(platform, param, 0, null, &size), "clGetPlatformInfo");
        var bytes = new byte[(int)size];
        fixed (byte* p = bytes)
            ClStatus.Check(cl.GetPlatformInfo(platform, param, size, p, null), "clGetPlatformInfo");
        return Decode(bytes);
    }

    public static unsafe string DeviceString(nint device, DeviceInfo param)
    {
        var cl = OpenClLibrary.Api;
        nuint size;
        ClStatus.Check(cl.GetDeviceInfo(device, param, 0, null, &size), "clGetDeviceInfo");
        var bytes = new byte[(int)size];
        fixed (byte* p = bytes)
            ClStatus.Check(cl.GetDeviceInfo(device, param, size, p, null), "clGetDeviceInfo");
        return Decode(bytes);
    }

    /// <summary>A fixed-size device property (cl_uint, cl_ulong, size_t, cl_bool).</summary>
    public static unsafe T DeviceValue<T>(nint device, DeviceInfo param) where T : unmanaged
    {
        T value = default;
        ClStatus.Check(OpenClLibrary.Api.GetDeviceInfo(device, param, (nuint)sizeof(T), &value, null), "clGetDeviceInfo");
        return value;
    }

    /// <summary>OpenCL strings are NUL-terminated UTF-8 (in practice ASCII), often with trailing blanks.</summary>
    public static string Decode(ReadOnlySpan<byte> bytes)
    {
        int end = bytes.IndexOf((byte)0);
        if (end >= 0) bytes = bytes[..end];
        return Encoding.UTF8.GetString(bytes).Trim();
    }
}
