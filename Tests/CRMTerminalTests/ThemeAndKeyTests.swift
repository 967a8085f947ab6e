import XCTest
import CRMViewModels
import CNcursesw
@testable import CRMTerminal

final class ThemeAndKeyTests: XCTestCase {
    func testThemeChoice() {
        XCTAssertEqual(Theme.choose(colors: 256, hasColors: true, noColor: false).kind, .color256)
        XCTAssertEqual(Theme.choose(colors: 16, hasColors: true, noColor: false).kind, .color8)
        XCTAssertEqual(Theme.choose(colors: 8, hasColors: true, noColor: false).kind, .color8)
        XCTAssertEqual(Theme.choose(colors: 256, hasColors: true, noColor: true).kind, .monochrome)
        XCTAssertEqual(Theme.choose(colors: 2, hasColors: true, noColor: false).kind, .monochrome)
        XCTAssertEqual(Theme.choose(colors: 256, hasColors: false, noColor: false).kind, .monochrome)
    }

    /// Without colour, selection and state must still be visible.
    func testMonochromeKeepsStatesApart() {
        let m = Theme.monochrome
        let looks = Style.Role.allCases.map { m.entry(for: $0) }
        for role in [Style.Role.selected, .selectedInactive, .statusBar, .error, .highlight, .field, .title] {
            XCTAssertFalse(m.entry(for: role).attributes.isEmpty, "\(role) is invisible in monochrome")
        }
        XCTAssertNotEqual(m.entry(for: .selected), m.entry(for: .selectedInactive))
        XCTAssertNotEqual(m.entry(for: .selected), m.entry(for: .highlight))
        XCTAssertTrue(looks.allSatisfy { $0.foreground == -1 && $0.background == -1 })
    }

    func testEveryThemeCoversEveryRole() {
        for theme in [Theme.color256, .color8, .monochrome] {
            XCTAssertNotEqual(theme.entry(for: .selected), theme.entry(for: .normal), "\(theme.kind)")
        }
        XCTAssertEqual(Set(Style.Role.allCases.map(\.letter)).count, Style.Role.allCases.count,
                       "style letters must be unique")
    }

    func testCharacterDecoding() {
        XCTAssertEqual(KeyReader.decode(char: 13), .enter)
        XCTAssertEqual(KeyReader.decode(char: 10), .enter)
        XCTAssertEqual(KeyReader.decode(char: 9), .tab)
        XCTAssertEqual(KeyReader.decode(char: 127), .backspace)
        XCTAssertEqual(KeyReader.decode(char: 8), .backspace)
        XCTAssertEqual(KeyReader.decode(char: 1), .ctrl("a"))
        XCTAssertEqual(KeyReader.decode(char: 11), .ctrl("k"))
        XCTAssertEqual(KeyReader.decode(char: 26), .ctrl("z"))
        XCTAssertEqual(KeyReader.decode(char: 0x6A), .char("j"))
        XCTAssertEqual(KeyReader.decode(char: 0x738B), .char("王"))
        XCTAssertEqual(KeyReader.decode(char: 0x9B), nil)
        XCTAssertEqual(KeyReader.decode(char: 28), nil)
    }

    func testKeyCodeDecoding() {
        XCTAssertEqual(KeyReader.decode(code: KEY_UP), .up)
        XCTAssertEqual(KeyReader.decode(code: KEY_NPAGE), .pageDown)
        XCTAssertEqual(KeyReader.decode(code: KEY_DC), .delete)
        XCTAssertEqual(KeyReader.decode(code: KEY_BTAB), .backTab)
        XCTAssertEqual(KeyReader.decode(code: KEY_BACKSPACE), .backspace)
        XCTAssertEqual(KeyReader.decode(code: KEY_ENTER), .enter)
        XCTAssertEqual(KeyReader.decode(code: crm_key_f(5)), .function(5))
        XCTAssertEqual(KeyReader.decode(code: KeyReader.ctrlLeftCode), .ctrlLeft)
    }
}
