import Foundation
import SkipChatEngine
import TOMLKit

/// A theme as written in a TOML file (documented in docs/themes.md). Every key is optional: a
/// missing one keeps the value of the dark default theme.
struct ThemeFile: Decodable {
    struct Colors: Decodable {
        var background: String?
        var foreground: String?
        var user: String?
        var speaker: String?
        var system: String?
        var notice: String?
        var error: String?
        var muted: String?
        var border: String?
        var accent: String?
        var status_fg: String?
        var status_bg: String?
        var status_key: String?
        var selection_bg: String?
    }

    struct Layers: Decodable {
        var ramp: [String]?
    }

    struct Tokens: Decodable {
        var accepted: [String]?
        var verifier: [String]?
        var rejected: [String]?
        var draft: [String]?
    }

    var name: String?
    var colors: Colors?
    var layers: Layers?
    var tokens: Tokens?
}

/// Why a theme or config file could not be used.
public struct ConfigError: Error, CustomStringConvertible, Equatable {
    /// A message for the user: the file, and what is wrong in it.
    public var description: String

    /// "source: field 'colors.error' has the wrong type" for a TOML decoding error. Every key of
    /// these files is optional, and TOMLKit reports a value of the wrong type as a missing key
    /// whose coding path already ends with it, so that is what such an error means.
    static func toml(_ error: DecodingError, source: String) -> ConfigError {
        if case .keyNotFound(let key, let context) = error, context.codingPath.last?.stringValue == key.stringValue {
            let field = context.codingPath.map(\.stringValue).joined(separator: ".")
            return ConfigError(description: "\(source): field '\(field)' has the wrong type")
        }
        return ConfigError(description: "\(source): \(DecodingProblem.describe(error))")
    }
}

extension Theme {
    /// Parses a theme file's text; `base` supplies every key the file leaves out.
    /// - Throws: `ConfigError` naming the problem (bad TOML with line and column, unknown key,
    ///   wrong type, or a colour that is not `#rrggbb` / `default`).
    public static func parse(_ text: String, source: String, base: Theme = .fallback) throws -> Theme {
        let file: ThemeFile
        do {
            var decoder = TOMLDecoder()
            decoder.strictDecoding = true
            file = try decoder.decode(ThemeFile.self, from: text)
        } catch let error as TOMLParseError {
            throw ConfigError(description: "\(source): \(error.description) at line \(error.source.begin.line), column \(error.source.begin.column)")
        } catch let error as UnexpectedKeysError {
            let keys = error.keys.keys.sorted().joined(separator: ", ")
            throw ConfigError(description: "\(source): unknown key(s) \(keys)")
        } catch let error as DecodingError {
            throw ConfigError.toml(error, source: source)
        } catch {
            throw ConfigError(description: "\(source): \(error)")
        }

        var theme = base
        theme.name = file.name ?? base.name
        func color(_ value: String?, _ key: String, _ fallback: ThemeColor) throws -> ThemeColor {
            guard let value else { return fallback }
            guard let parsed = ThemeColor(value) else {
                throw ConfigError(description: "\(source): colors.\(key) = \"\(value)\" is not #rrggbb or \"default\"")
            }
            return parsed
        }
        if let c = file.colors {
            let p = base.palette
            theme.palette = Palette(
                background: try color(c.background, "background", p.background),
                foreground: try color(c.foreground, "foreground", p.foreground),
                user: try color(c.user, "user", p.user),
                speaker: try color(c.speaker, "speaker", p.speaker),
                system: try color(c.system, "system", p.system),
                notice: try color(c.notice, "notice", p.notice),
                error: try color(c.error, "error", p.error),
                muted: try color(c.muted, "muted", p.muted),
                border: try color(c.border, "border", p.border),
                accent: try color(c.accent, "accent", p.accent),
                statusForeground: try color(c.status_fg, "status_fg", p.statusForeground),
                statusBackground: try color(c.status_bg, "status_bg", p.statusBackground),
                statusKey: try color(c.status_key, "status_key", p.statusKey),
                selectionBackground: try color(c.selection_bg, "selection_bg", p.selectionBackground))
        }
        if let ramp = file.layers?.ramp {
            theme.layerRamp = try ramp.map { stop in
                guard let rgb = RGB(hex: stop) else {
                    throw ConfigError(description: "\(source): layers.ramp entry \"\(stop)\" is not #rrggbb")
                }
                return rgb
            }
        }
        if let t = file.tokens {
            func attributes(_ names: [String]?, _ kind: TokenKind) throws {
                guard let names else { return }
                var set: TextAttributes = []
                for name in names {
                    guard let attribute = TextAttributes.names[name.lowercased()] else {
                        throw ConfigError(description: "\(source): tokens.\(kind.rawValue) has unknown attribute \"\(name)\" (use bold, dim, underline, reverse, italic)")
                    }
                    set.insert(attribute)
                }
                theme.tokenAttributes[kind] = set
            }
            try attributes(t.accepted, .accepted)
            try attributes(t.verifier, .verifier)
            try attributes(t.rejected, .rejected)
            try attributes(t.draft, .draft)
        }
        return theme
    }
}
