import Foundation

/// Where a contact stands with us: lead → prospect → customer → former customer.
public enum Lifecycle: String, CaseIterable, Sendable, Codable {
    case lead, prospect, customer, former

    public var title: String {
        switch self {
        case .lead: "Lead"
        case .prospect: "Prospect"
        case .customer: "Customer"
        case .former: "Former customer"
        }
    }

    public static func parse(_ text: String) -> Lifecycle? {
        let t = text.lowercased().trimmingCharacters(in: .whitespaces)
        if t == "former customer" || t == "former_customer" { return .former }
        return Lifecycle(rawValue: t) ?? allCases.first { $0.title.lowercased().hasPrefix(t) && !t.isEmpty }
    }
}
