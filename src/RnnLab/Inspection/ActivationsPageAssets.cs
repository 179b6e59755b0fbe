namespace RnnLab.Inspection;

/// <summary>The activations page's style sheet and script, inlined so the page needs no network.</summary>
internal static class ActivationsPageAssets
{
    public const string Style = """
        body { font: 15px/1.45 system-ui, sans-serif; margin: 1.5em auto; max-width: 1200px; padding: 0 1em;
          color: #222; }
        h1 { font-size: 1.4em; margin-bottom: 0.2em; }
        h2 { font-size: 1.1em; margin: 1.4em 0 0.4em; }
        .summary, .hint, .caption { color: #555; }
        .notes { background: #fff8e1; border-left: 4px solid #f0b400; padding: 0.5em 0.5em 0.5em 2em; }
        .views { display: grid; grid-template-columns: 1fr 1fr; gap: 0 1.5em; }
        .views > section { min-width: 0; }
        @media (max-width: 900px) { .views { grid-template-columns: 1fr; } }
        .text { font: 13px/1.5 ui-monospace, "DejaVu Sans Mono", monospace; white-space: pre-wrap;
          word-break: break-all; border: 1px solid #ccc; padding: 0.6em; height: 40em; overflow-y: auto; }
        .text i { font-style: normal; cursor: default; }
        .text i:hover { outline: 1px solid #000; }
        .legend { display: flex; align-items: center; gap: 0; margin: 0.3em 0; }
        .legend > span:not(.swatch) { margin-left: 0.4em; }
        .legend > span:first-child { margin: 0 0.4em 0 0; }
        .caption { font-size: 0.9em; margin: 0.2em 0 0.4em; }
        .swatch { display: inline-block; width: 1.2em; height: 1em; border: 1px solid #ddd; border-width: 1px 0; }
        .swatch.sx { margin-left: 1.2em; border-width: 1px; }
        .controls { margin: 0.3em 0; min-height: 1.7em; }
        table { border-collapse: collapse; margin-top: 0.4em; }
        th, td { border-bottom: 1px solid #ddd; padding: 0.3em 0.6em; text-align: left; vertical-align: top; }
        td:first-child { white-space: nowrap; }
        .unit-link { font: inherit; margin: 0 0.2em 0.2em 0; padding: 0.1em 0.4em; cursor: pointer;
          border: 1px solid #bbb; border-radius: 3px; background: #f6f6f6; }
        .unit-link.current { background: #ffe4d6; border-color: #d6604d; }
        .sx { background: repeating-linear-gradient(45deg, #eee, #eee 3px, #fff 3px, #fff 6px); }

        """;

    // plain ES5 with no library: decodes the embedded units, recolours on a switch (also from a link
    // ending in #unit=N, which a switch keeps up to date), describes a character on hover (in its title
    // and in the line under the text), and marks <html> with class "js" once it has run
    public const string Script = """
        (function () {
          'use strict';
          var data = JSON.parse(document.getElementById('activation-data').textContent);
          var steps = data.steps, half = (steps - 1) / 2;
          var activations = document.getElementById('activations');
          var surprisal = document.getElementById('surprisal');
          var select = document.getElementById('unit');
          var info = document.getElementById('info');
          var units = {};
          data.units.forEach(function (u) {
            var bytes = atob(u.q), values = new Float64Array(bytes.length);
            for (var i = 0; i < bytes.length; i++) {
              var b = bytes.charCodeAt(i);
              values[i] = (b > 127 ? b - 256 : b) * u.scale / 127;
            }
            units[u.unit] = { values: values, range: Math.max(1, u.scale) };
          });
          var current = data.initial;
          [activations, surprisal].forEach(function (box) {
            for (var i = 0; i < box.children.length; i++) { box.children[i].index = i; }
          });

          function step(value, range) {
            return Math.min(steps - 1, Math.max(0, Math.round((value / range + 1) * half)));
          }

          function show(unit) {
            var u = units[unit];
            if (!u) { return; }
            current = unit;
            var spans = activations.children;
            for (var i = 0; i < spans.length; i++) {
              spans[i].className = 'a' + step(u.values[i], u.range);
              spans[i].removeAttribute('title');
            }
            document.getElementById('unit-name').textContent = unit;
            document.getElementById('unit-lo').textContent = (-u.range).toFixed(2);
            document.getElementById('unit-hi').textContent = '+' + u.range.toFixed(2);
            select.value = String(unit);
            try {
              history.replaceState(null, '', '#unit=' + unit);
            } catch (e) {
              // some browsers refuse history changes on file:// pages; the link is only a convenience
            }
            var links = document.querySelectorAll('.unit-link');
            for (var j = 0; j < links.length; j++) {
              var linked = Number(links[j].getAttribute('data-unit')) === unit;
              links[j].className = 'unit-link' + (linked ? ' current' : '');
            }
          }

          function describe(i) {
            var c = activations.children[i].textContent;
            var name = c === '\n' ? '\\n' : c === ' ' ? 'space' : c === '\t' ? '\\t' : c;
            var bits = data.surprisal[i];
            return '\'' + name + '\' (character ' + (i + 1) + ') | unit ' + current + ': ' +
              units[current].values[i].toFixed(2) + ' | surprisal ' +
              (bits === null ? 'none (no context)' : bits.toFixed(2) + ' bits');
          }

          function hover(event) {
            var span = event.target;
            if (span.parentNode !== this || span.index === undefined) { return; }
            span.title = describe(span.index);
            info.textContent = span.title;
          }

          activations.addEventListener('mouseover', hover);
          surprisal.addEventListener('mouseover', hover);
          select.addEventListener('change', function () { show(Number(select.value)); });
          document.getElementById('correlations').addEventListener('click', function (event) {
            var link = event.target.closest('.unit-link');
            if (link) {
              show(Number(link.getAttribute('data-unit')));
              document.getElementById('activation-view').scrollIntoView({ behavior: 'smooth' });
            }
          });
          var fromLink = /unit=(\d+)/.exec(location.hash);
          show(fromLink && units[Number(fromLink[1])] ? Number(fromLink[1]) : current);
          document.documentElement.className = 'js';
        }());

        """;
}
