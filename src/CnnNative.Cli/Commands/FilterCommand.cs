using System.CommandLine;
using System.Globalization;
using CnnNative.Cli.Report;
using CnnNative.Core;
using CnnNative.Data.Imaging;
using CnnNative.Nn.Filters;

namespace CnnNative.Cli.Commands;

/// <summary>
/// `cnn filter`: the classic kernels of seed 003 (or a custom one from JSON) run over an image
/// (PNG, JPEG, WebP, BMP, GIF or PGM; colour becomes BT.601 luma, transparency is composited
/// on --background) as a convolution on the configured provider — zero padding keeps the size, the
/// result is clipped to 0…255 as in the seed. <c>--list</c> shows the kernels;
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
        new("Write a page with the photo through every classic kernel", "cnn filter photo.png --gallery gallery.html"),
    ];

    public Command Build(CliContext context)
    {
        var input = new Argument<string?>("IN")
        {
            Description = "The image to filter: PNG, JPEG, WebP, BMP, GIF or PGM (colour becomes gray, BT.601 luma).",
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
            Description = "Write an HTML page with IN filtered by every classic kernel (and the --kernel-file one), as seed 003's gallery.",
            HelpName = "OUT.html",
        };
        var background = new Option<string>("--background")
        {
            Description = "What transparent pixels are composited on before filtering: white, black, gray or #rrggbb.",
            HelpName = "COLOUR",
            DefaultValueFactory = _ => "white",
        };
        var command = new Command("filter",
            "Filter an image with a classic convolution kernel of seed 003 (edges, Sobel, Laplacian, sharpen, Gaussian, mean) or a custom one, run on the compute provider.")
        {
            input, output, kernel, kernelFile, list, gallery, background,
        };
        command.SetAction(parse => Run(context, parse, new Request(
            parse.GetValue(input), parse.GetValue(output), parse.GetValue(kernel), parse.GetValue(kernelFile),
            parse.GetValue(list), parse.GetValue(gallery), parse.GetValue(background)!)));
        return command;
    }

    private sealed record Request(string? Input, string? Output, string? Kernel, string? KernelFile, bool List, string? Gallery, string Background)
    {
        public GrayImage LoadInput()
        {
            RgbColour colour;
            try
            {
                colour = RgbColour.Parse(Background);
            }
            catch (FormatException e)
            {
                throw new CliException($"--background: {e.Message}", ExitCodes.Usage, e);
            }
            return ImageFile.LoadGray(Input!, colour);
        }
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

        ImageKernel kernel = request.KernelFile is { } file ? KernelJson.Load(file) : Named(request.Kernel!);
        GrayImage image = request.LoadInput();
        context.CancellationToken.ThrowIfCancellationRequested();

        using IComputeProvider provider = context.CreateProvider(parse);
        byte[] filtered = ImageFilter.Apply(provider, kernel, image.Pixels, image.Width, image.Height);
        var result = new GrayImage(image.Width, image.Height, filtered);
        OutputFile.WriteAllBytes(outputPath, ImageFile.EncodeFor(outputPath, result));
        context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"wrote {outputPath}: {image.Width}×{image.Height} gray, {kernel.Name} ({kernel.Height}×{kernel.Width}) on {provider.Name}"));
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
