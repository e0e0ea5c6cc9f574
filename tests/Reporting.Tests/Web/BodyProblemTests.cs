using System.IO.Compression;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Reporting.Web;

namespace Reporting.Tests.Web;

/// <summary>
/// Which failures while reading a request are the caller's (a German 4xx) and which stay server errors.
/// </summary>
public sealed class BodyProblemTests
{
    [Fact]
    public void A_body_kestrel_saw_end_early_is_400_and_one_over_its_size_413_also_inside_the_anti_forgery_check()
    {
        var cut = new BadHttpRequestException("Unexpected end of request content.", 400);
        var large = new BadHttpRequestException("Request body too large.", 413);

        Assert.Equal(400, InputGuard.BodyProblem(cut)?.Status);
        Assert.Equal(413, InputGuard.BodyProblem(large)?.Status);
        Assert.Equal(400, InputGuard.BodyProblem(new AntiforgeryValidationException("x", cut))?.Status);
        Assert.Equal(413, InputGuard.BodyProblem(new AntiforgeryValidationException("x", large))?.Status);
        Assert.Contains("unvollständig", InputGuard.BodyProblem(cut)?.Detail);
        Assert.True(InputGuard.IsTooLarge(large));
        Assert.False(InputGuard.IsTooLarge(cut));
    }

    [Fact]
    public async Task The_form_readers_own_failures_are_400_or_413_and_the_same_types_from_elsewhere_stay_500()
    {
        // Thrown by the multipart reader itself: a body without its closing boundary, and one over its length limit.
        var cut = await Assert.ThrowsAnyAsync<IOException>(() => ReadAllSectionsAsync(
            "--b\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nabc", null));
        var large = await Assert.ThrowsAsync<InvalidDataException>(() => ReadAllSectionsAsync(
            "--b\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\n" + new string('x', 200) + "\r\n--b--\r\n", 100));

        Assert.Equal(400, InputGuard.BodyProblem(cut)?.Status);
        Assert.Equal(413, InputGuard.BodyProblem(large)?.Status);
        // A damaged zip or a full disk while handling the request is not the form's fault.
        Assert.Null(InputGuard.BodyProblem(Assert.ThrowsAny<InvalidDataException>(
            () => new ZipArchive(new MemoryStream([1, 2, 3, 4]), ZipArchiveMode.Read))));
        Assert.Null(InputGuard.BodyProblem(new IOException("No space left on device")));
    }

    static async Task ReadAllSectionsAsync(string body, long? limit)
    {
        var reader = new MultipartReader("b", new MemoryStream(System.Text.Encoding.ASCII.GetBytes(body)));
        if (limit is { } l) reader.BodyLengthLimit = l;
        while (await reader.ReadNextSectionAsync() is { } section) await section.Body.CopyToAsync(Stream.Null);
    }
}
