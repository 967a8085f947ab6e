import Foundation
import XCTest

/// Runs the real crm binary (or another program) in a private folder with a
/// pinned environment, as a script would: HOME, the data folder and CRM_DB
/// point into `folder`, so nothing outside it is read or written.
struct CRMRun {
    let folder: URL

    struct Result {
        var status: Int32
        var out: String
        var err: String
        var firstErrorLine: String { err.split(separator: "\n").first.map(String.init) ?? "" }
    }

    /// The package's root (for Resources/crm.1 and the Makefile).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    var environment: [String: String] {
        ["HOME": folder.path, "XDG_DATA_HOME": folder.appendingPathComponent("data").path,
         "XDG_STATE_HOME": folder.appendingPathComponent("state").path, "XDG_CONFIG_HOME": folder.appendingPathComponent("config").path,
         "CRM_DB": folder.appendingPathComponent("default.db").path, "TMPDIR": folder.path,
         "TZ": "UTC", "LANG": "C.UTF-8", "USER": "tester", "PATH": "/usr/local/bin:/usr/bin:/bin", "MANPAGER": "cat", "PAGER": "cat"]
    }

    @discardableResult
    func crm(_ args: [String]) throws -> Result { try run(CLITests.binary.path, args) }

    @discardableResult
    func crm(_ args: String...) throws -> Result { try crm(args) }

    /// Runs `program` with `args`; stdin is /dev/null.
    @discardableResult
    func run(_ program: String, _ args: [String], extraEnvironment: [String: String] = [:], in directory: URL? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = args
        process.environment = environment.merging(extraEnvironment) { $1 }
        if let directory { process.currentDirectoryURL = directory }
        // stderr to a file: reading two pipes one after the other could
        // block the child on the one not being read.
        let errPath = folder.appendingPathComponent("stderr-\(UUID().uuidString)").path
        FileManager.default.createFile(atPath: errPath, contents: nil)
        defer { unlink(errPath) }
        let out = Pipe()
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try err.close()
        let errData = FileManager.default.contents(atPath: errPath) ?? Data()
        return Result(status: process.terminationStatus, out: String(decoding: outData, as: UTF8.self),
                      err: String(decoding: errData, as: UTF8.self))
    }

    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    /// The full path of `program` on PATH, or nil.
    static func which(_ program: String) -> String? {
        for dir in ["/usr/local/bin", "/usr/bin", "/bin"] where FileManager.default.isExecutableFile(atPath: "\(dir)/\(program)") {
            return "\(dir)/\(program)"
        }
        return nil
    }

    static func temporary(_ name: String) throws -> CRMRun {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("crm-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return CRMRun(folder: folder)
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }
}
