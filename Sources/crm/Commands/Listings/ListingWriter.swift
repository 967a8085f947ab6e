import CRMExchange
import CRMTerminal
import Foundation

/// How a listing prints.
enum ListingFormat {
    /// Aligned columns for people, every text sanitised.
    case table
    /// One JSON array.
    case json
    /// One JSON object a line.
    case jsonl
    /// RFC 4180, a header line first.
    case csv
}

/// A column of the readable table: its header, the most columns it may take
/// (longer text is cut with "…"), and whether it is right-aligned.
struct TableColumn {
    let header: String
    let cap: Int
    var right = false
}

/// Prints records as they come, a page at a time, in flat memory: the JSON
/// array is opened, filled and closed without holding it; the table measures
/// its columns on the first rows only (at most `measured`), and cuts later
/// cells that are wider.
final class ListingWriter {
    let format: ListingFormat
    let schema: ListingSchema
    let columns: [TableColumn]
    /// Rows of the table waiting for their column widths.
    private var pending: [[String]] = []
    private var widths: [Int]?
    private var count = 0
    private let csvExact: Bool
    static let measured = 200

    init(format: ListingFormat, schema: ListingSchema, columns: [TableColumn]) {
        self.format = format
        self.schema = schema
        self.columns = columns
        // CSV keeps stored text exact for a file or a pipe; on a terminal its
        // control characters are shown as symbols, like everything else.
        csvExact = isatty(STDOUT_FILENO) != 1
    }

    func begin() {
        if format == .csv { write(csvLine(schema.names)) }
    }

    /// One record; `cells`: its row of the table (ignored by other formats).
    func add(_ record: ListingRecord, cells: @autoclosure () -> [String]) {
        switch format {
        case .json:
            write((count == 0 ? "[\n" : ",\n") + ListingJSON.pretty(record, indent: 2))
        case .jsonl:
            write(ListingJSON.line(record) + "\n")
        case .csv:
            write(csvLine(record.cells))
        case .table:
            let row = cells().map { TextSanitizer.singleLine($0) }
            if let widths {
                write(line(row, widths))
            } else {
                pending.append(row)
                if pending.count >= Self.measured { flushTable() }
            }
        }
        count += 1
    }

    /// Closes the listing; the number of records written.
    @discardableResult
    func end() -> Int {
        switch format {
        case .json: write(count == 0 ? "[]\n" : "\n]\n")
        case .table: flushTable()
        default: break
        }
        flush()
        return count
    }

    private func csvLine(_ cells: [String]) -> String {
        CSVField.record(csvExact ? cells : cells.map(Output.sanitized))
    }

    private func flushTable() {
        guard widths == nil else { return }
        let measuredWidths = columns.indices.map { i in
            min(columns[i].cap, max(DisplayWidth.width(of: columns[i].header),
                                    pending.map { DisplayWidth.width(of: DisplayWidth.truncate($0[i], to: columns[i].cap)) }.max() ?? 0))
        }
        widths = measuredWidths
        write(line(columns.map(\.header), measuredWidths))
        for row in pending { write(line(row, measuredWidths)) }
        pending = []
    }

    /// A row of cells, two spaces apart, the last one not padded.
    private func line(_ cells: [String], _ widths: [Int]) -> String {
        var parts: [String] = []
        for (i, cell) in cells.enumerated() {
            let last = i == cells.count - 1
            if last && !columns[i].right {
                parts.append(DisplayWidth.truncate(cell, to: widths[i]))
            } else {
                parts.append(DisplayWidth.pad(cell, to: widths[i], align: columns[i].right ? .right : .left))
            }
        }
        return parts.joined(separator: "  ") + "\n"
    }

    /// Output waiting to be written: one write per 64 KiB rather than per record.
    private var buffer = ""

    private func write(_ text: String) {
        buffer += text
        if buffer.utf8.count >= 65_536 { flush() }
    }

    private func flush() {
        Output.write(buffer)
        buffer = ""
    }
}
