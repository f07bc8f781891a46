import Foundation
import PatronStore

/// A staff account as the console sees it: the stored account with its role as a `StaffRole`.
public struct StaffAccount: Sendable, Hashable {
    /// The account id.
    public let id: Int64
    /// The sign-in name.
    public let username: String
    /// The name people see.
    public let displayName: String
    /// The role; an unknown stored role reads as read-only.
    public let role: StaffRole
    /// When the account was disabled.
    public let disabledAt: Date?
    /// When it was created.
    public let createdAt: Date

    /// The console's view of a stored account.
    public init(_ record: StaffAccountRecord) {
        id = record.id
        username = record.username
        displayName = record.displayName
        role = StaffRole(rawValue: record.role) ?? .readOnly
        disabledAt = record.disabledAt
        createdAt = record.createdAt
    }
}
