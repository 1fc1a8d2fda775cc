using TipBot.Core.Text;

namespace TipBot.Core.Classification.Features;

/// <summary>The blocks a feature belongs to; each block is L2-normalised on its own.</summary>
internal enum FeatureBlock : byte { Word = 0, WordNgram = 1, Char = 2, Exact = 3 }

/// <summary>
/// Per-thread working memory of the featuriser, reused from one tip to the next so that
/// classifying allocates next to nothing. Never shared between threads.
/// </summary>
internal sealed class FeatureScratch
{
    public char[] Text = new char[1024];
    public uint[] Hashes = new uint[1024];
    public FeatureBlock[] Blocks = new FeatureBlock[1024];
    public float[] Counts = new float[1024];
    public int Count;

    public int[] Rows = new int[1024];
    public float[] Values = new float[1024];
    public int RowCount;

    /// <summary>Canonical word unigrams the model knows: zero means the text is nothing the model has seen.</summary>
    public int KnownWords;

    // Which feature each hash already is, for counting repeats without sorting: open addressing
    // over slots stamped with the current text, so nothing needs clearing between texts.
    private int[] _slotStamp = new int[4096];
    private int[] _slotFeature = new int[4096];
    private int _stamp;

    public void EnsureText(int length)
    {
        if (Text.Length < length) Text = new char[Math.Max(length, Text.Length * 2)];
    }

    public void Reset()
    {
        Count = 0;
        RowCount = 0;
        KnownWords = 0;
        if (++_stamp == int.MaxValue)
        {
            Array.Clear(_slotStamp);
            _stamp = 1;
        }
    }

    public void Add(uint hash, FeatureBlock block)
    {
        var mask = _slotStamp.Length - 1;
        var slot = (int)(hash & (uint)mask);
        while (_slotStamp[slot] == _stamp)
        {
            var feature = _slotFeature[slot];
            if (Hashes[feature] == hash) { Counts[feature]++; return; }
            slot = (slot + 1) & mask;
        }
        if (Count == Hashes.Length) Grow();
        Hashes[Count] = hash;
        Blocks[Count] = block;
        Counts[Count] = 1;
        _slotStamp[slot] = _stamp;
        _slotFeature[slot] = Count;
        Count++;
        if (Count * 2 > _slotStamp.Length) Rehash();
    }

    private void Grow()
    {
        Array.Resize(ref Hashes, Count * 2);
        Array.Resize(ref Blocks, Count * 2);
        Array.Resize(ref Counts, Count * 2);
        Array.Resize(ref Rows, Count * 2);
        Array.Resize(ref Values, Count * 2);
    }

    private void Rehash()
    {
        _slotStamp = new int[_slotStamp.Length * 2];
        _slotFeature = new int[_slotStamp.Length];
        _stamp = 1;
        var mask = _slotStamp.Length - 1;
        for (var f = 0; f < Count; f++)
        {
            var slot = (int)(Hashes[f] & (uint)mask);
            while (_slotStamp[slot] == _stamp) slot = (slot + 1) & mask;
            _slotStamp[slot] = _stamp;
            _slotFeature[slot] = f;
        }
    }
}

/// <summary>
/// Turns a tip into hashed features: word 1..n-grams and character n-grams over the canonical
/// text (<see cref="ChatText"/>: folded, teencode written out), and optionally the words as typed
/// with their diacritics. Hashing spans instead of building strings keeps it allocation-free; the
/// model keeps only the hashes seen in training, so a collision with an unseen n-gram costs nothing.
/// </summary>
internal static class TipFeaturizer
{
    private const uint WordSeed = 0x9E3779B9, BigramSeed = 0x85EBCA6B, CharSeed = 0xC2B2AE35, ExactSeed = 0x27D4EB2F;

