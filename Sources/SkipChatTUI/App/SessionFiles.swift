import Foundation

/// Carries out the chat's file effects — `/save`, `/load`, `/export` — outside the reducer, for
/// either front end; what became of each goes back in through `ChatState.apply(_: FileOutcome)`.
enum SessionFiles {
    /// Performs `effect` when it is a file effect, reading what it writes from `state`.
    /// - Returns: the outcome, or nil when `effect` is not a file effect.
    static func perform(_ effect: Effect, for state: ChatState) -> FileOutcome? {
        switch effect {
        case .save(let path):
            let target = expandTilde(path)
            do {
                try state.sessionForSaving.save(to: target)
                return .saved(path: target)
            } catch {
                return .failed(message: "cannot save \(target): \(error.localizedDescription)")
            }
        case .load(let path):
            let source = expandTilde(path)
            do {
                return .loaded(try ChatSession.load(from: source), path: source)
            } catch {
                return .failed(message: "cannot load \(error)")
            }
        case .export(let path, let force):
            let target = expandTilde(path)
            do {
                try SessionExport.write(SessionHTML(session: state.sessionForSaving, theme: state.theme, layerCount: state.layerCount),
                                        to: target, force: force)
                return .exported(path: target)
            } catch {
                return .failed(message: error.description)
            }
        case .generate, .stop, .pushKnobs, .lens, .setTheme, .autosave, .redraw, .quit:
            return nil
        }
    }

    /// `~/x` as a path in the home directory; other paths as they are.
    static func expandTilde(_ path: String) -> String {
        path.hasPrefix("~/") ? NSHomeDirectory() + path.dropFirst() : path
    }
}
