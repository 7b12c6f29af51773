import ArgumentParser
import Foundation

/// Runs `body`; any error becomes one line on standard error ("skipchat: …") and exit status 1.
@discardableResult
func failing<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch {
        FileHandle.standardError.write(Data("skipchat: \(error)\n".utf8))
        throw ExitCode.failure
    }
}
