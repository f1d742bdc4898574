package cql_test

import (
	"errors"
	"math/big"
	"reflect"
	"strings"
	"testing"

	"github.com/cassa-go/cassa"
	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/cql"
	"github.com/cassa-go/cassa/query"
)

// timelineSchema is the table of the compile tests, as CQL; timeline()
// describes it as Session.Table reads it.
var timelineSchema = []string{
	"CREATE TYPE {ks}.address (street text, city text)",
	`CREATE TABLE {ks}.timeline (
		user text, bucket int, posted timeuuid, seq int,
		owner text static, addr address, attrs map<text, text>, body text, dur duration,
		faddr frozen<address>, flist frozen<list<int>>, likes int, tags set<text>,
		PRIMARY KEY ((user, bucket), posted, seq)
	) WITH CLUSTERING ORDER BY (posted DESC, seq ASC)`,
	"CREATE INDEX timeline_body_idx ON {ks}.timeline (body)",
	"CREATE INDEX timeline_tags_idx ON {ks}.timeline (tags)",
	"CREATE INDEX timeline_attrs_idx ON {ks}.timeline (keys(attrs))",
}

func timeline() *cql.Table {
	return &cql.Table{
		Name:         "timeline",
		PartitionKey: []string{"user", "bucket"},
		Clustering:   []cql.ClusteringColumn{{Name: "posted", Descending: true}, {Name: "seq"}},
		Columns: []cql.TableColumn{
			{Name: "user", Type: "text"}, {Name: "bucket", Type: "int"},
			{Name: "posted", Type: "timeuuid"}, {Name: "seq", Type: "int"},
			{Name: "owner", Type: "text", Static: true},
			{Name: "addr", Type: "address"},
			{Name: "attrs", Type: "map<text, text>"},
			{Name: "body", Type: "text"},
			{Name: "dur", Type: "duration"},
			{Name: "faddr", Type: "frozen<address>"},
			{Name: "flist", Type: "frozen<list<int>>"},
			{Name: "likes", Type: "int"},
			{Name: "tags", Type: "set<text>"},
		},
		Indexes: []cql.Index{
			{Name: "timeline_attrs_idx", Column: "attrs", Kind: cql.IndexKeys},
			{Name: "timeline_body_idx", Column: "body", Kind: cql.IndexValues},
			{Name: "timeline_tags_idx", Column: "tags", Kind: cql.IndexValues},
		},
	}
}

const allCols = "user, bucket, posted, seq, owner, addr, attrs, body, dur, faddr, flist, likes, tags"

// pk restricts the whole partition key.
func pk() query.Select { return query.Where("user").Eq("ann").And("bucket").Eq(1) }

var (
	t1 = "00000000-0000-1000-8000-000000000001"
	t2 = "00000000-0000-1000-8000-000000000002"
)

// compileCase is one select and what Compile makes of it: a statement, or
// a refusal with Cassandra 3.11's message.
type compileCase struct {
	name string
	q    query.Select
	cql  string // expected statement (WHERE onwards when it starts with " WHERE" etc.)
	args []any
	why  string // expected refusal
	// later is how a Cassandra version after 3.11 answers a refusal of
	// 3.11 differently, with the change that made it so; nil when every
	// version refuses with why.
	later *laterAnswer
	// serverAccepts marks the refusals where Compile is stricter than
	// Cassandra: every version runs the statement. It says why Compile
	// refuses anyway.
	serverAccepts string
	// execution marks refusals Cassandra makes when executing rather than
	// preparing the statement.
	execution bool
}

// laterAnswer is a later Cassandra's answer to a statement 3.11 refuses.
type laterAnswer struct {
	since   string // the first release that answers so, "4.0"
	change  string // the Cassandra change, e.g. "CASSANDRA-12654"
	accepts bool   // the statement runs
	why     string // otherwise the refusal's message
}

