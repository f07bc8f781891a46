import Foundation
import PatronStore
import Testing

/// SQLite's memory on `/metrics`: a gauge when the process counts it (`PATRON_SQLITE_MEMORY_STATISTICS=1`), nothing
/// otherwise — SQLite's count would read 0 with its statistics off, which looks like a number and is not one.
@Suite struct SQLiteMemoryTests {
    @Test func theGaugeIsWrittenOnlyWhenSQLiteCountsItsMemory() {
        #expect(SQLiteMemory.prometheusText(bytes: nil) == "")
        let text = SQLiteMemory.prometheusText(bytes: 12_345_678)
        #expect(text.split(separator: "\n").contains("patron_sqlite_memory_bytes 12345678"))
        #expect(text.contains("# TYPE patron_sqlite_memory_bytes gauge"))
        // The test process starts without the variable, so SQLite's statistics are off and nothing is reported.
        if ProcessInfo.processInfo.environment["PATRON_SQLITE_MEMORY_STATISTICS"] == nil {
            #expect(SQLiteMemory.bytes() == nil && SQLiteMemory.prometheusText() == "")
        }
    }
}
