/// The networks a connector serves (issue 29, docs/CONNECTORS.md), named as the profile names them,
/// and how a message a connector registered is known: its external id's prefix (`vk:-G_P_C`,
/// `tg:CHAT/ID`). A connector publishes replies only to the messages it registered, whose external id
/// says where to answer. Одноклассники (no verifiable comment API) and Max (no comments) have none.
public enum NetworkConnector: String, Sendable, CaseIterable {
    case vk
    case telegram = "tg"

    /// The profile's network it serves.
    public var network: String { rawValue }

    /// The prefix of the external ids of the messages it registers.
    public var externalPrefix: String {
        switch self {
        case .vk: "vk:"
        case .telegram: "tg:"
        }
    }

    /// The connector of `network`, nil for a network without one.
    public init?(network: String) {
        self.init(rawValue: network)
    }
}
