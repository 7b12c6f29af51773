import Foundation

/// Writes a session's HTML page (`SessionHTML`) to a file, refusing what would lose data or make
/// an empty page.
public enum SessionExport {
    /// Why an export wrote nothing.
    public enum Failure: Error, Equatable, CustomStringConvertible {
        /// The session has no user or assistant messages.
        case empty
        case output(OutputFile.Failure)

        public var description: String {
            switch self {
            case .empty: "the session has no messages to export"
            case .output(let failure): failure.description
            }
        }
    }

    /// Writes the page (`OutputFile.create`): on any failure `path` is as it was and no file is left.
    /// - Throws: `Failure`.
    public static func write(_ page: SessionHTML, to path: String, force: Bool) throws(Failure) {
        guard page.session.messages.contains(where: { $0.role == .user || $0.role == .assistant }) else {
            throw .empty
        }
        do {
            try OutputFile.create(Data(page.render().utf8), at: path, force: force)
        } catch {
            throw .output(error)
        }
    }
}
