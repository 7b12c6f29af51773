import Foundation

/// An exclusive `flock` on a lock file (`.locks/models--ORG--NAME/<etag>.lock`, as huggingface_hub's
/// FileLock uses): two processes fetching the same blob take turns instead of writing one
/// `.incomplete` file together. Released by `unlock()` or when the process ends.
final class HubFileLock {
    private let descriptor: Int32

    /// Takes the lock, waiting for its holder; `waiting` is called once if it has to wait.
    init(path: URL, waiting: () -> Void) throws(HubError) {
        do {
            try FileManager.default.createDirectory(at: path.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            throw .io(path: path.deletingLastPathComponent().path, message: "cannot create the directory: \(error.localizedDescription)")
        }
        descriptor = open(path.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .io(path: path.path, message: "cannot open the lock file: \(String(cString: strerror(errno)))") }
        if flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            waiting()
            while flock(descriptor, LOCK_EX) != 0 {
                guard errno == EINTR else {
                    let message = String(cString: strerror(errno))
                    close(descriptor)
                    throw .io(path: path.path, message: "cannot lock: \(message)")
                }
            }
        }
    }

    func unlock() {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