// undefinedNope: Cassandra 4.0's TableMetadata.getExistingColumn names the
// table (keyspace-qualified) in its message.
var undefinedNope = &laterAnswer{since: "4.0", change: "TableMetadata.getExistingColumn (4.0's schema metadata)",
	why: "Undefined column name nope in table {ks}.timeline"}

const allowFiltering = "Cannot execute this query as it might involve data filtering and thus may have unpredictable performance. " +
	"If you want to execute this query despite the performance unpredictability, use ALLOW FILTERING"

var compileCases = []compileCase{
	// Accepted selects.
	{name: "partition", q: pk(), cql: "SELECT " + allCols + " FROM timeline WHERE user = ? AND bucket = ?", args: []any{"ann", 1}},
	{name: "limit", q: pk().Limit(20), cql: " WHERE user = ? AND bucket = ? LIMIT ?", args: []any{"ann", 1, 20}},
	{name: "unlimited", q: pk().Limit(query.Unlimited), cql: " WHERE user = ? AND bucket = ?", args: []any{"ann", 1}},
	{name: "projection", q: pk().Columns("body", "likes"), cql: "SELECT body, likes FROM timeline WHERE user = ? AND bucket = ?", args: []any{"ann", 1}},
	{name: "clustering range", q: pk().And("posted").Gt(t1).And("posted").Lte(t2),
		cql: " WHERE user = ? AND bucket = ? AND posted > ? AND posted <= ?", args: []any{"ann", 1, t1, t2}},
	{name: "clustering eq then slice", q: pk().And("posted").Eq(t1).And("seq").Gte(3),
		cql: " WHERE user = ? AND bucket = ? AND posted = ? AND seq >= ?", args: []any{"ann", 1, t1, 3}},
	{name: "clustering lt", q: pk().And("posted").Lt(t1), cql: " WHERE user = ? AND bucket = ? AND posted < ?", args: []any{"ann", 1, t1}},
	{name: "reversed", q: pk().Reversed(), cql: " WHERE user = ? AND bucket = ? ORDER BY posted ASC, seq DESC", args: []any{"ann", 1}},
	{name: "partition IN", q: query.Where("user").Eq("ann").And("bucket").In(1, 2),
		cql: " WHERE user = ? AND bucket IN ?", args: []any{"ann", []any{1, 2}}},
	{name: "clustering IN without collections", q: pk().Columns("body").And("posted").In(t1, t2),
		cql: "SELECT body FROM timeline WHERE user = ? AND bucket = ? AND posted IN ?", args: []any{"ann", 1, []any{t1, t2}}},
	{name: "IN of one value on a regular column", q: query.Where("body").In("x"), cql: " WHERE body = ?", args: []any{"x"}},
	{name: "index EQ", q: query.Where("body").Eq("hello"), cql: " WHERE body = ?", args: []any{"hello"}},
	{name: "index CONTAINS", q: query.Where("tags").Contains("go"), cql: " WHERE tags CONTAINS ?", args: []any{"go"}},
	{name: "index CONTAINS KEY", q: query.Where("attrs").ContainsKey("k"), cql: " WHERE attrs CONTAINS KEY ?", args: []any{"k"}},
	{name: "index within a partition", q: pk().And("body").Eq("x"), cql: " WHERE user = ? AND bucket = ? AND body = ?", args: []any{"ann", 1, "x"}},
	{name: "tokens", q: query.Tokens("-100", "100"),
		cql: " WHERE token(user, bucket) > ? AND token(user, bucket) <= ?", args: []any{int64(-100), int64(100)}},
	{name: "tokens to the end", q: query.Tokens("-100", ""), cql: " WHERE token(user, bucket) > ?", args: []any{int64(-100)}},
	{name: "keys", q: query.Keys(codec.Tuple{"ann", 1}, []any{"bob", 2}),
		cql: " WHERE token(user, bucket) >= token(?, ?) AND token(user, bucket) <= token(?, ?)", args: []any{"ann", 1, "bob", 2}},
	{name: "start key until token", q: query.Keys(codec.Tuple{"ann", 1}, nil).UntilToken("77"),
		cql: " WHERE token(user, bucket) >= token(?, ?) AND token(user, bucket) <= ?", args: []any{"ann", 1, int64(77)}},
	{name: "per partition limit", q: query.Select{}.PerPartitionLimit(2).Limit(10),
		cql: "SELECT " + allCols + " FROM timeline PER PARTITION LIMIT ? LIMIT ?", args: []any{2, 10}},
	{name: "allow filtering", q: query.Where("likes").Gt(3).AllowFiltering(),
		cql: " WHERE likes > ? ALLOW FILTERING", args: []any{3}},
	{name: "filtering frozen collection CONTAINS", q: query.Where("flist").Contains(3).AllowFiltering(),
		cql: " WHERE flist CONTAINS ? ALLOW FILTERING", args: []any{3}},
	{name: "slice", q: pk().Slice(t1, t2), cql: " WHERE user = ? AND bucket = ? AND posted >= ? AND posted <= ?", args: []any{"ann", 1, t1, t2}},
	{name: "slice reversed", q: pk().Slice(t2, t1).Reversed(),
		cql: " WHERE user = ? AND bucket = ? AND posted >= ? AND posted <= ? ORDER BY posted ASC, seq DESC", args: []any{"ann", 1, t1, t2}},
	{name: "slice exclusive", q: pk().Slice(codec.Exclusive(t1), nil), cql: " WHERE user = ? AND bucket = ? AND posted > ?", args: []any{"ann", 1, t1}},
	{name: "slice of tuples", q: pk().Slice(codec.Tuple{t1, 3}, codec.Tuple{t2, codec.Exclusive(9)}),
		cql: " WHERE user = ? AND bucket = ? AND (posted, seq) >= (?, ?) AND (posted, seq) < (?, ?)", args: []any{"ann", 1, t1, 3, t2, 9}},
	{name: "slice tuple and value", q: pk().Slice(codec.Tuple{t1, 3}, t2),
		cql: " WHERE user = ? AND bucket = ? AND (posted, seq) >= (?, ?) AND (posted) <= (?)", args: []any{"ann", 1, t1, 3, t2}},
	{name: "partition key slice with filtering", q: query.Where("user").Gt("a").AllowFiltering(),
		cql: " WHERE user > ? ALLOW FILTERING", args: []any{"a"}},

	// Refusals, with Cassandra's messages.
	{name: "regular column without index", q: query.Where("likes").Eq(3), why: allowFiltering},
	{name: "partial partition key", q: query.Where("user").Eq("ann"), why: allowFiltering},
	{name: "partition key slice", q: query.Where("user").Gt("a"), why: allowFiltering},
	{name: "regular column in a partition", q: pk().And("likes").Eq(2), why: allowFiltering},
	{name: "first clustering column alone", q: query.Where("posted").Eq(t1), why: allowFiltering},
	{name: "index and a filter", q: query.Where("body").Eq("x").And("likes").Eq(1), why: allowFiltering},
	{name: "two CONTAINS", q: query.Where("tags").Contains("a").And("tags").Contains("b"), why: allowFiltering},
	{name: "frozen collection CONTAINS", q: query.Where("flist").Contains(3), why: allowFiltering},
	{name: "index slice", q: query.Where("body").Gt("x"), why: allowFiltering},
	{name: "clustering gap", q: pk().And("seq").Eq(1),
		why: `PRIMARY KEY column "seq" cannot be restricted as preceding column "posted" is not restricted`},
	{name: "clustering after a slice", q: pk().And("posted").Gt(t1).And("seq").Eq(1),
		why: `Clustering column "seq" cannot be restricted (preceding column "posted" is restricted by a non-EQ relation)`},
	{name: "clustering slice before a restricted column", q: pk().And("seq").Eq(1).And("posted").Gt(t1),
		why: `PRIMARY KEY column "seq" cannot be restricted (preceding column "posted" is restricted by a non-EQ relation)`},
	{name: "IN on a regular column", q: query.Where("likes").In(1, 2).AllowFiltering(),
		why:   "IN predicates on non-primary-key columns (likes) is not yet supported",
		later: &laterAnswer{since: "4.1", change: "CASSANDRA-14344 (filtering with IN restrictions)", accepts: true}},
	{name: "CONTAINS KEY on a non-map", q: query.Where("body").ContainsKey("x").AllowFiltering(),
		why: "Cannot use CONTAINS KEY on non-map column body"},
	{name: "CONTAINS on a non-collection", q: query.Where("body").Contains("x").AllowFiltering(),
		why: "Cannot use CONTAINS on non-collection column body"},
	{name: "EQ on a collection", q: query.Where("tags").Eq([]string{"x"}).AllowFiltering(),
		why: "Collection column 'tags' (set<text>) cannot be restricted by a '=' relation"},
	{name: "slice on a collection", q: query.Where("attrs").Lt(map[string]string{"a": "b"}).AllowFiltering(),
		why: "Collection column 'attrs' (map<text, text>) cannot be restricted by a '<' relation"},
	{name: "slice on a duration", q: query.Where("dur").Gt("1h").AllowFiltering(),
		why: "Slice restrictions are not supported on duration columns"},
	{name: "non-frozen UDT", q: query.Where("addr").Eq(map[string]any{"city": "x"}).AllowFiltering(),
		why: "Non-frozen UDT column 'addr' (address) cannot be restricted by any relation"},
	{name: "two EQ", q: pk().And("posted").Eq(t1).And("posted").Eq(t2),
		why: "posted cannot be restricted by more than one relation if it includes an Equal"},
	{name: "IN and a slice", q: pk().Columns("body").And("posted").In(t1).And("posted").Gt(t2),
		why: "posted cannot be restricted by more than one relation if it includes a IN"},
	{name: "slice and EQ", q: pk().And("posted").Gt(t1).And("posted").Eq(t2),
		why: `Column "posted" cannot be restricted by both an equality and an inequality relation`},
	{name: "two start bounds", q: pk().And("posted").Gt(t1).And("posted").Gte(t2),
		why: "More than one restriction was found for the start bound on posted"},
	{name: "two end bounds", q: pk().And("posted").Lt(t1).And("posted").Lte(t2),
		why: "More than one restriction was found for the end bound on posted"},
	{name: "CONTAINS and EQ", q: query.Where("flist").Contains(1).And("flist").Eq([]int{1}).AllowFiltering(),
		why: "Collection column flist can only be restricted by CONTAINS, CONTAINS KEY, or map-entry equality"},
	{name: "IN on a filtered partition key", q: query.Where("user").In("a", "b").AllowFiltering(),
		why:   "IN restrictions are not supported when the query involves filtering",
		later: &laterAnswer{since: "4.1", change: "CASSANDRA-14344 (filtering with IN restrictions)", accepts: true}},
	{name: "clustering IN with collections selected", q: pk().And("posted").In(t1, t2),
		why:   "Cannot restrict clustering columns by IN relations when a collection is selected by the query",
		later: &laterAnswer{since: "4.0", change: "CASSANDRA-12654 (IN restrictions on tables with collections)", accepts: true}},
	{name: "static columns only", q: pk().Columns("owner").And("posted").Eq(t1),
		why: "Cannot restrict clustering columns when selecting only static columns"},
	{name: "index with partition IN", q: query.Where("user").Eq("ann").And("bucket").In(1, 2).And("body").Eq("x"),
		why: "Select on indexed columns and with IN clause for the PRIMARY KEY are not supported"},
	{name: "reversed range", q: query.Select{}.Reversed(),
		why: "ORDER BY is only supported when the partition key is restricted by an EQ or an IN."},
	{name: "reversed with an index", q: pk().And("body").Eq("x").Reversed(),
		why: "ORDER BY with 2ndary indexes is not supported.",
		later: &laterAnswer{since: "5.0", change: "CASSANDRA-18715 (SAI vector search, ORDER BY ... ANN OF)",
			why: "ORDER BY with 2ndary indexes is not supported, except for ANN queries."}},
	{name: "undefined column", q: query.Where("nope").Eq(1), why: "Undefined column name nope",
		later: undefinedNope},
	{name: "undefined projection", q: pk().Columns("nope"), why: "Undefined column name nope",
		later: undefinedNope},
	// MultiColumnRestriction.mergeWith and SingleColumnRestriction.mergeWith:
	// a single-column relation and a multi-column slice on the same first
	// column merge into one slice; other mixes are refused.
	{name: "single slice merged into a multi-column slice", q: pk().And("posted").Gt(t1).Slice(nil, codec.Tuple{t2, 1}),
		cql: " WHERE user = ? AND bucket = ? AND posted > ? AND (posted, seq) <= (?, ?)", args: []any{"ann", 1, t1, t2, 1}},
	{name: "multi-column slice and a single slice on another column", q: pk().And("seq").Lt(5).Slice(codec.Tuple{t1, 1}, nil),
		why: `Column "seq" cannot be restricted by two inequalities not starting with the same column`},
	{name: "multi-column slice and an equality", q: pk().And("posted").Eq(t1).Slice(codec.Tuple{t1, 1}, nil),
		why: "posted cannot be restricted by more than one relation if it includes an Equal"},
	{name: "multi-column slice and the same bound", q: pk().And("posted").Gte(t1).Slice(codec.Tuple{t1, 1}, nil),
		why: "More than one restriction was found for the start bound on posted"},
	// ClusteringColumnRestrictions.addRowFilterTo leaves a slice from the
	// first clustering column out of the row filter: it bounds the rows
	// read in each partition.
	{name: "multi-column slice beside an index filter", q: query.Where("body").Eq("x").Slice(codec.Tuple{t1, 1}, nil).AllowFiltering(),
		cql: " WHERE body = ? AND (posted, seq) >= (?, ?) ALLOW FILTERING", args: []any{"x", t1, 1}},
	{name: "multi-column slice with an index", q: query.Where("body").Eq("x").Slice(codec.Tuple{t1, 1}, nil), why: allowFiltering},
	{name: "multi-column slice over partitions", q: query.Select{}.Slice(codec.Tuple{t1, 1}, nil).AllowFiltering(),
		cql: " WHERE (posted, seq) >= (?, ?) ALLOW FILTERING", args: []any{t1, 1}},
}

