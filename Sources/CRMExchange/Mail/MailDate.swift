import Foundation

/// The Date header (RFC 5322 section 3.3, with the obsolete forms mailers
/// still send): `Tue, 1 Jul 2003 10:52:37 +0200`, without weekday or
/// seconds, two-digit years, zone names (GMT, UT, EST, PDT, …) and a
/// comment such as `(CEST)`. Nil when it cannot be read.
public enum MailDate {
    static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    static let zones: [String: Int] = [
        "ut": 0, "utc": 0, "gmt": 0, "z": 0, "edt": -4, "est": -5, "cdt": -5, "cst": -6, "mdt": -6, "mst": -7, "pdt": -7, "pst": -8,
    ]

    public static func parse(_ header: String) -> Date? {
        // Comments out, then words; a comma after the weekday is a separator.
        var text = ""
        var depth = 0
        for ch in header {
            if ch == "(" { depth += 1; continue }
            if ch == ")" { depth = max(0, depth - 1); continue }
            if depth == 0 { text.append(ch == "," ? " " : ch) }
        }
        var words = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map { String($0).lowercased() }
        if let first = words.first, first.first?.isLetter == true { words.removeFirst() }
        guard words.count >= 4, let day = Int(words[0]), (1...31).contains(day),
              let month = months.firstIndex(of: String(words[1].prefix(3))), var year = Int(words[2]) else { return nil }
        if words[2].count <= 2 { year += year < 50 ? 2000 : 1900 } else if words[2].count == 3 { year += 1900 }
        guard (1900...9999).contains(year) else { return nil }
        let time = words[3].split(separator: ":").map { Int($0) }
        guard (2...3).contains(time.count), time.allSatisfy({ $0 != nil }) else { return nil }
        let (hour, minute, second) = (time[0]!, time[1]!, time.count == 3 ? time[2]! : 0)
        guard (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second) else { return nil }
        var offset = 0
        if words.count > 4 {
            let zone = words[4]
            if let sign = zone.first, sign == "+" || sign == "-", zone.count == 5, let hhmm = Int(zone.dropFirst()) {
                offset = (hhmm / 100 * 3600 + hhmm % 100 * 60) * (sign == "-" ? -1 : 1)
            } else if let hours = zones[zone] {
                offset = hours * 3600
            }
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard let utc = calendar.date(from: DateComponents(year: year, month: month + 1, day: day, hour: hour, minute: minute,
                                                            second: min(second, 59))) else { return nil }
        return utc.addingTimeInterval(TimeInterval(-offset))
    }
}
