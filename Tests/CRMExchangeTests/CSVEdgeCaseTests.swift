import CRMCore
@testable import CRMExchange
import XCTest

/// RFC 4180 and the ways real files differ from it, and the files that are
/// not CSV at all.
final class CSVEdgeCaseTests: XCTestCase {
    var folder: TempFolder!
    override func setUpWithError() throws { folder = try TempFolder() }
    override func tearDown() { folder = nil }

    private func rows(_ bytes: [UInt8], encoding: String? = nil) throws -> [CSVRow] {
        let path = try folder.write("t.csv", bytes)
        var tokenizer = try CSVTokenizer(source: TextChunkSource(path: path, encoding: TextEncoding.request(named: encoding, path: path)))
        var out: [CSVRow] = []
        while let row = try tokenizer.next() { out.append(row) }
        return out
    }

    private func rows(_ text: String) throws -> [CSVRow] { try rows(Array(text.utf8)) }

    func testQuotedFieldsHoldDelimitersQuotesAndLineBreaks() throws {
        let parsed = try rows("name,notes\n\"Müller, Günter\",\"He said \"\"hi\"\"\nand left\"\nAnna,\"\"\n")
        XCTAssertEqual(parsed, [CSVRow(line: 1, fields: ["name", "notes"]),
                                CSVRow(line: 2, fields: ["Müller, Günter", "He said \"hi\"\nand left"]),
                                CSVRow(line: 4, fields: ["Anna", ""])])
    }

    func testCRLFAndLoneCRAndNoFinalLineBreak() throws {
        XCTAssertEqual(try rows("a,b\r\n1,2\r\n\r\n3,\"x\r\ny\"\r\n4,5"),
                       [CSVRow(line: 1, fields: ["a", "b"]), CSVRow(line: 2, fields: ["1", "2"]),
                        CSVRow(line: 4, fields: ["3", "x\ny"]), CSVRow(line: 6, fields: ["4", "5"])],
                       "a line break inside a field is kept as \\n, as the rest of the program keeps it")
        XCTAssertEqual(try rows("a\r\n\"x\ry\"\r\n"), [CSVRow(line: 1, fields: ["a"]), CSVRow(line: 2, fields: ["x\ny"])], "a lone CR too")
        XCTAssertEqual(try rows("a,b\r1,2\r"), [CSVRow(line: 1, fields: ["a", "b"]), CSVRow(line: 2, fields: ["1", "2"])])
    }

    func testEmptyTrailingFieldsAndSloppyQuotes() throws {
        XCTAssertEqual(try rows("a,b,c\n1,,\n2,x\"y,\"q\"z\n"),
                       [CSVRow(line: 1, fields: ["a", "b", "c"]), CSVRow(line: 2, fields: ["1", "", ""]),
                        CSVRow(line: 3, fields: ["2", "x\"y", "qz"])])
    }

    func testByteOrderMarkIsDropped() throws {
        XCTAssertEqual(try rows([0xEF, 0xBB, 0xBF] + Array("Name,Email\nA,a@b.de\n".utf8)).first?.fields, ["Name", "Email"])
    }

    func testDelimiterIsDetectedFromTheHeader() throws {
        let semicolon = try folder.write("s.csv", "Vorname;Nachname;E-Mail\nGünter;Müller;\"g@x.de; gm@y.de\"\n")
        var reader = try CSVImportReader(path: semicolon, mapping: "Vorname=first_name,Nachname=last_name,E-Mail=email")
        XCTAssertEqual(reader.delimiter, ";")
        guard case .record(let r)? = try reader.next() else { return XCTFail() }
        XCTAssertEqual(r.name, "Günter Müller")
        XCTAssertEqual(r.emails.map(\.address), ["g@x.de", "gm@y.de"])

        let tab = try folder.write("t.tsv", "Name\tEmail\tNotes\nAnna Schmidt\tanna@x.de\ta, b; c\n")
        let tabReader = try CSVImportReader(path: tab)
        XCTAssertEqual(tabReader.delimiter, "\t")
        let got = records(try readAll(tabReader))
        XCTAssertEqual(got.first?.notes, "a, b; c")
        XCTAssertEqual(got.first?.emails, [EmailAddress("anna@x.de")])
    }

