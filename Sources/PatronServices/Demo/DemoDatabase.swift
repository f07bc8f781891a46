import Foundation
import PatronCore

/// Where the demo writes its shop: a new SQLite file, or an existing one only when the caller says to replace it.
public enum DemoDatabase {
    /// Makes `path` ready for a new demo shop: refuses an existing file unless `replace` is set, in which case the
    /// file and its `-wal` and `-shm` companions are removed.
    /// - Throws: `invalidInput` naming the file when it exists and `replace` is false (the file is left untouched);
    ///   `storage` when it cannot be removed.
    public static func prepare(path: String, replace: Bool) throws {
        let files = ["", "-wal", "-shm"].map { path + $0 }
        guard files.contains(where: { FileManager.default.fileExists(atPath: $0) }) else { return }
        guard replace else {
            throw PatronError(.invalidInput, "--database \(path) already exists; pass --replace to overwrite it, or name another file")
        }
        for file in files where FileManager.default.fileExists(atPath: file) {
            do {
                try FileManager.default.removeItem(atPath: file)
            } catch {
                throw PatronError(.storage, "cannot remove \(file) to replace it: \(error.localizedDescription)")
            }
        }
    }
}
