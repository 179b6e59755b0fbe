using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Encodings.Web;

namespace RnnLab.Inspection;

/// <summary>What one activations page shows.</summary>
/// <param name="Title">The heading (the run's name, say).</param>
/// <param name="Summary">A line under it: the model and the text.</param>
/// <param name="Trace">The characters, one layer's activations and the surprisal.</param>
/// <param name="Correlations">Each feature's most correlated units, for the table.</param>
/// <param name="Unit">The unit shown first.</param>
/// <param name="Units">The units whose values the page embeds, so the reader can switch to them.</param>
/// <param name="Notes">Anything the reader should know: text cut, characters read as &lt;unk&gt;.</param>
public sealed record ActivationsPageContent(string Title, string Summary, ActivationTrace Trace,
    IReadOnlyList<FeatureCorrelations> Correlations, int Unit, IReadOnlyList<int> Units, IReadOnlyList<string> Notes);

/// <summary>
/// One self-contained HTML page (inline CSS and script, nothing fetched): the text coloured by a
/// hidden unit and by surprisal, and the table of units most correlated with simple features.
/// The colours are in the HTML itself, so it reads without script; the script switches units
/// and shows each character's values on hover.
/// </summary>
public static class ActivationsPage
{
    /// <summary>Colour steps of a unit's scale (odd, so that 0 has a white step of its own).</summary>
    public const int UnitSteps = 21;

    /// <summary>Surprisal steps of one bit each; the last holds everything from 12 bits up.</summary>
    public const int SurprisalSteps = 13;

    /// <summary>
    /// The units to embed: the first shown, then every feature's top units, then the units that vary
    /// most over the text, up to <paramref name="maxUnits"/> (more only when the first two need it).
    /// </summary>
    public static IReadOnlyList<int> ChooseUnits(ActivationTrace trace, IReadOnlyList<FeatureCorrelations> correlations,
        int unit, int maxUnits)
    {
        var chosen = new List<int> { unit };
        chosen.AddRange(correlations.SelectMany(c => c.Top.Select(u => u.Unit)));
        var byVariance = Enumerable.Range(0, trace.Units)
            .OrderByDescending(u => Variance(trace.Unit(u))).ThenBy(u => u);
        var required = chosen.Distinct().Count();
        return chosen.Concat(byVariance).Distinct().Take(Math.Max(required, maxUnits)).Order().ToArray();
    }

