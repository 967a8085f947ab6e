import CRMCore
import CRMRepositories
import CRMStore
@testable import CRMViewModels
import XCTest

/// Every number a person types is range-checked where it is typed: the form
/// or prompt says which field and what range, keeps the text, and nothing
/// is stored. Each input here crashed or stored a value that crashed the board
/// before (QA's "Hardened: no input crashes it").
final class NumberInputTests: XCTestCase {
    /// Opens the new-deal form, fills the title and `field` with `text`, saves.
    private func typeIntoNewDeal(_ f: PipelineFixture, value: String, currency: String? = nil,
                                 close: String? = nil) throws -> FormModel {
        f.press(.char("a"))
        guard case .form(let form) = f.app.overlay else { throw XCTSkip("expected the deal form") }
        f.type("Huge")
        form.focus(field: "value")
        f.type(value)
        if let currency {
            form.focus(field: "currency")
            f.press(.ctrl("u"))
            f.type(currency)
        }
        if let close {
            form.focus(field: "close")
            f.type(close)
        }
        f.press(.ctrl("s"))
        return form
    }

    private func error(_ form: FormModel, _ field: String) -> String {
        form.fields.first { $0.name == field }?.error ?? ""
    }

    func testDealValuesBeyondTheLimitAreRefusedInTheFormWithTheLimit() throws {
        let f = try PipelineFixture()
        f.start()
        // QA's inputs: a value whose weighted total overflowed, and one that
        // overflowed while being parsed.
        for typed in ["9300000000000000", "92233720368547758.99", "10000000000000", "99999999999999999999999999", "9e18"] {
            let form = try typeIntoNewDeal(f, value: typed)
            XCTAssertNotNil(f.app.overlay, "the form stays open for \(typed)")
            XCTAssertEqual(form["value"], typed, "what was typed is kept")
            XCTAssertEqual(form.focusedField.name, "value")
            if typed == "9e18" {
                XCTAssertTrue(error(form, "value").contains("is not an amount"), error(form, "value"))
            } else {
                XCTAssertTrue(error(form, "value").contains("at most 9,999,999,999,999.99 EUR"), error(form, "value"))
            }
            f.press(.escape, .char("y"))
            XCTAssertNil(f.app.overlay)
        }
        XCTAssertEqual(try f.db.deals.stageTotals(stageID: f.stages[0].id, filter: DealFilter()).count, 0, "nothing was saved")

        // The limit itself is a valid value, in every kind of currency, and
        // the board adds and weights it (10 % stage).
        for (typed, code, minor) in [("9,999,999,999,999.99", "EUR", Money.maxMinorUnits),
                                     ("999,999,999,999,999", "JPY", Money.maxMinorUnits),
                                     ("999999999999.999", "KWD", Money.maxMinorUnits)] {
            _ = try typeIntoNewDeal(f, value: typed, currency: code)
            XCTAssertNil(f.app.overlay, "\(typed) \(code) is saved")
            XCTAssertEqual(f.vm.focusedCard?.deal.value, Money(minorUnits: minor, currency: Currency(code)!))
        }
        let totals = f.vm.columns[0].totals
        XCTAssertEqual(totals.count, 3)
        let eur = try XCTUnwrap(totals.byCurrency.first { $0.currency == .eur })
        XCTAssertEqual(eur.sum?.minorUnits, Money.maxMinorUnits)
        XCTAssertEqual(eur.weighted?.minorUnits, 100_000_000_000_000, "10 % of the maximum, rounded half up")

        // One minor unit more is refused, in each currency's own terms.
        for (typed, code, limit) in [("1000000000000000", "JPY", "at most 999,999,999,999,999 JPY"),
                                     ("1000000000000", "KWD", "at most 999,999,999,999.999 KWD")] {
            let form = try typeIntoNewDeal(f, value: typed, currency: code)
            XCTAssertTrue(error(form, "value").contains(limit), error(form, "value"))
            f.press(.escape, .char("y"))
        }
    }

    func testTheDealFormSaysWhatATypedAmountWillBeSavedAs() throws {
        let f = try PipelineFixture()
        f.start()
        f.press(.char("a"))
        guard case .form(let form) = f.app.overlay else { return XCTFail("the deal form") }
        func hint() -> String { form.fields.first { $0.name == "value" }?.hint ?? "" }
        form.focus(field: "value")
        f.type("12.345")
        XCTAssertEqual(hint(), "→ 12,345.00 EUR", "a dot before three digits groups thousands in EUR")
        form.focus(field: "currency")
        f.press(.ctrl("u"))
        f.type("KWD")
        XCTAssertEqual(hint(), "→ 12.345 KWD", "but is the decimal point in KWD")
        form.focus(field: "value")
        f.press(.ctrl("u"))
        f.type("0.001")
        XCTAssertTrue(hint().hasPrefix("→ 0.001 KWD"), hint())
        form.focus(field: "currency")
        f.press(.ctrl("u"))
        f.type("EUR")
        XCTAssertTrue(hint().hasPrefix("? "), "0.001 is no amount in EUR: \(hint())")
    }

