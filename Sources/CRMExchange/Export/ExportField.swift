import CRMCore
import Foundation

/// One cell of an export: CSV writes it as text, JSON as its own type.
public enum ExportField: Hashable, Sendable {
    case text(String)
    case integer(Int64)
    /// A decimal written exactly as given ("1234.50"): money in major units.
    case decimal(String)
    case null

    public var csv: String {
        switch self {
        case .text(let s), .decimal(let s): s
        case .integer(let n): String(n)
        case .null: ""
        }
    }

    public static func optional(_ text: String?) -> ExportField { text.map(ExportField.text) ?? .null }
    public static func optional(_ id: Int64?) -> ExportField { id.map(ExportField.integer) ?? .null }
    public static func time(_ date: Date) -> ExportField { .text(ExportTime.iso(date)) }
    public static func time(_ date: Date?) -> ExportField { date.map { .text(ExportTime.iso($0)) } ?? .null }

    /// Money in major units with the currency's own decimals and no grouping:
    /// "1234.50" for EUR, "1234" for JPY, what a spreadsheet reads as a number.
    public static func amount(_ money: Money) -> ExportField {
        .decimal(money.formatted(withCode: false).replacingOccurrences(of: ",", with: ""))
    }
}
