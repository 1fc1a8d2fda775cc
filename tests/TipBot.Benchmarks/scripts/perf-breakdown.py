#!/usr/bin/env python3
"""Where the server's CPU goes, from a `perf record -g` of a load run (docs/benchmarks.md, Profiling).

    perf script -i perf.data --pid SERVER_PID -F comm,tid,ip,sym > server.stacks
    tests/TipBot.Benchmarks/scripts/perf-breakdown.py server.stacks

Run the server with DOTNET_PerfMapEnabled=1 so JIT'd frames have names. Two views:
- by component: each sample goes to the leaf-most frame of a known library (EF Core, Npgsql,
  Redis, ...), so framework time counts for the library that called into CoreLib. Async
  continuations run with the awaited call below them, so "inclusive" perf views mislead; this does not.
- by our call: the leaf-most TipBot frame and the framework call it made, i.e. what our code pays for.
"""
import collections
import re
import sys

COMPONENTS = [
    ("EF Core", "EntityFrameworkCore"), ("Npgsql", "[Npgsql"), ("StackExchange.Redis", "StackExchange.Redis"),
    ("Hangfire", "Hangfire"), ("Telegram.Bot", "[Telegram.Bot]"), ("HttpClient", "[System.Net.Http]"),
    ("Data Protection", "DataProtection"), ("crypto", "Cryptography"), ("logging", "Extensions.Logging"),
    ("System.Text.Json", "System.Text.Json"), ("ASP.NET Core / Kestrel", "AspNetCore"), ("TipBot", "[TipBot"),
    ("sockets", "System.Net.Sockets"), ("LINQ", "[System.Linq"), ("DI", "Extensions.DependencyInjection"),
    ("Polly", "[Polly"), ("pipelines", "System.IO.Pipelines"),
]
GC = re.compile(r"WKS::|SVR::|gc_heap|GCHeap")


def samples(lines):
    frames = []
    for line in lines:
        if not line.startswith("\t"):
            if frames:
                yield frames
            frames = []
        elif line.strip():
            frames.append(line.strip())
    if frames:
        yield frames


def short(frame):
    m = re.search(r"\] ([\w.+<>`\[\]]+)::([^(]+)", frame)
    return (m.group(1).split(".")[-1] + "::" + m.group(2))[:90] if m else frame[:60]


def main(path):
    by_component, by_call, total = collections.Counter(), collections.Counter(), 0
    with open(path, encoding="utf-8", errors="replace") as f:
        for frames in samples(f):
            total += 1
            if GC.search("\n".join(frames[:8])):
                by_component["GC"] += 1
            else:
                by_component[next((name for frame in frames for name, key in COMPONENTS if key in frame), "CoreLib / runtime / kernel only")] += 1
            for i, frame in enumerate(frames):
                if "[TipBot" in frame:
                    callee = next((frames[j] for j in range(i - 1, -1, -1) if "System.Private.CoreLib" not in frames[j]), None)
                    by_call[short(frame) + "  ->  " + (short(callee) if callee else "(itself)")] += 1
                    break
    print(f"{total} samples\n\nby component (leaf-most known library)")
    for name, n in by_component.most_common():
        print(f"{100 * n / total:5.1f}%  {name}")
    print("\nby our call (leaf-most TipBot frame -> the call it made)")
    for name, n in by_call.most_common(30):
        print(f"{100 * n / total:5.2f}%  {name}")


if __name__ == "__main__":
    main(sys.argv[1])
