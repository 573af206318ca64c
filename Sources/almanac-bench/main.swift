// almanac-bench: the benchmarks behind `tools/bench`. Each prints a table for people and,
// with --json, one JSON object for machines; every figure is a ratio to a reference
// measured in the same run (see DESIGN.md §9).
import Foundation

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    FileHandle.standardError.write(Data("usage: almanac-bench log [--events N] [--batch N] [--store DIR] [--json]\n       almanac-bench ingest [--rows N] [--store DIR] [--json]\n       almanac-bench rebuild [--events N] [--store DIR] [--json]\n       almanac-bench query [--scale K] [--runs N] [--store DIR] [--fresh] [--json]\n       almanac-bench daemon [--files N] [--json]\n".utf8))
    exit(2)
}
do {
    let rest = BenchArguments(arguments.dropFirst(2))
    switch arguments[1] {
    case "log": try LogBench.run(rest)
    case "ingest": try IngestBench.run(rest)
    case "rebuild": try RebuildBench.run(rest)
    case "query": try QueryBench.run(rest)
    case "daemon": try DaemonBench.run(rest)
    default:
        FileHandle.standardError.write(Data("almanac-bench: unknown benchmark '\(arguments[1])'\n".utf8))
        exit(2)
    }
} catch {
    FileHandle.standardError.write(Data("almanac-bench: \(error)\n".utf8))
    exit(1)
}
