/// Strict JSON decoding: a domain value arriving as JSON refuses fields it does not know, so a misspelt field
/// (`"ammount"`) is an error instead of a silently missing value. The API and the JSON Lines importer decode the same
/// domain types, so they refuse the same input.
extension Decoder {
    /// Throws `DecodingError.dataCorrupted` at the first key of this object that is not one of `keys`.
    public func refuseUnknownKeys<Keys: CodingKey & CaseIterable>(_ keys: Keys.Type) throws {
        guard let container = try? container(keyedBy: AnyCodingKey.self) else { return }
        let known = Set(Keys.allCases.map(\.stringValue))
        for key in container.allKeys.sorted(by: { $0.stringValue < $1.stringValue }) where !known.contains(key.stringValue) {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: codingPath + [key],
                    debugDescription: "unknown field; expected one of \(known.sorted().joined(separator: ", "))"))
        }
    }
}

/// Any key of a JSON object.
struct AnyCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
