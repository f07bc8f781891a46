import Foundation
import HummingbirdBcrypt
import PatronCore
import PatronServices
import PatronStore

/// The staff-account use cases the command line (`patron users`) and the console share: create, list, disable, each
/// change audited with its actor; and the password check of sign-in, throttled.
public struct StaffAccounts: Sendable {
    let context: ServiceContext
    let bcryptCost: UInt8

    /// The shortest password accepted.
    public static let minimumPasswordLength = 10

    /// Accounts over `context`'s store; new passwords are hashed with bcrypt at `bcryptCost`.
    public init(context: ServiceContext, bcryptCost: UInt8 = 11) {
        self.context = context
        self.bcryptCost = bcryptCost
    }

    /// Creates an account (`staff.create`, audited by `actor`). A password shorter than 10 characters, or one that is
    /// the username, is refused.
    public func create(username: String, displayName: String?, role: StaffRole, password: String, actor: String) async throws -> StaffAccount {
        let name = (displayName?.trimmingCharacters(in: .whitespacesAndNewlines)).flatMap { $0.isEmpty ? nil : $0 } ?? username
        try Self.checkPassword(password, username: username)
        let cost = bcryptCost
        // bcrypt is deliberately slow (about 0.1 s at cost 11); it runs on the calling task, once per sign-in or account.
        let hash = Bcrypt.hash(password, cost: cost)
        let now = context.clock.now()
        let record = try await context.store.createStaffAccount(username: username, displayName: name, role: role.rawValue, passwordHash: hash, at: now)
        try await AuditTrail(store: context.store).record(
            "staff.create", subject: "staff:\(record.username)", actor: actor, before: nil, after: AuditedAccount(record), at: now)
        return StaffAccount(record)
    }

    /// Every account, by username.
    public func list() async throws -> [StaffAccount] { try await context.store.staffAccounts().map(StaffAccount.init) }

    /// Disables an account and ends its sessions at once (`staff.disable`, audited by `actor`).
    public func disable(username: String, actor: String) async throws -> StaffAccount {
        let now = context.clock.now()
        let before = try await context.store.staffAccounts().first { $0.username == username }
        let record = try await context.store.disableStaffAccount(username: username, at: now)
        if before?.disabledAt == nil {
            try await AuditTrail(store: context.store).record(
                "staff.disable", subject: "staff:\(record.username)", actor: actor, before: before.map(AuditedAccount.init),
                after: AuditedAccount(record), at: now)
        }
        return StaffAccount(record)
    }

    /// Why a password is refused, or nothing.
    public static func checkPassword(_ password: String, username: String) throws {
        guard password.count >= minimumPasswordLength else {
            throw PatronError(.invalidInput, "password: must have at least \(minimumPasswordLength) characters (it has \(password.count))")
        }
        guard password.lowercased() != username.lowercased() else { throw PatronError(.invalidInput, "password: must not be the username") }
        guard password.utf8.count <= 72 else {
            throw PatronError(.invalidInput, "password: must be at most 72 bytes (bcrypt reads no further)")
        }
        try FreeText.check(password, field: "password")
    }

    /// The outcome of a sign-in attempt.
    public enum SignInResult: Sendable, Hashable {
        /// The password is right and the account enabled.
        case signedIn(StaffAccount)
        /// Wrong username or password (which of the two is not said).
        case refused
        /// Too many failures for this username or address; try again after the instant.
        case throttled(until: Date)
    }

    /// Checks `password` for `username` from `address`, counting failures: after `limit` failures in `window` for
    /// the username or from the address, every attempt is refused until the oldest failure leaves the window, without
    /// checking the password.
    public func signIn(username: String, password: String, address: String, limit: Int = 5, window: Duration = .seconds(900)) async throws
        -> SignInResult
    {
        let now = context.clock.now()
        let since = now.addingTimeInterval(-window.seconds)
        let failures = try await context.store.signInFailures(username: username, address: address, since: since)
        if failures.byUsername >= limit || failures.byAddress >= limit {
            let until = (failures.oldest ?? now).addingTimeInterval(window.seconds)
            return .throttled(until: until)
        }
        let credentials = try await context.store.staffCredentials(username: username)
        // A missing account costs a bcrypt check too, so timing does not tell which usernames exist.
        let hash = credentials?.passwordHash ?? Self.decoyHash
        let matches = Bcrypt.verify(password, hash: hash)
        guard let credentials, matches, credentials.account.disabledAt == nil else {
            try await context.store.recordSignInFailure(username: username, address: address, at: now)
            return .refused
        }
        try await context.store.clearSignInFailures(username: username)
        return .signedIn(StaffAccount(credentials.account))
    }

    /// A bcrypt hash of a random text, checked against when the username does not exist.
    static let decoyHash = Bcrypt.hash(Tokens.random(), cost: 11)
}

/// An account in the audit trail: never its password hash.
struct AuditedAccount: Encodable {
    let username: String
    let displayName: String
    let role: String
    let disabled: Bool

    init(_ record: StaffAccountRecord) {
        username = record.username
        displayName = record.displayName
        role = record.role
        disabled = record.disabledAt != nil
    }
}
