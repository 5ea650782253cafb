using CnnNative.Data;

namespace CnnNative.Tests.Data;

public sealed class DatasetLoaderTests : IDisposable
{
    private readonly TempFolder _dir = new("mnist");

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Loads_both_splits_as_nchw_floats_with_float_labels(bool gzip)
    {
        IdxFiles.WriteFolder(_dir.Path, train: 12, test: 5, rows: 4, cols: 3, gzip);

        DataSplits data = DatasetLoader.Load(_dir.Path);

        Assert.Equal((12, 1, 4, 3), (data.Train.Count, data.Train.Channels, data.Train.Rows, data.Train.Columns));
        Assert.Equal(5, data.Test.Count);
        Assert.Equal(12 * 12, data.Train.Images.Length);
        Assert.Equal(IdxFiles.Pixel(7, 5) / 255f, data.Train.Image(7)[5]);
        Assert.Equal((7 * 7) % 10, data.Train.Label(7));
        Assert.Equal((float)((3 * 7) % 10), data.Test.Labels[3]);
        Assert.Equal(ClassNames.Digits, data.Train.ClassNames);
        Assert.Equal(10, data.Test.ClassCount);
        Assert.Equal(new CnnNative.Core.TensorShape(32, 1, 4, 3), data.Train.BatchShape(32));
        Assert.Equal(["train-images", "train-labels", "test-images", "test-labels"], data.Files.Select(f => f.Role));
        Assert.All(data.Files, f => Assert.Equal(new FileInfo(f.Path).Length, f.Length));
    }

    [Fact]
    public void Class_names_come_from_classes_txt_or_the_caller_never_from_the_folder_name()
    {
        string fashion = Path.Combine(_dir.Path, "Fashion-MNIST");
        Directory.CreateDirectory(fashion);
        IdxFiles.WriteFolder(fashion, train: 10, test: 10);

        Assert.Equal(ClassNames.Digits, DatasetLoader.Load(fashion).Train.ClassNames); // the name says "Fashion", the labels do not
        File.WriteAllText(Path.Combine(fashion, ClassNames.FileName), "zero\none\n two \n\nthree\nfour\nfive\nsix\nseven\neight\nnine\n");
        Assert.Equal("two", DatasetLoader.Load(fashion).Train.ClassNames[2]);
        string[] custom = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"];
        Assert.Equal(custom, DatasetLoader.Load(fashion, custom).Test.ClassNames);
    }

    [Fact]
    public void Labels_above_nine_get_their_numbers_as_names()
    {
        IdxFiles.WriteFolder(_dir.Path, train: 12, test: 5);
        byte[] labels = IdxFiles.LabelsFile(5);
        labels[8 + 3] = 11;
        IdxFiles.Write(_dir.File("t10k-labels-idx1-ubyte.gz"), labels, gzip: true);

        Assert.Equal(ClassNames.Numbers(12), DatasetLoader.Load(_dir.Path).Train.ClassNames);
    }

    [Fact]
    public void The_dotted_mnist_file_names_are_found_too()
    {
        File.WriteAllBytes(_dir.File("t10k-images.idx3-ubyte"), IdxFiles.ImagesFile(4, 2, 2));
        File.WriteAllBytes(_dir.File("t10k-labels.idx1-ubyte"), IdxFiles.LabelsFile(4));

        Dataset test = DatasetLoader.Load(_dir.Path, DataSplit.Test);

        Assert.Equal(4, test.Count);
    }

    [Fact]
    public void A_label_count_different_from_the_image_count_is_reported()
    {
        IdxFiles.WriteFolder(_dir.Path, train: 12, test: 5);
        IdxFiles.Write(_dir.File("train-labels-idx1-ubyte.gz"), IdxFiles.LabelsFile(11), gzip: true);

        var e = Assert.Throws<InvalidDataFileException>(() => DatasetLoader.Load(_dir.Path));

        Assert.Contains("train-labels-idx1-ubyte.gz: it holds 11 labels but", e.Message);
        Assert.Contains("train-images-idx3-ubyte.gz holds 12 images", e.Message);
    }

    [Fact]
    public void A_label_outside_the_classes_is_reported_with_its_position()
    {
        IdxFiles.WriteFolder(_dir.Path, train: 12, test: 5);
        File.WriteAllLines(_dir.File(ClassNames.FileName), ClassNames.Digits);
        byte[] labels = IdxFiles.LabelsFile(5);
        labels[8 + 3] = 10;
        IdxFiles.Write(_dir.File("t10k-labels-idx1-ubyte.gz"), labels, gzip: true);

        var e = Assert.Throws<InvalidDataFileException>(() => DatasetLoader.Load(_dir.Path));

        Assert.Contains("t10k-labels-idx1-ubyte.gz: label 10 of sample 3 is outside 0..9 (10 classes", e.Message);
    }

