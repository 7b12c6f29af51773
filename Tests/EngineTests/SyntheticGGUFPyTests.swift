import Foundation
import XCTest
@testable import SkipChatEngine

/// The synthetic GGUF files read by gguf-py (llama.cpp's own Python reader), from the venv that
/// scripts/llamacpp-venv.sh makes as .venv-bench/ at the repository root.
final class SyntheticGGUFPyTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let python = root.appendingPathComponent(".venv-bench/bin/python").path

    /// Per tensor: name, GGML type code, ne, byte count and byte sum as gguf-py reads them; and some keys.
    static let script = """
        import json, sys, numpy as np, gguf
        r = gguf.GGUFReader(sys.argv[1])
        def field(k):
            f = r.fields[k]
            return f.contents() if hasattr(f, "contents") else None
        out = {"tensors": [[t.name, int(t.tensor_type), [int(x) for x in t.shape], int(t.n_bytes),
                            int(np.frombuffer(t.data.tobytes(), np.uint8).sum(dtype=np.uint64))] for t in r.tensors],
               "block_count": int(r.fields["llama.block_count"].parts[-1][0]),
               "tokens": len(r.fields["tokenizer.ggml.tokens"].data),
               "model": bytes(r.fields["tokenizer.ggml.model"].parts[-1]).decode()}
        print(json.dumps(out))
        """

    func testGGUFPyReadsTheSyntheticFile() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.python) else {
            throw XCTSkip("no gguf-py: run scripts/llamacpp-venv.sh (makes \(Self.python))")
        }
        for spec in SyntheticTestSpecs.all {
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("synthetic-\(UUID()).gguf")
            defer { try? FileManager.default.removeItem(at: url) }
            try spec.writeGGUF(to: url.path)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Self.python)
            process.arguments = ["-c", Self.script, url.path]
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            XCTAssertEqual(process.terminationStatus, 0)
            let json = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
            XCTAssertEqual(json["block_count"] as? Int, spec.config.layerCount)
            XCTAssertEqual(json["tokens"] as? Int, spec.config.vocabSize)
            XCTAssertEqual(json["model"] as? String, spec.vocabulary == .llama3BPE ? "gpt2" : "llama")
            let read = try XCTUnwrap(json["tensors"] as? [[Any]])
            let tensors = spec.tensors
            XCTAssertEqual(read.count, tensors.count)
            for (r, t) in zip(read, tensors) {
                XCTAssertEqual(r[0] as? String, t.info.name)
                XCTAssertEqual(r[1] as? Int, Int(t.info.type.rawValue), t.info.name)
                XCTAssertEqual(r[2] as? [Int], t.info.dimensions, t.info.name)
                XCTAssertEqual(r[3] as? Int, t.info.byteCount, t.info.name)
                let bytes = UnsafeMutableRawPointer.allocate(byteCount: t.info.byteCount, alignment: 64)
                defer { bytes.deallocate() }
                t.fill(into: bytes)
                let sum = UnsafeRawBufferPointer(start: bytes, count: t.info.byteCount).reduce(0) { $0 + Int($1) }
                XCTAssertEqual(r[4] as? Int, sum, t.info.name)
            }
        }
    }
}
