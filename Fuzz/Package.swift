// swift-tools-version: 6.0
// libFuzzer harnesses for the readers of untrusted text: `scripts/fuzz` builds and runs them (docs/reliability.md).
// A package of its own, with PatronCore and PatronFiles by symbolic link, so that `-sanitize=fuzzer` instruments
// exactly them and Yams, and nothing else of Patron's build (its plugin tools do not link with libFuzzer).
import PackageDescription

let package = Package(
    name: "PatronFuzz",
    dependencies: [.package(url: "https://github.com/jpsim/Yams", from: "6.2.2")],
    targets: [
        .target(name: "PatronCore"),
        .target(name: "PatronFiles", dependencies: ["PatronCore", .product(name: "Yams", package: "Yams")]),
        .executableTarget(name: "patron-fuzz", dependencies: ["PatronCore", "PatronFiles"]),
    ],
    swiftLanguageModes: [.v6]
)
