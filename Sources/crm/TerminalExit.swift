import CRMTerminal

extension Failure {
    /// The screen could not be set up: the terminal type is a setting the
    /// user can fix (EX_CONFIG), the log folder a file problem.
    init(_ error: TerminalError) {
        switch error {
        case .unusableTerminal, .cannotOpenTerminal: self.init(error.description, status: ExitCode.config)
        case .cannotOpenLog: self.init(error.description, status: ExitCode.cantCreate)
        }
    }
}

extension SessionEnd {
    /// 0 after quitting, 128 + N after signal N (as a shell reports it), and
    /// EX_IOERR when the terminal went away under the screen.
    var exitStatus: Int32 {
        switch self {
        case .quit: ExitCode.ok
        case .signal(let n): 128 + n
        case .terminalGone: ExitCode.ioError
        }
    }
}
