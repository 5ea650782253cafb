using System.Globalization;
using System.Text;
using CnnNative.Data.Imaging;
using CnnNative.Nn.Filters;

namespace CnnNative.Cli.Report;

/// <summary>One filtered image of a gallery: the kernel and what it made of the original.</summary>
internal sealed record FilteredImage(ImageKernel Kernel, GrayImage Result);

/// <summary>
/// The seed's filter gallery (its <c>plt.subplot(3, 4, …)</c> grid of every kernel's result)
/// as a self-contained HTML page: the original, then each result titled with the kernel's
/// name, its description and its coefficients. Same rules as the run report: inline PNG
/// <c>data:</c> URIs, no script, well-formed XML.
/// </summary>
internal static class FilterGalleryPage
{
    public static string Render(string title, GrayImage original, IReadOnlyList<FilteredImage> results)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(results);
        foreach (FilteredImage r in results)
            if (r.Result.Width != original.Width || r.Result.Height != original.Height)
                throw new ArgumentException(
                    $"Kernel '{r.Kernel.Name}' produced a {r.Result.Width}×{r.Result.Height} image from a {original.Width}×{original.Height} one; filtered images keep the original's size.",
                    nameof(results));

        // Large photos are shown scaled down by the browser; tiny ones enlarged by whole pixels.
        int scale = Math.Max(1, 160 / Math.Max(original.Width, original.Height));
        int shownWidth = Math.Min(original.Width * scale, 320);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n");
        html.Append($"<title>{HtmlText.Escape(title)}</title>\n<style>{ReportStyle.Css}.gallery figure {{ width: {shownWidth}px; }} .gallery img {{ width: {shownWidth}px; height: auto; }} .coefficients td {{ text-align: right; padding: 0 4px; border: none; font-size: 11px; }}</style>\n</head>\n<body>\n");
        html.Append($"<header>\n<h1>{HtmlText.Escape(title)}</h1>\n<p class=\"generated\">{original.Width}×{original.Height} gray image; each kernel slid over the image (edges padded with zeros), results clipped to 0…255.</p>\n</header>\n<main>\n<section id=\"gallery\">\n<div class=\"gallery\">\n");
        Figure(html, "original", "The input, converted to gray.", original, scale, kernel: null);
        foreach (FilteredImage r in results)
            Figure(html, r.Kernel.Name, r.Kernel.Description, r.Result, scale, r.Kernel);
        html.Append("</div>\n</section>\n</main>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static void Figure(StringBuilder html, string name, string description, GrayImage image, int scale, ImageKernel? kernel)
    {
        string id = "kernel-" + name;
        html.Append($"<figure class=\"sample\" id=\"{HtmlText.Escape(id)}\"><img src=\"{ImageTiles.DataUri(ImageTiles.Upscale(image, scale))}\" width=\"{image.Width * scale}\" height=\"{image.Height * scale}\" alt=\"{HtmlText.Escape(name)}\"/>");
        html.Append($"<figcaption><strong>{HtmlText.Escape(name)}</strong><br/>{HtmlText.Escape(description)}");
        if (kernel is not null)
        {
            int divisor = CommonDenominator(kernel);
            if (divisor > 1) html.Append($"<br/>1/{divisor} ×");
            html.Append("<table class=\"coefficients\">");
            for (int r = 0; r < kernel.Height; r++)
            {
                html.Append("<tr>");
                for (int c = 0; c < kernel.Width; c++)
                    html.Append($"<td>{HtmlText.Escape((kernel[r, c] * divisor).ToString("0.####", CultureInfo.InvariantCulture))}</td>");
                html.Append("</tr>");
            }
            html.Append("</table>");
        }
        html.Append("</figcaption></figure>\n");
    }

    /// <summary>The smallest d ≤ 1024 that makes every weight a whole number (16 for the 3×3 Gaussian), or 1 when none does: kernels read as the seed writes them.</summary>
    private static int CommonDenominator(ImageKernel kernel)
    {
        for (int d = 1; d <= 1024; d++)
        {
            bool whole = true;
            foreach (double w in kernel.Weights)
                if (Math.Abs(w * d - Math.Round(w * d)) > 1e-9) { whole = false; break; }
            if (whole) return d;
        }
        return 1;
    }
}
