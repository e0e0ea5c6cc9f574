using System.Text;
using System.Text.RegularExpressions;

namespace Reporting.Tests.Architecture;

/// <summary>
/// The folders of src/Reporting depend on each other in the direction the data flows. The order is written down
/// in <see cref="Layers"/> (and in README, section Architecture); a folder may use only folders in lower layers.
/// </summary>
public sealed partial class FolderDependencyTests
{
    // Bottom to top. Folders on one line are peers and may not use each other.
    // "Host" is the root of src/Reporting (composition root and entry point): it may use anything.
    static readonly string[][] Layers =
    [
        ["Database", "Logging"],
        ["Reference"],
        ["Uploads"],
        ["Ingestion"],
        ["Kpis"],
        ["Reports"],
        ["Delivery", "Scenarios"],
        ["Scheduling"],
        ["Pipeline"],
        ["Access"],
        ["Demo"],
        ["Web", "Cli"],
        ["Host"],
    ];

    [Fact]
    public void No_two_folders_depend_on_each_other_through_any_path()
    {
        var graph = SourceGraph.Read();
        var cycles = SourceGraph.Cycles(graph.Edges);

        Assert.True(cycles.Count == 0, "Folders in a cycle:\n" + string.Join("\n", cycles.Select(c =>
            string.Join(" <-> ", c))) + "\n" + graph.Describe());
    }

    [Fact]
    public void Every_folder_depends_only_on_folders_below_it_in_the_agreed_layer_order()
    {
        var graph = SourceGraph.Read();
        var violations = new List<string>();
        foreach (var (from, targets) in graph.Edges.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            foreach (var to in targets.Order(StringComparer.Ordinal))
            {
                if (LayerOf(from) is not { } a || LayerOf(to) is not { } b)
                    violations.Add($"{from} -> {to}: folder without a layer (add it to Layers and README)");
                else if (a <= b)
                    violations.Add($"{from} -> {to} ({string.Join(", ", graph.Evidence[(from, to)].Take(3))})");
            }
        }

        Assert.True(violations.Count == 0, "Dependencies against the layer order:\n" + string.Join("\n", violations));
    }

    [Fact]
    public void The_reader_sees_usings_static_usings_and_qualified_names()
    {
        var found = SourceGraph.Dependencies(
            "using Reporting.Kpis;\nusing static Reporting.Uploads.ReturnTemplateLayout;\n" +
            "global using Reporting.Web;\n// Reporting.Cli in a comment\nvar x = Reporting.Delivery.Mail.Send();\n" +
            "Scheduling.ScheduledJobs.EnqueueNewData(jobs, 1);",
            "Reports");

        Assert.Equal(["Delivery", "Kpis", "Scheduling", "Uploads", "Web"],
            found.Where(f => f is not ("Mail" or "ReturnTemplateLayout")).Order(StringComparer.Ordinal));
    }

    static int? LayerOf(string folder)
    {
        var index = Array.FindIndex(Layers, layer => layer.Contains(folder));
        return index < 0 ? null : index;
    }

    sealed partial class SourceGraph
    {
        public Dictionary<string, HashSet<string>> Edges { get; } = [];
        public Dictionary<(string, string), List<string>> Evidence { get; } = [];

        public static SourceGraph Read()
        {
            var root = Path.Combine(AppPaths.FindContentRoot(), "src", "Reporting");
            var graph = new SourceGraph();
            var folders = Directory.GetDirectories(root).Select(Path.GetFileName).ToHashSet();
            foreach (var file in Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(root, file).Replace('\\', '/');
                if (relative.StartsWith("bin/", StringComparison.Ordinal)
                    || relative.StartsWith("obj/", StringComparison.Ordinal))
                    continue;
                var slash = relative.IndexOf('/', StringComparison.Ordinal);
                var folder = slash < 0 ? "Host" : relative[..slash];
                graph.Edges.TryAdd(folder, []);
                foreach (var target in Dependencies(File.ReadAllText(file), folder).Where(folders.Contains))
                {
                    graph.Edges[folder].Add(target);
                    if (!graph.Evidence.TryGetValue((folder, target), out var files))
                        graph.Evidence[(folder, target)] = files = [];
                    files.Add(relative);
                }
            }
            return graph;
        }

        public static HashSet<string> Dependencies(string source, string ownFolder)
        {
            var code = Comments().Replace(source, "");
            return QualifiedName().Matches(code)
                .Select(m => m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value)
                .Where(f => f != ownFolder).ToHashSet();
        }

        // Strongly connected components with more than one folder (Tarjan).
        public static List<List<string>> Cycles(Dictionary<string, HashSet<string>> edges)
        {
            var index = new Dictionary<string, int>();
            var low = new Dictionary<string, int>();
            var stack = new Stack<string>();
            var result = new List<List<string>>();
            void Visit(string v)
            {
                index[v] = low[v] = index.Count;
                stack.Push(v);
                foreach (var w in edges.GetValueOrDefault(v) ?? [])
                {
                    if (!index.ContainsKey(w)) { Visit(w); low[v] = Math.Min(low[v], low[w]); }
                    else if (stack.Contains(w)) low[v] = Math.Min(low[v], index[w]);
                }
                if (low[v] != index[v]) return;
                var component = new List<string>();
                string x;
                do { x = stack.Pop(); component.Add(x); } while (x != v);
                if (component.Count > 1) result.Add([.. component.Order(StringComparer.Ordinal)]);
            }
            foreach (var v in edges.Keys.Order(StringComparer.Ordinal))
                if (!index.ContainsKey(v)) Visit(v);
            return result;
        }

        public string Describe()
        {
            var text = new StringBuilder("Graph:\n");
            foreach (var (from, to) in Edges.OrderBy(e => e.Key, StringComparer.Ordinal))
                text.AppendLine($"  {from} -> {string.Join(", ", to.Order(StringComparer.Ordinal))}");
            return text.ToString();
        }

        // Line and block comments; a "Reporting.X" in prose is not a dependency.
        [GeneratedRegex(@"//[^\n]*|/\*.*?\*/", RegexOptions.Singleline)]
        private static partial Regex Comments();

        // using / using static / global using and qualified names contain "Reporting.<Folder>"; inside namespace
        // Reporting.X a sibling folder is reachable as "<Folder>.Type" too. Names that are no folder are dropped.
        [GeneratedRegex(@"(?<![\w.])(?:Reporting\.([A-Z]\w*)|([A-Z]\w*)\.[A-Z])")]
        private static partial Regex QualifiedName();
    }
}
