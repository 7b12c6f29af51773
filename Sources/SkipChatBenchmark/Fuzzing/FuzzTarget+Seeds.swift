import Foundation
import SkipChatEngine
import SkipChatTokenizer

/// The engine's parsers as fuzz targets, each with seeds built here (so the benchmark needs no
/// fixture files): a 1-layer Llama GGUF with a tokenizer, a safetensors file, a Hugging Face
/// `config.json`, a SentencePiece-style `tokenizer.json` and a draft sidecar.
extension FuzzTarget {
    public static var engineTargets: [FuzzTarget] { [gguf, safetensors, config, tokenizerJSON, exitAdapters] }

    /// `ModelFile.open` (header, metadata, tensor table, config, vocabulary) and the
    /// tokenizer-only path `TokenizerSource(modelPath:)` on the same file.
    static var gguf: FuzzTarget {
        let seed = TinyGGUF.llama()
        return FuzzTarget(name: "gguf", fileExtension: "gguf", seeds: [seed.data], structureBytes: seed.metadataBytes, json: false) { path in
            defer { _ = try? TokenizerSource(modelPath: path).tokenizer(file: path) }
            _ = try ModelFile.open(path: path)
        }
    }

    static var safetensors: FuzzTarget {
        let tensors: [SafetensorsTensor] = [.f32("model.norm.weight", shape: [8], Array(repeating: 1, count: 8)),
                                            .bf16("lm_head.weight", shape: [4, 8], (0..<32).map { Float($0) / 8 })]
        let data = (try? SafetensorsWriter.encode(tensors, metadata: ["format": "pt"])) ?? Data()
        let headerBytes = 8 + Int(data.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) })
        return FuzzTarget(name: "safetensors", fileExtension: "safetensors", seeds: [data], structureBytes: headerBytes, json: true) { path in
            _ = try SafetensorsFile(file: MappedFile(path: path))
        }
    }

    static var config: FuzzTarget {
        let text = """
            {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": 64, "intermediate_size": 128,
             "num_hidden_layers": 2, "num_attention_heads": 4, "num_key_value_heads": 2, "head_dim": 16,
             "vocab_size": 256, "max_position_embeddings": 2048, "rms_norm_eps": 1e-05, "rope_theta": 10000.0,
             "rope_scaling": {"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
             "original_max_position_embeddings": 8192}, "tie_word_embeddings": true, "bos_token_id": 1,
             "eos_token_id": [2, 3], "torch_dtype": "bfloat16"}
            """
        return FuzzTarget(name: "config", fileExtension: "json", seeds: [Data(text.utf8)], structureBytes: text.utf8.count, json: true) { path in
            _ = try HFConfig.read(URL(fileURLWithPath: path)).llamaConfig(file: path)
        }
    }

    /// Loading, then encoding and decoding a short text (the tables built from the file are used).
    static var tokenizerJSON: FuzzTarget {
        let data = TinyTokenizerJSON.sentencePiece()
        return FuzzTarget(name: "tokenizer", fileExtension: "json", seeds: [data], structureBytes: data.count, json: true) { path in
            let tokenizer = try Tokenizer(tokenizerJSON: URL(fileURLWithPath: path), tokenizerConfig: nil)
            _ = try tokenizer.decode(tokenizer.encode("<s>Hello wörld 123 ab\n"))
        }
    }

    static var exitAdapters: FuzzTarget {
        let d = 8
        let settings = DraftSidecarFile.Settings(modelName: "fuzz", modelFileSize: 1234, hiddenSize: d, layerCount: 4,
                                                vocabSize: 64, tokens: 1000, corpus: "fuzz corpus", lambdas: [1: 0.5, 2: 2])
        let maps = [1, 2].reduce(into: [Int: (weight: [Float], bias: [Float])]()) { maps, layer in
            maps[layer] = ((0..<d * d).map { Float($0 % 7) / 7 }, (0..<d).map { Float($0) })
        }
        let file = DraftSidecarFile(settings: settings, maps: maps, draftVocabulary: [0, 5, 9, 63])
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("skipchat-fuzz-seed-\(ProcessInfo.processInfo.processIdentifier).safetensors")
        try? file.write(to: url.path)
        let data = (try? Data(contentsOf: url)) ?? Data()
        try? FileManager.default.removeItem(at: url)
        let headerBytes = 8 + Int(data.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) })
        return FuzzTarget(name: "exit-adapters", fileExtension: "safetensors", seeds: [data], structureBytes: headerBytes, json: true) { path in
            _ = try DraftSidecarFile.read(path: path)
        }
    }
}
