import Foundation

/// One thing wrong with a settings file: where, and what.
public struct SettingsProblem: Equatable, Sendable, CustomStringConvertible {
    public let line: Int
    public let message: String
    public init(line: Int, message: String) { self.line = line; self.message = message }
    public var description: String { "line \(line): \(message)" }
}

/// The settings file, `$XDG_CONFIG_HOME/crm/settings` (else
/// `~/.config/crm/settings`): plain `key = value` lines, `#` starts a comment.
///
///     time_zone = Europe/Berlin        # an IANA zone; "system" (default): the system's
///     calendar = persian               # gregorian (default) or persian (Jalali)
///     first_weekday = saturday         # sunday … saturday (default monday)
///     currency = EUR                   # ISO 4217 code for new deals (default EUR)
///     cadence.customer = 7             # days between contacts per lifecycle stage; 0: none
///     cadence.prospect = 14            #   (lead, prospect, customer, former)
///     cadence.tag.vip = 3              # per tag; the shortest cadence that applies wins
///     theme = auto                     # auto, 256, 8 or mono
///     phone_region = DE                # region of numbers typed without + or 00 (default none)
///     my_addresses = sara@example.com, @example.com  # my own addresses (crm log-email)
///     trash_days = 90                  # purge the trash of what was deleted longer ago (default: keep)
///     cadence.tier.A = 7               # days between contacts per value tier (A, B, C)
///     tier.A = 80                      # value tiers: A the first 80 % of won value, B the next 15 %
///     tier.B = 15
///     customer_lifespan_years = 5      # expected customer life for predicted CLV (default: measured)
///     rate.USD = 0.92                  # one USD in the default currency (reports convert with it)
///
/// A line that cannot be read is reported with its number and its setting
/// keeps the default; the rest of the file still applies. The program only
/// writes the file when the user saves from the settings screen, and never
/// replaces a file it did not write as it stands (comments, other lines,
/// lines it cannot read, values changed outside crm) without asking first.
public enum SettingsFile {
    public struct Loaded: Sendable {
        public let settings: Settings
        public let problems: [SettingsProblem]
        public let path: String
        /// False when there was no file (the defaults are in use).
        public let exists: Bool
    }

    /// The file's path from the environment (XDG base directory spec: a
    /// relative XDG_CONFIG_HOME is ignored).
    public static func path(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") { return xdg + "/crm/settings" }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + "/.config/crm/settings"
    }

    public static func load(path: String) -> Loaded {
        guard FileManager.default.fileExists(atPath: path) else {
            return Loaded(settings: Settings(), problems: [], path: path, exists: false)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            return Loaded(settings: Settings(), problems: [SettingsProblem(line: 0, message: "cannot read the file")],
                          path: path, exists: true)
        }
        // Bytes that are not UTF-8 (a comment typed in Latin-1) cost only the
        // line they are on: they become U+FFFD, which parse reports there.
        let text = String(decoding: data, as: UTF8.self)
        let (settings, problems) = parse(text)
        return Loaded(settings: settings, problems: problems, path: path, exists: true)
    }

