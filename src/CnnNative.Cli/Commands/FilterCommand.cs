using System.CommandLine;
using System.Globalization;
using CnnNative.Cli.Report;
using CnnNative.Core;
using CnnNative.Data.Imaging;
using CnnNative.Nn.Filters;

namespace CnnNative.Cli.Commands;

/// <summary>
/// `cnn filter`: the classic kernels of seed 003 (or a custom one from JSON) run over an image
/// (PNG, JPEG, WebP, BMP, GIF or PGM; transparency is composited on --background) as a
/// convolution on the configured provider — zero padding keeps the size. A colour image is
/// filtered channel by channel and written in colour (gray for .pgm). The response is clipped to
/// 0…255 as in the seed, or with <c>--signed abs</c> its magnitude, or with <c>--signed diverging</c>
/// drawn blue (negative) – white – red (positive) from the gray image. <c>--list</c> shows the kernels;
/// <c>--gallery</c> writes the seed's gallery of every kernel's result as one HTML page.
/// Inputs are read and the output folder checked before anything runs; outputs are written
/// atomically, so a failure never leaves half a file.
/// </summary>
internal sealed class FilterCommand : ICliCommand
{
    /// <inheritdoc/>
    public IReadOnlyList<CommandExample> Examples { get; } =
    [
        new("List the classic kernels", "cnn filter --list"),
        new("Find vertical edges with the Sobel kernel", "cnn filter photo.png edges.png -k sobel-x"),
        new("Show both edge directions: negative blue, positive red", "cnn filter photo.png edges.png -k sobel-x --signed diverging"),
        new("Write a page with the photo through every classic kernel", "cnn filter photo.png --gallery gallery.html"),
    ];

