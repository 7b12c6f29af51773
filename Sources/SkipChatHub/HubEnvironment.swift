import Foundation

/// Where the Hub is, who the user is and where models are cached, read from the environment the
/// way huggingface_hub's `constants.py` reads it, so a cache or login made by other tools
/// (`huggingface-cli login`, transformers, llama.cpp's `-hf`) is shared with skipchat.
public struct HubEnvironment: Sendable, Equatable {
    /// `HF_ENDPOINT` (default `https://huggingface.co`), without a trailing slash.
    public var endpoint: URL
    /// `HF_TOKEN`, else the first line of the token file (`HF_TOKEN_PATH`, default `$HF_HOME/token`,
    /// which `huggingface-cli login` writes); nil when neither holds one.
    public var token: String?
    /// `HF_HUB_CACHE` (or the older `HUGGINGFACE_HUB_CACHE`), default `$HF_HOME/hub`; `HF_HOME`
    /// defaults to `$XDG_CACHE_HOME/huggingface`, i.e. `~/.cache/huggingface`.
    public var cacheDirectory: URL
    /// `HF_HUB_OFFLINE` set to 1/ON/YES/TRUE (case-insensitive): never touch the network.
    public var offline: Bool

    public init(endpoint: URL, token: String?, cacheDirectory: URL, offline: Bool) {
        self.endpoint = endpoint
        self.token = token
        self.cacheDirectory = cacheDirectory
        self.offline = offline
    }

    /// The settings `environment` gives (default: this process's environment).
    public static func current(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> HubEnvironment {
        func value(_ key: String) -> String? { environment[key].flatMap { $0.isEmpty ? nil : $0 } }
        func expanded(_ path: String) -> String { NSString(string: path).expandingTildeInPath }
        let xdgCache = value("XDG_CACHE_HOME").map(expanded) ?? expanded("~/.cache")
        let home = value("HF_HOME").map(expanded) ?? xdgCache + "/huggingface"
        let cache = (value("HF_HUB_CACHE") ?? value("HUGGINGFACE_HUB_CACHE")).map(expanded) ?? home + "/hub"
        var endpointText = value("HF_ENDPOINT") ?? "https://huggingface.co"
        while endpointText.hasSuffix("/") { endpointText.removeLast() }
        let tokenFile = value("HF_TOKEN_PATH").map(expanded) ?? home + "/token"
        let fileToken = (try? String(contentsOfFile: tokenFile, encoding: .utf8))?
            .split(whereSeparator: \.isNewline).first.map { $0.trimmingCharacters(in: .whitespaces) }
        let token = value("HF_TOKEN") ?? fileToken.flatMap { $0.isEmpty ? nil : $0 }
        let offline = value("HF_HUB_OFFLINE").map { ["1", "ON", "YES", "TRUE"].contains($0.uppercased()) } ?? false
        return HubEnvironment(endpoint: URL(string: endpointText) ?? URL(string: "https://huggingface.co")!, token: token,
                              cacheDirectory: URL(fileURLWithPath: cache, isDirectory: true), offline: offline)
    }

    /// The repository's page, where a user requests access to a gated model.
    public func page(of repository: String) -> String { endpoint.absoluteString + "/" + repository }
}
