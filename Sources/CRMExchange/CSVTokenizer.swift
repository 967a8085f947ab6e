import Foundation

/// One record of a CSV file: its fields, and the physical line where it
/// starts (a quoted field may hold line breaks, so records and lines differ).
public struct CSVRow: Sendable, Equatable {
    public var line: Int
    public var fields: [String]
    public init(line: Int, fields: [String]) { self.line = line; self.fields = fields }
}

/// Splits a CSV file into records per RFC 4180, one record at a time, from
/// a `TextChunkSource`: quoted fields may hold the delimiter, doubled quotes
/// and line breaks; records end with CRLF, LF or a lone CR. It holds one
/// chunk and one record, never the file; a record longer than
/// `maxRecordBytes` (16 MiB) stops the read, since no contact is that long
/// and a file with such a line is not CSV.
///
/// Lenient where real exports are sloppy and nothing is lost: a quote inside
/// an unquoted field is kept as text, text after a closing quote is kept.
struct CSVTokenizer {
    static let defaultMaxRecordBytes = 16 * 1024 * 1024
    static let maxColumns = 10_000

    private let source: TextChunkSource
    private(set) var delimiter: UInt8
    let maxRecordBytes: Int
    private var buffer: [UInt8] = []
    private var position = 0
    private var exhausted = false
    /// The physical line of the next byte.
    private var line = 1
    /// The most bytes held at once (chunk + record being read): what a test
    /// checks to know the file is streamed.
    private(set) var peakBufferedBytes = 0

    init(source: TextChunkSource, delimiter: UInt8? = nil, maxRecordBytes: Int = CSVTokenizer.defaultMaxRecordBytes) throws {
        self.source = source
        self.maxRecordBytes = maxRecordBytes
        self.delimiter = delimiter ?? UInt8(ascii: ",")
        if delimiter == nil {
            _ = try fill()
            if let named = Self.excelSeparatorLine(buffer[position...]) {
                // Excel's "sep=;" first line names the delimiter and is no record.
                self.delimiter = named.delimiter
                position += named.length
                line = 2
            } else {
                self.delimiter = Self.detectDelimiter(buffer[position...])
            }
        }
    }

    /// "sep=;" (or "sep=," / "sep=<tab>") and its line break, as Excel writes
    /// it before the header.
    static func excelSeparatorLine(_ bytes: ArraySlice<UInt8>) -> (delimiter: UInt8, length: Int)? {
        let prefix = Array(bytes.prefix(6))
        guard prefix.count >= 5, prefix[0...3].map({ $0 | 0x20 }) == Array("sep=".utf8) else { return nil }
        let delimiter = prefix[4]
        guard delimiter == UInt8(ascii: ",") || delimiter == UInt8(ascii: ";") || delimiter == 0x09 || delimiter == UInt8(ascii: "|") else { return nil }
        if prefix.count == 5 { return (delimiter, 5) }
        if prefix[5] == 0x0A { return (delimiter, 6) }
        if prefix[5] == 0x0D { return (delimiter, bytes.dropFirst(6).first == 0x0A ? 7 : 6) }
        return nil
    }

    var path: String { source.path }

    /// The delimiter of the file: of `,` `;` tab, the one that splits the
    /// first records (up to 11, outside quotes) most alike — the count seen
    /// on the most records, the larger count on a tie — so notes above the
    /// header (LinkedIn's "Notes:" lines, QA 28 #2) do not decide it; a
    /// comma when there is none (a one-column file). On one line, the most
    /// frequent.
    static func detectDelimiter(_ bytes: ArraySlice<UInt8>) -> UInt8 {
        let order: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t")]
        var records: [[UInt8: Int]] = []
        var counts: [UInt8: Int] = [:]
        var quoted = false
        for b in bytes {
            if b == UInt8(ascii: "\"") { quoted.toggle(); continue }
            if quoted { continue }
            if b == 0x0A || b == 0x0D {
                if !counts.isEmpty { records.append(counts) }
                counts = [:]
                if records.count == 11 { break }
                continue
            }
            if order.contains(b) { counts[b, default: 0] += 1 }
        }
        if !counts.isEmpty, records.count < 11 { records.append(counts) }
        // Per delimiter: how many records share its most common count.
        func score(_ d: UInt8) -> (records: Int, count: Int) {
            var seen: [Int: Int] = [:]
            for r in records { if let n = r[d] { seen[n, default: 0] += 1 } }
            return seen.max { ($0.value, $0.key) < ($1.value, $1.key) }.map { ($0.value, $0.key) } ?? (0, 0)
        }
        var best = order[0], bestScore = score(order[0])
        for d in order.dropFirst() {
            let s = score(d)
            if s.records > bestScore.records || (s.records == bestScore.records && s.count > bestScore.count) { best = d; bestScore = s }
        }
        return best
    }

