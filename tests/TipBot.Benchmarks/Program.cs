using BenchmarkDotNet.Running;
using TipBot.Benchmarks.Load;
using TipBot.Benchmarks.Micro;

namespace TipBot.Benchmarks;

/// <summary>dotnet run -c Release --project tests/TipBot.Benchmarks -- &lt;command&gt; (docs/benchmarks.md).</summary>
public static class BenchmarksProgram
{
    public static async Task<int> Main(string[] args)
    {
        var command = args.Length > 0 ? args[0] : "";
        var rest = args.Skip(1).ToArray();
        switch (command)
        {
            case "bench":
                BenchmarkSwitcher.FromAssembly(typeof(BenchmarksProgram).Assembly).Run(rest);
                return 0;
            case "load":
                return await LoadCommand.RunAsync(rest);
            case "report":
                return ReportCommand.Run(rest);
            case "alloc-report":
                return AllocationReport.Run(rest);
            case "sizes":
                return Sizes.Print(rest.Length > 0 ? rest[0] : "keyword");
            case "train-model":
                return ModelForBenchmarks.Train(rest);
            default:
                Console.WriteLine("""
                    TipBot benchmarks (docs/benchmarks.md)

                      bench [BenchmarkDotNet arguments]   micro-benchmarks, e.g. bench --filter '*' --job short
                      load  [options]                     load harness against a TipBot.Server child process
                      report FILE.json|DIR ...            load results (--out files) as Markdown tables
                      alloc-report TRACE [TYPE]           a GC trace of the server (dotnet-trace): collections, pauses,
                                                          allocation by type and, for TYPE, by caller
                      sizes [keyword|trained]             serialized conversation state and turn effects, in bytes
                      train-model --out FILE              a model from training/ with the default trainer options,
                                                          for benchmarking the trained classifier before one ships
                                                          (then TIPBOT_BENCH_MODEL=FILE)

                    """ + LoadOptions.Usage);
                return command is "" or "help" or "--help" ? 0 : 2;
        }
    }
}
