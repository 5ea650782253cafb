#!/usr/bin/env -S dotnet run
#:project ../src/CnnNative.Data/CnnNative.Data.csproj
// Builds the README's "train on your own images" data from an IDX folder's test set (default
// Debian's Fashion-MNIST): OUT/images/{train,test}/<class>/NNNNN.{png,jpg} (even samples PNG,
// odd ones JPEG at quality 92) and OUT/idx/, the same samples and split as IDX files with a
// classes.txt, so training on either can be compared.
//   dotnet run samples/idx-to-image-folder.cs -- OUT [TRAIN_COUNT] [IDX_FOLDER]
using CnnNative.Data;
using CnnNative.Data.Imaging;

if (args.Length is < 1 or > 3)
{
    Console.Error.WriteLine("usage: dotnet run samples/idx-to-image-folder.cs -- OUT [TRAIN_COUNT (default 8000)] [IDX_FOLDER]");
    return 2;
}
string output = Path.GetFullPath(args[0]);
int trainCount = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 8000;
Dataset source = DatasetLoader.Load(args.Length > 2 ? args[2] : null, DataSplit.Test);
if (trainCount <= 0 || trainCount >= source.Count)
{
    Console.Error.WriteLine($"TRAIN_COUNT must be between 1 and {source.Count - 1}.");
    return 2;
}

// Folder names become class names; a slash cannot be in one ("T-shirt/top").
string[] folders = source.ClassNames.Select(n => n.Replace('/', '-')).ToArray();
int size = source.Rows * source.Columns;
var pixels = new byte[source.Count * size];
for (int i = 0; i < pixels.Length; i++) pixels[i] = (byte)MathF.Round(source.Images[i] * 255f);

for (int i = 0; i < source.Count; i++)
{
    string split = i < trainCount ? "train" : "test";
    string folder = Path.Combine(output, "images", split, folders[source.Label(i)]);
    Directory.CreateDirectory(folder);
    var image = new GrayImage(source.Columns, source.Rows, pixels[(i * size)..((i + 1) * size)]);
    ImageFile.Save(Path.Combine(folder, $"{i:00000}.{(i % 2 == 0 ? "png" : "jpg")}"), image);
}

string idx = Path.Combine(output, "idx");
Directory.CreateDirectory(idx);
byte[] labels = source.Labels.Select(l => (byte)l).ToArray();
IdxWriter.WriteImages(Path.Combine(idx, "train-images-idx3-ubyte.gz"), trainCount, source.Rows, source.Columns, pixels.AsSpan(0, trainCount * size), gzip: true);
IdxWriter.WriteLabels(Path.Combine(idx, "train-labels-idx1-ubyte.gz"), labels.AsSpan(0, trainCount), gzip: true);
IdxWriter.WriteImages(Path.Combine(idx, "t10k-images-idx3-ubyte.gz"), source.Count - trainCount, source.Rows, source.Columns, pixels.AsSpan(trainCount * size), gzip: true);
IdxWriter.WriteLabels(Path.Combine(idx, "t10k-labels-idx1-ubyte.gz"), labels.AsSpan(trainCount), gzip: true);
// The folder tree numbers its classes in sorted name order; the IDX copy keeps the labels' order.
File.WriteAllLines(Path.Combine(idx, ClassNames.FileName), folders);
Console.WriteLine($"wrote {source.Count} images ({trainCount} train, {source.Count - trainCount} test) under {Path.Combine(output, "images")} and the same split as IDX under {idx}");
return 0;
