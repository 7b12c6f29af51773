import ArgumentParser
import Foundation

/// Runs `body`; any error becomes one line on standard error ("skipchat: …", sanitised: errors
/// quote file content) and exit status 1.
@discardableResult
func failing<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch {
        printErrorLine("\(error)")
        throw ExitCode.failure
    }
}
