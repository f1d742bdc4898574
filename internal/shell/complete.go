package shell

import (
	"sort"
	"strings"
)

// commandWords are the words that can start a statement.
var commandWords = []string{
	"assume", "connect", "consistencylevel", "count", "create", "decr", "del", "describe", "drop", "exit",
	"get", "help", "incr", "list", "quit", "set", "show", "truncate", "update", "use",
}

// followWords are the keywords completed after the first word.
var followWords = []string{
	"and", "api", "by", "cluster", "column", "columns", "families", "family", "index",
	"keyspace", "keyspaces", "limit", "name", "on", "ttl", "version", "where", "with",
}

// Complete is a word completer for line editors: it completes the word
// that ends at pos (a byte offset in line) and returns the text before it,
// the candidates, and the text after pos. The first word completes to
// commands; after use and keyspace to keyspace names; elsewhere to the
// column families of the current keyspace and keywords. Column family
// names are completed as written (case-sensitive), keywords in lower case.
func (s *Shell) Complete(line string, pos int) (head string, completions []string, tail string) {
	if pos < 0 || pos > len(line) {
		pos = len(line)
	}
	start := pos
	for start > 0 && isCompletionByte(line[start-1]) {
		start--
	}
	head, word, tail := line[:start], line[start:pos], line[pos:]
	before := strings.Fields(head)
	// Statements split at ';': only the current one matters.
	if i := strings.LastIndexByte(head, ';'); i >= 0 {
		before = strings.Fields(head[i+1:])
	}
	var cands []string
	switch {
	case len(before) == 0:
		cands = prefixed(commandWords, word, true)
	case wantsKeyspace(before):
		cands = prefixed(s.ksNames, word, false)
	default:
		cands = append(prefixed(s.CFNames(), word, false), prefixed(followWords, word, true)...)
	}
	// A lone candidate gets a space so that typing can go on.
	if len(cands) == 1 {
		cands[0] += " "
	}
	return head, cands, tail
}

func isCompletionByte(c byte) bool {
	return c == '_' || c == '-' || c == '.' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

// wantsKeyspace reports whether the next word is a keyspace name.
func wantsKeyspace(before []string) bool {
	last := strings.ToLower(before[len(before)-1])
	return last == "use" || last == "keyspace"
}

// prefixed returns the words starting with prefix, sorted; keywords match
// case-insensitively.
func prefixed(words []string, prefix string, fold bool) []string {
	var out []string
	lp := strings.ToLower(prefix)
	for _, w := range words {
		if strings.HasPrefix(w, prefix) || (fold && strings.HasPrefix(w, lp)) {
			out = append(out, w)
		}
	}
	sort.Strings(out)
	return out
}
