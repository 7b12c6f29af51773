import Foundation

/// How much memory a new allocation can get without swapping.
public enum AvailableMemory {
    /// `MemAvailable` of /proc/meminfo in bytes (the kernel's estimate of memory available for
    /// new allocations without swapping), or nil where there is no such file (not Linux).
    public static func bytes() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("MemAvailable:") {
            let fields = line.split(separator: " ")
            guard fields.count >= 2, let kB = Int(fields[1]) else { return nil }
            return kB * 1024
        }
        return nil
    }
}
