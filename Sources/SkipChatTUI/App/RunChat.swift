import Foundation
import SkipChatEngine

/// Opens the chat: reads the config file, loads the model, takes over the terminal, runs until
/// the user quits, and gives the terminal back on every way out.
/// - Parameter resolveModel: turns the model setting (flag or config file) into a path to open:
///   the command line passes `hf:ORG/NAME[:QUANT]` through the Hugging Face cache (pulling it
///   first when needed); its error is the one line printed before exiting with status 1.
/// - Returns: the exit status (0 after a normal quit, 1 after an error, 128 + n after signal n).
public func runChat(_ options: ChatOptions, resolveModel: (String) throws -> String = { $0 }) -> Int32 {
    let environment = ProcessInfo.processInfo.environment
    let configDirectory = ChatConfig.directory(environment: environment)
    var notices: [SessionMessage] = []
    let configPath = options.configPath ?? configDirectory + "/config.toml"
    var fileOptions = ChatOptions()
    do {
        fileOptions = try ChatConfig.load(path: configPath)
    } catch {
        notices.append(SessionMessage(role: .error, text: "\(error); the config file is ignored"))
    }
    var settings = options.merged(over: fileOptions)
    do {
        try KernelSelection.configure(environment: environment, precision: settings.precision ?? .accurate)
        KVCacheType.configure(settings.kvType ?? .f16)
    } catch {
        printError("\(error)")
        return 1
    }
    // Kernels chosen by hand are confirmed, as `info` and the benchmarks do.
    if !(environment[KernelSelection.environmentKey] ?? "").isEmpty || settings.precision == .fast {
        notices.append(SessionMessage(role: .notice, text: KernelSelection.summary))
    }

    let backend: EngineBackend
    let samplingNoticeIndex = notices.count   // the sampling notice goes first after the config's
    do {
        let modelPath = try settings.modelPath.map(resolveModel)
        printError("loading \(modelPath ?? "the default model")…")
        // Quantising on load draws its bar on standard error, before the screen is taken over.
        // config.toml's quantize applies to checkpoints (directories) only; --quantize to any model.
        var isDirectory: ObjCBool = false
        let checkpoint = modelPath.map { FileManager.default.fileExists(atPath: $0, isDirectory: &isDirectory) && isDirectory.boolValue } ?? false
        let quantize = options.quantize ?? (checkpoint ? fileOptions.quantize : nil)
        let progress = quantize.map { QuantizeProgress(type: $0) }
        defer { progress?.finish() }
        backend = try EngineBackend(path: modelPath, quantize: quantize, progress: { progress?.update($0, $1) },
                                    threads: settings.threads ?? ProcessInfo.processInfo.activeProcessorCount,
                                    template: settings.template, adapters: settings.adapters ?? true,
                                    adapterPath: settings.adapterPath, draftHead: settings.draftHead ?? .auto,
                                    context: settings.context)
        if let summary = backend.model.adapterSummary { notices.append(SessionMessage(role: .notice, text: summary)) }
        if let warning = backend.model.adapterWarning { notices.append(SessionMessage(role: .error, text: warning)) }
    } catch {
        printError("\(error)")
        return 1
    }
    // Bounds that depend on the model: a flag out of range ends the chat, as `generate` does; a
    // config value out of range is reported and left out.
    let bounds = ModelBounds(layerCount: backend.layerCount, contextLength: backend.model.config.contextLength)
    if let problem = options.problems(model: bounds, naming: { $0.flag?.split(separator: " ").first.map(String.init) ?? $0.name }).first {
        printError(problem)
        return 1
    }
    for problem in fileOptions.problems(model: bounds, naming: { "\(configPath): \($0.configKey ?? $0.name)" }) {
        notices.append(SessionMessage(role: .error, text: problem + "; left out"))
    }
    settings = options.merged(over: fileOptions.withoutProblems(model: bounds))

    let lastSession = ChatSession.lastSessionPath(environment: environment)
    var session = ChatSession(model: backend.modelName, systemPrompt: settings.systemPrompt)
    if settings.resume {
        do {
            session = try ChatSession.load(from: lastSession)
            if let prompt = settings.systemPrompt { session.systemPrompt = prompt }
            notices.append(SessionMessage(role: .notice, text: "resumed \(lastSession)"))
        } catch {
            notices.append(SessionMessage(role: .error, text: "cannot resume \(error)"))
        }
    }
    var decoderSettings = settings.settings(over: session.settings ?? backend.defaultSettings(),
                                            layerCount: backend.layerCount)
    // A new chat samples with a fresh seed (as llama.cpp does), shown so that --seed repeats it.
    if settings.seed == nil && session.settings == nil { decoderSettings.sampling.seed = UInt64.random(in: 1...999_999) }
    if settings.temperature == nil && session.settings == nil && !decoderSettings.sampling.isGreedy {
        notices.insert(SessionMessage(role: .notice, text: "sampling: \(SamplingSummary.text(decoderSettings.sampling)), seed \(decoderSettings.sampling.seed), "
            + "from \(backend.sampling.source) (--greedy for greedy decoding, --seed N to repeat)"), at: samplingNoticeIndex)
    }
    let (theme, themeProblem) = Theme.load(settings.theme ?? "dark", userThemeDirectory: configDirectory + "/themes")
    if let themeProblem { notices.append(SessionMessage(role: .error, text: themeProblem)) }
    var state = ChatState(modelName: backend.modelName, layerCount: backend.layerCount,
                          contextLength: backend.contextLength, settings: decoderSettings, session: session,
                          maxTokens: settings.maxTokens ?? 1024, showGhost: settings.ghostText ?? false,
                          lastSessionPath: lastSession, theme: theme)
    for notice in notices { state.notice(notice.text, error: notice.role == .error) }

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

/// Writes a line to standard error (only while curses does not own the screen), sanitised: it
/// may quote a model or config file.
private func printError(_ message: String) {
    FileHandle.standardError.write(Data("skipchat: \(TerminalText.sanitized(message))\n".utf8))
}
