import Foundation

/// The user's preferences: how dates are shown and read, the currency new
/// deals get, how often each kind of contact should hear from us, and the
/// colour theme. Loaded from `SettingsFile`; every field has a default, so a
/// missing or broken file still gives a working program.
public struct Settings: Equatable, Sendable {
    public enum CalendarKind: String, CaseIterable, Sendable {
        case gregorian, persian
    }

    /// Which digits the screen shows numbers and dates in; what is typed is
    /// read in either, and the command line and JSON always use ASCII.
    public enum DigitsChoice: String, CaseIterable, Sendable {
        case ascii, persian
    }

    public enum ThemeChoice: String, CaseIterable, Sendable {
        /// 256 colours when the terminal has them, else 8; monochrome with NO_COLOR.
        case auto
        case color256 = "256"
        case color8 = "8"
        case mono
    }

    /// Nil: the system's time zone.
    public var timeZone: TimeZone?
    public var calendar: CalendarKind = .gregorian
    /// Foundation's numbering: 1 Sunday … 7 Saturday.
    public var firstWeekday: Int = 2
    public var currency: String = "EUR"
    /// Days between contacts, per lifecycle stage; 0 or absent: no cadence.
    public var lifecycleCadence: [Lifecycle: Int] = [.customer: 7, .prospect: 14]
    /// Days between contacts for contacts with a tag (lower-cased). The
    /// shortest cadence that applies to a contact wins.
    public var tagCadence: [String: Int] = [:]
    public var theme: ThemeChoice = .auto
    public var digits: DigitsChoice = .ascii
    /// The region a phone number typed without `+`/`00` belongs to, for its
    /// international (E.164) form; nil: none (national numbers get none).
    public var phoneRegion: PhoneRegion?
    /// The user's own email addresses (`my_addresses`), lower-cased: a whole
    /// address, or `@domain` for every address of a domain. `crm log-email`
    /// reads a mail from one of them as outgoing.
    public var myAddresses: [String] = []
    /// Days a record stays in the trash before it is purged for good
    /// (`trash_days`); nil: kept until an admin empties the trash.
    public var trashDays: Int?
    /// Days between contacts per value tier (`cadence.tier.A = 7`); with
    /// the stage and tag rules, the shortest cadence that applies wins.
    public var tierCadence: [ValueTier: Int] = [:]
    /// The value tiers' shares of won value in percent: A the customers
    /// making the first `tierA` %, B the next `tierB` %, C the rest
    /// (`tier.A = 80`, `tier.B = 15`).
    public var tierA: Double = 80
    public var tierB: Double = 15
    /// The expected life of a customer in years for the predicted lifetime
    /// value (`customer_lifespan_years`); nil: measured from the lifecycle
    /// history (customer → former).
    public var customerLifespanYears: Double?
    /// Exchange rates to the default currency (`rate.USD = 0.92`: one US
    /// dollar is 0.92 of `currency`), by upper-case ISO code. A report shows
    /// a converted total only for currencies listed here.
    public var rates: [String: Double] = [:]

    public init() {}

    /// Whether `address` is one of `myAddresses` (case does not matter).
    public func isMine(_ address: String) -> Bool {
        let a = address.lowercased()
        return myAddresses.contains { mine in mine.hasPrefix("@") ? a.hasSuffix(mine) : a == mine }
    }

    /// The zone in effect: the setting, else the system's.
    public var effectiveTimeZone: TimeZone { timeZone ?? .current }

    /// The calendar every date on screen and every typed date uses.
    public var effectiveCalendar: Calendar {
        var cal = Calendar(identifier: calendar == .persian ? .persian : .gregorian)
        cal.timeZone = effectiveTimeZone
        cal.firstWeekday = firstWeekday
        return cal
    }

    /// The cadence rules in force, for the store's "past cadence" query.
    public var cadenceRules: [CadenceRule] {
        let stages: [CadenceRule] = lifecycleCadence.filter { $0.value > 0 }.map { CadenceRule(.lifecycle($0.key), days: $0.value) }
        let tags: [CadenceRule] = tagCadence.filter { $0.value > 0 }.map { CadenceRule(.tag($0.key), days: $0.value) }
        let tiers: [CadenceRule] = tierCadence.filter { $0.value > 0 }.map { CadenceRule(.tier($0.key), days: $0.value) }
        return stages.sorted { $0.description < $1.description } + tags.sorted { $0.description < $1.description }
            + tiers.sorted { $0.description < $1.description }
    }

    public static let weekdayNames = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]
}

/// "Contacts that are customers should hear from us every 7 days."
public struct CadenceRule: Hashable, Sendable, CustomStringConvertible {
    public enum Target: Hashable, Sendable {
        case lifecycle(Lifecycle)
        case tag(String)
        /// The contact's stored value tier (`contacts.value_tier`).
        case tier(ValueTier)
    }

    public let target: Target
    public let days: Int

    public init(_ target: Target, days: Int) {
        self.target = target
        self.days = days
    }

    public var description: String {
        switch target {
        case .lifecycle(let l): "\(l.rawValue) every \(days) d"
        case .tag(let t): "#\(t) every \(days) d"
        case .tier(let t): "tier \(t.rawValue) every \(days) d"
        }
    }
}
