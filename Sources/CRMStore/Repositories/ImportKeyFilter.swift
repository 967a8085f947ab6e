import CRMCore
import CRMRepositories
import CSQLite
import Foundation

/// The duplicate keys of the contacts a large import may match, as a Bloom
/// filter: every contact's email addresses (ASCII case folded, as `COLLATE
/// NOCASE` compares them), phone match keys and name key at its company;
/// those in the database when the filter is made, then those the import
/// writes. A row none of whose keys is in it can be a duplicate of nothing,
/// so its index lookups (`DuplicateFinder.possibleDuplicates`: an email, a
/// phone, a name at a company, a tenth of an import's time) are skipped;
/// every other row is looked up as before. A Bloom filter never misses a
/// key it was given, and a key it reports wrongly costs only the lookup that
/// would have been made anyway: an import decides the same with or without it.
///
/// Its size is fixed (4 MiB), so an import's memory stays flat however long
/// the file is; past some millions of keys it reports nearly every key and
/// the import looks every row up, as without it. The write lock is held from
/// the import's first row to COMMIT, so no other writer adds keys meanwhile.
struct ImportKeyFilter {
    /// 2^25 bits, in 64-bit words.
    static let wordCount = 1 << 19
    static let bitMask: UInt64 = (1 << 25) - 1
    /// Bits per key: about 1 % of absent keys reported at three million keys.
    static let probes: UInt64 = 4
    private var words: [UInt64]

    init() { words = [UInt64](repeating: 0, count: Self.wordCount) }

    /// The keys of every contact in the database, trashed ones included
    /// (more keys than the lookups see only means more lookups), each read
    /// as stored, one row at a time.
    static func made(from c: Connection) throws -> ImportKeyFilter {
        var filter = ImportKeyFilter()
        try each(c, "SELECT email FROM contact_emails") { row in filter.add(.email, text(row, 0), asciiFolded: true) }
        try each(c, "SELECT match_key FROM contact_phones WHERE match_key IS NOT NULL") { row in filter.add(.phone, text(row, 0)) }
        try each(c, "SELECT name_key, company_id FROM contacts WHERE name_key <> '' AND company_id IS NOT NULL") { row in
            filter.add(.name, text(row, 0), company: sqlite3_column_int64(row, 1))
        }
        return filter
    }

    private static func each(_ c: Connection, _ sql: String, _ body: (OpaquePointer) -> Void) throws {
        let statement = try c.prepare(sql)
        try statement.bind([])
        while try statement.step() { body(statement.handle) }
    }

    /// A text column's bytes as stored (a NUL inside included).
    private static func text(_ row: OpaquePointer, _ column: Int32) -> UnsafeBufferPointer<UInt8> {
        guard let p = sqlite3_column_text(row, column) else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: p, count: Int(sqlite3_column_bytes(row, column)))
    }

    // MARK: a row

    /// Whether the contact a row makes may share a key with one already
    /// there, by the keys `DuplicateFinder.possibleDuplicates` looks up.
    /// A row whose company was not found by name (`companyID` nil) is looked
    /// up whenever it has a name key: the finder also tries companies by
    /// their duplicate key, which the filter does not hold.
    func mayMatch(_ contact: Contact, keys: ContactKeys, companyID: Int64?, companyName: String) -> Bool {
        for email in contact.emails {
            let address = EmailAddress(email.address).address
            if !address.isEmpty, contains(.email, address, asciiFolded: true) { return true }
        }
        for key in keys.phoneLookupKeys where contains(.phone, key) { return true }
        if !keys.nameKey.isEmpty {
            if let companyID { return contains(.name, keys.nameKey, company: companyID) }
            if !companyName.isEmpty, !DuplicateKey.name(companyName).isEmpty { return true }
        }
        return false
    }

    /// The keys of a contact the import created, as `BulkLoader.insert`
    /// stores them.
    mutating func insert(_ contact: Contact, keys: ContactKeys) {
        for email in contact.emails { add(.email, email.address, asciiFolded: true) }
        for phone in keys.phones { add(.phone, phone.matchKey) }
        if let companyID = contact.companyID, !keys.nameKey.isEmpty { add(.name, keys.nameKey, company: companyID) }
    }

    /// The keys of one contact as the database holds them now (after a merge
    /// gave it addresses, numbers or a company).
    mutating func insert(contactID id: Int64, from c: Connection) throws {
        for email in try c.rows("SELECT email FROM contact_emails WHERE contact_id = ?", [id], { $0.string(0) }) {
            add(.email, email, asciiFolded: true)
        }
        for key in try c.rows("SELECT match_key FROM contact_phones WHERE contact_id = ? AND match_key IS NOT NULL", [id], { $0.string(0) }) {
            add(.phone, key)
        }
        if let (nameKey, companyID) = try c.first("""
            SELECT name_key, company_id FROM contacts WHERE id = ? AND name_key <> '' AND company_id IS NOT NULL
            """, [id], { ($0.string(0), $0.int64(1)) }) {
            add(.name, nameKey, company: companyID)
        }
    }

    // MARK: the bits

    enum Kind: UInt64 { case email = 1, phone, name }

    private mutating func add(_ kind: Kind, _ text: String, asciiFolded: Bool = false, company: Int64 = 0) {
        var text = text
        text.withUTF8 { add(kind, $0, asciiFolded: asciiFolded, company: company) }
    }

    private mutating func add(_ kind: Kind, _ bytes: UnsafeBufferPointer<UInt8>, asciiFolded: Bool = false, company: Int64 = 0) {
        let (a, b) = Self.hashes(kind, bytes, asciiFolded: asciiFolded, company: company)
        for i in 0..<Self.probes {
            let bit = (a &+ i &* b) & Self.bitMask
            words[Int(bit >> 6)] |= 1 << (bit & 63)
        }
    }

    private func contains(_ kind: Kind, _ text: String, asciiFolded: Bool = false, company: Int64 = 0) -> Bool {
        var text = text
        let (a, b) = text.withUTF8 { Self.hashes(kind, $0, asciiFolded: asciiFolded, company: company) }
        for i in 0..<Self.probes {
            let bit = (a &+ i &* b) & Self.bitMask
            if words[Int(bit >> 6)] & (1 << (bit & 63)) == 0 { return false }
        }
        return true
    }

    /// FNV-1a over the kind, the bytes (ASCII letters lowercased when
    /// asked) and the company, and a second hash mixed from it (odd, so a
    /// key's probes differ), for double hashing.
    static func hashes(_ kind: Kind, _ bytes: UnsafeBufferPointer<UInt8>, asciiFolded: Bool, company: Int64) -> (UInt64, UInt64) {
        let prime: UInt64 = 1_099_511_628_211
        var h: UInt64 = 14_695_981_039_346_656_037
        h = (h ^ kind.rawValue) &* prime
        for byte in bytes {
            let folded = asciiFolded && byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
            h = (h ^ UInt64(folded)) &* prime
        }
        h = (h ^ UInt64(bitPattern: company)) &* prime
        var m = h ^ (h >> 33)
        m = m &* 0xFF51_AFD7_ED55_8CCD
        m ^= m >> 33
        m = m &* 0xC4CE_B9FE_1A85_EC53
        m ^= m >> 33
        return (h, m | 1)
    }
}
