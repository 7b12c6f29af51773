import FoundationXML
import XCTest
import SkipChatEngine
import SkipChatPlot
@testable import SkipChatTUI

final class SessionExportTests: XCTestCase {
    private func fixture(_ name: String) throws -> URL {
        try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/" + name, withExtension: nil))
    }

    private func fixtureSession() throws -> ChatSession {
        try ChatSession.load(from: try fixture("export-session.json").path)
    }

    private func dark() -> Theme { Theme.load("dark", userThemeDirectory: nil).theme }

    private func elements(_ document: XMLDocument, _ xpath: String) throws -> [XMLElement] {
        try document.nodes(forXPath: xpath).compactMap { $0 as? XMLElement }
    }

    /// An attribute by name (FoundationXML's attribute(forName:) misses them on elements in a namespace).
    private func attribute(_ element: XMLElement, _ name: String) -> String? {
        element.attributes?.first { $0.name == name || $0.localName == name }?.stringValue
    }

    private func classes(_ element: XMLElement) -> [String] {
        (attribute(element, "class") ?? "").split(separator: " ").map(String.init)
    }

    func testExportEqualsTheReviewedGoldenFile() throws {
        let html = SessionHTML(session: try fixtureSession(), theme: dark()).render()
        let golden = try String(contentsOf: try fixture("export-session.golden.html"), encoding: .utf8)
        if html != golden {
            let actual = NSTemporaryDirectory() + "export-session.actual.html"
            try html.write(toFile: actual, atomically: true, encoding: .utf8)
            XCTFail("export differs from the golden file; compare: diff \(actual) Tests/TUITests/Fixtures/export-session.golden.html")
        }
    }

    func testPageIsWellFormedAndEveryTokenIsASpanOfItsLayerAndKind() throws {
        let session = try fixtureSession()
        let theme = dark()
        let html = SessionHTML(session: session, theme: theme).render()
        let document = try XMLDocument(xmlString: html, options: [])
        XCTAssertEqual(document.rootElement()?.name, "html")
        // No script of any kind: model text that looks like markup stayed text.
        XCTAssertTrue(try elements(document, "//*[local-name()='script']").isEmpty)
        XCTAssertTrue(try elements(document, "//*[@onload or @onerror or @onclick]").isEmpty)
        let replies = try elements(document, "//*[local-name()='article'][contains(@class,'assistant')]")
        let saved = session.messages.filter { $0.role == .assistant }
        XCTAssertEqual(replies.count, saved.count)
        for (article, message) in zip(replies, saved) {
            let spans = try article.nodes(forXPath: ".//*[local-name()='span']").compactMap { $0 as? XMLElement }
            XCTAssertEqual(spans.count, message.tokens.count)
            var committed = ""
            for (span, token) in zip(spans, message.tokens) {
                XCTAssertTrue(classes(span).contains(token.kind.rawValue), "\(classes(span)) for \(token)")
                XCTAssertTrue(classes(span).contains("l\(token.exitLayer)"))
                let title = attribute(span, "title") ?? ""
                XCTAssertTrue(title.contains("exit layer \(token.exitLayer) of 30"), title)
                XCTAssertTrue(title.contains("round \(token.round!)"), title)
                XCTAssertTrue(title.contains("position \(token.position)"), title)
                if token.isCommitted { committed += span.stringValue ?? "" } else {
                    XCTAssertEqual(span.stringValue, Markup.escape(token.text.replacingOccurrences(of: "\n", with: "↵")).replacingOccurrences(of: "&lt;", with: "<")
                        .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
                        .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'"))
                }
            }
            // The committed spans read as the reply's text (control characters shown as pictures).
            XCTAssertEqual(committed, message.text.replacingOccurrences(of: "\u{1B}", with: "\u{241B}"))
        }
        // Each layer's class has the theme ramp's colour for that layer.
        let style = try XCTUnwrap(try elements(document, "//*[local-name()='style']").first?.stringValue)
        for layer in [1, 10, 30] {
            guard case .rgb(let rgb) = theme.layerColor(layer, of: 30) else { return XCTFail("dark has a ramp") }
            XCTAssertTrue(style.contains(".t.l\(layer) { color: \(rgb.hex); }"), "layer \(layer)")
        }
        XCTAssertTrue(style.contains("#show-rejected:not(:checked) ~ main .t.rejected { display: none; }"))
        XCTAssertEqual(try elements(document, "//*[local-name()='input'][@id='show-rejected']").count, 1)
        // Two charts: acceptance by draft position (3 positions) and the 30-layer histogram.
        XCTAssertEqual(try elements(document, "//*[local-name()='svg']").count, 2)
        // No external resources: nothing to fetch.
        XCTAssertFalse(html.contains("http://") && html.replacingOccurrences(of: "http://www.w3.org/", with: "").contains("http://"))
        XCTAssertFalse(html.contains("https://"))
    }

    func testStatisticsCountDraftsByPositionAndCommittedExitLayers() throws {
        let statistics = SessionStatistics(session: try fixtureSession(), layerCount: 30)
        // Reply 1: round 1 drafts A A R, round 2 A A A; reply 2: round 1 A R, round 2 A A R.
        XCTAssertEqual(statistics.draftedByPosition, [4, 4, 3])
        XCTAssertEqual(statistics.acceptedByPosition, [4, 3, 1])
        XCTAssertEqual(statistics.draftedTokens, 11)
        XCTAssertEqual(statistics.acceptedDrafts, 8)
        XCTAssertEqual(statistics.committedTokens, 14)
        XCTAssertEqual(statistics.exitLayerCounts[9], 8)
        XCTAssertEqual(statistics.exitLayerCounts[29], 6)
        XCTAssertEqual(statistics.exitLayerCounts.reduce(0, +), 14)
        XCTAssertEqual(statistics.meanExitLayer!, (8.0 * 10 + 6 * 30) / 14, accuracy: 1e-12)
    }

    func testRoundsOfOlderSessionsAreRecoveredFromTheTokenOrder() throws {
        let recorded = try fixtureSession().messages.filter { $0.role == .assistant }
        for message in recorded {
            var old = message.tokens
            for i in old.indices { old[i].round = nil }
            XCTAssertEqual(RoundPlace.places(of: old), RoundPlace.places(of: message.tokens))
        }
    }

    func testEmptySessionExistingFileAndUnwritablePathWriteNothing() throws {
        let directory = NSTemporaryDirectory() + "skipchat-export-\(getpid())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let empty = ChatSession(model: "m", systemPrompt: "only a system prompt",
                                messages: [SessionMessage(role: .notice, text: "hello")])
        let target = directory + "/out.html"
        XCTAssertThrowsError(try SessionExport.write(SessionHTML(session: empty, theme: dark()), to: target, force: true)) {
            XCTAssertEqual($0 as? SessionExport.Failure, .empty)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: target))

