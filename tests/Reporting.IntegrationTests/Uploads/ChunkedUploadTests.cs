using System.IO.Compression;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Reporting.Ingestion;
using Reporting.IntegrationTests.Ingestion;
using Reporting.IntegrationTests.Support;
using Reporting.Uploads;

namespace Reporting.IntegrationTests.Uploads;

/// <summary>
/// Uploads are stored as 1 MiB rows of upload_chunks and read back through a temporary file (issue 18: no array
/// of the upload's size): what comes back must be the very bytes that went in, for ingest and feedback alike.
/// </summary>
public sealed class ChunkedUploadTests
{
    const int PadBytes = 2 * UploadStore.ChunkBytes + 12_345;

    /// <summary>A valid demo return with an incompressible media entry, so the file spans three chunks.</summary>
    static string PaddedReturn()
    {
        var reference = DemoReturnReference.Load(TestPaths.DemoReference);
        var g = DemoReturnGenerator.Generate(reference, reference.Providers.Single(p => p.Code == "KDZA"), "2025", 42);
        var path = Path.Combine(Directory.CreateTempSubdirectory("chunks-").FullName, "KDZA-2025.xlsx");
        DemoReturnWriter.Write(g, reference.Catalog, path);
        using var zip = ZipFile.Open(path, ZipArchiveMode.Update);
        using var entry = zip.CreateEntry("xl/media/image1.bin", CompressionLevel.NoCompression).Open();
        entry.Write(RandomNumberGenerator.GetBytes(PadBytes));
        return path;
    }

    [Fact]
    public async Task An_upload_larger_than_a_chunk_comes_back_byte_exact_and_is_ingested_with_its_feedback()
    {
        await using var s = await IntakeScenario.CreateAsync();
        var path = PaddedReturn();
        var original = await File.ReadAllBytesAsync(path);
        Assert.True(original.Length > 2 * UploadStore.ChunkBytes);

        IntakeReceipt receipt;
        await using (var file = File.OpenRead(path))
            receipt = await s.Store.StoreAsync(file, "KDZA-2025.xlsx", "KDZA", "test");

        Assert.Equal(3, await s.Db.ScalarAsync<int>(
            $"select count(*)::int from upload_chunks where upload_id = {receipt.UploadId}"));
        Assert.Equal(0, await s.Db.ScalarAsync<int>(
            $"select octet_length(content) from uploads where id = {receipt.UploadId}"));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(original)), await s.Db.ScalarAsync<string>(
            $"select encode(sha256, 'hex') from uploads where id = {receipt.UploadId}"));
        await using (var back = await UploadContent.OpenAsync(s.Db.DataSource, receipt.VersionId))
        {
            var copy = new MemoryStream();
            await back!.CopyToAsync(copy);
            Assert.Equal(original, copy.ToArray());
        }

        var outcome = await s.Ingester.IngestAsync(receipt.VersionId);
        Assert.Equal("accepted", outcome.Status);
        Assert.Equal(0, outcome.ErrorCount);

        var feedback = await s.App.Services.GetRequiredService<FeedbackStore>().GetAsync(receipt.VersionId);
        using var workbook = new ZipArchive(new MemoryStream(feedback!), ZipArchiveMode.Read);
        // The provider's own file was copied into the feedback, the media entry included.
        Assert.Equal(PadBytes, workbook.GetEntry("xl/media/image1.bin")!.Length);
        Assert.Contains(workbook.Entries, e => e.FullName.StartsWith("xl/worksheets/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_same_bytes_again_are_recognised_and_not_stored_twice()
    {
        await using var s = await IntakeScenario.CreateAsync();
        var path = PaddedReturn();

        var first = await s.Store.StoreAsync(await File.ReadAllBytesAsync(path), "a.xlsx", "KDZA", "test");
        IntakeReceipt second;
        await using (var file = File.OpenRead(path))
            second = await s.Store.StoreAsync(file, "b.xlsx", "KDZA", "test");

        Assert.True(second.Recognised);
        Assert.Equal(first.VersionId, second.VersionId);
        Assert.Equal(3, await s.Db.ScalarAsync<int>("select count(*)::int from upload_chunks"));
    }

    [Fact]
    public async Task An_upload_stored_before_chunks_existed_is_still_read_back_from_its_content_column()
    {
        await using var s = await IntakeScenario.CreateAsync();
        var bytes = RandomNumberGenerator.GetBytes(3000);
        var version = await s.Db.ScalarAsync<long>($"""
            with u as (
              insert into uploads (sha256, file_name, size_bytes, content, provider_code, uploaded_by)
              values (decode('{Convert.ToHexString(SHA256.HashData(bytes))}', 'hex'), 'alt.xlsx', {bytes.Length},
                      decode('{Convert.ToHexString(bytes)}', 'hex'), 'KDZA', 'test')
              returning id)
            insert into return_versions (upload_id, provider_code, submitted_by)
            select id, 'KDZA', 'test' from u returning id
            """);

        await using var back = await UploadContent.OpenAsync(s.Db.DataSource, version);
        var copy = new MemoryStream();
        await back!.CopyToAsync(copy);
        Assert.Equal(bytes, copy.ToArray());
    }
}
