using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TipBot.Core.Messaging;
using TipBot.Server.Hosting;
using TipBot.Server.Persistence;

namespace TipBot.Server.Notices;

/// <summary>
/// Uploaded notice images: checked by their first bytes (a renamed file is still refused), stored,
/// and read back for the fan-out through a small cache, so 20,000 recipients are not 20,000 reads
/// of a 5 MB row.
/// </summary>
public sealed class NoticeImages(IServiceScopeFactory scopes, IOptions<TipBotOptions> options, TimeProvider clock)
{
    public const string Path = "/notice-images";
    public const int MaxBytes = 5 * 1024 * 1024;
    private const int CachedImages = 4;
    private readonly ConcurrentDictionary<Guid, Lazy<Task<byte[]>>> _cache = new();

    /// <summary>"image/jpeg" or "image/png" from the file's signature; null for anything else.</summary>
    public static string? Sniff(ReadOnlySpan<byte> content) =>
        content.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]) ? "image/jpeg"
        : content.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) ? "image/png"
        : null;

    /// <summary>Stores an upload; the error is a console resource key.</summary>
    public async Task<(Guid? Id, NoticeError? Error)> StoreAsync(Stream upload, long length, CancellationToken ct)
    {
        if (length > MaxBytes) return (null, new("NoticeError_ImageTooBig", MaxBytes / 1024 / 1024));
        using var buffer = new MemoryStream();
        await upload.CopyToAsync(buffer, ct);
        if (buffer.Length > MaxBytes) return (null, new("NoticeError_ImageTooBig", MaxBytes / 1024 / 1024));
        var content = buffer.ToArray();
        if (Sniff(content) is not { } type) return (null, new("NoticeError_ImageType"));
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TipBotDbContext>();
        var image = new NoticeImageRecord { Id = Guid.NewGuid(), ContentType = type, Content = content, CreatedAt = clock.GetUtcNow().UtcDateTime };
        db.NoticeImages.Add(image);
        await db.SaveChangesAsync(ct);
        return (image.Id, null);
    }

    /// <summary>
    /// Where a page or a platform fetches an uploaded image: absolute under TipBot:PublicBaseUrl
    /// when set (Messenger and Zalo need that), else relative, which only the web chat can use.
    /// </summary>
    public string UrlFor(Guid imageId) => options.Value.PublicBaseUrl is { Length: > 0 } host
        ? $"{host.TrimEnd('/')}{Path}/{imageId}"
        : $"{Path}/{imageId}";

    /// <summary>The image a notice goes out with, or null.</summary>
    public ReplyImage? For(NoticeRecord notice)
    {
        if (notice.ImageId is { } id) return new ReplyImage($"notice-image:{id}", UrlFor(id), ct => ContentAsync(id, ct));
        if (notice.ImageUrl is { } url) return new ReplyImage(url, url);
        return null;
    }

    private Task<byte[]> ContentAsync(Guid id, CancellationToken ct)
    {
        if (_cache.Count > CachedImages) _cache.Clear();
        return _cache.GetOrAdd(id, _ => new Lazy<Task<byte[]>>(() => LoadAsync(id))).Value.WaitAsync(ct);
    }

    private async Task<byte[]> LoadAsync(Guid id)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TipBotDbContext>();
            return await db.NoticeImages.AsNoTracking().Where(i => i.Id == id).Select(i => i.Content).FirstOrDefaultAsync()
                ?? throw new InvalidOperationException($"notice image {id} is missing");
        }
        catch
        {
            // A failed read is not cached: the next recipient tries again.
            _cache.TryRemove(id, out _);
            throw;
        }
    }
}

/// <summary>The message one subscriber gets: their language's text (Vietnamese when there is none in theirs) and the image.</summary>
public static class NoticeMessage
{
    public static string TextFor(NoticeRecord notice, string? culture) =>
        culture is not null && culture.StartsWith("en", StringComparison.OrdinalIgnoreCase) && notice.TextEn is { Length: > 0 } english ? english : notice.Text;

    public static Reply For(NoticeRecord notice, string? culture, NoticeImages images) => new(TextFor(notice, culture), Image: images.For(notice));
}
