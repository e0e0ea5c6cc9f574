using System.Net;

namespace Reporting.IntegrationTests.Uploads;

/// <summary>A body without Content-Length that stops after its first bytes until released: it holds a slot.</summary>
sealed class HeldContent(Task release) : HttpContent
{
    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        await stream.WriteAsync(Guid.NewGuid().ToByteArray());
        await stream.FlushAsync();
        await release;
        await stream.WriteAsync(Guid.NewGuid().ToByteArray());
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }

    /// <summary>Waits until the held upload has taken its slot (the gate's free count says so).</summary>
    public static async Task UntilAsync(Func<bool> condition, TimeSpan bound)
    {
        var until = DateTime.UtcNow + bound;
        while (!condition())
        {
            if (DateTime.UtcNow > until) throw new TimeoutException("the first upload never took its slot");
            await Task.Delay(20);
        }
    }
}
