import CRMBench
import CRMDemo
import CRMExchange
import CRMRepositories
import CRMStore

/// Everything `crm help` says, as data: the subcommands with their options,
/// the environment, the files and the exit statuses. `crm help`, `crm help
/// CMD`, the man page (`crm help --roff`, Resources/crm.1), the shell
/// completions and the bad-input tests are all made from these values.
///
/// To add a subcommand: register it in `CLI.subcommands` and add one
/// `CommandHelp` to `commands` (a test fails when the two differ), then run
/// `make man` to regenerate Resources/crm.1.
enum Help {
    /// In the order `crm help` lists them.
    static let commands: [CommandHelp] = [demo, check, followups, agenda, lookup, contacts, companies, deals, timeline, show,
                                          query, importFile, log, logEmail, duplicates, merge,
                                          export, audit, user, trash, report, backup, restore, migrate, completion, bench, help]

    static var topics: [String] { commands.map(\.name) }

    static func command(_ name: String?) -> CommandHelp? { commands.first { $0.name == name } }

    /// The short usage printed after a usage error.
    static func usage(_ command: String?) -> String {
        if let help = Self.command(command) { return help.usage }
        let lines = ["crm [--db PATH] [--user LOGIN] [--demo]"] + commands.filter { $0.name != "help" }.map { "crm \($0.name) \($0.synopsis)" }
            + ["crm help [SUBCOMMAND] | --help | --version"]
        return "usage: " + lines.joined(separator: "\n       ")
    }

    static func text(_ topic: String?) -> String {
        command(topic)?.text ?? main
    }

    static let tagline = "a customer relationship manager for the terminal"

    static let about = """
        Opens the CRM on one SQLite database file that everyone on the machine may share.
        When you may not write the file or its folder, it opens read-only: the top bar
        says "read-only", and keys that would write say why they do nothing.

        Or on a PostgreSQL database, for a team that outgrew one machine: --db (or
        CRM_DB) names it with a connection string instead of a path, and the screens and
        commands work the same on it (only restore, check and demo, which work on a
        file, say what to do instead). The server decides who you are (your database
        role is your login) and what you may change (crm user add creates the role).
        """

    /// The options of `crm` itself (opening the screen).
    static let rootOptions: [OptionHelp] = [
        OptionHelp("--db", value: "PATH|URI", """
            the database: a file path is an SQLite database (created if missing); a PostgreSQL \
            connection string names a server database (it must exist: createdb NAME), either a URI \
            (postgresql:///crm, postgresql://crm.example/crm?sslmode=require, postgres://...) or \
            key=value pairs ('host=/run/postgresql dbname=crm'), as libpq reads them (a password \
            is better kept in ~/.pgpass than in the string). Default: see FILES.
            """),
        OptionHelp("--user", value: "LOGIN", """
            whose name your edits, notes and follow-ups carry. The first user of a new database is its \
            admin; after that an unknown login is refused (exit 67; an admin adds users with crm user add) \
            unless the database creates users on first use (the demo database does), and a deactivated \
            one too (exit 77). Default: your login name (getlogin, then $USER, then the password database). \
            On PostgreSQL the database role you connect as is your login, and --user may name \
            someone else only for the database's owner or a superuser (the program acting for \
            someone); anyone else is refused (exit 77).
            """),
        OptionHelp("--demo", """
            open a separate demo database, demo.db in the folder of the real one, filled with \
            \(DemoData.defaultContacts) made-up contacts on first start, as the demo user \(DemoData.users[0].login) \
            unless --user says otherwise. Your real data is never touched.
            """),
        OptionHelp("--call", value: "NUMBER", """
            open straight in call mode on the contact with this phone number (any form, as for lookup),             the call marked inbound: for a softphone's "on incoming call" hook. Unknown number: the new             contact form with the number filled in (the number of a tel: or sip: caller ID, and its display             name as the name), and call mode on the contact once it is saved. Several             contacts: the contact list searched for the number, to pick one and press c. Quote a number             with spaces; not a phone number: exit 65.
            """),
        OptionHelp("-h, --help", "this text."),
        OptionHelp("-V, --version", "the version and the schema version."),
    ]

    static let environment: [HelpItem] = [
        HelpItem("CRM_DB", """
            the database when --db is not given: a file path, or a PostgreSQL connection string \
            (postgresql:///crm, 'host=/run/postgresql dbname=crm') as for --db.
            """),
        HelpItem("XDG_DATA_HOME", """
            the data folder (default ~/.local/share); the database is $XDG_DATA_HOME/crm/crm.db unless --db \
            or CRM_DB says otherwise.
            """),
        HelpItem("CRM_PG_LISTEN", """
            on PostgreSQL, off to learn of colleagues' changes from the change counters alone, without \
            LISTEN (behind PgBouncer in transaction mode, or on an engine without LISTEN such as CockroachDB).
            """),
        HelpItem("CRM_PG_PREPARE", """
            on PostgreSQL, off to send every statement whole instead of preparing it once per session \
            (behind PgBouncer in transaction mode, where a prepared statement is not on the next server connection).
            """),
        HelpItem("XDG_CONFIG_HOME", "where your settings file is (default ~/.config): $XDG_CONFIG_HOME/crm/settings."),
        HelpItem("XDG_STATE_HOME", "where your log is kept (default ~/.local/state)."),
        HelpItem("VISUAL, EDITOR", """
            the editor for long notes (Ctrl-X in a form), run as git runs it: sh -c '$EDITOR "$@"' sh FILE.
            """),
        HelpItem("USER", "your login name, when getlogin() knows none (no terminal)."),
        HelpItem("TMPDIR", "where 'crm bench' keeps its database (default /tmp)."),
        HelpItem("CRM_BENCH_STATEMENTS", """
            set (to anything) to have 'crm bench --only keys' with a PostgreSQL --db list, on stderr, every \
            statement each key sent in its last run, with its milliseconds.
            """),
        HelpItem("CRM_BENCH_KEYS", """
            words separated by commas (e.g. Duplicates,search): 'crm bench --only keys' then times only the \
            keys and paths whose row name holds one of them (ASCII case ignored), and prints each key's every \
            sample on stderr; unset, all of them.
            """),
        HelpItem("TERM", """
            the terminal type. One that cannot show the screen (dumb, unset, or unknown to terminfo) is \
            refused in one line, exit 78.
            """),
        HelpItem("NO_COLOR", "when set (to anything), the screen uses no colours."),
    ]

    static let files: [HelpItem] = [
        HelpItem("~/.local/share/crm/crm.db", """
            the database (one SQLite file in WAL mode, plus crm.db-wal and crm.db-shm beside it while in \
            use). Its folder is created with mode 0700, the file 0600 (whatever the umask). A symbolic \
            link there is followed only to an existing crm database; another program's SQLite file is \
            refused (65), untouched.
            """),
        HelpItem("~/.local/share/crm/demo.db", "the demo database of 'crm --demo'."),
        HelpItem("~/.local/share/crm/drafts/", """
            unsaved text (a form, a prompt, a call) kept when the screen went away without a save; \
            offered at the next start on the same database as the same user.
            """),
        HelpItem("~/.config/crm/settings", """
            your settings (time zone, calendar, cadences, theme, phone_region), written by the settings \
            screen (S); $XDG_CONFIG_HOME/crm/settings when XDG_CONFIG_HOME is set.
            """),
        HelpItem("~/.local/state/crm/crm.log", """
            your log (0600, never written through a link): the screen's error output and the database \
            engine's own words when something fails.
            """),
        HelpItem("NAME.before-restore-TIME", """
            the database as it was before 'crm restore' replaced it (0600, beside it).
            """),
    ]

    /// After the files: how text from the database reaches the terminal.
    static let textSafety = """
        Text from the database is printed with control characters and escape sequences
        shown as symbols (␛, ␇, �), never sent to your terminal raw; --json escapes
        every control character (C0, DEL, C1, bidi controls) as \\uXXXX instead.
        """

