import CRMCore
import CRMViewModels
import Foundation

/// A report row as one line of plain text, so a test can list the figures
/// it worked out by hand: money as "1000.00 EUR" (≈ when converted),
/// shares with four decimals, "-" for an undefined figure.
enum ReportSheetText {
    static func value(_ v: ReportValue) -> String {
        switch v {
        case .text(let s): return s
        case .count(let n): return "\(n)"
        case .money(let m, let converted):
            let scale = pow(10, Double(m.currency.minorDigits))
            return String(format: "%.2f %@%@", Double(m.minorUnits) / scale, m.currency.code, converted ? "≈" : "")
        case .percent(let p): return p.map { String(format: "%.4f", $0) } ?? "-"
        case .days(let d): return d.map { String(format: "%.1fd", $0) } ?? "-"
        case .number(let n): return n.map { String(format: "%.2f", $0) } ?? "-"
        case .date(let d):
            let f = DateFormatter()
            f.locale = Locale(identifier: "en_US_POSIX")
            f.timeZone = TimeZone(identifier: "UTC")
            f.dateFormat = "yyyy-MM-dd"
            return f.string(from: d)
        case .month(let y, let m): return "\(y)-\(m)"
        case .empty: return ""
        }
    }

    static func rows(_ section: ReportSection?) -> [String] {
        (section?.rows ?? []).map { row in (row.isTotal ? "= " : "") + row.values.map(value).joined(separator: " | ") }
    }
}
