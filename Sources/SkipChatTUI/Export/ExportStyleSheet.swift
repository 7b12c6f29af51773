import SkipChatEngine

/// The export page's CSS: the theme's palette, one class per exit layer (`.l1` … `.lL`), the
/// token kinds' attributes, and the checkbox that hides rejected drafts (no script needed).
enum ExportStyleSheet {
    static func css(_ colors: ExportColors) -> String {
        let p = colors.theme.palette
        var css = """
            :root { color-scheme: \(colors.dark ? "dark" : "light"); }
            body { margin: 0; background: \(colors.background); color: \(colors.foreground);
              font: 15px/1.55 ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, monospace; }
            main { max-width: 62rem; margin: 0 auto; padding: 1.5rem; }
            h1 { font-size: 1.2rem; margin: 0 0 .25rem; color: \(colors.css(p.accent)); }
            .meta, .caption { color: \(colors.css(p.muted)); }
            .msg { margin: 1rem 0; padding-left: .75rem; border-left: 3px solid \(colors.css(p.border)); }
            .who { font-weight: bold; font-size: .85rem; }
            .user .who { color: \(colors.css(p.user)); }
            .assistant .who { color: \(colors.css(p.speaker)); }
            .system .who, .system .text { color: \(colors.css(p.system)); }
            .notice .who, .notice .text { color: \(colors.css(p.notice)); font-style: italic; }
            .text { white-space: pre-wrap; overflow-wrap: anywhere; }
            .legend { margin: 1rem 0; line-height: 2; }
            .sw { display: inline-block; min-width: 1.6em; text-align: center; font-size: .75rem;
              color: \(colors.background); margin-right: 1px; }
            #show-rejected { position: fixed; top: .6rem; right: .6rem; }
            .toggle { position: fixed; top: .2rem; right: 2.2rem; margin: 0; font-size: .85rem; }
            #show-rejected:not(:checked) ~ main .t.rejected { display: none; }
            .charts { display: flex; flex-wrap: wrap; gap: 1rem; margin-top: 2rem; }
            .charts svg { max-width: 100%; height: auto; }

            """
        for kind in [TokenKind.accepted, .verifier, .rejected, .draft] {
            let declarations = colors.declarations(for: kind)
            if !declarations.isEmpty { css += ".t.\(kind.rawValue) { \(declarations); }\n" }
        }
        for layer in 1...colors.layerCount {
            let color = colors.layer(layer)
            css += ".t.l\(layer) { color: \(color); } .sw.l\(layer) { background: \(color); }\n"
        }
        return css
    }
}
