#!/usr/bin/env python3
"""Writes Swift value types with protobuf-c codecs for the messages, enums and services of a proto file.

Reads a descriptor set (protoc --descriptor_set_out) and, for the named .proto file, prints a Swift file
to stdout:
  - one `ProtoMessage` struct per message (nested messages and enums become nested types): proto3
    scalars, strings, bytes, enums, sub-messages, repeated fields and oneofs, converted to and from the
    protoc-c structs of COtklikProto;
  - one Swift enum per proto enum (a top-level one inside the `Wire` namespace), with an `unrecognized(Int32)` case so that a value added by a newer
    peer decodes, survives a re-encode and can be shown; `name` is the value's proto name without the
    enum's prefix, in lower case (`CASE_STATE_IN_REVIEW` -> `in_review`), the word the CLI prints;
  - one enum per service naming its methods as typed `Method`, `ServerStreamingMethod` or
    `ClientStreamingMethod` values (ProtoMessage.swift has the client and server helpers for each).
Maps are not used by the contract and are refused, as is any field type not listed above.
Called by scripts/generate-proto; its output is committed.

Usage: gen-swift-codecs.py DESCRIPTOR_SET FILE.proto [--transport]
  --transport: the transport's envelope (otklik/rpc/v1/rpc.proto), generated into OtklikRPC with its
  types prefixed `Envelope` (EnvelopeRequest, EnvelopeResponse, EnvelopeStatus, EnvelopeAny, ...).
"""
import sys

from google.protobuf import descriptor_pb2

F = descriptor_pb2.FieldDescriptorProto
SWIFT_KEYWORDS = {"default", "in", "is", "as", "for", "if", "else", "switch", "case", "return", "class", "struct",
                  "protocol", "extension", "func", "var", "let", "import", "self", "Self", "true", "false", "nil",
                  "where", "while", "repeat", "break", "continue", "operator", "init", "deinit", "subscript", "static",
                  "private", "public", "internal", "fileprivate", "throws", "throw", "try", "catch", "guard", "defer",
                  "do", "inout", "associatedtype", "typealias", "enum", "super", "any", "some", "Type", "open"}
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


def upper_snake(name):
    return snake(name).upper()


def camel(name, first_upper=False):
    parts = [p for p in name.lower().split("_") if p] if name.isupper() else name.split("_")
    head = parts[0]
    text = (head[:1].upper() + head[1:] if first_upper else head) + "".join(
        "ID" if p == "id" else p[:1].upper() + p[1:] for p in parts[1:])
    return f"`{text}`" if text in SWIFT_KEYWORDS else text


def bare(name):
    return name.strip("`")


class Types:
    """Every message and enum of the descriptor set by full proto name: its Swift and C names."""

    def __init__(self, files, prefixes):
        self.swift, self.ctype, self.cprefix, self.kind = {}, {}, {}, {}
        for f in files.file:
            package = f.package
            cpkg = "__".join(p[:1].upper() + p[1:] for p in package.split("."))
            ppkg = "__".join(package.split("."))
            for m in f.message_type:
                self.add_message(package, [], m, cpkg, ppkg)
                if package in prefixes:
                    # The transport's envelope: `Request`, `Response` and `Any` would shadow Swift's and
                    # the transport's own names, so its types carry a prefix (EnvelopeRequest, ...).
                    self.swift["." + package + "." + m.name] = prefixes[package] + m.name
            for e in f.enum_type:
                self.add(package, [e.name], cpkg, ppkg, "enum")
                # Top-level enums live in the `Wire` namespace: the domain (OtklikCore) has types of the
                # same names (Role, CaseState, EventKind, ...) and both are used side by side.
                self.swift["." + package + "." + e.name] = "Wire." + e.name

    def add(self, package, path, cpkg, ppkg, kind):
        full = "." + package + "." + ".".join(path)
        self.swift[full] = ".".join(path)
        self.ctype[full] = cpkg + "__" + "__".join(path)
        self.cprefix[full] = ppkg + "__" + "__".join(snake(p) for p in path)
        self.kind[full] = kind

    def add_message(self, package, outer, m, cpkg, ppkg):
        path = outer + [m.name]
        self.add(package, path, cpkg, ppkg, "message")
        for nested in m.nested_type:
            if nested.options.map_entry:
                raise SystemExit(f"gen-swift-codecs: {m.name}: maps are not supported")
            self.add_message(package, path, nested, cpkg, ppkg)
        for e in m.enum_type:
            self.add(package, path + [e.name], cpkg, ppkg, "enum")


def indent(lines, by=4):
    return [(" " * by + line) if line else line for line in lines]