    /// <summary>Fills the scratch with the distinct features of the text and their (scaled) counts, in order of first appearance.</summary>
    public static void Extract(string? text, TipFeatureOptions options, FeatureScratch scratch)
    {
        scratch.Reset();
        if (string.IsNullOrEmpty(text)) return;
        var source = text.Length > options.MaxChars ? text[..options.MaxChars] : text;
        var normalized = VietnameseText.Normalize(source);

        scratch.EnsureText(ChatText.CanonicalCapacity(normalized.Length) + 2);
        var buffer = scratch.Text;
        buffer[0] = ' ';
        var length = ChatText.WriteCanonical(normalized, buffer.AsSpan(1)) + 1;
        buffer[length++] = ' ';
        ReadOnlySpan<char> padded = buffer.AsSpan(0, length);
        if (length <= 2) return;

        AddWords(padded, options, scratch);
        AddCharNgrams(padded, options, scratch);
        if (options.ExactWords) AddExactWords(normalized, scratch);
        Deduplicate(scratch, options.SublinearCounts);
    }

    private static void AddWords(ReadOnlySpan<char> padded, TipFeatureOptions options, FeatureScratch scratch)
    {
        // Word starts, so that an n-gram is the span from the first word's start to the last word's end.
        Span<int> starts = stackalloc int[8];
        var n = Math.Clamp(options.WordNgramMax, 1, starts.Length);
        var seen = 0;
        var i = 1;
        while (i < padded.Length - 1)
        {
            var start = i;
            while (padded[i] != ' ') i++;
            var end = i;
            for (var k = starts.Length - 1; k > 0; k--) starts[k] = starts[k - 1];
            starts[0] = start;
            seen++;
            scratch.Add(Hash(WordSeed, padded[start..end]), FeatureBlock.Word);
            for (var order = 2; order <= n && order <= seen; order++)
                scratch.Add(Hash(BigramSeed + (uint)order, padded[starts[order - 1]..end]), FeatureBlock.WordNgram);
            i++;
        }
    }

    private static void AddCharNgrams(ReadOnlySpan<char> padded, TipFeatureOptions options, FeatureScratch scratch)
    {
        for (var n = options.CharNgramMin; n <= options.CharNgramMax; n++)
        {
            var seed = CharSeed + (uint)n * 0x01000193;
            for (var i = 0; i + n <= padded.Length; i++)
                scratch.Add(Hash(seed, padded.Slice(i, n)), FeatureBlock.Char);
        }
    }

    private static void AddExactWords(string normalized, FeatureScratch scratch)
    {
        var i = 0;
        while (i < normalized.Length)
        {
            if (!char.IsLetter(normalized[i])) { i++; continue; }
            var start = i;
            var marked = false;
            while (i < normalized.Length && char.IsLetter(normalized[i]))
            {
                var c = char.ToLowerInvariant(normalized[i]);
                if (c != VietnameseText.FoldChar(c)) marked = true;
                i++;
            }
            if (marked) scratch.Add(HashLower(ExactSeed, normalized.AsSpan(start, i - start)), FeatureBlock.Exact);
        }
    }

    private static void Deduplicate(FeatureScratch scratch, bool sublinear)
    {
        // Repeats were counted as they were added (FeatureScratch.Add); only the scaling is left.
        if (!sublinear) return;
        var counts = scratch.Counts.AsSpan(0, scratch.Count);
        for (var i = 0; i < counts.Length; i++) counts[i] = MathF.Log(1 + counts[i]);
    }

    /// <summary>
    /// Keeps the features the model knows (their rows), valued count / block norm × block weight.
    /// </summary>
    public static void Vectorize(FeatureScratch scratch, TipFeatureOptions options, FeatureTable table)
    {
        Span<float> squares = stackalloc float[4];
        squares.Clear();
        var rows = 0;
        for (var i = 0; i < scratch.Count; i++)
        {
            var row = table.Find(scratch.Hashes[i]);
            if (row < 0) continue;
            var block = scratch.Blocks[i];
            if (block == FeatureBlock.Word) scratch.KnownWords++;
            var count = scratch.Counts[i];
            squares[NormGroup(block)] += count * count;
            scratch.Rows[rows] = row;
            scratch.Values[rows] = count;
            scratch.Hashes[rows] = scratch.Hashes[i];
            scratch.Blocks[rows] = block;
            rows++;
        }
        Span<float> scale = stackalloc float[4];
        scale[0] = squares[0] > 0 ? options.WordWeight / MathF.Sqrt(squares[0]) : 0;
        scale[1] = 0;
        scale[2] = squares[2] > 0 ? options.CharWeight / MathF.Sqrt(squares[2]) : 0;
        scale[3] = squares[3] > 0 ? options.ExactWeight / MathF.Sqrt(squares[3]) : 0;
        for (var i = 0; i < rows; i++) scratch.Values[i] *= scale[NormGroup(scratch.Blocks[i])];
        scratch.RowCount = rows;
    }