    /// sysexits.h, as crm uses it.
    static let exitStatus: [HelpItem] = [
        HelpItem("0", "ok."),
        HelpItem("1", """
            check found problems or could not read the file; lookup, log or log-email found no such \
            contact; demo declined to add to a filled database; restore was not confirmed.
            """),
        HelpItem("64", "wrong arguments: an unknown option, a missing or malformed value (one line says which)."),
        HelpItem("65", """
            database too new, damaged or not a crm database; a backup that fails its check; input that \
            cannot be used (not a phone number, a mail that cannot be read, an address that belongs to \
            several contacts); an import file that is not what it claims, or rows of it rejected.
            """),
        HelpItem("66", "database (or an import file) missing or cannot be opened."),
        HelpItem("69", """
            PostgreSQL: the server cannot be reached, has no such database, lacks the extensions \
            unaccent and pg_trgm, or the command works on a file only (restore, check, demo).
            """),
        HelpItem("67", """
            no user with this login (--user, your login name, or import --owner); the message names the \
            nearest one.
            """),
        HelpItem("70", "a bug in crm (the log has the details)."),
        HelpItem("73", """
            cannot create the database, its folder or a backup (or a link at its path points nowhere, \
            or the backup file exists); a command that writes to a database you may only read.
            """),
        HelpItem("74", "read or write error, or the terminal went away under the screen."),
        HelpItem("75", "database locked by another process for over a minute (a command waits that long for a colleague's save), or (restore) open in another crm; try again."),
        HelpItem("77", """
            the user is deactivated, or their role may not do this (crm user); PostgreSQL refused \
            the login (user name, password, pg_hba.conf).
            """),
        HelpItem("78", "the terminal cannot show the screen (TERM)."),
        HelpItem("128+N", """
            ended by signal N (SIGHUP, SIGTERM, SIGINT, SIGQUIT). A crash gives the terminal back, and \
            says so, before crm ends; the log tells what happened.
            """),
    ]

    static var main: String {
        [
            "crm \(CLI.version): \(tagline).",
            usage(nil),
            about,
            "Options:\n" + HelpLayout.list(rootOptions.map { ($0.label, $0.text) }),
            "Subcommands:\n" + HelpLayout.list(commands.map { ($0.name, $0.summary) }),
            "Environment:\n" + HelpLayout.list(environment.map { ($0.name, $0.text) }, column: 20),
            "Files:\n" + HelpLayout.list(files.map { ($0.name, $0.text) }, column: 30),
            textSafety,
            "Exit status (sysexits.h):\n" + HelpLayout.list(exitStatus.map { ($0.name, $0.text) }, column: 9),
            "The keys of the screen: press ? in any view, or see 'man crm' (KEYS).",
        ].joined(separator: "\n\n")
    }

    static let dbOption = OptionHelp("--db", value: "PATH", "the database (default as for crm): a file or a PostgreSQL connection string.")

    static let demo = CommandHelp(
        "demo", synopsis: "--db PATH [--contacts N] [--seed S] [--append]",
        summary: "fill a database with realistic made-up data",
        description: """
            Fills the database at PATH with realistic made-up data: 5 users (sara, omid, li,
            jan, maria), companies (N/10) with domains, N contacts named in many scripts
            (English, German, French, Spanish, Persian, Arabic, Chinese, Cyrillic, Japanese)
            with emails, phones, tags, owners and lifecycle stages, the pipelines "Sales" and
            "Renewals" with deals in every stage (won and lost ones too, with stage history),
            about ten interactions per contact over the last two years, and follow-ups
            overdue, due today and upcoming. All in one transaction: it is all there or none.
            """,
        options: [
            OptionHelp("--db", value: "PATH", """
                the database file to fill (required; created if missing). For a PostgreSQL database, \
                fill a file and copy it: crm demo --db demo.db && crm migrate --from demo.db --to URI.
                """),
            OptionHelp("--contacts", value: "N", """
                how many contacts (default \(DemoData.defaultContacts); 1 to 10,000,000). 100,000 contacts make \
                about 1,000,000 interactions.
                """),
            OptionHelp("--seed", value: "S", """
                the random seed (default \(DemoCommand.defaultSeed)). The same seed gives the same data; times are \
                relative to today (midnight UTC), so two runs on the same day write identical rows.
                """),
            OptionHelp("--append", """
                add to a database that already has contacts. Without it, demo refuses (exit 1) to add to a \
                database that is not empty. Without --seed, an append picks a seed from the number of \
                contacts already there, so it adds new people rather than the same ones again.
                """),
        ],
        required: ["--db"])

    static let followups = CommandHelp(
        "followups", synopsis: "[--due overdue|today|week | --from DATE --to DATE --status open|done|cancelled | --all] [--user LOGIN] [--json] [--db PATH]",
        summary: "print follow-ups: the Today lists, or any dates and statuses, as text or JSON",
        description: """
            Prints the open follow-ups of everyone (or of one user, with --user) as the Today
            view shows them: overdue, due today, and due in the next 7 days; with --due, one of those
            lists only. With --from, --to, --status or --all it prints the follow-ups list instead:
            one list sorted by due, at any date, open by default, done or cancelled ones with
            --status, every status with --all. DATE is read as due dates are typed (2026-12-01,
            1 dec, today, +2w, 1405-09-10 or 10 azar with the Persian calendar, Persian digits
            too); a day without a time runs from its start (--from) to its end (--to). A day
            without a year is the last or the next one, whichever makes the shortest range
            nearest today (on 30 Nov, --from "25 nov" --to "5 dec" is this week's); a start
            that can be today is today (--from mon on a Monday). For a
            morning mail, a report or a status line; exits 0 when the lists print, even when they
            are empty. Reads the database without changing it (no upgrade, no new user, no files
            beside it); a file of an older schema is read as it is.

            \(agendaFields)
            """,
        options: [
            OptionHelp("--due", value: "WHICH", "overdue, today or week (the next 7 days).", choices: ["overdue", "today", "week"]),
            OptionHelp("--from", value: "DATE", "only follow-ups due at or after DATE (the list; not with --due)."),
            OptionHelp("--to", value: "DATE", "only follow-ups due up to DATE, that whole day when no time is given (next week, next month: to their last day)."),
            OptionHelp("--status", value: "STATUS", "open (the default), done or cancelled.", choices: ["open", "done", "cancelled"]),
            OptionHelp("--all", "every status, at any date (narrowed by --from and --to when given)."),
            OptionHelp("--user", value: "LOGIN", "only this user's follow-ups (the login must exist; default: everyone's)."),
            OptionHelp("--json", "one JSON object per list (an array with --due, and for the list) instead of text; "
                       + "each follow-up has its status, cancel_reason and done_at; the other fields below."),
            dbOption,
        ])

    static let agenda = CommandHelp(
        "agenda", synopsis: "[--user LOGIN] [--json] [--db PATH]",
        summary: "print the morning review: follow-ups and customers needing attention",
        description: """
            Prints the whole morning review: overdue, today and upcoming follow-ups, and the
            customers nobody has contacted for longer than their cadence (settings file:
            cadence.customer, cadence.prospect, cadence.tag.NAME). Reads the database
            without changing it, as followups does.

            \(agendaFields)
            """,
        options: [
            OptionHelp("--user", value: "LOGIN", "only this user's agenda (the login must exist; default: everyone's)."),
            OptionHelp("--json", "a JSON object with one list per section."),
            dbOption,
        ])

    static let lookup = CommandHelp(
        "lookup", synopsis: "NUMBER [--json] [--db PATH]",
        summary: "who is calling: the contacts with this phone number, with owner, lifecycle, value tier, last interaction and open follow-ups",
        description: """
            Who is calling: prints, for each contact with a phone number matching NUMBER
            (at most 50), its name and company, then the number that matched as stored,
            the owner, the lifecycle stage, the value tier (A, B or C, for a customer with won deals), the last interaction (when, type and
            direction, subject or first line) and every open follow-up (due, title).
            NUMBER may be typed in any form a phone system sends: +49 171 9936679,
            0049 171 9936679, 0171 9936679 (a national number is read with phone_region
            from the settings file), 1719936679, or any run of at least 3 of its digits;
            Persian digits too; or a caller ID as softphones pass it: tel:+49171…,
            sip:+49171…@provider, "Ana" <sip:0171…@pbx>, callto:+49171…; an extension
            (;ext=12, ext. 12, x12) is left out of the match. When no contact has it,
            a contact in the trash that has it is named, with the command that restores it.
            Reads the database without changing it, as followups does.
            """,
        options: [
            OptionHelp("--json", """
                a JSON array, one object per contact: id, name, company_id, company, owner, lifecycle, tier (A, B, C or null), \
                matched_phone, phones [{number, label}], emails [{address, label}], last_interaction ({id, \
                type, direction, at, subject, first_line, duration_seconds, author} or null), open_follow_ups \
                [{id, title, due, deal_id, assignee}]. Times are ISO 8601 in UTC. No match: [] and exit 1.
                """),
            dbOption,
        ],
        required: ["NUMBER"],
        exitStatus: "0 found; 1 no contact matches; 65 NUMBER is not a phone number.")

