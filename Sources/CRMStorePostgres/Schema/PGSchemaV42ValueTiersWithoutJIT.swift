/// Version 42 (PostgreSQL only): the stored value tiers' recompute at the
/// COMMIT of every transaction that changes won value (the deferred trigger
/// of PGSchemaV30ValueTiers) runs without the server's JIT compiler. Its one
/// statement ranks every customer's won value; the planner estimates it
/// above `jit_above_cost`, and compiling it cost about 130 ms of a 290 ms
/// recompute at 100,000 contacts, paid again by each such commit (a
/// compiled plan is not kept between statements). A function's own setting
/// applies while it runs and is restored after it, so nothing else in the
/// session changes. (The Customers report's statements and the recompute
/// `crm` starts itself turn JIT off the same way, per transaction:
/// PGCustomerReportRepository.withoutJIT.)
///
/// SQLite has no JIT: its step 42 is empty. Frozen SQL (PGSchemaFreezeTests).
enum PGSchemaV42ValueTiersWithoutJIT {
    static let sql = """
        ALTER FUNCTION crm_value_tiers_recompute() SET jit = off;
        """
}
