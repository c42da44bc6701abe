/// The product's version, reported by `Admin.Health` and `otklik --version`.
public enum OtklikVersion {
    public static let current = "0.1.0"
}
