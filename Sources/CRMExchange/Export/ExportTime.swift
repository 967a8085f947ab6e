import CRMCore
import Foundation

/// Times in export files: ISO 8601 in UTC with its offset written as "Z"
/// ("2026-11-29T15:48:36Z"), which spreadsheets, `date -d` and every JSON
/// reader take, and which sorts as text. Formatted by hand from the whole
/// seconds the database keeps, so the same row gives the same bytes anywhere
/// (no locale, no time zone setting, no formatter state).
public enum ExportTime {
    public static func iso(_ date: Date) -> String {
        let (y, mo, d, h, mi, s) = civil(date.wholeSecondsSince1970)
        return "\(pad(y, 4))-\(pad(mo, 2))-\(pad(d, 2))T\(pad(h, 2)):\(pad(mi, 2)):\(pad(s, 2))Z"
    }

    /// vCard 4's REV form (RFC 6350 timestamp): "20261129T154836Z".
    public static func basic(_ date: Date) -> String {
        let (y, mo, d, h, mi, s) = civil(date.wholeSecondsSince1970)
        return "\(pad(y, 4))\(pad(mo, 2))\(pad(d, 2))T\(pad(h, 2))\(pad(mi, 2))\(pad(s, 2))Z"
    }

    static func pad(_ n: Int64, _ width: Int) -> String {
        let digits = String(n.magnitude)
        return (n < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// Whole seconds since 1970 to a proleptic Gregorian date and time
    /// (Date.civil(fromDays:)), exact for any second count a file may hold.
    static func civil(_ seconds: Int64) -> (Int64, Int64, Int64, Int64, Int64, Int64) {
        var days = seconds / 86_400
        var rest = seconds % 86_400
        if rest < 0 { rest += 86_400; days -= 1 }
        let (y, m, d) = Date.civil(fromDays: days)
        return (y, m, d, rest / 3600, rest % 3600 / 60, rest % 60)
    }
}
