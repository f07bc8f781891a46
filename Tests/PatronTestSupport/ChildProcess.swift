import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The part of `Foundation.Process` the tests use, started with `posix_spawn`.
///
/// On Linux, `Process.run()` (Swift 6.3.1) lists `/proc/self/fd` with a copy that reads past glibc's buffer and now and
/// then crashes the whole test process (swiftlang/swift-corelibs-foundation#5472); a suite that starts many peers and
/// servers hit it. This starts the child with `posix_spawn`, closing every descriptor above 2 in it as `Process` does
/// (`posix_spawn_file_actions_addclosefrom_np`), so a pipe's end never outlives its owner in another child.
///
/// `@unchecked Sendable`: the configuration is set before `run()` on one task; everything `run()` and the waits change
/// afterwards (`pid`, `ending`) is read and written only under `lock`.
public final class ChildProcess: @unchecked Sendable {
    /// The program to run.
    public var executableURL: URL?
    /// Its arguments, without the program.
    public var arguments: [String] = []
    /// Its environment; `nil` inherits this process's.
    public var environment: [String: String]?
    /// Its working folder; `nil` inherits this process's.
    public var currentDirectoryURL: URL?
    /// A `Pipe` or a `FileHandle` (`FileHandle.nullDevice` included); `nil` inherits this process's.
    public var standardInput: Any?
    /// A `Pipe` or a `FileHandle`; `nil` inherits this process's.
    public var standardOutput: Any?
    /// A `Pipe` or a `FileHandle`; `nil` inherits this process's.
    public var standardError: Any?

    private let lock = NSLock()
    private var pid: pid_t = 0
    private var ending: (status: Int32, reason: Process.TerminationReason)?

    /// A process to configure and then `run()`.
    public init() {}

    /// The child's process id (0 before `run()`).
    public var processIdentifier: Int32 { lock.withLock { pid } }

    /// Starts the child.
    public func run() throws {
        guard let executable = executableURL?.path else { throw POSIXError(.ENOENT) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var childEnds: [FileHandle] = []
        for (stream, target) in [(standardInput, Int32(0)), (standardOutput, 1), (standardError, 2)] {
            switch stream {
            case let pipe as Pipe:
                let childEnd = target == 0 ? pipe.fileHandleForReading : pipe.fileHandleForWriting
                posix_spawn_file_actions_adddup2(&actions, childEnd.fileDescriptor, target)
                childEnds.append(childEnd)
            case let handle as FileHandle where handle === FileHandle.nullDevice:
                posix_spawn_file_actions_addopen(&actions, target, "/dev/null", target == 0 ? O_RDONLY : O_WRONLY, 0)
            case let handle as FileHandle:
                posix_spawn_file_actions_adddup2(&actions, handle.fileDescriptor, target)
            default:
                break
            }
        }
        if let folder = currentDirectoryURL?.path { _ = Self.addChdir(&actions, folder) }
        _ = Self.addCloseFrom(&actions, 3)

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        let variables = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        let envp = variables.map { strdup($0) } + [nil]
        defer { for pointer in envp { free(pointer) } }
        // The child starts with no signal blocked (the test runner's threads block some, and a child inherits the
        // mask), so SIGTERM ends a server as it would from a shell.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
        var child: pid_t = 0
        let result = posix_spawn(&child, executable, &actions, &attributes, argv, envp)
        guard result == 0 else { throw POSIXError(POSIXErrorCode(rawValue: result) ?? .EINVAL) }
        lock.withLock { pid = child }
        // The child holds its ends of the pipes now; closing our copies lets each side see the other's end of stream.
        for handle in childEnds { try? handle.close() }
    }

    /// Whether the child is still running (reaping it if it has ended).
    public var isRunning: Bool { lock.withLock { pid != 0 && reap() == nil } }

    /// Blocks until the child has ended.
    public func waitUntilExit() {
        while lock.withLock({ pid != 0 && reap() == nil }) { usleep(5_000) }
    }

    /// Its exit status, or the signal that ended it.
    public var terminationStatus: Int32 {
        waitUntilExit()
        return lock.withLock { ending?.status ?? 0 }
    }

    /// Whether it exited or was ended by a signal.
    public var terminationReason: Process.TerminationReason {
        waitUntilExit()
        return lock.withLock { ending?.reason ?? .exit }
    }

    /// Sends SIGTERM.
    public func terminate() { signal(SIGTERM) }

    /// Sends SIGINT.
    public func interrupt() { signal(SIGINT) }

    private func signal(_ number: Int32) {
        lock.withLock { if pid != 0, ending == nil { _ = kill(pid, number) } }
    }

    /// The child's end, once it has one; called under `lock`.
    private func reap() -> (status: Int32, reason: Process.TerminationReason)? {
        if let ending { return ending }
        var status: Int32 = 0
        guard waitpid(pid, &status, WNOHANG) == pid else { return nil }
        // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import as functions.
        let signal = status & 0x7f
        ending = signal == 0 ? ((status >> 8) & 0xff, .exit) : (signal, .uncaughtSignal)
        return ending
    }

    private typealias CloseFromAction = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private typealias ChdirAction = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32

    /// glibc's `_np` file actions (2.29 and 2.34), which Swift's Glibc module does not import.
    private static func addCloseFrom(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ lowest: Int32) -> Int32 {
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else { return ENOSYS }
        return unsafeBitCast(symbol, to: CloseFromAction.self)(actions, lowest)
    }

    private static func addChdir(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ folder: String) -> Int32 {
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addchdir_np") else { return ENOSYS }
        return folder.withCString { unsafeBitCast(symbol, to: ChdirAction.self)(actions, $0) }
    }
}
