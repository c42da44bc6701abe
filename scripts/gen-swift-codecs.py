#!/usr/bin/env python3
"""Writes Swift value types with protobuf-c codecs for the messages and services of proto files.

Reads a descriptor set (protoc --descriptor_set_out) and, for each named .proto file, prints a Swift
file to stdout: one `ProtoMessage` struct per message (proto3 scalars, strings, bytes, sub-messages,
repeated fields), converting to and from the protoc-c structs of COtklikProto, and one enum per
service naming its methods. Called by scripts/generate-proto; its output is committed.

Usage: gen-swift-codecs.py DESCRIPTOR_SET FILE.proto
"""
import sys

from google.protobuf import descriptor_pb2

F = descriptor_pb2.FieldDescriptorProto
SWIFT_KEYWORDS = {"default", "in", "is", "as", "for", "if", "else", "switch", "case", "return", "class", "struct",
                  "protocol", "extension", "func", "var", "let", "import", "self", "Self", "true", "false", "nil",
                  "where", "while", "repeat", "break", "continue", "operator", "init", "deinit", "subscript", "static",
                  "private", "public", "internal", "fileprivate", "throws", "throw", "try", "catch", "guard", "defer",
                  "do", "inout", "associatedtype", "typealias", "enum", "super", "any", "some", "Type"}
SCALARS = {
    F.TYPE_INT64: ("Int64", "0"), F.TYPE_INT32: ("Int32", "0"), F.TYPE_UINT32: ("UInt32", "0"),
    F.TYPE_UINT64: ("UInt64", "0"), F.TYPE_DOUBLE: ("Double", "0"), F.TYPE_FLOAT: ("Float", "0"),
    F.TYPE_SINT64: ("Int64", "0"), F.TYPE_SINT32: ("Int32", "0"),
}


def snake(name):
    """protoc-c's lower-case form of a CamelCase name: WhoAmIRequest -> who_am_irequest."""
    out = []
    for i, c in enumerate(name):
        if c.isupper() and i > 0 and name[i - 1].islower():
            out.append("_")
        out.append(c.lower())
    return "".join(out)


def camel(name):
    parts = name.split("_")
    text = parts[0] + "".join("ID" if p == "id" else p[:1].upper() + p[1:] for p in parts[1:])
    return f"`{text}`" if text in SWIFT_KEYWORDS else text


def bare(name):
    return name.strip("`")


def c_type(package, message):
    return "__".join(p[:1].upper() + p[1:] for p in package.split(".")) + "__" + message


def c_prefix(package, message):
    return "__".join(package.split(".")) + "__" + snake(message)


