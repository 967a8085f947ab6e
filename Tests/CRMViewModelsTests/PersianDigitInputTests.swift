import CRMCore
import CRMRepositories
import CRMStore
@testable import CRMViewModels
import XCTest

/// Persian (۰–۹) and Arabic-Indic (٠–٩) digits typed into the real forms and
/// prompts, saved to a real SQLite file: the same values as ASCII digits.
final class PersianDigitInputTests: XCTestCase {
    func testDealValueCloseDateProbabilityAndRotDaysInPersianDigits() throws {
        let f = try PipelineFixture()
        f.start()
        f.press(.char("a"))
        guard case .form(let form) = f.app.overlay else { return XCTFail("the deal form") }
        f.type("Persian digits")
        form.focus(field: "value")
        f.type("۱۲٬۵۰۰")
        XCTAssertEqual(form.fields.first { $0.name == "value" }?.hint, "→ 12,500.00 EUR")
        form.focus(field: "close")
        f.type("۲۰۲۷-۰۳-۱۴")
        f.press(.ctrl("s"))
        XCTAssertNil(f.app.overlay, form.fields.compactMap(\.error).joined(separator: "; "))
        let deal = try XCTUnwrap(f.vm.focusedCard?.deal)
        XCTAssertEqual(deal.value, Money(minorUnits: 1_250_000, currency: .eur))
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC")!
        XCTAssertEqual(deal.expectedClose.map { utc.dateComponents([.year, .month, .day], from: $0) },
                       DateComponents(year: 2027, month: 3, day: 14))

        let stage = f.stages[0]
        f.press(.char("%"))
        f.type("۴۰٪")
        f.press(.enter)
        XCTAssertEqual(try f.db.pipelines.stage(stage.id)?.probability, 40)
        f.press(.char("T"))
        f.type("٣٠")
        f.press(.enter)
        XCTAssertEqual(try f.db.pipelines.stage(stage.id)?.rotDays, 30)
        // Out of range in Persian digits is refused with the range, the text kept.
        f.press(.char("%"))
        f.type("۱۰۱")
        f.press(.enter)
        XCTAssertTrue(f.app.statusMessage?.text.contains("0 to 100") ?? false, f.app.statusMessage?.text ?? "")
        guard case .prompt(let prompt) = f.app.overlay else { return XCTFail("the prompt comes back") }
        XCTAssertEqual(prompt.input.text, "۱۰۱")
        f.press(.escape)
        XCTAssertEqual(try f.db.pipelines.stage(stage.id)?.probability, 40)
    }

    func testCallDurationsAndDueDatesInPersianDigitsAndScript() throws {
        let f = try PipelineFixture()
        let contact = try f.db.contacts.create(Contact(name: "Ada Lovelace"))
        let deal = try f.db.deals.create(Deal(pipelineID: f.pipeline.id, stageID: f.stages[0].id, title: "Engine",
                                              value: Money(minorUnits: 100_00, currency: .eur), contactID: contact.id))
        for typed in ["۱:۰۵:۰۰", "٢٥"] {
            f.app.start(in: .pipeline)
            f.press(.char("n"))
            guard case .form(let form) = f.app.overlay else { return XCTFail("the log form") }
            f.type("Spoke")
            form.focus(field: "duration")
            f.type(typed)
            f.press(.ctrl("s"))
            XCTAssertNil(f.app.overlay, "\(typed): " + form.fields.compactMap(\.error).joined(separator: "; "))
        }
        let logged = try f.db.interactions.timeline(.deal(deal.id), before: nil, limit: 10).map(\.interaction)
        XCTAssertEqual(logged.compactMap(\.durationSeconds).sorted(), [1500, 3900])

        // The Persian calendar in Tehran, Persian digits on screen: a follow-up "۱۰ آذر ۱۴۰۶ ۱۴:۳۰".
        var settings = Settings()
        settings.calendar = .persian
        settings.timeZone = TimeZone(identifier: "Asia/Tehran")
        settings.digits = .persian
        f.app.apply(settings)
        f.app.start(in: .pipeline)
        f.press(.char("f"))
        guard case .form(let form) = f.app.overlay else { return XCTFail("the follow-up form") }
        form.focus(field: "due")
        f.press(.ctrl("u"))
        f.type("۱۰ آذر ۱۴۰۶ ۱۴:۳۰")
        let hint = form.fields.first { $0.name == "due" }?.hint ?? ""
        XCTAssertTrue(hint.contains("۱۰ Azar ۱۴۰۶ ۱۴:۳۰"), "what it understood, in the screen's digits: \(hint)")
        f.press(.ctrl("s"))
        XCTAssertNil(f.app.overlay, form.fields.compactMap(\.error).joined(separator: "; "))
        let due = try XCTUnwrap(f.db.followUps.open(dealID: deal.id).first?.followUp.dueAt)
        XCTAssertEqual(ISO8601DateFormatter().string(from: due), "2027-12-01T11:00:00Z")
    }
}
