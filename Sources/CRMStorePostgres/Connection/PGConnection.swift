import CLibPQ
import CRMRepositories
import Foundation

/// One libpq connection, owned by one thread of work (a `PGconn` is never
/// shared across threads). Every statement goes through `PQexecParams` with
/// text parameters; every result is read into Swift and cleared before the
/// call returns.
public final class PGConnection {
    let handle: OpaquePointer
    /// The connection string as given, for messages (never with a password).
    public let target: String
    var transactionDepth = 0
    /// Statements that open or end a transaction level (BEGIN, SAVEPOINT,
    /// RELEASE SAVEPOINT), held back and sent in the same round trip as the
    /// next statement (see `PGConnection+Deferred.swift`): a level that sent
    /// nothing costs no round trip at all, one that did costs none extra.
    var deferred: [String] = []
    /// Whether the outermost transaction has sent a statement that may
    /// write (anything but a read, as `isSafeToRepeat` tells them apart):
    /// only such a transaction records a commit token and has its COMMIT
    /// resolved when the answer is lost.
    var mayHaveWritten = false
    /// Called after every committed outermost transaction on this connection.
    public var onCommit: (() -> Void)?
    /// The engine's own hooks around the COMMIT of a transaction that wrote
    /// (the change feed counts its own changes there: a read sent in the
    /// COMMIT's round trip), kept apart from `onCommit`, which belongs to
    /// whoever holds the connection.
    var commitRead: CommitRead?
    var afterCommit: (() -> Void)?
    /// Whether a lost connection is re-established (with backoff) and the
    /// interrupted work resumed; see `PGConnection+Reconnect.swift`. Off for a
    /// bare connection; `PostgresDatabase` turns it on.
    public var reconnectsAutomatically = false
    /// Whether statements with parameters are prepared once per session
    /// and executed by name afterwards (see `PGConnection+Plans.swift`);
    /// `CRM_PG_PREPARE=off` turns it off for every connection.
    public var preparesStatements = PGConnection.preparesFromEnvironment
    /// Whether each outermost transaction records a token in `crm_commits`
    /// (schema 30), so that a COMMIT whose answer was lost is resolved after
    /// reconnecting: applied exactly once, never twice, never lost.
    public var recordsCommitTokens = false
    /// Told "reconnecting…" and "reconnected" (or "gave up"): called from
    /// inside the blocked call, so draw, but make no call on this connection.
    public var onConnectionWait: ((WriteWait) -> Void)?
    /// How long a statement waits for a lock another session holds before
    /// it is refused (`RepositoryError.busy`, nothing changed): the server's
    /// lock_timeout, 5 s as SQLite's busy timeout for a person at the
    /// screen; a command sets a minute, as on SQLite. 0: no limit.
    public var lockTimeoutMs = 5_000 {
        didSet {
            guard oldValue != lockTimeoutMs, isOpen else { return }
            _ = try? script(lockTimeoutSetting)
        }
    }
    /// The second connection that asks whether a statement waits for a
    /// lock (PGConnection+Waiting.swift); opened on first need, in steps.
    var lockWatcher: PGConnection?
    var pendingLockWatcher: PGPendingConnection?
    /// Seconds a statement may go without an answer before the connection
    /// is given up as lost (its socket shut): for the side connections a
    /// screen opens (the lock watcher, the listener), whose server not
    /// answering must never hold the keyboard. nil: no limit.
    var answerDeadline: Double?
    /// Seconds without a byte from the server after which a statement the
    /// idle tick sent is given up, when the server does not answer a second
    /// connection either: a stopped server or a black-holed host would
    /// otherwise hold the keyboard until it came back (the kernel keeps a
    /// Unix socket, or a TCP one within tcp_user_timeout, waiting forever).
    var tickSilenceLimit = 1.0
    /// The same for a statement a person's action sent, who is told "the
    /// database server is not answering…" meanwhile: given up, the
    /// connection is lost and the reconnect that follows tries once
    /// (`foundSilent`), so the action ends with the unreachable sentence
    /// (or, for a COMMIT, that whether it was saved is unknown) and what was
    /// typed stays; nothing is applied twice.
    var actionSilenceLimit = 5.0
    /// A reconnect under way in steps (see `PGConnectSteps`), carried from
    /// one idle tick to the next.
    var resetSteps: PGConnectSteps?
    /// Whether the last reconnect attempt ended for want of an answer (for its sentence).
    var resetTimedOut = false
    /// How long a reconnect keeps trying before it gives up.
    public var reconnectTimeout: TimeInterval = 30
    /// Set when a reconnect gave up, until one succeeds: from then on each
    /// use tries once and fails at once (see `reconnect`).
    var gaveUpReconnecting = false
    /// Set when a statement was given up because the server answered
    /// nobody (PGConnection+Waiting.swift): the reconnect that follows tries
    /// once, as after giving up, rather than hold the person who is waiting
    /// another `reconnectTimeout` for a server just found silent; the idle
    /// tick goes on trying.
    var foundSilent = false
    /// Set when a statement on this connection was given up for want of an
    /// answer (PGConnection+Waiting.swift `abandon`).
    var gaveUpWaiting = false
    /// Set inside `reconnectingOnce`: a lost connection is tried once.
    var reconnectsOnce = false
    /// The server process of the connection before it was lost (a new one
    /// serves it after a reconnect): ended if it lingers in a transaction.
    var lostBackendPID: Int32 = 0
    /// Tests only: after the next COMMIT succeeds, cut the connection as if
    /// the server's answer had been lost on the way (a network cut at the
    /// worst moment), to show the commit is then resolved, not repeated.
    var loseNextCommitAcknowledgement = false
    /// Tests only: cut the connection just before the next COMMIT is sent,
    /// so its outcome is in doubt though it did not commit.
    var cutBeforeNextCommit = false
    /// Statements that load what the server session needs to plan the
    /// screens' reads (see `PGConnection+WarmUp.swift`), run after opening
    /// and after each reconnect; nil: none.
    var catalogWarmUp: String?
    let conninfo: String