    func testExcelsSeparatorLine() throws {
        let path = try folder.write("x.csv", "sep=;\r\nName;Email\r\nMüller, Günter;g@x.de\r\n")
        let reader = try CSVImportReader(path: path)
        XCTAssertEqual(reader.delimiter, ";")
        let r = records(try readAll(reader))
        XCTAssertEqual(r.map(\.name), ["Müller, Günter"])
        XCTAssertEqual(r.first?.line, 3)
    }

    func testUTF16LittleEndianWithByteOrderMark() throws {
        let text = "Name,Email\r\nGünter Müller,g@x.de\r\n王小明,w@x.cn\r\n😀 Emoji,e@x.de\r\n"
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in text.utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        let path = try folder.write("u16.csv", bytes)
        let reader = try CSVImportReader(path: path)
        XCTAssertEqual(reader.encoding, .utf16LE)
        XCTAssertEqual(records(try readAll(reader)).map(\.name), ["Günter Müller", "王小明", "😀 Emoji"])
    }

    func testUTF16SurrogatePairsAcrossChunkBoundaries() throws {
        var text = "Name\r\n"
        for i in 0..<5_000 { text += "😀🐉 Person \(i)\r\n" }
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in text.utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        XCTAssertGreaterThan(bytes.count, 2 * TextChunkSource.chunkSize)
        let names = records(try readAll(CSVImportReader(path: folder.write("pairs.csv", bytes)))).map(\.name)
        XCTAssertEqual(names.count, 5_000)
        XCTAssertEqual(names.filter { $0.hasPrefix("😀🐉 Person ") }.count, 5_000)
    }

    func testUTF16BigEndianWithoutByteOrderMarkByItsNULs() throws {
        var bytes: [UInt8] = []
        for unit in "Name,Email\nAnna,a@x.de\n".utf16 { bytes += [UInt8(unit >> 8), UInt8(unit & 0xFF)] }
        let path = try folder.write("u16be.csv", bytes)
        let reader = try CSVImportReader(path: path)
        XCTAssertEqual(reader.encoding, .utf16BE)
        XCTAssertEqual(records(try readAll(reader)).map(\.name), ["Anna"])
    }

    func testWindows1252IsDetectedAndNamed() throws {
        // "Müller;Straße;€" in Windows-1252: ü = FC, ß = DF, € = 80.
        let bytes: [UInt8] = Array("Name;Notes\n".utf8) + [0x4D, 0xFC, 0x6C, 0x6C, 0x65, 0x72, 0x3B, 0x53, 0x74, 0x72, 0x61, 0xDF, 0x65, 0x20, 0x80, 0x0A]
        let path = try folder.write("w.csv", bytes)
        let detected = try CSVImportReader(path: path)
        XCTAssertEqual(detected.encoding, .windows1252)
        let r = records(try readAll(detected))
        XCTAssertEqual(r.first?.name, "Müller")
        XCTAssertEqual(r.first?.notes, "Straße €")

        let latin1 = try CSVImportReader(path: path, encoding: "latin1")
        XCTAssertEqual(latin1.encoding, .latin1)
        XCTAssertEqual(records(try readAll(latin1)).first?.notes, "Straße \u{80}")

        let named = try CSVImportReader(path: path, encoding: "cp1252")
        XCTAssertEqual(records(try readAll(named)).first?.name, "Müller")
    }

    /// QA 45 FA #1: a Persian CSV as Excel saves it on Persian Windows
    /// (which has no Persian ی: it writes the Arabic ي).
    func testWindows1256IsDetectedByItsWordsAndNamed() throws {
        // "name,company\nعلي رضايي,شرکت پارس‌آريا\n" in Windows-1256 (ZWNJ = 9D, ي = ED, ک = 98, پ = 81).
        let bytes: [UInt8] = Array("name,company\n".utf8) + [0xDA, 0xE1, 0xED, 0x20, 0xD1, 0xD6, 0xC7, 0xED, 0xED] + [0x2C] + [0xD4, 0xD1, 0x98, 0xCA, 0x20, 0x81, 0xC7, 0xD1, 0xD3, 0x9D, 0xC2, 0xD1, 0xED, 0xC7] + [0x0A]
        let path = try folder.write("fa.csv", bytes)
        let detected = try CSVImportReader(path: path)
        XCTAssertEqual(detected.encoding, .windows1256)
        let r = records(try readAll(detected))
        XCTAssertEqual(r.first?.name, "علي رضايي")
        XCTAssertEqual(r.first?.company, "شرکت پارس\u{200C}آريا")
        XCTAssertEqual(records(try readAll(CSVImportReader(path: path, encoding: "cp1256"))).first?.name, "علي رضايي")
        // German in Windows-1252 stays Windows-1252: its accented letters come one at a time.
        let german = try folder.write("de.csv", Array("name,street\n".utf8) + [0x4A, 0xFC, 0x72, 0x67, 0x65, 0x6E, 0x20, 0x47, 0x72, 0xF6, 0xDF, 0x6D, 0x61, 0x6E, 0x6E, 0x2C, 0x53, 0x74, 0x72, 0x61, 0xDF, 0x65] + [0x0A])
        XCTAssertEqual(try CSVImportReader(path: german).encoding, .windows1252)
        XCTAssertEqual(records(try readAll(CSVImportReader(path: german))).first?.name, "Jürgen Größmann")
    }