    private static int NormGroup(FeatureBlock block) => block switch
    {
        FeatureBlock.Word or FeatureBlock.WordNgram => 0,
        FeatureBlock.Char => 2,
        _ => 3,
    };

    // FNV-1a over UTF-16 code units, finished with murmur3's mixer so that the open-addressing
    // table spreads well on the low bits.
    private static uint Hash(uint seed, ReadOnlySpan<char> span)
    {
        var h = 2166136261u ^ seed;
        foreach (var c in span) h = (h ^ c) * 16777619u;
        return Mix(h);
    }

    private static uint HashLower(uint seed, ReadOnlySpan<char> span)
    {
        var h = 2166136261u ^ seed;
        foreach (var c in span) h = (h ^ char.ToLowerInvariant(c)) * 16777619u;
        return Mix(h);
    }

    private static uint Mix(uint h)
    {
        h ^= h >> 16;
        h *= 0x85EBCA6B;
        h ^= h >> 13;
        h *= 0xC2B2AE35;
        h ^= h >> 16;
        return h;
    }
}

/// <summary>
/// Feature hash → model row, open addressing: a lookup is a multiply, a mask and a compare or two,
/// each probe one read of a slot that holds both the hash and its row.
/// </summary>
internal sealed class FeatureTable
{
    // The category and urgency models are trained on the same tips, so they have the same features:
    // one table (2 MB) serves both. Weak, so a model let go (a test's, a retrained one) takes its table along.
    private static readonly List<WeakReference<FeatureTable>> s_built = [];

    private readonly uint[] _hashes;
    private readonly Slot[] _slots;
    private readonly int _mask;

    /// <summary>RowPlusOne 0 marks an empty slot.</summary>
    private readonly record struct Slot(uint Hash, int RowPlusOne);

    public FeatureTable(uint[] hashes)
    {
        var size = 16;
        while (size < hashes.Length * 2) size <<= 1;
        _hashes = hashes;
        _slots = new Slot[size];
        _mask = size - 1;
        for (var row = 0; row < hashes.Length; row++)
        {
            var slot = (int)(hashes[row] & (uint)_mask);
            while (_slots[slot].RowPlusOne != 0)
            {
                if (_slots[slot].Hash == hashes[row]) throw new ArgumentException("duplicate feature hash", nameof(hashes));
                slot = (slot + 1) & _mask;
            }
            _slots[slot] = new Slot(hashes[row], row + 1);
        }
    }

    /// <summary>The table of these hashes: one already built for the same hashes, if one is in use.</summary>
    public static FeatureTable For(uint[] hashes)
    {
        lock (s_built)
        {
            s_built.RemoveAll(built => !built.TryGetTarget(out _));
            foreach (var built in s_built)
                if (built.TryGetTarget(out var table) && table._hashes.AsSpan().SequenceEqual(hashes)) return table;
            var fresh = new FeatureTable(hashes);
            s_built.Add(new WeakReference<FeatureTable>(fresh));
            return fresh;
        }
    }

    public int Find(uint hash)
    {
        var slot = (int)(hash & (uint)_mask);
        while (true)
        {
            var entry = _slots[slot];
            if (entry.RowPlusOne == 0) return -1;
            if (entry.Hash == hash) return entry.RowPlusOne - 1;
            slot = (slot + 1) & _mask;
        }
    }
}
