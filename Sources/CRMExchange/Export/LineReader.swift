import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reads a file line by line in 64 KiB chunks, so a file of any size is
/// read in the memory of its longest line; a line longer than `maxLine`
/// (a binary file, a 2 GB line) is refused instead of filling the memory.
/// Lines end with LF; a CR before it is dropped.
public final class LineReader {
    public static let maxLine = 64 << 20
    public let path: String
    private let fd: Int32
    private var buffer: [UInt8] = []
    private var start = 0
    private var scanned = 0
    private var atEnd = false
    /// The number of the line `next()` returned last (1-based).
    public private(set) var lineNumber = 0

    public init(path: String) throws {
        self.path = path
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw ImportFileError(.unreadable, path: path, message: "cannot open: \(String(cString: strerror(errno)))")
        }
        var st = stat()
        if fstat(fd, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw ImportFileError(.unreadable, path: path, message: "is a folder, not a file")
        }
    }

    deinit { close(fd) }

    /// The next line's bytes without its line break; nil at the end.
    public func next() throws -> ArraySlice<UInt8>? {
        while true {
            if let newline = buffer[scanned...].firstIndex(of: 0x0A) {
                var end = newline
                if end > start && buffer[end - 1] == 0x0D { end -= 1 }
                let line = buffer[start..<end]
                start = newline + 1
                scanned = start
                lineNumber += 1
                return line
            }
            scanned = buffer.count
            if atEnd {
                guard start < buffer.count else { return nil }
                var end = buffer.count
                if buffer[end - 1] == 0x0D { end -= 1 }
                let line = buffer[start..<end]
                start = buffer.count
                scanned = start
                lineNumber += 1
                return line
            }
            if buffer.count - start > Self.maxLine {
                throw ImportFileError(.badData, path: path, line: lineNumber + 1,
                                      message: "a line longer than \(Self.maxLine >> 20) MiB; is this a text file of the right kind?")
            }
            try fill()
        }
    }

    /// The next line as text; a line that is not UTF-8 is refused with its number.
    public func nextText() throws -> String? {
        guard let bytes = try next() else { return nil }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ImportFileError(.badData, path: path, line: lineNumber, message: "not UTF-8 text")
        }
        return text
    }

    private func fill() throws {
        if start > 0 && start >= buffer.count / 2 {
            buffer.removeFirst(start)
            scanned -= start
            start = 0
        }
        let chunk = 65_536
        let old = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: chunk))
        var n = 0
        repeat {
            n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress! + old, chunk) }
        } while n < 0 && errno == EINTR
        guard n >= 0 else {
            let reason = String(cString: strerror(errno))
            buffer.removeLast(chunk)
            throw ImportFileError(.unreadable, path: path, message: "cannot read: \(reason)")
        }
        buffer.removeLast(chunk - n)
        if n == 0 { atEnd = true }
    }
}
