import CRMCore
import CRMRepositories
import CRMStore
import XCTest

final class SearchTests: XCTestCase {
    var db: Database!
    var folder: TempFolder!

    override func setUpWithError() throws {
        (db, folder) = try makeDatabase()
        let acme = try db.companies.create(Company(name: "Acme Industries"))
        _ = try db.contacts.create(Contact(name: "Jürgen Müller", phones: [PhoneNumber("+49 30 1234-5678")]))
        _ = try db.contacts.create(Contact(name: "محمد رضایی", phones: [PhoneNumber("0912 777 6543")]))
        _ = try db.contacts.create(Contact(name: "王小明", companyID: acme.id))
        _ = try db.contacts.create(Contact(name: "Grace Hopper", emails: [EmailAddress("grace@navy.example")],
                                           phones: [PhoneNumber("(555) 867-5309")], tags: ["admiral"]))
        let ada = try db.contacts.create(Contact(name: "Ada Lovelace", notes: "Interested in the analytical engine"))
        _ = try db.interactions.log(Interaction(contactID: ada.id, kind: .note, body: "Called about the difference engine"))
    }

    func names(_ text: String) throws -> [String] {
        try db.contacts.search(text, filter: .init(), limit: 20).map(\.name)
    }

    func testNameWithDiacriticsFoundFromPlainPrefix() throws {
        XCTAssertEqual(try names("mul"), ["Jürgen Müller"])
        XCTAssertEqual(try names("MÜL"), ["Jürgen Müller"])
        XCTAssertEqual(try names("jur mul"), ["Jürgen Müller"])
    }

    func testPersianNameByFirstLetters() throws {
        XCTAssertEqual(try names("محم"), ["محمد رضایی"])
        XCTAssertEqual(try names("رض"), ["محمد رضایی"])
    }

    func testChineseName() throws {
        XCTAssertEqual(try names("王"), ["王小明"])
        XCTAssertEqual(try names("王小明"), ["王小明"])
    }

    func testEmailCompanyTagAndNoteText() throws {
        XCTAssertEqual(try names("grace@navy"), ["Grace Hopper"])
        XCTAssertEqual(try names("acme"), ["王小明"])
        XCTAssertEqual(try names("admiral"), ["Grace Hopper"])
        XCTAssertEqual(try names("analytical"), ["Ada Lovelace"])
    }

    func testAnyRunOfPhoneDigits() throws {
        XCTAssertEqual(try names("5678"), ["Jürgen Müller"])
        XCTAssertEqual(try names("1234-56"), ["Jürgen Müller"])
        XCTAssertEqual(try names("7776"), ["محمد رضایی"])
        XCTAssertEqual(try names("867 5309"), ["Grace Hopper"])
        // Two digits: too short for trigrams, still found by a capped scan.
        XCTAssertEqual(try names("09"), ["Grace Hopper", "محمد رضایی"])
    }

    func testQuotesAndOperatorsAreTakenLiterally() throws {
        XCTAssertEqual(try names("\"mul"), ["Jürgen Müller"])
        XCTAssertEqual(try names("mul OR"), [])
        XCTAssertEqual(try names("*"), [], "no letter or digit: nothing, not everything")
    }
}
