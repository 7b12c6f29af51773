import Foundation

/// Hashes a file on a thread of its own while another thread appends to it: the writer reports
/// how many bytes the file holds (`grew(to:)`), the hashing thread feeds them to the digest
/// straight from the page cache (the file is mapped read-only, so no copy), `blockBytes` at a time.
/// The download's receive-and-write loop never waits for SHA-256, which runs on another core.
final class GrowingFileDigest: @unchecked Sendable {
    /// The hashing thread is woken when this many bytes wait for it (libcurl hands over 16 kB at a
    /// time; a wake-up for each would cost more than the hashing).
    static let blockBytes = 1 << 20

    private let digest: StreamingDigest
    private let mapping: UnsafeRawPointer?
    private let capacity: Int
    private let path: String
    private let condition = NSCondition()
    // Guarded by `condition`:
    private var available: Int64 = 0
    private var hashed: Int64 = 0
    private var waiting = false
    private var writerDone = false
    private var abandoned = false
    private let finished = DispatchSemaphore(value: 0)

    /// Starts hashing `path` from its first byte into `digest` (which may already hold a prefix,
    /// such as a git blob header); the file will hold at most `capacity` bytes.
    /// - Throws: `HubError.io` when the file cannot be opened or mapped.
    init(_ digest: StreamingDigest, path: String, capacity: Int64) throws(HubError) {
        self.digest = digest
        self.path = path
        self.capacity = Int(capacity)
        if capacity > 0 {
            let descriptor = open(path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else { throw .io(path: path, message: "cannot read the download back: \(String(cString: strerror(errno)))") }
            defer { close(descriptor) }
            // Pages past the file's end are never touched: only bytes the writer reported are read.
            guard let base = mmap(nil, Int(capacity), PROT_READ, MAP_SHARED, descriptor, 0), base != MAP_FAILED else {
                throw .io(path: path, message: "cannot map the download: \(String(cString: strerror(errno)))")
            }
            mapping = UnsafeRawPointer(base)
        } else {
            mapping = nil
        }
        let thread = Thread { [self] in run() }
        thread.name = "skipchat-sha256"
        thread.start()
    }

    deinit { if let mapping { munmap(UnsafeMutableRawPointer(mutating: mapping), capacity) } }

    /// The file now holds `count` bytes (never fewer than reported before).
    func grew(to count: Int64) {
        condition.lock()
        available = count
        if waiting && available - hashed >= Int64(Self.blockBytes) { condition.signal() }
        condition.unlock()
    }

    /// Waits until every reported byte is hashed; the digest in lower-case hex.
    func finish() -> String {
        stop(abandon: false)
        return digest.hexDigest()
    }

    /// Stops hashing (the file is being started over or given up); waits for the thread.
    func abandon() { stop(abandon: true) }

    /// Called by the writer's thread only; a second call returns at once.
    private func stop(abandon: Bool) {
        condition.lock()
        guard !writerDone else { return condition.unlock() }
        writerDone = true
        abandoned = abandon
        condition.signal()
        condition.unlock()
        finished.wait()
    }

    private func run() {
        defer { finished.signal() }
        condition.lock()
        while true {
            while available - hashed < Int64(Self.blockBytes) && !writerDone {
                waiting = true
                condition.wait()
            }
            waiting = false
            let start = Int(hashed), end = Int(min(available, Int64(capacity)))
            if abandoned || (writerDone && start == end) { return condition.unlock() }
            condition.unlock()
            if let mapping { digest.update(UnsafeRawBufferPointer(start: mapping + start, count: end - start)) }
            condition.lock()
            hashed = Int64(end)
        }
    }
}
