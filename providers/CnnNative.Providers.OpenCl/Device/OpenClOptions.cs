using Microsoft.Extensions.Configuration;

namespace CnnNative.Providers.OpenCl;

/// <summary>
/// The <c>Compute:OpenCl</c> configuration section: which device runs the provider.
/// <code>
/// "OpenCl": { "Platform": "NVIDIA CUDA", "DeviceType": "gpu", "DeviceIndex": 0, "LibraryPath": "/opt/ocl/libOpenCL.so.1" }
/// </code>
/// </summary>
public sealed record OpenClOptions
{
    /// <summary>A platform name (case-insensitive substring) or index; null or empty means every platform.</summary>
    public string? Platform { get; init; }

    /// <summary><c>gpu</c>, <c>cpu</c> or <c>any</c> (the default: a GPU when one exists, otherwise any device).</summary>
    public string DeviceType { get; init; } = "any";

    /// <summary>Index among the devices that match <see cref="Platform"/> and <see cref="DeviceType"/>.</summary>
    public int DeviceIndex { get; init; }

    /// <summary>
    /// The OpenCL library to load (a file, a folder holding libOpenCL.so.1, or a library name);
    /// when set only it is tried. Null: the environment variable <c>CNN_OPENCL_LIBRARY</c>, else
    /// the app's runtimes/&lt;rid&gt;/native folder and the system loader's search.
    /// </summary>
    public string? LibraryPath { get; init; }

    /// <summary>Reads the section; a value that does not parse is reported with the key and what is allowed.</summary>
    public static OpenClOptions From(IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(section);
        string? platform = section["Platform"];
        string deviceType = (section["DeviceType"] ?? "any").Trim().ToLowerInvariant();
        if (deviceType is not ("gpu" or "cpu" or "any"))
            throw new ArgumentException(
                $"Compute:OpenCl:DeviceType is '{section["DeviceType"]}'; use gpu, cpu or any.", nameof(section));
        int deviceIndex = 0;
        string? index = section["DeviceIndex"];
        if (!string.IsNullOrWhiteSpace(index) && (!int.TryParse(index, out deviceIndex) || deviceIndex < 0))
            throw new ArgumentException(
                $"Compute:OpenCl:DeviceIndex is '{index}'; use a device number 0, 1, … (see `cnn providers`).", nameof(section));
        return new OpenClOptions
        {
            Platform = string.IsNullOrWhiteSpace(platform) ? null : platform.Trim(),
            DeviceType = deviceType,
            DeviceIndex = deviceIndex,
            LibraryPath = string.IsNullOrWhiteSpace(section["LibraryPath"]) ? null : section["LibraryPath"]!.Trim(),
        };
    }
}
