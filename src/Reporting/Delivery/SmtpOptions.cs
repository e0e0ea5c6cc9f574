using System.ComponentModel.DataAnnotations;
using MailKit.Security;

namespace Reporting.Delivery;

/// <summary>
/// Section "Smtp": the outgoing mail server (env Smtp__Host, Smtp__Port, ...). With no Host, mails are written as
/// .eml files to the pickup folder instead, so a demo or a test machine needs no mail server.
/// </summary>
public sealed class SmtpOptions
{
    public const string Section = "Smtp";

    public string Host { get; set; } = "";
    [Range(1, 65_535)]
    public int Port { get; set; } = 587;

    /// <summary>
    /// None | Auto | SslOnConnect | StartTls | StartTlsWhenAvailable (MailKit's SecureSocketOptions).
    /// </summary>
    public SecureSocketOptions Security { get; set; } = SecureSocketOptions.StartTls;

    public string UserName { get; set; } = "";
    public string Password { get; set; } = "";

    [Required, EmailAddress]

    public string FromAddress { get; set; } = "kennzahlen@reporting.example.org";
    [Required]
    public string FromName { get; set; } = "Kennzahlen kommunale IT NRW";

    /// <summary>
    /// Where .eml files go when no Host is set; relative to the content root. Empty: {Paths:Output}/mail.
    /// </summary>
    public string PickupDirectory { get; set; } = "";

    [Range(1, 3600)]

    public int TimeoutSeconds { get; set; } = 60;

    public bool UsesPickup => string.IsNullOrWhiteSpace(Host);
}
