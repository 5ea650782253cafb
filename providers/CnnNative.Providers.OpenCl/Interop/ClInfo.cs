using System.Text;

namespace CnnNative.Providers.OpenCl.Interop;

/// <summary>Typed wrappers over the clGet*Info query pattern (ask the size, then the value).</summary>
internal static class ClInfo
{
    public static unsafe string PlatformString(nint platform, uint param)
    {
        ClStatus.Check(Cl.clGetPlatformInfo(platform, param, 0, null, out nuint size), nameof(Cl.clGetPlatformInfo));
        var bytes = new byte[(int)size];
        fixed (byte* p = bytes)
            ClStatus.Check(Cl.clGetPlatformInfo(platform, param, size, p, out _), nameof(Cl.clGetPlatformInfo));
        return Decode(bytes);
    }

    public static unsafe string DeviceString(nint device, uint param)
    {
        ClStatus.Check(Cl.clGetDeviceInfo(device, param, 0, null, out nuint size), nameof(Cl.clGetDeviceInfo));
        var bytes = new byte[(int)size];
        fixed (byte* p = bytes)
            ClStatus.Check(Cl.clGetDeviceInfo(device, param, size, p, out _), nameof(Cl.clGetDeviceInfo));
        return Decode(bytes);
    }

    /// <summary>A fixed-size device property (cl_uint, cl_ulong, size_t, cl_bool).</summary>
    public static unsafe T DeviceValue<T>(nint device, uint param) where T : unmanaged
    {
        T value = default;
        ClStatus.Check(Cl.clGetDeviceInfo(device, param, (nuint)sizeof(T), &value, out _), nameof(Cl.clGetDeviceInfo));
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
