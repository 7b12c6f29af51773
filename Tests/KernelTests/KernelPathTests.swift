// Run-time path selection: what the CPU supports, SKIPCHAT_KERNELS, and the paths this machine
// cannot run (reported as skipped, never silently passed).
import CKernels
import SkipChatEngine
import XCTest

final class KernelPathTests: KernelSwitchingTestCase {

    /// avx2 wherever the CPU has it (the fastest end to end on the default model where the wider
    /// paths were measured, cpu.c), else scalar.
    func testDefaultIsAVX2WhereSupportedElseScalar() {
        XCTAssertEqual(KernelPath.defaultPath, KernelPath.avx2.isSupported ? .avx2 : .scalar)
        XCTAssertTrue(KernelPath.scalar.isSupported)
        // Every wider path implies the ones below it on x86 (AVX-512 and AVX-VNNI CPUs have AVX2).
        if KernelPath.avx512.isSupported || KernelPath.avx2VNNI.isSupported { XCTAssertTrue(KernelPath.avx2.isSupported) }
    }

    func testEnvironmentForcesAPathAndPrecision() throws {
        for path in KernelPath.allCases where path.isSupported {
            try KernelSelection.configure(environment: ["SKIPCHAT_KERNELS": path.rawValue], precision: .fast)
            XCTAssertEqual(KernelPath.active, path)
            XCTAssertEqual(KernelPrecision.active, .fast)
            XCTAssertTrue(KernelSelection.summary.hasPrefix("kernels \(path.rawValue), precision fast"), KernelSelection.summary)
        }
        try KernelSelection.configure(environment: [:])
        XCTAssertEqual(KernelPath.active, KernelPath.defaultPath)
        XCTAssertEqual(KernelPrecision.active, .accurate)
    }

    func testUnknownOrUnsupportedPathIsRefusedWithOneLineAndChangesNothing() throws {
        try KernelSelection.configure(environment: ["SKIPCHAT_KERNELS": "scalar"])
        XCTAssertThrowsError(try KernelSelection.configure(environment: ["SKIPCHAT_KERNELS": "neon9"])) { error in
            XCTAssertEqual("\(error)", "SKIPCHAT_KERNELS=neon9 is not a kernel path (one of: scalar, avx2, avx2-vnni, avx512)")
        }
        XCTAssertEqual(KernelPath.active, .scalar)
        if let missing = KernelPath.allCases.first(where: { !$0.isSupported }) {
            XCTAssertThrowsError(try KernelSelection.configure(environment: ["SKIPCHAT_KERNELS": missing.rawValue])) { error in
                XCTAssertTrue("\(error)".contains("this CPU cannot run the \(missing.rawValue) kernels"), "\(error)")
                XCTAssertFalse("\(error)".contains("\n"))
            }
            XCTAssertEqual(KernelPath.active, .scalar)
            XCTAssertEqual(sc_set_path(missing.code), -1)
        }
    }

    /// `withKernels` runs its body under the asked path and precision, then restores the ones in
    /// force before, also when the body throws.
    func testWithKernelsRestoresWhatWasInForce() throws {
        struct Failure: Error {}
        try KernelSelection.configure(environment: ["SKIPCHAT_KERNELS": "scalar"], precision: .fast)
        XCTAssertThrowsError(try KernelSelection.withKernels(environment: [:], precision: .accurate) {
            XCTAssertEqual(KernelPath.active, KernelPath.defaultPath)
            XCTAssertEqual(KernelPrecision.active, .accurate)
            throw Failure()
        })
        XCTAssertEqual(KernelPath.active, .scalar)
        XCTAssertEqual(KernelPrecision.active, .fast)
        XCTAssertThrowsError(try KernelSelection.withKernels(environment: ["SKIPCHAT_KERNELS": "neon9"]) { XCTFail("ran") })
        XCTAssertEqual(KernelPath.active, .scalar)
    }

    /// Lists the paths the other kernel tests could not run here. They are tested under
    /// instruction-set emulation by scripts/check-kernels-emulated.sh (part of make test).
    func testPathsThisCPUCannotRun() throws {
        let missing = KernelPath.allCases.filter { !$0.isSupported }.map(\.rawValue)
        if !missing.isEmpty {
            throw XCTSkip("this CPU cannot run the \(missing.joined(separator: ", ")) kernels; KernelTests ran \(kernelConfigs.map(\.name).joined(separator: ", "))")
        }
    }
}
