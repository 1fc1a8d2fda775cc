using TipBot.Core.Classification.Model;
using TipBot.Core.Text;

namespace TipBot.Core.Classification;

/// <summary>
/// Danger happening now gets "call 113" before any question, so this errs towards yes: a needless
/// reminder costs a line of text, a missed one can cost a life. Two voices, either is enough:
/// phrase rules over the canonical text (<see cref="ChatText"/>: teencode and dialect written
/// out), and, when the urgency model ships (Classification/Model/urgency-model.zip), a small
/// logistic model over the same n-grams as the category model with a threshold chosen by
/// cross-validation for recall (docs/classifier.md).
/// </summary>
public sealed class UrgencyDetector
{
    public const string ModelFileName = "urgency-model.zip";

    /// <summary>The threshold on P(urgent) when the model file carries none.</summary>
    public const float DefaultThreshold = 0.2f;

    private static readonly Lazy<(LinearTextModel Model, float Threshold)?> Shipped = new(LoadShipped);

    // Someone asks for help, or says it is happening right now.
    private static readonly string[] AlwaysUrgent =
    [
        "cuu voi", "cuu toi", "cuu em", "cuu con", "cuu cuu", "goi 113", "goi 115", "goi 114", "nguy hiem tinh mang",
        "bat tinh", "con tin", "cap cuu", "keu cuu", "ngay bay gio", "giup voi", "toi gap", "den gap", "nhanh len",
        "khan cap", "bat dong", "noi bot", "dang bi", "dang danh", "dang cam", "dang ruot", "dang chem", "dang dam",
        "dang cuop", "dang trom", "dang dot", "dang chay", "dang duoi",
    ];

    // "now": đang, vừa, ngay bây giờ, chừ (bay gio once canonical), someone calling for help...
    private static readonly string[] NowPhrases =
    [
        "dang", "vua", "vua moi", "vua xong", "ngay bay gio", "bay gio", "luc nay", "hien gio", "chay ve huong", "chay ve phia",
        "ai thay", "ai gan", "giup voi", "giup toi", "giup em", "giup gap", "toi gap", "den gap", "gap", "cuu", "keu cuu",
        "phut truoc", "p truoc", "truoc mat", "van dang", "con dang", "chua di", "toi ngay", "lam on", "khan cap", "khong tho",
        "moi co", "con dung", "chua toi", "chua den",
    ];

    // ...together with a weapon, an injury, violence, fire, water or a crime under way.
    private static readonly string[] DangerPhrases =
    [
        "dao", "sung", "ma tau", "kiem", "bua", "cay sat", "tuyp", "ong tiem", "bom", "xang", "axit", "mau", "bi thuong",
        "chay mau", "bat tinh", "ngat", "nam im", "te", "bong", "chem", "dam", "danh", "dap", "cuop", "giat", "hon chien",
        "au da", "danh nhau", "ruot", "no", "chay", "tu tu", "nhay", "con tin", "bat coc", "doa giet", "de doa", "doa",
        "giet", "xam hai", "khoa trong", "trom", "be khoa", "leo", "dot", "lua", "tong", "lat", "chet", "chan duong",
        "chan xe", "nem", "ke dao", "bat", "chich", "co giat", "noi bot", "tai nan", "cap cuu", "duoi nuoc", "chim", "sap",
        "lo", "khoc", "la het", "keu",
    ];

    // A weapon drawn or blood drawn is urgent even when the resident says no "now".
    private static readonly string[] SeverePhrases =
    [
        "cam dao", "cam sung", "cam bua", "cam ma tau", "cam kiem", "ke dao", "di dao", "chia sung", "phat sung", "chay mau",
        "mau chay", "bi chem", "bi dam", "hon chien", "tat axit", "doa giet", "doa dot", "tu tu", "no lon", "chay lon",
    ];

