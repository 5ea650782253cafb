namespace CnnNative.Cli.Report;

/// <summary>The report's stylesheet, inline. No external fonts, no url(): the page must work offline.</summary>
internal static class ReportStyle
{
    public const string Css = """

body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #222; background: #f6f7f9; margin: 0; }
header, main, footer { max-width: 1340px; margin: 0 auto; padding: 0 24px; }
header { padding-top: 20px; }
h1 { font-size: 26px; margin: 8px 0; }
h2 { font-size: 19px; margin: 0 0 12px 0; }
nav a { margin-right: 14px; color: #1f5f9f; text-decoration: none; }
.generated { color: #666; margin: 4px 0 10px 0; }
.summary { display: flex; flex-wrap: wrap; gap: 12px; margin: 16px 0; }
.summary div { background: #fff; border: 1px solid #dde1e6; border-radius: 6px; padding: 8px 14px; }
.summary dt { font-size: 12px; color: #666; }
.summary dd { margin: 2px 0 0 0; font-size: 18px; font-weight: 600; }
section { background: #fff; border: 1px solid #dde1e6; border-radius: 8px; padding: 16px 20px; margin: 18px 0; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(520px, 1fr)); gap: 16px; }
.charts figure { max-width: 640px; }
figure { margin: 0; }
figcaption, .note { color: #555; font-size: 13px; max-width: 640px; }
svg { max-width: 100%; height: auto; }
table { border-collapse: collapse; font-size: 14px; }
th, td { border-bottom: 1px solid #e6e8eb; padding: 4px 12px; text-align: left; }
table.numbers td { text-align: right; font-variant-numeric: tabular-nums; }
table.settings th { font-weight: 600; color: #444; }
.gallery { display: flex; flex-wrap: wrap; gap: 10px; }
.sample { width: 96px; text-align: center; font-size: 12px; }
.sample img, .tile img { image-rendering: pixelated; display: block; margin: 0 auto; border: 1px solid #ccc; }
.truth { color: #1f5f9f; }
.predicted { color: #b3261e; }
.tiles { display: grid; gap: 8px; justify-content: start; }
.filters { grid-template-columns: repeat(8, auto); }
.maps { grid-template-columns: repeat(auto-fill, minmax(96px, max-content)); }
.tile figcaption { text-align: center; }
.missing { color: #777; font-style: italic; }
.scroll { overflow-x: auto; }
table.compare td { white-space: nowrap; font-variant-numeric: tabular-nums; }
table.compare tbody th { font-weight: normal; color: #555; }
table.compare tr.differs td { font-weight: 600; }
figure h3 { font-size: 15px; margin: 0 0 4px 0; }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 2px; margin-right: 6px; vertical-align: -1px; }
footer { color: #777; font-size: 12px; padding-bottom: 24px; }

""";
}