func TestCompile(t *testing.T) {
	for _, tc := range compileCases {
		t.Run(tc.name, func(t *testing.T) {
			st, err := cql.Compile(timeline(), tc.q)
			if tc.why != "" {
				var ire *cassa.InvalidRequestError
				if !errors.As(err, &ire) {
					t.Fatalf("Compile(%v) = %q, %v; want refusal %q", tc.q, st.CQL, err, tc.why)
				}
				if ire.Why != tc.why {
					t.Fatalf("Compile(%v) refused with\n  %q\nwant\n  %q", tc.q, ire.Why, tc.why)
				}
				return
			}
			if err != nil {
				t.Fatalf("Compile(%v): %v", tc.q, err)
			}
			want := tc.cql
			if !strings.HasPrefix(want, "SELECT") {
				want = "SELECT " + allCols + " FROM timeline" + want
			}
			if st.CQL != want {
				t.Errorf("Compile(%v) =\n  %s\nwant\n  %s", tc.q, st.CQL, want)
			}
			if !reflect.DeepEqual(st.Args, tc.args) {
				t.Errorf("Compile(%v) args = %#v, want %#v", tc.q, st.Args, tc.args)
			}
		})
	}
}

func TestCompileMisuse(t *testing.T) {
	tab := timeline()
	for _, tc := range []struct {
		name string
		t    *cql.Table
		q    query.Select
	}{
		{"non-string column", tab, query.Where(42).Eq(1)},
		{"no columns", tab, pk().Columns()},
		{"builder error", tab, query.Where("likes").In()},
		{"slice without clustering", &cql.Table{Name: "t", PartitionKey: []string{"k"}}, query.Where("k").Eq(1).Slice(1, 2)},
		{"reversed without clustering", &cql.Table{Name: "t", PartitionKey: []string{"k"}}, query.Where("k").Eq(1).Reversed()},
		{"key with too few components", tab, query.Keys("ann", nil)},
		{"token not a Murmur3 token", tab, query.Tokens("abc", "")},
		{"keys and partition relations", tab, query.Where("user").Eq("a").And("bucket").Eq(1).StartKey(codec.Tuple{"a", 1})},
		{"no partition key", &cql.Table{Name: "t"}, query.Select{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st, err := cql.Compile(tc.t, tc.q)
			if err == nil {
				t.Fatalf("Compile = %q, want an error", st.CQL)
			}
			if !errors.Is(err, cql.ErrInvalidOption) && !errors.Is(err, query.ErrInvalid) {
				t.Errorf("error %v is neither ErrInvalidOption nor query.ErrInvalid", err)
			}
		})
	}
	// A nil table is an argument no call can use, as everywhere in cassa.
	if _, err := cql.Compile(nil, query.Select{}); !errors.Is(err, cassa.ErrInvalidArgument) {
		t.Errorf("Compile(nil) = %v, want cassa.ErrInvalidArgument", err)
	}
}

