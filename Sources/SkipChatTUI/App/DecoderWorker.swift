import Dispatch
import Foundation
import SkipChatEngine
import Synchronization

/// The decoder thread. Requests go in through `send`; everything it produces goes into a queue
/// that the main thread empties with `drain()` on every tick. Nothing else is shared: knobs are
/// read by the decoder at the start of each round.
final class DecoderWorker: Sendable {
    let knobs: DecoderKnobs
    /// Pending requests; nil asks the thread to end.
    private let requests = Mutex<[WorkerRequest?]>([])
    private let outputs = Mutex<[WorkerOutput]>([])
    private let wake = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)

    /// Starts the thread.
    init(backend: some ChatBackend, knobs: DecoderKnobs) {
        self.knobs = knobs
        let thread = Thread { [self] in self.run(backend) }
        thread.name = "skipchat-decoder"
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Queues a request.
    func send(_ request: WorkerRequest) {
        requests.withLock { $0.append(request) }
        wake.signal()
    }

    /// Takes everything produced since the last call.
    func drain() -> [WorkerOutput] {
        outputs.withLock { queue in
            defer { queue.removeAll(keepingCapacity: true) }
            return queue
        }
    }

    /// Stops any generation and ends the thread, waiting at most `seconds`.
    func shutdown(waiting seconds: Double) {
        knobs.requestStop()
        requests.withLock { $0 = [nil] }
        wake.signal()
        _ = finished.wait(timeout: .now() + seconds)
    }

    /// Carries out the effects that concern only the decoder and the session files — generate,
    /// stop, push knobs, autosave, and through `SessionFiles` save, load and export (whose outcome
    /// goes back into `state`) — for either front end (`ChatApp`, `LineChat`).
    /// - Returns: whether `effect` was one of them.
    func perform(_ effect: Effect, for state: inout ChatState) -> Bool {
        if let outcome = SessionFiles.perform(effect, for: state) {
            for next in state.apply(outcome) { _ = perform(next, for: &state) }
            return true
        }
        switch effect {
        case .generate:
            send(.generate(systemPrompt: state.session.systemPrompt, turns: state.session.turns, maxTokens: state.maxTokens))
        case .stop:
            knobs.requestStop()
        case .pushKnobs(let settings):
            knobs.update { $0 = settings }
        case .autosave:
            try? state.sessionForSaving.save(to: state.lastSessionPath)
        case .lens, .setTheme, .redraw, .quit, .save, .load, .export:
            return false
        }
        return true
    }

    private func emit(_ output: WorkerOutput) {
        outputs.withLock { $0.append(output) }
    }

    private func run(_ backend: some ChatBackend) {
        let generator = backend.makeGenerator()
        defer { finished.signal() }
        while true {
            wake.wait()
            let next: WorkerRequest?? = requests.withLock { $0.isEmpty ? .none : .some($0.removeFirst()) }
            guard let next else { continue }
            guard let request = next else { return }
            switch request {
            case .generate(let systemPrompt, let turns, let maxTokens):
                do {
                    try generator.generate(systemPrompt: systemPrompt, turns: turns, maxTokens: maxTokens, knobs: knobs,
                                           onTrim: { self.emit(.contextTrimmed(messages: $0)) }) { self.emit(.event($0)) }
                } catch {
                    emit(.generationFailed("generation failed: \(error)"))
                }
            case .lens(let lensRequest):
                do {
                    emit(.lens(lensRequest.selection, try generator.lens(lensRequest)))
                } catch {
                    emit(.notice("lens failed: \(error)"))
                }
            }
        }
    }
}
