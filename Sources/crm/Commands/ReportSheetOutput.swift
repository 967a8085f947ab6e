import CRMCore
import CRMExchange
import CRMRepositories
import CRMTerminal
import CRMViewModels
import Foundation

/// A report sheet as `crm report` prints it: text laid out as the screen
/// lays it out (without the bars), JSON with typed figures, or CSV with one
/// section after another.
enum ReportSheetOutput {
    /// Tables as wide as they need, up to this (a mail or a pipe has no width).
    static let textWidth = 200

    static func text(_ sheet: ReportSheet, heading: String, text: ReportValueText) -> String {
        var lines = [heading, ""]
        if sheet.sections.isEmpty { lines.append(sheet.page.title) }
        for section in sheet.sections {
            let table = ReportTable(section, text: text, width: textWidth, bars: false)
            lines.append(section.title)
            lines += table.header.map(trimmed)
            lines += section.rows.indices.flatMap { table.lines(row: $0).map(trimmed) }
            lines.append("")
        }
        lines += sheet.notes
        return lines.joined(separator: "\n")
    }

    private static func trimmed(_ s: String) -> String {
        var s = s
        while s.hasSuffix(" ") { s.removeLast() }
        return s
    }

    // MARK: JSON

    static func json(_ sheet: ReportSheet, filter: ReportFilter, period: ReportPeriod, settings: Settings) -> [String: Any] {
        [
            "page": sheet.page.rawValue,
            "title": sheet.page.title,
            "calendar": settings.calendar.rawValue,
            "period": ["name": period.name, "start": iso(filter.start), "end": iso(filter.end)],
            "filter": [
                "pipeline_ids": filter.pipelineIDs, "owner_ids": filter.ownerIDs,
                "currency": filter.currency?.code as Any? ?? NSNull(),
            ] as [String: Any],
            "sections": sheet.sections.map { section -> [String: Any] in
                [
                    "key": section.key, "title": section.title,
                    "columns": section.columns.map { ["key": $0.key, "title": $0.title] },
                    "bar_column": section.barColumn as Any? ?? NSNull(),
                    "sparkline": section.sparkline,
                    "rows": section.rows.map { row -> [String: Any] in
                        var values: [String: Any] = [:]
                        for (i, column) in section.columns.enumerated() {
                            values[column.key] = row.values.indices.contains(i) ? json(row.values[i], settings: settings) : NSNull()
                        }
                        return ["values": values, "total": row.isTotal, "drill": drill(row.drill)]
                    },
                ]
            },
            "notes": sheet.notes,
        ]
    }

    static func json(_ value: ReportValue, settings: Settings) -> Any {
        switch value {
        case .text(let t): return t
        case .count(let n): return n
        case .money(let m, let converted):
            return ["amount": m.formatted(withCode: false).replacingOccurrences(of: ",", with: ""), "currency": m.currency.code,
                    "minor_units": m.minorUnits, "converted": converted] as [String: Any]
        case .percent(let p): return p as Any? ?? NSNull()
        case .days(let d): return d as Any? ?? NSNull()
        case .number(let n): return n as Any? ?? NSNull()
        case .date(let d): return iso(d)
        case .month(let year, let month): return String(format: "%04d-%02d", year, month)
        case .empty: return NSNull()
        }
    }

    static func drill(_ drill: ReportDrill?) -> Any {
        switch drill {
        case .deals(let ids)?: ["deals": ids]
        case .contacts(let ids)?: ["contacts": ids]
        case .followUps(let ids)?: ["follow_ups": ids]
        // ReportCommand resolves the sheet's drills before printing JSON;
        // one left unresolved says what it is rather than a wrong list.
        case .counted(let query)?: ["counted": query.noun]
        case nil: NSNull()
        }
    }

    // MARK: CSV

    /// Each section: a header record (`section`, the column keys, an amount
    /// column's currency beside it, `total`), then its rows; a blank line
    /// between sections. Amounts are plain numbers a spreadsheet sums.
    static func writeCSV(_ sheet: ReportSheet, text: ReportValueText) {
        var out = ""
        for (n, section) in sheet.sections.enumerated() {
            if n > 0 { out += "\r\n" }
            let money = section.columns.indices.map { i in
                section.rows.contains { row in row.values.indices.contains(i) && { if case .money = row.values[i] { true } else { false } }() }
            }
            var header = ["section"]
            for (i, column) in section.columns.enumerated() {
                header.append(column.key)
                if money[i] { header.append(column.key + "_currency") }
            }
            out += CSVField.record(header + ["total"])
            for row in section.rows {
                var fields = [section.key]
                for i in section.columns.indices {
                    let value = row.values.indices.contains(i) ? row.values[i] : .empty
                    fields.append(csv(value, text: text))
                    if money[i] {
                        if case .money(let m, _) = value { fields.append(m.currency.code) } else { fields.append("") }
                    }
                }
                out += CSVField.record(fields.map(Output.sanitized) + [row.isTotal ? "1" : ""])
            }
        }
        Output.write(out)
    }

    static func csv(_ value: ReportValue, text: ReportValueText) -> String {
        switch value {
        case .count(let n): String(n)
        case .money(let m, _): m.formatted(withCode: false).replacingOccurrences(of: ",", with: "")
        case .percent(let p): p.map { String(format: "%.4f", $0) } ?? ""
        case .days(let d): d.map { String(format: "%.2f", $0) } ?? ""
        case .number(let n): n.map { String(format: "%.4f", $0) } ?? ""
        case .month(let year, let month): String(format: "%04d-%02d", year, month)
        case .date, .text: text.text(value)
        case .empty: ""
        }
    }
}
