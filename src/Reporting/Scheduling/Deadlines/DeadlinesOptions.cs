using System.ComponentModel.DataAnnotations;
using Reporting.Delivery;

namespace Reporting.Scheduling.Deadlines;

/// <summary>Section "Deadlines": when providers are reminded and who hears about late returns.</summary>
public sealed class DeadlinesOptions
{
    public const string Section = "Deadlines";

    /// <summary>Reminder this many NRW working days before the (effective) deadline.</summary>
    [Range(0, 60)]
    public int ReminderWorkingDays { get; set; } = 5;

    /// <summary>Who gets the list of late returns.</summary>
    public List<MailRecipient> AdminRecipients { get; set; } = [];

    [Required]

    public string TimeZone { get; set; } = "Europe/Berlin";
}
