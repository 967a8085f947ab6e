import Foundation

/// What a typed due date was understood as: the instant, and the same instant
/// in words ("Fri 27 Nov 2026 09:00") so the user can check it before saving.
public struct DueDate: Equatable, Sendable {
    public let date: Date
    public let description: String
}

/// A due date that could not be read; `message` names what was typed and
/// gives examples of what is accepted.
public struct DueDateError: Error, Equatable, Sendable, CustomStringConvertible {
    public let message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}

/// Reads the due dates people type: `today 15:00`, `tomorrow`, `fri`, `+3d`,
/// `+2w`, `+4h`, `next week`, `next month`, `2026-11-27`, `2026-11-27 14:30`,
/// `27 nov`, `6 azar 1405`. Everything is read in `calendar` (Gregorian or
/// Persian) and its time zone, so "tomorrow 09:00" is 09:00 on the wall clock
/// even across a daylight-saving change. A day without a time means
/// `defaultTime` (09:00): a follow-up "tomorrow" is due at the start of the
/// working day, not at midnight.
public struct DueDateParser: Sendable {
    public let calendar: Calendar
    public let defaultTime: (hour: Int, minute: Int)
    /// Reading when something happened rather than when it is due: a bare
    /// weekday ("mon 9:30") or a day and month without a year ("27 nov")
    /// means the latest such day up to today, not the next one.
    public var looksBack = false
    /// Reading the end of a range: "next week" and "next month" mean their
    /// last day, not their first (QA 41 #7: a follow-ups list "to next
    /// week" stopped on the Monday).
    public var periodEnd = false

    public init(calendar: Calendar, defaultTime: (hour: Int, minute: Int) = (9, 0)) {
        self.calendar = calendar
        self.defaultTime = defaultTime
    }

    public var isPersian: Bool { calendar.identifier == .persian }

    /// Examples of accepted input, in this calendar (for hints and errors).
    public var examples: String {
        let iso = isPersian ? "1405-09-06 14:30" : "2026-11-27 14:30"
        let named = isPersian ? "6 azar" : "27 nov"
        // With the Persian calendar, one example in Persian words too.
        let persian = isPersian ? ", فردا ساعت ۱۰" : ""
        // Short enough to be read whole after an error at 120 columns and
        // in a prompt's hint (QA 40 #8: the list was cut inside its date).
        return "tomorrow 15:00, fri, +3d, next week, \(named), \(iso)\(persian)"
    }

