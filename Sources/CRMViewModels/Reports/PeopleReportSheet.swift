import CRMCore
import CRMRepositories
import Foundation

/// Report page 4, "People": a row per user in each of five sections —
/// deals, interactions logged, follow-up discipline, stay-in-touch and leads
/// turned customers — and a team line under each. Enter on a follow-up row
/// lists that user's overdue follow-ups, on a stay-in-touch row their
/// customers not spoken to within their cadence, on a deals row the deals
/// they won or lost, on a conversion row the leads they turned customers.
/// The figures come from `PeopleReportRepository` (SQL over indexes).
public enum PeopleReportSheet {
    public static func build(_ filter: ReportFilter, repositories: any CRMRepositories,
                             settings: Settings) throws -> ReportSheet {
        let repo = repositories.peopleReportRepository
        let allUsers = try repositories.allUsers()
        let wanted = filter.ownerIDs.isEmpty ? allUsers.map(\.id) : filter.ownerIDs
        let deals = try repo.deals(filter, users: wanted, withIDs: false)
        let activity = try repo.interactions(filter, users: wanted)
        // Counted only: Enter fetches the overdue ones and those out of touch.
        let followUps = try repo.followUps(filter, users: wanted, withIDs: false)
        let touch = try repo.stayInTouch(filter, rules: settings.cadenceRules, users: wanted, withIDs: false)
        let conversion = try repo.conversions(filter, users: wanted)
        // Everyone: the active users, and anyone who left but still has a
        // figure; named owners: exactly those.
        let users = allUsers.filter { user in
            guard wanted.contains(user.id) else { return false }
            if !filter.ownerIDs.isEmpty || user.isActive { return true }
            return deals[user.id] != nil || activity[user.id] != nil || followUps[user.id] != nil
                || touch[user.id] != nil || conversion[user.id] != nil
        }.sorted { ($0.name.lowercased(), $0.id) < ($1.name.lowercased(), $1.id) }
        var notes: [String] = []
        let sections = [
            dealSection(users, deals, filter: filter, settings: settings, notes: &notes),
            activitySection(users, activity),
            followUpSection(users, followUps, filter: filter),
            touchSection(users, touch, filter: filter, rules: settings.cadenceRules),
            conversionSection(users, conversion),
        ]
        if settings.cadenceRules.isEmpty { notes.append("No cadence rule in the settings: only customers with their own cadence are measured.") }
        return ReportSheet(page: .people, sections: sections, notes: notes)
    }

    static let userColumn = ReportColumn(key: "user", title: "User")
    static let team = "Everyone"

    /// A row per user plus the team's line (when there is more than one
    /// user); `make` gets the row's name, figures and users.
    static func rows<T>(_ users: [User], _ figures: [Int64: T], empty: T, sum: (T, T) -> T,
                        _ make: (String, T, [Int64]) -> ReportRow) -> [ReportRow] {
        var rows = users.map { make($0.name, figures[$0.id] ?? empty, [$0.id]) }
        if users.count > 1 {
            var total = make(team, users.reduce(empty) { sum($0, figures[$1.id] ?? empty) }, users.map(\.id))
            total.isTotal = true
            rows.append(total)
        }
        return rows
    }

    static func share(_ part: Int, of whole: Int) -> ReportValue { .percent(whole == 0 ? nil : Double(part) / Double(whole)) }

    static func dealSection(_ users: [User], _ deals: [Int64: PersonDeals], filter: ReportFilter, settings: Settings,
                            notes: inout [String]) -> ReportSection {
        let conversion = ReportMoneyConversion(settings: settings)
        let currencies = Set(deals.values.flatMap(\.wonMinor.keys))
        let converted = currencies.count > 1 && conversion.converts(currencies)
        if converted { notes.append(conversion.note(currencies)) }
        if currencies.count > 1 && !converted {
            notes.append("Value won is in several currencies and not added together: set rate.XXX in the settings for a converted total.")
        }
        func value(_ amounts: [Currency: Int64]) -> ReportValue {
            if converted, let total = conversion.total(amounts) { return .money(total, converted: true) }
            // Several currencies and no rates: each user's value won per
            // currency goes in rows of its own under the table.
            guard currencies.count <= 1 else { return .empty }
            let currency = currencies.first ?? conversion.target
            return .money(Money(minorUnits: amounts[currency] ?? 0, currency: currency), converted: false)
        }
        let sectionRows = rows(users, deals, empty: PersonDeals(), sum: { a, b in
            PersonDeals(open: a.open + b.open, won: a.won + b.won, lost: a.lost + b.lost,
                        wonMinor: a.wonMinor.merging(b.wonMinor, uniquingKeysWith: +))
        }) { name, d, ids in
            ReportRow([.text(name), .count(d.open), .count(d.won), .count(d.lost), share(d.won, of: d.won + d.lost), value(d.wonMinor)],
                      drill: d.won + d.lost == 0 ? nil : .counted(.closedDeals(filter, users: ids)))
        }
        var section = ReportSection(
            key: "deals", title: "Deals",
            columns: [userColumn, ReportColumn(key: "open", title: "Open"), ReportColumn(key: "won", title: "Won"),
                      ReportColumn(key: "lost", title: "Lost"), ReportColumn(key: "win_rate", title: "Win rate"),
                      ReportColumn(key: "won_value", title: "Value won")],
            rows: sectionRows, barColumn: "won")
        if currencies.count > 1 && !converted {
            func currencyRow(_ name: String, _ money: Money?, _ currency: Currency) -> ReportRow {
                ReportRow([.text("\(name) (\(currency.code))"), .empty, .empty, .empty, .empty, ReportMoney.value(money)])
            }
            for user in users {
                for currency in currencies.sorted() {
                    guard let minor = deals[user.id]?.wonMinor[currency] else { continue }
                    section.rows.insert(currencyRow(user.name, Money(minorUnits: minor, currency: currency), currency),
                                        at: section.rows.count - (users.count > 1 ? 1 : 0))
                }
            }
            // The team's value won in each currency, under its line: what
            // the team lead asks first, without adding up the users' rows
            // (a sum that does not fit is out of range, as on every page).
            if users.count > 1 {
                for currency in currencies.sorted() {
                    let amounts = users.compactMap { deals[$0.id]?.wonMinor[currency] }.map { Money(minorUnits: $0, currency: currency) }
                    guard let first = amounts.first else { continue }
                    var total = currencyRow(team, amounts.dropFirst().reduce(first as Money?) { ReportMoney.add($0, $1) }, currency)
                    total.isTotal = true
                    section.rows.append(total)
                }
            }
        }
        return section
    }

