using System.Xml;
using System.Xml.Linq;
using CnnNative.Cli.Report;
using CnnNative.Nn.Training;

namespace CnnNative.Tests.Report;

/// <summary>A full report's worth of made-up but plausible data, and an XML view of rendered pages.</summary>
internal static class ReportSamples
{
    public static readonly string[] FashionNames =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    public static RunReportData Full(int stepLosses = 1200)
    {
        var random = new Random(11);
        var confusion = new int[10, 10];
        for (int t = 0; t < 10; t++)
            for (int p = 0; p < 10; p++)
                confusion[t, p] = t == p ? 850 + t * 10 : random.Next(0, 25);
        confusion[6, 0] = 123; // shirts taken for T-shirts, the classic Fashion-MNIST confusion

        var steps = new StepLoss[stepLosses];
        for (int i = 0; i < steps.Length; i++) steps[i] = new StepLoss(i + 1, 2.3 * Math.Exp(-i / 300.0) + 0.25 + 0.1 * random.NextDouble());

        var misclassified = new List<MisclassifiedSample>();
        for (int i = 0; i < 5; i++)
        {
            var pixels = new float[28 * 28];
            for (int p = 0; p < pixels.Length; p++) pixels[p] = (p * 7 + i * 13) % 256 / 255f;
            misclassified.Add(new MisclassifiedSample(pixels, 28, 28, TrueClass: 6, PredictedClass: i == 4 ? 9 : 0, Confidence: 0.9 - i * 0.1));
        }

        var weights = new float[30 * 1 * 5 * 5];
        for (int i = 0; i < weights.Length; i++) weights[i] = (float)(random.NextDouble() - 0.5);
        var maps = new float[30 * 24 * 24];
        for (int i = 0; i < maps.Length; i++) maps[i] = (float)Math.Max(0, random.NextDouble() - 0.3);
        var input = new float[28 * 28];
        for (int i = 0; i < input.Length; i++) input[i] = i % 28 / 27f;

        return new RunReportData
        {
            Title = "simple-conv on Fashion-MNIST <managed> & \"friends\"",
            GeneratedAt = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero),
            Settings =
            [
                new("model", "simple-conv"),
                new("provider", "managed (AVX-512, 2 threads)"),
                new("optimizer", "Adam, lr = 0.001"),
                new("note", "<b>not bold</b> & 'quoted'"),
            ],
            Epochs =
            [
                new EpochMetrics(1, 0.62, 0.78, 0.80, 2100, 30.5),
                new EpochMetrics(2, 0.41, 0.86, 0.85, 2150, 29.8),
                new EpochMetrics(3, 0.35, 0.88, 0.87, 2180, 29.1),
            ],
            StepLosses = steps,
            ClassNames = FashionNames,
            ConfusionMatrix = confusion,
            Misclassified = misclassified,
            FirstLayerFilters = new FilterBank(weights, 30, 1, 5, 5),
            FeatureMaps = new FeatureMapSet(maps, 30, 24, 24, input, 28, 28) { Caption = "Sneaker (test #0)" },
        };
    }

    /// <summary>Three epochs of a run with a validation split: training, validation and test loss and accuracy.</summary>
    public static EpochMetrics[] EpochsWithHeldOutLoss() =>
    [
        new EpochMetrics(1, 0.62, 0.78, 0.80, 2100, 30.5) { ValidationLoss = 0.55, ValidationAccuracy = 0.81, TestLoss = 0.56 },
        new EpochMetrics(2, 0.41, 0.86, 0.85, 2150, 29.8) { ValidationLoss = 0.42, ValidationAccuracy = 0.86, TestLoss = 0.43 },
        new EpochMetrics(3, 0.35, 0.88, 0.87, 2180, 29.1) { ValidationLoss = 0.40, ValidationAccuracy = 0.87, TestLoss = 0.39 },
    ];

    /// <summary>Parses the page as XML (the report is XHTML-compatible); any well-formedness error fails the test.</summary>
    public static XDocument Parse(string html)
    {
        using var reader = XmlReader.Create(new StringReader(html), new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore });
        return XDocument.Load(reader);
    }

    public static IEnumerable<XElement> ByName(this XContainer node, string localName) =>
        node.Descendants().Where(e => e.Name.LocalName == localName);

    public static XElement ById(this XContainer node, string id) =>
        node.Descendants().Single(e => (string?)e.Attribute("id") == id);
}
