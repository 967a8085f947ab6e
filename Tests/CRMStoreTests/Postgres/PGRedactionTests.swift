@testable import CRMStorePostgres
import XCTest

/// A password never reaches a message or the log, in any form libpq reads
/// (QA 45 #2), and the client tools' options of a hint keep the server and
/// the user even when a value is quoted.
final class PGRedactionTests: XCTestCase {
    func testEveryFormOfAPasswordIsHidden() {
        let cases: [(String, String)] = [
            ("host=/tmp/pg dbname=crm password=secret user=sara", "host=/tmp/pg dbname=crm password=*** user=sara"),
            ("host=/tmp/pg password = secret user=sara", "host=/tmp/pg password = *** user=sara"),
            ("dbname=crm password='S3 cret PW' user=sara", "dbname=crm password=*** user=sara"),
            (#"dbname=crm password='it\'s' user=sara"#, "dbname=crm password=*** user=sara"),
            (#"dbname=crm password=a\ b user=sara"#, "dbname=crm password=*** user=sara"),
            ("dbname=crm PASSWORD=x", "dbname=crm PASSWORD=***"),
            ("dbname=crm user=sara", "dbname=crm user=sara"),
            ("postgresql://sara:secret@db.example/crm", "postgresql://sara:***@db.example/crm"),
            ("postgresql:///crm?user=sara&password=secret&sslmode=require", "postgresql:///crm?user=sara&password=***&sslmode=require"),
            ("dbname=crm bogus password = secret", "dbname=crm bogus password = ***"),
        ]
        for (given, expected) in cases {
            XCTAssertEqual(PGConnection.redacted(given), expected, given)
            XCTAssertFalse(PGConnection.redacted(given).contains("secret"), given)
        }
    }

    func testAHintsClientOptionsNameTheServerAndTheUser() throws {
        try PGConnection.loadLibrary()
        XCTAssertEqual(PGConnection.clientOptions("host=/tmp/pg port=5433 dbname=crm user=sara password='a b'"), "-h /tmp/pg -p 5433 -U sara ")
        XCTAssertEqual(PGConnection.clientOptions(PGConnection.redacted("host=/tmp/pg port=5433 password='a b' user=sara")), "-h /tmp/pg -p 5433 -U sara ")
        XCTAssertEqual(PGConnection.clientOptions("dbname=crm"), "")
    }
}
