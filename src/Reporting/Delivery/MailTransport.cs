using MailKit.Net.Smtp;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Reporting.Delivery;

/// <summary>
/// Raised when a mail could not be handed over; the message says where and why (shown in the job console).
/// </summary>
public sealed class DeliveryFailedException(string message, Exception inner) : Exception(message, inner);

/// <summary>
/// Hands a composed message to the SMTP server, or writes it as .eml into the pickup folder when no server is set.
/// </summary>
public sealed class MailTransport(IOptions<SmtpOptions> options, AppPaths paths)
{
    public string Name => options.Value.UsesPickup ? "pickup" : "smtp";

    public string PickupDirectory => string.IsNullOrWhiteSpace(options.Value.PickupDirectory)
        ? Path.Combine(paths.Output, "mail")
        : paths.Resolve(options.Value.PickupDirectory);

    /// <summary>The pickup file of a message: named after its Message-ID, so a retry can see it was written.</summary>
    public string PickupPath(string messageId) =>
        Path.Combine(PickupDirectory,
            new string(messageId.Select(c => char.IsLetterOrDigit(c) || c is '.' or '-' ? c : '_').ToArray()) + ".eml");

    public bool PickupFileExists(string messageId) => File.Exists(PickupPath(messageId));

    public async Task SendAsync(MimeMessage message, CancellationToken ct)
    {
        var o = options.Value;
        if (o.UsesPickup)
        {
            var path = PickupPath(message.MessageId
                ?? throw new InvalidOperationException("a message needs its Message-ID before sending"));
            // Written under a temporary name and renamed: a file with the final name is always complete.
            var tmp = path + ".tmp";
            try
            {
                Directory.CreateDirectory(PickupDirectory);
                await using (var stream = File.Create(tmp)) await message.WriteToAsync(stream, ct);
                File.Move(tmp, path, overwrite: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A full disk leaves half a file: remove it (the delivery stays pending and is written whole on retry).
                try { File.Delete(tmp); } catch (Exception cleanup) when (
                    cleanup is IOException or UnauthorizedAccessException) { }
                throw new DeliveryFailedException(
                    $"mail {message.MessageId} could not be written to the pickup folder {PickupDirectory}: "
                    + e.Message, e);
            }
            return;
        }

        using var client = new SmtpClient { Timeout = o.TimeoutSeconds * 1000 };
        try
        {
            await client.ConnectAsync(o.Host, o.Port, o.Security, ct);
            if (!string.IsNullOrEmpty(o.UserName)) await client.AuthenticateAsync(o.UserName, o.Password, ct);
            await client.SendAsync(message, ct);
            await client.DisconnectAsync(true, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new DeliveryFailedException(
                $"mail {message.MessageId} could not be delivered via SMTP {o.Host}:{o.Port}: {e.Message}", e);
        }
    }
}
