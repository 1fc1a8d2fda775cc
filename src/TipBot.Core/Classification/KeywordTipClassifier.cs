using TipBot.Core.Text;

namespace TipBot.Core.Classification;

/// <summary>
/// A baseline classifier from the slang residents use (DOMAIN.md). It is the stand-in until the
/// trained model lands; its confidence is honest about how little it knows, so the dialog asks
/// for the category whenever it is unsure.
/// </summary>
public sealed class KeywordTipClassifier : ITipClassifier
{
    private static readonly (string Category, string[] Phrases)[] Lexicon =
    [
        ("drugs", ["ma tuy", "chat cam", "hang trang", "thuoc lac", "bay lac", "khi cuoi", "bong cuoi", "hut da", "choi da", "ban ke", "choi ke", "keo lac", "can sa", "heroin", "tiem chich"]),
        ("theft", ["trom", "moc tui", "be khoa", "cat cap", "mat xe", "mat cap"]),
        ("robbery", ["cuop", "giat dien thoai", "giat tui", "giat day chuyen", "ke dao"]),
        ("fraud", ["lua dao", "lua", "viec nhe luong cao", "chuyen khoan", "gia danh", "tien ao", "link la", "trung thuong"]),
        ("gambling", ["danh bac", "ghi de", "lo de", "so de", "da ga", "xoc dia", "ca do", "soi bac", "bai bac"]),
        ("loan_sharking", ["bat ho", "tin dung den", "lai nang", "tat son", "mam tom", "doi no", "app vay", "vay nong"]),
        ("public_disorder", ["gay roi", "danh nhau", "hon chien", "quay pha", "on ao", "say xin", "karaoke"]),
        ("violence", ["danh nguoi", "bao luc", "hanh hung", "dam chem", "danh vo", "bao hanh", "xam hai", "de doa giet"]),
        ("weapons", ["sung", "ma tau", "dao kiem", "phao", "vat lieu no", "kich dien", "bom"]),
        ("traffic", ["dua xe", "bao dem", "boc dau", "lang lach", "danh vong", "net po", "qua tai"]),
        ("smuggling", ["buon lau", "hang lau", "hang gia", "thuoc la lau", "ruou lau", "xang gia"]),
        ("environment", ["cat tac", "vang tac", "hut cat", "khai thac cat", "pha rung", "xa thai", "dao vang"]),
        ("prostitution", ["mai dam", "gai goi", "tay vin", "kich duc", "chua gai", "cave"]),
        ("trafficking", ["mua ban nguoi", "ban nguoi", "bat coc", "ban co dau", "dua nguoi qua"]),
        ("suspicious", ["kha nghi", "nguoi la", "lang vang", "khong bien so", "truy na", "rinh"]),
    ];

    public TipClassification Classify(string text)
    {
        var folded = " " + VietnameseText.Fold(text) + " ";
        var scores = new Dictionary<string, int>();
        foreach (var (category, phrases) in Lexicon)
        {
            var hits = phrases.Count(p => folded.Contains(" " + p + " ", StringComparison.Ordinal));
            if (hits > 0) scores[category] = hits;
        }
        var ranked = scores.OrderByDescending(kv => kv.Value).ToList();
        if (ranked.Count == 0) return new TipClassification(Category.Other, 0.2, Category.Other, 0.0);
        var total = ranked.Sum(kv => kv.Value) + 1.0;
        var best = ranked[0];
        var runnerUp = ranked.Count > 1 ? ranked[1] : new KeyValuePair<string, int>(Category.Other, 0);
        return new TipClassification(best.Key, best.Value / total, runnerUp.Key, runnerUp.Value / total);
    }
}
