#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Installing a signal handler with `sigaction` (POSIX.1-2017), empty mask: the one place that
/// knows the platform's names for the handler fields of the union.
public enum SignalAction {
    /// Installs the plain handler `handler(signal)` for `signal`; the action it replaces goes to `old`.
    public static func install(_ signal: Int32, _ handler: @convention(c) (Int32) -> Void,
                               saveTo old: UnsafeMutablePointer<sigaction>?) {
        install(signal, flags: 0, saveTo: old) { action in
            #if os(Linux)
            action.__sigaction_handler.sa_handler = handler
            #else
            action.__sigaction_u.__sa_handler = handler
            #endif
        }
    }

    /// Installs `handler(signal, info, context)` with `SA_SIGINFO`; the action it replaces goes to `old`.
    public static func install(_ signal: Int32,
                               info handler: @convention(c) (Int32, UnsafeMutablePointer<siginfo_t>?, UnsafeMutableRawPointer?) -> Void,
                               saveTo old: UnsafeMutablePointer<sigaction>?) {
        install(signal, flags: SA_SIGINFO, saveTo: old) { action in
            #if os(Linux)
            action.__sigaction_handler.sa_sigaction = handler
            #else
            action.__sigaction_u.__sa_sigaction = handler
            #endif
        }
    }

    private static func install(_ signal: Int32, flags: Int32, saveTo old: UnsafeMutablePointer<sigaction>?,
                                handler setHandler: (inout sigaction) -> Void) {
        var action = sigaction()
        setHandler(&action)
        sigemptyset(&action.sa_mask)
        action.sa_flags = flags
        sigaction(signal, &action, old)
    }
}
