import Foundation

/// A staff account as stored: who may sign in to the console, with which role. The password hash is never part of
/// this value (`StaffCredentials` carries it for the sign-in check alone).
public struct StaffAccountRecord: Sendable, Hashable, Codable {
    /// The account id.
    public var id: Int64
    /// The sign-in name: unique, 1 to 64 characters without spaces.
    public var username: String
    /// The name people see.
    public var displayName: String
    /// The role's name (`owner`, `marketer`, `service`, `analyst`, `read-only`); the console maps it to its permissions.
    public var role: String
    /// When the account was disabled; a disabled account cannot sign in and has no sessions.
    public var disabledAt: Date?
    /// When the account was created.
    public var createdAt: Date

    /// Makes an account value.
    public init(id: Int64, username: String, displayName: String, role: String, disabledAt: Date?, createdAt: Date) {
        self.id = id
        self.username = username
        self.displayName = displayName
        self.role = role
        self.disabledAt = disabledAt
        self.createdAt = createdAt
    }
}

/// An account with its password hash, read only to check a password at sign-in.
public struct StaffCredentials: Sendable, Hashable {
    /// The account.
    public var account: StaffAccountRecord
    /// The bcrypt hash of its password.
    public var passwordHash: String

    /// Makes a value.
    public init(account: StaffAccountRecord, passwordHash: String) {
        self.account = account
        self.passwordHash = passwordHash
    }
}

/// A new console session: the token itself stays with the browser, the database keeps its SHA-256 hash.
public struct NewStaffSession: Sendable, Hashable {
    /// SHA-256 of the session token, 64 lower-case hex digits.
    public var tokenHash: String
    /// The account signed in.
    public var accountId: Int64
    /// The token every form of this session must carry.
    public var csrfToken: String
    /// When it was created.
    public var createdAt: Date
    /// When it ends whatever happens (the absolute lifetime).
    public var expiresAt: Date

    /// Makes a value.
    public init(tokenHash: String, accountId: Int64, csrfToken: String, createdAt: Date, expiresAt: Date) {
        self.tokenHash = tokenHash
        self.accountId = accountId
        self.csrfToken = csrfToken
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}

/// A live console session with its (enabled) account.
public struct StaffSessionRecord: Sendable, Hashable {
    /// The account signed in.
    public var account: StaffAccountRecord
    /// The token every form of this session must carry.
    public var csrfToken: String
    /// When it was created.
    public var createdAt: Date
    /// When it was last used (kept to the minute: a request within a minute of the last one does not write).
    public var lastSeenAt: Date
    /// When it ends whatever happens.
    public var expiresAt: Date

    /// Makes a value.
    public init(account: StaffAccountRecord, csrfToken: String, createdAt: Date, lastSeenAt: Date, expiresAt: Date) {
        self.account = account
        self.csrfToken = csrfToken
        self.createdAt = createdAt
        self.lastSeenAt = lastSeenAt
        self.expiresAt = expiresAt
    }
}

/// Failed sign-ins counted for throttling: by the username tried and by the client address it came from.
public struct SignInFailures: Sendable, Hashable {
    /// Failures for this username since the instant asked about.
    public var byUsername: Int
    /// Failures from this address since the instant asked about.
    public var byAddress: Int
    /// The oldest of the failures counted (either kind); the wait ends a window after it.
    public var oldest: Date?

    /// Makes a value.
    public init(byUsername: Int, byAddress: Int, oldest: Date?) {
        self.byUsername = byUsername
        self.byAddress = byAddress
        self.oldest = oldest
    }
}
