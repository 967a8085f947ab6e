import Foundation

/// A date format of the screen's (`yyyy`, `MM`, `MMM`, `d`, `dd`, `EEE`,
/// `HH`, `mm`, quoted text and punctuation) spelled from a Gregorian
/// calendar's fields, exactly as a DateFormatter with the en_US_POSIX locale
/// spells it, but without one: making the first DateFormatter loads ICU's
/// locale data (see `TimeFormat.spell`). nil for a format with any other
/// field, which then goes through a DateFormatter.
struct GregorianSpelling {
    enum Part: Equatable {
        case text(String)
        case year4, month2, monthShort, day, day2, weekdayShort, hour2, minute2
    }

    let parts: [Part]

    /// Before this (1 January 1600 UTC) the spelling goes through a
    /// DateFormatter: the Julian–Gregorian change of 1582 is the formatter's
    /// business, and no date the screen shows is that old.
    static let earliest = Date(timeIntervalSince1970: -11_676_096_000)

    static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    init?(_ format: String) {
        var parts: [Part] = []
        var chars = Array(format)[...]
        func literal(_ text: String) {
            if case .text(let before)? = parts.last { parts[parts.count - 1] = .text(before + text) } else { parts.append(.text(text)) }
        }
        while let c = chars.first {
            if c == "'" {
                // Quoted text; '' is an apostrophe, inside quotes or out.
                chars = chars.dropFirst()
                if chars.first == "'" { literal("'"); chars = chars.dropFirst(); continue }
                var text = ""
                while let q = chars.first {
                    chars = chars.dropFirst()
                    if q == "'" {
                        if chars.first == "'" { text.append("'"); chars = chars.dropFirst(); continue }
                        break
                    }
                    text.append(q)
                }
                literal(text)
            } else if c.isASCII, c.isLetter {
                let run = chars.prefix { $0 == c }
                chars = chars.dropFirst(run.count)
                switch (c, run.count) {
                case ("y", 4): parts.append(.year4)
                case ("M", 2): parts.append(.month2)
                case ("M", 3): parts.append(.monthShort)
                case ("d", 1): parts.append(.day)
                case ("d", 2): parts.append(.day2)
                case ("E", 3): parts.append(.weekdayShort)
                case ("H", 2): parts.append(.hour2)
                case ("m", 2): parts.append(.minute2)
                default: return nil
                }
            } else {
                literal(String(c))
                chars = chars.dropFirst()
            }
        }
        self.parts = parts
    }

    func spell(_ date: Date, in calendar: Calendar) -> String {
        let f = calendar.dateComponents([.year, .month, .day, .hour, .minute, .weekday], from: date)
        func padded(_ value: Int?, _ width: Int) -> String {
            let digits = String(value ?? 0)
            return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
        }
        var text = ""
        for part in parts {
            switch part {
            case .text(let t): text += t
            case .year4: text += padded(f.year, 4)
            case .month2: text += padded(f.month, 2)
            case .monthShort: text += Self.months[((f.month ?? 1) - 1 + 12) % 12]
            case .day: text += String(f.day ?? 0)
            case .day2: text += padded(f.day, 2)
            case .weekdayShort: text += Self.weekdays[((f.weekday ?? 1) - 1 + 7) % 7]
            case .hour2: text += padded(f.hour, 2)
            case .minute2: text += padded(f.minute, 2)
            }
        }
        return text
    }
}
