import XCTest
import SkipChatPlot

final class MarkupTests: XCTestCase {
    func testMarkupCharactersBecomeReferences() {
        XCTAssertEqual(Markup.escape("<script>alert('x') & \"y\"</script>"),
                       "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;")
    }

    func testCharactersXMLForbidsGetVisibleStandIns() {
        XCTAssertEqual(Markup.escape("a\u{0}b\u{1B}[31m"), "a\u{2400}b\u{241B}[31m")
        XCTAssertEqual(Markup.escape("\u{7F}"), "\u{2421}")
        var forbidden = ""
        for value: UInt32 in [0x85, 0x9F, 0xFFFE, 0xFDD0, 0x1FFFF] { forbidden.unicodeScalars.append(Unicode.Scalar(value)!) }
        XCTAssertEqual(Markup.escape(forbidden), String(repeating: "\u{FFFD}", count: 5))
    }

    func testTextThatIsAllowedStaysAsItIs() {
        let text = "tab\there\nline\r\n€ 😀 日本語 é"
        XCTAssertEqual(Markup.escape(text), text)
    }
}
