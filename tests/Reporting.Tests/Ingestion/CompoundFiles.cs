using System.Text;

namespace Reporting.Tests.Ingestion;

/// <summary>
/// A minimal OLE2 compound file (header sector plus one directory sector naming the given streams): enough for a
/// legacy .xls or a password-encrypted workbook to be told apart. Linked into the integration tests' corpus too.
/// </summary>
public static class CompoundFiles
{
    public static byte[] Build(params string[] streams)
    {
        var file = new byte[512 * 3];
        byte[] signature = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        signature.CopyTo(file, 0);
        BitConverter.GetBytes((ushort)0x3E).CopyTo(file, 24);   // minor version
        BitConverter.GetBytes((ushort)3).CopyTo(file, 26);      // major version 3: 512-byte sectors
        BitConverter.GetBytes((ushort)0xFFFE).CopyTo(file, 28); // little endian
        BitConverter.GetBytes((ushort)9).CopyTo(file, 30);      // sector shift
        BitConverter.GetBytes((ushort)6).CopyTo(file, 32);      // mini sector shift
        BitConverter.GetBytes(0).CopyTo(file, 48);              // first directory sector
        var names = new[] { "Root Entry" }.Concat(streams).ToArray();
        for (var i = 0; i < names.Length && i < 4; i++)
        {
            var at = 512 + i * 128;
            var name = Encoding.Unicode.GetBytes(names[i] + "\0");
            name.CopyTo(file, at);
            BitConverter.GetBytes((ushort)name.Length).CopyTo(file, at + 64);
            file[at + 66] = (byte)(i == 0 ? 5 : 2);              // root storage / stream
        }
        return file;
    }
}
