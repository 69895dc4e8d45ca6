using System.Globalization;
using System.Net;
using System.Text;

namespace MixedModels.Interactive;

/// <summary>Small HTML tables for notebook cells: a caption, a header row and cells, every text escaped.</summary>
internal sealed class Html
{
    private readonly StringBuilder _sb = new();

    public Html Heading(string text)
    {
        _sb.Append("<div class=\"mixedmodels-heading\"><b>").Append(WebUtility.HtmlEncode(text)).Append("</b></div>\n");
        return this;
    }

    public Html Paragraph(string text)
    {
        _sb.Append("<div>").Append(WebUtility.HtmlEncode(text)).Append("</div>\n");
        return this;
    }

    public Html Table(string caption, IReadOnlyList<string> columns, IEnumerable<IReadOnlyList<object?>> rows)
    {
        _sb.Append("<table class=\"mixedmodels\">\n<caption>").Append(WebUtility.HtmlEncode(caption)).Append("</caption>\n<thead><tr>");
        foreach (var c in columns) _sb.Append("<th>").Append(WebUtility.HtmlEncode(c)).Append("</th>");
        _sb.Append("</tr></thead>\n<tbody>\n");
        foreach (var row in rows)
        {
            _sb.Append("<tr>");
            foreach (var cell in row)
            {
                bool number = cell is double or int;
                _sb.Append(number ? "<td style=\"text-align:right\">" : "<td>").Append(WebUtility.HtmlEncode(Cell(cell))).Append("</td>");
            }
            _sb.Append("</tr>\n");
        }
        _sb.Append("</tbody>\n</table>\n");
        return this;
    }

    public Html Raw(string html)
    {
        _sb.Append(html);
        return this;
    }

    /// <summary>Numbers to four significant digits as R prints them by default, NaN as an empty cell.</summary>
    internal static string Cell(object? value) => value switch
    {
        null => "",
        double d when double.IsNaN(d) => "",
        double d => d.ToString("G4", CultureInfo.InvariantCulture),
        int i => i.ToString(CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    public override string ToString() => _sb.ToString();
}
