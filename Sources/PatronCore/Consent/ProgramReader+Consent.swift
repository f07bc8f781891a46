import Foundation

extension ProgramReader {
    /// Reads the `consent` section (`ConsentSettings`): `doubleOptIn: true|false`.
    static func readConsent(_ node: ConfigNode, _ reader: ConfigReader) -> ConsentSettings? {
        guard let map = reader.mapping(node, at: "consent", allowed: ["doubleOptIn"]) else { return nil }
        let before = reader.issues.count
        let doubleOptIn = reader.bool(map, "doubleOptIn", at: "consent", default: false)
        return reader.issues.count == before ? ConsentSettings(doubleOptIn: doubleOptIn) : nil
    }
}
