using Microsoft.Data.Analysis;
using MixedModels.Data;

namespace MixedModels.DataFrames;

/// <summary>
/// A <see cref="Microsoft.Data.Analysis.DataFrame"/> as a MixedModels <see cref="Table"/>: numeric columns stay
/// numeric, string, bool and char columns become categorical, nulls are missing (the types <see cref="Table.FromDataReader"/> maps).
/// </summary>
public static class DataFrameTables
{
    /// <summary>The data frame as a table (<c>df.ToModelTable()</c>; Microsoft.Data.Analysis's own <c>ToTable()</c> gives a DataTable).</summary>
    public static Table ToModelTable(this DataFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        return Table.FromDataTable(frame.ToTable());
    }

    extension(Table)
    {
        /// <summary>A table from a data frame (<c>Table.FromDataFrame(df)</c>), as <see cref="ToModelTable(DataFrame)"/>.</summary>
        public static Table FromDataFrame(DataFrame frame) => frame.ToModelTable();
    }
}