def enum_code(full, enum, types):
    name = types.swift[full].split(".")[-1]
    prefix = upper_snake(name) + "_"
    cases = []
    for value in enum.value:
        if value.number < 0:
            raise SystemExit(f"gen-swift-codecs: {name}.{value.name}: negative enum values are not supported")
        stripped = value.name[len(prefix):] if value.name.startswith(prefix) else value.name
        cases.append((camel(stripped.lower()), stripped.lower(), value.number))
    lines = [f"/// `{full[1:]}`; a value this build does not know (a newer peer's) is `unrecognized`.",
             f"public enum {name}: WireEnum {{"]
    lines += [f"    case {swift}" for swift, _, _ in cases]
    lines += ["    case unrecognized(Int32)", "",
              "    /// The known values, in the proto's order.",
              f"    public static let known: [{name}] = [{', '.join('.' + bare(s) for s, _, _ in cases)}]", "",
              "    public init(rawValue: Int32) {", "        switch rawValue {"]
    lines += [f"        case {number}: self = .{bare(swift)}" for swift, _, number in cases]
    lines += ["        default: self = .unrecognized(rawValue)", "        }", "    }", "",
              "    public var rawValue: Int32 {", "        switch self {"]
    lines += [f"        case .{bare(swift)}: {number}" for swift, _, number in cases]
    lines += ["        case .unrecognized(let value): value", "        }", "    }", "",
              "    /// The proto name without the enum's prefix, in lower case; an unrecognized value is its number.",
              "    public var name: String {", "        switch self {"]
    lines += [f"        case .{bare(swift)}: \"{word}\"" for swift, word, _ in cases]
    lines += ["        case .unrecognized(let value): String(value)", "        }", "    }", "",
              "    public var description: String { name }", "",
              "    /// The value named `name` (as `name` spells it), or nil.",
              "    public init?(name: String) {",
              "        guard let value = Self.known.first(where: { $0.name == name }) else { return nil }",
              "        self = value", "    }", "}"]
    return lines


def field_code(field, types, message_full):
    """Property declaration, decode lines and encode lines of a field outside any oneof."""
    swift = camel(field.name)
    plain = bare(swift)
    cname = field.name
    repeated = field.label == F.LABEL_REPEATED
    if field.type == F.TYPE_STRING:
        if repeated:
            return ([f"public var {swift}: [String] = []"],
                    [f"{plain} = ProtobufC.strings(m.{cname}, count: m.n_{cname})"],
                    [f"m.n_{cname} = {plain}.count", f"m.{cname} = arena.strings({plain})"])
        return ([f"public var {swift}: String = \"\""], [f"{plain} = ProtobufC.string(m.{cname})"],
                [f"m.{cname} = arena.string({plain})"])
    if field.type == F.TYPE_BYTES and not repeated:
        return ([f"public var {swift}: [UInt8] = []"], [f"{plain} = ProtobufC.bytes(m.{cname})"],
                [f"m.{cname} = arena.bytes({plain})"])
    if field.type == F.TYPE_BOOL and not repeated:
        return ([f"public var {swift}: Bool = false"], [f"{plain} = m.{cname} != 0"],
                [f"m.{cname} = {plain} ? 1 : 0"])
    if field.type in SCALARS:
        stype, zero = SCALARS[field.type]
        if repeated:
            return ([f"public var {swift}: [{stype}] = []"],
                    [f"{plain} = ProtobufC.array(m.{cname}, count: m.n_{cname})"],
                    [f"m.n_{cname} = {plain}.count", f"m.{cname} = arena.array({plain})"])
        return ([f"public var {swift}: {stype} = {zero}"], [f"{plain} = m.{cname}"], [f"m.{cname} = {plain}"])
    if field.type == F.TYPE_ENUM:
        sub = types.swift[field.type_name]
        ctype = types.ctype[field.type_name]
        if repeated:
            return ([f"public var {swift}: [{sub}] = []"],
                    [f"{plain} = ProtobufC.array(m.{cname}, count: m.n_{cname}).map {{ "
                     f"{sub}(rawValue: Int32(truncatingIfNeeded: $0.rawValue)) }}"],
                    [f"m.n_{cname} = {plain}.count",
                     f"m.{cname} = arena.array({plain}.map {{ {ctype}(rawValue: .init(truncatingIfNeeded: $0.rawValue)) }})"])
        return ([f"public var {swift}: {sub} = {sub}(rawValue: 0)"],
                [f"{plain} = {sub}(rawValue: Int32(truncatingIfNeeded: m.{cname}.rawValue))"],
                [f"m.{cname} = {ctype}(rawValue: .init(truncatingIfNeeded: {plain}.rawValue))"])
    if field.type == F.TYPE_MESSAGE:
        sub = types.swift[field.type_name]
        if repeated:
            return ([f"public var {swift}: [{sub}] = []"],
                    [f"{plain} = try ProtobufC.messages(m.{cname}, count: m.n_{cname}) {{ item throws(RPCError) in "
                     f"try {sub}(c: item) }}"],
                    [f"m.n_{cname} = {plain}.count",
                     f"m.{cname} = arena.boxes({plain}.map {{ $0.cMessage(arena) }})"])
        return ([f"public var {swift}: {sub}?"],
                [f"if let value = m.{cname} {{ {plain} = try {sub}(c: value.pointee) }}"],
                [f"if let {plain} {{ m.{cname} = arena.box({plain}.cMessage(arena)) }}"])
    raise SystemExit(f"gen-swift-codecs: {message_full}.{field.name}: field type {field.type} is not supported")


