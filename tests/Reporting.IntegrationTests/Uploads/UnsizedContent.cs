using System.Net;

namespace Reporting.IntegrationTests.Uploads;

/// <summary>Another content sent without Content-Length (chunked over HTTP/1.1), its Content-Type kept.</summary>
public sealed class UnsizedContent : HttpContent
{
    readonly HttpContent inner;

    public UnsizedContent(HttpContent inner)
    {
        this.inner = inner;
        Headers.ContentType = inner.Headers.ContentType;
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        inner.CopyToAsync(stream);

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
