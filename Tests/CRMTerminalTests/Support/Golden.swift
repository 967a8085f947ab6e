// Golden-file assertions for whole screens (in the spirit of bubbletea's
// teatest and tig's expected/ files). A golden file holds the screen's rows as
// text, optionally followed by a style dump (one letter per cell, see
// `Style.Role.letter`). Files live in Tests/CRMTerminalTests/Golden and are
// found through #filePath, so `UPDATE_GOLDEN=1 swift test` rewrites them in
// the source tree and the change shows up in review as a plain diff.
import Foundation
import XCTest
@testable import CRMTerminal

private let styleMarker = "--- styles ---"

func goldenText(_ screen: MemoryScreen, withStyles: Bool) -> String {
    var lines = screen.rowsText()
    if withStyles {
        lines.append(styleMarker)
        lines += screen.styleDump()
    }
    return lines.joined(separator: "\n") + "\n"
}

func goldenURL(named name: String, file: StaticString) -> URL {
    // file = .../Tests/CRMTerminalTests/<something>.swift, possibly in a subfolder.
    var dir = URL(fileURLWithPath: "\(file)").deletingLastPathComponent()
    while dir.lastPathComponent != "CRMTerminalTests", dir.path != "/" {
        dir.deleteLastPathComponent()
    }
    return dir.appendingPathComponent("Golden").appendingPathComponent(name + ".txt")
}

func assertGolden(_ screen: MemoryScreen, named name: String, withStyles: Bool = false,
                  file: StaticString = #filePath, line: UInt = #line) {
    let actual = goldenText(screen, withStyles: withStyles)
    let url = goldenURL(named: name, file: file)

    if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(),
                                                    withIntermediateDirectories: true)
            try actual.write(to: url, atomically: true, encoding: .utf8)
        } catch {
            XCTFail("could not write golden file \(url.path): \(error)", file: file, line: line)
        }
        return
    }

    guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
        XCTFail("""
            golden file \(url.path) is missing; run with UPDATE_GOLDEN=1 to create it. The screen was:
            \(actual)
            """, file: file, line: line)
        return
    }
    guard expected != actual else { return }
    XCTFail("screen differs from golden file \(name).txt (UPDATE_GOLDEN=1 rewrites it):\n"
            + goldenDiff(expected: expected, actual: actual), file: file, line: line)
}

/// Line-by-line difference: every line that differs, as expected/actual pair
/// with its line number, and "|" marking the line ends so trailing spaces show.
func goldenDiff(expected: String, actual: String) -> String {
    let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
    let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
    var out: [String] = []
    for i in 0..<max(e.count, a.count) {
        let el = i < e.count ? String(e[i]) : nil
        let al = i < a.count ? String(a[i]) : nil
        guard el != al else { continue }
        out.append(String(format: "line %3d - expected: ", i + 1) + (el.map { "|\($0)|" } ?? "(none)"))
        out.append(String(format: "         + actual:   ") + (al.map { "|\($0)|" } ?? "(none)"))
    }
    return out.joined(separator: "\n")
}
