import Foundation
import PatronCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The exclusive claim one `patron serve` holds on a SQLite file for its whole life, so a second one on the same file
/// refuses to start instead of running beside it.
///
/// A SQLite file has one writer: Patron's group-commit writer, its reward-stock and job locks (which on SQLite are
/// that writer itself), and its caches all assume they are the only server on the file. The claim is an advisory
/// `flock` on the database file itself — it follows the file, not its name, so a symbolic link or a relative path
/// is the same file — and the kernel drops it when the process ends, however it ends. SQLite's own locks are `fcntl`
/// locks and do not interact with it; other commands (`patron program load`, `patron check`) do not take it.
public final class ServerLock: Sendable {
    private let descriptor: Int32
    /// The file the lock is on.
    public let path: String

    /// Claims `path` (a SQLite file that exists); `busy` when another process serves it.
    public init(path: String) throws {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw PatronError(.storage, "cannot open \(path) to claim it for this server: \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let reason = errno
            close(descriptor)
            if reason == EWOULDBLOCK {
                throw PatronError(
                    .busy,
                    "another `patron serve` is already serving \(path): a SQLite file has one writer, so it takes one server; stop the other one first, or run several servers on PostgreSQL"
                )
            }
            throw PatronError(.storage, "cannot lock \(path): \(String(cString: strerror(reason)))")
        }
        self.descriptor = descriptor
        self.path = path
    }

    /// Gives the claim up (it is also given up when the process ends).
    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
