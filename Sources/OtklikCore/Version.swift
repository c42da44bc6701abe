/// The product's version, reported by `Admin.Health` and `otklik --version`.
public enum OtklikVersion {
    public static let current = "0.1.0"
    /// The database schema this build writes (the newest of the store's numbered migrations;
    /// StoreTests checks the two agree).
    public static let schema = 23

    /// `--version`: the version, the commit the build was made from, the schema.
    public static func describe(commit: String) -> String {
        "\(current) (commit \(commit), database schema \(schema))"
    }
}