    /// Why replacing the file at `path` would lose something crm did not
    /// write, or nil when it may be replaced without asking: there is no file,
    /// or it is exactly what crm writes for `known` (the settings crm read
    /// from it or last saved to it).
    public static func overwriteRisk(path: String, known: Settings) -> String? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            return "it cannot be read as UTF-8 text"
        }
        let (settings, problems) = parse(text)
        if let first = problems.first {
            return problems.count == 1 ? "crm cannot read its \(first)" : "crm cannot read \(problems.count) of its lines (\(first))"
        }
        // Every line read without a problem is a setting crm writes back; only
        // comments (and their placement) would be lost in crm's own layout.
        if render(settings) != text, text.contains("#") { return "it has comments crm did not write" }
        if settings != known { return "it was changed outside crm since crm read it" }
        return nil
    }

    public static func parse(_ text: String) -> (Settings, [SettingsProblem]) {
        var settings = Settings()
        var problems: [SettingsProblem] = []
        var seenLifecycle = false
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = index + 1
            let content = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let trimmed = content.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            guard !trimmed.contains("\u{FFFD}") else {
                problems.append(SettingsProblem(line: line, message: "is not UTF-8 text"))
                continue
            }
            guard let eq = trimmed.firstIndex(of: "=") else {
                problems.append(SettingsProblem(line: line, message: "expected key = value, got \"\(trimmed)\""))
                continue
            }
            let written = trimmed[..<eq].trimmingCharacters(in: .whitespaces)
            let key = written.lowercased()
            let value = trimmed[trimmed.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            // Said as the file says it ("tier.A", "rate.USD"); matched in any case.
            func bad(_ message: String) { problems.append(SettingsProblem(line: line, message: "\(written): \(message)")) }
            switch key {
            case "time_zone", "timezone":
                if value.lowercased() == "system" || value.isEmpty {
                    settings.timeZone = nil
                } else if let tz = TimeZone(identifier: value) {
                    settings.timeZone = tz
                } else {
                    bad("unknown time zone \"\(value)\"; expected a name such as Europe/Berlin or Asia/Tehran, or system")
                }
            case "calendar":
                if let c = Settings.CalendarKind(rawValue: value.lowercased()) { settings.calendar = c } else {
                    bad("\"\(value)\" is not a calendar; expected gregorian or persian")
                }
            case "first_weekday", "first_day_of_week":
                if let i = Settings.weekdayNames.firstIndex(where: { $0 == value.lowercased() || $0.prefix(3) == value.lowercased() }) {
                    settings.firstWeekday = i + 1
                } else {
                    bad("\"\(value)\" is not a day; expected sunday, monday, … saturday")
                }
            case "currency":
                if let currency = Currency(value) { settings.currency = currency.code } else {
                    bad("\"\(value)\" is not an ISO 4217 currency code; expected e.g. EUR, USD, IRR")
                }
            case "theme":
                if let t = Settings.ThemeChoice(rawValue: value.lowercased()) { settings.theme = t } else {
                    bad("\"\(value)\" is not a theme; expected auto, 256, 8 or mono")
                }
            case "digits":
                if let d = Settings.DigitsChoice(rawValue: value.lowercased()) { settings.digits = d } else {
                    bad("\"\(value)\" is not a choice of digits; expected ascii or persian")
                }
            case "phone_region":
                if value.isEmpty || value.lowercased() == "none" {
                    settings.phoneRegion = nil
                } else if let region = PhoneRegion(code: value) {
                    settings.phoneRegion = region
                } else {
                    bad("\"\(value)\" is not a region crm knows; expected one of \(PhoneRegion.all.map(\.code).joined(separator: ", ")), or none")
                }
            case "my_addresses":
                let entries = value.split(whereSeparator: { $0 == "," || $0 == " " }).map { $0.lowercased() }
                if let wrong = entries.first(where: { !($0.hasPrefix("@") ? $0.count > 3 && $0.dropFirst().contains(".") : EmailAddress.isValid($0)) }) {
                    bad("\"\(wrong)\" is neither an email address nor @domain; expected e.g. sara@example.com, @example.com")
                } else {
                    settings.myAddresses = entries
                }
            case "trash_days":
                if value.isEmpty || value.lowercased() == "none" {
                    settings.trashDays = nil
                } else if let days = Int(value), days >= 1, days <= 36_500 {
                    settings.trashDays = days
                } else {
                    bad("\"\(value)\" is not a number of days; expected a whole number from 1 to 36500, or none")
                }
            case "tier.a", "tier.b":
                guard let share = Double(LocalDigits.ascii(value)), share > 0, share <= 100 else {
                    bad("\"\(value)\" is not a share in percent; expected a number above 0 up to 100")
                    continue
                }
                if key == "tier.a" { settings.tierA = share } else { settings.tierB = share }
            case "customer_lifespan_years":
                if value.isEmpty || value.lowercased() == "measured" {
                    settings.customerLifespanYears = nil
                } else if let years = Double(LocalDigits.ascii(value)), years > 0, years <= 100 {
                    settings.customerLifespanYears = years
                } else {
                    bad("\"\(value)\" is not a number of years; expected a number above 0 up to 100, or measured")
                }
            case _ where key.hasPrefix("rate."):
                let code = String(key.dropFirst(5)).uppercased()
                guard Currency(code) != nil else {
                    bad("\"\(code)\" is not an ISO 4217 currency code; expected e.g. rate.USD = 0.92")
                    continue
                }
                guard let rate = Double(LocalDigits.ascii(value)), rate > 0, rate.isFinite else {
                    bad("\"\(value)\" is not an exchange rate; expected a number above 0 (one \(code) in the default currency)")
                    continue
                }
                settings.rates[code] = rate
            default:
                guard key.hasPrefix("cadence.") else {
                    bad("unknown setting; known: time_zone, calendar, first_weekday, currency, cadence.<stage>, cadence.tag.<tag>, cadence.tier.<A|B|C>, theme, digits, phone_region, my_addresses, trash_days, tier.A, tier.B, customer_lifespan_years, rate.<currency>")
                    continue
                }
                guard let days = Int(LocalDigits.ascii(value)), (0...3650).contains(days) else {
                    bad("\"\(value)\" is not a number of days from 0 to 3650")
                    continue
                }
                let target = String(key.dropFirst("cadence.".count))
                if target.hasPrefix("tier.") {
                    guard let tier = ValueTier.parse(String(target.dropFirst(5))) else {
                        bad("unknown value tier \"\(target.dropFirst(5))\"; expected cadence.tier.A, cadence.tier.B or cadence.tier.C")
                        continue
                    }
                    settings.tierCadence[tier] = days == 0 ? nil : days
                } else if target.hasPrefix("tag.") {
                    // The tag as the file spells it: "cadence.tag.VIP" is
                    // shown as #VIP on Today, and matched in any case.
                    let tag = String(written.dropFirst("cadence.tag.".count))
                    guard !tag.isEmpty else { bad("name the tag: cadence.tag.vip = 3"); continue }
                    settings.tagCadence[tag] = days == 0 ? nil : days
                } else if let stage = Lifecycle(rawValue: target) {
                    // The file lists the cadences it wants: the first one
                    // replaces the defaults rather than adding to them.
                    if !seenLifecycle { settings.lifecycleCadence = [:]; seenLifecycle = true }
                    settings.lifecycleCadence[stage] = days == 0 ? nil : days
                } else {
                    bad("unknown lifecycle stage \"\(target)\"; expected lead, prospect, customer or former, or tag.<name>")
                }
            }
        }
        return (settings, problems)
    }

    /// The file's text for `settings`, with the comments that document it.
    public static func render(_ settings: Settings) -> String {
        var lines = [
            "# crm settings: key = value; # starts a comment. Written by crm's settings screen.",
            "# time_zone: an IANA name (Europe/Berlin, Asia/Tehran) or system",
            "time_zone = \(settings.timeZone?.identifier ?? "system")",
            "# calendar: gregorian or persian (Jalali): how every date is shown and typed",
            "calendar = \(settings.calendar.rawValue)",
            "first_weekday = \(Settings.weekdayNames[max(0, min(6, settings.firstWeekday - 1))])",
            "currency = \(settings.currency)",
            "# cadence.<stage> and cadence.tag.<tag>: days between contacts (0: none); the shortest that applies wins",
        ]
        for stage in Lifecycle.allCases {
            lines.append("cadence.\(stage.rawValue) = \(settings.lifecycleCadence[stage] ?? 0)")
        }
        for (tag, days) in settings.tagCadence.sorted(by: { $0.key < $1.key }) {
            lines.append("cadence.tag.\(tag) = \(days)")
        }
        lines.append("# theme: auto, 256, 8 or mono")
        lines.append("theme = \(settings.theme.rawValue)")
        lines.append("# digits: ascii or persian (۰۱۲۳): how numbers and dates are shown on screen")
        lines.append("digits = \(settings.digits.rawValue)")
        if let region = settings.phoneRegion {
            lines.append("# phone_region: the country of phone numbers typed without + or 00")
            lines.append("phone_region = \(region.code)")
        }
        if !settings.myAddresses.isEmpty {
            lines.append("# my_addresses: your own email addresses (or @domain); crm log-email reads mail from them as outgoing")
            lines.append("my_addresses = \(settings.myAddresses.joined(separator: ", "))")
        }
        if let days = settings.trashDays {
            lines.append("# trash_days: deleted records are purged for good after this many days")
            lines.append("trash_days = \(days)")
        }
        for (tier, days) in settings.tierCadence.sorted(by: { $0.key < $1.key }) {
            lines.append("cadence.tier.\(tier.rawValue) = \(days)")
        }
        if settings.tierA != 80 || settings.tierB != 15 {
            lines.append("# tier.A, tier.B: the shares of won value (percent) of value tiers A and B; C is the rest")
            lines.append("tier.A = \(Self.number(settings.tierA))")
            lines.append("tier.B = \(Self.number(settings.tierB))")
        }
        if let years = settings.customerLifespanYears {
            lines.append("# customer_lifespan_years: expected customer life for the predicted lifetime value")
            lines.append("customer_lifespan_years = \(Self.number(years))")
        }
        if !settings.rates.isEmpty {
            lines.append("# rate.<code>: 1 of that currency in the default currency, for the reports' converted totals")
        }
        for (code, rate) in settings.rates.sorted(by: { $0.key < $1.key }) {
            lines.append("rate.\(code) = \(Self.number(rate))")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// 80 for 80.0, 0.92 as it is: what a person would type.
    public static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    /// Writes the file (folder 0700, file 0600), replacing it atomically.
    public static func save(_ settings: Settings, to path: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        try Data(render(settings).utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
    }
}
