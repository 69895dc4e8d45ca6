namespace MixedModels.Data;

/// <summary>Refuses input that is not CSV text (a spreadsheet, a zip or gzip archive, other binary data) from its first bytes.</summary>
internal static class CsvTextCheck
{
    public static void CheckHead(ReadOnlySpan<byte> head, string path)
    {
        int n = head.Length;
        if (n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4)
            throw new MixedModelsDataException($"'{path}' is not a CSV file: it is a zip archive, such as an Excel workbook (.xlsx); save the sheet as CSV and read that");
        if (n >= 2 && head[0] == 0x1f && head[1] == 0x8b)
            throw new MixedModelsDataException($"'{path}' is gzip-compressed; decompress it (gunzip) and read the CSV inside");
        if (n >= 8 && head[..8].SequenceEqual(new byte[] { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 }))
            throw new MixedModelsDataException($"'{path}' is not a CSV file: it is an old-style Excel workbook (.xls); save the sheet as CSV and read that");
        bool utf16 = n >= 2 && ((head[0] == 0xFF && head[1] == 0xFE) || (head[0] == 0xFE && head[1] == 0xFF));
        if (!utf16 && head.Contains((byte)0))
            throw new MixedModelsDataException($"'{path}' is not a text file (it contains binary data); give a CSV file");
    }
}
