@testable import CRMStore
import Foundation
import XCTest

/// A shipped migration step is never edited: two files at the same
/// `user_version` must have the same schema. A change is a new step.
final class SchemaFreezeTests: XCTestCase {
    /// FNV-1a (64 bit) of each shipped step's SQL, recorded when it shipped.
    /// Append the new step's value here when adding one; never change a value.
    static let shipped: [Int: UInt64] = [
        1: 6808666595434720077,
        2: 8985259455574439160,
        3: 2566209022426937682,
        4: 7127639270652171697,
        5: 3659885653828701491,
        6: 8887597116901495494,
        7: 10518701254818384485,
        8: 2348457013787649705,
        9: 781016991827949239,
        10: 9082653794752181540,
        11: 17809784763656489851,
        12: 17081088333073256197,
        13: 1597824581887286163,
        14: 16010998388122429019,
        15: 18263936171058171483,
        18: 7894483059989870952,
        19: 14559637217861727166,
        21: 18368547210652807908,
        22: 6726261509968495062,
        23: 17878004860134270929,
        24: 14546239496175770978,
        25: 726432239076786177,
        27: 6585772364708946779,
        28: 9634050133642994378,
        29: 13250388289070366409,
        30: 4331477037786739414,
        31: 12039898699651017289,
        32: 17958563612226538934,
        33: 5059654472938836919,
        34: 14695981039346656037,
        35: 8453215398405338635,
        36: 1125678035327543466,
        37: 14695981039346656037,
        38: 14695981039346656037,
        39: 14695981039346656037,
        40: 16017416255775345940,
        41: 14695981039346656037,
        42: 14695981039346656037,
        43: 14695981039346656037,
        44: 14695981039346656037,
        45: 12554388090889970654,
        46: 14657843710660459923,
        47: 14639747817586314157,
        48: 3997589764961453734,
        50: 14695981039346656037,
        52: 13797683532483478834,
        53: 11319495665694138278,
        54: 16066285976624165662,
        55: 9791697172676672615,
        56: 8469457132219017715,
        57: 12574071792330144338,
        60: 14695981039346656037,
        62: 4120350670066270383,
        63: 14695981039346656037,
        64: 14695981039346656037,
        65: 16994581958063061954,
        66: 5581452638946527588,
        67: 14695981039346656037,
        68: 5890761741291264881,
        69: 14695981039346656037,
        70: 14695981039346656037,
        71: 14695981039346656037,
        72: 14695981039346656037,
        73: 14695981039346656037,
        74: 14695981039346656037,
        75: 14695981039346656037,
        76: 14695981039346656037,
        77: 7934905325687321898,
        78: 9670057700008730166,
        79: 2410107299576176905,
        80: 14695981039346656037,
        81: 3747722421800650121,
    ]

    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }

    /// A file at version N has run every step up to N: a step numbered
    /// below the newest one would be skipped by every file already past it.
    func testStepsRunInIncreasingOrderAndTheUnusedNumbersStayUnused() {
        let versions = Migrator.steps.map(\.version)
        XCTAssertEqual(versions, versions.sorted(), "steps out of order")
        XCTAssertEqual(Set(versions).count, versions.count, "a version used twice")
        XCTAssertTrue(Set(versions).isDisjoint(with: [16, 17, 20, 26]), "16, 17, 20 and 26 stay unused; the next step is after \(versions.last!)")
    }

    func testShippedStepsAreUnchanged() {
        for step in Migrator.steps {
            let hash = Self.fnv1a(step.sql)
            XCTAssertEqual(Self.shipped[step.version], hash,
                           "migration step \(step.version) changed (or is new: record \(hash) for it); add a step instead of editing one")
        }
    }

    /// BulkLoader drops the insert triggers and makes them again from
    /// InsertTrigger.createSQL; what it makes must be what the migrations made.
    func testInsertTriggersOfTheSchemaAreWhatBulkLoaderRecreates() throws {
        let (db, _) = try makeDatabase()
        let c = db.connection
        func stored(_ name: String) throws -> String? {
            try c.first("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", [name]) { $0.string(0) }
        }
        for trigger in InsertTrigger.all {
            let migrated = try stored(trigger.name)
            XCTAssertNotNil(migrated, "\(trigger.name) is not in the migrated schema")
            try c.execute("SAVEPOINT recreate")
            try c.execute("DROP TRIGGER \(trigger.name)")
            try c.execute(trigger.createSQL)
            let recreated = try stored(trigger.name)
            try c.execute("ROLLBACK TO recreate")
            try c.execute("RELEASE recreate")
            XCTAssertEqual(migrated, recreated,
                           "InsertTrigger.\(trigger.name) differs from the schema: a trigger change is a new migration step plus the same change in InsertTrigger")
        }
    }
}
