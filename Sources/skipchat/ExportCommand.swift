import ArgumentParser
import Foundation
import SkipChatTUI

/// `skipchat export`: a saved session as a self-contained HTML page.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a saved chat session (/save, --resume's file) as a self-contained HTML page.",
        discussion: """
            Every reply token is coloured by its exit layer on the theme's ramp; verifier tokens are bold \
            and rejected drafts struck through where they were proposed (a checkbox hides them). \
            Hovering a token shows its exit layer, round and position. The page ends with the session's \
            acceptance by draft position and exit-layer histogram.
            """
    )

    @Argument(help: "The session file (JSON written by /save or kept for --resume).")
    var session: String

    @Option(name: .long, help: "The HTML file to write.")
    var html: String

    @Option(name: .long, help: "Theme name or path (default: the session's theme, else dark).")
    var theme: String?

    @Flag(name: .long, help: "Overwrite the HTML file if it exists.")
    var force = false

    func run() throws {
        let loaded = try failing { try ChatSession.load(from: session) }
        let themeDirectory = ChatConfig.directory(environment: ProcessInfo.processInfo.environment) + "/themes"
        let (chosen, problem) = Theme.load(theme ?? loaded.theme ?? "dark", userThemeDirectory: themeDirectory)
        if let problem { printErrorLine("warning: \(problem)") }
        try failing {
            do {
                try SessionExport.write(SessionHTML(session: loaded, theme: chosen), to: html, force: force)
            } catch SessionExport.Failure.empty {
                throw ExportMessage(description: "\(session): the session has no messages to export")
            }
        }
        printErrorLine("wrote \(html)")
    }
}

/// A one-line reason an export wrote nothing.
private struct ExportMessage: Error, CustomStringConvertible {
    var description: String
}
