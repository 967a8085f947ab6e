import CRMCore
import CRMRepositories
import Foundation

/// The deal form: its fields, the contact and company pickers, and reading a
/// deal back out of it.
enum DealForms {
    static func fields(_ deal: Deal, stages: [Stage], contact: String, company: String, owners: [String], owner: String,
                       timeFormat: TimeFormat) -> [FormField] {
        let stageNames = stages.map(\.name)
        let stageName = stages.first { $0.id == deal.stageID }?.name ?? stageNames.first ?? ""
        return [
            FormField("title", label: "Title", value: deal.title),
            FormField("value", label: "Value", value: deal.value.minorUnits == 0 && deal.id == 0 ? "" : deal.value.formatted(withCode: false),
                      hint: "e.g. 12,500 or 12.5k"),
            FormField("currency", label: "Currency", value: deal.value.currency.code, hint: "ISO code: EUR, USD, JPY…"),
            FormField("stage", label: "Stage", kind: .choice(stageNames), value: stageName, hint: "←/→ to choose"),
            FormField("contact", label: "Contact", value: contact, hint: "type to search · Tab takes · Ctrl-N/P"),
            FormField("company", label: "Company", value: company, hint: "type to search · Tab takes"),
            FormField("owner", label: "Owner", kind: .choice(owners), value: owner),
            FormField("close", label: "Close by", value: deal.expectedClose.map { dateText($0, in: timeFormat) } ?? "",
                      hint: closeHint(timeFormat), errorKey: "expected close"),
        ]
    }

    /// Shows under the value what the typed amount will be saved as
    /// ("→ 12,345.00 EUR"): "12.345" means twelve thousand in EUR but twelve
    /// in KWD, so the form says which before anything is saved.
    /// Examples of a close date in the user's calendar (each of them accepted).
    static func closeExamples(_ timeFormat: TimeFormat) -> String {
        timeFormat.calendar.identifier == .persian ? "1405-10-10, 15 dey, next month" : "2026-12-31, 15 dec, next month"
    }

    static func closeHint(_ timeFormat: TimeFormat) -> String { "a date: \(closeExamples(timeFormat)); empty: unknown" }

    /// Shows what the amount and the close date typed will be saved as,
    /// beside them, before anything is saved.
    static func previewReadings(in form: FormModel, timeFormat: TimeFormat? = nil) {
        form.onEdit = { form, field in
            if field == "close", let timeFormat {
                let text = form["close"].trimmingCharacters(in: .whitespaces)
                if text.isEmpty {
                    form.setHint(closeHint(timeFormat), for: "close")
                } else if let date = try? parseDate(text, field: "expected close", in: timeFormat) {
                    form.setHint("→ " + timeFormat.number(timeFormat.dueDateParser.describe(date).replacingOccurrences(of: " 00:00", with: "")),
                                 for: "close")
                } else {
                    form.setHint("? expected e.g. \(closeExamples(timeFormat))", for: "close")
                }
                return
            }
            guard field == "value" || field == "currency" else { return }
            let hint: String
            if form["value"].trimmingCharacters(in: .whitespaces).isEmpty {
                hint = "e.g. 12,500 or 12.5k"
            } else if let currency = Currency(form["currency"].trimmingCharacters(in: .whitespaces).uppercased()) {
                do {
                    // In the digits the settings choose, as every figure on screen (QA 45 FA #7).
                    let amount = (try Money.parse(form["value"], currency: currency)).formatted()
                    hint = "→ " + (timeFormat?.number(amount) ?? amount)
                } catch let error as FieldError {
                    hint = "? " + error.message
                } catch {
                    hint = "? \(error)"
                }
            } else {
                hint = "? choose a currency"
            }
            form.setHint(hint, for: "value")
        }
    }

    /// Search-as-you-type choices: "Name · Company #id", so that two people
    /// with the same name stay apart.
    static func contactLookup(_ context: AppContext) -> (String) -> [String] {
        { [unowned context] text in
            let query = stripID(text).trimmingCharacters(in: .whitespaces)
            guard !query.isEmpty else { return [] }
            let rows = context.read("the contacts to choose from") {
                try context.repositories.contactRepository.search(query, filter: ContactFilter(), limit: 6)
            } ?? []
            return rows.map { "\($0.name)\($0.companyName.map { " · \($0)" } ?? "") #\($0.id)" }
        }
    }

    static func companyLookup(_ context: AppContext) -> (String) -> [String] {
        { [unowned context] text in
            let query = stripID(text).trimmingCharacters(in: .whitespaces)
            guard !query.isEmpty else { return [] }
            let rows = context.read("the companies to choose from") { try context.repositories.companyRepository.search(query, limit: 6) }
            return (rows ?? []).map { "\($0.name) #\($0.id)" }
        }
    }

    /// The contact field's text for a deal's contact. When the name cannot be
    /// read the field still names the contact by id ("#42"), so saving the
    /// form keeps it instead of clearing it.
    static func contactLabel(_ id: Int64?, context: AppContext) -> String {
        guard let id else { return "" }
        guard let found = context.read("the deal's contact", { try context.repositories.contactRepository.summary(id) }) else { return "#\(id)" }
        guard let s = found else { return "" }
        return "\(s.name)\(s.companyName.map { " · \($0)" } ?? "") #\(s.id)"
    }

    static func companyLabel(_ id: Int64?, context: AppContext) -> String {
        guard let id else { return "" }
        guard let found = context.read("the deal's company", { try context.repositories.companyRepository.get(id) }) else { return "#\(id)" }
        guard let c = found else { return "" }
        return "\(c.name) #\(c.id)"
    }

