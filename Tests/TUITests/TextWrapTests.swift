@testable import SkipChatTUI
import XCTest

final class TextWrapTests: XCTestCase {
    private func wrap(_ text: String, _ width: Int) -> [String] {
        TextWrap.wrap([Span(text)], width: width).map(\.plainText)
    }

    private func assertFits(_ text: String, width: Int, file: StaticString = #filePath, line: UInt = #line) {
        let lines = wrap(text, width)
        for l in lines { XCTAssertLessThanOrEqual(DisplayWidth.width(of: l), width, "\(l)", file: file, line: line) }
        // No cluster is lost or split: the lines put back together are the text (spaces at breaks may go).
        XCTAssertEqual(lines.joined().filter { $0 != " " }, text.filter { $0 != " " }, file: file, line: line)
    }

    func testWidths() {
        XCTAssertEqual(DisplayWidth.width(of: "abc"), 3)
        XCTAssertEqual(DisplayWidth.width(of: "日本"), 4)
        XCTAssertEqual(DisplayWidth.width(of: "e\u{301}"), 1)
        // Clusters count as ncurses draws them: each scalar's wcwidth, joiners and selectors 0.
        XCTAssertEqual(DisplayWidth.width(of: "👍🏽"), 4)
        XCTAssertEqual(DisplayWidth.width(of: "👩‍👩‍👧"), 6)
        XCTAssertEqual(DisplayWidth.width(of: "🇫🇷"), 2)
        XCTAssertEqual(DisplayWidth.width(of: "❤️"), 1)
    }

    func testWordsWrapAtSpaces() {
        XCTAssertEqual(wrap("the quick brown fox", 10), ["the quick ", "brown fox"])
    }

    func testLongWordsBreakBetweenClusters() {
        XCTAssertEqual(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"])
    }

    func testWideCharactersNeverSplit() {
        XCTAssertEqual(wrap("日本語のテキスト", 5), ["日本", "語の", "テキ", "スト"])
        assertFits("日本語のテキストです、とても長い", width: 7)
    }

    func testCombiningAndEmojiClustersStayWhole() {
        let text = "cafe\u{301} 👩‍👩‍👧 family 🇫🇷 flag e\u{301}e\u{301}e\u{301}e\u{301}"
        for width in 6...12 { assertFits(text, width: width) }
        XCTAssertTrue(wrap(text, 6).contains { $0.contains("👩‍👩‍👧") })
    }

    func testNewlinesAndControlCharacters() {
        XCTAssertEqual(wrap("a\nb", 10), ["a", "b"])
        XCTAssertEqual(wrap("a\u{1b}[31mb", 20), ["a\\x1b[31mb"])
        let escaped = TextWrap.wrap([Span("a\u{202E}b", .plain)], width: 20)[0]
        XCTAssertEqual(escaped, [Span("a", .plain), Span("\\u202e", .muted), Span("b", .plain)])
        XCTAssertEqual(wrap("", 10), [""])
    }

    func testRolesAreKeptAcrossBreaks() {
        let lines = TextWrap.wrap([Span("red ", .error), Span("blue words", .accent)], width: 6)
        XCTAssertEqual(lines.map(\.plainText), ["red ", "blue ", "words"])
        XCTAssertEqual(lines[2].first?.role, .accent)
    }

    func testPrefixFitsWithoutSplittingWideCharacters() {
        XCTAssertEqual(DisplayWidth.prefix(of: "a日本", fitting: 2), "a")
        XCTAssertEqual(DisplayWidth.prefix(of: "a日本", fitting: 3), "a日")
    }
}
