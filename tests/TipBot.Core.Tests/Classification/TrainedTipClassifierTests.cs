using System.Text;
using Microsoft.Extensions.Logging;
using TipBot.Core.Classification;
using TipBot.Core.Classification.Features;
using TipBot.Core.Classification.Model;
using TipBot.Core.Classification.Training;
using TipBot.Core.Text;

namespace TipBot.Core.Tests;

public class TrainedTipClassifierTests
{
    private static readonly Lazy<TrainedTipClassifier> Shipped = new(() => TrainedTipClassifier.Load(TipModel.DefaultPath));

    private static TrainedTipClassifier Classifier => Shipped.Value;

    /// <summary>The tip as typed on a phone without a Vietnamese keyboard: no marks, case and punctuation kept.</summary>
    private static string WithoutDiacritics(string text) =>
        string.Concat(VietnameseText.Normalize(text).Select(VietnameseText.FoldChar));

    [Fact]
    public void The_shipped_model_loads_with_every_category_and_is_small()
    {
        Assert.True(File.Exists(TipModel.DefaultPath), $"no model at {TipModel.DefaultPath}");
        Assert.True(new FileInfo(TipModel.DefaultPath).Length <= 20 * 1024 * 1024, "the model file is at most 20 MB");
        Assert.Equal(Categories.All.Select(c => c.Code), Classifier.CategoryCodes);
        Assert.True(Classifier.Model.FeatureHashes.Length > 1000);
        Assert.IsType<TrainedTipClassifier>(TrainedTipClassifier.LoadOrFallback());
    }

    [Theory]
    [InlineData("drugs", "Tối nào cũng có mấy thằng tụ tập trong phòng trọ cuối kiệt hút đá, mùi khét lẹt, người lạ ra vào liên tục")]
    [InlineData("gambling", "Quán nước đầu hẻm nhận ghi đề, chiều nào cũng đông người tới ghi số, chủ quán ghi vào sổ")]
    [InlineData("fraud", "Có người nhắn tin tuyển cộng tác viên việc nhẹ lương cao, bắt nạp tiền làm nhiệm vụ, tôi chuyển khoản 5 triệu rồi bị chặn")]
    [InlineData("theft", "Đêm qua nhà tôi bị trộm dắt mất chiếc xe máy dựng trong sân, ổ khóa cổng bị cắt")]
    [InlineData("loan_sharking", "Bọn cho vay bốc bát họ tới tạt sơn, ném mắm tôm vô nhà tôi vì trả góp trễ mấy ngày")]
    [InlineData("environment", "Ban đêm có ghe hút cát trái phép trên sông, bờ sông sạt lở vô tới vườn nhà dân")]
    [InlineData("traffic", "Tối thứ bảy nào cũng có đám thanh niên đua xe, bốc đầu, lạng lách đánh võng trên đường ven biển")]
    [InlineData("prostitution", "Tiệm massage đầu đường có nhân viên nữ đi khách, môi giới mại dâm cho khách qua đêm")]
    public void A_realistic_tip_is_classified_right_with_and_without_diacritics(string category, string tip)
    {
        var withMarks = Classifier.Classify(tip);
        var withoutMarks = Classifier.Classify(WithoutDiacritics(tip));

        Assert.Equal(category, withMarks.Category);
        Assert.Equal(category, withoutMarks.Category);
        Assert.True(withMarks.Confidence >= 0.45, $"confidence {withMarks.Confidence:0.00}: the dialog would ask the category");
        Assert.NotEqual(withMarks.Category, withMarks.RunnerUp);
        Assert.True(withMarks.RunnerUpConfidence <= withMarks.Confidence);
    }

    [Fact]
    public void Teencode_reads_like_the_words_it_stands_for()
    {
        var teencode = Classifier.Classify("e bi lua r, ng ta noi dc viec nhe luong cao, e ck cho no 3tr ma ko lay lai dc");
        Assert.Equal("fraud", teencode.Category);
    }

    [Fact]
    public void Confidences_are_probabilities()
    {
        Span<float> p = stackalloc float[Classifier.CategoryCodes.Count];
        Assert.True(Classifier.TryPredict("có người bán ma túy ở quán karaoke", p));
        Assert.Equal(1.0, p.ToArray().Sum(), 3);
        Assert.All(p.ToArray(), x => Assert.InRange(x, 0f, 1f));
    }

