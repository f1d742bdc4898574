package cqlsh

import (
	"context"
	"regexp"
	"sort"
	"strings"
	"time"
)

// startWords are the words a statement can start with.
var startWords = []string{
	"ALTER", "APPLY", "BEGIN", "CAPTURE", "CLEAR", "CLS", "CONSISTENCY", "COPY", "CREATE", "DELETE", "DESC",
	"DESCRIBE", "DROP", "EXIT", "EXPAND", "GRANT", "HELP", "INSERT", "LIST", "LOGIN", "PAGING", "QUIT", "REVOKE",
	"SELECT", "SERIAL", "SHOW", "SOURCE", "TRACING", "TRUNCATE", "UPDATE", "USE",
}

// keywords are completed elsewhere in a statement.
var keywords = []string{
	"ADD", "AGGREGATE", "ALL", "ALLOW", "AND", "AS", "ASC", "BATCH", "BY", "CLUSTERING", "COMPACT", "CONTAINS",
	"COUNT", "COUNTER", "CUSTOM", "DESC", "DISTINCT", "EXISTS", "FILTERING", "FROM", "FROZEN", "FULL", "FUNCTION",
	"FUNCTIONS", "IF", "IN", "INDEX", "INTO", "JSON", "KEY", "KEYS", "KEYSPACE", "KEYSPACES", "LIMIT", "LIST",
	"MAP", "NOT", "NULL", "OFF", "ON", "OR", "ORDER", "PER", "PARTITION", "PRIMARY", "SCHEMA", "SET", "STATIC",
	"STDIN", "STDOUT", "STORAGE", "TABLE", "TABLES", "TIMESTAMP", "TO", "TOKEN", "TTL", "TUPLE", "TYPE", "TYPES",
	"UNLOGGED", "USING", "VALUES", "WHERE", "WITH", "WRITETIME", "CLUSTER", "VERSION", "HOST",
	"ANY", "ONE", "TWO", "THREE", "QUORUM", "LOCAL_QUORUM", "EACH_QUORUM", "LOCAL_ONE", "SERIAL", "LOCAL_SERIAL",
	"ascii", "bigint", "blob", "boolean", "counter", "date", "decimal", "double", "duration", "float", "inet",
	"int", "smallint", "text", "time", "timestamp", "timeuuid", "tinyint", "uuid", "varchar", "varint",
}

// schemaCache holds names for completion; refreshed after schema changes.
type schemaCache struct {
	loaded    time.Time
	keyspaces []string
	tables    map[string][]string            // by keyspace
	columns   map[string]map[string][]string // by keyspace, table
}

func (s *Shell) cache(ctx context.Context) *schemaCache {
	if s.names != nil && time.Since(s.names.loaded) < 10*time.Second {
		return s.names
	}
	c := &schemaCache{loaded: time.Now(), tables: map[string][]string{}, columns: map[string]map[string][]string{}}
	if ks, err := s.keyspaceNames(ctx); err == nil {
		c.keyspaces = ks
	}
	if rows, err := s.query(ctx, "SELECT keyspace_name, table_name FROM system_schema.tables"); err == nil {
		for _, r := range rows {
			k := str(r["keyspace_name"])
			c.tables[k] = append(c.tables[k], str(r["table_name"]))
		}
	}
	s.names = c
	return c
}

func (c *schemaCache) columnsOf(s *Shell, ctx context.Context, ks, table string) []string {
	if c.columns[ks] == nil {
		c.columns[ks] = map[string][]string{}
	}
	if cols, ok := c.columns[ks][table]; ok {
		return cols
	}
	var cols []string
	if rows, err := s.query(ctx, "SELECT column_name FROM system_schema.columns WHERE keyspace_name = ? AND table_name = ?", ks, table); err == nil {
		for _, r := range rows {
			cols = append(cols, str(r["column_name"]))
		}
	}
	c.columns[ks][table] = cols
	return cols
}

var tableRefRE = regexp.MustCompile(`(?i)\b(?:FROM|INTO|UPDATE|TABLE|TRUNCATE|COPY)\s+(?:("?[\w]+"?)\.)?("?[\w]+"?)`)

// Complete completes the word ending at byte offset pos of line, for the
// line editor: statement words first, keyspace names after USE and
// KEYSPACE, table names (or keyspace.) after FROM, INTO, UPDATE, TABLE,
// TRUNCATE and COPY, column names of the statement's table elsewhere, and
// keywords.
func (s *Shell) Complete(line string, pos int) (head string, completions []string, tail string) {
	if pos < 0 || pos > len(line) {
		pos = len(line)
	}
	start := pos
	for start > 0 && (isWordChar(line[start-1]) || line[start-1] == '.' || line[start-1] == '"') {
		start--
	}
	head, word, tail := line[:start], line[start:pos], line[pos:]
	stmt := head
	if i := strings.LastIndexByte(stmt, ';'); i >= 0 {
		stmt = stmt[i+1:]
	}
	before := strings.Fields(stmt)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	var cands []string
	prev := ""
	if len(before) > 0 {
		prev = strings.ToUpper(before[len(before)-1])
	}
	switch {
	case len(before) == 0:
		cands = matchWords(startWords, word, true)
	case prev == "USE" || prev == "KEYSPACE":
		cands = matchWords(s.cache(ctx).keyspaces, word, false)
	case prev == "FROM" || prev == "INTO" || prev == "UPDATE" || prev == "TABLE" || prev == "TRUNCATE" || prev == "COPY":
		c := s.cache(ctx)
		if ks, part, ok := strings.Cut(word, "."); ok {
			for _, t := range matchWords(c.tables[ks], part, false) {
				cands = append(cands, ks+"."+t)
			}
			break
		}
		cands = matchWords(c.tables[s.keyspace], word, false)
		for _, k := range matchWords(c.keyspaces, word, false) {
			cands = append(cands, k+".")
		}
	default:
		if m := tableRefRE.FindStringSubmatch(stmt + " " + tail); m != nil {
			ks := strings.Trim(m[1], `"`)
			if ks == "" {
				ks = s.keyspace
			}
			cands = matchWords(s.cache(ctx).columnsOf(s, ctx, ks, strings.Trim(m[2], `"`)), word, false)
		}
		cands = append(cands, matchWords(keywords, word, true)...)
	}
	if len(cands) == 1 && !strings.HasSuffix(cands[0], ".") {
		cands[0] += " "
	}
	return head, cands, tail
}

// matchWords returns the words starting with prefix, sorted; keywords
// match without regard to case.
func matchWords(words []string, prefix string, fold bool) []string {
	var out []string
	for _, w := range words {
		if strings.HasPrefix(w, prefix) || fold && strings.HasPrefix(strings.ToLower(w), strings.ToLower(prefix)) {
			out = append(out, w)
		}
	}
	sort.Strings(out)
	return out
}
