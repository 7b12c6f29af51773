import Synchronization

/// Live decoder controls shared between the UI thread and the decoder thread.
/// The decoder reads `settings` at the start of each round, so a change applies from the next
/// round; `requestStop()` ends generation within one round.
public final class DecoderKnobs: Sendable {
    private let state: Mutex<DecoderSettings>
    private let stopFlag = Atomic<Bool>(false)

    public init(_ settings: DecoderSettings) {
        state = Mutex(settings)
    }

    /// A copy of the current settings.
    public var settings: DecoderSettings { state.withLock { $0 } }

    /// Changes the settings atomically.
    public func update(_ change: (inout DecoderSettings) -> Void) {
        state.withLock { change(&$0) }
    }

    /// Asks the running generation to stop after the current round.
    public func requestStop() { stopFlag.store(true, ordering: .releasing) }
    /// Clears a stop request (done by the decoder when a generation starts).
    public func clearStop() { stopFlag.store(false, ordering: .releasing) }
    public var stopRequested: Bool { stopFlag.load(ordering: .acquiring) }
}
