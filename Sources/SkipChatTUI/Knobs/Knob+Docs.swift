import Foundation

extension Knob {
    /// The lines that open and close the knob section of docs/keys.md, which holds exactly
    /// `markdownTable` between them (KnobTableTests checks it).
    public static let docsMarkers = ("<!-- knob table: generated from Knob.table; KnobTableTests checks it -->", "<!-- end of knob table -->")

    /// `Knob.table` as a Markdown table: one row per knob with every name it goes by.
    public static var markdownTable: String {
        var lines = ["| Knob | Flag | config.toml | In the chat | Values | Default | Meaning |", "|---|---|---|---|---|---|---|"]
        for knob in table {
            let flag = [knob.flag.map { "`\($0)`" }, knob.environment.map { "`\($0)=…`" }].compactMap { $0 }.joined(separator: ", ")
            var chat: [String] = []
            if let name = knob.setNames.first { chat.append("`/set \(name) \(knob.valueName ?? "VALUE")`") }
            if let command = knob.command { chat.append("`\(command)`") }
            if let keys = knob.keys { chat.append(keys.label) }
            let cells = [knob.name, flag, knob.configKey.map { "`\($0)`" } ?? "", chat.joined(separator: ", "),
                         knob.range.text, knob.defaultValue, knob.help]
            lines.append("| " + cells.map(markdownCell).joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func markdownCell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|")
    }
}

extension KnobKeys {
    /// The keys as the docs write them: "F5 / F6, Alt+← / Alt+→" (down / up).
    public var label: String {
        switch self {
        case .steps(let down, let up, _): zip(down, up).map { "\($0.label) / \($1.label)" }.joined(separator: ", ")
        case .cycle(let keys), .toggle(let keys): keys.map(\.label).joined(separator: ", ")
        }
    }
}
