import Foundation
import PatronCore
import Testing

@testable import PatronStore

@Suite struct PostgresLocationTests {
    @Test func aURLNamesTheServerTheSchemaAndThePool() throws {
        let location = try PostgresLocation(url: "postgres://shop:s%40cret@db.internal:6543/loyalty?schema=tea&pool=8")
        #expect(location.host == "db.internal" && location.port == 6543 && location.user == "shop" && location.password == "s@cret")
        #expect(location.database == "loyalty" && location.schema == "tea" && location.poolSize == 8)
        // Messages never show the password.
        #expect(!location.description.contains("cret"))
        let defaults = try PostgresLocation(url: "postgresql://patron@localhost")
        #expect(defaults.port == 5432 && defaults.database == "patron" && defaults.schema == "public" && defaults.poolSize == 4)
        #expect(defaults.writers == 2 && defaults.partitions == nil)
        #expect(try PostgresLocation(url: "postgres://a@b/c?partitions=16").partitions == 16)
    }

    @Test(arguments: [
        ("postgres://", "a URL like"),
        ("mysql://a@b/c", "a URL like"),
        ("postgres://a@b/c?schema=Robert'); DROP TABLE members;--", "lower-case letters"),
        ("postgres://a@b/c?pool=0", "from 1 to 256"),
        ("postgres://a@b/c?pool=many", "from 1 to 256"),
        ("postgres://a@b/c?sslmode=require", "unknown setting 'sslmode'"),
        ("postgres://a@b/c?partitions=1", "partitions=1 in the database URL must be a number of hash partitions from 2 to 256"),
        ("postgres://a@b/c?partitions=lots", "partitions=lots"),
    ])
    func badURLsSayWhatIsWrong(url: String, problem: String) {
        #expect {
            _ = try PostgresLocation(url: url)
        } throws: { error in
            (error as? PatronError)?.message.contains(problem) == true
        }
    }

    @Test func placeholdersAreNumberedOutsideQuotedText() {
        #expect(PostgresSession.numberPlaceholders("SELECT ? , '?' || ? FROM t WHERE a = ? AND \"b?\" = 1") == "SELECT $1 , '?' || $2 FROM t WHERE a = $3 AND \"b?\" = 1")
        #expect(PostgresSession.numberPlaceholders("UPDATE t SET x = 'it''s ?' WHERE id = ?") == "UPDATE t SET x = 'it''s ?' WHERE id = $1")
    }
}