    func testACurrencyThatIsNotISO4217IsRefusedAndTheValueKept() throws {
        let f = try PipelineFixture()
        f.start()
        for code in ["XYZ", "EURO", "ANG", "12$"] {
            let form = try typeIntoNewDeal(f, value: "1200", currency: code)
            XCTAssertNotNil(f.app.overlay)
            XCTAssertTrue(error(form, "currency").contains("is not an ISO 4217 currency code"), "\(code): \(error(form, "currency"))")
            XCTAssertEqual(form["currency"], code)
            XCTAssertEqual(form["value"], "1200")
            f.press(.escape, .char("y"))
        }
        // Lower case is the same code.
        _ = try typeIntoNewDeal(f, value: "1.5", currency: "kwd")
        XCTAssertEqual(f.vm.focusedCard?.deal.value, Money(minorUnits: 1500, currency: Currency("KWD")!))
    }

    func testCloseDatesFarInThePastOrFutureAreRefused() throws {
        let f = try PipelineFixture()
        f.start()
        for typed in ["99999-01-01", "0001-01-01", "1899-12-31", "9223372036854775807-01-01"] {
            let form = try typeIntoNewDeal(f, value: "100", close: typed)
            XCTAssertNotNil(f.app.overlay, typed)
            let message = error(form, "close")
            XCTAssertTrue(message.contains("out of range") && message.contains("1 Jan 1900") && message.contains("31 Dec 9999"),
                          "\(typed): \(message)")
            XCTAssertEqual(form["close"], typed)
            f.press(.escape, .char("y"))
        }
        _ = try typeIntoNewDeal(f, value: "100", close: "9999-12-31")
        XCTAssertNil(f.app.overlay, "the last day of 9999 is still a date")
        // The board's "closing before" filter reads dates the same way.
        f.press(.char("b"))
        f.type("99999-01-01")
        f.press(.enter)
        XCTAssertTrue(f.app.statusMessage?.text.contains("out of range") ?? false, f.app.statusMessage?.text ?? "")
    }

    func testProbabilityAndRotDaysPromptsSayTheRangeAndKeepTheText() throws {
        let f = try PipelineFixture()
        f.start()
        let stage = f.stages[0]
        for typed in ["1000", "99999999999999999999", "-5", "abc", "50.5"] {
            f.press(.char("%"))
            f.type(typed)
            f.press(.enter)
            let message = try XCTUnwrap(f.app.statusMessage)
            XCTAssertEqual(message.kind, .error)
            XCTAssertTrue(message.text.hasPrefix("Probability:") && message.text.contains("0 to 100"), message.text)
            guard case .prompt(let prompt) = f.app.overlay else { return XCTFail("the prompt comes back for \(typed)") }
            XCTAssertEqual(prompt.input.text, typed, "with what was typed")
            f.press(.escape)
        }
        XCTAssertEqual(try f.db.pipelines.stage(stage.id)?.probability, stage.probability, "nothing was saved")
        f.press(.char("%"))
        f.type("40%")
        f.press(.enter)
        XCTAssertEqual(try f.db.pipelines.stage(stage.id)?.probability, 40)

        for typed in ["9223372036854775808", "100000", "3651", "0", "-1", "two"] {
            f.press(.char("T"))
            f.type(typed)
            f.press(.enter)
            let message = try XCTUnwrap(f.app.statusMessage)
            XCTAssertTrue(message.text.hasPrefix("Rotting days:") && message.text.contains("1 to 3650"), message.text)
            guard case .prompt(let prompt) = f.app.overlay else { return XCTFail("the prompt comes back for \(typed)") }
            XCTAssertEqual(prompt.input.text, typed)
            f.press(.escape)
        }
        XCTAssertNil(try f.db.pipelines.stage(stage.id)?.rotDays)
        f.press(.char("T"))
        f.type("3650")
        f.press(.enter)
        XCTAssertEqual(try f.db.pipelines.stage(stage.id)?.rotDays, 3650)
    }