    /// "Ada · Acme #42" → 42.
    static func trailingID(_ text: String) -> Int64? {
        guard let hash = text.lastIndex(of: "#") else { return nil }
        return Int64(text[text.index(after: hash)...].trimmingCharacters(in: .whitespaces))
    }

    static func stripID(_ text: String) -> String {
        guard trailingID(text) != nil, let hash = text.lastIndex(of: "#") else { return text }
        return String(text[..<hash])
    }

    /// The contact the field names: a picked choice (with #id), or exactly one
    /// contact of that name.
    static func resolveContact(_ text: String, repos: any CRMRepositories) throws -> Int64? {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t.isEmpty { return nil }
        if let id = trailingID(t), try repos.contactRepository.get(id) != nil { return id }
        let matches = try repos.contactRepository.search(t, filter: ContactFilter(), limit: 20)
            .filter { $0.name.caseInsensitiveCompare(t) == .orderedSame }
        guard matches.count == 1 else {
            throw FieldError("contact", matches.isEmpty ? "no contact named \"\(t)\"; type part of a name and take one with Tab"
                                                       : "\(matches.count) contacts are named \"\(t)\"; take one from the list with Tab")
        }
        return matches[0].id
    }

    static func resolveCompany(_ text: String, repos: any CRMRepositories) throws -> Int64? {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t.isEmpty { return nil }
        if let id = trailingID(t), try repos.companyRepository.get(id) != nil { return id }
        if let existing = try repos.companyRepository.find(name: t) { return existing.id }
        throw FieldError("company", "no company named \"\(t)\"; type part of a name and take one with Tab")
    }

    /// Applies the form to `deal`. Errors name their field, so the form shows
    /// each next to it and keeps everything typed.
    static func apply(_ form: FormModel, to deal: Deal, stages: [Stage], repos: any CRMRepositories, timeFormat: TimeFormat) throws -> Deal {
        var d = deal
        var errors: [FieldError] = []
        d.title = form["title"].trimmingCharacters(in: .whitespaces)
        do {
            let currency = try Currency.parse(form["currency"])
            let amount = form["value"].trimmingCharacters(in: .whitespaces)
            do { d.value = amount.isEmpty ? .zero(currency) : try Money.parse(amount, currency: currency) } catch let e as FieldError { errors.append(e) }
        } catch let e as FieldError { errors.append(e) }
        if let stage = stages.first(where: { $0.name == form["stage"] }) { d.stageID = stage.id }
        do { d.contactID = try resolveContact(form["contact"], repos: repos) } catch let e as FieldError { errors.append(e) }
        do { d.companyID = try resolveCompany(form["company"], repos: repos) } catch let e as FieldError { errors.append(e) }
        if d.companyID == nil, let contactID = d.contactID { d.companyID = try repos.contactRepository.summary(contactID)?.companyID }
        do {
            d.ownerID = try OwnerChange.resolve(form["owner"], current: deal.ownerID, chosen: deal.id == 0 || form.isEdited("owner"), repos: repos)
        } catch let e as FieldError { errors.append(e) }
        // A close date left as it was shown is kept as stored: the form shows
        // the day only, and reading it back (midnight in this user's zone)
        // would rewrite a date nobody touched (QA 33 #10).
        if deal.id == 0 || form.isEdited("close") {
            do { d.expectedClose = try parseDate(form["close"], field: "expected close", in: timeFormat) } catch let e as FieldError { errors.append(e) }
        }
        // A field already refused above is not refused twice (a stored value
        // out of range is re-checked by validate() only when left as it was).
        errors += d.validate().filter { e in !errors.contains { $0.field == e.field } }
        try ValidationFailure.check(errors)
        return d
    }

    static func dateText(_ date: Date, in timeFormat: TimeFormat) -> String {
        let c = timeFormat.calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0)
    }

    /// "2026-03-14" → midnight of that day in the user's time zone; empty → nil.
    /// Only years 1900 to 9999 (DateLimits): the year is checked as digits
    /// before Foundation sees it. Anything else a due date may be ("15 dec",
    /// "next month", "fri", "6 azar") is read as a due date is, to its day.
    static func parseDate(_ text: String, field: String, in timeFormat: TimeFormat, now: Date = Date()) throws -> Date? {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t.isEmpty { return nil }
        let parts = LocalDigits.ascii(t).split(separator: "-", omittingEmptySubsequences: false)
        let notADate = FieldError(field, "\"\(t)\" is not a date; expected e.g. \(closeExamples(timeFormat)) or +30d")
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              parts[1].count <= 2, parts[2].count <= 2, let m = Int(parts[1]), let d = Int(parts[2]) else {
            switch timeFormat.dueDateParser.parse(t, now: now) {
            case .success(let due): return timeFormat.calendar.startOfDay(for: due.date)
            case .failure(let error) where error.message.contains("out of range"): throw FieldError(field, error.message)
            case .failure: throw notADate
            }
        }
        let outOfRange = FieldError(field, "\"\(t)\" is out of range; expected \(DateLimits.typedRangeDescription(in: timeFormat.calendar))")
        // A year of more than four digits is out of range however long.
        let year = parts[0].drop { $0 == "0" }
        guard year.count <= 4, let y = Int(year) else { throw outOfRange }
        // In the calendar a due date's year would be read in (2026-12-31 is
        // Gregorian with the Persian calendar too, 1405-10-10 Jalali).
        let calendar = timeFormat.dueDateParser.calendar(forISOYear: y)
        guard (1...12).contains(m), (1...31).contains(d),
              let date = calendar.date(from: DateComponents(year: y, month: m, day: d)),
              calendar.component(.day, from: date) == d else { throw notADate }
        guard DateLimits.isTypable(date, in: timeFormat.timeZone) else { throw outOfRange }
        return date
    }
}
