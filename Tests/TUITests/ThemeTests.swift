import Foundation
import SkipChatEngine
@testable import SkipChatTUI
import XCTest

final class ThemeTests: XCTestCase {
    private var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    func testShippedThemeFilesMatchTheBuiltIns() throws {
        for name in Theme.builtinNames {
            let file = try String(contentsOf: repositoryRoot.appendingPathComponent("themes/\(name).toml"), encoding: .utf8)
            XCTAssertEqual(file, (BuiltinThemes.text(named: name) ?? "") + "\n", "themes/\(name).toml differs from BuiltinThemes.\(name)")
            let (theme, problem) = Theme.load(name, userThemeDirectory: nil)
            XCTAssertNil(problem)
            XCTAssertEqual(theme.name, name)
        }
    }

    func testFallbackIsDark() {
        XCTAssertEqual(Theme.fallback.name, "dark")
        XCTAssertEqual(Theme.fallback.layerRamp.count, 6)
    }

    func testPartialThemeKeepsDefaults() throws {
        let theme = try Theme.parse("name = \"mine\"\n[colors]\nuser = \"#112233\"\n", source: "mine.toml")
        XCTAssertEqual(theme.palette.user, .rgb(RGB(0x11, 0x22, 0x33)))
        XCTAssertEqual(theme.palette.error, Theme.fallback.palette.error)
        XCTAssertEqual(theme.layerRamp, Theme.fallback.layerRamp)
    }

    func testBadThemesGiveClearMessages() {
        func message(_ text: String) -> String {
            do { _ = try Theme.parse(text, source: "bad.toml"); return "" } catch { return "\(error)" }
        }
        XCTAssertTrue(message("[colors\nuser = 1").contains("bad.toml"), message("[colors\nuser = 1"))
        XCTAssertTrue(message("[colors\nuser = 1").contains("line"))
        XCTAssertTrue(message("[colors]\nuser = \"blue\"").contains("colors.user"))
        XCTAssertTrue(message("[layers]\nramp = [\"#12345\"]").contains("layers.ramp"))
        XCTAssertTrue(message("[tokens]\nverifier = [\"blink\"]").contains("blink"))
        XCTAssertTrue(message("colour = 1").contains("unknown key"), message("colour = 1"))
        XCTAssertTrue(message("[colors]\nuser = 5").contains("colors.user"), message("[colors]\nuser = 5"))
    }

    func testBadThemeFileFallsBackToDefault() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("skipchat-theme-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "[colors]\nuser = \"nope\"\n".write(to: directory.appendingPathComponent("broken.toml"), atomically: true, encoding: .utf8)
        let (theme, problem) = Theme.load("broken", userThemeDirectory: directory.path)
        XCTAssertEqual(theme, Theme.fallback)
        XCTAssertTrue(problem?.contains("broken.toml") ?? false, problem ?? "")
        let (_, missing) = Theme.load("no-such-theme", userThemeDirectory: directory.path)
        XCTAssertTrue(missing?.contains("no theme named") ?? false)
    }

    func testUserThemeDirectoryWins() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("skipchat-theme-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "name = \"custom-dark\"\n".write(to: directory.appendingPathComponent("dark.toml"), atomically: true, encoding: .utf8)
        XCTAssertEqual(Theme.load("dark", userThemeDirectory: directory.path).theme.name, "custom-dark")
    }

    func testColorDepthDetection() {
        XCTAssertEqual(ColorDepth.detect(environment: ["NO_COLOR": "1"], terminalColors: 256, hasColors: true), .mono)
        XCTAssertEqual(ColorDepth.detect(environment: ["NO_COLOR": ""], terminalColors: 256, hasColors: true), .palette256)
        XCTAssertEqual(ColorDepth.detect(environment: ["COLORTERM": "truecolor"], terminalColors: 1 << 24, hasColors: true), .truecolor)
        XCTAssertEqual(ColorDepth.detect(environment: ["COLORTERM": "24bit"], terminalColors: 256, hasColors: true), .palette256)
        XCTAssertEqual(ColorDepth.detect(environment: [:], terminalColors: 1 << 24, hasColors: true), .palette256)
        XCTAssertEqual(ColorDepth.detect(environment: [:], terminalColors: 16, hasColors: true), .ansi16)
        XCTAssertEqual(ColorDepth.detect(environment: [:], terminalColors: 8, hasColors: true), .ansi8)
        XCTAssertEqual(ColorDepth.detect(environment: [:], terminalColors: 256, hasColors: false), .mono)
    }

    func testColorReduction() {
        let red = RGB(255, 0, 0)
        XCTAssertEqual(ColorDepth.truecolor.colorNumber(for: red), 0xFF0000)
        XCTAssertEqual(ColorDepth.palette256.colorNumber(for: red), 196)
        XCTAssertEqual(ColorDepth.palette256.colorNumber(for: RGB(128, 128, 128)), 244)
        XCTAssertEqual(ColorDepth.ansi16.colorNumber(for: red), 9)
        XCTAssertEqual(ColorDepth.ansi8.colorNumber(for: red), 1)
        XCTAssertNil(ColorDepth.mono.colorNumber(for: red))
    }

    func testLayerRampInterpolates() {
        var theme = Theme.fallback
        theme.layerRamp = [RGB(0, 0, 0), RGB(200, 100, 0)]
        XCTAssertEqual(theme.layerColor(1, of: 3), .rgb(RGB(0, 0, 0)))
        XCTAssertEqual(theme.layerColor(2, of: 3), .rgb(RGB(100, 50, 0)))
        XCTAssertEqual(theme.layerColor(3, of: 3), .rgb(RGB(200, 100, 0)))
    }

    func testMonoKeepsTokenKindsApart() {
        let styles = [TokenKind.accepted, .verifier, .rejected, .draft].map {
            Theme.fallback.style(for: .token($0, layer: 5), layerCount: 30, depth: .mono)
        }
        XCTAssertEqual(Set(styles).count, 4)
        XCTAssertTrue(styles.allSatisfy { $0.foreground == nil && $0.background == nil })
        XCTAssertEqual(Theme.fallback.style(for: .status, layerCount: 30, depth: .mono).attributes, .reverse)
    }

    /// The legend's bars (▁ … █) grow with depth; in reverse video the deepest layers' full blocks
    /// would show only the background and the bars would shrink instead.
    func testLegendBarsAreDrawnInTheLayerColourNotReversed() {
        for name in Theme.builtinNames {
            let theme = Theme.load(name, userThemeDirectory: nil).0
            for depth in [ColorDepth.mono, .ansi8, .ansi16, .palette256, .truecolor] {
                let deep = theme.style(for: .legend(layer: 30), layerCount: 30, depth: depth)
                XCTAssertFalse(deep.attributes.contains(.reverse), "\(name) at \(depth)")
                let token = theme.style(for: .token(.accepted, layer: 30), layerCount: 30, depth: depth)
                XCTAssertEqual(deep.foreground, token.foreground, "\(name) at \(depth): the bar is not in the layer's colour")
            }
        }
    }

    func testColourStylesFollowTheLayer() {
        let shallow = Theme.fallback.style(for: .token(.accepted, layer: 1), layerCount: 30, depth: .palette256)
        let deep = Theme.fallback.style(for: .token(.accepted, layer: 30), layerCount: 30, depth: .palette256)
        XCTAssertNotEqual(shallow.foreground, deep.foreground)
        XCTAssertNotNil(shallow.foreground)
    }
}