    public static TheoryData<string, string> BadInput() => new()
    {
        { "empty", "" },
        { "spaces", "   \n\t " },
        { "100 KB of letters", new string('a', 100 * 1024) },
        { "100 KB of a real tip", string.Concat(Enumerable.Repeat("có người bán ma túy ở quán karaoke đầu kiệt. ", 2400)) },
        { "emoji only", "😀😀👍🔥🚓" },
        { "Chinese", "你好，我想举报有人在卖毒品" },
        { "Arabic", "مرحبا، أريد الإبلاغ عن شيء" },
        { "control characters", "\u0000\u0001\u0007\u001b\u007f\u200b" },
        { "keyboard mash", "qwxzk jjjjj zzzz" },
    };

    [Theory]
    [MemberData(nameof(BadInput))]
    public void Bad_input_is_other_with_low_confidence(string what, string text)
    {
        var result = Classifier.Classify(text);
        Assert.True(result.Category == Category.Other, $"{what}: {result.Category}");
        Assert.True(result.Confidence <= 0.1, $"{what}: confidence {result.Confidence}");
    }

    [Fact]
    public void Classifying_from_many_threads_gives_the_same_answers_as_one_thread()
    {
        string[] tips =
        [
            "dang co nguoi cam dao chem nhau truoc quan nhau", "Có sới bạc trong rừng keo sau đồi", "bị giật điện thoại ở vỉa hè",
            "ông hàng xóm đánh vợ mỗi đêm", "xe tải chở gỗ lậu đi ban đêm", "có người lạ lảng vảng trước cổng trường",
        ];
        var expected = tips.Select(Classifier.Classify).ToArray();
        var actual = new TipClassification[tips.Length * 500];
        Parallel.For(0, actual.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => actual[i] = Classifier.Classify(tips[i % tips.Length]));
        for (var i = 0; i < actual.Length; i++) Assert.Equal(expected[i % tips.Length], actual[i]);
    }

    [Fact]
    public void A_missing_model_falls_back_to_the_keyword_classifier_with_a_warning()
    {
        var logger = new ListLogger();
        var classifier = TrainedTipClassifier.LoadOrFallback(Path.Combine(Path.GetTempPath(), "no-such-model.zip"), logger);

        Assert.IsType<KeywordTipClassifier>(classifier);
        var warning = Assert.Single(logger.Entries, e => e.Level == LogLevel.Warning);
        Assert.Contains("keyword classifier", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_corrupt_model_file_falls_back_too()
    {
        var path = Path.Combine(Path.GetTempPath(), $"corrupt-{Guid.NewGuid():N}.zip");
        File.WriteAllText(path, "not a zip");
        try
        {
            Assert.IsType<KeywordTipClassifier>(TrainedTipClassifier.LoadOrFallback(path, new ListLogger()));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_trained_model_survives_a_round_trip_through_its_file()
    {
        var tips = new List<LabelledTip>();
        string[] drugs = ["bán ma túy", "hút đá trong phòng trọ", "bay lắc ở quán bar", "tụ tập chích hút", "bán ke cho học sinh"];
        string[] theft = ["trộm xe máy", "mất trộm điện thoại", "bẻ khóa xe", "trộm chó ban đêm", "móc túi ở chợ"];
        foreach (var (text, i) in drugs.Select((t, i) => (t, i))) { tips.Add(new(text, "drugs", false, [])); tips.Add(new(theft[i], "theft", false, [])); }
        var model = TipTrainer.Train(tips, new TipTrainerOptions { Features = new TipFeatureOptions { MinTipCount = 1 } });
        var path = Path.Combine(Path.GetTempPath(), $"model-{Guid.NewGuid():N}.zip");
        try
        {
            model.Save(path);
            var loaded = TrainedTipClassifier.Load(path);
            var original = new TrainedTipClassifier(model);
            foreach (var text in new[] { "có người bán ma túy", "bị trộm xe máy đêm qua" })
            {
                var a = original.Classify(text);
                var b = loaded.Classify(text);
                Assert.Equal(a.Category, b.Category);
                Assert.Equal(a.Confidence, b.Confidence); // half precision in memory as in the file
            }
            Assert.Equal("drugs", loaded.Classify("có người bán ma túy").Category);
            Assert.Equal("theft", loaded.Classify("bị trộm xe máy đêm qua").Category);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private sealed class ListLogger : ILogger
    {
        public List<(LogLevel Level, string Message)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, formatter(state, exception)));
    }
}