    /// Connects, or throws `.badConnectionString` / `.connection` with
    /// libpq's words (for crm.log; the caller says one sentence to people).
    public convenience init(_ conninfo: String) throws {
        do { try PGConnection.validate(conninfo) } catch let error as PGError {
            throw error.repositoryError(target: PGConnection.redacted(conninfo))
        }
        guard let conn = Self.connect(conninfo, with: { PQconnectdbParams($0, $1, $2) }) else {
            throw PGError(kind: .connection, message: "out of memory")
        }
        guard PQstatus(conn) == CONNECTION_OK else { throw Self.refusal(finishing: conn, conninfo) }
        try self.init(connected: conn, conninfo: conninfo)
    }

    /// Takes over `conn`, connected to `conninfo` (a blocking connect, or
    /// one made in steps: `PGPendingConnection`), and sets up its session.
    init(connected conn: OpaquePointer, conninfo: String, answerDeadline: Double? = nil) throws {
        // The server's notices and warnings ("terminating connection due to
        // administrator command") would reach stderr as libpq's raw text,
        // under a command's one sentence or across the screen: dropped; what
        // matters arrives as an error with its SQLSTATE.
        PQsetNoticeProcessor(conn, { _, _ in }, nil)
        handle = conn
        target = PGConnection.redacted(conninfo)
        self.conninfo = conninfo
        self.answerDeadline = answerDeadline
        try configureSession()
    }

    /// The error for a connection that failed (libpq's words, its SQLSTATE
    /// class told from them); `conn` is finished.
    static func refusal(finishing conn: OpaquePointer, _ conninfo: String) -> RepositoryError {
        let message = Self.text(PQerrorMessage(conn))
        PQfinish(conn)
        return PGError(kind: .connection, sqlState: Self.connectionState(message), message: message)
            .repositoryError(target: PGConnection.redacted(conninfo))
    }

