public import COtklikProto

/// A protobuf message as a Swift value with its protobuf-c codec, as scripts/gen-swift-codecs.py
/// generates them: the transport's envelope here (Generated/rpc.pb.swift), the service contract in
/// OtklikAPI.
public protocol ProtoMessage: Sendable {
    /// The full proto name, e.g. `otklik.v1.HealthResponse`; used in error messages.
    static var protoName: String { get }
    /// protoc-c's descriptor of the message, for `WireBounds`.
    static var cDescriptor: ProtobufCMessageDescriptor { get }
    init(serializedBytes: [UInt8]) throws(RPCError)
    func serializedBytes() -> [UInt8]
}
