/// The themes shipped in `themes/` (a test keeps these texts identical to the files), so the
/// binary needs no resource files.
enum BuiltinThemes {
    /// Theme names in the order `/theme` lists them.
    static let names = ["dark", "light", "colorblind", "mono"]

    /// The TOML text of a built-in theme.
    static func text(named name: String) -> String? {
        switch name {
        case "dark": return dark
        case "light": return light
        case "colorblind": return colorblind
        case "mono": return mono
        default: return nil
        }
    }

    static let dark = #"""
# skipchat theme: dark (the default). Format: docs/themes.md
name = "dark"

[colors]
background = "default"
foreground = "#d0d0d0"
user = "#87afff"
speaker = "#ffd75f"
system = "#af87ff"
notice = "#8a8a8a"
error = "#ff5f5f"
muted = "#6c6c6c"
border = "#4e4e4e"
accent = "#5fd7ff"
status_fg = "#e4e4e4"
status_bg = "#303030"
status_key = "#ffd75f"
selection_bg = "#005f87"

[layers]
# Exit layer 1 (shallow) … L (deep).
ramp = ["#5f87ff", "#00d7d7", "#87d75f", "#ffd700", "#ff8700", "#ff5f87"]

[tokens]
accepted = []
verifier = ["bold"]
rejected = ["dim", "italic"]
draft = ["underline"]
"""#

    static let light = #"""
# skipchat theme: light, for light terminal backgrounds. Format: docs/themes.md
name = "light"

[colors]
background = "default"
foreground = "#262626"
user = "#0040c0"
speaker = "#875f00"
system = "#5f00af"
notice = "#6c6c6c"
error = "#c00000"
muted = "#8a8a8a"
border = "#b2b2b2"
accent = "#005f87"
status_fg = "#1c1c1c"
status_bg = "#d0d0d0"
status_key = "#870000"
selection_bg = "#afd7ff"

[layers]
ramp = ["#0040c0", "#007b7b", "#2e7d00", "#8a6d00", "#b34700", "#b0004f"]

[tokens]
accepted = []
verifier = ["bold"]
rejected = ["dim", "italic"]
draft = ["underline"]
"""#

    static let colorblind = #"""
# skipchat theme: colour-blind safe. The layer ramp follows viridis (perceptually uniform,
# readable with deuteranopia, protanopia and tritanopia), starting where it is still legible on
# a dark background. Format: docs/themes.md
name = "colorblind"

[colors]
background = "default"
foreground = "#d0d0d0"
user = "#56b4e9"
speaker = "#e69f00"
system = "#cc79a7"
notice = "#8a8a8a"
error = "#d55e00"
muted = "#6c6c6c"
border = "#4e4e4e"
accent = "#56b4e9"
status_fg = "#e4e4e4"
status_bg = "#303030"
status_key = "#e69f00"
selection_bg = "#0072b2"

[layers]
ramp = ["#5b6fb0", "#2c8ea0", "#21a68c", "#3dbc74", "#7ad151", "#bddf26", "#fde725"]

[tokens]
accepted = []
verifier = ["bold"]
rejected = ["dim", "italic"]
draft = ["underline"]
"""#

    static let mono = #"""
# skipchat theme: mono. No colours at all: attributes alone tell token kinds apart (this is also
# what every theme turns into under NO_COLOR). Format: docs/themes.md
name = "mono"

[colors]
background = "default"
foreground = "default"
user = "default"
speaker = "default"
system = "default"
notice = "default"
error = "default"
muted = "default"
border = "default"
accent = "default"
status_fg = "default"
status_bg = "default"
status_key = "default"
selection_bg = "default"

[layers]
ramp = []

[tokens]
accepted = []
verifier = ["bold"]
rejected = ["dim", "italic"]
draft = ["underline"]
"""#
}