    public Command Build(CliContext context)
    {
        var input = new Argument<string?>("IN")
        {
            Description = "The image to filter: PNG, JPEG, WebP, BMP, GIF or PGM (colour is filtered per channel and stays colour; gray for .pgm output or --signed diverging, BT.601 luma).",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var output = new Argument<string?>("OUT")
        {
            Description = "Where to write the result: .png, .jpg (quality 92) or .pgm.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var kernel = new Option<string?>("--kernel", "-k")
        {
            Description = "A classic kernel by name (see --list), for example sobel-x or gaussian-5x5.",
            HelpName = "NAME",
        };
        var kernelFile = new Option<string?>("--kernel-file")
        {
            Description = "A custom kernel as JSON: {\"name\": \"ridge\", \"kernel\": [[0, -1, 0], [-1, 4, -1], [0, -1, 0]]} (odd sides).",
            HelpName = "FILE",
        };
        var list = new Option<bool>("--list")
        {
            Description = "List the classic kernels with their sizes and what they do.",
        };
        var gallery = new Option<string?>("--gallery")
        {
            Description = "Write an HTML page with IN filtered by every classic kernel (and the --kernel-file one), side by side.",
            HelpName = "OUT.html",
        };
        var background = new Option<string>("--background")
        {
            Description = "What transparent pixels are composited on before filtering: white, black, gray or #rrggbb.",
            HelpName = "COLOUR",
            DefaultValueFactory = _ => "white",
        };
        var signed = new Option<string?>("--signed")
        {
            Description = "Show negative responses too: abs (|response|, both edge directions bright) or diverging (gray input drawn blue < 0 < red, scaled to the 99th percentile of |response|). Default: clipped to 0–255 as the seed does.",
            HelpName = "abs|diverging",
        };
        var command = new Command("filter",
            "Filter an image with a classic convolution kernel (edges, Sobel, Laplacian, sharpen, Gaussian blur, mean) or a custom one, run on the compute provider.")
        {
            input, output, kernel, kernelFile, list, gallery, background, signed,
        };
        command.SetAction(parse => Run(context, parse, new Request(
            parse.GetValue(input), parse.GetValue(output), parse.GetValue(kernel), parse.GetValue(kernelFile),
            parse.GetValue(list), parse.GetValue(gallery), parse.GetValue(background)!) { Signed = parse.GetValue(signed) }));
        return command;
    }

    private sealed record Request(string? Input, string? Output, string? Kernel, string? KernelFile, bool List, string? Gallery, string Background)
    {
        /// <summary>--signed as given, or null for the seed's clipping.</summary>
        public string? Signed { get; init; }

        public RgbColour BackgroundColour()
        {
            try
            {
                return RgbColour.Parse(Background);
            }
            catch (FormatException e)
            {
                throw new CliException($"--background: {e.Message}", ExitCodes.Usage, e);
            }
        }

        public GrayImage LoadInput() => ImageFile.LoadGray(Input!, BackgroundColour());

        public FilterSign Sign() => Signed?.Trim().ToLowerInvariant() switch
        {
            null => FilterSign.Clip,
            "abs" => FilterSign.Abs,
            "diverging" => FilterSign.Diverging,
            _ => throw new CliException($"--signed must be abs or diverging, got '{Signed}'.", ExitCodes.Usage),
        };
    }

    private static int Run(CliContext context, ParseResult parse, Request request)
    {
        if (request.List)
        {
            if (request.Input is not null || request.Kernel is not null || request.KernelFile is not null || request.Gallery is not null)
                throw new CliException("--list takes no image or kernel; run it alone.", ExitCodes.Usage);
            WriteList(context.Out, KernelRegistry.Classic);
            return ExitCodes.Success;
        }
        return request.Gallery is not null ? RunGallery(context, parse, request) : RunOne(context, parse, request);
    }

    private static int RunOne(CliContext context, ParseResult parse, Request request)
    {
        if (request.Input is null || request.Output is null)
            throw new CliException("Give the image to filter and where to write the result: cnn filter --kernel NAME IN OUT.", ExitCodes.Usage);
        if (request.Kernel is not null && request.KernelFile is not null)
            throw new CliException("Give either --kernel or --kernel-file, not both.", ExitCodes.Usage);
        if (request.Kernel is null && request.KernelFile is null)
            throw new CliException("Say which kernel to apply: --kernel NAME (see cnn filter --list) or --kernel-file FILE.", ExitCodes.Usage);
        string outputPath = OutputFile.Check(request.Output, [".png", ".jpg", ".jpeg", ".pgm"], "an image path ending in .png, .jpg or .pgm");

        FilterSign sign = request.Sign();
        bool gray = Path.GetExtension(outputPath).Equals(".pgm", StringComparison.OrdinalIgnoreCase);
        if (sign == FilterSign.Diverging && gray)
            throw new CliException("--signed diverging draws in colour; write .png or .jpg, not .pgm.", ExitCodes.Usage);
        ImageKernel kernel = request.KernelFile is { } file ? KernelJson.Load(file) : Named(request.Kernel!);
        RasterImage source = ImageFile.Load(request.Input);
        // Colour stays colour, one channel at a time; a diverging map needs the one gray channel for its own colours.
        bool colour = source.Layout is PixelLayout.Rgb or PixelLayout.Rgba && !gray && sign != FilterSign.Diverging;
        context.CancellationToken.ThrowIfCancellationRequested();

        using IComputeProvider provider = context.CreateProvider(parse);
        int width = source.Width, height = source.Height, plane = width * height;
        byte[] encoded;
        if (colour)
        {
            float[] planes = ImagePlanes.FromRaster(source, 3, request.BackgroundColour());
            var rgb = new byte[3 * plane];
            for (int c = 0; c < 3; c++)
            {
                var channel = planes.AsSpan(c * plane, plane);
                for (int i = 0; i < plane; i++) channel[i] = MathF.Round(channel[i] * 255f); // back to the file's 0–255 levels
                byte[] filtered = FilterOutput.Gray(ImageFilter.Correlate(provider, kernel, channel, width, height), sign);
                for (int i = 0; i < plane; i++) rgb[3 * i + c] = filtered[i];
            }
            encoded = ImageFile.EncodeFor(outputPath, new RasterImage(width, height, PixelLayout.Rgb, rgb));
        }
        else
        {
            GrayImage image = GrayImage.FromRaster(source, request.BackgroundColour());
            var values = new float[plane];
            for (int i = 0; i < plane; i++) values[i] = image.Pixels[i];
            float[] responses = ImageFilter.Correlate(provider, kernel, values, width, height);
            encoded = sign == FilterSign.Diverging
                ? ImageFile.EncodeFor(outputPath, new RasterImage(width, height, PixelLayout.Rgb, FilterOutput.Diverging(responses)))
                : ImageFile.EncodeFor(outputPath, new GrayImage(width, height, FilterOutput.Gray(responses, sign)));
        }
        OutputFile.WriteAllBytes(outputPath, encoded);
        string shown = sign switch
        {
            FilterSign.Abs => ", |response|",
            FilterSign.Diverging => ", diverging map (blue < 0 < red)",
            _ => "",
        };
        context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"wrote {outputPath}: {width}×{height} {(colour ? "colour" : "gray")}, {kernel.Name} ({kernel.Height}×{kernel.Width}) on {provider.Name}{shown}"));
        return ExitCodes.Success;
    }

