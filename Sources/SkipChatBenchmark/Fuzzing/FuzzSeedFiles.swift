import Foundation
import SkipChatEngine

/// A valid 1-layer Llama GGUF v3 (hidden 8, 2 query heads, 1 KV head, FFN 16, F32 weights) with a
/// 16-token SentencePiece-style vocabulary, laid out as ggml/docs/gguf.md specifies.
enum TinyGGUF {
    /// The file and the bytes before its tensor data (header, metadata, tensor infos).
    static func llama() -> (data: Data, metadataBytes: Int) {
        let tokens = ["<unk>", "<s>", "</s>", "▁", "a", "b", "c", "d", "e", "▁a", "▁b", "ab", "cd", "▁ab", "<0x0A>", "<0x20>"]
        let n = tokens.count
        var out = Data("GGUF".utf8)
        append(&out, UInt32(3))
        let shapes: [(String, [Int])] = [
            ("token_embd.weight", [8, n]), ("output_norm.weight", [8]), ("blk.0.attn_norm.weight", [8]),
            ("blk.0.attn_q.weight", [8, 8]), ("blk.0.attn_k.weight", [8, 4]), ("blk.0.attn_v.weight", [8, 4]),
            ("blk.0.attn_output.weight", [8, 8]), ("blk.0.ffn_norm.weight", [8]), ("blk.0.ffn_gate.weight", [8, 16]),
            ("blk.0.ffn_up.weight", [8, 16]), ("blk.0.ffn_down.weight", [16, 8]),
        ]
        var metadata = Data()
        var keys = 0
        func key(_ name: String, _ type: UInt32, _ value: (inout Data) -> Void) {
            string(&metadata, name)
            append(&metadata, type)
            value(&metadata)
            keys += 1
        }
        key("general.architecture", 8) { string(&$0, "llama") }
        key("general.name", 8) { string(&$0, "fuzz seed") }
        for (name, value) in [("block_count", 1), ("embedding_length", 8), ("feed_forward_length", 16),
                              ("attention.head_count", 2), ("attention.head_count_kv", 1), ("context_length", 64)] {
            key("llama.\(name)", 4) { append(&$0, UInt32(value)) }
        }
        key("llama.attention.layer_norm_rms_epsilon", 6) { append(&$0, Float(1e-5).bitPattern) }
        key("llama.rope.freq_base", 6) { append(&$0, Float(10000).bitPattern) }
        key("tokenizer.ggml.model", 8) { string(&$0, "llama") }
        key("tokenizer.ggml.tokens", 9) { data in
            append(&data, UInt32(8)); append(&data, UInt64(n))
            for token in tokens { string(&data, token) }
        }
        key("tokenizer.ggml.scores", 9) { data in
            append(&data, UInt32(6)); append(&data, UInt64(n))
            for i in 0..<n { append(&data, Float(-i).bitPattern) }
        }
        key("tokenizer.ggml.token_type", 9) { data in
            append(&data, UInt32(5)); append(&data, UInt64(n))
            for i in 0..<n { append(&data, UInt32(i == 0 ? 2 : i < 3 ? 3 : i >= 14 ? 6 : 1)) }
        }
        key("tokenizer.ggml.bos_token_id", 4) { append(&$0, UInt32(1)) }
        key("tokenizer.ggml.eos_token_id", 4) { append(&$0, UInt32(2)) }
        key("tokenizer.chat_template", 8) { string(&$0, "{% for m in messages %}{{ m['content'] }}{% endfor %}") }
        append(&out, UInt64(shapes.count))
        append(&out, UInt64(keys))
        out.append(metadata)
        var offset = 0
        for (name, ne) in shapes {
            string(&out, name)
            append(&out, UInt32(ne.count))
            for d in ne { append(&out, UInt64(d)) }
            append(&out, UInt32(0))  // F32
            append(&out, UInt64(offset))
            offset += (ne.reduce(1, *) * 4 + 31) / 32 * 32
        }
        out.append(Data(count: (32 - out.count % 32) % 32))
        let metadataBytes = out.count
        for (_, ne) in shapes {
            let count = ne.reduce(1, *)
            for i in 0..<count { append(&out, Float(i % 5 - 2).bitPattern) }
            out.append(Data(count: (count * 4 + 31) / 32 * 32 - count * 4))
        }
        return (out, metadataBytes)
    }

    private static func append<T: FixedWidthInteger>(_ data: inout Data, _ value: T) {
        withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) }
    }

    private static func string(_ data: inout Data, _ text: String) {
        append(&data, UInt64(text.utf8.count))
        data.append(contentsOf: Array(text.utf8))
    }
}

/// A valid SentencePiece-style BPE `tokenizer.json` (byte fallback, ▁ normalizer, as HF writes
/// for Llama 2) with a handful of merges.
enum TinyTokenizerJSON {
    static func sentencePiece() -> Data {
        let special = ["<unk>", "<s>", "</s>"]
        let bytes = (0..<256).map { (b: Int) -> String in "<0x" + (b < 16 ? "0" : "") + String(b, radix: 16, uppercase: true) + ">" }
        let pieces = ["▁", "H", "e", "l", "o", "w", "r", "d", "a", "b", "1", "2", "3"]
        let merges = [("l", "o"), ("▁", "H"), ("▁H", "e"), ("e", "l"), ("a", "b"), ("▁", "w"), ("▁w", "o"), ("1", "2")]
        let vocabulary = special + bytes + pieces + merges.map { $0.0 + $0.1 }
        let vocab = Dictionary(vocabulary.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        let object: [String: Any] = [
            "version": "1.0",
            "added_tokens": special.enumerated().map { ["id": $0, "content": $1, "special": true, "normalized": false,
                                                        "lstrip": false, "rstrip": false, "single_word": false] },
            "normalizer": ["type": "Sequence", "normalizers": [["type": "Prepend", "prepend": "▁"],
                                                               ["type": "Replace", "pattern": ["String": " "], "content": "▁"]]],
            "pre_tokenizer": NSNull(),
            "decoder": ["type": "Sequence", "decoders": [["type": "Replace", "pattern": ["String": "▁"], "content": " "],
                                                         ["type": "ByteFallback"], ["type": "Fuse"],
                                                         ["type": "Strip", "content": " ", "start": 1, "stop": 0]]],
            "model": ["type": "BPE", "unk_token": "<unk>", "byte_fallback": true, "fuse_unk": true,
                      "vocab": vocab, "merges": merges.map { "\($0.0) \($0.1)" }],
        ]
        return (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
    }
}
