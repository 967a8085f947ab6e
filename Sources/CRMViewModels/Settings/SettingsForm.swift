import CRMCore
import Foundation

/// The settings screen: the settings file's values in a form. Saving checks
/// every value the way the file is read, applies them at once (calendar and
/// time zone of every date on screen, cadences of Needs attention) and writes
/// the file — after asking, when the file there is not what crm wrote.
enum SettingsForm {
    /// A problem of the settings file as the form's field says it: the key
    /// the file would name goes ("↳ time_zone: time_zone: unknown…" named
    /// it twice; QA 45 KB #5), a cadence keeps its lifecycle or tag.
    static func fieldMessage(_ message: String) -> String {
        guard let colon = message.range(of: ": ") else { return message }
        let key = message[..<colon.lowerBound]
        guard !key.contains(" ") else { return message }
        if key.hasPrefix("cadence.") { return String(key.dropFirst("cadence.".count)) + message[colon.lowerBound...] }
        return String(message[colon.upperBound...])
    }

    static func fields(_ s: Settings) -> [FormField] {
        let zones = s.timeZone?.identifier ?? "system"
        let cadences = (Lifecycle.allCases.compactMap { stage in s.lifecycleCadence[stage].map { "\(stage.rawValue)=\($0)" } }
                        + s.tagCadence.sorted { $0.key < $1.key }.map { "tag.\($0.key)=\($0.value)" }
                        + s.tierCadence.sorted { $0.key < $1.key }.map { "tier.\($0.key.rawValue)=\($0.value)" }).joined(separator: ", ")
        return [
            FormField("time_zone", label: "Time zone", value: zones, hint: "e.g. Europe/Berlin, Asia/Tehran, or system"),
            FormField("calendar", label: "Calendar", kind: .choice(Settings.CalendarKind.allCases.map(\.rawValue)),
                      value: s.calendar.rawValue, hint: "every date shown and typed"),
            FormField("first_weekday", label: "Week starts", kind: .choice(Settings.weekdayNames),
                      value: Settings.weekdayNames[max(0, min(6, s.firstWeekday - 1))]),
            FormField("currency", label: "Currency", value: s.currency, hint: "for new deals, e.g. EUR"),
            FormField("cadence", label: "Cadences", value: cadences,
                      hint: "days between contacts: customer=7, prospect=14, tag.vip=3, tier.A=7", errorKey: "cadence"),
            FormField("digits", label: "Digits", kind: .choice(Settings.DigitsChoice.allCases.map(\.rawValue)), value: s.digits.rawValue,
                      hint: "ascii or persian (۰۱۲۳) on screen"),
            FormField("theme", label: "Theme", kind: .choice(Settings.ThemeChoice.allCases.map(\.rawValue)), value: s.theme.rawValue,
                      hint: "used from the next start"),
        ]
    }

    /// The form's values as settings-file text, so the form is checked by
    /// exactly the rules that read the file.
    static func fileText(_ form: FormModel) -> (text: String, fieldOfLine: [Int: String]) {
        var lines: [String] = []
        var fieldOfLine: [Int: String] = [:]
        func add(_ line: String, _ field: String) { lines.append(line); fieldOfLine[lines.count] = field }
        for name in ["time_zone", "calendar", "first_weekday", "currency", "theme", "digits"] { add("\(name) = \(form[name])", name) }
        // Stages not listed get no cadence (the file's first cadence line
        // replaces the defaults).
        let entries = ListText.items(form["cadence"])
        if entries.isEmpty {
            add("cadence.customer = 0", "cadence")
        }
        for entry in entries {
            let parts = entry.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            add(parts.count == 2 ? "cadence.\(parts[0]) = \(parts[1])" : "cadence.\(entry)", "cadence")
        }
        return (lines.joined(separator: "\n"), fieldOfLine)
    }
}

/// Asked in the settings form when saving would replace a file crm did not
/// write as it stands; a second Ctrl-S answers yes, Esc leaves the file be.
struct OverwriteQuestion: Error, CustomStringConvertible {
    let reason: String
    /// Short enough for the form's one banner line at 80 columns.
    var description: String { "Ctrl-S again to overwrite: \(reason.hasPrefix("it ") ? "the file" + reason.dropFirst(2) : reason)" }
}

extension AppModel {
    func showSettings() {
        // The file as it was when the user was asked to overwrite it: a second
        // Ctrl-S overwrites that, not something that changed since.
        var asked = false
        var askedAbout: Data?
        let form = FormModel(title: "Settings — \(settingsPath ?? SettingsFile.path())", fields: SettingsForm.fields(settings)) { [unowned self] form in
            let (text, fieldOfLine) = SettingsForm.fileText(form)
            var (parsed, problems) = SettingsFile.parse(text)
            // Set in the file only (not a field here): kept as it was read.
            parsed.phoneRegion = settings.phoneRegion
            parsed.myAddresses = settings.myAddresses
            parsed.trashDays = settings.trashDays
            parsed.tierA = settings.tierA
            parsed.tierB = settings.tierB
            parsed.customerLifespanYears = settings.customerLifespanYears
            parsed.rates = settings.rates
            if !problems.isEmpty {
                throw ValidationFailure(problems.map { FieldError(fieldOfLine[$0.line] ?? "cadence", SettingsForm.fieldMessage($0.message)) })
            }
            let path = settingsPath ?? SettingsFile.path()
            // Only a file crm did not write as it stands is worth a question;
            // the answer is asked in the form, so "no" keeps what was typed.
            if let risk = SettingsFile.overwriteRisk(path: path, known: settings) {
                let current = FileManager.default.contents(atPath: path)
                if !asked || askedAbout != current {
                    asked = true
                    askedAbout = current
                    throw OverwriteQuestion(reason: risk)
                }
            }
            try SettingsFile.save(parsed, to: path)
            settingsProblems = []
            apply(parsed)
            return "Settings saved to \(path)"
        }
        form.purpose = .settings
        present(.form(form))
    }

    /// Uses new settings at once: dates in the new calendar and zone, the
    /// cadences in Needs attention.
    public func apply(_ new: Settings) {
        settings = new
        timeFormat.apply(timeZone: new.effectiveTimeZone, calendar: new.effectiveCalendar)
        timeFormat.digits = new.digits
        // Before the start no view is shown: the one shown first loads with
        // these settings then. Refreshing the default view here read the
        // whole first page of Contacts (700 of the 980 pages the first
        // screen read at 100,000 contacts) behind Today.
        if isStarted { activeView.refresh() }
    }

    /// Loads the settings file at start; problems are shown in the status
    /// line (with their line numbers) and the defaults stand in for them.
    public func loadSettings(path: String) {
        let loaded = SettingsFile.load(path: path)
        settingsPath = path
        settingsProblems = loaded.problems
        apply(loaded.settings)
        if let first = loaded.problems.first {
            let more = loaded.problems.count > 1 ? " (and \(loaded.problems.count - 1) more)" : ""
            status("Settings \(path) \(first)\(more); defaults used there", .warning)
        }
    }
}
