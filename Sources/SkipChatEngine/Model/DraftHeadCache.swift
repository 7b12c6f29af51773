import Foundation
import SkipChatTokenizer

/// The draft-head corpus's token counts per model, cached under
/// `$XDG_CACHE_HOME/skipchat/draft-heads/` so the corpus is tokenised once per model.
///
/// File (little-endian): magic `SKCDHC01` (8 bytes); key length u32 and the key's UTF-8 text;
/// entry count u32; per entry id i32, count u32 (most frequent first); FNV-1a 64 of every byte
/// before it (u64). A file that is short, has another magic or key, or fails the checksum is not
/// trusted: the counts are made again and the file rewritten. Writes go to a temporary file in the
/// same directory, renamed over the old one (atomic on POSIX), so a reader never sees half a file.
public enum DraftHeadCache {
    static let magic = Array("SKCDHC01".utf8)

    /// What the counts depend on: the model file (size and modification time), its tokenizer
    /// (FNV-1a 64 of every id's bytes and the end-of-turn ids), the head's rows, and the corpus
    /// version. Any change gives another key, hence another file.
    public struct Key: Sendable, Equatable {
        public var modelName: String
        public var text: String

        public init(file: ModelFile, tokenizer: Tokenizer, vocabularySize: Int) {
            let attributes = try? FileManager.default.attributesOfItem(atPath: NSString(string: file.path).expandingTildeInPath)
            let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            self.init(modelName: file.name, fileSize: file.fileSize, modified: modified, tokenizer: tokenizer,
                      vocabularySize: vocabularySize)
        }

        init(modelName: String, fileSize: Int, modified: Double, tokenizer: Tokenizer, vocabularySize: Int) {
            var hash = FNV1a()
            for id in 0..<tokenizer.vocabularySize {
                hash.add(UInt64(id))
                hash.add(tokenizer.tokenBytes(Int32(id)))
            }
            for id in tokenizer.endOfTurnIDs.sorted() { hash.add(UInt64(UInt32(bitPattern: id))) }
            self.modelName = modelName
            text = String(format: "size=%d mtime=%.3f tokenizer=%016llx rows=%d corpus=%016llx", fileSize, modified,
                          hash.value, vocabularySize, DraftHeadCorpus.version)
        }

        /// The cache file's name: the model's name (characters other than letters, digits, `.`,
        /// `-`, `_` as `_`) and a fingerprint of the key.
        var fileName: String {
            let safe = String(modelName.unicodeScalars.map { c -> Character in
                c.isASCII && (CharacterSet.alphanumerics.contains(c) || ".-_".unicodeScalars.contains(c)) ? Character(c) : "_"
            })
            var hash = FNV1a()
            hash.add(text.utf8)
            return "\(safe)-\(String(format: "%016llx", hash.value)).counts"
        }
    }

    /// `$XDG_CACHE_HOME/skipchat/draft-heads`.
    public static var directory: URL { LanguageModel.cacheDirectory.appendingPathComponent("draft-heads") }

    /// The counts for `key`: read from `directory` when a valid file is there, else made by
    /// `make` and written (a write that fails is ignored: the counts are still returned).
    /// - Returns: the counts and whether they came from the cache.
    public static func counts(for key: Key, in directory: URL = directory, make: () -> TokenCounts) -> (TokenCounts, hit: Bool) {
        let url = directory.appendingPathComponent(key.fileName)
        if let data = FileManager.default.contents(atPath: url.path), let counts = decode(data, key: key) {
            return (counts, true)
        }
        let counts = make()
        try? write(counts, key: key, to: url)
        return (counts, false)
    }

    static func encode(_ counts: TokenCounts, key: Key) -> Data {
        var bytes = magic
        func append<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.littleEndian) { bytes += $0 } }
        let keyBytes = Array(key.text.utf8)
        append(UInt32(keyBytes.count))
        bytes += keyBytes
        append(UInt32(counts.ids.count))
        for (id, count) in zip(counts.ids, counts.counts) {
            append(id)
            append(UInt32(clamping: count))
        }
        var hash = FNV1a()
        hash.add(bytes)
        append(hash.value)
        return Data(bytes)
    }

    /// nil unless `data` is a whole, unaltered file for `key`.
    static func decode(_ data: Data, key: Key) -> TokenCounts? {
        let bytes = [UInt8](data)
        guard bytes.count >= magic.count + 16, Array(bytes.prefix(magic.count)) == magic else { return nil }
        var hash = FNV1a()
        hash.add(bytes[..<(bytes.count - 8)])
        guard read(UInt64.self, bytes, at: bytes.count - 8) == hash.value else { return nil }
        var offset = magic.count
        let keyLength = Int(read(UInt32.self, bytes, at: offset))
        offset += 4
        guard offset + keyLength + 4 <= bytes.count - 8,
              String(decoding: bytes[offset..<(offset + keyLength)], as: UTF8.self) == key.text else { return nil }
        offset += keyLength
        let count = Int(read(UInt32.self, bytes, at: offset))
        offset += 4
        guard offset + count * 8 == bytes.count - 8 else { return nil }
        var ids: [Int32] = []
        var counts: [Int] = []
        for i in 0..<count {
            ids.append(read(Int32.self, bytes, at: offset + i * 8))
            counts.append(Int(read(UInt32.self, bytes, at: offset + i * 8 + 4)))
        }
        return TokenCounts(ids: ids, counts: counts)
    }

    private static func read<T: FixedWidthInteger>(_: T.Type, _ bytes: [UInt8], at offset: Int) -> T {
        var value = T.zero
        for i in 0..<MemoryLayout<T>.size { value |= T(truncatingIfNeeded: bytes[offset + i]) << (8 * i) }
        return value
    }

    /// Writes atomically: a temporary file beside `url`, renamed over it.
    /// - Throws: Foundation's error when the directory or file cannot be written.
    static func write(_ counts: TokenCounts, key: Key, to url: URL) throws {
        let directory = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
        try encode(counts, key: key).write(to: temporary)
        if rename(temporary.path, url.path) != 0 {
            try? FileManager.default.removeItem(at: temporary)
            throw CocoaError(.fileWriteUnknown)
        }
    }
}