    /// Makes sure at least one unread byte is buffered, unless the file ends.
    /// Returns false at the end.
    private mutating func fill() throws -> Bool {
        if position < buffer.count { return true }
        guard !exhausted, let chunk = try source.next() else { exhausted = true; return false }
        buffer = chunk
        position = 0
        return true
    }

    private enum State { case fieldStart, unquoted, quoted, quoteInQuoted }

    /// The next record; nil at the end of the file. Blank lines are not
    /// records (they hold no field).
    mutating func next() throws -> CSVRow? {
        let quote = UInt8(ascii: "\""), cr: UInt8 = 0x0D, lf: UInt8 = 0x0A
        while true {
            guard try fill() else { return nil }
            let start = line
            var fields: [String] = []
            var field: [UInt8] = []
            var recordBytes = 0
            var state = State.fieldStart
            var sawAnything = false
            var quoteLine = start

            func finishField() throws {
                guard let text = String(validating: field, as: UTF8.self) else {
                    throw source.notUTF8(line: start)
                }
                fields.append(text)
                field.removeAll(keepingCapacity: true)
                if fields.count > Self.maxColumns {
                    throw ImportFileError(.badData, path: path, line: start,
                                          message: "a record with more than \(Self.maxColumns) columns (is this a CSV file?)")
                }
            }

            record: while true {
                guard try fill() else {
                    if state == .quoted {
                        throw ImportFileError(.badData, path: path, line: quoteLine,
                                              message: "a quoted field starts here and is never closed; expected a closing \" before the end of the file")
                    }
                    break record
                }
                // Inside a field, take the run of ordinary bytes at once: only
                // the delimiter, a quote, a line break and NUL need a decision.
                if state == .unquoted || state == .quoted {
                    let run = buffer.withUnsafeBufferPointer { bytes -> Int in
                        var j = position
                        let delimiter = self.delimiter
                        while j < bytes.count {
                            let c = bytes[j]
                            if c == delimiter || c == quote || c == lf || c == cr || c == 0 { break }
                            j += 1
                        }
                        return j - position
                    }
                    if run > 0 {
                        field.append(contentsOf: buffer[position..<(position + run)])
                        position += run
                        recordBytes += run
                        if recordBytes > maxRecordBytes {
                            throw ImportFileError(.badData, path: path, line: start,
                                                  message: "a record longer than \(Self.describe(bytes: maxRecordBytes)) (is this a CSV file?)")
                        }
                        continue record
                    }
                }
                let b = buffer[position]
                position += 1
                recordBytes += 1
                if recordBytes > maxRecordBytes {
                    throw ImportFileError(.badData, path: path, line: start,
                                          message: "a record longer than \(Self.describe(bytes: maxRecordBytes)) (is this a CSV file?)")
                }
                peakBufferedBytes = max(peakBufferedBytes, buffer.count + recordBytes)
                if b == 0 {
                    throw ImportFileError(.badData, path: path, line: line,
                                          message: "a NUL byte: this is a binary file, not CSV text")
                }
                switch state {
                case .fieldStart, .unquoted:
                    if b == delimiter {
                        try finishField(); state = .fieldStart; sawAnything = true
                    } else if b == lf || b == cr {
                        if b == cr, try fill(), buffer[position] == lf { position += 1 }
                        line += 1
                        if !sawAnything && field.isEmpty && fields.isEmpty { break record }   // a blank line: skipped below
                        break record
                    } else if b == quote && state == .fieldStart {
                        state = .quoted; sawAnything = true; quoteLine = line
                    } else {
                        field.append(b); state = .unquoted; sawAnything = true
                    }
                case .quoted:
                    if b == quote {
                        state = .quoteInQuoted
                    } else if b == cr {
                        // A line break inside a field is kept as "\n", whether
                        // the file wrote CRLF (Outlook) or a lone CR.
                        field.append(lf)
                        if try fill(), buffer[position] == lf { position += 1; recordBytes += 1 }
                        line += 1
                    } else {
                        field.append(b)
                        if b == lf { line += 1 }
                    }
                case .quoteInQuoted:
                    if b == quote {
                        field.append(quote); state = .quoted
                    } else if b == delimiter {
                        try finishField(); state = .fieldStart
                    } else if b == lf || b == cr {
                        if b == cr, try fill(), buffer[position] == lf { position += 1 }
                        line += 1
                        break record
                    } else {
                        field.append(b); state = .unquoted
                    }
                }
            }
            if !sawAnything && field.isEmpty && fields.isEmpty {
                if exhausted { return nil }
                continue
            }
            try finishField()
            return CSVRow(line: start, fields: fields)
        }
    }

    static func describe(bytes: Int) -> String {
        bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0 ? "\(bytes / (1024 * 1024)) MiB"
            : bytes >= 1024 && bytes % 1024 == 0 ? "\(bytes / 1024) KiB" : "\(bytes) bytes"
    }
}
