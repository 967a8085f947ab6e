import Foundation

/// One value of a field of a listing for scripts (`crm contacts --json`, …).
public indirect enum ListingValue: Equatable, Sendable {
    case null
    case text(String)
    case integer(Int64)
    case list([ListingValue])
    case object([ListingField])

    /// What JSONSerialization writes for it.
    public var json: Any {
        switch self {
        case .null: NSNull()
        case .text(let text): text
        case .integer(let n): NSNumber(value: n)
        case .list(let items): items.map(\.json)
        case .object(let fields): ListingRecord(fields).jsonObject
        }
    }

    /// The value in one CSV or table cell: null is empty; a list joins its
    /// items with ", " (an object item is its first field: an email's
    /// address, a phone's number), which no address, number or tag holds.
    public var cell: String {
        switch self {
        case .null: ""
        case .text(let text): text
        case .integer(let n): String(n)
        case .list(let items): items.map(\.cell).joined(separator: ", ")
        case .object(let fields): fields.first?.value.cell ?? ""
        }
    }

    /// `.text`, or null for nil.
    public static func text(_ text: String?) -> ListingValue { text.map { .text($0) } ?? .null }
    /// `.integer`, or null for nil.
    public static func integer(_ n: Int64?) -> ListingValue { n.map { .integer($0) } ?? .null }
    public static func integer(_ n: Int?) -> ListingValue { n.map { .integer(Int64($0)) } ?? .null }
}

public struct ListingField: Equatable, Sendable {
    public let name: String
    public let value: ListingValue
    public init(_ name: String, _ value: ListingValue) { self.name = name; self.value = value }
}

/// One record of a listing: its fields in the order of its schema, which is
/// the order of the CSV columns.
public struct ListingRecord: Equatable, Sendable {
    public let fields: [ListingField]
    public init(_ fields: [ListingField]) { self.fields = fields }

    public var names: [String] { fields.map(\.name) }
    public var jsonObject: [String: Any] {
        Dictionary(fields.map { ($0.name, $0.value.json) }, uniquingKeysWith: { first, _ in first })
    }
    public var cells: [String] { fields.map(\.value.cell) }

    public subscript(name: String) -> ListingValue? { fields.first { $0.name == name }?.value }
}
