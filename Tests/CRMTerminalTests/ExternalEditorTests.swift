import CRMViewModels
import Foundation
import XCTest
@testable import CRMTerminal

/// `$EDITOR` run as git runs it, on real scripts in a temporary folder: a
/// path with a space and arguments works; a failure is reported with what
/// happened, never taken for the text.
final class ExternalEditorTests: XCTestCase {
    var folder: String!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("crm-editor \(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// A script at a path with a space; `$EDITOR` quotes it as a person would.
    func editor(_ body: String) throws -> String {
        let path = folder + "/my editor"
        try ("#!/bin/sh\n" + body + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o755)
        return "'\(path)'"
    }

    func testAPathWithASpaceAndArgumentsEditsTheText() throws {
        let command = try editor("""
        [ "$1" = "--wait" ] || exit 3
        printf '%s, edited\\n' "$(cat "$2")" > "$2"
        """)
        XCTAssertEqual(ExternalEditor.edit("Half a note", command: command + " --wait"), .edited("Half a note, edited\n"))
    }

    func testTheFileIsPrivateAndNamedOnlyAsAnArgument() throws {
        let report = folder + "/report"
        let command = try editor("stat -c '%a' \"$1\" > '\(report)'; ls -ld \"$(dirname \"$1\")\" | cut -c1-10 >> '\(report)'")
        XCTAssertEqual(ExternalEditor.edit("secret", command: command), .edited("secret"))
        XCTAssertEqual(try String(contentsOfFile: report, encoding: .utf8), "600\ndrwx------\n")
    }

    func testAnEditorThatExitsNonZeroIsAFailure() throws {
        let command = try editor("echo junk >> \"$1\"; exit 1")
        XCTAssertEqual(ExternalEditor.edit("Half a note", command: command), .failed("the editor exited with status 1"))
    }

    func testAnEditorThatDeletesItsFileIsAFailure() throws {
        let command = try editor("rm -f \"$1\"")
        XCTAssertEqual(ExternalEditor.edit("Half a note", command: command), .failed("the editor deleted the file"))
    }

    func testAnEditorThatIsNotThereIsAFailure() {
        XCTAssertEqual(ExternalEditor.edit("Half a note", command: "/nonexistent/editor"),
                       .failed("the editor \u{201C}/nonexistent/editor\u{201D} was not found"))
    }

    func testAnEditorKilledByASignalIsAFailure() throws {
        let command = try editor("kill -9 $$")
        XCTAssertEqual(ExternalEditor.edit("Half a note", command: command), .failed("the editor was stopped by signal 9"))
    }

    /// In crm's own process group, so a full-screen editor may read the
    /// terminal (in a group of its own it would be stopped by SIGTTIN).
    func testTheEditorRunsInOurProcessGroup() throws {
        let report = folder + "/pgid"
        let command = try editor("ps -o pgid= -p $$ | tr -d ' ' > '\(report)'")
        XCTAssertEqual(ExternalEditor.edit("x", command: command), .edited("x"))
        XCTAssertEqual(try String(contentsOfFile: report, encoding: .utf8), "\(getpgrp())\n")
    }
}
