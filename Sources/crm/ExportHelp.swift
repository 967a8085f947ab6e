extension Help {
    static let export = CommandHelp(
        "export", synopsis: "[KIND] [--format csv|vcard|json] [--out FILE [--force]] [--vcard-version 3|4] [--db PATH]",
        summary: "write contacts, companies, deals, … as CSV, vCard or JSON, or a complete copy",
        description: """
            Writes the live records of one KIND (contacts, companies, deals, interactions,
            followups; default contacts) to FILE, or to standard output without --out. KIND
            all is a complete, lossless copy instead. Reads the database without changing it,
            as lookup does; every page of the export sees the same moment of the database
            while others keep writing, and its memory does not grow with the number of records.

            CSV (RFC 4180): UTF-8 without a byte-order mark, a header row, fields with a
            comma, quote or line break in double quotes, CRLF records. Contacts have the
            columns id,name,title,company,lifecycle,owner,source,tags,notes,created_at,
            updated_at, then email_1,email_1_label,… and phone_1,phone_1_label,…, as many
            pairs as the contact with the most needs; 'crm import' reads the file back
            without a mapping. Companies: id,name,domain,phone,address,notes,owner,
            created_at,updated_at. Deals: id,title,pipeline,stage,status,value,currency,
            probability,expected_close,owner,contact_id,contact,company_id,company,
            lost_reason,stage_entered_at,closed_at,created_at,updated_at (value in major
            units: 1234.50). Interactions: id,kind,direction,occurred_at,duration_s,subject,
            body,outcome,contact_id,contact,company_id,company,deal_id,deal,author,
            created_at. Follow-ups: id,title,note,due_at,status,done_at,assignee,contact_id,
            contact,deal_id,deal,created_by,created_at,updated_at. Tags are joined by ", ",
            owners are logins, times are ISO 8601 in UTC (2026-03-01T09:30:00Z).

            vCard (contacts only): 4.0, or 3.0 with --vcard-version 3. FN, N, ORG, TITLE,
            EMAIL and TEL with their label as TYPE, CATEGORIES (tags), NOTE, UID (urn:uuid:,
            the same for a contact on every export) and REV; lines longer than 75 bytes are
            folded, never inside a character.

            JSON: JSON lines. A header line {"type":"header","format":"crm-export",
            "version":1,"schema":N,"kind":KIND}, then one object a line with a "type"
            (contact, company, deal, interaction, follow_up) and the CSV's column names.

            all (JSON only): users, companies, contacts with their emails, phones and tags,
            pipelines, stages, deals, stage history, interactions, follow-ups and the audit
            log, the trash included, every row with its ids and values as stored. 'crm
            import FILE' loads it into a new, empty database in one transaction; exported
            again, it gives the same file byte for byte. Each contact's last contact time
            is recounted from the loaded interactions, not taken from the file.

            Without --format, FILE's extension decides (.vcf vcard, .json or .jsonl json,
            .csv csv), else csv (json for all); an extension the kind cannot be written as
            (deals to .vcf) is refused. Without --out (or with --out -) the export goes to standard output as
            data, byte for byte, for a pipe or a redirection; when standard output is a
            terminal, each line is shown sanitised instead, so a stored escape sequence
            cannot drive the terminal.
              crm export contacts --format vcard --out team.vcf
              crm export deals --format json | jq -r 'select(.status == "won") | .title'
              crm export all --out copy.jsonl
            """,
        options: [
            OptionHelp("--format", value: "FORMAT", "csv, vcard or json.", choices: ["csv", "vcard", "json"]),
            OptionHelp("-o, --out", value: "FILE", """
                write FILE: created new with mode 0600, never through a symbolic link, under a \
                temporary name in the same folder that becomes FILE only when the export is complete \
                (a failure or Ctrl-C leaves nothing). An existing FILE, or a link at its name, is \
                refused unless --force.
                """),
            OptionHelp("--force", "replace an existing FILE (a symbolic link is replaced itself; the file it points to is not touched)."),
            OptionHelp("--vcard-version", value: "VERSION", "3 or 4 (default 4).", choices: ["3", "4"]),
            dbOption,
        ],
        positionalWords: ["contacts", "companies", "deals", "interactions", "followups", "all"],
        exitStatus: """
            0 done; 64 a wrong option, or a kind and format that do not go together (vcard is
            for contacts, all is JSON); 65 all from a file of an older schema (open it with
            crm once); 66 no database; 73 FILE exists or cannot be created; 74 a write
            failed; 75 the database changed during an export to standard output.
            """)
}