def oneof_member(field, types, message_full):
    """Swift type, decode expression and encode assignment of one member of a oneof."""
    cname = field.name
    if field.label == F.LABEL_REPEATED:
        raise SystemExit(f"gen-swift-codecs: {message_full}.{field.name}: repeated oneof member")
    if field.type == F.TYPE_STRING:
        return "String", f"ProtobufC.string(m.{cname})", lambda v: f"m.{cname} = arena.string({v})"
    if field.type == F.TYPE_BYTES:
        return "[UInt8]", f"ProtobufC.bytes(m.{cname})", lambda v: f"m.{cname} = arena.bytes({v})"
    if field.type == F.TYPE_BOOL:
        return "Bool", f"m.{cname} != 0", lambda v: f"m.{cname} = {v} ? 1 : 0"
    if field.type in SCALARS:
        return SCALARS[field.type][0], f"m.{cname}", lambda v: f"m.{cname} = {v}"
    if field.type == F.TYPE_ENUM:
        sub, ctype = types.swift[field.type_name], types.ctype[field.type_name]
        return (sub, f"{sub}(rawValue: Int32(truncatingIfNeeded: m.{cname}.rawValue))",
                lambda v: f"m.{cname} = {ctype}(rawValue: .init(truncatingIfNeeded: {v}.rawValue))")
    if field.type == F.TYPE_MESSAGE:
        sub = types.swift[field.type_name]
        return (sub, f"try {sub}(c: m.{cname}!.pointee)",
                lambda v: f"m.{cname} = arena.box({v}.cMessage(arena))")
    raise SystemExit(f"gen-swift-codecs: {message_full}.{field.name}: field type {field.type} is not supported")


