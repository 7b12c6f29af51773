import Foundation
import SkipChatEngine

/// Opens the chat: reads the config file, loads the model, takes over the terminal, runs until
/// the user quits, and gives the terminal back on every way out.
/// - Returns: the exit status (0 after a normal quit, 1 after an error, 128 + n after signal n).
public func runChat(_ options: ChatOptions) -> Int32 {
    let environment = ProcessInfo.processInfo.environment
    let configDirectory = ChatConfig.directory(environment: environment)
    var notices: [String] = []
    var settings = options
    do {
        let fileOptions = try ChatConfig.load(path: options.configPath ?? configDirectory + "/config.toml")
        settings = options.merged(over: fileOptions)
    } catch {
        notices.append("\(error); the config file is ignored")
    }

    let backend: EngineBackend
    let samplingNoticeIndex = notices.count   // the sampling notice goes first after the config's
    do {
        printError("loading \(settings.modelPath ?? "the default model")…")
        backend = try EngineBackend(path: settings.modelPath,
                                    threads: settings.threads ?? ProcessInfo.processInfo.activeProcessorCount,
                                    template: settings.template, adapters: settings.adapters ?? true,
                                    adapterPath: settings.adapterPath, draftHead: settings.draftHead ?? .auto,
                                    context: settings.context)
        if let summary = backend.model.adapterSummary { notices.append(summary) }
        if let warning = backend.model.adapterWarning { notices.append("! " + warning) }
    } catch {
        printError("\(error)")
        return 1
    }

    let lastSession = ChatSession.lastSessionPath(environment: environment)
    var session = ChatSession(model: backend.modelName, systemPrompt: settings.systemPrompt)
    if settings.resume {
        do {
            session = try ChatSession.load(from: lastSession)
            if let prompt = settings.systemPrompt { session.systemPrompt = prompt }
            notices.append("resumed \(lastSession)")
        } catch {
            notices.append("! cannot resume \(error)")
        }
    }
    var decoderSettings = settings.settings(over: session.settings ?? backend.defaultSettings(),
                                            layerCount: backend.layerCount)
    // A new chat samples with a fresh seed (as llama.cpp does), shown so that --seed repeats it.
    if settings.seed == nil && session.settings == nil { decoderSettings.sampling.seed = UInt64.random(in: 1...999_999) }
    if settings.temperature == nil && session.settings == nil && !decoderSettings.sampling.isGreedy {
        notices.insert("sampling: \(SamplingSummary.text(decoderSettings.sampling)), seed \(decoderSettings.sampling.seed), "
            + "from \(backend.sampling.source) (--greedy for greedy decoding, --seed N to repeat)", at: samplingNoticeIndex)
    }
    let (theme, themeProblem) = Theme.load(settings.theme ?? "dark", userThemeDirectory: configDirectory + "/themes")
    if let themeProblem { notices.append("! " + themeProblem) }
    var state = ChatState(modelName: backend.modelName, layerCount: backend.layerCount,
                          contextLength: backend.contextLength, settings: decoderSettings, session: session,
                          maxTokens: settings.maxTokens ?? 1024, showGhost: settings.ghostText ?? false,
                          lastSessionPath: lastSession, theme: theme)
    for notice in notices {
        if notice.hasPrefix("! ") { state.notice(String(notice.dropFirst(2)), error: true) } else { state.notice(notice) }
    }

    func lineMode() -> Int32 {
        TerminalSignals.install()
        defer { TerminalSignals.uninstall() }
        let worker = DecoderWorker(backend: backend, knobs: DecoderKnobs(decoderSettings))
        return LineChat(state: state, worker: worker).run()
    }
    if settings.line || LineChat.wanted(environment: environment) { return lineMode() }
    let terminal: Terminal
    do {
        terminal = try Terminal(theme: theme, layerCount: backend.layerCount, environment: environment)
    } catch {
        printError("\(error): using line mode")
        return lineMode()
    }
    defer { terminal.restore() }
    let worker = DecoderWorker(backend: backend, knobs: DecoderKnobs(decoderSettings))
    let app = ChatApp(state: state, terminal: terminal, worker: worker, userThemeDirectory: configDirectory + "/themes")
    return app.run()
}

/// Writes a line to standard error (only while curses does not own the screen).
private func printError(_ message: String) {
    FileHandle.standardError.write(Data("skipchat: \(message)\n".utf8))
}
