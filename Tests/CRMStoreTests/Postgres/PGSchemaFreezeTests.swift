@testable import CRMStorePostgres
import Foundation
import XCTest

/// A shipped PostgreSQL step is never edited, as on SQLite: two databases at
/// the same version must have the same schema. A change is a new step.
final class PGSchemaFreezeTests: XCTestCase {
    /// FNV-1a (64 bit) of each shipped step's parts, joined in order.
    /// Append a new step's value; never change one.
    static let shipped: [Int: UInt64] = [
        30: 5640860562943982750,
        31: 12039898699651017289,
        32: 14695981039346656037,
        33: 14695981039346656037,
        34: 9571011357481278440,
        35: 14695981039346656037,
        36: 14695981039346656037,
        37: 12873195996354529186,
        38: 3621612447190708798,
        39: 3338488342903016444,
        40: 8876962263463340009,
        41: 8459447920802465047,
        42: 12628732509903693495,
        43: 8299309574812695315,
        44: 1499748128988824391,
        45: 12245397063430987650,
        46: 1469340106833838526,
        47: 4170678809583337912,
        48: 14695981039346656037,
        50: 9560347142450110483,
        52: 5224597091844468773,
        53: 11319495665694138278,
        54: 14695981039346656037,
        55: 2940311161822452990,
        56: 15678715941240263355,
        57: 18323918786463286662,
        60: 105334997241426536,
        62: 14695981039346656037,
        63: 15085895083146499003,
        64: 2117300360622621865,
        65: 14695981039346656037,
        66: 16316183318427221241,
        67: 12673659269437164802,
        68: 14695981039346656037,
        69: 16335971906990392386,
        70: 15561279043465682263,
        71: 14695981039346656037,
        72: 14695981039346656037,
        73: 3396506955339480683,
        74: 16336772523729355280,
        75: 3112134336788388560,
        76: 15058737677363956380,
        77: 14695981039346656037,
        78: 14695981039346656037,
        79: 14695981039346656037,
        80: 8055823003700980145,
        81: 1259414551384317259,
    ]

    func testShippedStepsAreUnchanged() {
        var missing: [String] = []
        for step in PGMigrator.steps {
            let hash = SchemaFreezeTests.fnv1a(step.parts.joined(separator: "\n"))
            guard let recorded = Self.shipped[step.version] else { missing.append("\(step.version): \(hash),"); continue }
            XCTAssertEqual(hash, recorded, "PostgreSQL step \(step.version) was edited after it shipped; add a new step instead")
        }
        XCTAssertEqual(missing, [], "steps with no recorded hash: add these to PGSchemaFreezeTests.shipped")
        XCTAssertEqual(Set(Self.shipped.keys), Set(PGMigrator.steps.map(\.version)), "a recorded step is gone")
    }
}