    static let report = CommandHelp(
        "report", synopsis: "pipeline|forecast|winloss|people|customers [--period P] [--owner LOGIN[,LOGIN]] [--pipeline NAME[,NAME]] [--currency CODE] [--json|--csv] [--user LOGIN] [--db PATH]",
        summary: "the figures of a Reports page (view 5): pipeline, forecast, won and lost, people, customers",
        description: """
            Prints one page of the Reports view, the same sheet the screen shows (built by
            the same code): pipeline (open deals per stage with count, value and value
            weighted by the stage's probability, a total per pipeline; the funnel of the
            deals created in the period; median days in each stage), forecast (weighted
            value of the open deals by expected close month, this month and the five
            after it, in your calendar; deals past their close date counted apart),
            winloss, people and customers. Amounts in different currencies are never added
            together: each currency has its own rows, and a total converted into the
            default currency, marked with ≈ (converted in JSON), is added only when the
            settings file sets a rate for each (rate.USD = 0.92: 1 USD is 0.92 of the
            default currency). A user whose role does not see everyone's reports (a rep)
            gets their own figures only; a login the database does not know is refused
            (exit 67). Reads the database without changing it, as lookup does; for cron
            mails and spreadsheets:

              crm report pipeline --period "last 30 days" --owner sara,omid
              crm report forecast --pipeline Sales --currency EUR --csv > forecast.csv
            """,
        options: [
            OptionHelp("--period", value: "P", """
                this week, this month (default), this quarter, this year, last week, last month, \
                last quarter, last year (the whole one before this), last N days (or Nd), or FROM..TO, whole days both included, in either calendar (2026-01-01..2026-03-31, \
                1405-01-01..1405-03-31, 6 azar..today; Persian digits too). Weeks start on the \
                settings' first_weekday; months, quarters and years are those of its calendar.
                """),
            OptionHelp("--owner", value: "LOGIN[,LOGIN]", "only the deals, contacts and follow-ups of these users (default: everyone's)."),
            OptionHelp("--pipeline", value: "NAME[,NAME]", "only these pipelines (default: every pipeline)."),
            OptionHelp("--currency", value: "CODE", "only amounts in this currency (ISO 4217, e.g. EUR)."),
            OptionHelp("--json", """
                one JSON object: page, title, calendar, period {name, start, end}, filter, and \
                sections [{key, title, columns [{key, title}], bar_column, sparkline, rows [{values \
                {column key: value}, total, drill {deals|contacts|follow_ups: [ids]}}]}], notes. An \
                amount is {amount, currency, minor_units, converted}; a share is a number from 0 to 1; a \
                month is YYYY-MM of the settings' calendar; an undefined figure is null.
                """),
            OptionHelp("--csv", """
                CSV (RFC 4180), one section after another with a blank line between: a header record \
                (section, the column keys, an amount's currency in KEY_currency, total), then the rows. \
                Amounts are plain numbers, shares from 0 to 1.
                """),
            OptionHelp("--user", value: "LOGIN", "report as this user (default: your login name): a rep sees their own figures."),
            dbOption,
        ],
        required: ["pipeline|forecast|winloss|people|customers"],
        positionalWords: ["pipeline", "forecast", "winloss", "people", "customers"],
        exitStatus: "0 printed; 64 bad page or option; 67 unknown --owner or --user; 77 a rep asked for others' figures.")

    static let audit = CommandHelp(
        "audit", synopsis: "[--entity KIND] [--id N] [--user LOGIN] [--as LOGIN] [--since DATE] [--limit N] [--json] [--db PATH]",
        summary: "the audit trail: who changed which field of which record from what to what, and when",
        description: """
            Prints the audit log, newest first: for each entry the time (in your calendar
            and time zone, from the settings file), the user, the action and the record,
            then one line per changed field with its value before and after. Owners and
            assignees read as logins. At most 200 entries unless --limit says otherwise.
            Reads the database without changing it. As W on the screen, the whole trail is
            for managers and admins: a rep (your login) reads one record's history, with
            --entity and --id, and a login that is no user of the database none of it
            (exit 67).
            """,
        options: [
            OptionHelp("--entity", value: "KIND", "only entries of this kind: contact, company, deal, followup, interaction, stage, pipeline, user, import or setting."),
            OptionHelp("--id", value: "N", "only the record with this id (needs --entity)."),
            OptionHelp("--user", value: "LOGIN", "only changes made by this user (the login must exist: exit 67 otherwise)."),
            OptionHelp("--as", value: "LOGIN", """
                who reads (default: your login name): a manager or an admin reads the whole trail, a rep one \
                record's history. For an admin whose system login is not their login in crm. On PostgreSQL \
                the reader is the role you connect as; only the database's owner may name another.
                """),
            OptionHelp("--since", value: "DATE", """
                only changes at or after DATE, written as due dates are (2026-11-01, 1 nov, -7d, yesterday); \
                in the calendar of the settings file.
                """),
            OptionHelp("--limit", value: "N", "at most N entries (default 200)."),
            OptionHelp("--json", """
                a JSON array, one object per entry, newest first: id, at (ISO 8601 UTC), user (login or null), \
                entity, entity_id, action, changes {field: {old, new}} with each value as stored: text, number, \
                list or null.
                """),
            dbOption,
        ],
        exitStatus: "0 ok (also when nothing matches); 64 a bad option value or an unreadable DATE; 67 no such user; 77 a rep asked for more than one record's history.")

    static let log = CommandHelp(
        "log", synopsis: "--contact ID|--phone NUMBER|--email ADDRESS --type TYPE [--direction in|out] [--duration D] [--at DATE] [--subject S] [--outcome O] [--body TEXT|-] [--user LOGIN] [--db PATH]",
        summary: "log a call, email, meeting, note or message from a script",
        description: """
            Logs one interaction on a contact's timeline, as the screen's n and c keys do:
            for a softphone's hang-up hook, a cron job or a script. One transaction,
            recorded in the audit log as the user. Prints the new interaction's id.
              crm log --phone "$NUMBER" --type call --direction in --duration 3m

            Whom it is about, exactly one of --contact, --phone or --email. A number or
            address of several contacts is refused (exit 65) with their ids and names: say
            which with --contact. One of nobody: exit 1.

            A call the call card (crm --call) logged already for that contact, direction
            and user, within this call, is not logged twice: it gets this call's duration
            and subject, stderr says so, and its id is printed.
            """,
        options: [
            OptionHelp("--contact", value: "ID", "the contact with this id (crm lookup --json shows it)."),
            OptionHelp("--phone", value: "NUMBER", "the contact with this phone number, in any form (as lookup)."),
            OptionHelp("--email", value: "ADDRESS", "the contact with this email address (case does not matter)."),
            OptionHelp("--type", value: "TYPE", "call, email, meeting, note or message (required).",
                       choices: ["call", "email", "meeting", "note", "message"]),
            OptionHelp("--direction", value: "D", "in (they reached us) or out (we reached them).", choices: ["in", "out"]),
            OptionHelp("--duration", value: "D", "5m, 1h30m, 90s, minutes (25), mm:ss (12:30) or h:mm:ss; at most 24 hours."),
            OptionHelp("--at", value: "DATE", """
                when it happened, typed as due dates are but looking back: today 14:30, yesterday 16:00, -2h, \
                fri (the last Friday), 27 nov (the last 27 November), \
                2026-11-27 14:30 (in the calendar and time zone of the settings file; with the Persian \
                calendar 6 azar, 1405-09-06; Persian digits too). Default: now; a time later than now \
                is refused, as on the screen (a follow-up is for what is to come).
                """),
            OptionHelp("--subject", value: "S", "the subject line."),
            OptionHelp("--outcome", value: "O", "how it ended (\"left a voicemail\")."),
            OptionHelp("--body", value: "TEXT", """
                the text; - reads it from stdin (UTF-8; a final line break is dropped). A note needs a body \
                or a subject.
                """),
            OptionHelp("--user", value: "LOGIN", "who logged it (default: your login name; an unknown login is refused, exit 67)."),
            OptionHelp("--db", value: "PATH", "the database (default as for crm; it must exist): a file or a PostgreSQL connection string."),
        ],
        required: ["--type"],
        exitStatus: """
            0 logged; 1 no such contact; 64 wrong arguments; 65 a value that cannot be
            used (not a phone number, a date or duration that cannot be read, a number or
            address of several contacts, a body that is not UTF-8).
            """)

