using Reporting.Kpis;
using Reporting.Reports;
using Xunit;

namespace Reporting.Tests.Reports;

public sealed class BriefingReferenceTests
{
    [Fact]
    public void A_reference_is_named_by_its_origin_not_by_how_it_was_derived()
    {
        var kaarst = new KpiReference(42.5m, "42,5 (2022) bzw. 48,3 (2023)",
            "IT-Kosten je Einwohner (Beispiel Kaarst, Kunde ITK Rheinland)", "2022/2023",
            "abgeleitet (eigene Division), https://rp-online.de/nrw/staedte/kaarst/");

        Assert.Equal("Beispiel Kaarst, Kunde ITK Rheinland", Briefing.ReferenceOrigin(kaarst));
    }

    [Fact]
    public void A_reference_without_an_origin_in_brackets_keeps_its_whole_name()
    {
        var plain = new KpiReference(50m, "ca. 50", "Betreute IT-Arbeitsplätze je Beschäftigtem", "", "Vitako");

        Assert.Equal("Betreute IT-Arbeitsplätze je Beschäftigtem", Briefing.ReferenceOrigin(plain));
    }
}
