/// A made-up vocabulary of a given size that llama.cpp and skipchat both load: the special
/// tokens of the real model family at their real places, every byte reachable, and the rest
/// built deterministically from seeded random merges. Text tokenizes into something; nothing
/// about it is meaningful (the weights are random anyway).
public enum SyntheticVocabulary {
    public enum Family: Sendable {
        /// Llama 3 byte-level BPE (`tokenizer.ggml.model` "gpt2", pre "llama-bpe"): the 256
        /// GPT-2 byte characters, merged tokens, then 256 control tokens
        /// (<|begin_of_text|> … <|eot_id|> …, reserved ones after) at the end.
        case llama3BPE
        /// Llama 2 SentencePiece (`tokenizer.ggml.model` "llama"): <unk>, <s>, </s>, the 256
        /// <0xXX> byte tokens, then pieces with falling scores.
        case sentencePiece

        /// Fewest tokens the family's fixed tokens take.
        public var minimumSize: Int { self == .llama3BPE ? 512 : 300 }

        /// Ids of the tokens that are not text (control tokens, and <unk> for SentencePiece).
        public func controlTokenIDs(vocabularySize n: Int) -> [Int] {
            self == .llama3BPE ? Array(n - SyntheticVocabulary.llama3ControlCount..<n) : [0, 1, 2]
        }

        /// The `tokenizer.*` metadata of a vocabulary of `size` tokens, including the family's chat template.
        func metadata(size: Int, seed: UInt64) -> [(key: String, value: GGUFValue)] {
            self == .llama3BPE ? SyntheticVocabulary.llama3(size: size, seed: seed) : SyntheticVocabulary.sentencePiece(size: size, seed: seed)
        }
    }

    static let llama3ControlCount = 256

    /// Llama 3's named control tokens, in id order from 128000; reserved ones fill the rest.
    static let llama3NamedControls = [
        "<|begin_of_text|>", "<|end_of_text|>", "<|reserved_special_token_0|>", "<|reserved_special_token_1|>",
        "<|finetune_right_pad_id|>", "<|reserved_special_token_2|>", "<|start_header_id|>", "<|end_header_id|>",
        "<|eom_id|>", "<|eot_id|>", "<|python_tag|>",
    ]

    /// The Llama 3 Instruct chat template (Hugging Face tokenizer_config.json).
    static let llama3Template = """
        {% set loop_messages = messages %}{% for message in loop_messages %}{% set content = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n'+ message['content'] | trim + '<|eot_id|>' %}{% if loop.index0 == 0 %}{% set content = bos_token + content %}{% endif %}{{ content }}{% endfor %}{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{% endif %}
        """

    /// The Llama 2 Chat template (Hugging Face tokenizer_config.json).
    static let llama2Template = """
        {% if messages[0]['role'] == 'system' %}{% set loop_messages = messages[1:] %}{% set system_message = messages[0]['content'] %}{% else %}{% set loop_messages = messages %}{% set system_message = false %}{% endif %}{% for message in loop_messages %}{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}{% if loop.index0 == 0 and system_message != false %}{% set content = '<<SYS>>\\n' + system_message + '\\n<</SYS>>\\n\\n' + message['content'] %}{% else %}{% set content = message['content'] %}{% endif %}{% if message['role'] == 'user' %}{{ bos_token + '[INST] ' + content.strip() + ' [/INST]' }}{% elif message['role'] == 'assistant' %}{{ ' '  + content.strip() + ' ' + eos_token }}{% endif %}{% endfor %}
        """

    /// GPT-2's `bytes_to_unicode`: printable bytes stand for themselves, the others for
    /// U+0100 onwards in byte order. Index = byte.
    static let gpt2ByteCharacters: [String] = {
        let printable = Array(33...126) + Array(161...172) + Array(174...255)
        var map = [Int](repeating: 0, count: 256)
        for b in printable { map[b] = b }
        var next = 256
        for b in 0..<256 where !printable.contains(b) {
            map[b] = next
            next += 1
        }
        return map.map { String(Character(Unicode.Scalar(UInt32($0))!)) }
    }()