    func testUnknownEncodingNameIsAUsageError() throws {
        let path = try folder.write("a.csv", "Name\nA\n")
        let error = fileError { try CSVImportReader(path: path, encoding: "klingon") }
        XCTAssertEqual(error?.status, 64)
        XCTAssertEqual(error?.message, "unknown encoding 'klingon' for --encoding; expected one of utf-8, utf-16, utf-16le, utf-16be, windows-1252 (cp1252), windows-1256 (cp1256), latin1 (iso-8859-1)")
    }

    func testBytesThatAreNotUTF8AfterAUTF8StartNameTheLine() throws {
        var bytes = Array("Name,Notes\n".utf8)
        for i in 0..<5000 { bytes += Array("Person \(i),plain ascii text to fill the first chunk\n".utf8) }
        bytes += [0x4D, 0xFC, 0x6C, 0x0A]
        let path = try folder.write("late.csv", bytes)
        let error = fileError { try readAll(CSVImportReader(path: path)) }
        XCTAssertEqual(error?.line, 5002)
        XCTAssertEqual(error?.status, 65)
        XCTAssertTrue(error?.message.contains("--encoding windows-1252") ?? false, error?.message ?? "")
    }

    func testEmptyFile() throws {
        let path = try folder.write("empty.csv", [])
        let error = fileError { try CSVImportReader(path: path) }
        XCTAssertEqual(error?.status, 65)
        XCTAssertEqual(error?.description, "\(path): the file is empty; expected a header row such as First Name,Last Name,E-mail 1 - Value and a row per contact")
        let blank = try folder.write("blank.csv", "\n\r\n\n")
        XCTAssertEqual(fileError { try CSVImportReader(path: blank) }?.status, 65)
    }

    func testBinaryFile() throws {
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52]
        let path = try folder.write("photo.csv", png)
        let error = fileError { try CSVImportReader(path: path) }
        XCTAssertEqual(error?.status, 65)
        XCTAssertEqual(error?.message, "is a binary file, not text (a NUL byte at byte 9); expected a CSV or vCard text file")

