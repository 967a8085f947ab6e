import CRMCore
import CRMExchange
import CRMRepositories
import CRMStore
import CRMTerminal
import CRMViewModels
import Foundation

// `crm report pipeline|forecast|winloss|people|customers [--period P]
//      [--owner LOGIN[,LOGIN]] [--pipeline NAME[,NAME]] [--currency CODE]
//      [--json|--csv] [--user LOGIN] [--db PATH]`
//
// The sheet of a Reports page (view 5), built by the same builder the
// screen calls: as text by default, as JSON, or as CSV (one section after
// another) for a spreadsheet. Reads the database without changing it, as
// `crm lookup` does.
enum ReportCommand {
    enum Format { case text, json, csv }

    static func run(_ args: [String]) throws -> Int32 {
        var reader = ArgumentReader(args, command: "report")
        var pageName: String?
        var periodText: String?, ownerText: String?, pipelineText: String?, currencyText: String?
        var dbOption: String?, login: String?
        var format = Format.text
        while let arg = reader.next() {
            switch arg {
            case .option("--period", let v): periodText = try reader.value("--period", inline: v, expected: ReportPeriod.examples)
            case .option("--owner", let v): ownerText = try reader.value("--owner", inline: v, expected: "a login, or several separated by commas")
            case .option("--pipeline", let v): pipelineText = try reader.value("--pipeline", inline: v, expected: "a pipeline's name, or several separated by commas")
            case .option("--currency", let v): currencyText = try reader.value("--currency", inline: v, expected: "an ISO 4217 code such as EUR")
            case .option("--json", let v):
                if try reader.flag("--json", inline: v) {
                    if format == .csv { throw reader.fail("--json and --csv: choose one") }
                    format = .json
                }
            case .option("--csv", let v):
                if try reader.flag("--csv", inline: v) {
                    if format == .json { throw reader.fail("--json and --csv: choose one") }
                    format = .csv
                }
            case .option("--user", let v): login = try reader.value("--user", inline: v, expected: "a login")
            case .option("--db", let v): dbOption = try reader.value("--db", inline: v, expected: "the path of a database file or a PostgreSQL connection string")
            case .option("--help", _), .option("-h", _):
                Output.print(Help.text("report"))
                return ExitCode.ok
            case .positional(let text):
                guard pageName == nil else { throw reader.fail("one page at a time; \"\(text)\" is one too many") }
                pageName = text
            default: throw reader.unknown(arg)
            }
        }
        let names = ReportPage.allCases.map(\.rawValue).joined(separator: ", ")
        guard let pageName else { throw reader.fail("name the page: \(names)") }
        guard let page = ReportPage(rawValue: pageName.lowercased()) else {
            throw reader.fail("\"\(pageName)\" is no report page; expected one of \(names)")
        }
        let settings = CommandSettings.load()
        let now = Date()
        var period = ReportPeriod.month
        if let periodText {
            switch ReportPeriod.parse(periodText, now: now, calendar: settings.effectiveCalendar) {
            case .success(let p): period = p
            case .failure(let e): throw reader.fail("--period: \(e.message)")
            }
        }
        var currency: Currency?
        if let currencyText {
            guard let c = Currency(currencyText) else {
                throw reader.fail("--currency: \"\(currencyText)\" is not an ISO 4217 currency code; expected e.g. EUR, USD, IRR")
            }
            currency = c
        }
        let (sheet, filter, summary): (ReportSheet, ReportFilter, String)
        do {
            (sheet, filter, summary) = try Opening.reading(option: dbOption, acting: .person(login)) { db in
                let interval = period.interval(now: now, calendar: settings.effectiveCalendar)
                var filter = ReportFilter(start: interval.start, end: interval.end, currency: currency, now: now)
                var pipelineNames = "all pipelines"
                if let pipelineText {
                    let all = try db.pipelineRepository.pipelines()
                    var found: [String] = []
                    for name in ReportsModel.names(pipelineText) {
                        guard let p = DealsCommand.named(name, in: all, \.name, \.id).first else {
                            throw UsageError(message: "--pipeline: there is no pipeline \"\(name)\"; pipelines: \(all.map(\.name).joined(separator: ", "))",
                                             command: "report")
                        }
                        filter.pipelineIDs.append(p.id)
                        // Named as stored, not as typed ("sales": Sales, QA 44).
                        found.append(all.first { $0.id == p.id }?.name ?? name)
                    }
                    pipelineNames = found.joined(separator: ", ")
                }
                let me = db.currentUser
                // Read-only, so a login the database does not know is not
                // created: it is refused (exit 67) rather than shown the
                // empty figures of a rep who owns nothing.
                guard try db.userRepository.find(login: me.login) != nil else {
                    throw Failure(UserRefusal.unknown(me.login, known: try db.userRepository.all().filter(\.isActive).map(\.login)))
                }
                var ownerNames = "everyone"
                if let ownerText {
                    let users = try db.allUsers()
                    for name in ReportsModel.names(ownerText) {
                        guard let u = users.first(where: { $0.login.lowercased() == name.lowercased() }) else {
                            throw Failure("--owner: no user \"\(name)\"; users: \(users.map(\.login).sorted().joined(separator: ", "))",
                                          status: ExitCode.noUser)
                        }
                        filter.ownerIDs.append(u.id)
                    }
                    ownerNames = ReportsModel.names(ownerText).joined(separator: ", ")
                }
                // A user who may not see everyone's figures gets their own.
                if !me.role.may(.seeEveryonesReports) {
                    if filter.ownerIDs.contains(where: { $0 != me.id }) {
                        throw Failure("--owner: \(Permission.seeEveryonesReports.refusal); \(me.login) sees their own figures",
                                      status: ExitCode.noPermission)
                    }
                    filter.ownerIDs = [me.id]
                    ownerNames = me.login
                }
                var sheet = try ReportSheets.build(page, filter, repositories: db, settings: settings)
                // JSON lists the records behind each figure: those the page
                // only counted are fetched now, while the database is open.
                if format == .json { sheet = try sheet.resolvingDrills(db) }
                return (sheet, filter, "\(pipelineNames) · \(ownerNames) · \(currency?.code ?? "all currencies")")
            }
        }
        let timeFormat = TimeFormat(settings: settings)
        timeFormat.digits = .ascii
        switch format {
        case .json: Output.json(try JSONText.encode(ReportSheetOutput.json(sheet, filter: filter, period: period, settings: settings)))
        case .csv: ReportSheetOutput.writeCSV(sheet, text: ReportValueText(timeFormat: timeFormat))
        case .text:
            let days = ReportValueText(timeFormat: timeFormat).days(filter)
            Output.print(ReportSheetOutput.text(sheet, heading: "\(sheet.page.title) · \(period.name) (\(days)) · \(summary)",
                                                text: ReportValueText(timeFormat: timeFormat)))
        }
        return ExitCode.ok
    }
}