        let page = SessionHTML(session: try fixtureSession(), theme: dark())
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: target))
        XCTAssertThrowsError(try SessionExport.write(page, to: target, force: false)) {
            XCTAssertEqual(($0 as? SessionExport.Failure)?.description, "\(target) exists; --force overwrites it")
        }
        XCTAssertEqual(try String(contentsOfFile: target, encoding: .utf8), "keep me")
        try SessionExport.write(page, to: target, force: true)
        XCTAssertEqual(try String(contentsOfFile: target, encoding: .utf8), page.render())

        XCTAssertThrowsError(try SessionExport.write(page, to: directory, force: true)) {
            XCTAssertEqual(($0 as? SessionExport.Failure)?.description, "cannot write \(directory): it is a directory")
        }
        let blocked = directory + "/file-not-dir/out.html"
        try Data().write(to: URL(fileURLWithPath: directory + "/file-not-dir"))
        XCTAssertThrowsError(try SessionExport.write(page, to: blocked, force: false)) {
            XCTAssertTrue(($0 as? SessionExport.Failure)?.description.hasPrefix("cannot write \(blocked): ") ?? false, "\($0)")
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".tmp") }
        XCTAssertEqual(leftovers, [])
    }

    func testARejectedDraftsLineBreaksShowAsArrowsAndOneReplyIsSingular() throws {
        let tokens = [SavedToken(id: 1, text: "Cats", exitLayer: 30, kind: .verifier, position: 10, round: 1),
                      SavedToken(id: 2, text: ":\n\n1.", exitLayer: 10, kind: .rejected, position: 11, round: 2),
                      SavedToken(id: 3, text: " are\nfun", exitLayer: 30, kind: .verifier, position: 11, round: 2)]
        let session = ChatSession(model: "m", systemPrompt: "", messages: [
            SessionMessage(role: .user, text: "cats?"), SessionMessage(role: .assistant, text: "Cats are\nfun", tokens: tokens)])
        let html = SessionHTML(session: session, theme: dark(), layerCount: 30).render()
        let document = try XMLDocument(xmlString: html, options: [])
        let spans = try elements(document, "//*[local-name()='article'][contains(@class,'assistant')]//*[local-name()='span']")
        XCTAssertEqual(spans.map(\.stringValue), ["Cats", ":↵↵1.", " are\nfun"], "the reply's own line break stays one")
        XCTAssertTrue(html.contains("1 reply ·"), "singular: one reply")
    }

    func testThemesWithoutARampOrColoursStillGiveAReadablePage() throws {
        let mono = Theme.load("mono", userThemeDirectory: nil).theme
        let html = SessionHTML(session: try fixtureSession(), theme: mono).render()
        XCTAssertNoThrow(try XMLDocument(xmlString: html, options: []))
        XCTAssertTrue(html.contains("color: #222222"))
        let light = Theme.load("light", userThemeDirectory: nil).theme
        XCTAssertTrue(SessionHTML(session: try fixtureSession(), theme: light).render().contains("color-scheme: light"))
    }

    func testSlashExportParsesItsForceFlagAndWritesFromTheChat() throws {
        XCTAssertEqual(SlashCommand.parse("/export out.html"), .success(.export("out.html", force: false)))
        XCTAssertEqual(SlashCommand.parse("/export --force my file.html"), .success(.export("my file.html", force: true)))
        guard case .failure = SlashCommand.parse("/export") else { return XCTFail("/export needs a file") }

        let path = NSTemporaryDirectory() + "skipchat-chat-export-\(getpid()).html"
        defer { try? FileManager.default.removeItem(atPath: path) }
        var state = Fake.state(messages: try fixtureSession().messages)
        XCTAssertEqual(state.submit("/export \(path)", now: 0), [.export(path: path, force: false)])
        XCTAssertFalse(FileManager.default.fileExists(atPath: path), "the reducer writes nothing itself")
        _ = state.submitPerformingFiles("/export \(path)")
        XCTAssertEqual(state.session.messages.last, SessionMessage(role: .notice, text: "exported to \(path)"))
        XCTAssertTrue(try String(contentsOfFile: path, encoding: .utf8).contains("<span class=\"t rejected l10\""))
        _ = state.submitPerformingFiles("/export \(path)")
        XCTAssertEqual(state.session.messages.last, SessionMessage(role: .error, text: "\(path) exists; --force overwrites it"))
    }
}
