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
            let template = ChatTemplate.detect(source: t.source)
            XCTAssertEqual(template.name, t.name)
            for c in t.cases {
                XCTAssertEqual(template.render(c.messages, addGenerationPrompt: c.add_generation_prompt, now: now), c.rendered,
                               "\(t.name) \(c.messages)")
            }
        }
    }

    /// Gemma 2, Phi-3.5, Qwen2.5 (ChatML with its default system prompt) and Qwen3 templates,
    /// verbatim, against jinja2 (scripts/fixtures/make_family_chat_templates.py).
    func testFamilyTemplatesMatchReference() throws {
        struct Family: Decodable {
            struct Template: Decodable { var name: String; var file: String; var source: String; var cases: [Fixture.Case] }
            var templates: [Template]
        }
        let data = try Data(contentsOf: TestFiles.fixtures.appendingPathComponent("family-chat-templates.json"))
        let templates = try JSONDecoder().decode(Family.self, from: data).templates
        XCTAssertEqual(templates.count, 4)
        for t in templates {
            let template = ChatTemplate.detect(source: t.source)
            XCTAssertEqual(template.name, t.name, t.file)
            for c in t.cases {
                XCTAssertEqual(template.render(c.messages, addGenerationPrompt: c.add_generation_prompt), c.rendered,
                               "\(t.file) \(c.messages)")
            }
        }
        XCTAssertEqual(ChatTemplate(named: "gemma")?.endOfTurnTokens, ["<end_of_turn>"])
        XCTAssertEqual(ChatTemplate(named: "phi3")?.endOfTurnTokens, ["<|end|>"])
    }

    func testSmolLM2DefaultSystemPrompt() throws {
        let source = try fixture().templates.first { $0.name == "chatml" }!.source
        let rendered = ChatTemplate.detect(source: source)
            .render([ChatMessage(role: "user", content: "Hi")], addGenerationPrompt: true)
        XCTAssertEqual(rendered, "<|im_start|>system\n\(ChatTemplate.smolLM2SystemPrompt)<|im_end|>\n"
                       + "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n")
    }

    func testNamedTemplates() {
        for name in ChatTemplate.names { XCTAssertEqual(ChatTemplate(named: name)?.name, name) }
        XCTAssertNil(ChatTemplate(named: "vicuna"))
        XCTAssertEqual(ChatTemplate.detect(source: nil).name, "plain")
        XCTAssertEqual(ChatTemplate.detect(source: "{{ messages[0]['content'] }}").name, "plain")
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
        let template = ChatTemplate.detect(source: vocab.chatTemplate)
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
