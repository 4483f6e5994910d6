import Testing

@testable import VMScopeUI

@Suite("key scripts")
struct KeyScriptTests {
    @Test("words are typed a character at a time; names in brackets")
    func wordsAndNames() throws {
        let script = try KeyScript(parsing: "n n /q <Enter> <Down> <S-Tab> <C-c> <F2> <lt> <Space>")
        #expect(
            script.events == [
                .key(.character("n")), .key(.character("n")), .key(.character("/")), .key(.character("q")),
                .key(.enter), .key(.down), .key(.backTab), .key(.control("c")), .key(.function(2)),
                .key(.character("<")), .key(.character(" ")),
            ])
    }

    @Test("quoted strings keep their spaces; comments are skipped")
    func quotedAndComments() throws {
        let script = try KeyScript(parsing: "# open the search\n/\"a b\" # the query\n<Enter>")
        #expect(
            script.events == [
                .key(.character("/")), .key(.character("a")), .key(.character(" ")), .key(.character("b")),
                .key(.enter),
            ])
    }

    @Test("mouse and resize commands")
    func commands() throws {
        let script = try KeyScript(parsing: "<click 3 4> <wheeldown 10 2> <resize 100x30>")
        #expect(
            script.events == [
                .mouse(MouseEvent(.press, x: 3, y: 4)), .mouse(MouseEvent(.wheelDown, x: 10, y: 2)),
                .resize(Size(width: 100, height: 30)),
            ])
    }

    @Test("errors say where", arguments: ["n <Dowm>", "<click 1>", "\"open", "n <Enter"])
    func errors(text: String) {
        #expect(throws: KeyScript.ParseError.self) { try KeyScript(parsing: text) }
    }

    @Test("an unknown name reports line and column")
    func errorPosition() {
        do {
            _ = try KeyScript(parsing: "n\n  <nope>")
            Issue.record("expected an error")
        } catch {
            #expect(error.line == 2)
            #expect(error.column == 3)
        }
    }
}
