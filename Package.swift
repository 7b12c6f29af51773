// swift-tools-version: 6.0
import PackageDescription

/// C kernels are always optimised (even in debug builds) so tests run at usable speed;
/// the vector paths are selected at run time (`__builtin_cpu_supports`), not at compile time.
let kernelFlags: [CSetting] = [.unsafeFlags(["-O3", "-ffp-contract=off", "-fno-math-errno"])]

let package = Package(
    name: "skipchat",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "skipchat", targets: ["skipchat"]),
        .library(name: "SkipChatEngine", targets: ["SkipChatEngine"]),
        .library(name: "SkipChatCalibration", targets: ["SkipChatCalibration"]),
        .library(name: "SkipChatBenchmark", targets: ["SkipChatBenchmark"]),
        .library(name: "SkipChatTUI", targets: ["SkipChatTUI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        // System libraries (module map + shim header only).
        // ncursesw.pc only adds -D flags SwiftPM rejects; the shim header defines what is needed.
        .systemLibrary(name: "CNCurses", providers: [.apt(["libncursesw5-dev"])]),
        // Debian's cblas.h sits on the default include path (alternatives); openblas.pc only
        // adds flags SwiftPM rejects, so no pkgConfig here.
        .systemLibrary(name: "COpenBLAS", providers: [.apt(["libopenblas-dev"])]),
        // OpenSSL's libcrypto: SHA-256 of downloads (SkipChatHub, its only user).
        .systemLibrary(name: "COpenSSL", providers: [.apt(["libssl-dev"])]),
        // libcurl's easy interface: every Hub request (SkipChatHub, its only user).
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        // Numeric kernels: matrix-vector / small-GEMM per weight type, attention, thread pool.
        .target(name: "CKernels", cSettings: kernelFlags, linkerSettings: [.linkedLibrary("pthread"), .linkedLibrary("m")]),
        // Tokenizers, chat templates, streaming detokenizer. No model or UI code.
        .target(name: "SkipChatTokenizer"),
        // SVG charts (benchmark plots, the export's statistics). No dependencies.
        .target(name: "SkipChatPlot"),
        // Engine runtime: model files, forward pass, decoder, draft sidecar loader. No UI code.
        .target(name: "SkipChatEngine", dependencies: ["CKernels", "SkipChatTokenizer"]),
        // Calibration: fits exit adapters and collects draft-block data (the only BLAS/LAPACK user).
        .target(name: "SkipChatCalibration", dependencies: ["SkipChatEngine", "CKernels", "COpenBLAS"]),
        // The Hugging Face Hub: model references, the shared cache layout, downloads (libcurl). No model code.
        .target(name: "SkipChatHub", dependencies: ["CCurl", "COpenSSL"]),
        // Benchmarks and the file-parser fuzzer (signal handlers, watchdog).
        .target(name: "SkipChatBenchmark", dependencies: ["SkipChatEngine", "SkipChatTokenizer", "CKernels"]),
        // Terminal UI: the only ncurses caller.
        .target(name: "SkipChatTUI", dependencies: [
            "SkipChatEngine", "SkipChatBenchmark", "SkipChatPlot", "CNCurses",
            .product(name: "TOMLKit", package: "TOMLKit"),
        ]),
        .executableTarget(name: "skipchat", dependencies: [
            "SkipChatEngine", "SkipChatCalibration", "SkipChatBenchmark", "SkipChatTUI", "SkipChatPlot", "SkipChatHub",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .testTarget(name: "KernelTests", dependencies: ["CKernels", "SkipChatEngine"], resources: [.copy("Fixtures")]),
        .testTarget(name: "TokenizerTests", dependencies: ["SkipChatTokenizer", "SkipChatEngine"], resources: [.copy("Fixtures")]),
        .testTarget(name: "EngineTests", dependencies: ["SkipChatEngine", "SkipChatCalibration", "SkipChatBenchmark"], resources: [.copy("Fixtures")]),
        .testTarget(name: "TUITests", dependencies: ["SkipChatTUI", "SkipChatBenchmark", "SkipChatPlot"], resources: [.copy("Fixtures")]),
        .testTarget(name: "PlotTests", dependencies: ["SkipChatPlot"]),
        .testTarget(name: "HubTests", dependencies: ["SkipChatHub"], resources: [.copy("Fixtures")]),
    ],
    swiftLanguageModes: [.v6]
)
