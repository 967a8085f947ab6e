// sqlite3 for Swift. SQLITE_TRANSIENT is a macro and variadic functions do
// not import; the few we need are wrapped here.
#ifndef CRM_SQLITE_SHIM_H
#define CRM_SQLITE_SHIM_H
#include <sqlite3.h>

static inline sqlite3_destructor_type crm_sqlite_transient(void) { return SQLITE_TRANSIENT; }
static inline int crm_sqlite_db_config_defensive(sqlite3 *db) {
    return sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)0);
}
static inline int crm_sqlite_db_config_set_defensive(sqlite3 *db, int on) {
    return sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, on, (int *)0);
}

// ---------------------------------------------------------------------------
// `crm_fts_words(text)`: the tokens FTS5's unicode61 tokenizer (with
// remove_diacritics 2, as every FTS table of the schema has it) makes of a
// text, as a JSON array in order ('["anna","muller"]'). The name-words table
// (schema 25) holds exactly the tokens the contact index holds for a name, so
// both find the same contacts for a word prefix: they come from the same
// tokenizer, not from a copy of its rules.
//
// The FTS5 extension API is declared in fts5.h, which Debian's libsqlite3-dev
// does not ship; the members below are those of fts5.h (API version 2 and
// later), in their ABI order, under names of our own.
typedef struct crm_fts5_tokenizer_instance crm_fts5_tokenizer_instance;
typedef struct crm_fts5_tokenizer {
    int (*xCreate)(void *userData, const char **args, int count, crm_fts5_tokenizer_instance **out);
    void (*xDelete)(crm_fts5_tokenizer_instance *);
    int (*xTokenize)(crm_fts5_tokenizer_instance *, void *context, int flags, const char *text, int length,
                     int (*xToken)(void *context, int tokenFlags, const char *token, int length, int start, int end));
} crm_fts5_tokenizer;
typedef struct crm_fts5_api {
    int iVersion;
    void *xCreateTokenizer;
    int (*xFindTokenizer)(struct crm_fts5_api *api, const char *name, void **userData, crm_fts5_tokenizer *tokenizer);
    void *xCreateFunction;
} crm_fts5_api;

typedef struct crm_fts_words_state {
    crm_fts5_tokenizer methods;
    crm_fts5_tokenizer_instance *tokenizer;
} crm_fts_words_state;

static int crm_fts_words_token(void *context, int tokenFlags, const char *token, int length, int start, int end) {
    (void)start; (void)end;
    sqlite3_str *out = (sqlite3_str *)context;
    if (tokenFlags & 0x0001) return SQLITE_OK; // FTS5_TOKEN_COLOCATED: a synonym, never made by unicode61
    sqlite3_str_appendall(out, sqlite3_str_length(out) > 1 ? ",\"" : "\"");
    for (int i = 0; i < length; i++) {
        unsigned char byte = (unsigned char)token[i];
        // unicode61 tokens are letters and digits; escaped anyway, so the
        // array is valid JSON whatever a tokenizer option lets through.
        if (byte == '"' || byte == '\\' || byte < 0x20) {
            sqlite3_str_appendf(out, "\\u%04x", byte);
        } else {
            sqlite3_str_appendchar(out, 1, (char)byte);
        }
    }
    sqlite3_str_appendall(out, "\"");
    return SQLITE_OK;
}

static void crm_fts_words_function(sqlite3_context *context, int count, sqlite3_value **values) {
    if (count != 1 || sqlite3_value_type(values[0]) == SQLITE_NULL) {
        sqlite3_result_null(context);
        return;
    }
    crm_fts_words_state *state = (crm_fts_words_state *)sqlite3_user_data(context);
    const char *text = (const char *)sqlite3_value_text(values[0]);
    int length = sqlite3_value_bytes(values[0]);
    sqlite3_str *out = sqlite3_str_new(sqlite3_context_db_handle(context));
    sqlite3_str_appendall(out, "[");
    int rc = text ? state->methods.xTokenize(state->tokenizer, out, 0x0004 /* FTS5_TOKENIZE_DOCUMENT */, text, length,
                                             crm_fts_words_token)
                  : SQLITE_OK;
    sqlite3_str_appendall(out, "]");
    int error = sqlite3_str_errcode(out);
    char *json = sqlite3_str_finish(out);
    if (rc != SQLITE_OK || error != SQLITE_OK || json == 0) {
        sqlite3_free(json);
        sqlite3_result_error_code(context, rc != SQLITE_OK ? rc : (error != SQLITE_OK ? error : SQLITE_NOMEM));
        return;
    }
    sqlite3_result_text(context, json, -1, sqlite3_free);
}

static void crm_fts_words_destroy(void *pointer) {
    crm_fts_words_state *state = (crm_fts_words_state *)pointer;
    if (state == 0) return;
    if (state->tokenizer) state->methods.xDelete(state->tokenizer);
    sqlite3_free(state);
}

/// Registers `crm_fts_words` on `db`: finds FTS5's unicode61 tokenizer
/// through the `fts5(?1)` pointer handshake and keeps one instance of it for
/// the connection's life.
static inline int crm_register_fts_words(sqlite3 *db) {
    crm_fts5_api *api = 0;
    sqlite3_stmt *statement = 0;
    int rc = sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &statement, 0);
    if (rc != SQLITE_OK) return rc;
    sqlite3_bind_pointer(statement, 1, (void *)&api, "fts5_api_ptr", 0);
    sqlite3_step(statement);
    rc = sqlite3_finalize(statement);
    if (rc != SQLITE_OK) return rc;
    if (api == 0 || api->iVersion < 2) return SQLITE_ERROR;
    crm_fts_words_state *state = (crm_fts_words_state *)sqlite3_malloc(sizeof *state);
    if (state == 0) return SQLITE_NOMEM;
    state->tokenizer = 0;
    void *userData = 0;
    rc = api->xFindTokenizer(api, "unicode61", &userData, &state->methods);
    if (rc == SQLITE_OK) {
        const char *args[] = {"remove_diacritics", "2"};
        rc = state->methods.xCreate(userData, args, 2, &state->tokenizer);
    }
    if (rc != SQLITE_OK) {
        sqlite3_free(state);
        return rc;
    }
    return sqlite3_create_function_v2(db, "crm_fts_words", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
                                      state, crm_fts_words_function, 0, 0, crm_fts_words_destroy);
}
#endif