func TestCompileTablesAndNames(t *testing.T) {
	// A qualified table, names that need quotes, no column list.
	tab := &cql.Table{Keyspace: "Tenant1", Name: "Users", PartitionKey: []string{"Id"}, Clustering: []cql.ClusteringColumn{{Name: "order"}}}
	st, err := cql.Compile(tab, query.Where("Id").Eq(7).And("order").Gt(1).Columns("Name", "select", "plain_1"))
	if err != nil {
		t.Fatal(err)
	}
	want := `SELECT "Name", "select", plain_1 FROM "Tenant1"."Users" WHERE "Id" = ? AND "order" > ?`
	if st.CQL != want {
		t.Errorf("got  %s\nwant %s", st.CQL, want)
	}
	st, err = cql.Compile(tab, query.Where("Id").Eq(7))
	if err != nil || st.CQL != `SELECT * FROM "Tenant1"."Users" WHERE "Id" = ?` {
		t.Errorf("without columns: %q, %v", st.CQL, err)
	}

	// Tokens follow the partitioner.
	for _, tc := range []struct {
		part string
		tok  string
		want any
	}{
		{"org.apache.cassandra.dht.Murmur3Partitioner", "-9223372036854775808", int64(-9223372036854775808)},
		{"RandomPartitioner", "170141183460469231731687303715884105727", func() any {
			v, _ := new(big.Int).SetString("170141183460469231731687303715884105727", 10)
			return v
		}()},
		{"ByteOrderedPartitioner", "6b6579", []byte("key")},
		{"OrderPreservingPartitioner", "key", "key"},
	} {
		tab := &cql.Table{Name: "t", PartitionKey: []string{"k"}, Partitioner: tc.part}
		st, err := cql.Compile(tab, query.Tokens(tc.tok, ""))
		if err != nil || len(st.Args) != 1 || !reflect.DeepEqual(st.Args[0], tc.want) {
			t.Errorf("%s: %v %#v, want %#v", tc.part, err, st.Args, tc.want)
		}
	}
}

func TestQuoteIdent(t *testing.T) {
	for in, want := range map[string]string{
		"name": "name", "Name": `"Name"`, "a b": `"a b"`, `q"uote`: `"q""uote"`, "select": `"select"`,
		"token": `"token"`, "key": "key", "_x": `"_x"`, "x_1": "x_1", "1x": `"1x"`, "": `""`,
	} {
		if got := cql.QuoteIdent(in); got != want {
			t.Errorf("quoteIdent(%q) = %s, want %s", in, got, want)
		}
	}
}
