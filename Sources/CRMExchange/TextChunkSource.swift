import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An import file read in fixed-size chunks and handed out as UTF-8 bytes,
/// whatever its encoding: memory stays at one chunk however large the file.
/// The encoding is detected from the first chunk (a byte-order mark, the NUL
/// pattern of UTF-16 text, bytes that are not UTF-8 → Windows-1252) unless
/// the user named one; a byte-order mark is dropped.
final class TextChunkSource {
    static let chunkSize = 64 * 1024

    let path: String
    private(set) var encoding: TextEncoding
    /// False when the user named the encoding (messages then say so).
    private(set) var detected: Bool
    private let fd: Int32
    private var first: [UInt8]?
    private var carry: [UInt8] = []
    private var offset = 0
    private var finished = false
    private var headWasShort = false
    /// The file had no bytes at all.
    private(set) var isEmpty = false

    init(path: String, encoding request: TextEncoding.Request) throws {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let reason = String(cString: strerror(errno))
            throw ImportFileError(.unreadable, path: path, message: "cannot open the file: \(reason)")
        }
        var info = stat()
        if fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw ImportFileError(.unreadable, path: path, message: "is a directory; expected a file")
        }
        self.fd = fd
        self.encoding = .utf8
        self.detected = true
        var head = try Self.read(fd: fd, path: path, count: Self.chunkSize)
        isEmpty = head.isEmpty
        headWasShort = head.count < Self.chunkSize
        try choose(request, head: &head)
        first = head
    }

    deinit { close(fd) }

    private static func read(fd: Int32, path: String, count: Int) throws -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let n = buffer.withUnsafeMutableBytes { raw in
                Glibc.read(fd, raw.baseAddress! + filled, count - filled)
            }
            if n < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                throw ImportFileError(.unreadable, path: path, message: "cannot read the file: \(reason)")
            }
            if n == 0 { break }
            filled += n
        }
        buffer.removeLast(count - filled)
        return buffer
    }

    /// Picks the encoding from the request and the first bytes, and drops a
    /// byte-order mark.
    private func choose(_ request: TextEncoding.Request, head: inout [UInt8]) throws {
        let bom: TextEncoding? =
            head.starts(with: [0xEF, 0xBB, 0xBF]) ? .utf8 :
            head.starts(with: [0xFF, 0xFE]) ? .utf16LE :
            head.starts(with: [0xFE, 0xFF]) ? .utf16BE : nil
        switch request {
        case .exactly(let named):
            encoding = named; detected = false
            if let bom, bom == named { head.removeFirst(bom == .utf8 ? 3 : 2) }
        case .utf16AnyOrder:
            detected = false
            if let bom, bom != .utf8 { encoding = bom; head.removeFirst(2) }
            else { encoding = Self.utf16Order(head) ?? .utf16BE }   // RFC 2781: big-endian without a mark
        case .detect:
            if let bom { encoding = bom; head.removeFirst(bom == .utf8 ? 3 : 2); return }
            if let order = Self.utf16Order(head) { encoding = order; return }
            if let nul = head.firstIndex(of: 0) {
                throw ImportFileError(.badData, path: path,
                                      message: "is a binary file, not text (a NUL byte at byte \(nul + 1)); expected a CSV or vCard text file")
            }
            encoding = TextEncoding.looksLikeUTF8(Self.unfolded(head)[...]) ? .utf8
                : TextEncoding.looksLikeWindows1256(head) ? .windows1256 : .windows1252
        }
    }

    /// The bytes without vCard's folds (a line break and a space or tab):
    /// a writer that folds at 75 bytes may split a character's UTF-8 bytes
    /// across the fold, which RFC 6350 §3.2 has readers join (QA 45 IO #1:
    /// such a file was taken for Windows-1252 and every name garbled). Only
    /// ASCII bytes are taken out, so valid UTF-8 stays valid.
    static func unfolded(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x0D || b == 0x0A {
                var j = i + (b == 0x0D && i + 1 < bytes.count && bytes[i + 1] == 0x0A ? 2 : 1)
                if j < bytes.count, bytes[j] == 0x20 || bytes[j] == 0x09 { j += 1; i = j; continue }
            }
            out.append(b)
            i += 1
        }
        return out
    }

    /// UTF-16 text of mostly Latin characters has a NUL in every other byte:
    /// at the odd positions for little-endian, the even ones for big-endian.
    private static func utf16Order(_ head: [UInt8]) -> TextEncoding? {
        let pairs = head.count / 2
        guard pairs >= 2 else { return nil }
        var evenZero = 0, oddZero = 0
        for i in 0..<pairs {
            if head[2 * i] == 0 { evenZero += 1 }
            if head[2 * i + 1] == 0 { oddZero += 1 }
        }
        if oddZero * 10 >= pairs * 4 && evenZero * 20 <= pairs { return .utf16LE }
        if evenZero * 10 >= pairs * 4 && oddZero * 20 <= pairs { return .utf16BE }
        return nil
    }

    /// The next chunk of the file's text as UTF-8; nil at the end.
    func next() throws -> [UInt8]? {
        while !finished {
            let raw: [UInt8]
            if let head = first {
                raw = head; first = nil
                finished = headWasShort
            } else {
                raw = try Self.read(fd: fd, path: path, count: Self.chunkSize)
                finished = raw.count < Self.chunkSize
            }
            let text = try transcode(raw, last: finished)
            offset += raw.count
            if !text.isEmpty { return text }
        }
        return nil
    }

    private func transcode(_ raw: [UInt8], last: Bool) throws -> [UInt8] {
        switch encoding {
        case .utf8:
            return raw
        case .windows1252, .windows1256, .latin1:
            var out: [UInt8] = []
            out.reserveCapacity(raw.count + raw.count / 8)
            TextEncoding.singleByteToUTF8(raw, encoding: encoding, into: &out)
            return out
        case .utf16LE, .utf16BE:
            let bytes = carry + raw
            carry = []
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + bytes.count / 2)
            let little = encoding == .utf16LE
            var i = 0
            func unit(_ at: Int) -> UInt32 {
                little ? UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 : UInt32(bytes[at]) << 8 | UInt32(bytes[at + 1])
            }
            while i + 1 < bytes.count {
                let u = unit(i)
                if (0xD800...0xDBFF).contains(u) {
                    guard i + 3 < bytes.count else { break }   // its pair is in the next chunk
                    let low = unit(i + 2)
                    guard (0xDC00...0xDFFF).contains(low) else { throw badUTF16(at: i) }
                    TextEncoding.appendUTF8(0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00), into: &out)
                    i += 4
                } else if (0xDC00...0xDFFF).contains(u) {
                    throw badUTF16(at: i)
                } else {
                    TextEncoding.appendUTF8(u, into: &out)
                    i += 2
                }
            }
            carry = Array(bytes[i...])
            if last && !carry.isEmpty {
                throw ImportFileError(.badData, path: path,
                                      message: "is not valid \(encoding.rawValue.uppercased()) text: it ends in the middle of a character")
            }
            return out
        }
    }

    /// Bytes that are not UTF-8 in a file read as UTF-8, at `line`.
    func notUTF8(line: Int) -> ImportFileError {
        let hint = detected
            ? "the start of the file was UTF-8; if the file is in another encoding, name it: --encoding windows-1252"
            : "name the file's encoding with --encoding (e.g. windows-1252)"
        return ImportFileError(.badData, path: path, line: line, message: "bytes that are not UTF-8; \(hint)")
    }

    private func badUTF16(at index: Int) -> ImportFileError {
        ImportFileError(.badData, path: path,
                        message: "is not valid \(encoding.rawValue.uppercased()) text (an unpaired surrogate near byte \(offset + index + 1)); name the file's encoding with --encoding")
    }
}