    [Fact]
    public void Fewer_class_names_make_larger_labels_invalid()
    {
        IdxFiles.WriteFolder(_dir.Path, train: 12, test: 5);

        var e = Assert.Throws<InvalidDataFileException>(() => DatasetLoader.Load(_dir.Path, ["zero", "one", "two"]));

        Assert.Contains("is outside 0..2 (3 classes: zero, one, two)", e.Message);
    }

    [Fact]
    public void Splits_with_different_image_sizes_are_reported()
    {
        IdxFiles.WriteFolder(_dir.Path, train: 6, test: 5, rows: 4, cols: 3);
        IdxFiles.Write(_dir.File("t10k-images-idx3-ubyte.gz"), IdxFiles.ImagesFile(5, 3, 4), gzip: true);

        var e = Assert.Throws<InvalidDataFileException>(() => DatasetLoader.Load(_dir.Path));

        Assert.Contains("training images are 4×3 but the test images are 3×4", e.Message);
    }

    [Fact]
    public void A_missing_folder_says_how_to_install_the_data_or_choose_another()
    {
        string missing = _dir.File("no-such-folder");

        var e = Assert.Throws<InvalidDataFileException>(() => DatasetLoader.Load(missing));

        Assert.Contains(missing, e.Message);
        Assert.Contains("the data folder does not exist", e.Message);
        Assert.Contains("apt-get install dataset-fashion-mnist", e.Message);
        Assert.Contains("--data DIR", e.Message);
    }

    [Fact]
    public void A_missing_file_in_the_folder_is_named()
    {
        IdxFiles.WriteFolder(_dir.Path, train: 6, test: 5);
        File.Delete(_dir.File("t10k-labels-idx1-ubyte.gz"));

        var e = Assert.Throws<InvalidDataFileException>(() => DatasetLoader.Load(_dir.Path));

        Assert.Contains("the folder has no t10k-labels-idx1-ubyte[.gz]", e.Message);
    }

    [Fact]
    public void A_folder_in_place_of_a_file_is_called_a_folder()
    {
        IdxFiles.WriteFolder(_dir.Path, train: 6, test: 5);
        File.Delete(_dir.File("t10k-labels-idx1-ubyte.gz"));
        Directory.CreateDirectory(_dir.File("t10k-labels-idx1-ubyte"));

        var e = Assert.Throws<InvalidDataFileException>(() => DatasetLoader.Load(_dir.Path));

        Assert.Contains("t10k-labels-idx1-ubyte: it is a folder, not a regular file", e.Message);
    }

    [Fact]
    public void A_corrupt_file_in_the_folder_surfaces_the_reader_message()
    {
        IdxFiles.WriteFolder(_dir.Path, train: 6, test: 5);
        File.WriteAllBytes(_dir.File("train-images-idx3-ubyte.gz"), IdxWriter.Gzip(IdxFiles.LabelsFile(6)));

        var e = Assert.Throws<InvalidDataFileException>(() => DatasetLoader.Load(_dir.Path));

        Assert.Contains("train-images-idx3-ubyte.gz: this is a labels file", e.Message);
    }

    [Fact]
    public void Dataset_rejects_arrays_that_disagree()
    {
        Assert.Throws<ArgumentException>(() => new Dataset("x", new float[11], new float[3], 1, 2, 2, ClassNames.Digits));
        Assert.Throws<ArgumentException>(() => new Dataset("x", new float[12], [0, 1.5f, 2], 1, 2, 2, ClassNames.Digits));
        Assert.Throws<ArgumentException>(() => new Dataset("x", new float[12], [0, 10, 2], 1, 2, 2, ClassNames.Digits));
        Assert.Throws<ArgumentException>(() => new Dataset("x", new float[12], [0, float.NaN, 2], 1, 2, 2, ClassNames.Digits));
    }

    [Fact]
    public void Slice_copies_a_contiguous_part()
    {
        IdxFiles.WriteFolder(_dir.Path, train: 12, test: 5);
        Dataset train = DatasetLoader.Load(_dir.Path, DataSplit.Train);

        Dataset part = train.Slice(4, 3);

        Assert.Equal(3, part.Count);
        Assert.Equal(train.Image(5).ToArray(), part.Image(1).ToArray());
        Assert.Equal(train.Label(6), part.Label(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => train.Slice(10, 3));
    }
}