    static let logEmail = CommandHelp(
        "log-email", synopsis: "[--direction in|out] [--create] [--force] [--contact ID] [--user LOGIN] [--db PATH] < MAIL",
        summary: "log a mail (or an mbox of mails) piped from a mail client",
        description: """
            Reads one mail (RFC 5322), or an mbox of several, on stdin and logs each as an
            email on its contact's timeline, with the subject, the Date header as the time
            (now when it has none) and the text: the text/plain part, else the HTML part
            reduced to text; headers with RFC 2047 words, quoted-printable and base64 parts
            in any charset are decoded. Made for mail clients:
              neomutt:  macro index,pager L "<pipe-message>crm log-email<enter>"
              aerc:     L = :pipe -m crm log-email<Enter>   (in binds.conf)

            Whose timeline: a mail from someone else is received (in) and goes to the
            contact with its From address; a mail from one of your own addresses is sent
            (out) and goes to the contact of the first To, then Cc, address that has one.
            Your own addresses are the setting my_addresses in the settings file
            (~/.config/crm/settings, e.g. my_addresses = sara@example.com, @example.com;
            @domain means every address there).

            Each mail is logged once: its Message-ID is stored, and the same mail piped
            again prints "already logged" (exit 0). A mail without a Message-ID gets one
            made from its From, Date, Subject and text. Mail from a mailing list or a robot
            (a List-Id header, Auto-Submitted other than no, Precedence: bulk, list or
            junk) is skipped unless --force.

            The whole input is read before anything is written: when any mail in it cannot
            be read (no From, a header that is not UTF-8, cut off inside its header or a
            MIME part, not a mail at all), nothing is logged and crm says which mail and
            line (exit 65). All mails of one run are then logged in one transaction. An
            mbox ends with a summary line.
            """,
        options: [
            OptionHelp("--direction", value: "D", "in or out, whatever the addresses say.", choices: ["in", "out"]),
            OptionHelp("--create", """
                an unknown correspondent becomes a new contact (a lead named after the display name, else the \
                part before the @).
                """),
            OptionHelp("--force", "log mail from lists and robots too."),
            OptionHelp("--contact", value: "ID", "log on this contact, whatever the addresses say."),
            OptionHelp("--user", value: "LOGIN", "who logged it (default: your login name)."),
            OptionHelp("--db", value: "PATH", "the database (default as for crm; it must exist): a file or a PostgreSQL connection string."),
        ],
        exitStatus: """
            0 every mail logged, already logged or skipped; 1 a mail whose correspondent is
            no contact (the others are logged); 65 a mail that cannot be read (nothing
            logged), or an address that belongs to several contacts (that mail is not
            logged; say which with --contact).
            """)

    static let check = CommandHelp(
        "check", synopsis: "[--db PATH]",
        summary: "check a database for damage and show its schema version",
        description: """
            Runs SQLite's integrity check on the database and prints "ok" or the problems
            found; then checks that each contact's stored last contact time (which the Today
            list, the contact list and the People and Customers reports read) is the time of
            its latest interaction, naming the first contacts whose time is not, and how a
            JSON copy imported into a new file mends them; then the schema version of the
            file and the newest version this crm understands. The file is only read: never
            created, migrated or changed, and nothing is made beside it.
            """,
        options: [
            OptionHelp("--db", value: "PATH", """
                the database to check (default: $CRM_DB, else $XDG_DATA_HOME/crm/crm.db, else \
                ~/.local/share/crm/crm.db). A PostgreSQL database is not checked here (exit 69): \
                the server checks its own pages, with pg_amcheck.
                """),
        ],
        exitStatus: """
            0 ok; 1 problems found (damage, or a wrong last contact time) or not
            readable; 65 not a crm database, or
            written by a newer crm (the report is printed first); 66 no such file.
            """)

    static let duplicates = CommandHelp(
        "duplicates", synopsis: "[--json] [--limit N] [--db PATH]",
        summary: "list contacts and companies that look like one, strongest first",
        description: """
            Lists the pairs of contacts that look like one person, then the pairs of companies
            that look like one, strongest reason first, as the Duplicates list in Contacts
            (key D) shows them. Contacts: the same email address (ignoring case), then the
            same phone number (compared on its international form, so +49 171 9936679,
            0049 171 9936679 and, with phone_region DE, 0171 9936679 are one number; else on
            its digits), then a similar name at the same company (case, accents, Persian and
            Arabic letter forms, punctuation and word order ignored: "Müller, Günter" and
            "gunter muller"). Companies: the same web domain, then a similar name. A group
            of several (five "Günter Müller" at one company) is listed as pairs with its
            oldest record. Each line: both records (#id name · company or domain) and every
            reason they share. Reads the database without changing it.
            """,
        options: [
            OptionHelp("--json", """
                a JSON object: "contacts" and "companies", each a list of {"first", "second": {"id", \
                "name", "context", "updated_at"}, "strength", "reasons": [{"reason", "value"}]}, and \
                "more" (true when the list was cut at --limit).
                """),
            OptionHelp("--limit", value: "N", "at most N pairs of each (1 to 100000; default 100)."),
            dbOption,
        ],
        exitStatus: """
            0 (also when none are found); 64 usage; 65 a file at an older schema (open it
            once with crm to upgrade it); 66 no database.
            """)

    static let merge = CommandHelp(
        "merge", synopsis: "contact|company KEEP OTHER [--dry-run] [--user LOGIN] [--db PATH]",
        summary: "merge one contact (or company) into another, as the merge screen does",
        description: """
            Merges OTHER into KEEP (both ids, as crm duplicates and the screen show them),
            with the merge screen's defaults: each field from the record that has it set,
            and from the more recently edited one when both do; a contact's emails, phones
            and tags joined. Everything that points at OTHER moves to KEEP: a contact's
            interactions, deals and follow-ups; a company's contacts, deals and interactions.
            OTHER goes to the trash, pointing to KEEP. One transaction, recorded in the
            audit log as yours; refused when either record changed while it ran. To choose
            fields one by one, or to undo with u, merge on the screen (Contacts, D).
            """,
        options: [
            OptionHelp("--dry-run", "print the merged record and what would move; write nothing."),
            OptionHelp("--user", value: "LOGIN", "who the audit log names (default: your login name)."),
            dbOption,
        ],
        required: ["contact|company", "KEEP", "OTHER"],
        positionalWords: ["contact", "company"],
        exitStatus: """
            0 merged; 1 no such record (or in the trash); 64 usage; 66 no database; 75 the
            database was busy or a record changed meanwhile.
            """)

