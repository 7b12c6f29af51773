import COpenSSL
import Foundation

/// Streaming SHA-256 (FIPS 180-4) or SHA-1 through OpenSSL's EVP interface, fed chunk by chunk
/// (`GrowingFileDigest` feeds it a download as the file grows).
final class StreamingDigest {
    enum Algorithm { case sha256, sha1 }

    private let context: OpaquePointer

    init(_ algorithm: Algorithm) {
        context = EVP_MD_CTX_new()
        EVP_DigestInit_ex(context, algorithm == .sha256 ? EVP_sha256() : EVP_sha1(), nil)
    }

    deinit { EVP_MD_CTX_free(context) }

    func update(_ bytes: UnsafeRawBufferPointer) {
        if let base = bytes.baseAddress, bytes.count > 0 { EVP_DigestUpdate(context, base, bytes.count) }
    }

    func update(_ data: Data) { data.withUnsafeBytes { update($0) } }

    /// The digest in lower-case hex; the object is spent afterwards.
    func hexDigest() -> String {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        EVP_DigestFinal_ex(context, &digest, &length)
        return digest[..<Int(length)].map { String(format: "%02x", $0) }.joined()
    }
}
