namespace Reporting.Ingestion.Xlsx;

/// <summary>Excel date serials to DateTime, as ExcelDataReader 3.6 converts them (so dates read as before).</summary>
public static class XlsxDates
{
    // DateTime.FromOADate's range, exclusive at both ends.
    const double MinSerial = -657435.0, MaxSerial = 2958466.0;

    /// <summary>
    /// The date of a serial: in the 1904 system serial 0 is 1 Jan 1904 (OLE date 1462); in the 1900 system Excel
    /// counts a 29 Feb 1900 that never was, so serials before 60 are one day behind the OLE date. A serial outside
    /// the range of DateTime stays a number.
    /// </summary>
    public static object FromSerial(double serial, bool date1904)
    {
        var oa = date1904 ? serial + 1462.0 : serial is >= 0.0 and < 60.0 ? serial + 1 : serial;
        return oa is > MinSerial and < MaxSerial ? DateTime.FromOADate(oa) : serial;
    }
}