    private static int RunGallery(CliContext context, ParseResult parse, Request request)
    {
        if (request.Input is null)
            throw new CliException("Give the image for the gallery: cnn filter --gallery OUT.html IN.", ExitCodes.Usage);
        if (request.Output is not null)
            throw new CliException($"--gallery writes one HTML page and takes only the input image; drop '{request.Output}'.", ExitCodes.Usage);
        if (request.Kernel is not null)
            throw new CliException("--gallery shows every classic kernel; drop --kernel (a --kernel-file kernel is added to them).", ExitCodes.Usage);
        if (request.Signed is not null)
            throw new CliException("--gallery shows the seed's clipped results; drop --signed (it applies to one kernel's output).", ExitCodes.Usage);
        string outputPath = OutputFile.Check(request.Gallery!, [".html", ".htm"], "a page path ending in .html");

        KernelRegistry registry = KernelRegistry.Classic;
        if (request.KernelFile is { } file)
        {
            ImageKernel custom = KernelJson.Load(file);
            if (registry.TryGet(custom.Name, out _))
                throw new CliException($"{file} names its kernel '{custom.Name}', which is a classic kernel's name; give the custom kernel another name.");
            registry = registry.With(custom);
        }
        GrayImage image = request.LoadInput();

        using IComputeProvider provider = context.CreateProvider(parse);
        var results = new List<FilteredImage>(registry.Kernels.Count);
        foreach (ImageKernel kernel in registry.Kernels)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            byte[] filtered = ImageFilter.Apply(provider, kernel, image.Pixels, image.Width, image.Height);
            results.Add(new FilteredImage(kernel, new GrayImage(image.Width, image.Height, filtered)));
        }
        string html = FilterGalleryPage.Render($"Seed 003's filters on {Path.GetFileName(request.Input)}", image, results);
        OutputFile.WriteAllText(outputPath, html);
        context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"wrote {outputPath}: {image.Width}×{image.Height} image through {results.Count} kernels on {provider.Name}"));
        return ExitCodes.Success;
    }

    /// <summary>A classic kernel by name; an unknown name is a command-line mistake whose message lists the names.</summary>
    private static ImageKernel Named(string name)
    {
        try
        {
            return KernelRegistry.Classic.Get(name);
        }
        catch (UnknownKernelException e)
        {
            // ArgumentException appends " (Parameter 'name')", which means nothing to a user.
            throw new CliException(e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal), ExitCodes.Usage, e);
        }
    }

    private static void WriteList(TextWriter output, KernelRegistry registry)
    {
        int width = 0;
        foreach (ImageKernel k in registry.Kernels) width = Math.Max(width, k.Name.Length);
        foreach (ImageKernel k in registry.Kernels)
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{k.Name.PadRight(width)}  {k.Height}×{k.Width}  {k.Description}"));
        output.WriteLine("Custom kernels: --kernel-file FILE with {\"name\": …, \"kernel\": [[…], …]} (odd height and width).");
    }
}
