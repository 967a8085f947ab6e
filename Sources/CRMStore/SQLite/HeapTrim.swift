#if os(Linux)
/// glibc's `int mallopt(int, int)` (malloc.h, which the Glibc module leaves out).
@_silgen_name("mallopt") private func mallopt(_ parameter: Int32, _ value: Int32) -> Int32
/// malloc.h's parameter numbers.
private let M_TRIM_THRESHOLD: Int32 = -1, M_TOP_PAD: Int32 = -2
#endif

/// glibc's heap tuning for long write loops. Every contact an import inserts
/// checks `lifecycle IN (…)` and `value_tier IN (…)` (the CHECK constraints
/// of the contacts table); SQLite evaluates each list through a small
/// temporary b-tree whose page cache it allocates and frees at once. With
/// glibc's default trim threshold each of those frees shrank the heap (brk)
/// and the next allocation grew it again, faulting in fresh zeroed pages:
/// a fifth of an import's processor time went to the kernel for it.
/// Keeping up to 32 MiB of freed memory at the top of the heap ends that;
/// the peak memory does not grow (that memory was in use a moment before).
enum HeapTrim {
    /// Once per process; later calls do nothing.
    static func keepFreedMemory() {
        _ = applied
    }

    private static let applied: Bool = {
        #if os(Linux)
        return mallopt(M_TRIM_THRESHOLD, 32 << 20) == 1 && mallopt(M_TOP_PAD, 1 << 20) == 1
        #else
        return false
        #endif
    }()
}
