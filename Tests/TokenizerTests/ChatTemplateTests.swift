import Foundation
import SkipChatTokenizer
import XCTest

/// Templates render what HF apply_chat_template renders (the fixture holds jinja2 renderings of
/// the real template strings with HF's settings).
final class ChatTemplateTests: XCTestCase {
    private struct Fixture: Decodable {
        struct Case: Decodable {
            var messages: [ChatMessage]
            var add_generation_prompt: Bool
            var rendered: String
        }
        struct Template: Decodable {
            var name: String
            var source: String
            var cases: [Case]
        }
        /// Year, month, day, hour (local time) of the clock the renderings saw.
        var now: [Int]
        var templates: [Template]
    }

    private func fixture() throws -> Fixture {
        let data = try Data(contentsOf: TestFiles.fixtures.appendingPathComponent("chat-templates.json"))
        return try JSONDecoder().decode(Fixture.self, from: data)
    }

    /// Includes Meta's Llama 3.1 and 3.2 templates (system turn with "Today Date", 3.2's from the clock).
    func testRenderingMatchesReference() throws {
        let fixture = try fixture()
        let templates = fixture.templates
        XCTAssertEqual(Set(templates.map(\.name)), ["chatml", "llama3", "llama2"])
        XCTAssertEqual(templates.filter { $0.source.contains("Cutting Knowledge Date") }.count, 2)
        let c = fixture.now
        let now = try XCTUnwrap(Calendar.current.date(from: DateComponents(year: c[0], month: c[1], day: c[2], hour: c[3])))
        for t in templates {
            let template = try XCTUnwrap(ChatTemplate.recognise(source: t.source))
            XCTAssertEqual(template.name, t.name)
            for c in t.cases {
                XCTAssertEqual(template.render(c.messages, addGenerationPrompt: c.add_generation_prompt, now: now), c.rendered,
                               "\(t.name) \(c.messages)")
            }
        }
    }

    /// Gemma 2 and 3, Phi-3.5, Qwen2.5 (ChatML with its default system prompt), Qwen3 and Mistral's
    /// four `[INST]` templates, verbatim, against transformers' apply_chat_template renderer
    /// (scripts/fixtures/make_family_chat_templates.py).
    func testFamilyTemplatesMatchReference() throws {
        let templates = try familyTemplates()
        XCTAssertEqual(Set(templates.map(\.name)), ["gemma", "phi3", "chatml", "qwen3", "mistral-v0", "mistral-v1", "mistral-v3",
                                                      "mistral-v3-tekken"])
        for t in templates {
            let template = try XCTUnwrap(ChatTemplate.recognise(source: t.source))
            XCTAssertEqual(template.name, t.name, t.file)
            XCTAssertEqual(ChatTemplate(named: t.name)?.name, t.name)
            XCTAssertEqual(template.rendersBOS, !t.bos.isEmpty && t.cases.allSatisfy { $0.rendered.hasPrefix(t.bos) }, t.file)
            for c in t.cases {
                XCTAssertEqual(template.render(c.messages, addGenerationPrompt: c.add_generation_prompt), c.rendered,
                               "\(t.file) \(c.messages)")
            }
        }
    }

    /// A reply stops on each family's turn end and EOS: a vocabulary holding those tokens as
    /// special added tokens (the tiny byte-level one, extended) lists every one of them as an
    /// end-of-turn id, and each template's own end-of-turn tokens are among them.
    func testFamilyStopTokensEndAReply() throws {
        let base = try JSONSerialization.jsonObject(
            with: Data(contentsOf: TestFiles.fixtures.appendingPathComponent("tiny-bytelevel.tokenizer.json"))) as! [String: Any]
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("skipchat-stop-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for t in try familyTemplates() {
            var json = base
            var added = json["added_tokens"] as! [[String: Any]]
            let firstID = ((json["model"] as! [String: Any])["vocab"] as! [String: Int]).values.max()! + 1
            for (i, stop) in t.stop.enumerated() {
                added.append(["id": firstID + i, "content": stop, "single_word": false, "lstrip": false, "rstrip": false,
                              "normalized": false, "special": true])
            }
            json["added_tokens"] = added
            let tokenizerJSON = directory.appendingPathComponent("tokenizer.json")
            let config = directory.appendingPathComponent("tokenizer_config.json")
            try JSONSerialization.data(withJSONObject: json).write(to: tokenizerJSON)
            try JSONSerialization.data(withJSONObject: ["eos_token": t.eos, "chat_template": t.source]).write(to: config)
            let tokenizer = try Tokenizer(tokenizerJSON: tokenizerJSON, tokenizerConfig: config)
            for stop in t.stop {
                let ids = tokenizer.encode(stop)
                XCTAssertEqual(ids.count, 1, "\(t.file) \(stop)")
                XCTAssertTrue(tokenizer.endOfTurnIDs.contains(ids[0]), "\(t.file) \(stop)")
            }
            let template = try XCTUnwrap(ChatTemplate.recognise(source: tokenizer.chatTemplateSource))
            XCTAssertTrue(Set(template.endOfTurnTokens).isSubset(of: t.stop), t.file)
        }
    }

