package shell

import (
	"fmt"
	"strings"
)

// helpEntry is one command in `help`.
type helpEntry struct {
	name   string // what `help NAME` matches
	syntax string
	about  string
}

// helpTable lists the commands in the order `help` shows them.
var helpTable = []helpEntry{
	{"connect", "connect HOST:PORT", "Connect to another server (no keyspace selected afterwards)."},
	{"use", "use KEYSPACE", "Make KEYSPACE the current keyspace."},
	{"show", "show keyspaces | show column families | show cluster name | show api version", "List the keyspaces or the column families of the current keyspace; show the cluster's name or the server's Thrift API version."},
	{"describe", "describe [keyspace [KS]] | describe [column family] CF", "Show a keyspace or a column family in pycassaShell's layout."},
	{"list", "list CF [limit N] [columns N]", "Show rows of CF (100 rows and 100 columns each by default)."},
	{"get", "get CF['key'] [limit N] | get CF['key']['col'] | get CF['key']['super']['sub']", "Show a row, a column, or a sub-column of a super column."},
	{"get", "get CF where COL = VALUE [and COL >|>=|<|<= VALUE]... [limit N]", "Query rows through a secondary index."},
	{"set", "set CF['key']['col'] = VALUE [with ttl = SECONDS]", "Write a column (CF['key']['super']['sub'] in a super CF)."},
	{"del", "del CF['key'] | del CF['key']['col'] | del CF['key']['super']['sub']", "Delete a row, a column, a super column or a sub-column."},
	{"count", "count CF['key'] | count CF['key']['super']", "Count the columns of a row (or of a super column)."},
	{"incr", "incr CF['key']['col'] [by N]", "Add N (default 1) to a counter column."},
	{"decr", "decr CF['key']['col'] [by N]", "Subtract N (default 1) from a counter column."},
	{"create", "create keyspace KS [with strategy_class = SimpleStrategy and strategy_options = {replication_factor: 1}]", "Create a keyspace (also: durable_writes = false)."},
	{"create", "create column family CF [with PROPERTY = VALUE [and ...]]", "Create a column family in the current keyspace. Properties: " +
		"comparator, subcomparator, key_validation_class, default_validation_class (type names such as UTF8Type, LongType, " +
		"CompositeType(LongType, UTF8Type)), column_type (Standard or Super), comment, gc_grace, read_repair_chance, " +
		"min_compaction_threshold, max_compaction_threshold, default_time_to_live, caching, and " +
		"column_metadata = [{column_name: NAME, validation_class: TYPE, index_type: KEYS, index_name: NAME}, ...]."},
	{"create", "create index on CF(COL) [VALIDATION_CLASS]", "Index a column (KEYS index), optionally setting its value type."},
	{"update", "update keyspace KS with PROPERTIES | update column family CF with PROPERTIES", "Change what the properties (as for create) set and keep the rest; column_metadata replaces the columns it names."},
	{"drop", "drop keyspace KS | drop column family CF | drop index on CF(COL)", "Drop a keyspace, a column family, or the index of a column."},
	{"truncate", "truncate CF", "Delete every row of CF."},
	{"assume", "assume CF keys|comparator|sub_comparator|validator as TYPE", "Read and show that part of CF as TYPE (utf8, long, ..., or a class name) in this shell only; the schema is unchanged."},
	{"consistencylevel", "consistencylevel as ONE|QUORUM|LOCAL_QUORUM|EACH_QUORUM|ALL|ANY|TWO|THREE|LOCAL_ONE", "Set the consistency level of reads and writes (default ONE)."},
	{"help", "help [COMMAND]", "Show this list, or the commands named COMMAND."},
	{"quit", "quit | exit", "Leave the shell."},
}

// helpFooter explains literals.
const helpFooter = `Keywords are case-insensitive; a ';' ends a command and may be left out at
the end of a line. A command goes on over the next lines while a bracket or
quote is open or a line ends in 'with', 'and', ',' or '='.

Keys, column names and values are read through the column family's types:
'text' or a bare word, numbers (24, -1.5), 0x0aff (raw bytes), or a
conversion naming the type: ascii('a') bytes('0aff') utf8('x') long(24)
int(7) integer(10) double(1.5) float(1.5) decimal('1.50') boolean(true)
date('2012-03-05') timestamp() uuid('...') timeuuid() timeuuid('2012-03-05')
lexicaluuid() inet('10.0.0.1'). Under BytesType a quoted string is stored as
its UTF-8 bytes; values that are not printable text are shown as 0x... hex.`

func (s *Shell) help(topic string) error {
	topic = strings.TrimSpace(topic)
	if topic == "" {
		fmt.Fprintln(s.out, "Commands:")
		for _, e := range helpTable {
			fmt.Fprintf(s.out, "  %s\n%s", e.syntax, wrap(e.about, "      ", 78))
		}
		fmt.Fprintln(s.out)
		fmt.Fprintln(s.out, helpFooter)
		return nil
	}
	first := strings.Fields(topic)[0]
	switch first {
	case "delete":
		first = "del"
	case "exit":
		first = "quit"
	case "desc":
		first = "describe"
	}
	found := false
	for _, e := range helpTable {
		if e.name == first {
			fmt.Fprintf(s.out, "%s\n%s", e.syntax, wrap(e.about, "    ", 78))
			found = true
		}
	}
	if !found {
		return fmt.Errorf("no help for %q; 'help' lists the commands", topic)
	}
	return nil
}

// wrap breaks text into lines of at most width bytes (longer words stand
// alone), each starting with indent and ending in a newline.
func wrap(text, indent string, width int) string {
	var b strings.Builder
	line := indent
	for _, w := range strings.Fields(text) {
		if line != indent && len(line)+1+len(w) > width {
			b.WriteString(line + "\n")
			line = indent
		}
		if line != indent {
			line += " "
		}
		line += w
	}
	b.WriteString(line + "\n")
	return b.String()
}
