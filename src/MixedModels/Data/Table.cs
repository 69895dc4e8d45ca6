using System.Data;
using System.Text;

namespace MixedModels.Data;

/// <summary>
/// An immutable columnar table: named numeric and categorical columns of equal length. Built from C# arrays,
/// from CSV (<see cref="ReadCsv(string, CsvOptions?, IProgress{long}?)"/>), from any ADO.NET <see cref="IDataReader"/>
/// (<see cref="FromDataReader"/>), or loaded by name from the embedded data sets (<see cref="Datasets"/>).
/// </summary>
public sealed class Table
{
    private readonly Column[] _columns;
    private readonly Dictionary<string, int> _index;

    /// <summary>Creates a table from columns of equal length with distinct names.</summary>
    public Table(IEnumerable<Column> columns)
    {
        _columns = columns.ToArray();
        _index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < _columns.Length; i++)
        {
            if (!_index.TryAdd(_columns[i].Name, i))
                throw new MixedModelsDataException($"the column name '{_columns[i].Name}' occurs twice; column names must be distinct",
                    column: _columns[i].Name);
            if (_columns[i].Count != _columns[0].Count)
                throw new MixedModelsDataException(
                    $"column '{_columns[i].Name}' has {_columns[i].Count} rows but column '{_columns[0].Name}' has {_columns[0].Count}");
        }
        RowCount = _columns.Length == 0 ? 0 : _columns[0].Count;
    }

    /// <summary>The number of rows.</summary>
    public int RowCount { get; }

    /// <summary>The columns, in order.</summary>
    public IReadOnlyList<Column> Columns => _columns.AsReadOnly();

    /// <summary>The column names, in order.</summary>
    public IReadOnlyList<string> ColumnNames => Array.ConvertAll(_columns, c => c.Name);

    /// <summary>The column of this name; an error naming the available columns (and the closest one) if there is none.</summary>
    public Column this[string name] =>
        _index.TryGetValue(name, out int i) ? _columns[i] : throw new MixedModelsDataException(UnknownColumnMessage(name), column: name);

    /// <summary>True when a column of this name exists.</summary>
    public bool Contains(string name) => _index.ContainsKey(name);

    /// <summary>Looks up a column by name.</summary>
    public bool TryGetColumn(string name, out Column column)
    {
        if (_index.TryGetValue(name, out int i)) { column = _columns[i]; return true; }
        column = null!;
        return false;
    }

    /// <summary>A message saying the column does not exist, suggesting the closest name.</summary>
    internal string UnknownColumnMessage(string name)
    {
        string? near = Text.NearestName(name, _index.Keys);
        var sb = new StringBuilder($"there is no column '{name}' in the data");
        if (near is not null) sb.Append($"; did you mean '{near}'?");
        sb.Append(" Columns: ").Append(string.Join(", ", _columns.Select(c => c.Name))).Append('.');
        return sb.ToString();
    }

    /// <summary>A table with <paramref name="column"/> added, or replacing the column of the same name.</summary>
    public Table With(Column column)
    {
        var cols = _columns.ToList();
        if (_index.TryGetValue(column.Name, out int i)) cols[i] = column; else cols.Add(column);
        return new Table(cols);
    }

    /// <summary>
    /// A table in which <paramref name="name"/> is categorical. A numeric column becomes a factor whose levels are its
    /// distinct values in numeric order; <paramref name="levels"/> sets the level order (every value must be among them);
    /// <paramref name="ordered"/> makes it an ordered factor (polynomial contrasts).
    /// </summary>
    public Table AsFactor(string name, IReadOnlyList<string>? levels = null, bool ordered = false)
    {
        CategoricalColumn col = this[name] switch
        {
            NumericColumn nc => nc.ToCategorical(levels, ordered),
            CategoricalColumn cc when levels is not null => cc.WithLevels(levels, ordered),
            CategoricalColumn cc when ordered != cc.Ordered => CategoricalColumn.Wrap(cc.Name, cc.Codes.ToArray(), [.. cc.Levels], ordered),
            CategoricalColumn cc => cc,
            _ => throw new MixedModelsDataException($"column '{name}' cannot be made a factor", column: name),
        };
        return With(col);
    }

    /// <summary>The rows at the given indices, in that order.</summary>
    public Table Select(ReadOnlySpan<int> rows)
    {
        var cols = new Column[_columns.Length];
        for (int i = 0; i < cols.Length; i++) cols[i] = _columns[i].Select(rows);
        return new Table(cols);
    }

    /// <summary>
    /// The rows where an R condition is TRUE, as lmer's <c>subset =</c>: <c>School %in% c(1224, 1462)</c>,
    /// <c>trstplc != 88</c>, <c>Days &gt;= 2 &amp; Subject != "309"</c>, <c>row_number() &lt;= 550</c>. Numeric columns are
    /// numbers, factors their level text; rows where the condition is NA are dropped (as R's subset); a factor keeps
    /// all its levels. An error names the problem and its position in the condition.
    /// </summary>
    public Table Where(string condition)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return Select(RowFilter.Rows(this, condition));
    }

    /// <summary>
    /// The table with codes recoded as missing (R's <c>na_if</c>, or <c>read.csv(na.strings =)</c> after the fact):
    /// <paramref name="codes"/> in every column, <paramref name="columnCodes"/> in the named ones. A numeric column's
    /// values equal to a numeric code become NaN; a factor's levels equal to a code become missing and are dropped.
    /// </summary>
    public Table WithMissing(IReadOnlyCollection<string> codes, IReadOnlyDictionary<string, IReadOnlyCollection<string>>? columnCodes = null)
    {
        ArgumentNullException.ThrowIfNull(codes);
        foreach (string name in columnCodes?.Keys ?? Enumerable.Empty<string>())
            if (!Contains(name)) throw new MixedModelsDataException(UnknownColumnMessage(name), column: name);
        var columns = new Column[_columns.Length];
        for (int i = 0; i < columns.Length; i++)
        {
            var col = _columns[i];
            var these = columnCodes is not null && columnCodes.TryGetValue(col.Name, out var own) ? codes.Concat(own).ToHashSet(StringComparer.Ordinal) : codes.ToHashSet(StringComparer.Ordinal);
            columns[i] = these.Count == 0 ? col : col switch
            {
                NumericColumn num => RecodeNumbers(num, these),
                CategoricalColumn cat => RecodeLevels(cat, these),
                _ => col,
            };
        }
        return new Table(columns);
    }

    private static Column RecodeNumbers(NumericColumn column, HashSet<string> codes)
    {
        var numbers = codes.Select(c => ColumnBuilder.TryParseNumber(c, out double v) ? v : double.NaN).Where(v => !double.IsNaN(v)).ToHashSet();
        if (numbers.Count == 0) return column;
        var values = column.Values.ToArray();
        for (int i = 0; i < values.Length; i++) if (numbers.Contains(values[i])) values[i] = double.NaN;
        return NumericColumn.Wrap(column.Name, values);
    }

    private static Column RecodeLevels(CategoricalColumn column, HashSet<string> codes)
    {
        if (!column.Levels.Any(codes.Contains)) return column;
        var codesOut = column.Codes.ToArray();
        var levels = column.Levels;
        for (int i = 0; i < codesOut.Length; i++) if (codesOut[i] >= 0 && codes.Contains(levels[codesOut[i]])) codesOut[i] = -1;
        return new CategoricalColumn(column.Name, codesOut, levels, column.Ordered).DropUnusedLevels();
    }

    /// <summary>
    /// The table with the levels of its unordered text factors sorted by <paramref name="collation"/> (the codes follow,
    /// so every value stays what it was; the first level, the reference level, may change).
    /// </summary>
    public Table WithCollation(Collation collation)
    {
        var comparer = LevelCollation.Comparer(collation);
        return new Table(_columns.Select(c => c is CategoricalColumn { Ordered: false } f && !f.Levels.All(l => ColumnBuilder.TryParseNumber(l, out _))
            ? f.WithLevels([.. f.Levels.Order(comparer)], ordered: false) : c));
    }

    /// <summary>
    /// For each unordered text factor whose first level is not the same under <see cref="Collation.Ordinal"/> and
    /// <see cref="Collation.Locale"/>: the column, its reference level now and the one R in an English locale takes.
    /// </summary>
    public IReadOnlyList<(string Column, string Reference, string LocaleReference)> CollationDifferences()
    {
        var list = new List<(string, string, string)>();
        foreach (var c in _columns)
            if (c is CategoricalColumn { Ordered: false } f && f.Levels.Count > 1)
            {
                string ordinal = f.Levels.Min(StringComparer.Ordinal)!, locale = f.Levels.Min(LevelCollation.Comparer(Collation.Locale))!;
                if (f.Levels[0] == ordinal && ordinal != locale) list.Add((f.Name, ordinal, locale));
            }
        return list;
    }

    /// <summary>Reads a CSV file (header row; see <see cref="CsvOptions"/>). The file is only read, never modified.</summary>
    /// <param name="path">The file.</param>
    /// <param name="options">How the text is read (default: comma-separated, NA/NaN/empty missing).</param>
    /// <param name="bytesRead">Told the bytes read so far as the file streams in (for a progress display); default none.</param>
    public static Table ReadCsv(string path, CsvOptions? options = null, IProgress<long>? bytesRead = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        return CsvTableReader.ReadFile(path, options ?? new CsvOptions(), bytesRead);
    }

    /// <summary>
    /// Reads a Parquet file (or the files a glob such as <c>dir/*.parquet</c> matches) through the embedded DuckDB
    /// engine: integer, floating-point and decimal columns numeric; text, enum and boolean (TRUE/FALSE) columns
    /// categorical; dates and times categorical ISO 8601 text; nulls missing. The file is only read.
    /// </summary>
    /// <exception cref="MixedModelsDataException">Not a Parquet file, or a column of a type a model cannot use (list, struct, binary).</exception>
    public static Table ReadParquet(string path, IProgress<long>? rowsRead = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        return DuckDbFiles.ReadParquet(path, rowsRead);
    }

    /// <summary>
    /// Reads an Arrow IPC file (Feather version 2) or stream with the column types of <see cref="ReadParquet"/>
    /// (dictionary-encoded columns categorical).
    /// </summary>
    /// <exception cref="MixedModelsDataException">Not an Arrow IPC file, or a column a model cannot use.</exception>
    public static Table ReadArrow(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new MixedModelsDataException($"cannot read '{path}': there is no such file");
        return ArrowFiles.Read(path);
    }

    /// <summary>
    /// Reads a table or view (<c>name</c> or <c>schema.name</c>) of a DuckDB database file, opened read-only, with the
    /// column types of <see cref="ReadParquet"/>.
    /// </summary>
    /// <exception cref="MixedModelsDataException">No such file or table (the message lists the tables).</exception>
    public static Table ReadDuckDb(string path, string table, IProgress<long>? rowsRead = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(table);
        return DuckDbFiles.ReadTable(path, table, rowsRead);
    }

    /// <summary>
    /// The rows of a query (SELECT, WITH, VALUES, TABLE or FROM) on a DuckDB database file, opened read-only with
    /// external access off, so that the query can change nothing and reach no other file.
    /// </summary>
    public static Table QueryDuckDb(string path, string sql, IProgress<long>? rowsRead = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(sql);
        return DuckDbFiles.Query(path, sql, rowsRead);
    }

    /// <summary>The tables and views of a DuckDB database file (<c>schema.name</c> outside the main schema).</summary>
    public static IReadOnlyList<string> DuckDbTables(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new MixedModelsDataException($"cannot read '{path}': there is no such file");
        return DuckDbFiles.TableNames(path);
    }

    /// <summary>Reads CSV text (header row; see <see cref="CsvOptions"/>).</summary>
    public static Table ReadCsv(TextReader reader, CsvOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return CsvTableReader.Read(reader, options ?? new CsvOptions());
    }

    /// <summary>
    /// Reads CSV bytes from a stream that need not seek (standard input, a pipe, a network stream), in one pass,
    /// with the same checks as a file (not a spreadsheet or archive; UTF-8, or UTF-16 with a byte-order mark).
    /// </summary>
    /// <param name="stream">The stream, read to its end and not closed.</param>
    /// <param name="options">How the text is read.</param>
    /// <param name="name">What the stream is called in error messages.</param>
    public static Table ReadCsv(Stream stream, CsvOptions? options = null, string name = "the input")
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(name);
        try { return CsvTableReader.ReadStream(new NonClosingStream(stream), name, options ?? new CsvOptions()); }
        catch (IOException e) { throw new MixedModelsDataException($"cannot read {name}: {e.Message}"); }
    }

    /// <summary>Reads a CSV file asynchronously (the same rules as <see cref="ReadCsv(string, CsvOptions?, IProgress{long}?)"/>).</summary>
    public static Task<Table> ReadCsvAsync(string path, CsvOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        return CsvTableReader.ReadFileAsync(path, options ?? new CsvOptions(), cancellationToken);
    }

    /// <summary>Reads CSV bytes from a stream asynchronously (the same rules as <see cref="ReadCsv(Stream, CsvOptions?, string)"/>); the stream is not closed.</summary>
    public static async Task<Table> ReadCsvAsync(Stream stream, CsvOptions? options = null, string name = "the input", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(name);
        try { return await CsvTableReader.ReadStreamAsync(new NonClosingStream(stream), name, options ?? new CsvOptions(), cancellationToken).ConfigureAwait(false); }
        catch (IOException e) { throw new MixedModelsDataException($"cannot read {name}: {e.Message}"); }
    }

    /// <summary>Reads CSV text asynchronously (the same rules as <see cref="ReadCsv(TextReader, CsvOptions?)"/>).</summary>
    public static Task<Table> ReadCsvAsync(TextReader reader, CsvOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return CsvTableReader.ReadAsync(reader, options ?? new CsvOptions(), cancellationToken);
    }

    /// <summary>
    /// Reads every row of an ADO.NET data reader asynchronously (for example a database query's result), with the
    /// column types of <see cref="FromDataReader"/>.
    /// </summary>
    public static Task<Table> FromDataReaderAsync(System.Data.Common.DbDataReader reader, IProgress<long>? rowsRead = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return DataReaderLoader.LoadAsync(reader, rowsRead, cancellationToken);
    }

    /// <summary>
    /// Reads every row of an ADO.NET data reader. Numeric and boolean database types become numeric and categorical
    /// columns, text becomes categorical, NULL is a missing value.
    /// </summary>
    /// <param name="reader">The open reader (for example from <c>DbCommand.ExecuteReader()</c>).</param>
    /// <param name="rowsRead">Told the number of rows read so far, every 10,000 rows and at the end (for a progress display).</param>
    public static Table FromDataReader(IDataReader reader, IProgress<long>? rowsRead = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return DataReaderLoader.Load(reader, rowsRead);
    }

    /// <summary>
    /// A table from objects, one column per public property or field, in declaration order: numbers (and nullable
    /// numbers) are numeric; strings, chars, Guids, bools and enums categorical (a bool's levels FALSE, TRUE; an enum's in
    /// declaration order; a string's sorted); null (and NaN) is missing. A numeric property becomes categorical when it
    /// carries <see cref="CategoricalAttribute"/> or is named in <paramref name="categorical"/>.
    /// </summary>
    /// <example><code>record Visit(string Subject, double Days, double Reaction);
    /// var data = Table.FromRecords(visits);</code></example>
    public static Table FromRecords<T>(IEnumerable<T> records, params string[] categorical)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(categorical);
        return RecordLoader.Load(records, categorical);
    }

    /// <summary>A table from an ADO.NET <see cref="DataTable"/>, its column types mapped as <see cref="FromDataReader"/> maps them.</summary>
    public static Table FromDataTable(DataTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        using var reader = table.CreateDataReader();
        return DataReaderLoader.Load(reader);
    }

    /// <summary>Writes the table as CSV with a header row (text quoted, missing values empty).</summary>
    public void WriteCsv(TextWriter writer)
    {
        writer.WriteLine(string.Join(",", _columns.Select(c => Quote(c.Name))));
        var sb = new StringBuilder();
        for (int r = 0; r < RowCount; r++)
        {
            sb.Clear();
            for (int c = 0; c < _columns.Length; c++)
            {
                if (c > 0) sb.Append(',');
                var col = _columns[c];
                if (col.IsMissing(r)) continue;
                sb.Append(col is CategoricalColumn ? Quote(col.FormatValue(r)) : col.FormatValue(r));
            }
            writer.WriteLine(sb.ToString());
        }
    }

    private static string Quote(string s) => "\"" + s.Replace("\"", "\"\"") + "\"";
}
