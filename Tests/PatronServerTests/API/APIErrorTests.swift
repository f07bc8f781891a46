import Foundation
import Hummingbird
import PatronCore
@testable import PatronServer
import Testing

@Suite struct APIErrorTests {
    @Test func everyDomainCodeHasAStatusAndOnlyStorageFailuresAre500() {
        for code in PatronError.Code.allCases {
            let status = APIError.status(of: code).code
            #expect((400..<600).contains(status))
            #expect((status >= 500) == [.storage, .busy, .noProgram, .unavailable].contains(code), "\(code) → \(status)")
        }
    }

    @Test func anUnavailableDatabaseIs503WithRetryAfter() {
        let error = APIError(PatronError(.unavailable, "PostgreSQL cannot be reached"))
        #expect(error.status == .serviceUnavailable && error.headers[.retryAfter] == "1" && error.code == "unavailable")
    }

    @Test func aFullWriteQueueIs503WithRetryAfter() throws {
        let error = APIError(PatronError(.busy, "the write queue is full"))
        #expect(error.status == .serviceUnavailable && error.headers[.retryAfter] == "1")
        let body = try #require(try JSONSerialization.jsonObject(with: error.body) as? [String: [String: Any]])
        #expect(body["error"]?["code"] as? String == "busy")
    }

    @Test func anUnexpectedErrorSaysNothingAboutItsInsides() throws {
        struct Secret: Error { let connection = "postgres://user:password@db" }
        let answer = ErrorMiddleware<BasicRequestContext>.apiError(for: Secret())
        #expect(answer.status == .internalServerError && !String(decoding: answer.body, as: UTF8.self).contains("password"))
    }
}
