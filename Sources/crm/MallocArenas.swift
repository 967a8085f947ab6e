import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One malloc arena for the whole process (glibc's `M_ARENA_MAX`).
///
/// glibc gives every thread that allocates an arena of its own, and memory
/// freed in a thread's arena mostly stays resident. The Reports view computes
/// its figures on a thread of its own (a second SQLite connection, the ids
/// behind each figure): at a million contacts that thread's arena held about
/// 17 MiB after the pages were built and shown (`crm bench --only keys`, the
/// Reports keys: peak RSS 112.6 MiB with the default arenas, 95.2 MiB with
/// one, against about 43 MiB for the same keys at 100 contacts). crm has two
/// threads that allocate (the screen and the reports), so one arena costs no
/// measurable waiting. `MALLOC_ARENA_MAX` in the environment still decides
/// when set.
enum MallocArenas {
    static func limitToOne() {
        // getenv, not ProcessInfo's environment: this runs first at every
        // start, and building that dictionary of the whole environment cost
        // about 0.4 ms of the first screen.
        guard getenv("MALLOC_ARENA_MAX") == nil else { return }
        // mallopt is looked up (as ProcessMemory looks up malloc_trim): the
        // Glibc module does not export M_ARENA_MAX, glibc's -8.
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(nil, "mallopt") else { return }
        _ = unsafeBitCast(symbol, to: Mallopt.self)(-8, 1)
    }
}
