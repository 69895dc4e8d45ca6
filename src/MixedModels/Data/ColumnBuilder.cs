using System.Globalization;

namespace MixedModels.Data;

/// <summary>
/// Collects one column's values while a source is read and infers its type: numeric while every non-missing
/// value parses as a number, categorical from the first value that does not. Values are stored once, as
/// doubles or as level codes, never as the original text.
/// </summary>
internal sealed class ColumnBuilder(string name)
{
    private double[] _numbers = new double[256];
    private int[]? _codes;
    private Dictionary<string, int>? _levelIndex;
    private Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _levelLookup;
    private readonly List<string> _levels = [];
    private int _count;

    public string Name { get; } = name;

    public int Count => _count;

    public bool IsText => _codes is not null;

    private bool _decimalComma, _decimalPoint;
    private bool[]? _commaRows; // which numbers were written with a decimal comma (to give their text back)

    /// <summary>
    /// Adds a field of a semicolon-separated file (R's read.csv2, decimal comma): "2,5" is 2.5. A column that mixes
    /// such numbers with ones written with a point ("1.234", a thousands separator to a German reader) is ambiguous
    /// and becomes text, as read.csv2 leaves it.
    /// </summary>
    public void AddDecimalCommaText(ReadOnlySpan<char> field, Span<char> buffer)
    {
        int comma = field.IndexOf(',');
        if (_codes is null && comma >= 0 && comma == field.LastIndexOf(',') && field.Length <= buffer.Length && field.IndexOf('.') < 0)
        {
            var copy = buffer[..field.Length];
            field.CopyTo(copy);
            copy[comma] = '.';
            if (TryParseNumber(copy, out double v))
            {
                _decimalComma = true;
                EnsureNumbers();
                if (_commaRows is null || _commaRows.Length < _numbers.Length) Array.Resize(ref _commaRows, _numbers.Length);
                _commaRows[_count] = true;
                _numbers[_count++] = v;
                return;
            }
        }
        if (_codes is null && field.IndexOf('.') >= 0 && TryParseNumber(field, out double p)) { _decimalPoint = true; EnsureNumbers(); _numbers[_count++] = p; return; }
        AddText(field);
    }

    public void AddMissing()
    {
        if (_codes is null) { EnsureNumbers(); _numbers[_count++] = double.NaN; }
        else { EnsureCodes(); _codes[_count++] = -1; }
    }

    public void AddNumber(double value)
    {
        if (_codes is null) { EnsureNumbers(); _numbers[_count++] = value; }
        else AddLevel(NumericColumn.FormatNumber(value));
    }

    /// <summary>Adds a text field: a number while the column is numeric and the text parses, a level otherwise.</summary>
    public void AddText(ReadOnlySpan<char> text)
    {
        if (_codes is null)
        {
            if (TryParseNumber(text, out double v)) { EnsureNumbers(); _numbers[_count++] = v; return; }
            SwitchToText();
        }
        AddLevel(text);
    }

    /// <summary>Adds a value that is text by nature (a database string): the column becomes categorical.</summary>
    public void AddCategory(string text)
    {
        if (_codes is null) SwitchToText();
        AddLevel(text);
    }

    public static bool TryParseNumber(ReadOnlySpan<char> text, out double value)
    {
        text = text.Trim();
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value))
            return !double.IsNaN(value);
        if (text.SequenceEqual("Inf") || text.SequenceEqual("+Inf")) { value = double.PositiveInfinity; return true; }
        if (text.SequenceEqual("-Inf")) { value = double.NegativeInfinity; return true; }
        return false;
    }

    /// <summary>Adds a level by its text; the text becomes a string only the first time the level is seen.</summary>
    private void AddLevel(ReadOnlySpan<char> text)
    {
        EnsureCodes();
        if (!_levelLookup.TryGetValue(text, out int code))
        {
            code = _levels.Count;
            string level = text.ToString();
            _levelIndex!.Add(level, code);
            _levels.Add(level);
        }
        _codes![_count++] = code;
    }

    private void SwitchToText()
    {
        _codes = new int[Math.Max(256, _numbers.Length)];
        _levelIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        _levelLookup = _levelIndex.GetAlternateLookup<ReadOnlySpan<char>>();
        int n = _count;
        _count = 0;
        for (int i = 0; i < n; i++)
        {
            if (double.IsNaN(_numbers[i])) { _codes[_count++] = -1; continue; }
            string text = NumericColumn.FormatNumber(_numbers[i]);
            if (_commaRows is not null && i < _commaRows.Length && _commaRows[i]) text = text.Replace('.', ',');
            AddLevel(text);
        }
        _numbers = [];
        _commaRows = null;
    }

    private void EnsureNumbers()
    {
        if (_count == _numbers.Length) Array.Resize(ref _numbers, Math.Max(256, _numbers.Length * 2));
    }

    private void EnsureCodes()
    {
        if (_count == _codes!.Length) Array.Resize(ref _codes, _codes.Length * 2);
    }

    /// <summary>The finished column: numeric, or categorical with levels sorted by the collation (ordinal by default).</summary>
    public Column Build(Collation collation = Collation.Ordinal)
    {
        if (_codes is null && _decimalComma && _decimalPoint) SwitchToText();
        if (_codes is null)
        {
            Array.Resize(ref _numbers, _count);
            return NumericColumn.Wrap(Name, _numbers);
        }
        var sorted = _levels.ToArray();
        Array.Sort(sorted, LevelCollation.Comparer(collation));
        var rank = new int[sorted.Length];
        for (int i = 0; i < sorted.Length; i++) rank[_levelIndex![sorted[i]]] = i;
        var codes = new int[_count];
        for (int i = 0; i < _count; i++) codes[i] = _codes[i] < 0 ? -1 : rank[_codes[i]];
        return CategoricalColumn.Wrap(Name, codes, sorted, ordered: false);
    }
}
