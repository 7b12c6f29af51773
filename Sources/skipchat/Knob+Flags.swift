import ArgumentParser
import SkipChatTUI

extension Knob {
    /// `helpWithRange` with the flag's value name, for an `@Option` declared from this row.
    var argumentHelp: ArgumentHelp { ArgumentHelp(helpWithRange, valueName: valueName) }

    /// Checks every flag in `flags` against its knob's range (the model's bounds too when `model` is given).
    /// - Throws: `ValidationError` with the first problem, e.g. "--temperature must be between 0 and 2 (got 5)".
    static func checkFlags(_ flags: ChatOptions, model: ModelBounds?) throws {
        let problems = flags.problems(model: model) { knob in knob.flag.map { String($0.prefix(while: { $0 != " " && $0 != "," })) } ?? knob.name }
        if let first = problems.first { throw ValidationError(first) }
    }
}
