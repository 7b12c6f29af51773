import Foundation

extension Theme {
    /// Every key at the terminal's defaults; the built-in themes are parsed on top of it.
    private static let skeleton: Theme = {
        let d = ThemeColor.terminalDefault
        return Theme(name: "default",
                     palette: Palette(background: d, foreground: d, user: d, speaker: d, system: d, notice: d,
                                      error: d, muted: d, border: d, accent: d, statusForeground: d,
                                      statusBackground: d, statusKey: d, selectionBackground: d),
                     layerRamp: [], tokenAttributes: [.verifier: .bold, .rejected: [.dim, .italic], .draft: .underline])
    }()

    /// The dark default theme; also what a broken theme file falls back to.
    public static let fallback: Theme = {
        // The built-in text is covered by the tests; it cannot fail at run time.
        (try? parse(BuiltinThemes.dark, source: "built-in dark", base: skeleton)) ?? skeleton
    }()

    /// Names of the built-in themes.
    public static var builtinNames: [String] { BuiltinThemes.names }

    /// Loads a theme by name or path: a path (containing `/` or ending in `.toml`) is read as
    /// is; a name is looked up in `userThemeDirectory` (`<name>.toml`), then among the built-ins.
    /// - Returns: the theme, or the dark default and a message saying why the request failed.
    public static func load(_ nameOrPath: String, userThemeDirectory: String?) -> (theme: Theme, problem: String?) {
        let path: String?
        if nameOrPath.contains("/") || nameOrPath.hasSuffix(".toml") {
            path = nameOrPath
        } else if let directory = userThemeDirectory,
                  FileManager.default.fileExists(atPath: directory + "/" + nameOrPath + ".toml") {
            path = directory + "/" + nameOrPath + ".toml"
        } else {
            path = nil
        }
        do {
            if let path {
                guard let data = FileManager.default.contents(atPath: path) else {
                    throw ConfigError(description: "\(path): cannot read the theme file")
                }
                return (try parse(String(decoding: data, as: UTF8.self), source: path), nil)
            }
            guard let text = BuiltinThemes.text(named: nameOrPath) else {
                throw ConfigError(description: "no theme named \"\(nameOrPath)\" (built-in: \(builtinNames.joined(separator: ", ")))")
            }
            return (try parse(text, source: "built-in \(nameOrPath)", base: skeleton), nil)
        } catch {
            return (fallback, "\(error); using the dark theme")
        }
    }
}
