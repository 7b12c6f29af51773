import Foundation
import SkipChatEngine
@testable import SkipChatTUI
import XCTest

/// `Knob.table` is the one description of the knobs: the config file, `/set`, the keys, the
/// ranges and docs/keys.md must all agree with it.
final class KnobTableTests: XCTestCase {
    private var keysDoc: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/keys.md")
    }

    func testDocsKnobSectionIsTheTablesRendering() throws {
        let doc = try String(contentsOf: keysDoc, encoding: .utf8)
        let (open, close) = Knob.docsMarkers
        let start = try XCTUnwrap(doc.range(of: open + "\n"), "docs/keys.md lacks the line \(open)")
        let end = try XCTUnwrap(doc.range(of: close, range: start.upperBound..<doc.endIndex), "docs/keys.md lacks \(close)")
        let section = String(doc[start.upperBound..<end.lowerBound])
        XCTAssertEqual(section, Knob.markdownTable,
                       "docs/keys.md's knob table differs from Knob.table; put this between the markers:\n\(Knob.markdownTable)")
    }

    func testNamesAreUnique() {
        for names in [Knob.table.compactMap(\.flagName), Knob.table.compactMap(\.configKey), Knob.table.flatMap(\.setNames)] {
            XCTAssertEqual(Set(names).count, names.count, "\(names)")
        }
        XCTAssertEqual(Set(Knob.table.map(\.id)), Set(KnobID.allCases), "every KnobID has exactly one row")
        XCTAssertEqual(Knob.table.count, KnobID.allCases.count)
    }

    /// Every config key is read into the field `ChatOptions.value(of:)` reports, for a value in range.
    func testEveryConfigKeyParsesIntoItsKnob() throws {
        for knob in Knob.table {
            guard let key = knob.configKey else { continue }
            let (toml, expected) = sample(knob)
            let options = try ChatConfig.parse("\(key) = \(toml)\n", source: "c.toml")
            XCTAssertEqual(options.value(of: knob.id), expected, key)
        }
    }

    /// The example config in docs/keys.md uses only keys of the table, with valid values.
    func testDocsConfigExampleParses() throws {
        let doc = try String(contentsOf: keysDoc, encoding: .utf8)
        let start = try XCTUnwrap(doc.range(of: "```toml\n"))
        let end = try XCTUnwrap(doc.range(of: "```", range: start.upperBound..<doc.endIndex))
        let options = try ChatConfig.parse(String(doc[start.upperBound..<end.lowerBound]), source: "docs/keys.md")
        let documented = Set(Knob.table.compactMap { options.value(of: $0.id) == nil ? nil : $0.configKey })
        XCTAssertEqual(documented, Set(Knob.table.compactMap(\.configKey)), "the example shows every key")
    }

    /// `/set NAME VALUE` for every settable knob, under each of its names, changes that knob.
    func testSetReachesEveryLiveKnob() {
        for knob in Knob.settable {
            let (_, value) = sample(knob)
            for name in knob.setNames {
                XCTAssertEqual(try SlashCommand.parse("/set \(name) \(value.text)")?.get(), .set(.set(knob.id, value)), name)
            }
            var state = Fake.state()
            _ = state.submit("/set \(knob.setNames[0]) \(value.text)", now: 0)
            XCTAssertEqual(state.settings.value(of: knob.id), value, knob.name)
            XCTAssertEqual(state.changedKnob, knob.id)
        }
    }

    /// The key map holds exactly the table's knob keys, each key bound once in the whole map.
    func testKeyMapHoldsTheTablesKeys() {
        let all = KeyMap.bindings.flatMap(\.keys)
        XCTAssertEqual(Set(all).count, all.count, "a key bound twice")
        for knob in Knob.table {
            switch knob.keys {
            case .steps(let down, let up, _)?:
                for key in down { XCTAssertEqual(KeyMap.action(for: key), .knob(.step(knob.id, by: -1)), key.label) }
                for key in up { XCTAssertEqual(KeyMap.action(for: key), .knob(.step(knob.id, by: 1)), key.label) }
            case .cycle(let keys)?:
                for key in keys { XCTAssertEqual(KeyMap.action(for: key), .knob(.step(knob.id, by: 1)), key.label) }
            case .toggle(let keys)?:
                for key in keys { XCTAssertEqual(KeyMap.action(for: key), .toggleGhost, key.label) }
            case nil:
                break
            }
        }
    }

    /// Keys stop at the ends of the same range that `/set` and the config accept.
    func testKeysStopAtTheEndsOfTheRange() {
        var state = Fake.state()
        for _ in 0..<40 { _ = state.handle(.alt("h"), now: 0) }
        XCTAssertEqual(state.settings.dynamicThreshold, 0.05)
        XCTAssertNil(Knob[.threshold].problem(.number(state.settings.dynamicThreshold)))
        for _ in 0..<40 { _ = state.handle(.alt("T"), now: 0) }
        XCTAssertEqual(state.settings.sampling.temperature, 2)
        for _ in 0..<60 { _ = state.handle(.alt("E"), now: 0) }
        XCTAssertEqual(state.settings.exitLayer, Fake.layerCount - 1)
        for _ in 0..<5 { _ = state.handle(.alt("m"), now: 0) }
        XCTAssertEqual(state.settings.mode, .dynamic, "from fixed, 5 steps round autoregressive, fixed, dynamic, auto")
    }

    /// Regression: `/set temp 5` became 2 without a word. Out of range is a notice now, in the
    /// words the command line uses, and nothing changes.
    func testSetOutOfRangeIsAnErrorNoticeNotAClamp() {
        var state = Fake.state()
        let before = state.settings
        XCTAssertEqual(state.submit("/set temp 5", now: 0), [])
        XCTAssertEqual(state.session.messages.last, SessionMessage(role: .error, text: "temperature must be between 0 and 2 (got 5)"))
        _ = state.submit("/set exit 30", now: 0)
        XCTAssertEqual(state.session.messages.last,
                       SessionMessage(role: .error, text: "exit layer must be below the model's 30 layers (got 30)"))
        _ = state.submit("/set threshold 0.01", now: 0)
        XCTAssertEqual(state.session.messages.last, SessionMessage(role: .error, text: "threshold must be between 0.05 and 1 (got 0.01)"))
        XCTAssertEqual(state.settings, before)
    }

    /// Regression: the dynamic-exit threshold had three ranges (flag 0…1, /set (0, 1], keys 0.05…1).
    func testThresholdHasOneRangeEverywhere() throws {
        for (value, accepted) in [(Float(0.05), true), (1, true), (0.04, false), (0, false), (1.01, false)] {
            let text = KnobValue.number(value).text
            XCTAssertEqual((try? SlashCommand.parse("/set threshold \(text)")?.get()) != nil, accepted, "/set \(text)")
            XCTAssertEqual((try? ChatConfig.parse("threshold = \(value)", source: "c")) != nil, accepted, "config \(text)")
            var flags = ChatOptions()
            flags.dynamicThreshold = value
            XCTAssertEqual(flags.problems(model: nil) { _ in "--dynamic" }.isEmpty, accepted, "--dynamic \(text)")
        }
    }

    func testConfigOutOfRangeNamesTheKey() {
        XCTAssertThrowsError(try ChatConfig.parse("temperature = 5\n", source: "/c/config.toml")) { error in
            XCTAssertEqual("\(error)", "/c/config.toml: temperature must be between 0 and 2 (got 5)")
        }
        XCTAssertThrowsError(try ChatConfig.parse("mode = \"warp\"\n", source: "c")) { error in
            XCTAssertEqual("\(error)", "c: mode must be one of autoregressive, fixed, dynamic, auto (got warp)")
        }
        XCTAssertThrowsError(try ChatConfig.parse("top_k = 1.5\n", source: "c")) { error in
            XCTAssertEqual("\(error)", "c: field 'top_k' has the wrong type")
        }
    }

    /// Bounds that depend on the model: a flag is refused, a config value is reported and left out.
    func testModelBoundsOnOptions() {
        var options = ChatOptions()
        options.exitLayer = 40
        options.depth = 3
        let bounds = ModelBounds(layerCount: 30, contextLength: 8192)
        XCTAssertEqual(options.problems(model: bounds) { _ in "--exit-layer" }, ["--exit-layer must be below the model's 30 layers (got 40)"])
        XCTAssertEqual(options.problems(model: nil) { _ in "--exit-layer" }, [])
        let kept = options.withoutProblems(model: bounds)
        XCTAssertNil(kept.exitLayer)
        XCTAssertEqual(kept.depth, 3)
    }

    /// A value of each knob, inside its range (not a default, so that setting it is seen), as TOML
    /// text and as the value it reads as.
    private func sample(_ knob: Knob) -> (toml: String, value: KnobValue) {
        switch knob.range {
        case .integers(let r): return (String(r.lowerBound + 1), KnobValue.integer(r.lowerBound + 1))
        case .exitLayers: return ("11", KnobValue.integer(11))
        case .contextWindow: return ("512", KnobValue.integer(512))
        case .numbers(let lower, let upper, _):
            let x = ((lower + upper) / 2 * 20).rounded() / 20
            return ("\(x)", KnobValue.number(x))
        case .seeds: return ("42", KnobValue.seed(42))
        case .words(let words, _): return ("\"\(words[words.count - 1])\"", KnobValue.word(words[words.count - 1]))
        case .draftHeads: return ("2048", KnobValue.integer(2048))
        case .text: return ("\"some text\"", KnobValue.text("some text"))
        case .onOff: return ("true", KnobValue.onOff(true))
        }
    }
}
