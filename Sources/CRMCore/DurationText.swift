/// Reads the durations people type for a call or meeting: minutes ("25"),
/// mm:ss ("12:30"), h:mm:ss ("1:05:00") or with units ("5m", "1h30m",
/// "90s", "1h 5m 30s", as `crm log --duration` gets them), from 0 up to
/// `Interaction.maxDurationSeconds`. Each part is range-checked before any
/// arithmetic, so no input can overflow.
public enum DurationText {
    static let forms = "minutes (25), mm:ss (12:30), h:mm:ss (1:05:00) or 5m, 1h30m, 90s"

    /// "at most 24 hours (1440 minutes, 24:00:00)"
    static var limit: String {
        let max = Interaction.maxDurationSeconds
        return "at most \(max / 3600) hours (\(max / 60) minutes, \(max / 3600):00:00)"
    }

    /// Seconds; nil for an empty text (no duration).
    public static func parse(_ text: String, field: String = "duration") throws -> Int? {
        let typed = text.trimmingCharacters(in: .whitespaces)
        let t = LocalDigits.ascii(typed)
        if t.isEmpty { return nil }
        let notADuration = FieldError(field, "\"\(typed)\" is not a duration; expected \(forms)")
        let tooLong = FieldError(field, "\"\(typed)\" is too long; \(limit)")
        if t.contains(where: { $0.isLetter }) {
            guard let seconds = withUnits(t.lowercased()) else { throw notADuration }
            guard seconds <= Interaction.maxDurationSeconds else { throw tooLong }
            return seconds
        }
        let parts = t.split(separator: ":", omittingEmptySubsequences: false)
        guard (1...3).contains(parts.count),
              parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }) else { throw notADuration }
        // Leading zeros aside, a part of more than 6 digits is over the limit
        // whatever it stands for (and could not be held in an Int if long enough).
        let values = parts.map { $0.drop { $0 == "0" } }
        guard values.allSatisfy({ $0.count <= 6 }) else { throw tooLong }
        let n = values.map { Int($0.isEmpty ? "0" : String($0)) ?? 0 }
        let seconds: Int
        switch n.count {
        case 1:
            seconds = n[0] * 60
        case 2:
            guard n[1] < 60 else { throw FieldError(field, "\"\(typed)\": seconds go up to 59; expected \(forms)") }
            seconds = n[0] * 60 + n[1]
        default:
            guard n[1] < 60, n[2] < 60 else {
                throw FieldError(field, "\"\(typed)\": minutes and seconds go up to 59; expected \(forms)")
            }
            seconds = n[0] * 3600 + n[1] * 60 + n[2]
        }
        guard seconds <= Interaction.maxDurationSeconds else { throw tooLong }
        return seconds
    }

    /// "1h30m", "5m", "90s", "1h 5m 30s", "2 min": each unit once, in the
    /// order h, m, s; nil when it is not that. Values are capped before
    /// multiplying, so nothing overflows.
    static func withUnits(_ text: String) -> Int? {
        let units: [(names: [String], seconds: Int)] = [(["h", "hr", "hrs", "hour", "hours"], 3600),
                                                        (["m", "min", "mins", "minute", "minutes"], 60),
                                                        (["s", "sec", "secs", "second", "seconds"], 1)]
        var rest = Substring(text.trimmingCharacters(in: .whitespaces))
        var total = 0
        var next = 0
        var any = false
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, digits.count <= 7, let value = Int(digits) else { return nil }
            rest = rest.dropFirst(digits.count).drop { $0 == " " }
            let word = rest.prefix { $0.isLetter }
            rest = rest.dropFirst(word.count).drop { $0 == " " }
            guard let index = units[next...].firstIndex(where: { $0.names.contains(String(word)) }) else { return nil }
            total += value * units[index].seconds
            next = index + 1
            any = true
            if next == units.count && !rest.isEmpty { return nil }
        }
        return any ? total : nil
    }
}