    private struct FamilyTemplate: Decodable {
        var name: String
        var file: String
        var bos: String
        var eos: String
        var stop: [String]
        var source: String
        var cases: [Fixture.Case]
    }

    private func familyTemplates() throws -> [FamilyTemplate] {
        struct Family: Decodable { var templates: [FamilyTemplate] }
        let data = try Data(contentsOf: TestFiles.fixtures.appendingPathComponent("family-chat-templates.json"))
        return try JSONDecoder().decode(Family.self, from: data).templates
    }

    func testSmolLM2DefaultSystemPrompt() throws {
        let source = try fixture().templates.first { $0.name == "chatml" }!.source
        let rendered = try XCTUnwrap(ChatTemplate.recognise(source: source))
            .render([ChatMessage(role: "user", content: "Hi")], addGenerationPrompt: true)
        XCTAssertEqual(rendered, "<|im_start|>system\n\(ChatTemplate.smolLM2SystemPrompt)<|im_end|>\n"
                       + "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n")
    }

    func testNamedTemplates() {
        for name in ChatTemplate.names { XCTAssertEqual(ChatTemplate(named: name)?.name, name) }
        XCTAssertNil(ChatTemplate(named: "vicuna"))
        XCTAssertNil(ChatTemplate.recognise(source: "{{ messages[0]['content'] }}"))
        XCTAssertNil(ChatTemplate.recognise(source: nil))
        XCTAssertNil(ChatTemplate.recognise(source: "{{ '[SYSTEM_PROMPT]' + m + '[/SYSTEM_PROMPT][INST]' + u + '[/INST]' }}"))
        XCTAssertEqual(ChatTemplate(named: "llama3")?.endOfTurnTokens, ["<|eot_id|>"])
        XCTAssertEqual(ChatTemplate(named: "chatml")?.endOfTurnTokens, ["<|im_end|>"])
        XCTAssertEqual(ChatTemplate(named: "plain")?.render(
            [ChatMessage(role: "user", content: "Once upon a time")], addGenerationPrompt: true), "Once upon a time")
    }

    /// The default model's own template, tokenized: ChatML markers are single special tokens
    /// and every end-of-turn token of the template is a stop id.
    func testSmolLM2ChatPrompt() throws {
        let vocab = try TestFiles.ggufVocabulary(TestFiles.defaultModel)
        let tok = try Tokenizer(gguf: vocab)
        let template = try XCTUnwrap(ChatTemplate.recognise(source: vocab.chatTemplate))
        XCTAssertEqual(template.name, "chatml")
        XCTAssertFalse(tok.addsBOS)
        let prompt = template.render([ChatMessage(role: "user", content: "What is the capital of France?")],
                                     addGenerationPrompt: true)
        let ids = tok.encode(prompt)
        XCTAssertEqual(ids.first, 1)
        // "…France?<|im_end|>\n<|im_start|>assistant\n" (ids from the smollm2 fixture).
        XCTAssertEqual(Array(ids.suffix(10)), [3575, 282, 4649, 47, 2, 198, 1, 520, 9531, 198])
        XCTAssertEqual(try tok.decode(ids), Array(prompt.utf8))
        for s in template.endOfTurnTokens {
            XCTAssertTrue(tok.endOfTurnIDs.contains(tok.encode(s)[0]))
        }
        XCTAssertTrue(tok.endOfTurnIDs.contains(2))
    }
}
