import Foundation
import SkipChatEngine
#if canImport(Glibc)
import Glibc
#endif

/// What one parser did under fuzzing.
public struct FuzzReport: Sendable {
    public var parser: String
    public var mutations: Int
    public var seconds: Double
    /// Mutants the parser accepted / rejected with an error.
    public var accepted: Int
    public var rejected: Int
    /// Peak resident set size of the process while this parser ran, in bytes, and its growth
    /// over the resident size before the run (the peak is reset first where Linux allows).
    public var peakRSS: Int
    public var rssGrowth: Int
    /// Largest mutated input, in bytes (the bound allocations are compared with).
    public var largestInput: Int
    /// Saved inputs whose error message was not one line (hangs and crashes end the process).
    public var failures: [String]

    public var mutationsPerSecond: Double { Double(mutations) / max(seconds, 1e-9) }
}

/// Runs a parser on mutated inputs in this process. Each input is written to
/// `<directory>/<parser>-input.<ext>` before it is parsed, so after a crash (a signal handler
/// prints its path) or a hang (a watchdog thread prints it and exits the process with status 3)
/// the input that caused it is on disk. A thrown error is the expected outcome for most inputs;
/// an error message of more than one line is a failure, saved as `<parser>-failure-<n>.<ext>`.
public struct FuzzRunner {
    public var directory: URL
    /// Per-input time limit, seconds.
    public var timeLimit: Double

    public init(directory: URL, timeLimit: Double) {
        self.directory = directory
        self.timeLimit = timeLimit
    }

    /// A new directory name for the inputs: under `/dev/shm` when writable (every input is
    /// written once; on a disk-backed temporary directory that costs up to 10 × the parsing),
    /// else under the temporary directory.
    public static func scratchDirectory() -> URL {
        let shm = URL(fileURLWithPath: "/dev/shm")
        let base = FileManager.default.isWritableFile(atPath: shm.path) ? shm : FileManager.default.temporaryDirectory
        return base.appendingPathComponent("skipchat-fuzz-\(UUID().uuidString)")
    }

    /// `iterations` mutants of `target`'s seeds, from `seed`.
    /// - Throws: Foundation's error when an input cannot be written to `directory`.
    public func run(_ target: FuzzTarget, iterations: Int, seed: UInt64) throws -> FuzzReport {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let input = directory.appendingPathComponent("\(target.name)-input.\(target.fileExtension)")
        let watchdog = FuzzWatchdog(limit: timeLimit, message: "fuzz: parser '\(target.name)' hung (over \(timeLimit) s) on the input saved as \(input.path)")
        FuzzCrashReport.arm("fuzz: parser '\(target.name)' crashed on the input saved as \(input.path)\n")
        defer { FuzzCrashReport.disarm() }
        ResidentMemory.resetPeak()
        let before = ResidentMemory.current()
        var mutator = FuzzMutator(seed: seed)
        var report = FuzzReport(parser: target.name, mutations: iterations, seconds: 0, accepted: 0, rejected: 0,
                                peakRSS: 0, rssGrowth: 0, largestInput: 0, failures: [])
        let start = DispatchTime.now().uptimeNanoseconds
        for i in 0..<iterations {
            let seedInput = target.seeds[i % target.seeds.count]
            let mutant = mutator.mutate(seedInput, structureBytes: target.structureBytes, json: target.json)
            report.largestInput = max(report.largestInput, mutant.count)
            try mutant.write(to: input)
            watchdog.begin()
            do {
                try target.parse(input.path)
                report.accepted += 1
            } catch {
                report.rejected += 1
                if "\(error)".contains("\n") {
                    let saved = directory.appendingPathComponent("\(target.name)-failure-\(report.failures.count).\(target.fileExtension)")
                    try mutant.write(to: saved)
                    report.failures.append("\(saved.path): error message is not one line: \("\(error)".debugDescription)")
                }
            }
            watchdog.end()
        }
        report.seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        watchdog.stop()
        try? FileManager.default.removeItem(at: input)
        report.peakRSS = ResidentMemory.peak()
        report.rssGrowth = max(0, report.peakRSS - before)
        return report
    }
}

/// A thread that ends the process when one input takes longer than the limit.
private final class FuzzWatchdog: @unchecked Sendable {
    private let lock = NSLock()
    private var started: UInt64?
    private var stopped = false

    init(limit: Double, message: String) {
        let thread = Thread { [self] in
            while true {
                Thread.sleep(forTimeInterval: min(0.05, limit / 4))
                lock.lock()
                let (began, done) = (started, stopped)
                lock.unlock()
                if done { return }
                if let began, Double(DispatchTime.now().uptimeNanoseconds - began) / 1e9 > limit {
                    FileHandle.standardError.write(Data((message + "\n").utf8))
                    exit(3)
                }
            }
        }
        thread.start()
    }

    func begin() { lock.withLock { started = DispatchTime.now().uptimeNanoseconds } }
    func end() { lock.withLock { started = nil } }
    func stop() { lock.withLock { stopped = true } }
}

/// Prints which input crashed the process from a signal handler (async-signal-safe: one
/// `write` of a message prepared beforehand), then lets the signal take its default course.
/// `disarm` puts back the actions that were installed before, whole (`sigaction`, so that an
/// `SA_SIGINFO` handler such as the engine's `MappedFileFaults` comes back with its flags).
enum FuzzCrashReport {
    nonisolated(unsafe) private static var message: UnsafeMutableBufferPointer<CChar>?
    nonisolated(unsafe) private static var previous: [(Int32, sigaction)] = []
    private static let signals = [SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE, SIGABRT]

    private static let handler: @convention(c) (Int32) -> Void = { number in
        if let m = FuzzCrashReport.message { _ = write(2, m.baseAddress, m.count - 1) }
        signal(number, SIG_DFL)
        raise(number)
    }

    static func arm(_ text: String) {
        disarm()
        let bytes = Array(text.utf8CString)
        let buffer = UnsafeMutableBufferPointer<CChar>.allocate(capacity: bytes.count)
        _ = buffer.initialize(from: bytes)
        message = buffer
        for s in signals {
            var old = sigaction()
            SignalAction.install(s, handler, saveTo: &old)
            previous.append((s, old))
        }
    }

    static func disarm() {
        for (s, old) in previous {
            var action = old
            sigaction(s, &action, nil)
        }
        previous = []
        message?.deallocate()
        message = nil
    }
}

/// The process's resident set size (Linux `/proc/self/status`; elsewhere `getrusage`'s peak).
enum ResidentMemory {
    /// Resets the peak (`VmHWM`) to the current size (Linux ≥ 4.0; ignored where not allowed).
    static func resetPeak() {
        try? Data("5".utf8).write(to: URL(fileURLWithPath: "/proc/self/clear_refs"))
    }

    static func current() -> Int { status("VmRSS:") ?? peak() }

    static func peak() -> Int {
        if let hwm = status("VmHWM:") { return hwm }
        var usage = rusage()
        #if os(Linux)
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return Int(usage.ru_maxrss) * 1024  // kB on Linux, bytes on macOS
        #else
        getrusage(RUSAGE_SELF, &usage)
        return Int(usage.ru_maxrss)
        #endif
    }

    /// A `kB` line of /proc/self/status, in bytes.
    private static func status(_ field: String) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix(field) }),
              let kB = Int(line.dropFirst(field.count).split(separator: " ").first ?? "") else { return nil }
        return kB * 1024
    }
}
