import Foundation

/// One old or new value in the audit log, as the JSON value it is stored
/// as: a list of tags is a list, an owner id a number, no value null.
public enum AuditValue: Sendable, Hashable, Codable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case text(String)
    case list([AuditValue])

    /// The value for JSONSerialization (`crm audit --json`).
    public var jsonObject: Any {
        switch self {
        case .null: NSNull()
        case .bool(let b): b
        case .int(let i): i
        case .double(let d): d
        case .text(let s): s
        case .list(let items): items.map(\.jsonObject)
        }
    }

    /// A short human text: "—" for no value, lists joined with commas.
    public var display: String {
        switch self {
        case .null: "—"
        case .bool(let b): b ? "yes" : "no"
        case .int(let i): "\(i)"
        case .double(let d): "\(d)"
        case .text(let s): s.isEmpty ? "—" : s
        case .list(let items): items.isEmpty ? "—" : items.map(\.display).joined(separator: ", ")
        }
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let i = try? c.decode(Int64.self) { self = .int(i) }
        else if let d = try? c.decode(Double.self) { self = .double(d) }
        else if let s = try? c.decode(String.self) { self = .text(s) }
        else { self = .list(try c.decode([AuditValue].self)) }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .int(let i): try c.encode(i)
        case .double(let d): try c.encode(d)
        case .text(let s): try c.encode(s)
        case .list(let items): try c.encode(items)
        }
    }

    /// The stored `changes` object (field → [old, new]) read back; an
    /// unreadable one reads as no changes rather than failing the trail.
    public static func changes(fromJSON text: String) -> [String: AuditChange] {
        guard let pairs = try? JSONDecoder().decode([String: [AuditValue]].self, from: Data(text.utf8)) else { return [:] }
        return pairs.mapValues { AuditChange($0.first ?? .null, $0.count > 1 ? $0[1] : .null) }
    }

    /// `changes` as the stored JSON object, keys sorted.
    public static func json(of changes: [String: AuditChange]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(changes.mapValues { [$0.old, $0.new] }), as: UTF8.self)
    }

    /// The id this value names, when it is one (an owner, a company).
    public var int64: Int64? { if case .int(let i) = self { i } else { nil } }
}

/// A field's value before and after one change.
public struct AuditChange: Sendable, Hashable {
    public let old: AuditValue
    public let new: AuditValue
    public init(_ old: AuditValue, _ new: AuditValue) { self.old = old; self.new = new }
}