    public static string Render(ActivationsPageContent page)
    {
        var trace = page.Trace;
        if (trace.Characters.Count != trace.Length || trace.Surprisal.Length != trace.Length)
        {
            throw new ArgumentException($"a trace of {trace.Length} steps needs as many characters and surprisal " +
                $"values (got {trace.Characters.Count} and {trace.Surprisal.Length})", nameof(page));
        }
        if (!page.Units.Contains(page.Unit) || page.Units.Any(u => u < 0 || u >= trace.Units))
        {
            throw new ArgumentException($"units must include the first shown ({page.Unit}) and lie in 0 to " +
                $"{trace.Units - 1}", nameof(page));
        }
        var quantised = page.Units.ToDictionary(u => u, u => QuantisedUnit.Of(trace.Unit(u)));
        var html = new StringBuilder(capacity: 200 + trace.Length * 50 + page.Units.Count * trace.Length * 2);
        html.Append($"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{Encode(page.Title)}</title>
            <style>
            {ActivationsPageAssets.Style}{Palette()}</style>
            </head>
            <body>
            <h1>{Encode(page.Title)}</h1>
            <p class="summary">{Encode(page.Summary)}</p>

            """);
        if (page.Notes.Count > 0)
        {
            html.Append("<ul class=\"notes\">");
            foreach (var note in page.Notes)
            {
                html.Append($"<li>{Encode(note)}</li>");
            }
            html.Append("</ul>\n");
        }
        // side by side where the window is wide enough: a unit's pattern next to where the model is surprised
        html.Append("<div class=\"views\">\n");
        AppendUnitView(html, page, quantised[page.Unit]);
        AppendSurprisalView(html, trace);
        html.Append("</div>\n");
        AppendTable(html, page.Correlations);
        html.Append("<script type=\"application/json\" id=\"activation-data\">")
            .Append(Data(page, quantised))
            .Append("</script>\n<script>\n")
            .Append(ActivationsPageAssets.Script)
            .Append("</script>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static void AppendUnitView(StringBuilder html, ActivationsPageContent page, QuantisedUnit shown)
    {
        var options = string.Concat(page.Units.Select(u =>
            $"<option value=\"{u}\"{(u == page.Unit ? " selected" : "")}>unit {u}</option>"));
        html.Append(CultureInfo.InvariantCulture, $"""
            <section id="activation-view">
            <h2>Layer {page.Trace.Layer}, unit <span id="unit-name">{page.Unit}</span></h2>
            <div class="controls"><label for="unit">Unit</label> <select id="unit">{options}</select>
            <span class="hint">{page.Units.Count} of {page.Trace.Units} units embedded</span></div>
            <div class="legend" id="unit-legend"><span id="unit-lo">{-shown.Range:0.00}</span>
            {Swatches("a", UnitSteps)}<span id="unit-hi">+{shown.Range:0.00}</span></div>
            <p class="caption">h after each character: blue negative, white 0, red positive</p>
            <div class="text" id="activations">
            """);
        for (var t = 0; t < page.Trace.Length; t++)
        {
            AppendCharacter(html, page.Trace.Characters[t], $"a{UnitStep(shown.Value(t), shown.Range)}");
        }
        html.Append("</div>\n<p id=\"info\" class=\"hint\">Hover a character for its values.</p>\n</section>\n");
    }

    private static void AppendSurprisalView(StringBuilder html, ActivationTrace trace)
    {
        var known = trace.Surprisal.Select(Finite).OfType<double>().ToArray();
        var mean = known.Length > 0
            ? string.Create(CultureInfo.InvariantCulture,
                $"mean {known.Average():0.000} bits over {known.Length:N0} predicted characters")
            : "no character predicted";
        html.Append($"""
            <section id="surprisal-view">
            <h2>Surprisal in bits: -log2 p(character | those before)</h2>
            <div class="controls"><span class="hint">{mean}</span></div>
            <div class="legend" id="surprisal-legend"><span>0</span>{Swatches("s", SurprisalSteps)}
            <span>&ge;{SurprisalSteps - 1}</span><span class="swatch sx"></span></div>
            <p class="caption">white: expected, dark: surprising; hatched: not predicted (no context before it)</p>
            <div class="text" id="surprisal">
            """);
        for (var t = 0; t < trace.Length; t++)
        {
            AppendCharacter(html, trace.Characters[t],
                Finite(trace.Surprisal[t]) is { } bits ? $"s{Math.Min(SurprisalSteps - 1, (int)bits)}" : "sx");
        }
        html.Append("</div>\n</section>\n");
    }

    private static void AppendTable(StringBuilder html, IReadOnlyList<FeatureCorrelations> correlations)
    {
        html.Append("""
            <section id="correlations">
            <h2>Units most correlated with simple features (Pearson r over the text; click a unit to show it)</h2>
            <table>
            <thead><tr><th>feature</th><th>value per character</th><th>units by |r|</th></tr></thead>
            <tbody>

            """);
        foreach (var row in correlations)
        {
            var units = row.Constant ? "<em>constant over this text: r is undefined</em>"
                : row.Top.Count == 0 ? "<em>no unit varies over this text</em>"
                : string.Join(" ", row.Top.Select(u => string.Create(CultureInfo.InvariantCulture,
                    $"<button type=\"button\" class=\"unit-link\" data-unit=\"{u.Unit}\">{u.Unit} " +
                    $"<small>r = {u.R:+0.00;-0.00;0.00}</small></button>")));
            html.Append($"<tr><td>{Encode(row.Feature.Name)}</td><td>{Encode(row.Feature.Description)}</td>" +
                $"<td>{units}</td></tr>\n");
        }
        html.Append("</tbody>\n</table>\n</section>\n");
    }

    // newlines stay newlines (the text box keeps white space), other control characters get their
    // visible Unicode picture, and everything is HTML-escaped
    private static void AppendCharacter(StringBuilder html, string character, string step)
    {
        var shown = character.Length == 1 && character[0] < ' ' && character[0] is not ('\n' or '\t')
            ? ((char)(0x2400 + character[0])).ToString()
            : character == "\u007f" ? "\u2421" : character;
        html.Append("<i class=").Append(step).Append('>').Append(Encode(shown)).Append("</i>");
    }

    // the script's data: surprisal to 0.01 bits, and each embedded unit's values as signed bytes in
    // base64 (see QuantisedUnit); '<' never occurs in it, but is escaped anyway so that no text can close
    // the script element
    private static string Data(ActivationsPageContent page, Dictionary<int, QuantisedUnit> quantised)
    {
        var data = new
        {
            layer = page.Trace.Layer,
            initial = page.Unit,
            steps = UnitSteps,
            units = page.Units.Select(u => new { unit = u, scale = quantised[u].Scale, q = quantised[u].Base64 }),
            surprisal = page.Trace.Surprisal.Select(s => Finite(s) is { } bits ? Math.Round(bits, 2) : (double?)null),
        };
        var options = new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        return JsonSerializer.Serialize(data, options).Replace("<", "\\u003c", StringComparison.Ordinal);
    }

    internal static int UnitStep(double value, double range)
    {
        var half = UnitSteps / 2;
        return Math.Clamp((int)Math.Floor((value / range + 1) * half + 0.5), 0, UnitSteps - 1); // as Math.round
    }

    private static string Swatches(string prefix, int steps) =>
        string.Concat(Enumerable.Range(0, steps).Select(i => $"<span class=\"swatch {prefix}{i}\"></span>"));

    // blue through white to red for units (ColorBrewer's RdBu ends, lightened so text stays legible),
    // white to purple for surprisal
    private static string Palette()
    {
        var css = new StringBuilder();
        var half = UnitSteps / 2;
        for (var i = 0; i < UnitSteps; i++)
        {
            var d = (i - half) / (double)half;
            css.Append($".a{i}{{background:{Blend(d < 0 ? (67, 147, 195) : (214, 96, 77), Math.Abs(d))}}}\n");
        }
        for (var i = 0; i < SurprisalSteps; i++)
        {
            css.Append($".s{i}{{background:{Blend((150, 110, 200), i / (double)(SurprisalSteps - 1))}}}\n");
        }
        return css.ToString();
    }

    private static string Blend((int R, int G, int B) to, double amount)
    {
        int Mix(int channel) => (int)Math.Round(255 + (channel - 255) * amount);
        return $"#{Mix(to.R):x2}{Mix(to.G):x2}{Mix(to.B):x2}";
    }

    private static double Variance(double[] values)
    {
        var mean = values.Average();
        return values.Sum(v => (v - mean) * (v - mean));
    }

    // surprisal is never negative; anything not finite is shown as not predicted, never as NaN
    private static double? Finite(double? bits) => bits is { } b && double.IsFinite(b) ? Math.Max(0, b) : null;

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