    static let trash = CommandHelp(
        "trash", synopsis: "list|restore|purge [KIND ID] [--kind KIND] [--older-than DAYS] [--all] [--json] [--user LOGIN] [--db PATH]",
        summary: "list what was deleted, restore it with what went with it, or purge it for good",
        description: """
            Deleted contacts, companies, deals, follow-ups and interactions wait in the trash,
            newest first, each with who deleted it and when. What goes with a record: a
            contact takes its follow-ups along (its interactions stay with it, as its
            history); a deal takes its follow-ups; a company unlinks its contacts and deals
            (they stay, without the company). These are counted with the record ("+2 with
            it") and not listed on their own.

              crm trash list [--kind KIND] [--json]
              crm trash restore KIND ID
              crm trash purge [--older-than DAYS | --all] [--kind KIND]

            list reads the database without changing it (a file of an older schema as it
            is); KIND is contact, company, deal,
            followup or interaction. restore brings the record back with exactly what its
            delete took along (not what was deleted on its own before) and links its
            contacts and deals again; one transaction, audited. A record whose company (or
            contact, or deal) was purged since comes back without that link, and restore
            says so. A follow-up that went with its deal is restored with the deal. A
            contact or company merged into another is listed as "merged into #ID" and not
            restored (exit 65): its history is on the record it was merged into.

            purge removes for good, in one transaction recorded in the audit log as one
            action; only an admin may. A purged contact's interactions go with it, except
            those that also belong to a deal or company still kept. Without --older-than or --all it applies trash_days
            from the settings file; crm also applies trash_days by itself at start, in an
            admin's session (a rep's settings never purge the team's trash).
            """,
        options: [
            OptionHelp("--kind", value: "KIND", "only this kind: contact, company, deal, followup or interaction."),
            OptionHelp("--older-than", value: "DAYS", "purge: only what was deleted more than DAYS days ago."),
            OptionHelp("--all", "purge: empty the trash (of --kind, or all of it)."),
            OptionHelp("--json", "list: a JSON array (kind, id, title, detail, deleted_at, deleted_by, dependents)."),
            OptionHelp("--user", value: "LOGIN", "who the audit log names (default: your login name)."),
            dbOption,
        ],
        required: ["list|restore|purge"],
        positionalWords: ["list", "restore", "purge", "contact", "company", "deal", "followup", "interaction"],
        exitStatus: """
            0 done; 1 not in the trash; 64 usage; 65 a record that went with another (restore
            that one); 66 no database; 75 the database was busy; 77 only an admin purges.
            """)

    static let user = CommandHelp(
        "user", synopsis: "list|add|rename|set-role|deactivate|reactivate|handover|handovers|new-logins [LOGIN [NEW|ROLE]] [--name NAME] [--role ROLE] [--reassign-to LOGIN] [--contacts-to LOGIN] [--deals-to LOGIN] [--followups-to LOGIN] [--dry-run] [--list-out FILE] [--undo N] [--json] [--user LOGIN] [--db PATH]",
        summary: "manage users and roles; hand a leaver's work to colleagues",
        description: """
            The users of a database and what each may do. A rep works customers, deals,
            follow-ups and interactions; a manager also reassigns others' records and sees
            everyone's reports; an admin also manages users, pipelines, stages, stage
            probabilities and rotting limits, shared settings, and empties the trash. The
            first user of a new database is its admin. Roles prevent mistakes on a shared
            SQLite file; anyone who may write the file can bypass them.

            On PostgreSQL the server enforces them: crm user add creates the user's
            database role (a login role in the group crm_rep, crm_manager or crm_admin),
            set-role moves it to another group, deactivate takes its LOGIN away, rename
            renames it. The role is the user: with peer authentication over the Unix
            socket it is the operating-system login, and --user cannot make it anyone
            else. The first user of a new database is the role that opens it first (its
            owner, who ran createdb), as admin; crm migrate gives every user it copies
            over its role. Then, as that admin:
              crm user add bob --name "Bob Berg" --db postgresql:///crm
              crm user list [--json]                     every user, role, active or not
              crm user add LOGIN [--name N] [--role R]   a new user (default role: rep)
              crm user rename LOGIN NEW [--name N]       a new login (and full name)
              crm user set-role LOGIN ROLE               admin, manager or rep
              crm user deactivate LOGIN [--reassign-to L] [--list-out FILE]
              crm user reactivate LOGIN
              crm user handover LOGIN --reassign-to L    move work without deactivating
              crm user handover --undo N                 move handover N back
              crm user handovers [--json]                the handovers, newest first
              crm user new-logins on|off                 create unknown logins on first use?

            An unknown --user is refused (exit 67) with the nearest login, unless the
            database creates users on first use (new-logins on; the demo database does). A
            deactivated user cannot open the CRM (exit 77), is offered in no owner or
            assignee choice, and keeps their name on everything they wrote.

            deactivate and handover first print what the user holds ("omid owns 412
            contacts, 37 open deals, 58 open follow-ups"), then move it all in one
            transaction, recorded in the audit log as one action: contacts and the
            companies they own to --contacts-to, open deals to --deals-to, open follow-ups
            to --followups-to (--reassign-to: all to one colleague). handover --undo N puts
            back every record nobody changed since (and reactivates a user deactivated by
            that handover). Every action is one transaction, audited as you.
            """,
        options: [
            OptionHelp("--name", value: "NAME", "the user's full name (add, rename)."),
            OptionHelp("--role", value: "ROLE", "admin, manager or rep (add; default rep).", choices: ["admin", "manager", "rep"]),
            OptionHelp("--reassign-to", value: "LOGIN", "who takes everything the user holds (deactivate, handover)."),
            OptionHelp("--contacts-to", value: "LOGIN", "who takes their contacts and companies."),
            OptionHelp("--deals-to", value: "LOGIN", "who takes their open deals."),
            OptionHelp("--followups-to", value: "LOGIN", "who takes their open follow-ups."),
            OptionHelp("--dry-run", "print what the user holds; move nothing."),
            OptionHelp("--list-out", value: "FILE", """
                write the handover list (kind, id, name, from, to) to FILE: CSV, or JSON when FILE ends \
                in .json or --json is given. FILE must not exist; it is made 0600.
                """),
            OptionHelp("--undo", value: "N", "handover: move handover N back (see crm user handovers)."),
            OptionHelp("--json", "list, handovers: JSON; deactivate, handover: the handover list as JSON on stdout."),
            OptionHelp("--user", value: "LOGIN", "who acts (default: your login name); checked against their role."),
            dbOption,
        ],
        required: ["list|add|rename|set-role|deactivate|reactivate|handover|handovers|new-logins"],
        positionalWords: ["list", "add", "rename", "set-role", "deactivate", "reactivate", "handover", "handovers", "new-logins"],
        exitStatus: """
            0 done; 64 usage; 65 refused because it would break the team (the last active
            admin, a login taken, a handover to the leaver); 66 no database; 67 no such user;
            73 the list file cannot be made; 77 your role may not do this, or a user named is
            deactivated.
            """)

    static let backup = CommandHelp(
        "backup", synopsis: "PATH [--force] [--db PATH]",
        summary: "write a consistent, checked copy of the database while others keep working",
        description: """
            Copies the database to PATH with SQLite's online backup: one consistent moment of
            the file, taken while colleagues keep reading and writing (their writes are not
            held up; what they write after that moment is not in the copy). The copy is
            created 0600 and never through a symbolic link; an existing PATH is refused unless
            --force. Then the copy is checked (PRAGMA integrity_check) and its size and what
            it holds are printed. A copy that fails the check is removed.
              crm backup ~/backups/crm-$(date +%F).db
            With --db naming a PostgreSQL database, PostgreSQL's pg_dump makes the copy
            (--format=custom, one consistent snapshot), written the same way (0600, never
            through a link, put at PATH only when done) and checked with pg_restore --list;
            restore it with pg_restore. Keep passwords in ~/.pgpass, not in the URI.
              crm backup --db postgresql:///crm ~/backups/crm-$(date +%F).dump
            """,
        options: [
            OptionHelp("--force", "replace an existing file at PATH (never a symbolic link or a folder)."),
            OptionHelp("--db", value: "PATH", "the database to copy (default as for crm): a file, or a PostgreSQL connection string."),
        ],
        required: ["PATH"],
        exitStatus: """
            0 copied and checked; 65 the copy failed its check (it is removed); 66 no
            database; 69 PostgreSQL: the server cannot be reached, has no such database, or
            pg_dump is not installed; 73 PATH exists (without --force), is a link or cannot
            be created; 74 the disk is full or a write failed; 77 PostgreSQL refused the login.
            """)

