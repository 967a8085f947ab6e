/// Reads the durations people type for a call or meeting: minutes ("25"),
/// mm:ss ("12:30") or h:mm:ss ("1:05:00"), from 0 up to
/// `Interaction.maxDurationSeconds`. Each part is range-checked before any
/// arithmetic, so no input can overflow.
public enum DurationText {
    static let forms = "minutes (25), mm:ss (12:30) or h:mm:ss (1:05:00)"

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
}
