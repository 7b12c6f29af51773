import Foundation

/// Hashes a file on a thread of its own while another thread appends to it: the writer reports
/// how many bytes the file holds (`grew(to:)`), the hashing thread reads them back from the page
/// cache (`pread` into a buffer that stays in the L2 cache; a mapping would turn a file truncated
/// behind our back into SIGBUS) and feeds the digest. The download's receive-and-write loop never
/// waits for SHA-256, which runs on another core when one is free.
final class GrowingFileDigest: @unchecked Sendable {
    /// The hashing thread is woken when this many bytes wait for it (libcurl hands over 16 kB at a
    /// time; a wake-up for each would cost more than the hashing).
    static let blockBytes = 1 << 20
    /// Bytes read back per `pread`.
    static let readBytes = 256 << 10

    private let digest: StreamingDigest
    private let descriptor: Int32
    private let path: String
    private let condition = NSCondition()
    // Guarded by `condition`:
    private var available: Int64 = 0
    private var hashed: Int64 = 0
    private var waiting = false
    private var writerDone = false
    private var abandoned = false
    private var failure: String?
    private let finished = DispatchSemaphore(value: 0)

    /// Starts hashing `path` from its first byte into `digest` (which may already hold a prefix,
    /// such as a git blob header).
    /// - Throws: `HubError.io` when the file cannot be opened for reading.
    init(_ digest: StreamingDigest, path: String) throws(HubError) {
        self.digest = digest
        self.path = path
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .io(path: path, message: "cannot read the download back: \(String(cString: strerror(errno)))") }
        let thread = Thread { [self] in run() }
        thread.name = "skipchat-sha256"
        thread.start()
    }

    deinit { close(descriptor) }

    /// The file now holds `count` bytes (never fewer than reported before).
    func grew(to count: Int64) {
        condition.lock()
        available = count
        if waiting && available - hashed >= Int64(Self.blockBytes) { condition.signal() }
        condition.unlock()
    }

    /// Waits until every reported byte is hashed; the digest in lower-case hex.
    /// - Throws: `HubError.io` when the file could not be read back (it shrank, or a read failed).
    func finish() throws(HubError) -> String {
        stop(abandon: false)
        if let failure { throw .io(path: path, message: failure) }
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
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.readBytes, alignment: 64)
        defer { buffer.deallocate() }
        condition.lock()
        while true {
            while available - hashed < Int64(Self.blockBytes) && !writerDone {
                waiting = true
                condition.wait()
            }
            waiting = false
            var offset = hashed
            let end = available
            if abandoned || (writerDone && offset == end) { return condition.unlock() }
            condition.unlock()
            while offset < end {
                let n = pread(descriptor, buffer.baseAddress!, Int(min(Int64(Self.readBytes), end - offset)), off_t(offset))
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else {
                    let reason = n < 0 ? "cannot read the download back: \(String(cString: strerror(errno)))" : "the download shrank while it was written"
                    condition.lock()
                    failure = reason
                    return condition.unlock()
                }
                digest.update(UnsafeRawBufferPointer(rebasing: buffer[..<n]))
                offset += Int64(n)
            }
            condition.lock()
            hashed = end
        }
    }
}
