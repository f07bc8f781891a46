import Foundation

// libFuzzer's own driver runs the loop (`-sanitize=fuzzer` links it); this program's `main` only hands it the
// harness. SwiftPM renames an executable's `main`, so libFuzzer's `main` cannot be used as it is. The driver is
// declared by its C symbol: for these pointer and integer arguments Swift's calling convention passes them as C does.

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ testOne: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

var argc = CommandLine.argc
var argv = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { bytes, count in
    FuzzTarget.current.run(bytes.map { Data(bytes: $0, count: count) } ?? Data())
    return 0
})
