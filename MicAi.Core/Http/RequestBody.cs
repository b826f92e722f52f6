using System.Buffers;
using Microsoft.AspNetCore.Http;

namespace MicAi.Core.Http;

/// <summary>
/// The raw request bytes, read once with a hard size limit (the signature is over these exact bytes).
/// Rented from the shared pool: dispose to return it.
/// </summary>
public sealed class RequestBody : IDisposable
{
    private byte[]? buffer;

    private RequestBody(byte[] buffer, int length) { this.buffer = buffer; Length = length; }

    public int Length { get; }
    public ReadOnlyMemory<byte> Memory => buffer.AsMemory(0, Length);

    /// <summary>Null when the body is larger than <paramref name="limit"/> bytes.</summary>
    public static async Task<RequestBody?> ReadAsync(HttpRequest request, long limit, CancellationToken ct)
    {
        if (request.ContentLength > limit) return null;
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(request.ContentLength ?? 16 * 1024, limit) + 1);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > limit) break;
                    var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, limit + 1));
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }
                var read = await request.Body.ReadAsync(buffer.AsMemory(length), ct);
                if (read == 0) break;
                length += read;
            }
            if (length > limit) { ArrayPool<byte>.Shared.Return(buffer); return null; }
            return new RequestBody(buffer, length);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref buffer, null) is { } b) ArrayPool<byte>.Shared.Return(b);
    }
}
