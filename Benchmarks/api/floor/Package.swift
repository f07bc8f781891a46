// swift-tools-version: 6.0
import PackageDescription

// A package of its own, so that Patron's build never compiles it: Benchmarks/api/floor.sh builds and measures it.
let package = Package(
    name: "floor",
    platforms: [.macOS(.v14)],
    dependencies: [.package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1")],
    targets: [.executableTarget(name: "floor", dependencies: [.product(name: "Hummingbird", package: "hummingbird")])]
)
