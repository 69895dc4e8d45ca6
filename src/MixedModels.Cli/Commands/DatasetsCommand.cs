using System.CommandLine;
using MixedModels.Data;

namespace MixedModels.Cli.Commands;

/// <summary><c>mixed datasets</c>: lists the embedded data sets.</summary>
internal static class DatasetsCommand
{
    public static Command Create()
    {
        var cmd = new Command("datasets", "List the embedded data sets (use their names with --data).\n\nExample:\n  mixed datasets");
        cmd.SetAction(parse =>
        {
            var w = parse.InvocationConfiguration.Output;
            int width = Datasets.All.Max(d => d.Name.Length);
            foreach (var d in Datasets.All)
            {
                var t = Datasets.Load(d.Name);
                w.WriteLine($"{d.Name.PadRight(width)}  {t.RowCount,6} rows  {t.Columns.Count,2} columns  {d.Description}");
            }
            return 0;
        });
        return cmd;
    }
}
