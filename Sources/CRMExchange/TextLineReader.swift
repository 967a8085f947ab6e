import Foundation

/// The physical lines of a text file (ending in LF, CRLF or a lone CR), one
/// at a time from a `TextChunkSource`, each with its line number: what the
/// vCard reader unfolds into properties. Holds one chunk and one line; a line
/// longer than `maxLineBytes` stops the read (no vCard has one).
struct TextLineReader {
    private let source: TextChunkSource
    let maxLineBytes: Int
    private var buffer: [UInt8] = []
    private var position = 0
    private var exhausted = false
    private var nextLine = 1
    private(set) var peakBufferedBytes = 0
    let kind: String

    init(source: TextChunkSource, maxLineBytes: Int, kind: String) {
        self.source = source; self.maxLineBytes = maxLineBytes; self.kind = kind
    }

    var path: String { source.path }

    private mutating func fill() throws -> Bool {
        if position < buffer.count { return true }
        guard !exhausted, let chunk = try source.next() else { exhausted = true; return false }
        buffer = chunk; position = 0
        return true
    }

    /// The next line's bytes (without its line break) and number; nil at the end.
    mutating func next() throws -> (number: Int, bytes: [UInt8])? {
        guard try fill() else { return nil }
        let number = nextLine
        var line: [UInt8] = []
        while try fill() {
            let chunkEnd = buffer.count
            var i = position
            while i < chunkEnd, buffer[i] != 0x0A, buffer[i] != 0x0D, buffer[i] != 0 { i += 1 }
            line.append(contentsOf: buffer[position..<i])
            peakBufferedBytes = max(peakBufferedBytes, buffer.count + line.count)
            if line.count > maxLineBytes {
                throw ImportFileError(.badData, path: path, line: number,
                                      message: "a line longer than \(CSVTokenizer.describe(bytes: maxLineBytes)); is this a \(kind) file?")
            }
            position = i
            guard i < chunkEnd else { continue }
            if buffer[i] == 0 {
                throw ImportFileError(.badData, path: path, line: number, message: "a NUL byte: this is a binary file, not \(kind) text")
            }
            let cr = buffer[i] == 0x0D
            position += 1
            if cr, try fill(), buffer[position] == 0x0A { position += 1 }
            nextLine += 1
            return (number, line)
        }
        nextLine += 1
        return (number, line)
    }
}