    /// The log form on a contact and on a deal: QA's durations crashed the
    /// program while being multiplied out.
    func testDurationsInTheLogFormsAreRangeChecked() throws {
        let f = try PipelineFixture()
        let contact = try f.db.contacts.create(Contact(name: "Ada Lovelace"))
        let deal = try f.db.deals.create(Deal(pipelineID: f.pipeline.id, stageID: f.stages[0].id, title: "Engine",
                                              value: Money(minorUnits: 100_00, currency: .eur), contactID: contact.id))
        func log(in open: () -> Void, duration: String) throws -> FormModel {
            open()
            guard case .form(let form) = f.app.overlay else { throw XCTSkip("expected the log form") }
            f.type("Spoke")
            form.focus(field: "duration")
            f.type(duration)
            f.press(.ctrl("s"))
            return form
        }
        let openers: [(String, () -> Void)] = [
            ("contact", { f.app.start(in: .contacts); f.press(.char("n")) }),
            ("deal", { f.app.start(in: .pipeline); f.press(.char("n")) }),
        ]
        for (place, open) in openers {
            for typed in ["200000000000000000", "153722867280912931:00", "1441", "24:00:01", "9223372036854775807:59:59", "12:75", "-5", "1:2:3:4"] {
                let form = try log(in: open, duration: typed)
                XCTAssertNotNil(f.app.overlay, "\(place): the form stays open for \(typed)")
                let message = error(form, "duration")
                XCTAssertTrue(message.hasPrefix("duration: \"\(typed)\""), "\(place) \(typed): \(message)")
                if ["200000000000000000", "153722867280912931:00", "1441", "24:00:01", "9223372036854775807:59:59"].contains(typed) {
                    XCTAssertTrue(message.contains("at most 24 hours (1440 minutes, 24:00:00)"), message)
                }
                XCTAssertEqual(form["duration"], typed)
                XCTAssertEqual(form["body"], "Spoke", "the note is kept")
                f.press(.escape, .char("y"))
            }
            _ = try log(in: open, duration: "1:05:00")
            XCTAssertNil(f.app.overlay, "\(place): h:mm:ss is a duration")
        }
        let logged = try f.db.interactions.timeline(.deal(deal.id), before: nil, limit: 10).map(\.interaction)
        XCTAssertEqual(logged.compactMap(\.durationSeconds), [3900])
        let onContact = try f.db.interactions.timeline(.contact(contact.id), before: nil, limit: 10).map(\.interaction)
        XCTAssertEqual(onContact.compactMap(\.durationSeconds), [3900, 3900])
    }

    /// Call mode forgotten over a weekend: the call is logged with the
    /// longest duration there is instead of being refused with the note.
    func testACallTimerLeftRunningPastADayIsLoggedAsADay() throws {
        let f = try PipelineFixture()
        let contact = try f.db.contacts.create(Contact(name: "Ada Lovelace"))
        f.app.start(in: .contacts)
        f.press(.char("c"))
        guard case .call = f.app.overlay else { return XCTFail("c starts call mode") }
        f.type("Left running")
        f.clock.advance(by: 3 * 86_400)
        f.press(.ctrl("s"))
        XCTAssertNil(f.app.overlay, f.app.statusMessage?.text ?? "")
        XCTAssertEqual(f.app.statusMessage?.text, "Logged 24:00:00 call with Ada Lovelace")
        let logged = try XCTUnwrap(f.db.interactions.timeline(.contact(contact.id), before: nil, limit: 1).first?.interaction)
        XCTAssertEqual(logged.durationSeconds, Interaction.maxDurationSeconds)
        XCTAssertEqual(logged.body, "Left running")
    }

    /// New deals start in the currency of the settings; the settings file
    /// takes only ISO 4217 codes.
    func testTheSettingsCurrencyIsAnISOCodeAndUsedForNewDeals() throws {
        let (parsed, problems) = SettingsFile.parse("currency = XYZ\n")
        XCTAssertEqual(parsed.currency, "EUR", "the default stays")
        XCTAssertTrue(problems.first?.message.contains("is not an ISO 4217 currency code") ?? false, "\(problems)")
        XCTAssertEqual(SettingsFile.parse("currency = jpy\n").0.currency, "JPY")

        let f = try PipelineFixture()
        var settings = Settings()
        settings.currency = "JPY"
        let app = AppModel(repositories: f.db, clock: f.clock, timeFormat: TimeFormat(timeZone: TimeZone(identifier: "UTC")!),
                           settings: settings)
        app.start(in: .pipeline)
        app.handle(.key(.char("a")))
        guard case .form(let form) = app.overlay else { return XCTFail("expected the deal form") }
        XCTAssertEqual(form["currency"], "JPY")
    }

    func testDueDatesFarAwayAreRefusedWithTheRange() throws {
        var gregorian = Calendar(identifier: .gregorian)
        gregorian.timeZone = TimeZone(identifier: "Europe/Berlin")!
        let parser = DueDateParser(calendar: gregorian)
        let now = Date(timeIntervalSince1970: 1_773_489_600)
        for typed in ["27 nov 99999", "+10000y", "1899-12-31", "27 nov 9223372036854775807", "0001-01-01"] {
            guard case .failure(let error) = parser.parse(typed, now: now) else { return XCTFail("\(typed) was accepted") }
            XCTAssertTrue(error.message.contains("1 Jan 1900 to 31 Dec 9999") || error.message.contains("can't read"),
                          "\(typed): \(error.message)")
        }
        XCTAssertTrue(DueDateParserTestsSupport.message(parser, "+10000y", now).contains("out of range"))
        guard case .success = parser.parse("9999-12-31 23:59", now: now) else { return XCTFail("the last minute of 9999 is a date") }
        var persian = Calendar(identifier: .persian)
        persian.timeZone = TimeZone(identifier: "Asia/Tehran")!
        XCTAssertTrue(DueDateParserTestsSupport.message(DueDateParser(calendar: persian), "+10000y", now).contains("1278"),
                      "the range in the user's own calendar")
    }
}

enum DueDateParserTestsSupport {
    static func message(_ parser: DueDateParser, _ text: String, _ now: Date) -> String {
        if case .failure(let error) = parser.parse(text, now: now) { return error.message }
        return ""
    }
}