    static let migrate = CommandHelp(
        "migrate", synopsis: "--to TARGET [--from SOURCE]",
        summary: "copy a whole database to PostgreSQL, or back into a new SQLite file",
        description: """
            Copies everything — contacts, companies, deals with their stage history,
            interactions, follow-ups, users, the audit log, import batches, handovers and the
            trash — with the same ids, from SOURCE (default: the database crm opens, as for
            --db) to TARGET. Each of SOURCE and TARGET is a database file (SQLite) or a
            PostgreSQL connection string: a URI (postgresql:///crm,
            postgresql://crm.example/crm?sslmode=require) or key=value pairs ('host=/run/postgresql
            dbname=crm'). The source is read at one consistent moment while colleagues keep
            working. The copy goes into the target in one transaction: a PostgreSQL database
            that holds no records yet (its schema is made first), or a new SQLite file (a
            laptop copy; an existing file is refused). Then every table is counted on both
            sides and the two columns are printed; they must be equal.
              createdb crm && crm migrate --from ~/.local/share/crm/crm.db --to postgresql:///crm
              crm migrate --from postgresql:///crm --to ~/laptop-copy.db
            """,
        options: [
            OptionHelp("--to", value: "TARGET", "where to copy to: a PostgreSQL connection string or a new database file."),
            OptionHelp("--from", value: "SOURCE", "what to copy (default as for crm; --db is the same)."),
        ],
        required: ["--to"],
        exitStatus: """
            0 copied, every count equal; 64 usage, or a connection string that does not
            parse; 65 a row the target refuses, or counts that differ; 66 no SOURCE file; 69
            the PostgreSQL server cannot be reached; 73 TARGET exists or holds records; 74 a
            write failed; 75 the connection to the server was lost while copying (nothing
            kept: run it again); 77 the server refused the login.
            """)

    static let restore = CommandHelp(
        "restore", synopsis: "PATH [--yes] [--db PATH]",
        summary: "put a backup in place of the database, when no one has it open",
        description: """
            Replaces the database with the backup at PATH. First the backup is checked: it
            must be a crm database that passes PRAGMA integrity_check and whose schema
            version this crm understands. Then crm makes sure no one has the database open
            (a screen, or a command at work): if someone has, it names them (user, process
            and since when, and the users who wrote in the last 15 minutes) and changes
            nothing. Then it asks "Restore ...? [y/N]" on the terminal, unless --yes. The
            database it replaces is kept beside it as NAME.before-restore-TIME (0600); the
            backup itself is copied, never moved, and left as it was.
            """,
        options: [
            OptionHelp("-y, --yes", "do not ask (for scripts); without a terminal, restore needs --yes."),
            OptionHelp("--db", value: "PATH", """
                the database file to replace (default as for crm). A PostgreSQL database is restored \
                from its pg_dump backup with pg_restore --clean --if-exists --dbname=URI FILE (exit 69 here).
                """),
        ],
        required: ["PATH"],
        exitStatus: """
            0 restored; 1 not confirmed; 65 the backup is damaged, not a crm database or
            too new; 66 no backup at PATH; 73 the database's folder is not writable; 75
            the database is open in another crm.
            """)

    static let completion = CommandHelp(
        "completion", synopsis: "bash|zsh|fish",
        summary: "print a shell completion script for the subcommands and their options",
        description: """
            Prints a script that teaches the shell crm's subcommands, their options and
            the values of options that take one of a few words. Load it from your shell's
            start-up file:
              bash:  source <(crm completion bash)            (in ~/.bashrc)
              zsh:   source <(crm completion zsh)             (in ~/.zshrc, after compinit)
              fish:  crm completion fish > ~/.config/fish/completions/crm.fish
            """,
        options: [],
        required: ["SHELL"],
        positionalWords: CompletionScript.shells)

    static let bench = CommandHelp(
        "bench", synopsis: "[--contacts N] [--db PATH|postgresql://…] [--runs R] [--only GROUP] [--clients N [--seconds S]]",
        summary: "measure how fast the database answers, on N contacts",
        description: """
            Measures the database on N contacts and prints, for each operation, the median
            and 99th percentile time over R runs: opening the database, the first page of
            contacts, a page 50,000 rows deep, searches by name prefix (Latin, German,
            Persian, Chinese), search by four phone digits, the duplicate check a contact
            form runs before saving and pages of the Duplicates list, a contact's timeline, the
            follow-ups list (its first page, a page deep in every status, its count), and the
            rate of bulk inserts (100,000 interactions, rolled back afterwards); then the
            screens end to end (a key to its frame); then Today at volume (building the view
            and each page move, for a user with 5,000 overdue follow-ups and for everyone's);
            then the Pipeline and Forecast report pages over its 30,000 deals (everyone's and
            one owner's, this month and the last 365 days); then editing long texts: a key in a
            10,000-character note, a key after pasting a 4,000-character line, and the
            call timer's ticks with a 3,000-character note; and 'crm query' (the mail
            clients' address lookup) in process and as a whole process, as mutt runs it;
            then every key of every view and window (every binding of every key table,
            each pressed on a fresh screen, from the key to the finished frame, inside a
            transaction rolled back afterwards so the database stays as it was), the paths
            of a support centre's day (the first screen, opening each view, searches of one
            letter, two one-letter words and common words, the timeline's type filter,
            sorts, the won and lost deals, opening a contact that sorts late, the redraw
            after another user's commit) and the peak memory after each view, beside the
            peak on a 100-contact database; then bulk writes: the same interactions
            written by crm's bulk loader and by the sqlite3 shell into the same tables,
            indexes and FTS index, and the ratio of their rates.
            With --db postgresql://… the keys group (every key and path) runs on the SQLite
            bench file and on the PostgreSQL database, through the same repositories, and
            one table shows both side by side (median and p99 of each, the verdict on p99),
            as does the customers group with --only customers;
            an empty PostgreSQL database is first filled with a copy of the bench file, as
            'crm migrate' copies (the time it took is printed), and reused afterwards. With
            --only reports or --only winloss-people those report pages are built on both engines
            the same way and shown side by side.
            With --clients N it is a load run instead: N processes of crm itself, signed in
            as the demo team, search contacts, log notes, move deals on the board and
            complete follow-ups (with an outcome note and the next follow-up) for S seconds;
            then the actions per second, p50 and p99 per kind of action, stale refusals
            (a colleague moved the deal first; the move is tried once more, as a person
            would), busy refusals and waits, and a check of the database: every write a
            client was told succeeded is there exactly once, none refused is there
            ("0 lost, 0 duplicated"; the status is 70 otherwise). On SQLite the run shows
            one file's single writer; with a PostgreSQL --db it runs on both, one after the
            other. The load's writes stay in the bench databases (marked "bench load").
            Build with 'swift build -c release' first: debug builds are far slower.
            """,
        options: [
            OptionHelp("--contacts", value: "N", """
                contacts in the bench database (default 100,000, with about 1,000,000 interactions, 30,000 \
                deals and 50,000 follow-ups).
                """),
            OptionHelp("--db", value: "PATH", """
                the bench database (default $TMPDIR/crm-bench-N-vSCHEMA.db, named by its size and \
                schema version). Reused when it has at least N contacts; built when missing or empty \
                (about ten interactions per contact: 1,000,000 contacts make a 10,000,000-interaction \
                database; the time the build took is printed). A missing file is built under a temporary \
                name without a journal (a throwaway file) and renamed once complete. A PostgreSQL URI or                 key=value string (postgresql:///crmbench) names a database for the keys group and load runs on                 both engines: the SQLite side is the default bench file, copied into the PostgreSQL database                 when it is empty (it must then be empty or hold at least N contacts).
                """),
            OptionHelp("--runs", value: "R", "runs per read measurement (default 200; 5 per key for the keys group; import makes at most 5 of each side)."),
            OptionHelp("--only", value: "GROUP", """
                only one group of rows: \(BenchCommand.groups.joined(separator: ", ")). editing needs no \
                bench database and takes seconds; search and duplicates are those rows of the store group alone; \
                import times crm import of N rows (--contacts, default 100,000) of a Google Contacts CSV against \
                the sqlite3 shell (.import of the same file into an indexed table, then an FTS5 index rebuilt; \
                needs sqlite3 on PATH), both as whole processes in one run, prints the ratio, and the peak memory \
                (max RSS) of crm import of N/10 and of 10×N rows; today is Today at volume (it gives the user bench-overdue 5,000 overdue follow-ups, once); \
                keys is every key of every view and window, the paths and the peak memory (as the demo user \
                sara; the redraw after another user's commit leaves one note per run from omid; each Reports \
                page from its key to its figures drawn, as they come from the reports' thread); bulk is the \
                bulk loader against the sqlite3 shell (needs sqlite3 on PATH); \
                winloss-people builds the Won and lost and People report pages for everyone over the last 30 \
                and 365 days; reports builds the Pipeline and Forecast report pages (and the Pipeline page's parts: open \
                stages, funnel, days per stage); \
                million is the paths that must stay flat at a million contacts, one key each through the view \
                models: the Timeline's search (per text and per key typed) and its type filter with a page down, \
                the Contacts list's 2, sort, G and g, a contact far down, a search and Esc, the board's search and \
                Esc and its won/lost list, and Today's everyone's; \
                customers is the Customers report page (each query, the whole page, and the value tiers' recompute); \
                with a PostgreSQL --db it runs on the SQLite bench file and on the PostgreSQL database, side by side \
                (the tiers' recompute writes the stored tiers of both, as a won deal's commit does).
                """, choices: BenchCommand.groups),
            OptionHelp("--clients", value: "N", """
                a load run of N client processes (1 to 200) instead of the groups: searches, notes, deal moves and follow-up completions, then throughput, p50/p99 per action and the consistency check; without a --db file of its own the SQLite side runs on a copy of the bench file, never on the cached one.
                """),
            OptionHelp("--seconds", value: "S", "how long the load run lasts (default 60; with --clients)."),
        ])


