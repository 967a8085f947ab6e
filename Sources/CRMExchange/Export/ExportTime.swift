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

    /// Days since 1970 to a proleptic Gregorian date (Howard Hinnant's
    /// civil_from_days), exact for any Int64 second count a file may hold.
    static func civil(_ seconds: Int64) -> (Int64, Int64, Int64, Int64, Int64, Int64) {
        var days = seconds / 86_400
        var rest = seconds % 86_400
        if rest < 0 { rest += 86_400; days -= 1 }
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        return (y, m, d, rest / 3600, rest % 3600 / 60, rest % 60)
    }
}