def message_code(full, message, types, files):
    name = types.swift[full].split(".")[-1]
    ctype = types.ctype[full]
    prefix = types.cprefix[full]
    nested = "." in types.swift[full].removeprefix("Wire.")  # Outer.Inner
    props, decode, encode, nested_code = [], [], [], []
    for inner in message.enum_type:
        nested_code += enum_code(full + "." + inner.name, inner, types) + [""]
    for inner in message.nested_type:
        nested_code += message_code(full + "." + inner.name, inner, types, files).split("\n") + [""]
    oneofs = {}
    for field in message.field:
        if field.HasField("oneof_index") and not field.proto3_optional:
            oneofs.setdefault(field.oneof_index, []).append(field)
            continue
        p, d, e = field_code(field, types, full)
        props += p
        decode += d
        encode += e
    for index, members in sorted(oneofs.items()):
        oneof = message.oneof_decl[index].name
        enum_name = camel(oneof, first_upper=True)
        prop = camel(oneof)
        plain = bare(prop)
        nested_code += [f"/// The `{oneof}` oneof.", f"public enum {enum_name}: Sendable, Equatable {{"]
        decode_cases, encode_cases = [], []
        for field in members:
            stype, expr, assign = oneof_member(field, types, full)
            case = camel(field.name)
            nested_code.append(f"    case {case}({stype})")
            if field.type == F.TYPE_MESSAGE:
                decode_cases += [f"case {field.number} where m.{field.name} != nil: {plain} = .{bare(case)}({expr})"]
            else:
                decode_cases += [f"case {field.number}: {plain} = .{bare(case)}({expr})"]
            encode_cases += [f"case .{bare(case)}(let value):",
                             f"    m.{oneof}_case = .init(rawValue: {field.number})",
                             f"    {assign('value')}"]
        nested_code += ["}", ""]
        props.append(f"public var {prop}: {enum_name}?")
        decode += [f"switch m.{oneof}_case.rawValue {{"] + decode_cases + [f"default: {plain} = nil", "}"]
        encode += [f"switch {plain} {{"] + encode_cases + ["case nil: break", "}"]
    uses_m = bool(decode)
    lines = [f"public struct {name}: ProtoMessage, Equatable {{",
             f"    public static let protoName = \"{full[1:]}\"",
             f"    public static var cDescriptor: ProtobufCMessageDescriptor {{ {prefix}__descriptor }}", ""]
    lines += indent(nested_code)
    lines += indent(props)
    if nested:
        unpack = [f"        self = try ProtobufC.unpack(bytes, as: Self.protoName, descriptor: Self.cDescriptor) {{",
                  f"            (m: UnsafeMutablePointer<{ctype}>) throws(RPCError) in try Self(c: m.pointee)",
                  "        }"]
    else:
        unpack = ["        self = try ProtobufC.unpack(",
                  f"            bytes, as: Self.protoName, unpack: {prefix}__unpack, free: {prefix}__free_unpacked",
                  "        ) {", "            m throws(RPCError) in try Self(c: m.pointee)", "        }"]
    # A public memberwise initializer whose every parameter has the field's default, so `X()` and
    # `X(state: .serving, version: "1")` both read naturally at call sites.
    params = []
    for prop in props:
        decl = prop[len("public var "):]
        label, rest = decl.split(": ", 1)
        params.append((label, rest if " = " in rest else rest + " = nil"))
    if params:
        init = ["", "    public init(", *[f"        {label}: {rest}," for label, rest in params]]
        init[-1] = init[-1].rstrip(",")
        init += ["    ) {", *[f"        self.{bare(label)} = {bare(label)}" for label, _ in params], "    }", ""]
    else:
        init = ["", "    public init() {}", ""]
    lines += init + [
              "    public init(serializedBytes bytes: [UInt8]) throws(RPCError) {"] + unpack + ["    }", "",
              f"    init(c m: {ctype}) throws(RPCError) {{" if uses_m else f"    init(c _: {ctype}) throws(RPCError) {{",
              "        self.init()"]
    lines += indent(decode, 8)
    lines += ["    }", "",
              f"    func cMessage(_ arena: CArena) -> {ctype} {{",
              f"        var m = {ctype}()",
              f"        {prefix}__init(&m)"]
    lines += indent(encode, 8)
    if not encode:
        lines.append("        _ = arena")
    lines += ["        return m", "    }", "",
              "    public func serializedBytes() -> [UInt8] {",
              "        let arena = CArena()",
              "        var m = cMessage(arena)",
              "        return ProtobufC.pack(&m)",
              "    }", "}"]
    return "\n".join(lines)


def service_code(package, service, types):
    lines = [f"/// `{package}.{service.name}`.", f"public enum {service.name}Service {{",
             f"    public static let service = \"{package}.{service.name}\""]
    for method in service.method:
        request = types.swift[method.input_type]
        response = types.swift[method.output_type]
        if method.client_streaming and method.server_streaming:
            raise SystemExit(f"gen-swift-codecs: {service.name}.{method.name}: bidirectional streams are not supported")
        kind = ("ClientStreamingMethod" if method.client_streaming
                else "ServerStreamingMethod" if method.server_streaming else "Method")
        lines.append(f"    public static let {camel(method.name[:1].lower() + method.name[1:])} = "
                     f"{kind}<{request}, {response}>(service: service, name: \"{method.name}\")")
    lines.append("}")
    return "\n".join(lines)


def main():
    descriptor_set, wanted = sys.argv[1], sys.argv[2]
    # --transport: the file is generated into OtklikRPC itself (no import of it), its types prefixed.
    transport = "--transport" in sys.argv[3:]
    files = descriptor_pb2.FileDescriptorSet.FromString(open(descriptor_set, "rb").read())
    proto = next(f for f in files.file if f.name == wanted)
    types = Types(files, {proto.package: "Envelope"} if transport else {})
    # InternalImportsByDefault: a module the public declarations show is imported `public` (the
    # descriptors' C type resolves through COtklikProto, RPCError is OtklikRPC's).
    if proto.message_type:
        imports = ["public import COtklikProto", "import CProtobufC"] + ([] if transport else ["public import OtklikRPC"])
    else:
        imports = []
    parts = [f"// Generated by scripts/gen-swift-codecs.py from {proto.name}; do not edit.", *imports, ""]
    if proto.enum_type:
        parts += ["extension Wire {"]
        parts += ["\n".join(indent(enum_code(f".{proto.package}.{e.name}", e, types))) + "\n" for e in proto.enum_type]
        parts += ["}", ""]
    parts += [message_code(f".{proto.package}.{m.name}", m, types, files) + "\n" for m in proto.message_type]
    parts += [service_code(proto.package, s, types) + "\n" for s in proto.service]
    sys.stdout.write("\n".join(parts))


main()