    /// Network defaults that the connection string may override (they come
    /// before it, and libpq keeps a keyword's last value): a server that
    /// cannot be reached is given up on after 10 s instead of the system's
    /// minutes; an idle connection to a server gone silent (a dropped VPN,
    /// a cut cable) is found dead within a minute and a half by keepalives,
    /// and a statement whose bytes are not acknowledged for 30 s fails
    /// (tcp_user_timeout), so the reconnect takes over (QA 33 #5). Unix
    /// socket connections ignore all of them.
    static let networkDefaults: [(String, String)] = [
        ("connect_timeout", "10"), ("keepalives", "1"), ("keepalives_idle", "30"), ("keepalives_interval", "10"),
        ("keepalives_count", "6"), ("tcp_user_timeout", "30000"),
    ]

    /// PQconnectdbParams (or PQconnectStartParams) with `networkDefaults`
    /// and then `conninfo` (as dbname, expanded: a URI or key=value pairs,
    /// as PQconnectdb reads it).
    static func connect(_ conninfo: String,
                        with open: (UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<UnsafePointer<CChar>?>?, Int32) -> OpaquePointer?)
        -> OpaquePointer? {
        let pairs = networkDefaults + [("dbname", conninfo)]
        let keys = pairs.map { strdup($0.0) }
        let values = pairs.map { strdup($0.1) }
        defer { (keys + values).forEach { free($0) } }
        var keyPointers = keys.map { UnsafePointer<CChar>($0) } + [nil]
        var valuePointers = values.map { UnsafePointer<CChar>($0) } + [nil]
        return keyPointers.withUnsafeMutableBufferPointer { k in
            valuePointers.withUnsafeMutableBufferPointer { v in open(k.baseAddress, v.baseAddress, 1) }
        }
    }

    /// The value libpq uses for connection option `keyword` (PQconninfo).
    func option(_ keyword: String) -> String? { Self.option(keyword, of: handle) }

    /// The same for a handle not yet a connection's (one connecting in steps).
    static func option(_ keyword: String, of handle: OpaquePointer) -> String? {
        guard let options = PQconninfo(handle) else { return nil }
        defer { PQconninfoFree(options) }
        var i = 0
        while let name = options[i].keyword {
            if String(cString: name) == keyword { return options[i].val.map { String(cString: $0) } }
            i += 1
        }
        return nil
    }

    /// The same connection string again: a second connection to the same
    /// database as the same role (the change feed's listener).
    public func sibling() throws -> PGConnection { try PGConnection(conninfo) }

    /// Times are whole seconds since 1970 in bigint columns, but the
    /// session's zone still matters for any date arithmetic in SQL, and
    /// text must arrive as UTF-8 whatever the server's default is. Run again
    /// after every reconnect (a new server session knows none of it).
    ///
    /// No JIT compiling: the server compiles any statement estimated above
    /// `jit_above_cost`, and at 100,000 contacts a report's or a count's
    /// estimate is; compiling took 1.75 s of the Customers page's 3.3 s and
    /// 130 ms of the value tiers' 290 ms, for statements that read indexes
    /// and run in milliseconds. Nothing crm sends gains from it.
    func configureSession() throws {
        _ = try script("SET client_encoding = 'UTF8'; SET TIME ZONE 'UTC'; SET client_min_messages = warning; SET jit = off; "
                       + lockTimeoutSetting)
    }

    deinit { PQfinish(handle) }

