import CRMCore
import Foundation

/// The "when" of a logged interaction: read like a due date, in the user's
/// calendar ("yesterday 15:00", "mon 9:30", "-2h", "2026-11-27 14:30",
/// "1405-09-06 14:30", Persian digits), but looking back: "mon" is the last
/// Monday. Empty or "now" is now; the future is refused.
enum WhenField {
    static func isNow(_ text: String) -> Bool {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        return t.isEmpty || t == "now"
    }

    static func parser(_ context: AppContext) -> DueDateParser {
        var parser = context.timeFormat.dueDateParser
        parser.looksBack = true
        return parser
    }

    static func parse(_ text: String, context: AppContext) throws -> Date {
        let now = context.clock.now
        if isNow(text) { return now }
        switch parser(context).loggedTime(text, now: now, spell: context.timeFormat.number) {
        case .failure(let error): throw FieldError("when", error.message)
        case .success(let when): return when.date
        }
    }

    /// "→ Sat 28 Nov 2026 15:00", or why the text is not a time yet.
    static func hint(_ text: String, context: AppContext) -> String {
        do {
            let date = try parse(text, context: context)
            return "→ " + context.timeFormat.number(parser(context).describe(date))
        } catch let error as FieldError {
            return "? " + error.message
        } catch {
            return "? \(error)"
        }
    }

    /// "2026-11-28 15:00" (Persian: "1405-09-07 15:00"), which the field reads back.
    static func text(_ date: Date, context: AppContext) -> String {
        context.timeFormat.spell(date, "yyyy-MM-dd HH:mm")
    }

    static func followHint(in form: FormModel, context: AppContext) {
        form.onEdit = { form, field in
            if field == "when" { form.setHint(hint(form["when"], context: context), for: "when") }
        }
    }
}