def message_code(package, message):
    name = message.name
    ctype = c_type(package, name)
    prefix = c_prefix(package, name)
    props, decode, encode = [], [], []
    for field in message.field:
        swift = camel(field.name)
        plain = bare(swift)
        cname = field.name
        repeated = field.label == F.LABEL_REPEATED
        if field.type == F.TYPE_STRING:
            if repeated:
                props.append(f"    public var {swift}: [String] = []")
                decode.append(f"        {plain} = ProtobufC.strings(m.{cname}, count: m.n_{cname})")
                encode.append(f"        m.n_{cname} = {plain}.count\n        m.{cname} = arena.strings({plain})")
            else:
                props.append(f"    public var {swift}: String = \"\"")
                decode.append(f"        {plain} = ProtobufC.string(m.{cname})")
                encode.append(f"        m.{cname} = arena.string({plain})")
        elif field.type == F.TYPE_BYTES and not repeated:
            props.append(f"    public var {swift}: [UInt8] = []")
            decode.append(f"        {plain} = ProtobufC.bytes(m.{cname})")
            encode.append(f"        m.{cname} = arena.bytes({plain})")
        elif field.type == F.TYPE_BOOL and not repeated:
            props.append(f"    public var {swift}: Bool = false")
            decode.append(f"        {plain} = m.{cname} != 0")
            encode.append(f"        m.{cname} = {plain} ? 1 : 0")
        elif field.type in SCALARS:
            stype, zero = SCALARS[field.type]
            if repeated:
                props.append(f"    public var {swift}: [{stype}] = []")
                decode.append(f"        {plain} = ProtobufC.array(m.{cname}, count: m.n_{cname})")
                encode.append(f"        m.n_{cname} = {plain}.count\n        m.{cname} = arena.array({plain})")
            else:
                props.append(f"    public var {swift}: {stype} = {zero}")
                decode.append(f"        {plain} = m.{cname}")
                encode.append(f"        m.{cname} = {plain}")
        elif field.type == F.TYPE_MESSAGE:
            sub = field.type_name.split(".")[-1]
            if repeated:
                props.append(f"    public var {swift}: [{sub}] = []")
                decode.append(f"        {plain} = try ProtobufC.messages(m.{cname}, count: m.n_{cname}) {{ item throws(RPCError) in try {sub}(c: item) }}")
                encode.append(f"        m.n_{cname} = {plain}.count\n        m.{cname} = arena.boxes({plain}.map {{ $0.cMessage(arena) }})")
            else:
                props.append(f"    public var {swift}: {sub}?")
                decode.append(f"        if let value = m.{cname} {{ {plain} = try {sub}(c: value.pointee) }}")
                encode.append(f"        if let {plain} {{ m.{cname} = arena.box({plain}.cMessage(arena)) }}")
        else:
            raise SystemExit(f"gen-swift-codecs: {name}.{field.name}: field type {field.type} is not supported")
    uses_m = bool(decode)
    lines = [f"public struct {name}: ProtoMessage, Equatable {{",
             f"    public static let protoName = \"{package}.{name}\"",
             f"    public static var cDescriptor: ProtobufCMessageDescriptor {{ {prefix}__descriptor }}", ""]
    lines += props
    lines += ["", "    public init() {}", "",
              "    public init(serializedBytes bytes: [UInt8]) throws(RPCError) {",
              f"        self = try ProtobufC.unpack(bytes, as: Self.protoName, unpack: {prefix}__unpack, free: {prefix}__free_unpacked) {{",
              "            m throws(RPCError) in try Self(c: m.pointee)",
              "        }",
              "    }", "",
              f"    init(c m: {ctype}) throws(RPCError) {{" if uses_m else f"    init(c _: {ctype}) throws(RPCError) {{",
              "        self.init()"]
    lines += decode
    lines += ["    }", "",
              f"    func cMessage(_ arena: CArena) -> {ctype} {{",
              f"        var m = {ctype}()",
              f"        {prefix}__init(&m)"]
    lines += encode
    if not encode:
        lines.append("        _ = arena")
    lines += ["        return m", "    }", "",
              "    public func serializedBytes() -> [UInt8] {",
              "        let arena = CArena()",
              "        var m = cMessage(arena)",
              "        return ProtobufC.pack(&m)",
              "    }", "}"]
    return "\n".join(lines)


def service_code(package, service):
    lines = [f"/// `{package}.{service.name}`.", f"public enum {service.name}Service {{",
             f"    public static let service = \"{package}.{service.name}\""]
    for method in service.method:
        request = method.input_type.split(".")[-1]
        response = method.output_type.split(".")[-1]
        lines.append(f"    public static let {camel(method.name[:1].lower() + method.name[1:])} = "
                     f"Method<{request}, {response}>(service: service, name: \"{method.name}\")")
    lines.append("}")
    return "\n".join(lines)


def main():
    descriptor_set, wanted = sys.argv[1], sys.argv[2]
    files = descriptor_pb2.FileDescriptorSet.FromString(open(descriptor_set, "rb").read())
    proto = next(f for f in files.file if f.name == wanted)
    parts = [f"// Generated by scripts/gen-swift-codecs.py from {proto.name}; do not edit.",
             "import COtklikProto", "import CProtobufC", "import OtklikRPC", ""]
    parts += [message_code(proto.package, m) + "\n" for m in proto.message_type]
    parts += [service_code(proto.package, s) + "\n" for s in proto.service]
    sys.stdout.write("\n".join(parts))


main()