    /// Throws `.badConnectionString` unless libpq parses `conninfo` (a URI
    /// `postgresql://…` or `key=value` pairs), or `.libraryMissing` when
    /// libpq cannot be loaded.
    public static func validate(_ conninfo: String) throws {
        try loadLibrary()
        var error: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(conninfo, &error) else {
            let message = error.map { String(cString: $0) } ?? "it does not parse"
            if let error { PQfreemem(error) }
            throw PGError(kind: .badConnectionString, message: message.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        PQconninfoFree(options)
    }

    /// Loads libpq (once per process; see CLibPQ.h): crm is not linked with
    /// it, so an SQLite file never loads it. Every connection is validated
    /// first, so this comes before any other libpq call.
    public static func loadLibrary() throws {
        var reason = [CChar](repeating: 0, count: 512)
        guard !crm_libpq_load(&reason, reason.count) else { return }
        throw PGError(kind: .libraryMissing, message: String(decoding: reason.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }

    /// The server options of PostgreSQL's client tools (createdb, pg_restore)
    /// that reach the same server as `conninfo`: "-h /tmp/pg -p 5433 -U sara " (with
    /// a trailing space), "" for the default server or a string libpq cannot
    /// parse. A hint with them can be pasted as it is (QA 38 B-F5).
    public static func clientOptions(_ conninfo: String) -> String {
        let values = conninfoValues(conninfo) ?? [:]
        func word(_ text: String) -> String {
            text.allSatisfy { $0.isLetter || $0.isNumber || "/._-:".contains($0) } ? text
                : "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
        }
        // The user too (QA 45 #6: pasted as root, "role root does not exist").
        return [("-h", values["host"]), ("-p", values["port"]), ("-U", values["user"])].compactMap { flag, value in
            value.flatMap { $0.isEmpty ? nil : "\(flag) \(word($0)) " }
        }.joined()
    }

    /// The value of `keyword` in `conninfo` as libpq reads it (nil when the
    /// string does not parse or does not name it).
    static func conninfoValue(_ keyword: String, of conninfo: String) -> String? {
        conninfoValues(conninfo)?[keyword].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Every keyword `conninfo` sets, as libpq reads it; nil when libpq cannot
    /// be loaded or the string does not parse.
    private static func conninfoValues(_ conninfo: String) -> [String: String]? {
        guard (try? loadLibrary()) != nil else { return nil }
        var error: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(conninfo, &error) else {
            if let error { PQfreemem(error) }
            return nil
        }
        defer { PQconninfoFree(options) }
        var values: [String: String] = [:]
        var option = options
        while let keyword = option.pointee.keyword {
            if let value = option.pointee.val { values[String(cString: keyword)] = String(cString: value) }
            option += 1
        }
        return values
    }

    /// The connection string with any password replaced, for messages and logs:
    /// in a URI the user's `:secret@` and a `password=` parameter; in a
    /// key=value string the password's value in every form libpq reads
    /// (spaces around `=`, a quoted value, backslash escapes; QA 45 #2: only
    /// `password=value` was hidden, `password = secret` was printed whole).
    public static func redacted(_ conninfo: String) -> String {
        let start = conninfo.drop { $0.isWhitespace }
        if start.hasPrefix("postgresql://") || start.hasPrefix("postgres://") {
            var text = conninfo
            if let r = text.range(of: #"://[^/@:]*:[^@/]*@"#, options: .regularExpression) {
                let user = text[r].dropFirst(3).prefix { $0 != ":" }
                text.replaceSubrange(r, with: "://\(user):***@")
            }
            return text.replacingOccurrences(of: #"([?&]password=)[^&]*"#, with: "$1***", options: .regularExpression)
        }
        return redactedKeywords(conninfo)
    }

    /// `keyword = value` pairs as libpq splits them, the password's value replaced.
    private static func redactedKeywords(_ conninfo: String) -> String {
        let chars = Array(conninfo)
        var out = "", i = 0
        func skipSpaces() { while i < chars.count, chars[i].isWhitespace { out.append(chars[i]); i += 1 } }
        while i < chars.count {
            skipSpaces()
            var keyword = ""
            while i < chars.count, !chars[i].isWhitespace, chars[i] != "=" { keyword.append(chars[i]); i += 1 }
            out += keyword
            skipSpaces()
            guard i < chars.count, chars[i] == "=" else {
                // Not a pair libpq reads: the rest as it is, with anything
                // that looks like a password still hidden.
                out += String(chars[i...])
                return out.replacingOccurrences(of: #"(password\s*=\s*)\S+"#, with: "$1***", options: .regularExpression)
            }
            out.append("="); i += 1
            skipSpaces()
            // A value ends at its closing quote, or unquoted at a blank; a
            // backslash takes the next character whole either way.
            var value = ""
            let quoted = i < chars.count && chars[i] == "'"
            if quoted { value.append("'"); i += 1 }
            while i < chars.count, quoted ? chars[i] != "'" : !chars[i].isWhitespace {
                if chars[i] == "\\", i + 1 < chars.count { value.append(chars[i]); i += 1 }
                value.append(chars[i]); i += 1
            }
            if quoted, i < chars.count { value.append("'"); i += 1 }
            out += keyword.lowercased() == "password" ? "***" : value
        }
        return out
    }

    // MARK: statements

    /// Runs one statement with bound parameters and returns its rows.
    /// Throws `RepositoryError` (the server's words in its diagnostic, and
    /// in `lastError`).
    @discardableResult
    public func query(_ sql: String, _ params: [any PGBindable] = []) throws -> PGRows {
        guard transactionDepth == 0 else { return try send(sql, params) }
        guard reconnectsAutomatically else {
            do { return try send(sql, params) } catch where lastError?.sqlState == "26000" {
                // Its prepared form was discarded under it: prepared again.
                return try send(sql, params)
            }
        }
        // Outside a transaction: a connection found lost is re-established
        // first, and a read (or BEGIN) that lost it on the way is sent again
        // (asking twice changes nothing; a write outside a transaction is
        // not repeated: its caller hears it was lost).
        if !isOpen { try reconnect() }
        do { return try send(sql, params) } catch let error where lastError?.isConnectionLost == true {
            try reconnect()
            guard Self.isSafeToRepeat(sql) else { throw error }
            return try send(sql, params)
        } catch where lastError?.sqlState == "26000" {
            // Its prepared form was discarded under it (a pooler): prepared again.
            return try send(sql, params)
        }
    }

    private func send(_ sql: String, _ params: [any PGBindable]) throws -> PGRows {
        // A held-back BEGIN, SAVEPOINT or RELEASE goes in the same round
        // trip, and so does the first PREPARE of a statement (see `plan`).
        trimPlans()
        let plan = plan(for: sql, params)
        if !deferred.isEmpty || plan?.isNew == true { return try sendPipeline([Pipelined(sql, params)])[0] }
        noteSent(sql)
        let texts = params.map { $0.pgText }
        return try counted(sql) {
            let result: OpaquePointer? = exchange {
                withCStrings(texts) { pointers in
                    if let plan { return PQsendQueryPrepared(handle, plan.name, Int32(pointers.count), pointers, nil, nil, 0) }
                    return PQsendQueryParams(handle, sql, Int32(pointers.count), nil, pointers, nil, nil, 0)
                }
            }
            return try neutral { try consume(result, sql: sql) }
        }
    }

    /// Round trips to the server on this connection so far: what a frame
    /// costs on PostgreSQL is mostly how many statements it sends (each pays
    /// a round trip and, unprepared, a parse and plan), so the bench prints
    /// it per key and tests can assert a screen's count does not grow with
    /// its rows.
    public private(set) var statementCount = 0

    /// Told each statement's text and milliseconds after it ran (the bench's
    /// `CRM_BENCH_STATEMENTS` listing); nil, the default, costs nothing.
    public var onStatement: ((String, Double) -> Void)?

    func counted<T>(_ sql: String, _ body: () throws -> T) rethrows -> T {
        statementCount += 1
        guard let onStatement else { return try body() }
        let start = DispatchTime.now().uptimeNanoseconds
        defer { onStatement(sql, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6) }
        return try body()
    }

    /// Statements prepared on this server session, by their text (a new
    /// session after a reconnect has none: `preparedOn` tells them apart).
    var preparedNames: [String: String] = [:]
    var preparedOn: Int32 = 0
    /// Names are never reused: one prepared in a pipeline that failed
    /// afterwards may exist on the server without being in `preparedNames`.
    var preparedSerial = 0

    /// `query`, for a statement run many times (an import's lookup for
    /// every row): prepared once per server session (`PQprepare`), then only
    /// executed, so the server parses and plans it once instead of on each
    /// call. The same parameters, results and errors as `query`.
    @discardableResult
    public func preparedQuery(_ sql: String, _ params: [any PGBindable] = []) throws -> PGRows {
        if !isOpen, reconnectsAutomatically, transactionDepth == 0 { try reconnect() }
        try flushDeferred()
        noteSent(sql)
        if preparedOn != backendPID {
            preparedNames.removeAll()
            preparedOn = backendPID
        }
        let name: String
        if let known = preparedNames[sql] {
            name = known
        } else {
            name = newPlanName()
            try counted("PREPARE " + sql) {
                let result = PQprepare(handle, name, sql, Int32(params.count), nil)
                _ = try neutral { try consume(result, sql: sql) }
            }
            preparedNames[sql] = name
        }
        let texts = params.map { $0.pgText }
        return try counted(sql) {
            let result: OpaquePointer? = exchange {
                withCStrings(texts) { pointers in PQsendQueryPrepared(handle, name, Int32(pointers.count), pointers, nil, nil, 0) }
            }
            return try neutral { try consume(result, sql: sql) }
        }
    }

    /// The last error the server or libpq reported on this connection.
    public internal(set) var lastError: PGError?

    func neutral<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as PGError {
            lastError = error
            if let sql = error.statement { forgetPlanAfter(error, sql: sql) }
            throw error.repositoryError(target: target)
        }
    }

    /// Runs one statement and returns the number of rows it touched.
    @discardableResult
    public func execute(_ sql: String, _ params: [any PGBindable] = []) throws -> Int {
        try query(sql, params).affected
    }

    /// The first column of the first row, or nil.
    public func scalar(_ sql: String, _ params: [any PGBindable] = []) throws -> String? {
        try query(sql, params).first?.optionalString(0)
    }

    /// The same calls as the SQLite engine's `Connection` (`?` placeholders,
    /// a row mapper), so a repository reads alike on both engines. `?`
    /// outside quotes becomes `$1`, `$2`, … in order (see `numbered`).
    @discardableResult
    public func run(_ sql: String, _ params: [any PGBindable] = []) throws -> Int {
        try execute(Self.numbered(sql), params)
    }

    public func rows<T>(_ sql: String, _ params: [any PGBindable] = [], _ map: (PGRow) throws -> T) throws -> [T] {
        try query(Self.numbered(sql), params).rows.map(map)
    }

    public func first<T>(_ sql: String, _ params: [any PGBindable] = [], _ map: (PGRow) throws -> T) throws -> T? {
        try query(Self.numbered(sql), params).first.map(map)
    }

    /// The first column of the first row as a number, or nil.
    public func integer(_ sql: String, _ params: [any PGBindable] = []) throws -> Int64? {
        try query(Self.numbered(sql), params).first?.optionalInt64(0)
    }

    /// `sql` with each `?` outside string literals, quoted names and
    /// comments replaced by `$1`, `$2`, … in order. Statements are our own
    /// fixed text; this only spares writing the numbers by hand.
    public static func numbered(_ sql: String) -> String {
        guard sql.contains("?") else { return sql }
        var out = "", n = 0
        var quote: Character? = nil
        var previous: Character = " "
        var inLineComment = false
        for ch in sql {
            if inLineComment {
                out.append(ch)
                if ch == "\n" { inLineComment = false }
            } else if let q = quote {
                out.append(ch)
                if ch == q { quote = nil }
            } else if ch == "'" || ch == "\"" {
                quote = ch; out.append(ch)
            } else if ch == "-" && previous == "-" {
                inLineComment = true; out.append(ch)
            } else if ch == "?" {
                n += 1; out += "$\(n)"
            } else {
                out.append(ch)
            }
            previous = ch
        }
        return out
    }

    /// Several statements without parameters in one round trip (schema
    /// scripts). Never used with any value that came from outside.
    @discardableResult
    public func script(_ sql: String) throws -> PGRows {
        // A held-back BEGIN or SAVEPOINT goes first, in the same round trip.
        let text = (deferred + [sql]).joined(separator: "; ")
        deferred = []
        noteSent(sql)
        return try counted(text) { try neutral { try consume(exchange { PQsendQuery(handle, text) }, sql: text) } }
    }


    /// The server process serving this connection.
    public var backendPID: Int32 { PQbackendPID(handle) }

    /// Cuts the connection's socket as a network failure would (tests of
    /// `loseNextCommitAcknowledgement`): libpq then finds it lost.
    func cutSocket() { _ = shutdown(PQsocket(handle), Int32(SHUT_RDWR)) }

    func consume(_ result: OpaquePointer?, sql: String) throws -> PGRows {
        guard let result else {
            let message = Self.text(PQerrorMessage(handle))
            throw PGError(kind: PQstatus(handle) == CONNECTION_OK ? .statement : .connection,
                          sqlState: PQstatus(handle) == CONNECTION_OK ? "" : "08006", message: message, statement: sql)
        }
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_TUPLES_OK, PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
            let columnCount = Int(PQnfields(result)), rowCount = Int(PQntuples(result))
            let columns = (0..<columnCount).map { String(cString: PQfname(result, Int32($0))) }
            var rows: [PGRow] = []
            rows.reserveCapacity(rowCount)
            for r in 0..<Int32(rowCount) {
                rows.append(PGRow(values: (0..<Int32(columnCount)).map { c in
                    PQgetisnull(result, r, c) == 1 ? nil : String(cString: PQgetvalue(result, r, c))
                }))
            }
            let affected = Int(String(cString: PQcmdTuples(result))) ?? 0
            let types = (0..<columnCount).map { UInt32(PQftype(result, Int32($0))) }
            return PGRows(columns: columns, columnTypes: types, rows: rows, affected: affected)
        default:
            let state = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) } ?? ""
            let primary = PQresultErrorField(result, Int32(UInt8(ascii: "M"))).map { String(cString: $0) }
            let message = primary ?? Self.text(PQresultErrorMessage(result))
            let detail = PQresultErrorField(result, Int32(UInt8(ascii: "D"))).map { String(cString: $0) }
            // libpq's own errors carry no SQLSTATE; "server closed the
            // connection unexpectedly" can come back while the status still
            // reads OK (a server stopped at once), so the words count too.
            let lost = PQstatus(handle) != CONNECTION_OK
                || state.isEmpty && (message.contains("connection") || message.contains("server closed"))
            throw PGError(kind: lost ? .connection : .statement, sqlState: state.isEmpty && lost ? "08006" : state,
                          message: message, detail: detail, statement: sql)
        }
    }

    // MARK: transactions

    public var inTransaction: Bool { transactionDepth > 0 }

    /// Runs `body` in a transaction (a savepoint when nested). The outermost
    /// one is tried again, up to `attempts` times in all, when the server
    /// reports a serialization failure or deadlock: nothing of a failed
    /// attempt was committed, so repeating it cannot apply a write twice.
    ///
    /// With `reconnectsAutomatically`, a connection lost during the body is
    /// re-established and the body run again (nothing of it was committed);
    /// one lost during COMMIT is resolved by the transaction's commit token
    /// (`recordsCommitTokens`): found, it committed and is not repeated; not
    /// found, it did not, and is run again. Without a token such a COMMIT's
    /// outcome is unknown and says so.
    public func transaction<T>(attempts: Int = 5, _ body: () throws -> T) throws -> T {
        if transactionDepth > 0 { return try savepoint(body) }
        var attempt = 1
        var reconnects = 0
        var ledger = CommitLedger<T>(token: recordsCommitTokens ? UUID().uuidString : nil)
        while true {
            do {
                // What failed before this attempt must not decide how its
                // own failure is handled (a loss already recovered from).
                lastError = nil
                if reconnectsAutomatically && !isOpen { try reconnect() }
                // Sent with the body's first statement, in one round trip.
                deferred = ["BEGIN"]
                mayHaveWritten = false
                transactionDepth = 1
                ledger.newAttempt()
                if ledger.outcomeUnknown, let earlier = try ledger.resolve(on: self) {
                    // The attempt whose answer was lost had committed.
                    transactionDepth = 0
                    _ = try? execute("ROLLBACK")
                    afterCommit?()
                    onCommit?()
                    return earlier
                }
                let value = try body()
                if deferred.first == "BEGIN" {
                    // The body sent nothing: no transaction was opened on the server.
                    deferred = []
                    transactionDepth = 0
                    onCommit?()
                    return value
                }
                let wrote = try commit(&ledger, value)
                transactionDepth = 0
                if loseNextCommitAcknowledgement {
                    loseNextCommitAcknowledgement = false
                    cutSocket()
                    _ = try? send("SELECT 1", [])
                    let error = PGError(kind: .connection, sqlState: "08006", message: "the server's answer to COMMIT was lost (simulated)", statement: "COMMIT")
                    lastError = error
                    throw error.repositoryError(target: target)
                }
                if wrote { afterCommit?() }
                onCommit?()
                return value
            } catch let error as RepositoryError where lastError?.isRetryable == true && attempt < attempts {
                _ = error
                endAttempt()
                lastError = nil
                attempt += 1
            } catch let error where reconnectsAutomatically && (lastError?.isConnectionLost == true || !isOpen) && reconnects < 3 {
                transactionDepth = 0
                deferred = []
                if ledger.outcomeUnknown && !ledger.canResolve { throw ledger.unknownOutcome(target: target, error) }
                reconnects += 1
                // A COMMIT in doubt is worth the whole wait: resolved after
                // reconnecting, the person hears it was saved, and a second
                // Ctrl-S cannot save it twice (QA 37 #1). Still away at the
                // end, saying only "cannot be reached" would hide that it may
                // have been saved.
                do { try reconnect(patiently: ledger.outcomeUnknown) } catch where ledger.outcomeUnknown {
                    throw ledger.unknownOutcome(target: target, error)
                }
                lastError = nil
            } catch {
                endAttempt()
                throw error
            }
        }
    }

    /// Ends a failed attempt of the outermost transaction: rolled back on
    /// the server, unless its BEGIN was never sent.
    private func endAttempt() {
        transactionDepth = 0
        let opened = deferred.first != "BEGIN"
        deferred = []
        if opened && PQstatus(handle) == CONNECTION_OK { _ = try? execute("ROLLBACK") }
    }

    // MARK: notifications (LISTEN)

    /// The socket, for waiting on notifications without a busy loop.
    public var socket: Int32 { PQsocket(handle) }

    /// True while the connection to the server is up.
    public var isOpen: Bool { PQstatus(handle) == CONNECTION_OK }

    /// Reads whatever has arrived and returns the notifications received
    /// (channel, payload), oldest first. Never blocks.
    public func notifications() throws -> [(channel: String, payload: String)] {
        try receivedNotifications().map { ($0.channel, $0.payload) }
    }

    /// Like `notifications()`, with the server process that sent each (so a
    /// session can leave out its own: compare with its `backendPID`).
    public func receivedNotifications() throws -> [PGNotification] {
        guard PQconsumeInput(handle) == 1 else {
            let error = PGError(kind: .connection, sqlState: "08006", message: Self.text(PQerrorMessage(handle)))
            lastError = error
            throw error.repositoryError(target: target)
        }
        var received: [PGNotification] = []
        while let note = PQnotifies(handle) {
            received.append(PGNotification(channel: String(cString: note.pointee.relname), payload: String(cString: note.pointee.extra),
                                           senderPID: note.pointee.be_pid))
            PQfreemem(note)
        }
        return received
    }

    /// The server's major version number (e.g. 15).
    public var serverMajorVersion: Int { Int(PQserverVersion(handle)) / 10000 }

    // MARK: helpers

    static func text(_ pointer: UnsafeMutablePointer<CChar>?) -> String {
        pointer.map { String(cString: $0) }?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
    }

    /// libpq reports connection failures as text only; the SQLSTATE class
    /// 28 (invalid authorization) is told apart from 08 (cannot connect) by
    /// the words the server uses, so the caller can say "wrong credentials".
    static func connectionState(_ message: String) -> String {
        let lower = message.lowercased()
        if lower.contains("authentication failed") || lower.contains("password") || lower.contains("role \"")
            && lower.contains("does not exist") { return "28000" }
        // A role without LOGIN (a deactivated CRM user), or no pg_hba.conf line for it.
        if lower.contains("is not permitted to log in") || lower.contains("no pg_hba.conf entry") { return "28000" }
        if lower.contains("database \"") && lower.contains("does not exist") { return "3D000" }
        return "08001"
    }
}

/// Calls `body` with C strings for `texts` (nil stays a null pointer, which
/// libpq reads as SQL NULL), valid only during the call.
func withCStrings<R>(_ texts: [String?], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
    let owned: [UnsafeMutablePointer<CChar>?] = texts.map { $0.map { strdup($0) } ?? nil }
    defer { for p in owned { free(p) } }
    return body(owned.map { $0.map { UnsafePointer($0) } })
}