    public func parse(_ input: String, now: Date) -> Result<DueDate, DueDateError> {
        // Persian and Arabic-Indic digits read as ASCII ones ("۱۴۰۵-۰۹-۱۰", "۱۰ آذر").
        let text = LocalDigits.ascii(input).trimmingCharacters(in: .whitespaces).lowercased()
        guard !text.isEmpty else { return .failure(DueDateError(message: "a due date is required; try \(examples)")) }
        // "10m" is minutes to someone typing a duration and months to
        // someone planning: asked, never guessed (a call logged "-10m" once
        // landed ten months back).
        if text.range(of: #"^([+-]|in )?\s*\d+\s*m( ago)?$"#, options: .regularExpression) != nil {
            let bare = text.replacingOccurrences(of: #"m( ago)?$"#, with: "", options: .regularExpression)
                .trimmingCharacters(in: .whitespaces)
            let suffix = text.hasSuffix(" ago") ? " ago" : ""
            return .failure(DueDateError(message: "\"\(input)\": minutes or months? type \(bare)min\(suffix) or \(bare)mo\(suffix)"))
        }
        guard let date = read(text, now: now) else {
            // "۱۲ شب", "۲ شب": midnight and the small hours are said "at
            // night" in Persian, but which day is meant is anyone's guess:
            // asked, with what to type (QA 30 #8).
            if let m = text.range(of: #"(^|\s)(\d{1,2})(:\d{2})? ?(شب)$"#, options: .regularExpression),
               let hour = Int(text[m].filter(\.isNumber).prefix(2)), hour == 12 || hour < 6 {
                return .failure(DueDateError(message: """
                    "\(input)": which night? type the time on the clock with the day it falls on, such as \
                    فردا ۰۰:۰۰ (tomorrow 00:00) or امروز ۲۳:۵۹ (today 23:59)
                    """))
            }
            // A year of five digits or an offset of more than 10,000 units is
            // a date too far out, not an unreadable one: say the range.
            if text.range(of: #"^([+-]|in )?\d{5,}\s*[a-z]+( ago)?$|^\d{5,}[-/.]"#, options: .regularExpression) != nil {
                return .failure(DueDateError(message: "\"\(input)\" is out of range; expected \(DateLimits.typedRangeDescription(in: calendar))"))
            }
            if let why = impossibleDay(text, now: now) { return .failure(DueDateError(message: "\"\(input)\": \(why); try \(examples)")) }
            return .failure(DueDateError(message: "can't read \"\(input)\" as a date; try \(examples)"))
        }
        // "27 nov 99999" or "+10000y" read fine but are no due date anyone
        // means, and far enough out no formatter can show them.
        guard DateLimits.isTypable(date, in: calendar.timeZone) else {
            return .failure(DueDateError(message: "\"\(input)\" is out of range; expected \(DateLimits.typedRangeDescription(in: calendar))"))
        }
        return .success(DueDate(date: date, description: describe(date)))
    }

    /// "Fri 27 Nov 2026 09:00" (Persian: "Fri 6 Azar 1405 09:00").
    public func describe(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.calendar = calendar
        f.timeZone = calendar.timeZone
        f.dateFormat = "EEE d MMM yyyy HH:mm"
        return f.string(from: date)
    }

    // MARK: grammar

    private func read(_ typed: String, now: Date) -> Date? {
        let text = Self.spelledShort(typed)
        if text == "now" { return now }
        if let iso = readISO(text) { return iso }
        // Split off a trailing time ("tomorrow 15:00", "fri 3pm", "mon at 9",
        // "فردا ساعت ۱۰", "دوشنبه ۹ صبح", "۵:۳۰ عصر").
        var words = text.split(separator: " ").map(String.init)
        var time: (hour: Int, minute: Int)?
        // A part of the day after a time says which half of the day it is
        // ("۵ عصر" is 17:00); alone it is a time of its own ("tomorrow morning").
        var part: String?
        if words.count >= 2, Self.partOfDay[Self.foldedPersian(words[words.count - 1])] != nil,
           Self.readTime(words[words.count - 2]) != nil || Self.bareHour(words[words.count - 2]) != nil {
            part = Self.foldedPersian(words.removeLast())
        }
        if let last = words.last, let t = Self.readTime(last) {
            time = t
            words.removeLast()
        } else if words.count >= 2, Self.atWords.contains(words[words.count - 2]),
                  let t = Self.readTime(words[words.count - 1]) ?? Self.bareHour(words[words.count - 1]) {
            time = t
            words.removeLast(2)
        } else if part != nil, let last = words.last, let t = Self.bareHour(last) {
            time = t
            words.removeLast()
        } else if words.count >= 2, let t = Self.bareHour(words[words.count - 1]),
                  case let day = Self.persianPhrases[Self.foldedPersian(words[words.count - 2])] ?? words[words.count - 2],
                  Self.dayWords.contains(day) || Self.weekdays[day] != nil {
            // "tomorrow 9", "fri 14": a whole hour after a day word, as after
            // "at" (QA 45 KB #8); after a month ("dec 9") the number is the day.
            time = t
            words.removeLast()
        }
        if let part, let t = time {
            guard let adjusted = Self.within(part, t) else { return nil }
            time = adjusted
        }
        if let last = words.last, Self.atWords.contains(last) { words.removeLast() }
        var partWord: String?
        if let last = words.last, let t = Self.partOfDay[Self.foldedPersian(last)] {
            time = time ?? t
            partWord = last
            words.removeLast()
        }
        // "tomorrow at noon": the "at" before a part of the day.
        if let last = words.last, Self.atWords.contains(last) { words.removeLast() }
        // "فردا", "سه‌شنبه", "هفته بعد": the Persian words read as the English
        // ones; "دوشنبه گذشته" is last Monday, "دوشنبه بعد" the next one.
        if let english = Self.persianPhrases[Self.foldedPersian(words.joined())] {
            words = english.split(separator: " ").map(String.init)
        } else if words.count >= 2, let word = words.last.map(Self.foldedPersian),
                  Self.persianLast.contains(word) || Self.persianNext.contains(word),
                  let english = Self.persianPhrases[Self.foldedPersian(words.dropLast().joined())], Self.weekdays[english] != nil {
            words = Self.persianLast.contains(word) ? ["last", english] : [english]
        }
        let phrase = words.joined(separator: " ")
        let today = calendar.startOfDay(for: now)

        if phrase.isEmpty {
            // A bare time is today at that time.
            guard let time else { return nil }
            return at(today, time)
        }
        if let offset = readOffset(phrase) {
            switch offset {
            case .exact(let seconds):
                return time == nil ? now.addingTimeInterval(seconds) : nil
            case .days(let component, let amount):
                guard let day = calendar.date(byAdding: component, value: amount, to: today) else { return nil }
                return at(day, time ?? defaultTime)
            }
        }
        // "last night", "last evening": yesterday, at the part of the day (QA 30 #8).
        if phrase == "last", partWord != nil { return calendar.date(byAdding: .day, value: -1, to: today).flatMap { at($0, time ?? defaultTime) } }
        if words.count == 1, let day = readDotted(words[0], now: today) { return at(day, time ?? defaultTime) }
        switch phrase {
        case "tonight": return at(today, time ?? Self.partOfDay["night"]!)
        case "today", "tod": return at(today, time ?? defaultTime)
        case "tomorrow", "tmr", "tom": return calendar.date(byAdding: .day, value: 1, to: today).flatMap { at($0, time ?? defaultTime) }
        case "yesterday": return calendar.date(byAdding: .day, value: -1, to: today).flatMap { at($0, time ?? defaultTime) }
        case "day before yesterday": return calendar.date(byAdding: .day, value: -2, to: today).flatMap { at($0, time ?? defaultTime) }
        case "day after tomorrow": return calendar.date(byAdding: .day, value: 2, to: today).flatMap { at($0, time ?? defaultTime) }
        case "next week":
            // The first day of the next week, by the calendar's first weekday.
            guard let start = calendar.dateInterval(of: .weekOfYear, for: now)?.start,
                  let next = calendar.date(byAdding: .day, value: periodEnd ? 13 : 7, to: start) else { return nil }
            return at(calendar.startOfDay(for: next), time ?? defaultTime)
        case "end of month", "end of the month", "eom":
            // The month's last day (QA 45 KB #8: refused before).
            guard let end = calendar.dateInterval(of: .month, for: now)?.end,
                  let day = calendar.date(byAdding: .day, value: -1, to: end) else { return nil }
            return at(calendar.startOfDay(for: day), time ?? defaultTime)
        case "next month":
            guard let start = calendar.dateInterval(of: .month, for: now)?.start,
                  let next = calendar.date(byAdding: .month, value: periodEnd ? 2 : 1, to: start),
                  let day = calendar.date(byAdding: .day, value: periodEnd ? -1 : 0, to: next) else { return nil }
            return at(calendar.startOfDay(for: day), time ?? defaultTime)
        default: break
        }
        var dayWords = words
        let previous = dayWords.first == "last"
        if dayWords.first == "next" || dayWords.first == "on" || previous { dayWords.removeFirst() }
        if dayWords.count == 1, let weekday = Self.weekdays[dayWords[0]] {
            // The next such day after today: "fri" on a Friday is a week away.
            let current = calendar.component(.weekday, from: today)
            var ahead = (weekday - current + 7) % 7
            if previous {
                ahead = -((current - weekday + 7) % 7)  // "last mon" on a Monday is a week ago
                if ahead == 0 { ahead = -7 }
            } else if looksBack {
                ahead = -((current - weekday + 7) % 7)  // "mon" on a Monday is today
            } else if ahead == 0 { ahead = 7 }
            return calendar.date(byAdding: .day, value: ahead, to: today).flatMap { at($0, time ?? defaultTime) }
        }
        if let day = readNamedDate(words, now: today) { return at(day, time ?? defaultTime) }
        return nil
    }

    private enum Offset {
        case exact(TimeInterval)
        case days(Calendar.Component, Int)
    }

    /// `+3d`, `3d`, `in 3 days`, `+2w`, `+1m`, `+4h`, `+30min`; `-3d` and
    /// `3 days ago` for the past (date filters).
    private func readOffset(_ phrase: String) -> Offset? {
        var p = phrase
        var sign = 1
        if p.hasPrefix("in ") { p = String(p.dropFirst(3)) }
        if p.hasSuffix(" ago") { p = String(p.dropLast(4)); sign = -1 }
        if p.hasPrefix("+") { p = String(p.dropFirst()) } else if p.hasPrefix("-") { p = String(p.dropFirst()); sign = -sign }
        p = p.replacingOccurrences(of: " ", with: "")
        let digits = p.prefix { $0.isASCII && $0.isNumber }
        guard let magnitude = Int(digits), magnitude <= 10_000 else { return nil }
        let n = sign * magnitude
        switch String(p.dropFirst(digits.count)) {
        case "d", "day", "days": return .days(.day, n)
        case "w", "wk", "week", "weeks": return .days(.day, 7 * n)
        case "mo", "month", "months": return .days(.month, n)
        case "y", "year", "years": return .days(.year, n)
        case "h", "hr", "hour", "hours": return .exact(Double(n) * 3600)
        case "min", "mins", "minute", "minutes": return .exact(Double(n) * 60)
        default: return nil
        }
    }

    /// The calendar a written year-month-day is read in: with the Persian
    /// calendar a year below 1700 is a Jalali year (1405-09-06), a larger
    /// one Gregorian (2026-12-31), so dates pasted from elsewhere still work.
    public func calendar(forISOYear year: Int) -> Calendar {
        isPersian && year >= 1700 ? other(.gregorian) : calendar
    }

    /// `identifier`'s calendar in this one's time zone and week.
    private func other(_ identifier: Calendar.Identifier) -> Calendar {
        var other = Calendar(identifier: identifier)
        other.timeZone = calendar.timeZone
        other.firstWeekday = calendar.firstWeekday
        return other
    }

    /// `2026-11-27`, `2026-11-27 14:30`, `2026-11-27t14:30:00`, `1405/09/10`, with an
    /// optional `z` or `+03:30` offset. With the Persian calendar a year
    /// below 1700 is a Jalali year (1405-09-06); a larger one is Gregorian, so
    /// dates pasted from elsewhere still work.
    private func readISO(_ text: String) -> Date? {
        let pattern = #"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[t ](\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*(z|[+-]\d{2}:?\d{2})?$"#
        guard let regex = try? NSRegularExpression(pattern: pattern),
              let m = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) else { return nil }
        func group(_ i: Int) -> String? {
            guard let r = Range(m.range(at: i), in: text) else { return nil }
            return String(text[r])
        }
        guard let year = Int(group(1)!), let month = Int(group(2)!), let day = Int(group(3)!) else { return nil }
        var cal = calendar(forISOYear: year)
        if let zone = group(7) {
            if zone == "z" {
                cal.timeZone = TimeZone(identifier: "UTC")!
            } else {
                let sign = zone.hasPrefix("-") ? -1 : 1
                let digits = zone.dropFirst().replacingOccurrences(of: ":", with: "")
                guard let h = Int(digits.prefix(2)), let mm = Int(digits.suffix(2)),
                      let tz = TimeZone(secondsFromGMT: sign * (h * 3600 + mm * 60)) else { return nil }
                cal.timeZone = tz
            }
        }
        let hour = group(4).flatMap(Int.init) ?? defaultTime.hour
        let minute = group(5).flatMap(Int.init) ?? (group(4) == nil ? defaultTime.minute : 0)
        let second = group(6).flatMap(Int.init) ?? 0
        return Self.exactDate(cal, year: year, month: month, day: day, hour: hour, minute: minute, second: second)
    }

    /// "dec has 31 days" for "32 dec" or "dec 32": a day and a month name
    /// (of either calendar) whose day no such month has, said rather than
    /// "can't read" (QA 40 #8). nil for anything else.
    /// Also with a time after it ("31 apr 10:00"), with a year ("29 feb
    /// 2027": feb 2027 has 28 days), a leap day without one ("29 feb": only
    /// in a leap year, with the next), and written as numbers ("2026-02-30")
    /// (QA 42: these still read "can't read").
    private func impossibleDay(_ text: String, now: Date) -> String? {
        var words = text.split(separator: " ").map(String.init)
        // A time after the day does not make the day possible.
        if words.count > 1, let last = words.last, last.contains(":") || last.hasSuffix("am") || last.hasSuffix("pm") {
            words.removeLast()
        }
        if words.count == 1 {
            let parts = words[0].split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
            guard parts.count == 3, words[0].count >= 8, let y = parts[0], let m = parts[1], let d = parts[2],
                  (1...12).contains(m), let days = daysIn(year: y, month: m), d < 1 || d > days else { return nil }
            return "\(y)-\(m < 10 ? "0" : "")\(m) has \(days) days"
        }
        guard words.count == 2 || words.count == 3 else { return nil }
        let numbers = words.compactMap { Int($0) }
        guard numbers.count == words.count - 1, let day = numbers.first else { return nil }
        guard let name = words.first(where: { Int($0) == nil }) else { return nil }
        let months = isPersian ? Self.persianMonths : Self.gregorianMonths
        guard let m = months[name] ?? months[String(name.prefix(3))] ?? Self.persianScriptMonths[Self.foldedPersian(name)] else { return nil }
        let year = numbers.count == 2 ? numbers[1] : nil
        // The longest the month ever is, or how long it is in the year given.
        let longest = isPersian ? (m <= 6 ? 31 : 30) : [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
        if let year, let days = daysIn(year: year, month: m), day > days, day <= longest {
            return "\(name) \(year) has \(days) days"
        }
        guard day < 1 || day > longest else {
            // A leap day without a year: the next year that has it.
            guard year == nil, let thisYear = calendar.dateComponents([.year], from: now).year,
                  let next = (thisYear...thisYear + 8).first(where: { (daysIn(year: $0, month: m) ?? 0) >= day }), next != thisYear
            else { return nil }
            return "\(name) \(day) comes only in a leap year; say which, e.g. \(day) \(name) \(next)"
        }
        return "\(name) has \(longest) days"
    }

    /// How many days month `month` of `year` has in this calendar.
    private func daysIn(year: Int, month: Int) -> Int? {
        guard let first = calendar.date(from: DateComponents(year: year, month: month, day: 1)) else { return nil }
        return calendar.range(of: .day, in: .month, for: first)?.count
    }

    /// `27 nov`, `nov 27`, `27 nov 2026`, `6 azar 1405`: a month name of the
    /// calendar in use. Without a year, the next such day from today.
    private func readNamedDate(_ words: [String], now today: Date) -> Date? {
        guard words.count == 2 || words.count == 3 else { return nil }
        let months = isPersian ? Self.persianMonths : Self.gregorianMonths
        // A month name in Persian script is a Jalali month whatever the
        // calendar setting: "10 آذر" can mean nothing else.
        var calendar = self.calendar
        var day: Int?, month: Int?, year: Int?
        for (i, w) in words.enumerated() {
            if let n = Int(w) {
                if i == 2 { year = n } else if day == nil { day = n } else { return nil }
            } else if month == nil, w.count >= 3, let mo = months[w] ?? months[String(w.prefix(3))] {
                month = mo
            } else if month == nil, isPersian, w.count >= 3, let mo = Self.gregorianMonths[w] ?? Self.gregorianMonths[String(w.prefix(3))] {
                // "15 dec" with the Persian calendar: an English month name
                // is a Gregorian month, as "10 آذر" is Jalali under Gregorian.
                month = mo
                calendar = other(.gregorian)
            } else if month == nil, let mo = Self.persianScriptMonths[Self.foldedPersian(w)] {
                month = mo
                if !isPersian { calendar = other(.persian) }
            } else {
                return nil
            }
        }
        guard let day, let month else { return nil }
        if let year {
            return Self.exactDate(calendar, year: year, month: month, day: day, hour: 0, minute: 0, second: 0)
        }
        return nearest(month: month, day: day, in: calendar, today: today)
    }

    /// `27.11.2026`, `27.11.26`, `27.11.` or `27.11`: day, month and year as
    /// German and much of Europe write them (QA 30 #8). A two-digit year is
    /// 20yy; a year below 1700 is a Jalali year under the Persian calendar,
    /// as for `readISO`. Without a year, the next such day from today (the
    /// latest one up to today when looking back).
    private func readDotted(_ word: String, now today: Date) -> Date? {
        let pattern = #"^(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})?$|^(\d{1,2})\.(\d{1,2})$"#
        guard let regex = try? NSRegularExpression(pattern: pattern),
              let m = regex.firstMatch(in: word, range: NSRange(word.startIndex..., in: word)) else { return nil }
        func group(_ i: Int) -> Int? { Range(m.range(at: i), in: word).flatMap { Int(word[$0]) } }
        guard let day = group(1) ?? group(4), let month = group(2) ?? group(5) else { return nil }
        if let typed = group(3) {
            let year = typed < 100 ? 2000 + typed : typed
            return Self.exactDate(calendar(forISOYear: year), year: year, month: month, day: day, hour: 0, minute: 0, second: 0)
        }
        return nearest(month: month, day: day, in: calendar, today: today)
    }

    /// A day and month without a year: the next such day from today, or
    /// the latest one up to today when looking back.
    private func nearest(month: Int, day: Int, in calendar: Calendar, today: Date) -> Date? {
        let thisYear = calendar.component(.year, from: today)
        for y in looksBack ? [thisYear, thisYear - 1] : [thisYear, thisYear + 1] {
            if let d = Self.exactDate(calendar, year: y, month: month, day: day, hour: 0, minute: 0, second: 0),
               looksBack ? d <= today : d >= today {
                return d
            }
        }
        return nil
    }

    /// The date with exactly these components; nil when one is out of range
    /// (Foundation would roll 31 Nov over into December).
    static func exactDate(_ cal: Calendar, year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) -> Date? {
        guard (0..<24).contains(hour), (0..<60).contains(minute), (0..<60).contains(second) else { return nil }
        let comps = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        guard let date = cal.date(from: comps) else { return nil }
        let back = cal.dateComponents([.year, .month, .day], from: date)
        guard back.year == year, back.month == month, back.day == day else { return nil }
        return date
    }

    /// `day` (a start of day) at a wall-clock time. In a gap (02:30 on the
    /// night clocks go forward) Foundation moves to the next valid time.
    private func at(_ day: Date, _ time: (hour: Int, minute: Int)) -> Date? {
        calendar.date(bySettingHour: time.hour, minute: time.minute, second: 0, of: day)
    }

    /// `15:00`, `9:30`, `3pm`, `3:30pm`, `15h`.
    static func readTime(_ word: String) -> (hour: Int, minute: Int)? {
        guard let first = word.first, first.isASCII, first.isNumber else { return nil }
        var w = word
        var pm: Bool?
        if w.hasSuffix("am") { pm = false; w.removeLast(2) } else if w.hasSuffix("pm") { pm = true; w.removeLast(2) }
        if pm == nil, w.hasSuffix("h"), let h = Int(w.dropLast()), (0..<24).contains(h) { return (h, 0) }
        let parts = w.split(separator: ":", omittingEmptySubsequences: false)
        guard !w.isEmpty, parts.count <= 2, let h = Int(parts[0]), parts[0].count <= 2 else { return nil }
        let m = parts.count == 2 ? Int(parts[1]) : 0
        guard let m, (0..<60).contains(m), parts.count == 2 ? parts[1].count == 2 : pm != nil else { return nil }
        if let pm {
            guard (1...12).contains(h) else { return nil }
            return ((h % 12) + (pm ? 12 : 0), m)
        }
        guard (0..<24).contains(h) else { return nil }
        return (h, m)
    }

    /// Common spellings said the way the grammar reads them (QA 29 #5):
    /// "۵ pm" → "5pm"; "2026-11-27 at 10" → "2026-11-27 10:00"; "ساعت ۱۰ و
    /// نیم" → ":30" ("و ربع" :15); "۱۰ دقیقه پیش" → "-10min", "۳ روز دیگر"
    /// → "+3d"; "بعد از ظهر" as one word; "دیشب" → yesterday evening.
    /// Digits are ASCII here already.
    static func spelledShort(_ text: String) -> String {
        var t = text.replacingOccurrences(of: "\u{200C}", with: " ")
        func replace(_ pattern: String, _ template: String) {
            t = t.replacingOccurrences(of: pattern, with: template, options: .regularExpression)
        }
        replace(#"\s+"#, " ")
        replace(#"\b(\d{1,2}(?::\d{2})?) (am|pm)\b"#, "$1$2")
        replace(#"^(\d{4}[-/]\d{1,2}[-/]\d{1,2}) (?:at|ساعت) (\d{1,2})$"#, "$1 $2:00")
        replace(#"^(\d{4}[-/]\d{1,2}[-/]\d{1,2}) (?:at|ساعت) (\d{1,2}:\d{2})$"#, "$1 $2")
        // The rest are Persian words: not looked for in text without Arabic
        // script (a date prompt parses on every key it previews).
        guard t.unicodeScalars.contains(where: { (0x0600...0x06FF).contains($0.value) }) else { return t }
        replace(#"بعد ?از ?ظهر"#, "بعدازظهر")
        replace(#"(\d{1,2}) و نیم"#, "$1:30")
        replace(#"(\d{1,2}) و ربع"#, "$1:15")
        for (unit, short) in [("دقیقه", "min"), ("ساعت", "h"), ("روز", "d"), ("هفته", "w"), ("ماه", "mo"), ("سال", "y")] {
            replace(#"^(\d+) ?"# + unit + #" ?(?:پیش|قبل)$"#, "-$1" + short)
            replace(#"^(\d+) ?"# + unit + #" ?(?:دیگر|دیگه|بعد)$"#, "+$1" + short)
        }
        // "۱۵ دی ماه": the month's name and the word "month".
        replace(#"(فروردین|اردیبهشت|خرداد|تیر|مرداد|شهریور|مهر|آبان|آذر|دی|بهمن|اسفند) ماه"#, "$1ماه")
        replace(#"^دیشب ساعت (\S+)$"#, "دیروز $1 شب")
        replace(#"^دیشب (\S+)$"#, "دیروز $1 شب")
        replace(#"^دیشب$"#, "دیروز شب")
        return t
    }

    /// After a weekday: "گذشته", "قبل", "پیش" (the last one before today),
    /// "بعد", "آینده" (the next one, as a weekday is read anyway).
    static let persianLast: Set<String> = ["گذشته", "قبل", "پیش"]
    static let persianNext: Set<String> = ["بعد", "اینده"]

    /// A whole hour as people say it after "at" or before a part of the
    /// day: "9", "۱۰" (already ASCII digits here), 0 to 23.
    static func bareHour(_ word: String) -> (hour: Int, minute: Int)? {
        guard word.count <= 2, word.allSatisfy({ $0.isASCII && $0.isNumber }), let h = Int(word), (0..<24).contains(h) else { return nil }
        return (h, 0)
    }

    /// `time` in the half of the day `part` (a key of `partOfDay`) names:
    /// morning hours stay ("۹ صبح" 09:00, "12 morning" 00:00), the afternoon's
    /// and evening's move past noon ("۵ عصر" 17:00, "۱ ظهر" 13:00, "۱۲ ظهر"
    /// 12:00), the night's six to eleven ("۹ شب" 21:00). "۱۲ شب" or "۲ شب"
    /// after a day name mean the night after that day, which a wall-clock
    /// hour of that day cannot say: refused (nil), as is an hour already
    /// past noon that does not fit the part ("15 صبح").
    static func within(_ part: String, _ time: (hour: Int, minute: Int)) -> (hour: Int, minute: Int)? {
        let h = time.hour
        switch part {
        case "morning", "صبح", "بامداد":
            guard h <= 12 else { return nil }
            return (h == 12 ? 0 : h, time.minute)
        case "شب":
            if h > 12 { return h >= 18 ? time : nil }
            return (6...11).contains(h) ? (h + 12, time.minute) : nil
        default:
            if h > 12 { return time }
            return (h == 12 ? 12 : h + 12, time.minute)
        }
    }

    static let partOfDay: [String: (hour: Int, minute: Int)] = [
        "morning": (9, 0), "noon": (12, 0), "afternoon": (14, 0), "evening": (18, 0), "night": (20, 0),
        "صبح": (9, 0), "ظهر": (12, 0), "عصر": (14, 0), "بعدازظهر": (14, 0), "شب": (18, 0), "بامداد": (6, 0),
    ]

    /// The days after which a bare number is an hour ("tomorrow 9").
    static let dayWords: Set<String> = ["today", "tomorrow", "yesterday", "tonight"]

    /// "at" before a time, in English and Persian ("فردا ساعت ۱۵:۰۰").
    static let atWords: Set<String> = ["at", "ساعت"]

    /// Relative days, weekdays and "next week/month" in Persian, keyed as
    /// `foldedPersian` folds them with the blanks between words taken out,
    /// so "سه‌شنبه", "سه شنبه" and "سهشنبه" (or Arabic-keyboard letters)
    /// are the same word; each maps to the English phrase it means.
    static let persianPhrases: [String: String] = {
        let phrases: [(String, String)] = [
            ("امروز", "today"), ("فردا", "tomorrow"), ("پس فردا", "+2d"), ("دیروز", "yesterday"), ("پریروز", "-2d"),
            ("شنبه", "saturday"), ("یکشنبه", "sunday"), ("دوشنبه", "monday"), ("سه شنبه", "tuesday"),
            ("چهارشنبه", "wednesday"), ("پنجشنبه", "thursday"), ("جمعه", "friday"),
            ("هفته بعد", "next week"), ("هفته ی بعد", "next week"), ("هفته آینده", "next week"), ("هفته ی آینده", "next week"),
            ("هفته پیش", "-1w"), ("هفته قبل", "-1w"), ("هفته گذشته", "-1w"), ("هفته ی پیش", "-1w"), ("هفته ی گذشته", "-1w"),
            ("ماه پیش", "-1mo"), ("ماه قبل", "-1mo"), ("ماه گذشته", "-1mo"),
            ("ماه بعد", "next month"), ("ماه ی بعد", "next month"), ("ماه آینده", "next month"), ("ماه ی آینده", "next month"),
        ]
        var table: [String: String] = [:]
        for (persian, english) in phrases {
            table[foldedPersian(persian.replacingOccurrences(of: " ", with: ""))] = english
        }
        return table
    }()

    /// Foundation numbers weekdays 1 (Sunday) to 7 (Saturday) in every calendar.
    static let weekdays: [String: Int] = {
        let names = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]
        var table: [String: Int] = [:]
        for (i, name) in names.enumerated() {
            table[name] = i + 1
            table[String(name.prefix(3))] = i + 1
        }
        table["tue"] = 3; table["tues"] = 3; table["thu"] = 5; table["thur"] = 5; table["thurs"] = 5
        return table
    }()

    static let gregorianMonths: [String: Int] = {
        let names = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
                     "october", "november", "december"]
        var table: [String: Int] = [:]
        for (i, name) in names.enumerated() { table[name] = i + 1; table[String(name.prefix(3))] = i + 1 }
        table["sept"] = 9
        return table
    }()

    /// The Jalali months in Persian script, spelled as `foldedPersian` folds
    /// them, so the Arabic-letter spellings (ي, ك, ى), an alef without madda
    /// (ابان, اذر), a zero-width non-joiner or a tatweel find them too.
    static let persianScriptMonths: [String: Int] = {
        let names = ["فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور",
                     "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند"]
        var table: [String: Int] = [:]
        for (i, name) in names.enumerated() {
            table[foldedPersian(name)] = i + 1
            table[foldedPersian(name + "ماه")] = i + 1  // "آذرماه"
        }
        table[foldedPersian("امرداد")] = 5
        return table
    }()

    /// A word in Arabic script with the letters that vary between Persian and
    /// Arabic keyboards made one: ي ى → ی, ك → ک, آ أ إ → ا, ة → ه; the
    /// zero-width non-joiner and the tatweel dropped.
    static func foldedPersian(_ word: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in word.unicodeScalars {
            switch scalar.value {
            case 0x064A, 0x0649: out.append("\u{06CC}")
            case 0x0643: out.append("\u{06A9}")
            case 0x0622, 0x0623, 0x0625: out.append("\u{0627}")
            case 0x0629: out.append("\u{0647}")
            case 0x200C, 0x0640: continue
            default: out.append(scalar)
            }
        }
        return String(out)
    }

    /// The Jalali months as Foundation's en_US_POSIX formatter spells them, plus
    /// common transliterations.
    static let persianMonths: [String: Int] = {
        let names = [["farvardin"], ["ordibehesht"], ["khordad"], ["tir"], ["mordad", "amordad"], ["shahrivar"],
                     ["mehr"], ["aban"], ["azar"], ["dey", "dei"], ["bahman"], ["esfand"]]
        var table: [String: Int] = [:]
        for (i, spellings) in names.enumerated() {
            for name in spellings { table[name] = i + 1; table[String(name.prefix(3))] = i + 1 }
        }
        return table
    }()
}