    // It happened before, it happens all the time, or it is a question.
    private static readonly string[] PastPhrases =
    [
        "hom qua", "toi qua", "dem qua", "sang qua", "chieu qua", "trua qua", "tuan truoc", "thang truoc", "nam ngoai",
        "hom truoc", "may hom", "tuan qua", "thang qua", "dao nay", "thuong xuyen", "dem nao cung", "toi nao cung",
        "ngay nao cung", "hay", "tu lau", "nhieu lan", "cho hoi", "xin hoi", "lam sao", "co phai", "thang roi", "nam roi",
        "hom kia", "bua truoc", "lan truoc", "dang nam vien", "dang dieu tri", "da xuat vien", "muon to cao", "muon bao",
        "nam vien",
    ];

    private readonly LinearTextModel? _model;
    private readonly float _threshold;

    /// <summary>The rules, and the shipped urgency model when it is there.</summary>
    public UrgencyDetector()
    {
        if (Shipped.Value is { } shipped) (_model, _threshold) = shipped;
    }

    /// <summary>The rules, and the given model (none: rules only) with its threshold on P(urgent).</summary>
    public UrgencyDetector(TipModel? model, float? threshold = null)
    {
        if (model is null) return;
        _model = new LinearTextModel(model);
        if (_model.Labels.Count != 2 || _model.Labels[1] != "urgent")
            throw new InvalidDataException("an urgency model has the labels calm and urgent");
        _threshold = threshold ?? model.DecisionThreshold ?? DefaultThreshold;
    }

    public bool HasModel => _model is not null;

    /// <summary>
    /// The model reads only messages of this many words or more: it learnt from tips, and a short
    /// answer such as "đường Bạch Đằng" (folded: "duong bach dang", where "dang" is also "đang") is
    /// no tip. Short messages go by the rules alone.
    /// </summary>
    public const int MinWordsForModel = 6;

    public bool IsUrgent(string? text)
    {
        if (string.IsNullOrEmpty(text)) return false;
        var canonical = " " + ChatText.Canonical(text) + " ";
        return MatchesCanonical(canonical) || (_model is not null && Words(canonical) >= MinWordsForModel && ModelSaysUrgent(text));
    }

    /// <summary>Whether the model reads this message at all (<see cref="MinWordsForModel"/>).</summary>
    public static bool IsLongEnoughForModel(string? text) => Words(" " + ChatText.Canonical(text) + " ") >= MinWordsForModel;

    /// <summary>The phrase rules alone (what the detector does without its model).</summary>
    public static bool MatchesRules(string? text) => MatchesCanonical(" " + ChatText.Canonical(text) + " ");

    private static bool MatchesCanonical(string canonical)
    {
        if (canonical.Length <= 2) return false;
        var score = 0;
        if (ContainsAny(canonical, AlwaysUrgent)) score += 2;
        if (ContainsAny(canonical, SeverePhrases)) score += 2;
        if (ContainsAny(canonical, NowPhrases) && ContainsAny(canonical, DangerPhrases)) score += 2;
        if (ContainsAny(canonical, PastPhrases)) score -= 2;
        return score >= 2;
    }

    private bool ModelSaysUrgent(string text)
    {
        Span<float> p = stackalloc float[2];
        return _model!.TryPredict(text, p) && p[1] >= _threshold;
    }

    private static int Words(string canonical)
    {
        var n = 0;
        for (var i = 1; i < canonical.Length; i++) if (canonical[i] == ' ' && canonical[i - 1] != ' ') n++;
        return n;
    }

    private static bool ContainsAny(string canonical, string[] phrases)
    {
        foreach (var phrase in phrases)
        {
            var at = canonical.IndexOf(phrase, StringComparison.Ordinal);
            while (at >= 0)
            {
                var end = at + phrase.Length;
                if (canonical[at - 1] == ' ' && end < canonical.Length && canonical[end] == ' ') return true;
                at = canonical.IndexOf(phrase, at + 1, StringComparison.Ordinal);
            }
        }
        return false;
    }

    private static (LinearTextModel, float)? LoadShipped()
    {
        var path = Path.Combine(Path.GetDirectoryName(TipModel.DefaultPath)!, ModelFileName);
        if (!File.Exists(path)) return null;
        try
        {
            var model = TipModel.Load(path);
            return (new LinearTextModel(model), model.DecisionThreshold ?? DefaultThreshold);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or System.Text.Json.JsonException)
        {
            return null; // the rules still stand
        }
    }
}