    static let importFile = CommandHelp(
        "import", synopsis: """
            FILE [--format csv|vcard|json] [--map SPEC] [--encoding NAME] [--dry-run] \
            [--on-duplicate skip|merge|create] [--owner LOGIN] [--tag TAG] [--skip-invalid] [--user LOGIN] \
            [--db PATH] [--list] [--undo BATCH [--force]]
            """,
        summary: "bring contacts in from a CSV, vCard or JSON file (dry run, undo)",
        description: """
            Brings contacts in from FILE: a CSV export of Google Contacts (both layouts),
            Outlook, HubSpot, Pipedrive, abook or crm itself (recognised by the header), any
            other CSV with --map, vCard 2.1, 3.0 or 4.0, or crm's own JSON export. FILE may
            be - (standard input), a pipe or a named pipe: it is read once into a private
            temporary copy. Companies
            are found by name (case and accents ignored) or created. Every row is checked
            against the contacts already there and the rows before it: the same email, the
            same phone, or a similar name at the same company makes it a duplicate, named
            with the contact it matches and the reason.

            A real import is one transaction: all of the file goes in, or nothing does (an
            interruption, even kill -9, leaves the database as it was). A row that cannot be
            taken (no name, "bob@" as an email, ...) refuses the whole import: every rejected
            line is listed with its line number, column and what is expected, and nothing is
            written; --skip-invalid imports the other rows instead. The import is recorded as
            one batch with one audit entry ("sara imported 12,004 contacts from google.csv"),
            listed by --list and taken back whole by --undo.

            Output: one line per row that is not a plain new contact (merged, skipped,
            created despite a duplicate, rejected), then the counts, which add up to the rows
            read, then the batch number. On a terminal, a progress line on stderr every 10,000
            rows.

            --list and --undo take no FILE:

              crm import Resources/samples/google.csv --dry-run
              crm import contacts.vcf --on-duplicate merge --tag fair-2026
              crm import --list
              crm import --undo 3
            """,
        options: [
            OptionHelp("--dry-run", """
                read and check everything, say what would happen, write nothing (the database is opened \
                read-only; a missing one counts as empty). Exits as the real import would: 0, or 65 when \
                rows would be rejected without --skip-invalid, so 'crm import F --dry-run && crm import F' \
                imports only a clean file.
                """),
            OptionHelp("--on-duplicate", value: "POLICY", """
                what to do with a row that looks like an existing contact: skip (default) leaves the \
                existing one alone; merge fills its empty fields (title, company, source, notes, owner) and \
                adds the row's new emails, phones and tags, never overwriting a value that is set; create \
                adds a new contact anyway.
                """, choices: DuplicatePolicy.allCases.map(\.rawValue)),
            OptionHelp("--format", value: "FORMAT", """
                csv, vcard or json; default: from the extension, else from the content. JSON is crm's own \
                export: 'crm export contacts --format json' is imported as contacts; a complete copy ('crm \
                export all') is loaded whole into a new, empty --db instead (no dry run).
                """, choices: ["csv", "vcard", "json"]),
            OptionHelp("--map", value: "SPEC", """
                for a CSV whose header is not recognised, or to override it: where each column goes, e.g. \
                'Vorname=first_name,Nachname=last_name,Firma=company,Tel=phone:work'. Fields: name, \
                first_name, middle_name, last_name, title, company, email[:label], phone[:label], tags, \
                lifecycle, source, notes, owner, id, extra, skip.
                """),
            OptionHelp("--encoding", value: "NAME", """
                the file's text encoding when it is not detected: utf-8, utf-16, utf-16le, utf-16be, \
                windows-1252, windows-1256, latin1. Default: UTF-8 (a UTF-16 byte-order mark is recognised; \
                a file that is not UTF-8 is read as Windows-1256 when its other bytes make words, else Windows-1252).
                """),
            OptionHelp("--owner", value: "LOGIN", """
                the owner of every new contact (the login must exist, else exit 67 with the nearest one; \
                default: the owner the file names, else you).
                """),
            OptionHelp("--tag", value: "TAG", "a tag added to every contact created or merged."),
            OptionHelp("--skip-invalid", "import the valid rows when some are rejected (they are listed)."),
            OptionHelp("--user", value: "LOGIN", "who imports, or undoes (default: your login name)."),
            dbOption,
            OptionHelp("--list", "the batches, newest first: number, time, who, file, counts, whether undone."),
            OptionHelp("--undo", value: "BATCH", """
                take a whole batch back in one transaction: the contacts and companies it created are \
                removed, the contacts it merged into get their old values back. Refused (exit 1), naming \
                who changed what, when someone edited one of them since. An undo removes contacts for good, \
                past the trash: a rep undoes only their own batches, an admin anyone's (exit 77 otherwise).
                """),
            OptionHelp("--force", """
                with --undo: undo anyway; fields someone changed since keep their value, and contacts with \
                interactions, deals or follow-ups added since go to the trash instead of away.
                """),
        ],
        required: ["FILE"],
        exitStatus: """
            0 imported (or a clean dry run); 1 undo refused, undone already or no such batch; 64 wrong \
            arguments (an unknown --on-duplicate, a bad --map); 65 the file is not what it claims (empty, \
            binary, not CSV, vCard or JSON; the message names the line) or rows were rejected; 66 FILE \
            missing or unreadable; 67 --owner is no user; 77 a rep undoing another user's batch. \
            Nothing is written in any of these cases.
            """)

    static let help = CommandHelp(
        "help", synopsis: "[SUBCOMMAND] [--roff]",
        summary: "'crm help SUBCOMMAND' explains one of them",
        description: """
            Explains crm, or one subcommand. With --roff, prints this whole manual as a man
            page (what Resources/crm.1 holds; 'make man' writes it).
            """,
        options: [
            OptionHelp("--roff", "the manual page, in roff (man -l - reads it)."),
        ])
}

// The listings for scripts: contacts, companies, deals, timeline, show, query.
extension Help {
    /// The JSON fields of followups and agenda.
    static let agendaFields = """
        JSON: an object with the lists "overdue", "today", "week" (and, from agenda,
        "needs_attention"). Each follow-up has: id, title, note, due (ISO 8601, UTC),
        due_local (as the screen shows it), contact_id, contact, company, deal_id, deal,
        assignee (login), last_interaction (the contact's, ISO 8601), contact_emails (array
        of {address, label}) and contact_phones (array of {number, label}); names and ids
        are null and the arrays empty when the follow-up has no contact or deal. Each
        customer needing attention has: contact_id, contact, company, lifecycle, cadence,
        cadence_days, due, last_interaction, contact_emails and contact_phones. The text
        lists add the contact's first phone (else first email) after the company.
        """