    /// Byte tokens, then tokens each made by a merge "A B" of an earlier token A and a byte
    /// token B (a new string each time), then the control tokens.
    static func llama3(size: Int, seed: UInt64) -> [(key: String, value: GGUFValue)] {
        let textCount = size - llama3ControlCount
        var tokens = gpt2ByteCharacters
        var seen = Set(tokens)
        var merges: [String] = []
        var rng = SeededGenerator(seed: seed ^ 0x5EED_70C3)
        while tokens.count < textCount {
            let a = tokens[Int(rng.next() % UInt64(tokens.count))], b = tokens[Int(rng.next() % 256)]
            if seen.insert(a + b).inserted {
                tokens.append(a + b)
                merges.append(a + " " + b)
            }
        }
        tokens += llama3NamedControls
        tokens += (3..<(3 + llama3ControlCount - llama3NamedControls.count)).map { "<|reserved_special_token_\($0)|>" }
        let types = [Int32](repeating: 1, count: textCount) + [Int32](repeating: 3, count: llama3ControlCount)
        return [
            ("tokenizer.ggml.model", .string("gpt2")),
            ("tokenizer.ggml.pre", .string("llama-bpe")),
            ("tokenizer.ggml.tokens", .array(tokens.map { .string($0) })),
            ("tokenizer.ggml.token_type", .array(types.map { .int32($0) })),
            ("tokenizer.ggml.merges", .array(merges.map { .string($0) })),
            ("tokenizer.ggml.bos_token_id", .uint32(UInt32(textCount))),
            ("tokenizer.ggml.eos_token_id", .uint32(UInt32(textCount + 9))),
            ("tokenizer.ggml.add_bos_token", .bool(true)),
            ("tokenizer.chat_template", .string(llama3Template)),
        ]
    }

    /// <unk>, <s>, </s>, byte tokens, the single characters of a small alphabet, then pieces
    /// each an earlier piece plus one character; scores fall with the id (earlier merges first).
    static func sentencePiece(size: Int, seed: UInt64) -> [(key: String, value: GGUFValue)] {
        let alphabet = ("▁abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,!?'").map(String.init)
        var tokens = ["<unk>", "<s>", "</s>"] + (0..<256).map { "<0x" + String($0, radix: 16, uppercase: true).leftPadded(to: 2) + ">" }
        var types: [Int32] = [2, 3, 3] + [Int32](repeating: 6, count: 256)
        let firstPiece = tokens.count
        var seen = Set(tokens)
        for c in alphabet where tokens.count < size && seen.insert(c).inserted { tokens.append(c) }
        var rng = SeededGenerator(seed: seed ^ 0x5EED_5E17)
        while tokens.count < size {
            let piece = tokens[firstPiece + Int(rng.next() % UInt64(tokens.count - firstPiece))] + alphabet[Int(rng.next() % UInt64(alphabet.count))]
            if seen.insert(piece).inserted { tokens.append(piece) }
        }
        types += [Int32](repeating: 1, count: size - firstPiece)
        let scores = (0..<size).map { $0 < firstPiece ? Float(0) : -Float($0 - firstPiece) }
        return [
            ("tokenizer.ggml.model", .string("llama")),
            ("tokenizer.ggml.tokens", .array(tokens.map { .string($0) })),
            ("tokenizer.ggml.scores", .array(scores.map { .float32($0) })),
            ("tokenizer.ggml.token_type", .array(types.map { .int32($0) })),
            ("tokenizer.ggml.bos_token_id", .uint32(1)),
            ("tokenizer.ggml.eos_token_id", .uint32(2)),
            ("tokenizer.ggml.unknown_token_id", .uint32(0)),
            ("tokenizer.ggml.add_bos_token", .bool(true)),
            ("tokenizer.ggml.add_eos_token", .bool(false)),
            ("tokenizer.chat_template", .string(llama2Template)),
        ]
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