        // A NUL later in the file: said with its line.
        var late = Array("Name\n".utf8)
        for _ in 0..<20_000 { late += Array("Somebody\n".utf8) }
        late += [0x41, 0x00, 0x0A]
        let latePath = try folder.write("late.csv", late)
        let lateError = fileError { try readAll(CSVImportReader(path: latePath)) }
        XCTAssertEqual(lateError?.line, 20_002)
        XCTAssertEqual(lateError?.message, "a NUL byte: this is a binary file, not CSV text")
    }

    func testUnterminatedQuoteAtTheEnd() throws {
        let path = try folder.write("q.csv", "Name,Notes\nAnna,ok\nBob,\"never\nclosed\n")
        let error = fileError { try readAll(CSVImportReader(path: path)) }
        XCTAssertEqual(error?.line, 3)
        XCTAssertEqual(error?.status, 65)
        XCTAssertEqual(error?.message, "a quoted field starts here and is never closed; expected a closing \" before the end of the file")
    }

    func testARecordLongerThanTheCapIsRefused() throws {
        var bytes = Array("Name,Notes\nAnna,short\n".utf8)
        bytes += Array(repeating: UInt8(ascii: "x"), count: 200_000)
        bytes.append(0x0A)
        let path = try folder.write("long.csv", bytes)
        let error = fileError { try readAll(CSVImportReader(path: path, maxRecordBytes: 64 * 1024)) }
        XCTAssertEqual(error?.line, 3)
        XCTAssertEqual(error?.message, "a record longer than 64 KiB (is this a CSV file?)")
        XCTAssertEqual(CSVTokenizer.describe(bytes: CSVTokenizer.defaultMaxRecordBytes), "16 MiB")
    }

    func testTooLongFieldsAreRejectedNotTruncated() throws {
        let longName = String(repeating: "A", count: 201)
        let longTag = String(repeating: "t", count: 51)
        let path = try folder.write("l.csv", "Name,Title,Email,Phone,Tags\n\(longName),,,,\nAnna,,a@x.de,not a phone,\nBob,,,,\(longTag)\nCara,,,,ok\n")
        let items = try readAll(CSVImportReader(path: path))
        XCTAssertEqual(problems(items), [
            ImportProblem(line: 2, column: "Name", message: "name is too long: 201 characters, at most 200"),
            ImportProblem(line: 3, column: "Phone", message: "\"not a phone\" has characters a phone number cannot have; expected digits, spaces, + - ( ) . /"),
            ImportProblem(line: 4, column: "Tags", message: "\"\(longTag)\" is not a tag; tags are at most 50 characters, separated by commas"),
        ])
        XCTAssertEqual(records(items).map(\.name), ["Cara"])
    }

    func testNotesWithTheirExtrasMustFit() throws {
        let notes = String(repeating: "n", count: 99_990)
        let path = try folder.write("n.csv", "Name,Notes,Hobby\nAnna,\(notes),reading long books\n")
        let items = try readAll(CSVImportReader(path: path))
        XCTAssertEqual(problems(items).first?.column, "Notes")
        XCTAssertEqual(problems(items).first?.message, "notes is too long: 100016 characters, at most 100000 (with the values kept in them: Hobby)")
    }

    /// A row of bare delimiters (spreadsheets and Google's export leave
    /// them at the end) is a blank line, not a record: skipped as an empty
    /// line is, so it neither counts as read nor refuses the import. A row
    /// with only a company or a phone is a record named after it.
    func testEmptyRowsAndNamelessRows() throws {
        let path = try folder.write("e.csv", "Name,Email,Company,Phone\n,,,\n,,Granite Bau,\n , ,\"\",\n,,,+49 30 1\n\n,,,\n,,,\n")
        let items = try readAll(CSVImportReader(path: path))
        XCTAssertEqual(items.count, 2, "the rows with something in them")
        XCTAssertEqual(problems(items), [])
        XCTAssertEqual(records(items).map(\.name), ["Granite Bau", "+49 30 1"])
        XCTAssertEqual(records(items).map(\.line), [3, 5])
    }

    /// LinkedIn's Connections.csv opens with three lines of notes before its
    /// header (QA 27 #14): the header is found below them, the rows keep
    /// their lines, Position is the title and the URL is kept in the notes.
    func testLinkedInsNotesBeforeTheHeaderAreLookedPast() throws {
        let path = try folder.write("Connections.csv", "Notes:\r\n\"When exporting your connection data, you may notice that some of the email addresses are missing.\"\r\n\r\n"
            + "First Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n"
            + "Neda,Rahimi,https://www.linkedin.com/in/neda,,Snapp,Product Manager,12 Nov 2024\r\n"
            + "Tom,Baker,https://www.linkedin.com/in/tb,tom@baker.example,Baker & Co,CEO,01 Jan 2023\r\n")
        let reader = try CSVImportReader(path: path)
        XCTAssertEqual(reader.headerLine, 4)
        XCTAssertEqual(ImportOpener.readingNote(reader: reader), "header on line 4; the 3 lines above it skipped", "said in the summary")
        XCTAssertEqual(ImportOpener.formatLabel(.csv, reader: reader), "LinkedIn connections csv", "not Outlook's, whose Email Address it shares")
        let items = try readAll(reader)
        XCTAssertEqual(problems(items), [])
        XCTAssertEqual(records(items).map(\.name), ["Neda Rahimi", "Tom Baker"])
        XCTAssertEqual(records(items).map(\.line), [5, 6])
        XCTAssertEqual(records(items).map(\.title), ["Product Manager", "CEO"])
        XCTAssertEqual(records(items).last?.company, "Baker & Co")
        XCTAssertEqual(records(items).last?.emails.map(\.address), ["tom@baker.example"])
        XCTAssertTrue(records(items).first?.notesWithExtras.contains("https://www.linkedin.com/in/neda") ?? false)
        // A mapping of one column still finds the header below the notes (QA 28 #2).
        let mapped = try CSVImportReader(path: path, mapping: "URL=skip")
        XCTAssertEqual(mapped.headerLine, 4)
        let mappedItems = try readAll(mapped)
        XCTAssertEqual(records(mappedItems).map(\.name), ["Neda Rahimi", "Tom Baker"])
        XCTAssertFalse(records(mappedItems).first?.notesWithExtras.contains("linkedin.com") ?? true, "the URL skipped as mapped")
        XCTAssertThrowsError(try CSVImportReader(path: path, mapping: "Homepage=skip")) { error in
            XCTAssertTrue("\(error)".contains("--map names the column 'Homepage', which is not in the header"), "\(error)")
        }
        XCTAssertThrowsError(try CSVImportReader(path: path, mapping: "URL=homepage")) { error in
            XCTAssertTrue("\(error)".contains("--map sends the column 'URL' to 'homepage', which is not a field"), "\(error)")
        }
        // A file with no header we know is still refused on its first line.
        let unknown = try folder.write("u.csv", "Notes:\nfoo,bar\nbaz,qux\n")
        XCTAssertThrowsError(try CSVImportReader(path: unknown)) { error in
            XCTAssertEqual((error as? ImportFileError)?.line, 1)
        }
    }

    /// The same file saved by a spreadsheet with `;` or as tab-separated:
    /// the delimiter is the one the header and the rows share, not the
    /// notes' (QA 28 #2: "Notes:" decided a comma, and the file was refused).
    func testLinkedInsFileWithSemicolonsOrTabsFindsItsDelimiterBelowTheNotes() throws {
        for (name, d) in [("Connections-semicolon.csv", ";"), ("Connections.tsv", "\t")] {
            let rows = [["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"],
                        ["Neda", "Rahimi", "https://www.linkedin.com/in/neda", "", "Snapp, Inc.", "Product Manager", "12 Nov 2024"],
                        ["Tom", "Baker", "https://www.linkedin.com/in/tb", "tom@baker.example", "Baker & Co", "CEO", "01 Jan 2023"]]
            let path = try folder.write(name, "Notes:\r\n\"When exporting your connection data, you may notice that some, not all, are missing.\"\r\n\r\n"
                + rows.map { $0.joined(separator: d) + "\r\n" }.joined())
            let reader = try CSVImportReader(path: path)
            XCTAssertEqual(reader.delimiter, Character(d), name)
            XCTAssertEqual(reader.headerLine, 4, name)
            let items = try readAll(reader)
            XCTAssertEqual(problems(items), [], name)
            XCTAssertEqual(records(items).map(\.name), ["Neda Rahimi", "Tom Baker"], name)
            XCTAssertEqual(records(items).first?.company, "Snapp, Inc.", name)
        }
        // A comma file whose notes column holds semicolons keeps its commas.
        let commas = "Name,E-mail 1 - Value,Notes\nAda,ada@x.de,a;b;c;d\nBob,bob@x.de,plain\nCy,cy@x.de,x\n"
        XCTAssertEqual(CSVTokenizer.detectDelimiter(ArraySlice(Array(commas.utf8))), UInt8(ascii: ","))
        // One line: its most frequent; none at all: a comma.
        XCTAssertEqual(CSVTokenizer.detectDelimiter(ArraySlice(Array("a;b;c,d".utf8))), UInt8(ascii: ";"))
        XCTAssertEqual(CSVTokenizer.detectDelimiter(ArraySlice(Array("Name\nAda\n".utf8))), UInt8(ascii: ","))
    }

    func testMoreValuesThanHeaderColumnsAreKept() throws {
        let path = try folder.write("m.csv", "Name,Email\nAnna,a@x.de,surplus\n")
        XCTAssertNil(ImportOpener.readingNote(reader: try CSVImportReader(path: path)), "the header on line 1: nothing to say")
        let r = records(try readAll(CSVImportReader(path: path)))
        XCTAssertEqual(r.first?.extra("Column 3"), "surplus")
    }
}
