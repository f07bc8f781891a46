/// The version of Patron: `patron --version` prints it and the API's `/health` may report it. Change it here only.
public enum PatronVersion {
    /// The release, as semantic version text.
    public static let current = "0.9.0"
}
