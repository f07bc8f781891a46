import PatronCore

extension Store {
    /// The member a person or a URL names: an id (`42`), or any identity as KIND:VALUE (`email:ann@example.com`).
    /// Throws `invalidInput` for a malformed identity and `notFound` when nobody has it.
    public func member(reference: String) async throws -> Member {
        if let id = Int64(reference) {
            guard let found = try await member(id: id) else { throw PatronError(.notFound, "no member has id \(id)") }
            return found
        }
        let identity = try Identity(reference: reference)
        guard let found = try await member(identity: identity) else { throw PatronError(.notFound, "no member has identity \(identity)") }
        return found
    }
}