    /// What every listing shares: formats, paging, reading only.
    static let listingOptions: [OptionHelp] = [
        OptionHelp("--json", "one JSON array of objects (control characters escaped as \\uXXXX)."),
        OptionHelp("--jsonl", "JSON lines: one object a line, for streaming into jq or a database."),
        OptionHelp("--csv", """
            RFC 4180: a header line with the field names, then one record a line (CRLF; quoted where \
            needed). Arrays are joined by ", ". Text is exact in a file or pipe; on a terminal control \
            characters show as symbols.
            """),
        OptionHelp("--limit", value: "N", "at most N records (default: all of them)."),
        dbOption,
    ]

    static let listingOutput = """
        Output: a table for people (columns measured in terminal columns, long text cut
        with "…", control characters shown as symbols), or JSON, JSON lines or CSV for
        programs. Records are read and printed a page at a time (keyset paging: memory
        stays flat, however many there are). Reads the database without changing it, as
        lookup does. Times are ISO 8601 with the offset of your time zone (settings
        file: time_zone).
        """

    /// `owner`: the listing takes --owner (an unknown login is 67).
    static func listingExit(owner: Bool) -> String {
        "0 also when nothing matches; 64 wrong arguments; " + (owner ? "67 unknown --owner login; " : "")
            + "1 an id or a name given to an option is not there; 65, 66 as for crm."
    }

    static func fields(_ schema: ListingSchema) -> String {
        "Fields (JSON keys and CSV columns, in this order):\n" + schema.help()
    }

    static let contacts = CommandHelp(
        "contacts",
        synopsis: "[--search TEXT] [--tag T] [--owner LOGIN] [--lifecycle STAGE] [--tier A|B|C] [--company NAME] [--sort name|last|created] [--limit N] [--json|--jsonl|--csv] [--db PATH]",
        summary: "list contacts, as a table, JSON, JSON lines or CSV",
        description: """
            Lists contacts in the order of the contact list, found by its search.

            \(listingOutput)

            \(fields(.contacts))
            """,
        options: [
            OptionHelp("--search", value: "TEXT", """
                what the contact list's search finds: every word begins a word of the name, company, \
                email, title, tags or notes (case, accents and Persian/Arabic letter forms aside), or \
                digits in a phone number.
                """),
            OptionHelp("--tag", value: "T", "only contacts with this tag."),
            OptionHelp("--owner", value: "LOGIN", "only contacts this user owns."),
            OptionHelp("--lifecycle", value: "STAGE", "lead, prospect, customer or former.",
                       choices: ["lead", "prospect", "customer", "former"]),
            OptionHelp("--tier", value: "TIER", """
                only customers of this value tier: A (the customers making the first 80 % of won value, \
                tier.A in the settings), B (the next 15 %, tier.B) or C (the rest).
                """, choices: ["A", "B", "C"]),
            OptionHelp("--company", value: "NAME", "only contacts of the company with this name (without case)."),
            OptionHelp("--sort", value: "ORDER", "name (A to Z, the default), last (last contacted first) or created (newest first).",
                       choices: ["name", "last", "created"]),
        ] + listingOptions,
        exitStatus: listingExit(owner: true))

    static let companies = CommandHelp(
        "companies", synopsis: "[--search TEXT] [--limit N] [--json|--jsonl|--csv] [--db PATH]",
        summary: "list companies, as a table, JSON, JSON lines or CSV",
        description: """
            Lists companies by name.

            \(listingOutput)

            \(fields(.companies))
            """,
        options: [OptionHelp("--search", value: "TEXT", "every word begins a word of the name, domain or notes.")] + listingOptions,
        exitStatus: listingExit(owner: false))

    static let deals = CommandHelp(
        "deals",
        synopsis: "[--pipeline P] [--stage S] [--status open|won|lost] [--owner LOGIN] [--limit N] [--json|--jsonl|--csv] [--db PATH]",
        summary: "list deals of every pipeline, open, won and lost",
        description: """
            Lists deals of all pipelines, open, won and lost, in the order they were added.

            \(listingOutput)

            \(fields(.deals))
            """,
        options: [
            OptionHelp("--pipeline", value: "P", "only this pipeline (its name without case, or its id)."),
            OptionHelp("--stage", value: "S", """
                only deals in this stage (its name without case, in every pipeline or in --pipeline's, or \
                its id). A won or lost deal is in the stage it was closed in.
                """),
            OptionHelp("--status", value: "S", "open, won or lost.", choices: ["open", "won", "lost"]),
            OptionHelp("--owner", value: "LOGIN", "only deals this user owns."),
        ] + listingOptions,
        exitStatus: listingExit(owner: true))

    static let timeline = CommandHelp(
        "timeline",
        synopsis: "[--contact ID] [--company ID] [--deal ID] [--since DATE] [--type T] [--limit N] [--json|--jsonl|--csv] [--db PATH]",
        summary: "list calls, emails, meetings, notes, messages and stage moves, newest first",
        description: """
            Lists calls, emails, meetings, notes, messages and stage moves, newest first.

            \(listingOutput)

            \(fields(.timeline))
            """,
        options: [
            OptionHelp("--contact", value: "ID", "only this contact's interactions."),
            OptionHelp("--company", value: "ID", "only this company's (its own and its contacts')."),
            OptionHelp("--deal", value: "ID", "only this deal's."),
            OptionHelp("--since", value: "DATE", """
                only from DATE on: 2026-11-01, 2026-11-01 14:30, yesterday, today, -7d, -2w, 3 days ago; \
                with the Persian calendar 1405-09-10 or 10 azar; a Persian month in Persian script \
                (۱۰ آذر ۱۴۰۵) in either calendar; Persian digits too. A day without a time means from its \
                start (00:00), in your time zone and calendar (settings file).
                """),
            OptionHelp("--type", value: "T", """
                call, email, meeting, note, message or stage; several separated by commas (call,email).
                """),
        ] + listingOptions,
        exitStatus: listingExit(owner: false))

    static let show = CommandHelp(
        "show", synopsis: "contact|company|deal ID [--json] [--db PATH]",
        summary: "print one contact, company or deal with its deals, follow-ups and last interactions",
        description: """
            Prints one record the way a support agent wants it on paper: a contact with its
            emails and phones (with their labels), tags, owner, lifecycle and company; a
            company with its contacts (the first \(ShowCommand.companyContacts) by name); a deal with its value,
            stage, contact and stage history. Each with its deals, its open follow-ups and
            its last \(ShowCommand.lastInteractions) interactions. Reads the database without changing it.

            Fields of each follow-up:
            \(ListingSchema.followUp.help())
            """,
        options: [
            OptionHelp("--json", """
                one JSON object: "contact", "company" or "deal" (the fields of 'crm help contacts', \
                'companies' or 'deals'); "contacts" (a company's), "deals", "interactions" (the fields of \
                'crm help timeline'), "follow_ups", and for a deal "contact" (or null) and "stage_history" \
                (from_stage_id, from_stage, to_stage_id, to_stage, changed_at, changed_by, changed_by_id).
                """),
            dbOption,
        ],
        required: ["contact|company|deal", "ID"],
        positionalWords: ["contact", "company", "deal"],
        exitStatus: """
            0 printed; 1 there is no such record (or it is in the trash); 64 the kind is not
            contact, company or deal, or the id is not a whole number.
            """)

    static let query = CommandHelp(
        "query", synopsis: "TEXT [--aerc] [--db PATH]",
        summary: "email addresses for a mail client (mutt, neomutt, aerc)",
        description: """
            Finds email addresses for a mail client, with the contact list's own search (by
            name, email, company, …; case, accents and Persian/Arabic letter forms aside). Prints
            a first line for the status bar ("crm: 3 matches for "anna""), then one line per
            address: email, name and company, separated by tabs; a contact with three addresses
            gives three lines. Best matches first: the name is TEXT, the name begins with TEXT,
            the address begins with TEXT, then the rest by name. At most the first
            \(QueryCommand.maxContacts) contacts found are read; the first line says when there were more.
            Exits 1 when nothing matches (or TEXT is empty: nothing typed yet), after printing
            the first line (mutt and neomutt show it).
              neomutt/mutt:  set query_command = "crm query %s"
              aerc:          address-book-cmd = crm query --aerc %s
            """,
        options: [
            OptionHelp("--aerc", "no first line (aerc's address-book-cmd reads addresses only)."),
            dbOption,
        ],
        required: ["TEXT"],
        exitStatus: "0 found; 1 nothing matches; 64 wrong arguments; 66 no database.")
}
