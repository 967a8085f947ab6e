/// Counts of the work done on text, for tests that check that an edit costs
/// what it changes rather than the length of the text: characters whose
/// terminal width was looked up, characters copied out of an editor into a
/// String, and bytes passed through the sanitiser. Counted in debug builds
/// only (the ones tests run in); a release build leaves them at 0.
///
/// Plain counters, read and reset by one test at a time on the thread that
/// draws: not for concurrent use.
public enum TextWork {
    nonisolated(unsafe) public static var charactersMeasured = 0
    nonisolated(unsafe) public static var charactersCopied = 0
    nonisolated(unsafe) public static var bytesSanitised = 0

    public static var total: Int { charactersMeasured + charactersCopied + bytesSanitised }

    public static func reset() {
        charactersMeasured = 0
        charactersCopied = 0
        bytesSanitised = 0
    }

    @inline(__always)
    public static func copied(_ n: Int) {
        #if DEBUG
        charactersCopied += n
        #endif
    }

    @inline(__always)
    public static func measured(_ n: Int) {
        #if DEBUG
        charactersMeasured += n
        #endif
    }

    @inline(__always)
    public static func sanitised(_ bytes: Int) {
        #if DEBUG
        bytesSanitised += bytes
        #endif
    }
}
