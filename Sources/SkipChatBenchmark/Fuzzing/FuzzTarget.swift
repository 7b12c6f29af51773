import Foundation
import SkipChatEngine

/// One parser under fuzzing: valid seed inputs and the call that parses a file.
public struct FuzzTarget: Sendable {
    /// Short name, e.g. "gguf" (used in `--parser` and in saved input file names).
    public var name: String
    /// Extension of the input files written (e.g. "gguf", "json").
    public var fileExtension: String
    /// Valid inputs that are mutated.
    public var seeds: [Data]
    /// Bytes at the start of each seed holding the structure (header, metadata, JSON text).
    public var structureBytes: Int
    /// Whether the structure is JSON text (enables JSON mutations).
    public var json: Bool
    /// Parses the file at the path. Returning or throwing are both fine; only a crash, a hang
    /// or a multi-line error message is a failure.
    public var parse: @Sendable (String) throws -> Void

    public init(name: String, fileExtension: String, seeds: [Data], structureBytes: Int, json: Bool,
                parse: @escaping @Sendable (String) throws -> Void) {
        self.name = name
        self.fileExtension = fileExtension
        self.seeds = seeds
        self.structureBytes = structureBytes
        self.json = json
        self.parse = parse
    }
}
