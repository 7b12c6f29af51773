import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A mapped file truncated while in use (a model re-downloaded mid-chat, `cp` over it) raises
/// SIGBUS on the next read of a page past its new end. This turns that crash into one line,
/// "skipchat: model file PATH changed or was truncated while in use", and exit status 1.
///
/// `MappedFile` registers each mapping's address range with its line; the SIGBUS handler
/// (`sigaction` with `SA_SIGINFO`) looks the faulting address (`si_addr`) up in that registry
/// and, only on a hit, writes the line and `_exit`s (once: a second faulting thread waits in
/// `pause`). It calls nothing but `write`, `pause` and `_exit` (async-signal-safe, POSIX.1-2017
/// §2.4.3), a lock-free atomic, and reads a fixed table allocated before it was installed. Any
/// other SIGBUS goes to the handler it replaced (the Swift runtime's backtracer or the default). The chat installs its own fatal-signal handler later, over this one: it restores
/// the terminal first, then puts this one back and lets the fault happen again.
enum MappedFileFaults {
    /// One registered mapping; `message` nil marks a free slot.
    private struct Entry {
        var start: UInt = 0
        var end: UInt = 0
        var message: UnsafeMutablePointer<CChar>?
        var length = 0
    }

    /// Most mappings registered at once (a model, its sidecar, a few shards); more are mapped
    /// but not guarded.
    private static let capacity = 64

    /// The registry the handler reads, allocated once. Writers hold `writers`; a slot is filled
    /// before its `message` is set and its `message` cleared before it is reused.
    nonisolated(unsafe) private static let entries: UnsafeMutablePointer<Entry> = {
        let table = UnsafeMutablePointer<Entry>.allocate(capacity: capacity)
        table.initialize(repeating: Entry(), count: capacity)
        return table
    }()
    private static let writers = Mutex(())

    /// The SIGBUS action before ours, restored for faults that are not in a mapped file.
    nonisolated(unsafe) private static let previous: UnsafeMutablePointer<sigaction> = {
        let action = UnsafeMutablePointer<sigaction>.allocate(capacity: 1)
        action.initialize(to: sigaction())
        return action
    }()

    /// Set by the first thread that reports a fault: when several threads read past the new end
    /// at once, one line is written and the others wait for its `_exit`.
    private static let reported = Atomic<Bool>(false)

    /// Installs the handler once, on the first registration.
    private static let installed: Void = {
        _ = entries
        _ = previous
        _ = reported.load(ordering: .relaxed)
        SignalAction.install(SIGBUS, info: handler, saveTo: previous)
    }()

    private static let handler: @convention(c) (Int32, UnsafeMutablePointer<siginfo_t>?, UnsafeMutableRawPointer?) -> Void = { _, info, _ in
        if let info {
            #if os(Linux)
            let address = UInt(bitPattern: info.pointee._sifields._sigfault.si_addr)
            #else
            let address = UInt(bitPattern: info.pointee.si_addr)
            #endif
            for slot in 0..<capacity {
                let entry = entries[slot]
                if let message = entry.message, address >= entry.start, address < entry.end {
                    guard reported.compareExchange(expected: false, desired: true, ordering: .sequentiallyConsistent).exchanged
                    else { while true { pause() } }
                    _ = write(STDERR_FILENO, message, entry.length)
                    _exit(1)
                }
            }
        }
        // Not ours: the previous handler sees the fault when it happens again on return.
        sigaction(SIGBUS, previous, nil)
    }

    /// The line printed when the file at `path` faults.
    static func message(path: String) -> String {
        "skipchat: model file \(path.escapingControlCharacters) changed or was truncated while in use\n"
    }

    /// Guards `size` bytes mapped at `start` from the file at `path` (silently unguarded when the
    /// registry is full).
    static func register(start: UnsafeRawPointer, size: Int, path: String) {
        _ = installed
        let text = Array(message(path: path).utf8CString)
        writers.withLock { _ in
            guard let slot = (0..<capacity).first(where: { entries[$0].message == nil }) else { return }
            let copy = UnsafeMutablePointer<CChar>.allocate(capacity: text.count)
            copy.initialize(from: text, count: text.count)
            entries[slot].start = UInt(bitPattern: start)
            entries[slot].end = UInt(bitPattern: start) + UInt(size)
            entries[slot].length = text.count - 1
            atomicMemoryFence(ordering: .sequentiallyConsistent)
            entries[slot].message = copy
        }
    }

    /// Stops guarding the mapping at `start` (before it is unmapped).
    static func unregister(start: UnsafeRawPointer) {
        writers.withLock { _ in
            for slot in 0..<capacity where entries[slot].message != nil && entries[slot].start == UInt(bitPattern: start) {
                let message = entries[slot].message
                entries[slot].message = nil
                atomicMemoryFence(ordering: .sequentiallyConsistent)
                message?.deallocate()
            }
        }
    }
}