    static let kinds: [InteractionKind] = [.call, .email, .meeting, .note, .message]

    static func activitySection(_ users: [User], _ activity: [Int64: [InteractionKind: Int]]) -> ReportSection {
        ReportSection(
            key: "activity", title: "Interactions logged",
            columns: [userColumn] + kinds.map { ReportColumn(key: $0.rawValue, title: $0.title + "s") }
                // Not "total": the CSV's last column, whether a row is a
                // total, is named so (QA 41 #2: two columns "total").
                + [ReportColumn(key: "interactions", title: "Total")],
            rows: rows(users, activity, empty: [:], sum: { $0.merging($1, uniquingKeysWith: +) }) { name, counts, _ in
                ReportRow([.text(name)] + kinds.map { .count(counts[$0] ?? 0) } + [.count(counts.values.reduce(0, +))])
            }, barColumn: "interactions")
    }

    static func followUpSection(_ users: [User], _ followUps: [Int64: PersonFollowUps], filter: ReportFilter) -> ReportSection {
        ReportSection(
            key: "follow_ups", title: "Follow-ups due in the period",
            columns: [userColumn, ReportColumn(key: "due", title: "Due"), ReportColumn(key: "on_time", title: "On time"),
                      ReportColumn(key: "late", title: "Late"), ReportColumn(key: "overdue", title: "Overdue"),
                      ReportColumn(key: "on_time_rate", title: "% on time")],
            rows: rows(users, followUps, empty: PersonFollowUps(), sum: { a, b in
                PersonFollowUps(due: a.due + b.due, onTime: a.onTime + b.onTime, late: a.late + b.late, overdue: a.overdue + b.overdue)
            }) { name, f, ids in
                // Of the follow-ups whose due time has passed: done in time,
                // done late, or still open (overdue).
                ReportRow([.text(name), .count(f.due), .count(f.onTime), .count(f.late), .count(f.overdue),
                           share(f.onTime, of: f.onTime + f.late + f.overdue)],
                          drill: f.overdue == 0 ? nil : .counted(.overdueFollowUps(filter, users: ids)))
            }, barColumn: "overdue")
    }

    static func touchSection(_ users: [User], _ touch: [Int64: PersonStayInTouch], filter: ReportFilter,
                             rules: [CadenceRule]) -> ReportSection {
        ReportSection(
            key: "stay_in_touch", title: "Customers spoken to within their cadence",
            columns: [userColumn, ReportColumn(key: "customers", title: "Customers"), ReportColumn(key: "in_touch", title: "In touch"),
                      ReportColumn(key: "not_in_touch", title: "Not in touch"), ReportColumn(key: "in_touch_rate", title: "% in touch")],
            rows: rows(users, touch, empty: PersonStayInTouch(), sum: { a, b in
                PersonStayInTouch(customers: a.customers + b.customers, notInTouch: a.notInTouch + b.notInTouch)
            }) { name, t, ids in
                ReportRow([.text(name), .count(t.customers), .count(t.customers - t.notInTouch), .count(t.notInTouch),
                           share(t.customers - t.notInTouch, of: t.customers)],
                          drill: t.notInTouch == 0 ? nil : .counted(.customersNotInTouch(filter, rules: rules, users: ids)))
            }, barColumn: "not_in_touch")
    }

    static func conversionSection(_ users: [User], _ conversion: [Int64: PersonConversion]) -> ReportSection {
        ReportSection(
            key: "conversion", title: "Leads turned customers in the period",
            columns: [userColumn, ReportColumn(key: "converted", title: "Customers"),
                      ReportColumn(key: "disqualified", title: "Given up"), ReportColumn(key: "still_open", title: "Still leads"),
                      ReportColumn(key: "conversion_rate", title: "Rate")],
            rows: rows(users, conversion, empty: PersonConversion(), sum: { a, b in
                PersonConversion(converted: a.converted + b.converted, disqualified: a.disqualified + b.disqualified,
                                 stillOpen: a.stillOpen + b.stillOpen, convertedIDs: (a.convertedIDs + b.convertedIDs).sorted())
            }) { name, c, _ in
                // converted ÷ (converted + given up in the period + still lead or prospect now)
                ReportRow([.text(name), .count(c.converted), .count(c.disqualified), .count(c.stillOpen),
                           share(c.converted, of: c.converted + c.disqualified + c.stillOpen)],
                          drill: c.convertedIDs.isEmpty ? nil : .contacts(c.convertedIDs))
            }, barColumn: "converted")
    }
}
